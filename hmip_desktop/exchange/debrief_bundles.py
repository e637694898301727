"""Debrief bundles: the supporting inspector's feedback on their local assessors, to the lead.

The inspector who supports a local assessor through the week "provides feedback to the lead
inspector about the overall performance of the local assessor" (Probation inspections external
guidance manual §3.10). They write it on their own laptop (``debrief.write_debrief``);
``export_debrief`` seals what they wrote on the assessors they partner for the inspection's lead
alone, so no assessor, nor anyone else, can open it; ``import_debrief`` takes it in at the
lead's, into ``debriefs`` under the supporting inspector's name with the time it was written,
one audit row per assessor.

Refused in one line, with nothing written: a debrief bundle from anyone not a member, from a
member who is not a supporting inspector, or about an assessor the sender does not partner
(the lead's own pairing decides, not the bundle); a replayed or older bundle; anything
malformed. A later bundle from the same inspector replaces what their earlier one said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.bundles import KIND_DEBRIEF, Header
from hmip_desktop.debrief import FIELDS, MAX_TEXT, debriefs
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.common import (
    ImportReport,
    check_sequence,
    log,
    manifest,
    open_from_member,
    read_payload,
    seal_for,
    seen_before,
)
from hmip_desktop.exchange.contacts import member_by_key, my_member
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import lead_key_id
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import text_fault

ENTRY = "debriefs.json"
KEYS = ("member_id", *(k for k, _label in FIELDS), "written_at")
MAX_DEBRIEFS = 100


class DebriefBundleError(UserError):
    """A debrief bundle that cannot be written or taken in; nothing is changed."""


def export_debrief(ws: Workspace, inspection_id: str, out: Path) -> Path:
    """Seal this supporting inspector's debriefs for the inspection's lead, written atomically.

    Every debrief written here on an assessor they partner goes, each as last saved.
    """
    if ws.owner_role != "qa":
        raise DebriefBundleError(_("a debrief bundle is sent by the supporting inspector, from "
                                   "their own workspace"))
    me = my_member(ws, inspection_id)
    lead = lead_key_id(ws, inspection_id)
    if lead is None:
        raise DebriefBundleError(_("this inspection has no lead to send the debrief to: import "
                                   "the lead's pack first"))
    mine = [d for d in debriefs(ws, inspection_id) if d.author == ws.owner_name]
    if not mine:
        raise DebriefBundleError(_("no debrief written yet: write one on an assessor you "
                                   "support first"))
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "debrief", inspection_id, 0, member_id=me["id"])),
        (ENTRY, [{k: getattr(d, k) for k in KEYS} for d in mine])]
    names = ", ".join(d.assessor for d in mine)
    return seal_for(ws, KIND_DEBRIEF, "debrief", inspection_id, [lead], entries, out,
                    _("the debrief on {names}").format(names=names))


def _checked(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not 0 < len(value) <= MAX_DEBRIEFS:
        raise PayloadError(_("the bundle's debrief is not valid"))
    for d in value:
        if (not isinstance(d, dict) or set(d) != set(KEYS)
                or not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in d.values())
                or not d["member_id"] or not d["written_at"]
                or text_fault(d["member_id"]) or text_fault(d["written_at"])
                or any(text_fault(d[k], multiline=True) for k, _label in FIELDS)):
            raise PayloadError(_("the bundle's debrief is not valid"))
    if len({d["member_id"] for d in value}) != len(value):
        raise PayloadError(_("the bundle's debrief names an assessor twice"))
    return value


def import_debrief(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in a supporting inspector's debrief bundle at the lead's."""
    if ws.owner_role != "lead":
        raise DebriefBundleError(_("refused: a debrief bundle is for the lead's workspace"))
    plaintext = open_from_member(ws, data, header, KIND_DEBRIEF)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    if sender is None:
        raise DebriefBundleError(_("refused: the debrief bundle is not from a member of this "
                                   "inspection"))
    if seen_before(ws, data):
        return ImportReport("debrief", header.inspection_id, sender["name"], header.sequence,
                            already_imported=True)
    check_sequence(ws, header, sender["name"], "debrief")
    _m, by_name = read_payload(plaintext, header, "debrief", lambda _m: [Entry(ENTRY)])
    given = _checked(by_name[ENTRY])
    members = {m["id"]: m for m in ws.members(header.inspection_id)}
    for d in given:
        assessor = members.get(d["member_id"])
        if assessor is None or assessor["role"] != "assessor":
            raise DebriefBundleError(_("refused: the debrief bundle is about someone who is not "
                                       "an assessor on this inspection"))
        if sender["role"] != "qa" or assessor["qa_partner_id"] != sender["id"]:
            raise DebriefBundleError(_("refused: {sender} is not {assessor}'s supporting "
                                       "inspector, so cannot send their debrief").format(
                sender=sender["name"], assessor=assessor["name"]))
    report = ImportReport("debrief", header.inspection_id, sender["name"], header.sequence)
    report.notes.append(_("the debrief on {names}").format(
        names=", ".join(members[d["member_id"]]["name"] for d in given)))
    conn = connection(ws)
    with ws.transaction():
        for d in given:
            before = conn.execute(
                "SELECT written_at FROM debriefs WHERE member_id = ? AND author = ?",
                (d["member_id"], sender["name"])).fetchone()
            conn.execute(
                "INSERT INTO debriefs (inspection_id, member_id, author, author_role,"
                " observation, qa_meetings, overall, written_at) VALUES (?,?,?,?,?,?,?,?)"
                " ON CONFLICT (member_id, author) DO UPDATE SET"
                " observation = excluded.observation, qa_meetings = excluded.qa_meetings,"
                " overall = excluded.overall, written_at = excluded.written_at",
                (header.inspection_id, d["member_id"], sender["name"], "qa", d["observation"],
                 d["qa_meetings"], d["overall"], d["written_at"]))
            ws.record(None, "import_debrief", d["member_id"], before[0] if before else None,
                      _("{author}, written {when}").format(author=sender["name"],
                                                           when=d["written_at"]))
        log(ws, "in", "debrief", data, header.sender_key_id, header.inspection_id,
            header.sequence, report.notes[0])
    return report
