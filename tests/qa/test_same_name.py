"""Two assessors with the same name stay apart: people are keyed by member id through the
checks, the lunchtime sheet, the QA bundles and the lead's dashboard; names are for display."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.bundles import NotForMeError
from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.qa import export_qa_all
from hmip_desktop.member_labels import choices_by_label, member_labels
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.qa.service import findings_by_assessor
from hmip_desktop.qa.sheet import sheet_counts, sheet_data, sheet_html
from hmip_desktop.setup.apply import allocate_evenly
from hmip_desktop.store.workspace import Workspace
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env
from tests.exchange.helpers import opened

setup_env = exchange.setup_env

SAME = NAMES["a1"]  # a2 is renamed to a1's name: two people called the same


def same_names(ws: Workspace, env: Env) -> None:
    """As if the lead had enrolled two people of the same name (names are not unique)."""
    ws._conn.execute("UPDATE members SET name = ? WHERE id = ?",
                    (SAME, env.team.member_ids["a2"]))


@pytest.fixture
def qa_with_both(answered_env: Env) -> Env:
    """The QA partner holds both assessors' bundles and has raised one query on each."""
    env = answered_env
    qa = env.ws("qa")
    for name in ("a1-1.hmipb", "a2-1.hmipb"):
        service.import_file(qa, env.bundle(name))
    same_names(qa, env)
    raise_query(qa, env.team.cases_of("a1")[0], "2.1.1", "For the first Robin: why yes?")
    raise_query(qa, env.team.cases_of("a2")[0], "2.1.1", "For the second Robin: why yes?")
    return env


def test_labels_tell_same_named_members_apart() -> None:
    labels = member_labels([("aaaaaaaa1111", "Sam Invented"), ("aaaaaaaa2222", "sam  invented"),
                            ("bbbb", "Lee Madeup")])
    assert labels["bbbb"] == "Lee Madeup"
    assert labels["aaaaaaaa1111"] == "Sam Invented (member aaaaaaaa1)"
    assert labels["aaaaaaaa2222"] == "sam  invented (member aaaaaaaa2)"
    assert choices_by_label([{"id": "x1", "name": "Sam"}, {"id": "y2", "name": "Sam"}]) == {
        "Sam (member x1)": "x1", "Sam (member y2)": "y2"}


def test_checks_and_sheet_keep_same_named_assessors_apart(qa_with_both: Env) -> None:
    env, team = qa_with_both, qa_with_both.team
    qa = env.ws("qa")
    groups = findings_by_assessor(qa, team.iid)
    robins = [k for k in groups if k.startswith(SAME)]
    assert len(robins) == 2
    for who in ("a1", "a2"):
        (label,) = [k for k in robins if f"member {team.member_ids[who][:8]}" in k]
        assert groups[label]
        assert {f.case_id for f in groups[label]} <= set(team.cases_of(who))

    sheet = sheet_data(qa, team.iid)
    by_id = {a.member_id: a for a in sheet.assessors}
    for who in ("a1", "a2"):
        group = by_id[team.member_ids[who]]
        assert group.assessor.startswith(SAME) and team.member_ids[who][:8] in group.assessor
        assert [c.case_id for c in group.cases] == team.cases_of(who)
        assert [q.case_ref for q in group.queries] == [
            qa.find_case(team.cases_of(who)[0]).case_ref]
    assert len(sheet_counts(sheet)) == len(sheet.assessors)
    html = sheet_html(sheet)
    assert html.count(f"<h2>{SAME} (member ") == 2


def test_each_same_named_assessor_gets_only_their_own_qa_bundle(qa_with_both: Env,
                                                                 tmp_path: Path) -> None:
    env, team = qa_with_both, qa_with_both.team
    out = tmp_path / "out"
    out.mkdir()
    paths = export_qa_all(env.ws("qa"), team.iid, out)
    assert len(paths) == 2 and len({p.name for p in paths}) == 2
    ids = team.identities
    for who, other in (("a1", "a2"), ("a2", "a1")):
        mine = [p for p in paths if _readable(p, ids[who], ids["qa"])]
        assert len(mine) == 1
        entries = dict(opened(mine[0].read_bytes(), ids[who], ids["qa"]))
        assert entries["manifest.json"]["for_member"] == team.member_ids[who]
        cases = {q["case_id"] for q in entries["queries.json"]["queries"]}
        assert cases == {team.cases_of(who)[0]}
        with pytest.raises(NotForMeError):
            opened(mine[0].read_bytes(), ids[other], ids["qa"])


def _readable(path: Path, reader: object, sender: object) -> bool:
    try:
        opened(path.read_bytes(), reader, sender)  # type: ignore[arg-type]
    except NotForMeError:
        return False
    return True


def test_the_lead_dashboard_tells_same_named_members_apart(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    same_names(lead, env)
    rows = [r for r in dashboard(lead, team.iid) if r.member.startswith(SAME)]
    labels = {r.member_id: r.member for r in rows}
    assert set(labels) == {team.member_ids["a1"], team.member_ids["a2"]}
    assert len(set(labels.values())) == 2
    # each member's cases are listed together
    order = [r.member_id for r in rows]
    assert order == sorted(order, key=order.index) and len(
        [i for i in range(1, len(order)) if order[i] != order[i - 1]]) == 1


def test_a_connection_naming_two_members_is_refused(setup_env: Env) -> None:
    env = setup_env
    lead = env.ws("lead")
    same_names(lead, env)
    with pytest.raises(UserError, match="more than one member is called"):
        allocate_evenly(lead, env.team.iid, [], connections=[(SAME, "RT-401")])
