"""Alert bundles: one alert, on its own, to the deputy lead(s) and the lead, straight away.

An alert is about "significant and imminent risk" (Probation inspections external guidance
manual §6.7): it cannot wait for the assessor's next bundle of cases. ``export_alert`` seals the
alert alone for the inspection's lead and every member holding the deputy role, the moment it
is raised; ``import_alert`` takes it in at their machines, where it is tracked
(``team.alert_tracking``). The case's alert still travels, as before, in the assessor's next
assessments bundle; the two share the alert's id, so it is tracked once.

An alert bundle from anyone not a member of the inspection is refused before anything is
decrypted or written (``open_sealed`` with the inspection's trusted senders).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.assessment.items import MAX_TEXT
from hmip_desktop.bundles import KIND_ALERT, Header
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
from hmip_desktop.store.reads import case_members, lead_key_id
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.team.roles import members_holding

ENTRY = "alert.json"
FIELDS = ("id", "case_id", "case_ref", "what_might_happen", "how_serious", "how_imminent",
          "action_asked", "raised_by", "raised_at")


def alert_recipients(ws: Workspace, inspection_id: str) -> list[bytes]:
    """Key ids of the inspection's lead and deputy lead(s), this workspace's own left out."""
    keys: list[bytes] = []
    lead = lead_key_id(ws, inspection_id)
    if lead is not None:
        keys.append(lead)
    deputies = set(members_holding(ws, inspection_id, "deputy"))
    for m in ws.members(inspection_id):
        if m["id"] in deputies and m.get("key_id") is not None:
            keys.append(bytes(m["key_id"]))
    own = ws.identity.public.key_id
    return [k for k in dict.fromkeys(keys) if k != own]


def raiser_keys(ws: Workspace, alert_id: str) -> list[bytes]:
    """Key ids of the member who raised a case's alert, as this workspace knows them.

    The key that sent its alert bundle, if one came; the member of the inspection by the name
    the alert was raised under; failing both, the member the case is allocated to.
    """
    conn = connection(ws)
    row = conn.execute(
        "SELECT r.inspection_id, r.sender_key_id, r.raised_by, r.case_id FROM received_alerts r"
        " WHERE r.id = ? UNION ALL SELECT c.inspection_id, NULL, al.raised_by, al.case_id"
        " FROM alerts al JOIN cases c ON c.id = al.case_id WHERE al.id = ?",
        (alert_id, alert_id)).fetchone()
    if row is None:
        return []
    iid, sent_by, raised_by, case_id = row
    keys = [bytes(sent_by)] if sent_by is not None else []
    members = ws.members(str(iid))
    keys += [bytes(m["key_id"]) for m in members
             if m["name"] == raised_by and m.get("key_id") is not None]
    if not keys:
        owners = {mid for cid, mid, _n in case_members(ws, str(iid)) if cid == case_id}
        keys += [bytes(m["key_id"]) for m in members
                 if m["id"] in owners and m.get("key_id") is not None]
    return list(dict.fromkeys(keys))


def export_alert(ws: Workspace, alert_id: str, out: Path) -> Path:
    """Seal one alert of a case for the lead and the deputy lead(s), written atomically."""
    row = connection(ws).execute(
        "SELECT al.id, al.case_id, c.case_ref, al.what_might_happen, al.how_serious,"
        " al.how_imminent, al.action_asked, al.raised_by, al.raised_at, c.inspection_id"
        " FROM alerts al JOIN cases c ON c.id = al.case_id WHERE al.id = ?",
        (alert_id,)).fetchone()
    if row is None:
        raise UserError(_("No such alert in this workspace."))
    alert, inspection_id = dict(zip(FIELDS, row[:-1], strict=True)), str(row[-1])
    me = my_member(ws, inspection_id)
    recipients = alert_recipients(ws, inspection_id)
    if not recipients:
        raise UserError(_("this inspection has no lead or deputy lead to send the alert to: "
                          "import the lead's pack first"))
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, "alert", inspection_id, 0, member_id=me["id"])),
        (ENTRY, alert)]
    return seal_for(ws, KIND_ALERT, "alert", inspection_id, recipients, entries, out,
                    _("an alert on case {ref}").format(ref=alert["case_ref"]))


def _checked(value: Any) -> dict[str, str]:
    if (not isinstance(value, dict) or set(value) != set(FIELDS)
            or not all(isinstance(v, str) and 0 < len(v) <= MAX_TEXT for v in value.values())):
        raise PayloadError(_("the bundle's alert is not valid"))
    return value


def import_alert(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in an alert bundle from a member; refused (nothing written) from anyone else."""
    plaintext = open_from_member(ws, data, header, KIND_ALERT)
    sender = member_by_key(ws, header.inspection_id, header.sender_key_id)
    if sender is None:
        raise UserError(_("refused: the alert bundle is not from a member of this inspection"))
    if seen_before(ws, data):
        return ImportReport("alert", header.inspection_id, sender["name"], header.sequence,
                            already_imported=True)
    check_sequence(ws, header, sender["name"], "alert")
    _m, by_name = read_payload(plaintext, header, "alert", lambda _m: [Entry(ENTRY)])
    alert = _checked(by_name[ENTRY])
    report = ImportReport("alert", header.inspection_id, sender["name"], header.sequence)
    report.notes.append(_("an alert on case {ref}: {what}").format(
        ref=alert["case_ref"], what=alert["what_might_happen"]))
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO received_alerts (id, inspection_id, case_id, case_ref,"
            " what_might_happen, how_serious, how_imminent, action_asked, raised_by, raised_at,"
            " sender_key_id, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (id) DO NOTHING",
            (alert["id"], header.inspection_id, alert["case_id"], alert["case_ref"],
             alert["what_might_happen"], alert["how_serious"], alert["how_imminent"],
             alert["action_asked"], alert["raised_by"], alert["raised_at"],
             header.sender_key_id, now()))
        log(ws, "in", "alert", data, header.sender_key_id, header.inspection_id,
            header.sequence, report.notes[0])
        ws.record(None, "import_alert", f"alert:{alert['id']}", None, alert["case_ref"])
    return report
