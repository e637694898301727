"""Member cards, enrolment by fingerprint, QA partners, the case sample and allocation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.exchange import contacts
from hmip_desktop.exchange.contacts import FingerprintMismatchError
from hmip_desktop.exchange.identity import (
    CardError,
    make_card,
    new_identity,
    normalise_fingerprint,
    read_card,
)
from hmip_desktop.setup.apply import allocate_evenly, import_sample
from hmip_desktop.setup.sample_import import SampleError
from tests.exchange.conftest import NAMES, OFFICES, Env, assert_one_line, count, digests

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
HEADINGS = "case_ref,person_name,pdu,team,office,practitioner,sample,gender,sentence_type,rosh"


def write_sample(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADINGS, *rows]) + "\n", encoding="utf-8")
    return path


# -- member cards ------------------------------------------------------------------------------


def test_a_member_card_carries_name_role_and_both_keys() -> None:
    me = new_identity("Robin Quillfeather", "assessor")
    card = make_card(me)
    public = read_card(card)
    assert public == me.public
    assert public.fingerprint == me.public.fingerprint
    groups = public.fingerprint.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert normalise_fingerprint(public.fingerprint.lower().replace(" ", "")) == \
        public.fingerprint


def test_any_changed_byte_of_a_card_is_refused() -> None:
    card = make_card(new_identity("Robin Quillfeather", "assessor"))
    for at in range(len(card)):
        changed = bytearray(card)
        changed[at] ^= 0x01
        with pytest.raises(CardError) as refused:
            read_card(bytes(changed))
        assert_one_line(refused.value)
    for bad in (card[:-1], card + b"\x00", card[:40], b"", b"HMIPBNDL" + card[8:],
                card[:13] + card[13:].replace(b'"assessor"', b'"lead"    ')):
        with pytest.raises(CardError):
            read_card(bad)


# -- enrolment and QA partners ----------------------------------------------------------------


def test_enrolment_needs_the_fingerprint_read_aloud_and_writes_nothing_otherwise(
        setup_env: Env) -> None:
    env = setup_env
    newcomer = new_identity("Sam Newcomer", "assessor")
    card = make_card(newcomer)
    before = digests(env.folder("lead"))
    lead = env.ws("lead")
    with pytest.raises(FingerprintMismatchError) as wrong:
        contacts.enrol_member(lead, env.team.iid, card, env.team.fingerprint("a1"),
                              role="assessor")
    assert_one_line(wrong.value)
    assert "Sam Newcomer" in str(wrong.value)
    tampered = bytearray(card)
    tampered[30] ^= 0x01
    with pytest.raises(CardError):
        contacts.enrol_member(lead, env.team.iid, bytes(tampered), newcomer.public.fingerprint,
                              role="assessor")
    env.close("lead")
    assert digests(env.folder("lead")) == before

    lead = env.ws("lead")
    members = count(lead, "members")
    spoken = newcomer.public.fingerprint.replace(" ", "").lower()
    mid = contacts.enrol_member(lead, env.team.iid, card, spoken, role="assessor",
                                office="Westbury office")
    assert count(lead, "members") == members + 1
    again = contacts.enrol_member(lead, env.team.iid, card, spoken, role="assessor")
    assert again == mid  # once only
    assert count(lead, "members") == members + 1
    assert contacts.contact(lead, newcomer.public.key_id) == newcomer.public
    assert [e.new for e in lead.history() if e.action == "enrol"][-1] == \
        newcomer.public.fingerprint


def test_only_a_lead_sets_up_an_inspection(setup_env: Env) -> None:
    a1 = setup_env.ws("a1")
    with pytest.raises(UserError, match="only a lead"):
        contacts.set_up_inspection(a1, title="T", organisation="O", framework_bytes=b"{}")
    assert a1.inspections() == []


def test_a_qa_partner_must_be_enrolled_as_qa(setup_env: Env) -> None:
    env, team = setup_env, setup_env.team
    lead = env.ws("lead")

    def partner() -> Any:
        return {m["id"]: m for m in lead.members(team.iid)}[team.member_ids["a1"]][
            "qa_partner_id"]

    assert partner() == team.member_ids["qa"]
    audit = count(lead, "audit")
    for wrong in (team.member_ids["a2"], team.member_ids["lead"], "no-such-member"):
        with pytest.raises(UserError, match="QA role") as refused:
            contacts.set_qa_partner(lead, team.member_ids["a1"], wrong)
        assert_one_line(refused.value)
    with pytest.raises(UserError, match="no such member"):
        contacts.set_qa_partner(lead, "no-such-member", team.member_ids["qa"])
    assert partner() == team.member_ids["qa"]
    assert count(lead, "audit") == audit

    contacts.set_qa_partner(lead, team.member_ids["a1"], None)
    assert partner() is None
    last = lead.history()[-1]
    assert (last.action, last.old, last.new) == ("qa_partner", team.member_ids["qa"], None)


# -- the case sample and allocation ------------------------------------------------------------


def test_a_sample_with_one_bad_row_adds_no_case(setup_env: Env, tmp_path: Path) -> None:
    env, team = setup_env, setup_env.team
    bad = write_sample(tmp_path / "sample.csv", [
        "S-1,Alex Brindlemoor,Demo PDU,Team 1,Eastfield,Dana Gorseby,supervision,male,"
        "community,high",
        "S-2,Eden Fernsworth,Demo PDU,Team 2,Eastfield,Kit Hollowmere,supervision,female,"
        "post_custody,medium",
        "S-3,Frankie Larkspurton,Demo PDU,Team 1,Northgate,Lee Mistlebrook,supervision,male,"
        "community,enormous",
    ])
    before = digests(env.folder("lead"))
    lead = env.ws("lead")
    for path, rows in ((bad, [4]), (SAMPLES / "nps_bad_rows.csv", [3, 4, 5, 6])):
        with pytest.raises(SampleError) as refused:
            import_sample(lead, team.iid, path)
        assert_one_line(refused.value)
        assert sorted({row for row, _why in refused.value.problems}) == rows
    env.close("lead")
    assert digests(env.folder("lead")) == before

    lead = env.ws("lead")
    report = import_sample(lead, team.iid, SAMPLES / "nps_sample.csv")
    assert report.added == 4
    added = {c.case.case_ref: c.case for c in lead.list_cases(team.iid)}
    assert {"X900001", "X900002", "X900003", "X900004"} <= set(added)
    # The optional diversity facts the file has no column for are stored as not recorded.
    assert added["X900002"].facts == {"sample": "supervision", "gender": "female",
                                      "sentence_type": "post_custody", "rosh": "very_high",
                                      **dict.fromkeys(("age_band", "ethnicity_group",
                                                       "disability", "religion"),
                                                      "not_recorded")}


def test_allocation_keeps_members_off_their_own_office_and_writes_slots(
        setup_env: Env, tmp_path: Path) -> None:
    env, team = setup_env, setup_env.team
    lead = env.ws("lead")
    rows = []
    for n, (office, sample) in enumerate([
            ("Northgate office", "supervision"), ("Northgate office", "supervision"),
            ("Riverside office", "supervision"), ("Riverside office", "supervision"),
            ("Eastfield", "supervision"), ("Eastfield", "court_report")]):
        sentence = "pre_sentence" if sample == "court_report" else "community"
        rows.append(f"AL-{n},Person {n},Demo PDU,Team 1,{office},Practitioner {n},{sample},"
                    f"female,{sentence},medium")
    import_sample(lead, team.iid, write_sample(tmp_path / "sample.csv", rows))
    days = [date(2026, 11, 24), date(2026, 11, 25)]
    audit = count(lead, "audit")

    report = allocate_evenly(lead, team.iid, days, connections=[(NAMES["qa"], "AL-4")])
    assert not report.allocation.unplaced and not report.schedule.unscheduled
    offices = {team.member_ids[w]: OFFICES[w] for w in ("a1", "a2", "qa")}
    placed = lead._conn.execute(
        "SELECT c.case_ref, c.office, c.facts, a.member_id, a.interview_at,"
        " a.interview_minutes FROM cases c JOIN assignments a ON a.case_id = c.id"
        " WHERE c.case_ref LIKE 'AL-%' OR c.case_ref = 'RT-401'").fetchall()
    assert len(placed) == 7  # the six new cases and the one the set-up left unassigned
    loads: dict[str, int] = {}
    for ref, office, facts, member, at, minutes in placed:
        assert member in offices and offices[member] != office, (ref, office)
        loads[member] = loads.get(member, 0) + 1
        if json.loads(facts)["sample"] == "court_report":
            assert (at, minutes) == (None, None)  # a file read: no interview
        else:
            assert minutes == 60 and at[:10] in {d.isoformat() for d in days}
    assert {r[0]: r[3] for r in placed}["AL-4"] != team.member_ids["qa"]  # a connection
    assert max(loads.values()) - min(loads.values()) <= 1
    assert count(lead, "audit") == audit + 7 + 1  # an assign row per case, one allocate row
    assert any("→" in line for line in report.lines())

    with pytest.raises(UserError, match="already allocated"):
        allocate_evenly(lead, team.iid, days)
