"""Alert-state bundles: an alert's steps, from the lead or a deputy lead, back to the team.

"Through the individual alert process we are seeking assurance, confirmed by evidence, that
actions have been taken" (Probation inspections external guidance manual §6.7): the inspector
who raised the alert needs to see that it is in hand. After any tracking step the lead or a
deputy lead writes a small bundle holding the alert's id and its steps (step, who, when, note),
sealed for the member who raised it, the lead and the other deputy leads (the sender left out).

At the member who raised the alert the steps are kept as the state received
(``alert_state_steps``) and shown with the alert; at the lead or another deputy they join the
tracking (``alert_steps``) under the same id, each step once, in order
(``team.alert_tracking.merge_received_steps``).

Refused with one line and nothing written: a bundle from anyone not a member of the inspection;
from a member who is neither the lead nor a deputy lead; about an alert this workspace does not
hold. A replayed or older state, after a newer one from the same sender, is ignored with a note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.assessment.items import MAX_TEXT
from hmip_desktop.bundles import KIND_ALERT_STATE, Header
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.alert_bundles import alert_recipients, raiser_keys
from hmip_desktop.exchange.common import (
    ImportReport,
    latest_sequence,
    log,
    manifest,
    open_from_member,
    read_payload,
    seal_for,
    seen_before,
)
from hmip_desktop.exchange.contacts import member_by_key, my_member
from hmip_desktop.exchange.incoming_text import check_fields
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import lead_key_id
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import (
    STATE_LABELS,
    STEPS,
    AlertStep,
    check_step_chain,
    find_alert,
    merge_received_steps,
    tracked_alert,
)
from hmip_desktop.team.alerts import require_alert_authority
from hmip_desktop.team.roles import member_roles

ENTRY = "alert_state.json"
KIND = "alert_state"
STEP_FIELDS = ("step", "note", "taken_by", "taken_at")


def export_alert_state(ws: Workspace, alert_id: str, out: Path) -> Path:
    """Seal an alert's steps for the member who raised it, the lead and the deputy lead(s)."""
    kind, iid, _case_id = find_alert(ws, alert_id)
    require_alert_authority(ws, iid, _("send an alert's state"))
    if kind != "individual":
        raise UserError(_("An organisational alert stays with the lead and the deputy leads: "
                          "its state is not sent."))
    alert = tracked_alert(ws, alert_id)
    if not alert.steps:
        raise UserError(_("No step has been taken on this alert yet: acknowledge it first."))
    own = ws.identity.public.key_id
    recipients = [k for k in dict.fromkeys([*raiser_keys(ws, alert_id),
                                            *alert_recipients(ws, iid)]) if k != own]
    if not recipients:
        raise UserError(_("no one else in this inspection is known here to send the alert's "
                          "state to"))
    me = my_member(ws, iid)
    entries: list[tuple[str, Any]] = [
        ("manifest.json", manifest(ws, KIND, iid, 0, member_id=me["id"])),
        (ENTRY, {"alert_id": alert_id,
                 "steps": [{k: getattr(s, k) for k in STEP_FIELDS} for s in alert.steps]})]
    return seal_for(ws, KIND_ALERT_STATE, KIND, iid, recipients, entries, out,
                    _("the state of an alert: {state}").format(state=alert.state_words))


def _checked(value: Any) -> tuple[str, list[AlertStep]]:
    bad = PayloadError(_("the bundle's alert state is not valid"))
    if (not isinstance(value, dict) or set(value) != {"alert_id", "steps"}
            or not isinstance(value["alert_id"], str) or not 0 < len(value["alert_id"]) <= 64
            or not isinstance(value["steps"], list) or not 0 < len(value["steps"]) <= len(STEPS)):
        raise bad
    steps = []
    for s in value["steps"]:
        if (not isinstance(s, dict) or set(s) != set(STEP_FIELDS)
                or not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in s.values())
                or s["step"] not in STEPS or not s["taken_by"] or not s["taken_at"]):
            raise bad
        check_fields(_("the alert's state"), s,
                     {"taken_by": _("a name"), "taken_at": _("a time")},
                     {"note": _("a note")})
        steps.append(AlertStep(value["alert_id"], s["step"], s["note"], s["taken_by"],
                               s["taken_at"]))
    if not check_step_chain(steps):
        raise bad
    return value["alert_id"], steps


def _sends_state(ws: Workspace, iid: str, member: dict[str, Any]) -> bool:
    """Whether the member is the inspection's lead or holds the deputy lead role here."""
    if member.get("key_id") is not None and bytes(member["key_id"]) == lead_key_id(ws, iid):
        return True
    return bool({"lead", "deputy"} & member_roles(ws, iid, str(member["id"])))


def import_alert_state(ws: Workspace, data: bytes, header: Header) -> ImportReport:
    """Take in an alert's state from the lead or a deputy lead; anyone else is refused."""
    plaintext = open_from_member(ws, data, header, KIND_ALERT_STATE)
    iid = header.inspection_id
    sender = member_by_key(ws, iid, header.sender_key_id)
    if sender is None:
        raise UserError(_("refused: the alert-state bundle is not from a member of this "
                          "inspection"))
    if not _sends_state(ws, iid, sender):
        raise UserError(_("refused: {name} is neither the lead nor a deputy lead, so cannot "
                          "change an alert's state").format(name=sender["name"]))
    report = ImportReport(KIND, iid, sender["name"], header.sequence)
    if seen_before(ws, data):
        report.already_imported = True
        return report
    _m, by_name = read_payload(plaintext, header, KIND, lambda _m: [Entry(ENTRY)])
    alert_id, steps = _checked(by_name[ENTRY])
    try:
        _kind, alert_iid, _case = find_alert(ws, alert_id)
    except UserError:
        raise UserError(_("refused: the alert-state bundle is about an alert this workspace "
                          "does not hold")) from None
    if alert_iid != iid:
        raise UserError(_("refused: the alert-state bundle is about an alert this workspace "
                          "does not hold"))
    latest = latest_sequence(ws, header, KIND, alert_id)
    if latest is not None and header.sequence <= latest:
        report.notes.append(_("ignored: an older state of this alert from {name}; the newer "
                              "one already imported stands").format(name=sender["name"]))
        report.ignored_older = True
        return report
    with ws.transaction():
        added, follows = merge_received_steps(ws, alert_id, steps, header.sender_key_id,
                                              _("state from {name}").format(name=sender["name"]))
        state = tracked_alert(ws, alert_id)
        report.notes.append(_("the alert is now '{state}'").format(state=state.state_words))
        report.notes += [_("{step}: {who}").format(step=STATE_LABELS[s.step], who=s.taken_by)
                         for s in added]
        if not added:
            report.notes.append(_("no new step to add"))
        if not follows:
            report.notes.append(_("a step received does not follow the steps held here and "
                                  "was not added"))
        log(ws, "in", KIND, data, header.sender_key_id, iid, header.sequence,
            report.notes[0], subject=alert_id)
    return report
