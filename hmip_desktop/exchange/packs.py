"""Assignment packs (lead → member): the inspection, its framework, the member's cases.

On a member's first pack of an inspection the lead's fingerprint must be confirmed (read
aloud at training); the lead's key is then pinned and every later pack must carry it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hmip_desktop.bundles import KIND_PACK, KIND_TRAINING_PACK, Header, open_sealed
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import pack_editions, pack_reassign, pack_resolved, pack_second
from hmip_desktop.exchange.common import (
    ImportReport,
    b64,
    check_sequence,
    hexid,
    log,
    manifest,
    read_payload,
    seal_for,
    seen_before,
    unb64,
)
from hmip_desktop.exchange.contacts import (
    FingerprintMismatchError,
    add_contact,
    contact_card,
    role_name,
    trusted_senders,
)
from hmip_desktop.exchange.identity import normalise_fingerprint, read_card
from hmip_desktop.exchange.incoming_text import (
    check_pack_case,
    check_pack_inspection,
    check_pack_member,
)
from hmip_desktop.exchange.pack_editions import FrameworkChangeError
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.frameworks.loader import FrameworkError, load_framework_bytes
from hmip_desktop.i18n import _
from hmip_desktop.store.inspections import LANGUAGE_CODES
from hmip_desktop.store.reads import framework_bytes, is_training, lead_key_id
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.team.roles import (
    EXTRA_ROLES,
    extra_roles,
    members_holding,
    set_roles_from_pack,
)

_CASE_FIELDS = ("id", "case_ref", "person_name", "pdu", "team", "office", "practitioner",
                "prison", "report_type")
_MEMBER_ROLES = ("assessor", "qa", "lead")
# Every entry of a pack after its manifest, in order; a pack holds these and nothing else.
PACK_ENTRIES = ("inspection.json", "framework.json", "members.json", "cases.json")
# (then the optional entries of pack_reassign, pack_resolved, pack_editions and pack_second)


class LeadFingerprintNeededError(UserError):
    """The first pack of an inspection: the lead's fingerprint must be confirmed first."""

    def __init__(self, message: str, lead_name: str, fingerprint: str) -> None:
        super().__init__(message)
        self.lead_name = lead_name
        self.fingerprint = fingerprint


__all__ = ["FrameworkChangeError", "LeadFingerprintNeededError", "import_pack", "make_pack"]


def make_pack(ws: Workspace, inspection_id: str, member_id: str, out: Path) -> Path:
    """Write the pack for one member: the inspection, framework, their cases and contacts."""
    insp = next((i for i in ws.inspections() if i["id"] == inspection_id), None)
    if insp is None:
        raise UserError(_("no inspection {id!r} in this workspace").format(id=inspection_id))
    members = {m["id"]: m for m in ws.members(inspection_id)}
    member = members.get(member_id)
    if member is None or member["key_id"] is None:
        raise UserError(_("that member is not enrolled (no member card) in this inspection"))
    wanted = {member_id}
    lead_key = bytes(insp["lead_key_id"]) if insp["lead_key_id"] else None
    wanted |= {m["id"] for m in members.values() if m["key_id"] is not None and (
        (lead_key is not None and bytes(m["key_id"]) == lead_key)
        or m["id"] == member["qa_partner_id"]
        or (member["role"] == "qa" and m["qa_partner_id"] == member_id))}
    wanted |= _alert_contacts(ws, inspection_id, member_id, members)
    case_members = {member_id} | {m["id"] for m in members.values()
                                  if member["role"] == "qa" and m["qa_partner_id"] == member_id}
    cases = []
    for c in dict_rows(ws,
            "SELECT c.*, a.member_id, a.interview_at, a.interview_minutes FROM cases c"
            " JOIN assignments a ON a.case_id = c.id WHERE c.inspection_id = ?"
            " ORDER BY a.interview_at, c.case_ref", [inspection_id]):
        if c["member_id"] in case_members:
            cases.append({**{k: c[k] for k in _CASE_FIELDS}, "facts": json.loads(c["facts"]),
                          "language": c["language"],
                          "assignment": {"member_id": c["member_id"],
                                         "interview_at": c["interview_at"],
                                         "interview_minutes": c["interview_minutes"]}})
    own_ids = [c["id"] for c in cases]
    seconds, second_entry = pack_second.pack_cases(ws, inspection_id, member_id)
    cases += [c for c in seconds if c["id"] not in own_ids]
    extra, new_owners = pack_reassign.pack_entries(ws, inspection_id, case_members, own_ids)
    wanted |= {mid for mid in new_owners if mid in members}  # the notices name them
    carried = {c["case_id"] for name, value in extra if name == pack_reassign.RECEIVED
               for c in value}
    resolved = pack_resolved.pack_entry(ws, own_ids, carried)
    if resolved:
        extra.append((pack_resolved.RESOLVED, resolved))
    fw = ws.inspection_framework(inspection_id)
    moves = pack_editions.pack_entry(ws, own_ids, fw.hash)
    if moves:
        extra.append((pack_editions.MOVES, moves))
    if second_entry:
        extra.append((pack_second.SECOND, second_entry))
    raw = framework_bytes(ws, fw.hash)
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "pack", inspection_id, 0, recipient=member_id)),
        ("inspection.json", {k: insp[k] for k in (
            "id", "title", "organisation", "framework_id", "framework_version", "framework_hash",
            "fieldwork_start", "fieldwork_end")}),
        ("framework.json", json.loads(bytes(raw).decode("utf-8"))),
        ("members.json", [
            {"id": m["id"], "name": m["name"], "role": m["role"], "office": m["office"],
             "qa_partner_id": m["qa_partner_id"], "key_id": hexid(bytes(m["key_id"])),
             "card": b64(contact_card(ws, bytes(m["key_id"]))),
             "roles": list(extra_roles(ws, mid))}
            for mid, m in members.items() if mid in wanted]),
        ("cases.json", cases),
        *extra,
    ]
    return seal_for(ws, KIND_PACK, "pack", inspection_id, [bytes(member["key_id"])], entries,
                    out, _("pack for {name}: {n} cases").format(name=member["name"],
                                                                n=len(cases)))


def _alert_contacts(ws: Workspace, inspection_id: str, member_id: str,
                    members: dict[str, Any]) -> set[str]:
    """Who else a member's pack names so that alerts can travel (000_ §6.7).

    Every deputy lead, whose key an alert bundle is sealed to; and, in a deputy lead's own
    pack, the whole team, any of whom may raise an alert that the deputy must verify and
    answer with its state.
    """
    deputies = set(members_holding(ws, inspection_id, "deputy"))
    everyone = member_id in deputies
    return {mid for mid, m in members.items()
            if m["key_id"] is not None and (everyone or mid in deputies)}


def import_pack(ws: Workspace, data: bytes, header: Header,
                lead_fingerprint: str | None, *, confirm_edition: bool = False,
                training: bool = False) -> ImportReport:
    """Import a pack; one bringing the next edition of the framework needs ``confirm_edition``.

    Without it such a pack is refused with ``EditionConfirmationNeededError``, which carries
    what would change for each case, and nothing is written (exchange/pack_editions.py).
    ``training``: a training pack (exchange/training_packs.py), which makes or refreshes a
    training inspection and carries only the pack's own entries.
    """
    kind = "training_pack" if training else "pack"
    held = is_training(ws, header.inspection_id)
    if held is not None and held != training:
        raise UserError(_("refused: this is a training pack, and the inspection it names is a "
                          "real inspection here: training work never counts as real")
                        if training else
                        _("refused: this pack is real inspection work, and the inspection it "
                          "names is a training event here: training work and real work never "
                          "mix"))
    pinned = lead_key_id(ws, header.inspection_id)
    first_time = pinned is None
    me = ws.identity
    if first_time:
        # Trust on first use, confirmed out of band: the signature is checked with the key the
        # pack names; the fingerprint of that key must then match the one read aloud.
        def provisional(kid: bytes) -> Ed25519PublicKey | None:
            if kid == header.sender_key_id:
                return Ed25519PublicKey.from_public_bytes(header.sender_sign_pub)
            return None
        trusted: Any = provisional
    else:
        trusted = trusted_senders(ws, header.inspection_id)
        if pinned != header.sender_key_id:
            trusted = {}
    _h, plaintext = open_sealed(data, my_key_id=me.public.key_id,
                                my_private_key=me.receiving_key(), trusted_senders=trusted,
                                expected_kind=KIND_TRAINING_PACK if training else KIND_PACK)
    m, by_name = read_payload(plaintext, header, kind, lambda _m: [
        *(Entry(name) for name in PACK_ENTRIES), *(() if training else (
            *pack_reassign.ENTRIES, *pack_resolved.ENTRIES, *pack_editions.ENTRIES,
            *pack_second.ENTRIES))])
    members = _members(by_name["members.json"])
    lead = next((x for x in members if x["key_id"] == header.sender_key_id), None)
    if lead is None or lead["card"].sign_public != header.sender_sign_pub:
        raise PayloadError(_("the pack does not carry its sender's member card"))
    if first_time:
        if lead_fingerprint is None:
            raise LeadFingerprintNeededError(_(
                "first pack of this inspection, from {name}: confirm the lead's fingerprint "
                "{fp} (read it aloud with them), then import again with it").format(
                    name=lead["card"].name, fp=lead["card"].fingerprint),
                lead["card"].name, lead["card"].fingerprint)
        if normalise_fingerprint(lead_fingerprint) != lead["card"].fingerprint:
            raise FingerprintMismatchError(_(
                "the lead's fingerprint does not match this pack: do not use it, and tell "
                "the lead"))
    elif seen_before(ws, data):
        return ImportReport(kind, header.inspection_id, lead["card"].name, header.sequence,
                            already_imported=True)
    else:
        check_sequence(ws, header, lead["card"].name, kind)
    mine = next((x for x in members if x["key_id"] == me.public.key_id), None)
    if mine is None or m.get("recipient") != mine["id"]:
        raise PayloadError(_("the pack is not made out to you"))
    insp = by_name["inspection.json"]
    fw_json = by_name["framework.json"]
    try:
        fw = load_framework_bytes(json.dumps(fw_json).encode("utf-8"), "pack framework")
    except FrameworkError as e:
        raise PayloadError(_("the pack's framework is not valid: {e}").format(e=e)) from None
    if not isinstance(insp, dict) or fw.hash != insp.get("framework_hash") or \
            insp.get("id") != header.inspection_id:
        raise PayloadError(_("the pack's framework does not match its inspection"))
    held_edition = pack_editions.edition_step(ws, header.inspection_id, fw)
    if not all(insp.get(k) is None or isinstance(insp[k], str)
               for k in ("title", "organisation", "fieldwork_start", "fieldwork_end")):
        raise PayloadError(_("the pack's inspection details are not valid"))
    check_pack_inspection(insp)
    cases = _cases(by_name["cases.json"], fw, {x["id"] for x in members})
    _check_no_clash(ws, header.inspection_id, members, cases)
    notices = pack_reassign.check_notices(ws, header.inspection_id,
                                          by_name.get(pack_reassign.NOTICES),
                                          {x["id"] for x in members})
    refs = {c["id"]: c["case_ref"] for c in cases}
    received = pack_reassign.check_received(fw, by_name.get(pack_reassign.RECEIVED), refs)
    resolved = pack_resolved.check_resolved(fw, by_name.get(pack_resolved.RESOLVED), refs)
    move_complete = pack_editions.check_moves(by_name.get(pack_editions.MOVES), fw, refs)
    seconds = pack_second.check_entry(by_name.get(pack_second.SECOND), refs, mine["id"],
                                      {c["id"]: c["assignment"]["member_id"] for c in cases})
    moving = held_edition is not None or any(
        p.moves for p in ws.preview_move(header.inspection_id, fw, move_complete=move_complete,
                                         counts=False))
    if moving and not confirm_edition:
        raise pack_editions.confirmation_needed(
            ws, header.inspection_id, held_edition or fw, fw, move_complete)
    report = ImportReport(kind, header.inspection_id, lead["card"].name, header.sequence)
    with ws.transaction():
        fw_bytes = json.dumps(fw_json, ensure_ascii=False).encode("utf-8")
        connection(ws).execute(
            "INSERT OR IGNORE INTO frameworks (hash, id, version, content, came_from,"
            " from_name, received_at) VALUES (?,?,?,?,'pack',?,?)",
            (fw.hash, fw.id, fw.version, fw_bytes, lead["card"].name, now()))
        for x in members:
            add_contact(ws, x["card"], x["card_bytes"],
                        _("pack from {lead}").format(lead=lead["card"].name))
        connection(ws).execute(
            "INSERT INTO inspections (id, title, organisation, framework_id, framework_version,"
            " framework_hash, fieldwork_start, fieldwork_end, created_at, lead_key_id, training)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET title=excluded.title,"
            " organisation=excluded.organisation, fieldwork_start=excluded.fieldwork_start,"
            " fieldwork_end=excluded.fieldwork_end",
            (insp["id"], str(insp.get("title", "")), str(insp.get("organisation", "")), fw.id,
             fw.version, fw.hash, insp.get("fieldwork_start"), insp.get("fieldwork_end"), now(),
             header.sender_key_id, int(training)))
        if held_edition is not None:
            ws.set_inspection_framework(header.inspection_id, fw)
        for x in members:
            connection(ws).execute(
                "INSERT INTO members (id, inspection_id, name, role, office, key_id)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET name=excluded.name,"
                " role=excluded.role, office=excluded.office, key_id=excluded.key_id",
                (x["id"], header.inspection_id, x["card"].name, x["role"], x["office"],
                 x["key_id"]))
        for x in members:
            if x["roles"] is not None and set_roles_from_pack(
                    ws, x["id"], x["roles"], _("pack from {lead}").format(
                        lead=lead["card"].name)):
                report.notes.append(_("{name}: roles now {roles}").format(
                    name=x["card"].name, roles=_roles_words(x["role"], x["roles"])))
        for x in members:  # partners after every member row exists
            connection(ws).execute("UPDATE members SET qa_partner_id = ? WHERE id = ?",
                                   (x["qa_partner_id"] if x["qa_partner_id"] in
                             {y["id"] for y in members} else None, x["id"]))
        for c in cases:
            new = connection(ws).execute(
                    "SELECT 1 FROM cases WHERE id = ?", (c["id"],)).fetchone() \
                is None
            connection(ws).execute(
                "INSERT INTO cases (id, inspection_id, case_ref, person_name, pdu, team, office,"
                " practitioner, prison, report_type, facts, language)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (id) DO UPDATE SET case_ref=excluded.case_ref,"
                " person_name=excluded.person_name, pdu=excluded.pdu, team=excluded.team,"
                " office=excluded.office, practitioner=excluded.practitioner,"
                " prison=excluded.prison, report_type=excluded.report_type,"
                " facts=excluded.facts, language=excluded.language",
                (*(c[k] for k in _CASE_FIELDS[:1]), header.inspection_id,
                 *(c[k] for k in _CASE_FIELDS[1:]), json.dumps(c["facts"], sort_keys=True),
                 c.get("language", "en")))
            if new:
                connection(ws).execute("INSERT INTO assessments (case_id) VALUES (?)", (c["id"],))
            a = c["assignment"]
            connection(ws).execute(
                "INSERT INTO assignments (case_id, member_id, interview_at, interview_minutes)"
                " VALUES (?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET"
                " member_id=excluded.member_id, interview_at=excluded.interview_at,"
                " interview_minutes=excluded.interview_minutes",
                (c["id"], a["member_id"], a.get("interview_at"), a.get("interview_minutes")))
            ws.record(c["id"], "pack", "case", None, c["case_ref"])
        report.notes.append(_("{n} case(s) assigned: {refs}").format(
            n=len(cases), refs=", ".join(c["case_ref"] for c in cases) or "-"))
        report.notes.extend(pack_reassign.apply(ws, notices, received, header.sender_key_id,
                                                refs))
        report.notes.extend(pack_resolved.apply(ws, resolved, header.sender_key_id, refs))
        report.notes.extend(pack_second.apply(ws, seconds, mine["id"], lead["card"].name,
                                              refs))
        log(ws, "in", kind, data, header.sender_key_id, header.inspection_id,
            header.sequence, f"{len(cases)} cases")
    if first_time:
        report.notes.append(_("the lead's key is now pinned for this inspection"))
    if moving:  # after the pack's own transaction: each case its own
        report.notes.extend(pack_editions.move_lines(ws.move_cases(
            header.inspection_id, fw, move_complete=move_complete)))
    return report


def _check_no_clash(ws: Workspace, inspection_id: str, members: list[dict[str, Any]],
                    cases: list[dict[str, Any]]) -> None:
    """Every member and case id is new or already this inspection's, each reference once."""
    for table, rows in (("members", members), ("cases", cases)):
        ids = [x["id"] for x in rows]
        if len(set(ids)) != len(ids) or any(
                row[0] != inspection_id for row in connection(ws).execute(
                    f"SELECT inspection_id FROM {table} WHERE id IN"
                    f" ({','.join('?' * len(ids))})", ids)):
            raise PayloadError(_("the pack's {what} do not match this workspace's").format(
                what=_("members") if table == "members" else _("cases")))
    refs = {c["case_ref"]: c["id"] for c in cases}
    if len(refs) != len(cases) or any(
            refs.get(ref, cid) != cid for cid, ref in connection(ws).execute(
                "SELECT id, case_ref FROM cases WHERE inspection_id = ?", (inspection_id,))):
        raise PayloadError(_("the pack's case references clash with cases held here"))


def _members(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value or len(value) > 500:
        raise PayloadError(_("the pack's member list is not valid"))
    out = []
    for x in value:
        if not isinstance(x, dict) or x.get("role") not in _MEMBER_ROLES or not (
                x.get("qa_partner_id") is None or isinstance(x["qa_partner_id"], str)):
            raise PayloadError(_("the pack's member list is not valid"))
        card_bytes = unb64(x.get("card"), "member card")
        card = read_card(card_bytes)
        check_pack_member(x, card.name)
        if x.get("key_id") != hexid(card.key_id) or not isinstance(x.get("id"), str):
            raise PayloadError(_("a member card in the pack does not match its entry"))
        roles = x.get("roles")  # absent from packs written before roles travelled
        if roles is not None and (not isinstance(roles, list) or len(roles) != len(set(roles))
                                  or not all(r in EXTRA_ROLES for r in roles)):
            raise PayloadError(_("the pack's member list is not valid"))
        out.append({"id": x["id"], "role": x["role"], "office": str(x.get("office") or ""),
                    "qa_partner_id": x.get("qa_partner_id"), "key_id": card.key_id,
                    "card": card, "card_bytes": card_bytes,
                    "roles": None if roles is None else tuple(roles)})
    return out


def _roles_words(own: str, extra: tuple[str, ...]) -> str:
    return ", ".join(role_name(r) for r in (own, *extra))


def _cases(value: Any, fw: Any, member_ids: set[str]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > 2000:
        raise PayloadError(_("the pack's case list is not valid"))
    out = []
    for n, c in enumerate(value):
        check_pack_case(c, n)
        if not isinstance(c, dict) or not all(isinstance(c.get(k), str) for k in _CASE_FIELDS):
            raise PayloadError(_("a case in the pack is not valid"))
        facts = c.get("facts")
        if not isinstance(facts, dict) or any(
                k not in fw.fields_by_id or fw.fields_by_id[k].kind != "fact"
                or v not in fw.fields_by_id[k].values for k, v in facts.items()):
            raise PayloadError(_("case {ref} in the pack has facts its framework does not "
                                 "allow").format(ref=c["case_ref"]))
        if c.get("language", "en") not in LANGUAGE_CODES:  # a pack from before: English
            raise PayloadError(_("case {ref} in the pack has a language that is not English "
                                 "or Welsh").format(ref=c["case_ref"]))
        a = c.get("assignment")
        if not isinstance(a, dict) or not isinstance(a.get("member_id"), str) \
                or a["member_id"] not in member_ids:
            raise PayloadError(_("case {ref} in the pack is assigned to no member of it")
                               .format(ref=c["case_ref"]))
        minutes = a.get("interview_minutes")
        if not (a.get("interview_at") is None or isinstance(a["interview_at"], str)) or not (
                minutes is None or (isinstance(minutes, int) and not isinstance(minutes, bool)
                                    and 0 < minutes <= 24 * 60)):
            raise PayloadError(_("case {ref} in the pack has an interview time that is not "
                                 "valid").format(ref=c["case_ref"]))
        out.append(c)
    return out
