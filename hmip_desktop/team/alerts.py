"""Organisational alerts, and every alert of an inspection read back by kind and state.

An organisational alert is about the inspected organisation, not one case: "identifiable,
systemic, significant and imminent risk which require immediate attention", and "the fact that
an organisational alert has been raised will be described in the published inspection report"
(Probation inspections external guidance manual §6.7; youth offending services manual §6.7).
Only the lead or a deputy lead raises one, in their own workspace; each is audited.

What the lead or a deputy then does about any alert is ``team.alert_tracking``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import inspection_held
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, new_id, now
from hmip_desktop.team.roles import member_roles
from hmip_desktop.text_rules import check_text

KINDS = ("individual", "organisational")
KIND_LABELS = {"individual": _("Individual (a case)"),
               "organisational": _("Organisational (flagged for the report)")}


@dataclass(frozen=True)
class OrganisationalAlert:
    alert_id: str
    inspection_id: str
    what_might_happen: str
    how_serious: str
    how_imminent: str
    action_asked: str
    raised_by: str
    raised_at: str


def check_inspection(ws: Workspace, inspection_id: str) -> None:
    if not inspection_held(ws, inspection_id):
        raise UserError(_("No such inspection in this workspace."))


def holds_alert_authority(ws: Workspace, inspection_id: str) -> bool:
    """Whether this workspace belongs to the inspection's lead or one of its deputy leads.

    The lead's workspace is made for the lead; a deputy is the member whose keys are this
    workspace's and who was granted the deputy role (``team.roles``).
    """
    if ws.owner_role == "lead":
        return True
    own = ws.identity.public.key_id
    for m in ws.members(inspection_id):
        key = m.get("key_id")
        if key is not None and bytes(key) == own:
            return "deputy" in member_roles(ws, inspection_id, str(m["id"]))
    return False


def require_alert_authority(ws: Workspace, inspection_id: str, what: str) -> None:
    """Refuse, in one line, anyone but the lead or a deputy lead."""
    if not holds_alert_authority(ws, inspection_id):
        raise UserError(_("Only the lead or a deputy lead can {what}.").format(what=what))


def raise_organisational_alert(ws: Workspace, inspection_id: str, *, what_might_happen: str,
                               how_serious: str, how_imminent: str,
                               action_asked: str) -> OrganisationalAlert:
    """Record an organisational alert (audited); bad input changes nothing."""
    check_inspection(ws, inspection_id)
    require_alert_authority(ws, inspection_id, _("raise an organisational alert"))
    fields = {_("what might happen"): what_might_happen, _("how serious"): how_serious,
              _("how imminent"): how_imminent, _("action asked for"): action_asked}
    for name, text in fields.items():
        if not isinstance(text, str) or not text.strip():
            raise UserError(_("An alert needs an answer to '{name}'.").format(name=name))
        check_text(text, _("The alert's '{name}'").format(name=name), multiline=True)
    alert = OrganisationalAlert(new_id(), inspection_id, what_might_happen.strip(),
                                how_serious.strip(), how_imminent.strip(), action_asked.strip(),
                                ws.owner_name, now())
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO organisational_alerts (id, inspection_id, what_might_happen,"
            " how_serious, how_imminent, action_asked, raised_by, raised_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (alert.alert_id, inspection_id, alert.what_might_happen, alert.how_serious,
             alert.how_imminent, alert.action_asked, alert.raised_by, alert.raised_at))
        ws.record(None, "organisational_alert", f"alert:{alert.alert_id}", None,
                  json.dumps([alert.what_might_happen, alert.how_serious, alert.how_imminent,
                              alert.action_asked]))
    return alert


def organisational_alerts(ws: Workspace, inspection_id: str) -> list[OrganisationalAlert]:
    """The inspection's organisational alerts, oldest first."""
    check_inspection(ws, inspection_id)
    rows = connection(ws).execute(
        "SELECT id, inspection_id, what_might_happen, how_serious, how_imminent, action_asked,"
        " raised_by, raised_at FROM organisational_alerts WHERE inspection_id = ?"
        " ORDER BY raised_at, id", (inspection_id,)).fetchall()
    return [OrganisationalAlert(*r) for r in rows]
