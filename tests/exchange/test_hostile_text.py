"""Text from another member that could disguise itself on a terminal or a screen is refused.

A member card, a pack, an assessment bundle or a QA bundle is signed by a member this
workspace trusts, but what it says is that member's (or their app's) to write: an escape
sequence that clears the screen, a newline that fakes a row, a direction override that
reorders what a reader sees. Each is refused at import, whole, with one line naming the field,
and nothing is written. So is a card that claims a role the lead did not enrol it in.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import KIND_PACK, KIND_QA
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import assessments, contacts, service
from hmip_desktop.exchange.identity import (
    CardError,
    PrivateIdentity,
    make_card,
    new_identity,
    read_card,
)
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import PASSPHRASE, Env, assert_one_line, count, digests
from tests.exchange.helpers import (
    case_entry,
    db_digest,
    opened,
    rechain,
    refresh_manifest,
    reseal,
)

Entries = list[tuple[str, Any]]
CLEAR_AND_FAKE_A_ROW = "Sam Newcomer\x1b[2J\n00000000000000000000000000000000  lead      Fake Lead"


def resigned(identity: PrivateIdentity, **changes: str) -> bytes:
    """The member's own card with its name or role changed, signed again with their real key
    (a card is self-signed: whoever holds the key can write anything in it)."""
    public = dataclasses.replace(identity.public, **changes)
    return make_card(PrivateIdentity(public, identity.sign_private, identity.kem_private))


# -- member cards ------------------------------------------------------------------------------


def test_a_card_whose_name_clears_the_screen_is_refused_and_nothing_is_enrolled(
        setup_env: Env) -> None:
    env = setup_env
    newcomer = new_identity("Sam Newcomer", "assessor")
    card = resigned(newcomer, name=CLEAR_AND_FAKE_A_ROW)
    with pytest.raises(CardError, match=r"name contains a control character \(U\+001B\)") as e:
        read_card(card)
    assert_one_line(e.value)
    env.close()
    before = digests(env.folder("lead"))
    lead = env.ws("lead")
    with pytest.raises(CardError, match="name"):
        contacts.enrol_member(lead, env.team.iid, card, newcomer.public.fingerprint,
                              role="assessor")
    env.close()
    assert digests(env.folder("lead")) == before


@pytest.mark.parametrize("name", ["Sam\u202eremoF weN", "Sam\u2028Newcomer", "Sam\x9b2J",
                                  "Sam\tNewcomer"])
def test_a_card_name_with_a_direction_override_separator_or_c1_control_is_refused(
        name: str) -> None:
    with pytest.raises(CardError) as e:
        read_card(resigned(new_identity("Sam Newcomer", "assessor"), name=name))
    assert_one_line(e.value)
    assert "name" in str(e.value)


def test_a_card_resigned_to_claim_lead_does_not_become_a_lead(setup_env: Env) -> None:
    env = setup_env
    newcomer = new_identity("Sam Newcomer", "assessor")
    claims_lead = resigned(newcomer, role="lead")
    assert read_card(claims_lead).role == "lead"  # the signature holds: the claim is its own
    lead = env.ws("lead")
    members = count(lead, "members")
    with pytest.raises(contacts.RoleMismatchError, match="card says lead inspector, not "
                       "assessor") as e:
        contacts.enrol_member(lead, env.team.iid, claims_lead, newcomer.public.fingerprint,
                              role="assessor")
    assert_one_line(e.value)
    with pytest.raises(contacts.RoleMismatchError, match="assessor or a QA inspector"):
        contacts.enrol_member(lead, env.team.iid, claims_lead, newcomer.public.fingerprint,
                              role="lead")
    assert count(lead, "members") == members
    assert [m["name"] for m in lead.members(env.team.iid) if m["role"] == "lead"] == \
        ["Jules Pennyfold"]
    assert contacts.contact(lead, newcomer.public.key_id) is None


def test_the_role_the_lead_chooses_is_the_role_enrolled(setup_env: Env) -> None:
    env = setup_env
    newcomer = new_identity("Sam Newcomer", "qa")
    lead = env.ws("lead")
    with pytest.raises(contacts.RoleMismatchError, match="card says QA inspector, not "
                       "assessor"):
        contacts.enrol_member(lead, env.team.iid, make_card(newcomer),
                              newcomer.public.fingerprint, role="assessor")
    mid = contacts.enrol_member(lead, env.team.iid, make_card(newcomer),
                                newcomer.public.fingerprint, role="qa")
    assert next(m for m in lead.members(env.team.iid) if m["id"] == mid)["role"] == "qa"


def test_the_lead_cannot_type_a_control_character_into_an_office(setup_env: Env) -> None:
    env = setup_env
    newcomer = new_identity("Sam Newcomer", "assessor")
    lead = env.ws("lead")
    members = count(lead, "members")
    with pytest.raises(UserError, match=r"office contains a line break") as e:
        contacts.enrol_member(lead, env.team.iid, make_card(newcomer),
                              newcomer.public.fingerprint, role="assessor",
                              office="Northgate\nlead Fake Lead")
    assert_one_line(e.value)
    assert count(lead, "members") == members


# -- bundles -----------------------------------------------------------------------------------


def a1_bundle(change: Callable[[Entries, str], None]) -> Callable[[Env], tuple[str, bytes]]:
    """Assessor 1's bundle 1, changed, with the hashes an honest app would compute."""
    def build(env: Env) -> tuple[str, bytes]:
        ids = env.team.identities
        entries = opened(env.bundle("a1-1.hmipb").read_bytes(), ids["lead"], ids["a1"])
        first = env.team.cases_of("a1")[0]
        change(entries, first)
        rechain(case_entry(entries, first))
        refresh_manifest(entries)
        return "lead", reseal(entries, sender=ids["a1"], recipients=[ids["lead"], ids["qa"]],
                              inspection_id=env.team.iid, sequence=50)
    return build


def lead_pack(change: Callable[[Entries], None]) -> Callable[[Env], tuple[str, bytes]]:
    """The lead's pack for assessor 1, changed and sealed with the lead's pinned key."""
    def build(env: Env) -> tuple[str, bytes]:
        ids = env.team.identities
        entries = opened(env.bundle("a1.hmippack").read_bytes(), ids["a1"], ids["lead"])
        change(entries)
        return "a1", reseal(entries, sender=ids["lead"], recipients=[ids["a1"]],
                            inspection_id=env.team.iid, sequence=50, kind=KIND_PACK)
    return build


def qa_bundle(change: Callable[[dict[str, Any]], None]) -> Callable[[Env], tuple[str, bytes]]:
    """A QA bundle for assessor 1 holding one query, changed and sealed by the QA partner."""
    def build(env: Env) -> tuple[str, bytes]:
        qa, ids = env.ws("qa"), env.team.identities
        service.import_file(qa, env.bundle("a1-1.hmipb"))
        raise_query(qa, env.team.cases_of("a1")[0], "case", "Was the interview in person?")
        path = export_qa(qa, env.team.iid, env.team.member_ids["a1"], env.bundle("qa.hmipb"))
        entries = copy.deepcopy(opened(path.read_bytes(), ids["a1"], ids["qa"]))
        change(entries[1][1])
        return "a1", reseal(entries, sender=ids["qa"], recipients=[ids["a1"], ids["lead"]],
                            inspection_id=env.team.iid, sequence=60, kind=KIND_QA)
    return build


def _note(text: str) -> Callable[[Entries, str], None]:
    def change(entries: Entries, first: str) -> None:
        case_entry(entries, first)["items"]["note:2.1.1"] = text
    return change


def _alert(field: str, text: str) -> Callable[[Entries, str], None]:
    def change(entries: Entries, first: str) -> None:
        case_entry(entries, first)["alerts"][0][field] = text
        next(a for a in dict(entries)["alerts.json"] if a["case_id"] == first)[field] = text
    return change


def _audit_actor(entries: Entries, first: str) -> None:
    case_entry(entries, first)["audit"][1]["actor"] = "Robin\x1b[8m"


def _pack_case(field: str, text: str) -> Callable[[Entries], None]:
    def change(entries: Entries) -> None:
        dict(entries)["cases.json"][0][field] = text
    return change


def _pack_title(entries: Entries) -> None:
    dict(entries)["inspection.json"]["title"] = "Demo\x1b]0;owned\x07"


def _query(field: str, text: str) -> Callable[[dict[str, Any]], None]:
    def change(records: dict[str, Any]) -> None:
        records["queries"][0][field] = text
    return change


def _reply(records: dict[str, Any]) -> None:
    q = records["queries"][0]
    records["replies"] = [{"id": "b" * 32, "query_id": q["id"], "author": q["raised_by"],
                           "at": q["raised_at"], "text": "Fine.\u202e.enif"}]


# name → (make the bundle, the message it is refused with)
HOSTILE: dict[str, tuple[Callable[[Env], tuple[str, bytes]], str]] = {
    "a note with a direction override": (
        a1_bundle(_note("The plan names the risks.\u202eksir on")),
        r"case RT-101: evidence note for 2\.1\.1 contains a character that reverses the "
        r"direction of text \(U\+202E\)"),
    "a note that clears the screen": (
        a1_bundle(_note("Fine.\x1b[2J")), r"evidence note for 2\.1\.1 contains a control "),
    "a note with an isolate": (a1_bundle(_note("Fine \u2066x\u2069")), r"U\+2066"),
    "an alert text with a C1 control": (
        a1_bundle(_alert("what_might_happen", "Harm\x9b2J")),
        r"case RT-101, an alert: what might happen contains a control character \(U\+009B\)"),
    "an alert raised by a name with a newline": (
        a1_bundle(_alert("raised_by", "Robin\nlead Fake Lead")),
        r"who raised it contains a line break"),
    "an audit actor with an escape": (a1_bundle(_audit_actor),
                                      r"case RT-101, its history: a name contains"),
    "a pack case whose practitioner clears the screen": (
        lead_pack(_pack_case("practitioner", "Kit\x1b[2J")),
        r"case RT-101 in the pack: the practitioner contains a control character"),
    "a pack case whose reference holds a newline": (
        lead_pack(_pack_case("case_ref", "RT-101\nRT-999")),
        r"case 1 in the pack: its reference contains a line break"),
    "a pack whose inspection title sets the window title": (
        lead_pack(_pack_title), r"the pack's inspection: the title contains a control"),
    "a query that clears the screen": (
        qa_bundle(_query("text", "Was the interview in person?\x1b[2J\nlead Fake Lead")),
        r"case RT-101, a query: its text contains a control character \(U\+001B\)"),
    "a query raised by a name with a direction override": (
        qa_bundle(_query("raised_by", "Morgan\u202e")), r"a query: who raised it contains"),
    "a reply with a direction override": (qa_bundle(_reply),
                                          r"case RT-101, a reply: its text contains"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_text_in_a_bundle_is_refused_with_one_line_and_nothing_written(
        answered_env: Env, case: str) -> None:
    env = answered_env
    make, message = HOSTILE[case]
    who, data = make(env)
    ws = env.ws(who)
    path = env.bundle("hostile.bin")
    path.write_bytes(data)
    before = db_digest(ws)
    with pytest.raises(PayloadError, match=message) as e:
        service.import_file(ws, path)
    assert_one_line(e.value)
    assert db_digest(ws) == before, "a refused bundle wrote to the workspace"


ASSESSMENT_BUNDLE_CASES = [name for name in HOSTILE if name.startswith(("a note", "an a"))]


@pytest.mark.parametrize("case", ASSESSMENT_BUNDLE_CASES, ids=ASSESSMENT_BUNDLE_CASES)
def test_hostile_text_is_refused_from_a_bundle_decoded_a_case_at_a_time(
        answered_env: Env, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusals when a large bundle's cases are decoded one at a time."""
    monkeypatch.setattr(assessments, "DECODE_AT_ONCE_BYTES", 0)
    make, message = HOSTILE[case]
    who, data = make(answered_env)
    ws = answered_env.ws(who)
    path = answered_env.bundle("hostile.bin")
    path.write_bytes(data)
    before = db_digest(ws)
    with pytest.raises(PayloadError, match=message) as e:
        service.import_file(ws, path)
    assert_one_line(e.value)
    assert db_digest(ws) == before, "a refused bundle wrote to the workspace"


def test_multi_line_text_keeps_its_newlines_and_tabs(answered_env: Env) -> None:
    """The rule refuses what disguises text, not ordinary paragraphs."""
    env = answered_env
    make = a1_bundle(_note("First paragraph.\n\n\tSecond, indented."))
    _who, data = make(env)
    path = env.bundle("paragraphs.hmipb")
    path.write_bytes(data)
    lead = env.ws("lead")
    service.import_file(lead, path)
    first = env.team.cases_of("a1")[0]
    assert lead.read_assessment(first).items["note:2.1.1"] == \
        "First paragraph.\n\n\tSecond, indented."


def test_the_lead_cannot_type_what_a_pack_would_be_refused_for(setup_env: Env) -> None:
    """Case details and interview times travel in packs: the lead's workspace refuses them
    when they are typed, rather than write a pack every member refuses."""
    env = setup_env
    lead = env.ws("lead")
    cases = count(lead, "cases")
    with pytest.raises(UserError, match=r"the practitioner contains a control character") as e:
        lead.add_case(env.team.iid, case_ref="RT-999", practitioner="Kit\x1b[2J",
                      facts={"sample": "supervision", "gender": "female",
                             "sentence_type": "community", "rosh": "high"})
    assert_one_line(e.value)
    assert count(lead, "cases") == cases
    first = env.team.cases_of("a1")[0]
    held = lead._conn.execute("SELECT interview_at FROM assignments WHERE case_id = ?",
                             (first,)).fetchone()
    with pytest.raises(UserError, match=r"the interview time contains a line break"):
        lead.assign(first, env.team.member_ids["a1"], interview_at="2026-11-24T09:30\nlate")
    assert lead._conn.execute("SELECT interview_at FROM assignments WHERE case_id = ?",
                             (first,)).fetchone() == held


def test_an_owner_name_or_alert_text_that_would_be_refused_elsewhere_is_refused_here(
        ready_env: Env, tmp_path: Path) -> None:
    """The owner's name goes on their card and every record they write; an alert's texts go to
    the lead: both are refused when typed, so no bundle of theirs is refused later."""
    folder = tmp_path / "new"
    with pytest.raises(UserError, match=r"owner's name contains a control character"):
        Workspace.create(folder, PASSPHRASE, owner_name="Robin\x1b[2J", role="assessor")
    assert not folder.exists()
    a1 = ready_env.ws("a1")
    first = ready_env.team.cases_of("a1")[0]
    with pytest.raises(UserError, match=r"the alert's 'how serious' contains a character "
                       "that reverses"):
        a1.raise_alert(first, what_might_happen="Harm to a child", how_serious="Serious\u202e",
                       how_imminent="Within days", action_asked="Tell the manager")
    assert a1.alerts(first) == []
