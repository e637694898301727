"""The lead's resolution of a conflict reaches the case's owner, and the two copies converge.

The lead's next pack for Robin carries the resolved version of RT-101; Robin's workspace takes
it while Robin's copy is still the version the lead received, and Robin's next bundle then
continues the resolution at the lead instead of starting a new conflict. A copy Robin changed
meanwhile is never overwritten. Each test works on a private copy of a stage (conftest.py).
"""

from __future__ import annotations

import pytest

from hmip_desktop.bundles import KIND_PACK
from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.assessments import export_assessments, in_conflict_at_lead
from hmip_desktop.exchange.conflicts import conflict_of, open_conflicts, resolve
from hmip_desktop.exchange.payload import PayloadError
from tests.exchange.conftest import Env, assert_one_line
from tests.exchange.helpers import db_digest, opened, reseal, sequence_of
from tests.exchange.test_conflicts import diverge, state


def resolve_and_pack(env: Env) -> tuple[str, str, int]:
    """Robin's bundle 2 meets the lead's edit; the lead resolves, Robin sees the receipt."""
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = diverge(env, lead_edits=2, robin_edits=1)
    report = service.import_file(lead, env.bundle("a1-2.hmipb"))
    assert [ref for ref, _h, _r in report.conflicts] == ["RT-101"]
    assert report.receipt is not None
    service.import_file(a1, report.receipt)
    assert in_conflict_at_lead(a1) == {first}
    revision = resolve(lead, "RT-101", {"2.1.1": "held"}, rest="received")
    packs.make_pack(lead, env.team.iid, env.team.member_ids["a1"], env.bundle("a1-2.hmippack"))
    return first, second, revision


def test_the_resolved_version_becomes_robins_and_his_next_bundle_applies_at_the_lead(
        answered_env: Env) -> None:
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, _second, revision = resolve_and_pack(env)
    resolved = state(lead, first)
    assert resolved[2]["2.1.1"] == "no" and resolved[2]["2.1.2.a"] == "yes"

    report = service.import_file(a1, env.bundle("a1-2.hmippack"))

    assert state(a1, first) == resolved
    assert in_conflict_at_lead(a1) == set()
    assert any("RT-101: the lead's resolution of the conflict is now your copy" in line
               for line in report.lines())
    assert a1._conn.execute("SELECT count(*) FROM audit WHERE case_id = ? AND action = 'adopt'"
                           " AND revision = ?", (first, revision)).fetchone()[0] == 1

    # Robin carries on from the resolution; the lead applies it, with no new conflict.
    a1.save_item(first, "2.1.2.c", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"), case_ids=["RT-101"])
    again = service.import_file(lead, env.bundle("a1-3.hmipb"))

    assert again.applied == [("RT-101", revision + 1)]
    assert not again.conflicts and not again.stale
    assert open_conflicts(lead, env.team.iid) == []
    assert state(lead, first) == state(a1, first)
    assert state(lead, first)[2]["2.1.1"] == "no"  # the lead's choice stands

    # The same pack imported again, or a later one, changes nothing at Robin's.
    packs.make_pack(lead, env.team.iid, env.team.member_ids["a1"], env.bundle("a1-3.hmippack"))
    later = service.import_file(a1, env.bundle("a1-3.hmippack"))
    assert not any("resolution" in line for line in later.lines())
    assert state(a1, first) == state(lead, first)


def test_the_qa_partners_copy_takes_the_resolution_too(answered_env: Env) -> None:
    env = answered_env
    qa = env.ws("qa")
    service.import_file(qa, env.bundle("a1-1.hmipb"))
    first, _second, revision = resolve_and_pack(env)
    service.import_file(qa, env.bundle("a1-2.hmipb"))  # Robin's version, as the lead received
    packs.make_pack(env.ws("lead"), env.team.iid, env.team.member_ids["qa"],
                    env.bundle("qa-2.hmippack"))

    service.import_file(qa, env.bundle("qa-2.hmippack"))

    assert state(qa, first) == state(env.ws("lead"), first)
    assert state(qa, first)[1] == revision


def test_a_case_robin_changed_before_the_pack_arrived_keeps_his_work_and_the_notice(
        answered_env: Env) -> None:
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, _second, revision = resolve_and_pack(env)
    a1.save_item(first, "2.1.2.c", "yes")
    robins = state(a1, first)

    report = service.import_file(a1, env.bundle("a1-2.hmippack"))

    assert state(a1, first) == robins
    assert in_conflict_at_lead(a1) == {first}
    [line] = [x for x in report.lines() if "resolution" in x]
    assert "RT-101: the lead's resolution of the conflict could not be applied because the " \
           "case changed here since the version the lead received" in line
    assert "\n" not in line

    # Robin's next bundle is then a new conflict, against the resolved version: nothing lost.
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"), case_ids=["RT-101"])
    again = service.import_file(lead, env.bundle("a1-3.hmipb"))
    assert again.conflicts == [("RT-101", revision, robins[1])]
    assert conflict_of(lead, "RT-101").held_revision == revision


@pytest.mark.parametrize(("fault", "words"), [
    ("base not below", "case RT-101 in the pack is not valid"),
    ("bad hash", "case RT-101 in the pack is not valid"),
    ("bad item", "case RT-101 in the pack is not valid"),
    ("extra field", "the pack's resolved cases are not valid"),
])
def test_a_pack_with_a_bad_resolved_entry_is_refused_with_nothing_written(
        answered_env: Env, fault: str, words: str) -> None:
    env, ids = answered_env, answered_env.team.identities
    a1 = env.ws("a1")
    resolve_and_pack(env)
    path = env.bundle("a1-2.hmippack")
    entries = opened(path.read_bytes(), ids["a1"], ids["lead"])
    [resolved] = dict(entries)["resolved.json"]
    if fault == "base not below":
        resolved["base_revision"] = resolved["revision"]
    elif fault == "bad hash":
        resolved["base_hash"] = "Z" * 64
    elif fault == "bad item":
        resolved["items"]["2.1.1"] = "maybe"
    else:
        resolved["by"] = "someone"
    forged = reseal(entries, sender=ids["lead"], recipients=[ids["a1"]],
                    inspection_id=env.team.iid, sequence=sequence_of(path.read_bytes()),
                    kind=KIND_PACK)
    env.bundle("forged.hmippack").write_bytes(forged)
    before = db_digest(a1)
    with pytest.raises(PayloadError) as e:
        service.import_file(a1, env.bundle("forged.hmippack"))
    assert_one_line(e.value)
    assert words in str(e.value)
    assert db_digest(a1) == before


def test_undo_after_taking_the_resolution_does_not_write_over_it(answered_env: Env) -> None:
    """Robin's session still remembers the save he made before the conflict; once the lead's
    resolution is his copy, Undo must not put that old value back over it."""
    env = answered_env
    a1 = env.ws("a1")
    first, _second, _revision = resolve_and_pack(env)
    service.import_file(a1, env.bundle("a1-2.hmippack"))
    taken = state(a1, first)

    assert a1.undo(first) is None
    assert state(a1, first) == taken
