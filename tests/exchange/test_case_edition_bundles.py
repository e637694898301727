"""An assessment bundle carries each case's edition; the lead keeps the case on it.

The lead's inspection has moved to a later edition (one prompt added to key question 2.1.1)
while an assessor still works on the edition before: their cases arrive on it, are checked
against it, and stay on it. A case on an edition the lead does not hold, or one outside the
inspection's lineage, is refused with the whole bundle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.frameworks.loader import load_framework_bytes
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.tables import connection
from tests.case_edition_helpers import NEW_PROMPT, as_bytes, next_edition, put_on_edition, shipped
from tests.exchange.conftest import Env, assert_one_line, digests
from tests.exchange.helpers import case_entry, opened, refresh_manifest, reseal

EDITION = "framework_hash"


def _moved(env: Env) -> str:
    """Move the lead's inspection to the next edition (every case with it); the old hash."""
    return put_on_edition(env.ws("lead"), env.team.iid,
                          next_edition(shipped(), add_prompt=True), staying=[])


def _altered(env: Env, change: Any, name: str = "altered.hmipb") -> Path:
    """a1's first bundle, each of its cases changed by ``change``, sealed again by a1."""
    team = env.team
    entries = opened(env.bundle("a1-1.hmipb").read_bytes(), team.identities["lead"],
                     team.identities["a1"])
    for cid in team.cases_of("a1"):
        change(case_entry(entries, cid))
    refresh_manifest(entries)
    out = env.bundle(name)
    out.write_bytes(reseal(entries, sender=team.identities["a1"],
                           recipients=[team.identities["lead"], team.identities["qa"]],
                           inspection_id=team.iid, sequence=1))
    return out


def _own_column(env: Env, cid: str) -> Any:
    return connection(env.ws("lead")).execute(
        "SELECT framework_hash FROM cases WHERE id = ?", (cid,)).fetchone()[0]


def test_each_case_travels_with_its_edition(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    held = env.ws("a1").inspection_framework(team.iid).hash
    entries = opened(env.bundle("a1-1.hmipb").read_bytes(), team.identities["lead"],
                     team.identities["a1"])
    assert {case_entry(entries, cid)[EDITION] for cid in team.cases_of("a1")} == {held}


def test_the_lead_keeps_a_case_on_the_earlier_edition_it_arrives_on(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    old = _moved(env)
    report = service.import_file(lead, env.bundle("a1-1.hmipb"))
    assert [ref for ref, _rev in report.applied] == ["RT-101", "RT-102"]
    for cid in team.cases_of("a1"):
        assert lead.case_framework(cid).hash == old
        assert _own_column(env, cid) == old
        assert NEW_PROMPT not in lead.read_assessment(cid).framework.prompts_by_id
        assert [e.action for e in lead.history(cid)][-1] == "case_edition"
    # The other assessor's cases, not received, are on the inspection's edition.
    assert lead.case_framework(team.cases_of("a2")[0]).hash == \
        lead.inspection_framework(team.iid).hash


def test_a_case_on_the_inspections_own_edition_is_recorded_as_null(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    _moved(env)
    now = lead.inspection_framework(team.iid).hash
    path = _altered(env, lambda c: c.update({EDITION: now}))
    service.import_file(lead, path)
    for cid in team.cases_of("a1"):
        assert lead.case_framework(cid).hash == now
        assert _own_column(env, cid) is None


def test_a_bundle_from_before_editions_travelled_keeps_the_leads_record(
        answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    cid = team.cases_of("a1")[0]
    old = put_on_edition(lead, team.iid, next_edition(shipped(), add_prompt=True),
                         staying=[cid])
    path = _altered(env, lambda c: c.pop(EDITION))
    service.import_file(lead, path)
    assert lead.case_framework(cid).hash == old  # as the lead held it
    assert lead.case_framework(team.cases_of("a1")[1]).hash == \
        lead.inspection_framework(team.iid).hash


def test_items_are_checked_against_the_edition_the_case_is_on(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    old = _moved(env)
    now = lead.inspection_framework(team.iid).hash

    def answer_new_prompt(edition: str) -> Any:
        return lambda c: c.update({EDITION: edition, "items": {**c["items"], NEW_PROMPT: "yes"}})

    with pytest.raises(PayloadError, match="fails the framework's rules"):
        service.import_file(lead, _altered(env, answer_new_prompt(old), "on-old.hmipb"))
    report = service.import_file(lead, _altered(env, answer_new_prompt(now), "on-new.hmipb"))
    assert len(report.applied) == 2
    assert lead.read_assessment(team.cases_of("a1")[0]).items[NEW_PROMPT] == "yes"


@pytest.mark.parametrize("which", ["not held", "another framework"])
def test_a_case_on_an_edition_outside_the_lineage_is_refused_whole(answered_env: Env,
                                                                     which: str) -> None:
    env = answered_env
    lead = env.ws("lead")
    _moved(env)
    if which == "not held":
        edition = next_edition(shipped(), "2021.1")  # never stored at the lead
        named = load_framework_bytes(as_bytes(edition), "edition").hash
    else:
        named = lead.store_framework(
            resource("frameworks", "crc-2019-20.json").read_bytes()).hash
    path = _altered(env, lambda c: c.update({EDITION: named}))
    env.close("lead")
    before = digests(env.folder("lead"))
    with pytest.raises(PayloadError) as refused:
        service.import_file(env.ws("lead"), path)
    assert_one_line(refused.value)
    assert "RT-101" in str(refused.value)
    assert "nothing imported" in str(refused.value)
    env.close("lead")
    assert digests(env.folder("lead")) == before
