"""One owner per case, and the lead's reassignment carried by packs (issue 12, points 1–2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.bundles import KIND_PACK
from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.assessments import ReassignedCaseError, export_assessments
from hmip_desktop.setup.reassign import ReassignError, last_reassignment, reassign
from hmip_desktop.store.errors import NotOwnerError
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, nps_bytes
from tests.exchange.helpers import db_digest, opened, reseal, sequence_of

REASON = "Robin is ill for the rest of fieldwork"


def _state(ws: Workspace, case_id: str) -> tuple[int, dict[str, str]]:
    a = ws.read_assessment(case_id)
    return a.revision, a.items


def test_only_the_owner_changes_a_case_every_write_is_refused_elsewhere(
        answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead, qa = env.ws("lead"), env.ws("qa")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    case = team.case_ids["RT-101"]
    for ws in (lead, qa):
        who = ws.ownership(case)
        assert not who.mine and who.owner == NAMES["a1"]
        before = db_digest(ws)
        for write in (lambda w: w.save_item(case, "2.1.1", "no"),
                      lambda w: w.save_item(case, "note:2.1.1", "edited"),
                      lambda w: w.set_status(case, "complete"),
                      lambda w: w.mark_complete(case),
                      lambda w: w.raise_alert(case, what_might_happen="x", how_serious="x",
                                              how_imminent="x", action_asked="x")):
            with pytest.raises(NotOwnerError, match=NAMES["a1"]) as e:
                write(ws)
            assert_one_line(e.value)
        assert db_digest(ws) == before  # nothing written
    assert env.ws("a1").ownership(case).mine


def test_a_workspace_in_no_inspection_team_is_its_own_owner(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "solo", PASSPHRASE, owner_name="Alex Solo",
                          role="assessor")
    try:
        iid = ws.create_inspection(title="Solo", organisation="Demo Shire",
                                   framework_bytes=nps_bytes())
        cid = ws.add_case(iid, case_ref="SOLO-1", facts={})
        other = ws.add_member(iid, name="Someone Else", role="assessor")
        ws.assign(cid, other)  # a member without a card: not this workspace
        assert ws.ownership(cid).mine
        assert ws.save_item(cid, "record:interview_mode", "phone").revision == 1
    finally:
        ws.close()


def test_reassignment_moves_the_case_with_its_work_and_refuses_the_old_owner(
        answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead, a1, a2, qa = (env.ws(w) for w in ("lead", "a1", "a2", "qa"))
    case = team.case_ids["RT-101"]
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    received = _state(lead, case)

    done = reassign(lead, team.iid, "RT-101", team.member_ids["a2"], REASON)
    assert (done.from_member_id, done.to_member_id, done.reason) == (
        team.member_ids["a1"], team.member_ids["a2"], REASON)
    [row] = [e for e in lead.history(case) if e.action == "reassign"]  # audited
    assert row.actor == NAMES["lead"] and REASON in (row.new or "")
    assert last_reassignment(lead, case) == done
    assert not lead.ownership(case).mine and lead.ownership(case).owner == NAMES["a2"]
    # What the lead holds is the old owner's: left out of the counts until the new owner's
    # own version arrives.
    counted = consolidate(lead, team.iid, rule=PROVISIONAL)
    assert case not in counted.counted_case_ids and counted.left_out.get("reassigned") == 1

    # The old owner, before the notice reaches them, sends more work: refused for the case,
    # naming the date and the new owner; nothing is written.
    a1.save_item(case, "2.1.3.a", "yes")
    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))
    before = db_digest(lead)
    with pytest.raises(ReassignedCaseError, match=NAMES["a2"]) as e:
        service.import_file(lead, env.bundle("a1-2.hmipb"))
    assert_one_line(e.value)
    assert done.at[:10] in str(e.value) and "RT-101" in str(e.value)
    assert db_digest(lead) == before and _state(lead, case) == received

    # The new owner's next pack carries the case with everything received so far.
    packs.make_pack(lead, team.iid, team.member_ids["a2"], env.bundle("a2-2.hmippack"))
    report = service.import_file(a2, env.bundle("a2-2.hmippack"))
    assert any("RT-101" in line for line in report.notes)
    assert _state(a2, case) == received and a2.ownership(case).mine
    a2.save_item(case, "2.1.2.a", "yes")
    export_assessments(a2, team.iid, env.bundle("a2-2.hmipb"))
    applied = service.import_file(lead, env.bundle("a2-2.hmipb"))
    assert ("RT-101", received[0] + 1) in applied.applied
    assert _state(lead, case) == _state(a2, case)
    counted = consolidate(lead, team.iid, rule=PROVISIONAL)
    assert case in counted.counted_case_ids and not counted.left_out.get("reassigned")

    # The old owner's next pack carries the notice: their copy turns read-only.
    packs.make_pack(lead, team.iid, team.member_ids["a1"], env.bundle("a1-2.hmippack"))
    report = service.import_file(a1, env.bundle("a1-2.hmippack"))
    assert any("RT-101" in line and NAMES["a2"] in line for line in report.notes)
    who = a1.ownership(case)
    assert not who.mine and who.owner == NAMES["a2"] and who.reassigned_at == done.at
    with pytest.raises(NotOwnerError, match=NAMES["a2"]) as e:
        a1.save_item(case, "2.1.1", "no")
    assert done.at[:10] in str(e.value)
    # Their next export leaves the case out, and the lead applies it.
    a1.save_item(team.case_ids["RT-102"], "2.1.3.a", "yes")
    export_assessments(a1, team.iid, env.bundle("a1-3.hmipb"))
    later = service.import_file(lead, env.bundle("a1-3.hmipb"))
    assert [ref for ref, _rev in later.applied] == ["RT-102"]

    # The QA partner of both learns it too, from their own pack.
    packs.make_pack(lead, team.iid, team.member_ids["qa"], env.bundle("qa-2.hmippack"))
    service.import_file(qa, env.bundle("qa-2.hmippack"))
    assert qa.ownership(case).owner == NAMES["a2"] and not qa.ownership(case).mine


def test_the_lead_may_take_a_case_over_and_then_change_it(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    case = team.case_ids["RT-201"]
    service.import_file(lead, env.bundle("a2-1.hmipb"))
    with pytest.raises(NotOwnerError):
        lead.save_item(case, "2.1.1", "no")
    reassign(lead, team.iid, case, team.member_ids["lead"], "conflict of interest declared")
    assert lead.save_item(case, "2.1.1", "no").new == "no"
    # The lead's own now: it counts as it stands.
    counted = consolidate(lead, team.iid, rule=PROVISIONAL)
    assert case in counted.counted_case_ids and not counted.left_out.get("reassigned")


@pytest.mark.parametrize("bad", ["unenrolled", "other inspection", "no reason", "same owner",
                                 "not the lead"])
def test_a_bad_reassignment_is_refused_in_one_line_with_nothing_written(
        answered_env: Env, bad: str) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    ws, case, to, reason, iid = lead, team.case_ids["RT-101"], team.member_ids["a2"], REASON, \
        team.iid
    if bad == "unenrolled":
        to = lead.add_member(team.iid, name="Pat Nocard", role="assessor")
    elif bad == "other inspection":
        iid = lead.create_inspection(title="Another", organisation="Demo Shire",
                                     framework_bytes=nps_bytes())
    elif bad == "no reason":
        reason = "  "
    elif bad == "same owner":
        to = team.member_ids["a1"]
    else:
        ws = env.ws("a2")
    before = db_digest(ws)
    with pytest.raises(ReassignError) as e:
        reassign(ws, iid, case, to, reason)
    assert_one_line(e.value)
    assert db_digest(ws) == before


def test_allocating_an_allocated_case_to_someone_else_is_refused_pointing_to_reassign(
        ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    lead = env.ws("lead")
    case = team.case_ids["RT-101"]
    before = db_digest(lead)
    with pytest.raises(UserError, match="reassign it with a reason") as e:
        lead.assign(case, team.member_ids["a2"])
    assert_one_line(e.value)
    assert db_digest(lead) == before
    lead.assign(case, team.member_ids["a1"], interview_at="2026-11-25T10:00")  # a new slot


@pytest.mark.parametrize("fault", ["bad item", "unlisted case", "notice to a stranger",
                                   "control character in the reason"])
def test_a_pack_with_bad_reassignment_entries_is_refused_with_nothing_written(
        answered_env: Env, fault: str) -> None:
    env, team = answered_env, answered_env.team
    lead, a2 = env.ws("lead"), env.ws("a2")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    reassign(lead, team.iid, "RT-101", team.member_ids["a2"], REASON)
    reassign(lead, team.iid, "RT-202", team.member_ids["lead"], REASON)  # a notice for a2
    path = packs.make_pack(lead, team.iid, team.member_ids["a2"], env.bundle("a2-2.hmippack"))
    ids = team.identities
    entries = opened(path.read_bytes(), ids["a2"], ids["lead"])
    by_name = dict(entries)
    assert {"reassignments.json", "received.json"} <= set(by_name)
    [content] = by_name["received.json"]
    [notice] = by_name["reassignments.json"]
    if fault == "bad item":
        content["items"]["2.1.1"] = "maybe"
    elif fault == "unlisted case":
        content["case_id"] = team.case_ids["RT-401"]
    elif fault == "notice to a stranger":
        notice["to_member_id"] = "0" * 32
    else:
        notice["reason"] = "ill\x1b[2J"
    forged = reseal(entries, sender=ids["lead"], recipients=[ids["a2"]], inspection_id=team.iid,
                    sequence=sequence_of(path.read_bytes()), kind=KIND_PACK)
    env.bundle("forged.hmippack").write_bytes(forged)
    before = db_digest(a2)
    with pytest.raises(UserError) as e:
        service.import_file(a2, env.bundle("forged.hmippack"))
    assert_one_line(e.value)
    assert db_digest(a2) == before


def test_the_lead_acknowledging_an_alert_leaves_the_owners_next_revision_to_apply(
        answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead, a1 = env.ws("lead"), env.ws("a1")
    case = team.case_ids["RT-101"]
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    held = lead.read_assessment(case).revision
    [alert] = lead.alerts(case)
    lead.acknowledge_alert(alert.id)  # audited, but the case's revision stays the owner's
    assert lead.read_assessment(case).revision == held
    assert lead.alerts(case)[0].acknowledged_by == NAMES["lead"]
    a1.save_item(case, "2.1.3.a", "yes")
    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))
    report = service.import_file(lead, env.bundle("a1-2.hmipb"))
    assert ("RT-101", held + 1) in report.applied and report.stale == []
    assert lead.read_assessment(case).items == a1.read_assessment(case).items
    assert lead.alerts(case)[0].acknowledged_by == NAMES["lead"]  # the lead's note is kept
