"""Every alert of an inspection as the alerts screen lists it: one plain record per alert.

Three sources, read through the core's functions: a case's alerts held here
(``consolidation.dashboard.alerts_inbox``), alerts received on their own in a member's alert
bundle ahead of their case's work (``team.alert_tracking.received_alerts``), and organisational
alerts (``team.alerts.organisational_alerts``); each with its tracking state and the steps
taken on it (``team.alert_tracking.tracked_alerts``). No Qt here: the lead's dashboard and the
deputy lead's alerts page show the same records.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.consolidation.dashboard import alerts_inbox
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import (
    STATE_LABELS,
    AlertStep,
    received_alerts,
    tracked_alerts,
)
from hmip_desktop.team.alerts import KIND_LABELS, holds_alert_authority, organisational_alerts

KIND_SHORT = {"individual": _("Individual"), "organisational": _("Organisational")}


@dataclass(frozen=True)
class AlertRow:
    alert_id: str
    kind: str
    """``individual`` (a case's) or ``organisational`` (the inspection's, for the report)."""
    on_its_own: bool
    """Received in an alert bundle; the case's work has not arrived yet."""
    case_ref: str
    """The case's reference; empty for an organisational alert."""
    member: str
    """Who holds the case, where this workspace knows; else empty."""
    what_might_happen: str
    how_serious: str
    how_imminent: str
    action_asked: str
    raised_by: str
    raised_at: str
    state: str
    steps: tuple[AlertStep, ...]
    acknowledged_by: str | None = None
    """Who acknowledged it the older way (the ``alerts --acknowledge`` command), if so."""
    acknowledged_at: str | None = None
    action_note: str | None = None
    """The action noted the older way (``alerts --note``), if any."""
    noted_by: str | None = None
    noted_at: str | None = None
    received_at: str | None = None
    next_steps: tuple[str, ...] = ()
    """The steps allowed next (advice only where the inspection's framework allows it)."""

    @property
    def acknowledged(self) -> bool:
        return self.state != "raised"

    @property
    def state_words(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def kind_words(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def kind_short(self) -> str:
        return KIND_SHORT[self.kind]

    @property
    def about(self) -> str:
        """What the alert is about, in a few words: the case, or the organisation."""
        return self.case_ref if self.kind == "individual" else _("The organisation")

    @property
    def subject(self) -> str:
        """What the alert is about, inside a sentence: 'case RT-101', 'the organisation'."""
        return (_("case {ref}").format(ref=self.case_ref) if self.kind == "individual"
                else _("the organisation"))


def alert_rows(ws: Workspace, inspection_id: str) -> list[AlertRow]:
    """Every alert of the inspection: not yet acknowledged first, then oldest first."""
    tracked = {t.alert_id: t for t in tracked_alerts(ws, inspection_id)}
    rows: list[AlertRow] = []
    for a in alerts_inbox(ws, inspection_id):
        t = tracked[a.alert_id]
        rows.append(AlertRow(
            a.alert_id, "individual", False, a.case_ref, a.member, a.what_might_happen,
            a.how_serious, a.how_imminent, a.action_asked, a.raised_by, a.raised_at, t.state,
            t.steps, a.acknowledged_by, a.acknowledged_at, a.action_note, a.noted_by,
            a.noted_at, next_steps=t.next_steps))
    for r in received_alerts(ws, inspection_id):
        t = tracked[r["id"]]
        rows.append(AlertRow(
            r["id"], "individual", True, r["case_ref"], "", r["what_might_happen"],
            r["how_serious"], r["how_imminent"], r["action_asked"], r["raised_by"],
            r["raised_at"], t.state, t.steps, received_at=r["received_at"],
            next_steps=t.next_steps))
    for o in organisational_alerts(ws, inspection_id):
        t = tracked[o.alert_id]
        rows.append(AlertRow(
            o.alert_id, "organisational", False, "", "", o.what_might_happen, o.how_serious,
            o.how_imminent, o.action_asked, o.raised_by, o.raised_at, t.state, t.steps,
            next_steps=t.next_steps))
    return sorted(rows, key=lambda r: (r.acknowledged, r.raised_at, r.alert_id))


def may_track(ws: Workspace, inspection_id: str) -> bool:
    """Whether this workspace's owner takes steps on alerts and raises organisational ones."""
    return holds_alert_authority(ws, inspection_id)


def inspections_tracked(ws: Workspace) -> list[str]:
    """The ids of this workspace's inspections whose alerts its owner tracks (lead or deputy)."""
    return [str(i["id"]) for i in ws.inspections() if holds_alert_authority(ws, str(i["id"]))]
