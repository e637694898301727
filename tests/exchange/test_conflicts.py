"""Two versions of one case are shown and resolved, never silently dropped (issue 12, point 3).

The demo-team story: the lead opened Robin's case and changed an answer, which saved as the
same revision number Robin's own next change then reached. Robin's bundle used to be called
stale and dropped. Each test works on a private copy of a stage built once (conftest.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import (
    delivered,
    export_assessments,
    in_conflict_at_lead,
)
from hmip_desktop.exchange.conflicts import (
    ConflictError,
    conflict_of,
    conflicted_cases,
    open_conflicts,
    record_conflict,
    resolve,
)
from hmip_desktop.setup.reassign import ReassignError, reassign
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import (
    NAMES,
    PASSPHRASE,
    Env,
    assert_one_line,
    count,
    without_ownership,
)


def state(ws: Any, case_id: str) -> tuple[str, int, dict[str, str]]:
    status, revision = ws._conn.execute(
        "SELECT status, revision FROM assessments WHERE case_id = ?", (case_id,)).fetchone()
    return status, revision, dict(ws._conn.execute(
        "SELECT item, value FROM items WHERE case_id = ?", (case_id,)).fetchall())


def diverge(env: Env, lead_edits: int, robin_edits: int) -> tuple[str, str]:
    """Robin's first bundle reaches the lead; then both change RT-101, each on their own."""
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = env.team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    without_ownership(lead)  # an older app's lead: see conftest.without_ownership
    for item in ["2.1.1", "2.1.2.b", "2.1.3.b"][:lead_edits]:
        lead.save_item(first, item, "no")
    for item in ["2.1.2.a", "2.1.3.a", "2.1.2.c"][:robin_edits]:
        a1.save_item(first, item, "yes")
    a1.save_item(second, "2.1.3.a", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"))
    return first, second


@pytest.mark.parametrize(("lead_edits", "robin_edits"), [(1, 1), (2, 1), (1, 3)],
                         ids=["same revision", "the lead's copy newer", "robin's newer"])
def test_a_bundle_forking_from_the_copy_held_is_kept_as_a_conflict_not_dropped(
        answered_env: Env, lead_edits: int, robin_edits: int) -> None:
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = diverge(env, lead_edits, robin_edits)
    held, robins = state(lead, first), state(a1, first)

    report = service.import_file(lead, env.bundle("a1-2.hmipb"))

    assert report.conflicts == [("RT-101", held[1], robins[1])]
    assert not report.stale
    assert report.applied == [("RT-102", state(a1, second)[1])]  # the rest of the bundle
    assert sum(line.startswith("  In conflict: RT-101") for line in report.lines()) == 1
    assert state(lead, first) == held  # nothing applied for that case
    [conflict] = open_conflicts(lead, env.team.iid)
    assert (conflict.case_ref, conflict.owner, conflict.sender) == \
        ("RT-101", NAMES["a1"], NAMES["a1"])
    assert (conflict.held_revision, conflict.received_revision) == (held[1], robins[1])
    by_item = {i.item: i for i in conflict.items}
    assert by_item["2.1.1"].held == "no" and by_item["2.1.1"].held_by == NAMES["lead"]
    assert by_item["2.1.1"].received == "yes" and by_item["2.1.1"].received_by == NAMES["a1"]
    assert by_item["2.1.2.a"].held == held[2].get("2.1.2.a")
    assert by_item["2.1.2.a"].received == "yes"
    assert by_item["2.1.2.a"].received_by == NAMES["a1"]
    assert set(by_item) == {k for k in set(held[2]) | set(robins[2])
                            if held[2].get(k) != robins[2].get(k)}

    # Shown on the lead's dashboard, and to Robin through the receipt.
    rows = {r.case_ref: r for r in dashboard(lead, env.team.iid)}
    assert rows["RT-101"].in_conflict and not rows["RT-102"].in_conflict
    assert report.receipt is not None
    back = service.import_file(a1, report.receipt)
    assert in_conflict_at_lead(a1) == {first}
    assert any("In conflict: RT-101" in line for line in back.lines())
    assert not delivered(a1, first) and delivered(a1, second)


def test_the_lead_resolves_item_by_item_as_a_new_audited_revision(answered_env: Env) -> None:
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, _second = diverge(env, lead_edits=2, robin_edits=1)
    robins = state(a1, first)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    conflict = conflict_of(lead, "RT-101")
    assert {i.item for i in conflict.items} == {"2.1.1", "2.1.2.a", "2.1.2.b"}

    revision = resolve(lead, "RT-101", {"2.1.1": "received", "2.1.2.b": "held"},
                       rest="received")

    assert revision == max(conflict.held_revision, conflict.received_revision) + 1
    status, rev, items = state(lead, first)
    assert rev == revision
    assert items["2.1.1"] == "yes" and items["2.1.2.a"] == "yes" and items["2.1.2.b"] == "no"
    assert {k: v for k, v in items.items() if k != "2.1.2.b"} == \
        {k: v for k, v in robins[2].items() if k != "2.1.2.b"}
    assert status == robins[0]
    last = lead.history(first)[-1]
    assert (last.action, last.actor, last.revision) == ("resolve", NAMES["lead"], revision)
    assert '"2.1.1":"received"' in (last.new or "") and '"2.1.2.b":"held"' in (last.new or "")
    assert not open_conflicts(lead, env.team.iid) and conflicted_cases(lead) == set()
    assert not {r.case_ref for r in dashboard(lead, env.team.iid) if r.in_conflict}

    # Robin's version, sent again unchanged, is now one the resolution already weighed: stale.
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"), case_ids=["RT-101"])
    again = service.import_file(lead, env.bundle("a1-3.hmipb"))
    assert again.stale == [("RT-101", revision, robins[1])] and not again.conflicts
    assert state(lead, first)[1] == revision


def test_the_same_version_again_makes_no_second_conflict(answered_env: Env) -> None:
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    diverge(env, lead_edits=1, robin_edits=1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"), case_ids=["RT-101"])

    report = service.import_file(lead, env.bundle("a1-3.hmipb"))

    assert [ref for ref, _h, _r in report.conflicts] == ["RT-101"]
    assert count(lead, "conflicts") == 1
    assert service.import_file(lead, env.bundle("a1-3.hmipb")).already_imported
    assert count(lead, "conflicts") == 1


def test_robins_later_version_replaces_the_received_side_of_the_open_conflict(
        answered_env: Env) -> None:
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, _second = diverge(env, lead_edits=1, robin_edits=1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    a1.save_item(first, "2.1.2.c", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"), case_ids=["RT-101"])

    service.import_file(lead, env.bundle("a1-3.hmipb"))

    [conflict] = open_conflicts(lead, env.team.iid)
    assert conflict.received_revision == state(a1, first)[1]
    assert {i.item: i.received for i in conflict.items}["2.1.2.c"] == "yes"


def test_a_case_the_sender_has_not_changed_since_stays_stale_not_in_conflict(
        answered_env: Env) -> None:
    """A true ancestor of the copy held (what the lead's own change started from) is fine."""
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = env.team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    without_ownership(lead).save_item(first, "2.1.1", "no")
    held = state(lead, first)
    a1.save_item(second, "2.1.3.a", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"), case_ids=["RT-101",
                                                                              "RT-102"])

    report = service.import_file(lead, env.bundle("a1-2.hmipb"))

    assert report.stale == [("RT-101", held[1], state(a1, first)[1])]
    assert not report.conflicts and count(lead, "conflicts") == 0
    assert state(lead, first) == held


@pytest.mark.parametrize(("choices", "rest", "words"), [
    ({"2.1.5": "held"}, "received", "2.1.5 is not in conflict in case RT-101"),
    ({"2.1.1": "mine"}, None, "choose held or received"),
    ({"2.1.1": "held"}, None, "choose held or received for every item in conflict (2 left"),
])
def test_a_choice_the_conflict_does_not_allow_is_refused_and_nothing_is_written(
        answered_env: Env, choices: dict[str, str], rest: str | None, words: str) -> None:
    env = answered_env
    lead = env.ws("lead")
    first, _second = diverge(env, lead_edits=2, robin_edits=1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    before = (state(lead, first), count(lead, "audit"), count(lead, "received_audit"),
              count(lead, "case_sources"), lead._conn.execute(
                  "SELECT * FROM conflicts").fetchall())

    with pytest.raises(ConflictError) as caught:
        resolve(lead, "RT-101", choices, rest=rest)

    assert words in str(caught.value)
    assert_one_line(caught.value)
    assert (state(lead, first), count(lead, "audit"), count(lead, "received_audit"),
            count(lead, "case_sources"), lead._conn.execute(
                "SELECT * FROM conflicts").fetchall()) == before


def test_a_case_not_in_conflict_cannot_be_resolved(answered_env: Env) -> None:
    lead = answered_env.ws("lead")
    with pytest.raises(ConflictError, match="case RT-102 is not in conflict"):
        resolve(lead, "RT-102", {}, rest="held")




def test_the_commands_list_the_conflict_and_resolve_it(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = answered_env
    first, _second = diverge(env, lead_edits=1, robin_edits=1)
    service.import_file(env.ws("lead"), env.bundle("a1-2.hmipb"))
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    folder = str(env.folder("lead"))

    code, out, _err = run(capsys, "conflicts", "--workspace", folder, "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert listed["case_ref"] == "RT-101" and listed["owner"] == NAMES["a1"]
    assert {"item": "2.1.1", "held": "no", "held_by": NAMES["lead"], "received": "yes",
            "received_by": NAMES["a1"]} in listed["items"]
    code, out, _err = run(capsys, "conflicts", "--workspace", folder)
    assert code == 0 and out.startswith(f"RT-101 (owner {NAMES['a1']})")
    assert f"  2.1.1: held 'no' ({NAMES['lead']}) | received 'yes' ({NAMES['a1']})" in out

    code, out, _err = run(capsys, "dashboard", "--workspace", folder, "--json")
    assert {r["case_ref"]: r["in_conflict"] for r in json.loads(out)
            if r["case_ref"] in ("RT-101", "RT-102")} == {"RT-101": True, "RT-102": False}
    code, out, _err = run(capsys, "dashboard", "--workspace", folder)
    assert [line.endswith("IN CONFLICT") for line in out.splitlines()
            if " RT-10" in line] == [True, False]

    code, out, err = run(capsys, "resolve", "RT-101", "--item", "2.1.5=held",
                         "--rest", "received", "--workspace", folder)
    assert (code, out) == (1, "")
    assert err == "hmip-desktop: 2.1.5 is not in conflict in case RT-101\n"

    code, out, err = run(capsys, "resolve", "RT-101", "--item", "2.1.1=held", "--rest",
                         "received", "--workspace", folder)
    assert code == 0, err
    assert out.startswith("RT-101: conflict resolved; the result is the case's latest version")
    assert "revision" not in out
    code, out, _err = run(capsys, "conflicts", "--workspace", folder, "--json")
    assert json.loads(out) == []
    lead = env.ws("lead")
    assert state(lead, first)[2]["2.1.1"] == "no"


def test_an_alert_acknowledged_by_the_lead_is_no_conflict_and_robins_next_version_applies(
        answered_env: Env) -> None:
    """Acknowledging changes no answer and, on a case the lead does not own, raises no
    revision: nothing to choose, and Robin's next version applies."""
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, _second = env.team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    [alert] = lead.alerts(first)
    lead.acknowledge_alert(alert.id)
    held = state(lead, first)
    a1.save_item(first, "2.1.2.a", "yes")
    assert state(a1, first)[1] == held[1] + 1
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"), case_ids=["RT-101"])

    report = service.import_file(lead, env.bundle("a1-2.hmipb"))

    assert report.applied == [("RT-101", held[1] + 1)] and not report.conflicts
    assert state(lead, first) == state(a1, first)
    assert lead.alerts(first)[0].acknowledged_by == NAMES["lead"]


def test_choices_that_break_a_hurdle_are_refused_and_nothing_is_written(
        answered_env: Env) -> None:
    """The lead's 2.1.3.d "no" forces 2.1.3 "no" (the domain two hurdle): Robin's "yes" for
    2.1.3 cannot stand beside it."""
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, _second = env.team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    without_ownership(lead).save_item(first, "2.1.3.d", "no")
    assert state(lead, first)[2]["2.1.3"] == "no"
    a1.save_item(first, "2.1.3", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"), case_ids=["RT-101"])
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    before = (state(lead, first), count(lead, "audit"))

    with pytest.raises(ConflictError) as caught:
        resolve(lead, "RT-101", {"2.1.3.d": "held", "2.1.3": "received"})

    assert "case RT-101: with these choices 2.1.3 must be 'no'" in str(caught.value)
    assert_one_line(caught.value)
    assert (state(lead, first), count(lead, "audit")) == before
    assert resolve(lead, "RT-101", {}, rest="received") == before[0][1] + 1
    assert state(lead, first)[2] == state(a1, first)[2]


def test_a_case_in_conflict_is_left_out_of_the_counts_until_resolved(
        answered_env: Env) -> None:
    """Neither version of a case in conflict feeds the tables, even provisionally."""
    env = answered_env
    lead = env.ws("lead")
    first, _second = diverge(env, 1, 1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    c = consolidate(lead, env.team.iid, rule=PROVISIONAL)
    assert first not in c.counted_case_ids
    assert c.left_out.get("in_conflict") == 1
    resolve(lead, "RT-101", {}, rest="received")
    c = consolidate(lead, env.team.iid, rule=PROVISIONAL)
    assert first in c.counted_case_ids and not c.left_out.get("in_conflict")


def test_a_case_in_conflict_is_not_reassigned_and_keeps_its_senders_version(
        answered_env: Env) -> None:
    """The version kept aside is the only copy of that member's work at the lead: no other
    member's bundle replaces it, and the case is not reassigned until the lead resolves it."""
    env = answered_env
    lead = env.ws("lead")
    first, _second = diverge(env, 1, 1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    kept = conflict_of(lead, "RT-101")
    with pytest.raises(ReassignError, match="resolve the conflict") as e:
        reassign(lead, env.team.iid, "RT-101", env.team.member_ids["a2"], "ill")
    assert_one_line(e.value)
    other = {"case_id": first, "revision": kept.received_revision + 5, "status": "in_progress",
             "items": {"2.1.1": "no"}, "alerts": [], "audit": []}
    with pytest.raises(ConflictError, match="another member's version"), lead.transaction():
        record_conflict(lead, other, "f" * 64, b"\x01" * 16, "b" * 64, 99,
                        {"revision": 1, "status": "in_progress", "items": {}}, "a" * 64)
    assert conflict_of(lead, "RT-101").received_revision == kept.received_revision
