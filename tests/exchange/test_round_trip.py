"""The whole exchange through the API: packs out, answers back, receipts, delivery.

Each test works on a private copy of a stage built once per session (see conftest.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

import hmip_desktop.store.inspections as store_inspections
from hmip_desktop.bundles import UnknownSenderError, read_header
from hmip_desktop.exchange import contacts, packs, service
from hmip_desktop.exchange.assessments import (
    case_content,
    content_hash,
    delivered,
    export_assessments,
)
from hmip_desktop.exchange.contacts import FingerprintMismatchError
from hmip_desktop.exchange.identity import make_card
from hmip_desktop.exchange.packs import LeadFingerprintNeededError
from hmip_desktop.store.errors import NotOwnerError
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import (
    FACTS,
    NAMES,
    PASSPHRASE,
    Env,
    assert_one_line,
    digests,
    nps_bytes,
)
from tests.exchange.helpers import opened

AUDIT = "seq, at, actor, action, item, old, new, revision, hash"


def rows(ws: Workspace, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws._conn.execute(sql, params).fetchall()]


def state(ws: Workspace, case_id: str) -> tuple[str, int, dict[str, str]]:
    status, revision = ws._conn.execute(
        "SELECT status, revision FROM assessments WHERE case_id = ?", (case_id,)).fetchone()
    return status, revision, dict(rows(ws, "SELECT item, value FROM items WHERE case_id = ?",
                                       case_id))


# -- packs -----------------------------------------------------------------------------------


def test_the_first_pack_needs_the_leads_fingerprint_and_then_pins_the_lead(
        setup_env: Env) -> None:
    env, team = setup_env, setup_env.team
    pack = env.bundle("a1.hmippack")
    before = digests(env.folder("a1"))
    a1 = env.ws("a1")
    with pytest.raises(LeadFingerprintNeededError) as needed:
        service.import_file(a1, pack)
    assert needed.value.fingerprint == team.fingerprint("lead")
    assert needed.value.lead_name == NAMES["lead"]
    assert team.fingerprint("lead") in str(needed.value)
    assert_one_line(needed.value)
    with pytest.raises(FingerprintMismatchError) as wrong:
        service.import_file(a1, pack, lead_fingerprint=team.fingerprint("a2"))
    assert_one_line(wrong.value)
    env.close("a1")
    assert digests(env.folder("a1")) == before, "a refused pack wrote to the workspace"

    # Read aloud, a fingerprint may come back in lower case and without the spaces.
    spoken = team.fingerprint("lead").replace(" ", "").lower()
    report = service.import_file(env.ws("a1"), pack, lead_fingerprint=spoken)
    a1 = env.ws("a1")
    assert report.kind == "pack" and not report.already_imported
    assert any("pinned" in n for n in report.notes)
    (insp,) = a1.inspections()
    assert insp["id"] == team.iid
    assert bytes(insp["lead_key_id"]) == team.key_id("lead")
    assert a1.inspection_framework(team.iid).id == "nps-2019-20"
    assert sorted(c.case.case_ref for c in a1.list_cases(team.iid)) == ["RT-101", "RT-102"]
    assert all(c.revision == 0 and c.status == "not_started" for c in a1.list_cases())
    members = {m["name"]: m for m in a1.members(team.iid)}
    assert set(members) == {NAMES["lead"], NAMES["a1"], NAMES["qa"]}  # not the other assessor
    assert members[NAMES["a1"]]["qa_partner_id"] == team.member_ids["qa"]
    assert members[NAMES["a1"]]["office"] == "Northgate office"
    assert a1.find_case("RT-101").interview_at == "2026-11-24T09:30"
    trusted = contacts.trusted_senders(a1, team.iid)
    assert set(trusted) == {team.key_id(w) for w in ("lead", "a1", "qa")}


def test_later_packs_need_no_fingerprint_and_keep_the_members_work(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    a1, lead = env.ws("a1"), env.ws("lead")
    first = team.case_ids["RT-101"]
    a1.save_item(first, "2.1.1.a", "yes")
    kept = state(a1, first)
    new_case = lead.add_case(team.iid, case_ref="RT-150", facts=FACTS)
    lead.assign(new_case, team.member_ids["a1"])
    path = packs.make_pack(lead, team.iid, team.member_ids["a1"], env.bundle("a1-2.hmippack"))

    report = service.import_file(a1, path)
    assert not report.already_imported
    assert sorted(c.case.case_ref for c in a1.list_cases()) == ["RT-101", "RT-102", "RT-150"]
    assert state(a1, first) == kept
    assert service.import_file(a1, path).already_imported


def test_a_pack_from_another_lead_for_the_same_inspection_is_refused(
        ready_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, team = ready_env, ready_env.team
    impostor = Workspace.create(tmp_path / "impostor", PASSPHRASE, owner_name=NAMES["lead"],
                                role="lead")
    try:
        with monkeypatch.context() as m:  # the same inspection id as the real one
            m.setattr(store_inspections, "new_id", lambda: team.iid)
            iid = contacts.set_up_inspection(impostor, title="Demo Shire NPS division",
                                             organisation="Demo Shire NPS Division",
                                             framework_bytes=nps_bytes())
        assert iid == team.iid
        mid = contacts.enrol_member(impostor, iid, make_card(team.identities["a1"]),
                                    team.fingerprint("a1"), role="assessor")
        case = impostor.add_case(iid, case_ref="RT-666", facts=FACTS)
        impostor.assign(case, mid)
        path = packs.make_pack(impostor, iid, mid, env.bundle("impostor.hmippack"))
        impostor_fp = impostor.identity.public.fingerprint
    finally:
        impostor.close()

    before = digests(env.folder("a1"))
    for fingerprint in (None, impostor_fp):
        with pytest.raises(UnknownSenderError) as refused:
            service.import_file(env.ws("a1"), path, lead_fingerprint=fingerprint)
        assert_one_line(refused.value)
    env.close("a1")
    assert digests(env.folder("a1")) == before


# -- assessments to the lead and the QA partner ----------------------------------------------


def test_the_lead_gets_answers_status_alerts_history_and_provenance(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    a1, lead = env.ws("a1"), env.ws("lead")
    path = env.bundle("a1-1.hmipb")
    data = path.read_bytes()
    mine = team.cases_of("a1")

    report = service.import_file(lead, path)
    assert report.applied == [(ref, state(a1, team.case_ids[ref])[1])
                              for ref in ("RT-101", "RT-102")]
    assert not report.stale and not report.up_to_date
    assert report.receipt == env.bundle("a1-1-receipt.hmiprcpt") and report.receipt.is_file()
    for cid in mine:
        assert state(lead, cid) == state(a1, cid)
        assert lead.alerts(cid) == a1.alerts(cid)
        assert rows(lead, f"SELECT {AUDIT} FROM received_audit WHERE case_id = ?"
                    " AND origin_key_id = ? ORDER BY seq", cid, team.key_id("a1")) == \
            rows(a1, f"SELECT {AUDIT} FROM audit WHERE case_id = ? ORDER BY seq", cid)
        assert rows(lead, "SELECT sender_key_id, revision, content_hash, bundle_hash, sequence"
                    " FROM case_sources WHERE case_id = ?", cid) == [
            (team.key_id("a1"), state(a1, cid)[1], content_hash(case_content(a1, cid)),
             hashlib.sha256(data).hexdigest(), read_header(data).sequence)]
        assert [e.action for e in lead.history(cid)][-1] == "import"
    assert len(lead.alerts(mine[0])) == 1
    assert lead.alerts(mine[0])[0].what_might_happen == "Harm to a child"

    # The alerts travel first, straight after the manifest, so the lead sees them first; the
    # QA queries on the cases (none yet) come next, then (in the member's first bundle) the
    # workspace's recovery key, sealed to the lead.
    entries = opened(data, team.identities["lead"], team.identities["a1"])
    assert [name for name, _v in entries] == ["manifest.json", "alerts.json", "queries.json",
                                              "recovery.json",
                                              *(f"cases/{cid}.json" for cid in mine)]
    assert entries[2][1] == {"queries": [], "replies": []}
    assert entries[1][1] == [asdict(a) for a in a1.alerts(mine[0])]  # every alert, in full


def test_the_qa_partner_imports_the_same_bundle_and_writes_no_receipt(
        answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    a1, qa = env.ws("a1"), env.ws("qa")
    report = service.import_file(qa, env.bundle("a1-1.hmipb"))
    assert [ref for ref, _rev in report.applied] == ["RT-101", "RT-102"]
    assert report.receipt is None
    assert not list(env.bundle("").glob("*.hmiprcpt"))
    for cid in team.cases_of("a1"):
        assert state(qa, cid) == state(a1, cid)
        assert qa.alerts(cid) == a1.alerts(cid)
    # The second assessor's bundle is for the same QA partner.
    report = service.import_file(qa, env.bundle("a2-1.hmipb"))
    assert [ref for ref, _rev in report.applied] == ["RT-201", "RT-202"]


def test_a_receipt_marks_cases_delivered_until_they_change_again(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = team.cases_of("a1")
    assert not delivered(a1, first) and not delivered(a1, second)

    receipt = service.import_file(lead, env.bundle("a1-1.hmipb")).receipt
    assert receipt is not None
    report = service.import_file(a1, receipt)
    assert report.kind == "receipt"
    assert [ref for ref, _rev in report.applied] == ["RT-101", "RT-102"]
    assert delivered(a1, first) and delivered(a1, second)
    assert service.import_file(a1, receipt).already_imported

    a1.save_item(first, "2.1.2.a", "yes")
    assert not delivered(a1, first)
    assert delivered(a1, second)

    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))
    receipt = service.import_file(lead, env.bundle("a1-2.hmipb")).receipt
    assert receipt is not None
    service.import_file(a1, receipt)
    assert delivered(a1, first) and delivered(a1, second)
    assert state(lead, first) == state(a1, first)


def test_a_new_pack_is_accepted_after_a_later_numbered_receipt(answered_env: Env) -> None:
    """The lead numbers packs and receipts with one counter; the USB stick has no order."""
    env, team = answered_env, answered_env.team
    a1, lead = env.ws("a1"), env.ws("lead")
    extra = lead.add_case(team.iid, case_ref="RT-150", facts=FACTS)
    lead.assign(extra, team.member_ids["a1"])
    pack = packs.make_pack(lead, team.iid, team.member_ids["a1"], env.bundle("a1-2.hmippack"))
    receipt = service.import_file(lead, env.bundle("a1-1.hmipb")).receipt
    assert receipt is not None
    assert read_header(receipt.read_bytes()).sequence > read_header(pack.read_bytes()).sequence

    service.import_file(a1, receipt)
    report = service.import_file(a1, pack)
    assert not report.already_imported
    assert "RT-150" in {c.case.case_ref for c in a1.list_cases()}


def test_the_lead_cannot_correct_an_assessors_case_so_the_assessors_next_bundle_applies(
        answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    held = state(lead, first)
    with pytest.raises(NotOwnerError, match=f"belongs to {NAMES['a1']}"):
        lead.save_item(first, "2.1.2.a", "no")  # the case is the assessor's, not the lead's
    assert state(lead, first) == held  # nothing written
    a1.save_item(first, "2.1.3.a", "yes")
    a1.save_item(second, "2.1.3.a", "yes")
    export_assessments(a1, team.iid, env.bundle("a1-2.hmipb"))

    report = service.import_file(lead, env.bundle("a1-2.hmipb"))
    assert report.stale == []
    assert report.applied == [("RT-101", state(a1, first)[1]), ("RT-102", state(a1, second)[1])]
    assert state(lead, first) == state(a1, first)
    assert report.receipt is not None
    service.import_file(a1, report.receipt)
    assert delivered(a1, first) and delivered(a1, second)


def test_importing_the_same_bundle_twice_changes_nothing(answered_env: Env) -> None:
    env = answered_env
    path = env.bundle("a1-1.hmipb")
    first = service.import_file(env.ws("lead"), path)
    assert first.receipt is not None
    receipt_bytes = first.receipt.read_bytes()
    env.close("lead")
    before = digests(env.folder("lead"))

    again = service.import_file(env.ws("lead"), path)
    assert again.already_imported and again.receipt is None
    assert again.lines() == [f"Already imported: this bundle from {NAMES['a1']} changed nothing"]
    env.close("lead")
    assert digests(env.folder("lead")) == before
    assert first.receipt.read_bytes() == receipt_bytes
