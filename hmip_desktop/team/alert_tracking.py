"""Tracking an alert at the lead's or a deputy lead's machine, step by step, to closed.

"Through the individual alert process we are seeking assurance, confirmed by evidence, that
actions have been taken" (Probation inspections external guidance manual §6.7). Each alert,
individual or organisational, goes: raised → acknowledged → assurance sought → evidence of
action received → closed, each step once, in that order, with who took it, when and a note.
An alert judged below the alert threshold is recorded instead as advice, needing no follow-up
(Dynamic inspection of public protection guidance manual §6.7: "no feedback is required"),
only where the inspection's framework allows it (its ``alerts`` section): the probation and youth
manuals describe no such advice, so there "advice" is refused in one line.

Only the lead or a deputy lead takes a step (``team.alerts.require_alert_authority``); anyone
else is refused in one line and nothing is written. A case's alert acknowledged the older way
(``Workspace.acknowledge_alert``, the ``alerts --acknowledge`` command) counts as acknowledged.
An alert received on its own in an alert bundle (``exchange.alert_bundles``) is tracked the same
way, under the same id, before and after its case's bundle arrives.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.team.alerts import (
    KINDS,
    check_inspection,
    holds_alert_authority,
    require_alert_authority,
)
from hmip_desktop.text_rules import check_text

STEPS = ("acknowledged", "assurance", "evidence", "closed", "advice")
STATES = ("raised", *STEPS)
STATE_LABELS = {
    "raised": _("Raised, not yet acknowledged"),
    "acknowledged": _("Acknowledged"),
    "assurance": _("Assurance sought"),
    "evidence": _("Evidence of action received"),
    "closed": _("Closed"),
    "advice": _("Advice below the alert threshold: no follow-up needed"),
}
NEXT = {"raised": ("acknowledged", "advice"), "acknowledged": ("assurance", "advice"),
        "assurance": ("evidence",), "evidence": ("closed",), "closed": (), "advice": ()}
"""The steps each state allows next, where the framework allows advice."""
NOTE_NEEDED = ("assurance", "evidence", "closed", "advice")
MAX_NOTE = 4000


@dataclass(frozen=True)
class AlertStep:
    alert_id: str
    step: str
    note: str
    taken_by: str
    taken_at: str

    @property
    def words(self) -> str:
        return STATE_LABELS[self.step]


@dataclass(frozen=True)
class TrackedAlert:
    alert_id: str
    kind: str
    inspection_id: str
    case_id: str | None
    state: str
    steps: tuple[AlertStep, ...]
    next_steps: tuple[str, ...] = ()
    """The steps allowed next, as the inspection's framework allows them."""

    @property
    def state_words(self) -> str:
        return STATE_LABELS[self.state]


def find_alert(ws: Workspace, alert_id: str) -> tuple[str, str, str | None]:
    """(kind, inspection id, case id or None) of an alert held here; refused if none is."""
    kind, iid, case_id, _acknowledged = _find(ws, alert_id)
    return kind, iid, case_id


def _find(ws: Workspace, alert_id: str) -> tuple[str, str, str | None, bool]:
    """(kind, inspection id, case id or None, acknowledged the older way) of an alert."""
    conn = connection(ws)
    row = conn.execute(
        "SELECT c.inspection_id, al.case_id, al.acknowledged_at IS NOT NULL FROM alerts al"
        " JOIN cases c ON c.id = al.case_id WHERE al.id = ?", (alert_id,)).fetchone()
    if row is not None:
        return "individual", str(row[0]), str(row[1]), bool(row[2])
    row = conn.execute("SELECT inspection_id FROM received_alerts WHERE id = ?",
                       (alert_id,)).fetchone()
    if row is not None:  # received on its own, ahead of the case's bundle
        return "individual", str(row[0]), None, False
    row = conn.execute("SELECT inspection_id FROM organisational_alerts WHERE id = ?",
                       (alert_id,)).fetchone()
    if row is None:
        raise UserError(_("No such alert in this workspace."))
    return "organisational", str(row[0]), None, False


def _steps(ws: Workspace, alert_id: str) -> tuple[AlertStep, ...]:
    """The steps taken here, and those received back in alert-state bundles (one per step)."""
    conn = connection(ws)
    rows = conn.execute(
        "SELECT alert_id, step, note, taken_by, taken_at FROM alert_steps WHERE alert_id = ?",
        (alert_id,)).fetchall()
    rows += conn.execute(
        "SELECT alert_id, step, note, taken_by, taken_at FROM alert_state_steps r"
        " WHERE alert_id = ? AND NOT EXISTS (SELECT 1 FROM alert_steps s"
        " WHERE s.alert_id = r.alert_id AND s.step = r.step)", (alert_id,)).fetchall()
    return tuple(sorted((AlertStep(*r) for r in rows), key=lambda s: STEPS.index(s.step)))


def _state(steps: tuple[AlertStep, ...], acknowledged: bool) -> str:
    if steps:
        return steps[-1].step
    return "acknowledged" if acknowledged else "raised"


def advice_allowed(ws: Workspace, inspection_id: str) -> bool:
    """Whether an alert of the inspection may be recorded as advice below the threshold.

    The framework's ``alerts`` section says; only the DIPP manual §6.7 describes such advice.
    """
    return ws.inspection_framework(inspection_id).alerts.advice_below_threshold


def next_steps(state: str, advice: bool) -> tuple[str, ...]:
    """The steps a state allows next; "advice" only where the framework allows it."""
    return tuple(s for s in NEXT[state] if advice or s != "advice")


def tracked_alert(ws: Workspace, alert_id: str, *, advice: bool | None = None) -> TrackedAlert:
    """One alert's kind, state, steps taken and steps allowed next."""
    kind, iid, case_id, acknowledged = _find(ws, alert_id)
    steps = _steps(ws, alert_id)
    state = _state(steps, acknowledged)
    if advice is None:
        advice = advice_allowed(ws, iid)
    return TrackedAlert(alert_id, kind, iid, case_id, state, steps, next_steps(state, advice))


def tracked_alerts(ws: Workspace, inspection_id: str) -> list[TrackedAlert]:
    """Every alert of the inspection, individual then organisational, oldest first."""
    check_inspection(ws, inspection_id)
    conn = connection(ws)
    ids = [str(r[0]) for r in conn.execute(
        "SELECT al.id FROM alerts al JOIN cases c ON c.id = al.case_id"
        " WHERE c.inspection_id = ? ORDER BY al.raised_at, al.id", (inspection_id,))]
    ids += [str(r[0]) for r in conn.execute(
        "SELECT id FROM received_alerts r WHERE inspection_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.id = r.id)"
        " ORDER BY raised_at, id", (inspection_id,))]
    ids += [str(r[0]) for r in conn.execute(
        "SELECT id FROM organisational_alerts WHERE inspection_id = ?"
        " ORDER BY raised_at, id", (inspection_id,))]
    advice = advice_allowed(ws, inspection_id)
    return [tracked_alert(ws, i, advice=advice) for i in ids]


def received_alerts(ws: Workspace, inspection_id: str) -> list[dict[str, str]]:
    """Alerts received in alert bundles whose case bundle has not come yet, oldest first."""
    check_inspection(ws, inspection_id)
    cur = connection(ws).execute(
        "SELECT id, case_ref, what_might_happen, how_serious, how_imminent, action_asked,"
        " raised_by, raised_at, received_at FROM received_alerts r WHERE inspection_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.id = r.id)"
        " ORDER BY raised_at, id", (inspection_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def take_step(ws: Workspace, alert_id: str, step: str, note: str = "") -> AlertStep:
    """Record the next step on an alert (audited); bad input or another's hand writes nothing."""
    if step not in STEPS:
        raise UserError(_("Unknown step: an alert is acknowledged, assurance is sought, "
                          "evidence of action is received, it is closed, or it is advice."))
    kind, iid, case_id, acknowledged = _find(ws, alert_id)
    require_alert_authority(ws, iid, _("change an alert's state"))
    if step == "advice" and not advice_allowed(ws, iid):
        raise UserError(_("This inspection's manual gives no advice below the alert threshold: "
                          "track the alert to closed instead."))
    note = note.strip() if isinstance(note, str) else ""
    if step in NOTE_NEEDED and not note:
        raise UserError(_("'{step}' needs a note of what was done or received.").format(
            step=STATE_LABELS[step]))
    check_text(note, _("The note"), multiline=True)
    if len(note) > MAX_NOTE:
        raise UserError(_("The note is longer than {n} characters.").format(n=MAX_NOTE))
    taken = AlertStep(alert_id, step, note, ws.owner_name, now())
    with ws.transaction():
        state = _state(_steps(ws, alert_id), acknowledged)
        if step not in NEXT[state]:
            raise UserError(_("This alert is '{state}': it cannot be marked '{step}' now.")
                            .format(state=STATE_LABELS[state], step=STATE_LABELS[step]))
        conn = connection(ws)
        conn.execute("INSERT INTO alert_steps (alert_id, step, note, taken_by, taken_at)"
                     " VALUES (?,?,?,?,?)", astuple(taken))
        if step == "acknowledged" and kind == "individual":
            conn.execute("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?"
                         " WHERE id = ? AND acknowledged_at IS NULL",
                         (taken.taken_by, taken.taken_at, alert_id))
        ws.record(case_id, "alert_step", f"alert:{alert_id}", state, step
                  + (f": {note}" if note else ""))
    return taken


def check_step_chain(steps: list[AlertStep]) -> bool:
    """Whether the steps are ones an alert can have taken, in order, each once."""
    state = "raised"
    for n, s in enumerate(steps):
        allowed = NEXT[state] + (NEXT["acknowledged"] if n == 0 else ())
        if s.step not in allowed:
            return False
        state = s.step
    return True


def merge_received_steps(ws: Workspace, alert_id: str, steps: list[AlertStep],
                         sender_key_id: bytes, source: str) -> tuple[list[AlertStep], bool]:
    """Add the steps an alert-state bundle brought that are not held here, in order.

    Call inside the import's transaction. At the lead's or a deputy lead's machine they join
    the tracking (``alert_steps``), so the next step follows them; at any other member's (the
    one who raised the alert) they are kept as the state received (``alert_state_steps``).
    A step held already is not added twice. Returns the steps added, and False when a received
    step does not follow the steps held here (that step and the rest are left out).
    """
    kind, iid, _case_id, acknowledged = _find(ws, alert_id)
    tracking = holds_alert_authority(ws, iid)
    held = _steps(ws, alert_id)
    held_names = {x.step for x in held} | ({"acknowledged"} if acknowledged else set())
    state = _state(held, acknowledged)
    conn = connection(ws)
    added: list[AlertStep] = []
    for step in steps:
        if step.step in held_names:
            continue
        if step.step not in NEXT[state]:
            return added, False
        if tracking:
            conn.execute("INSERT INTO alert_steps (alert_id, step, note, taken_by, taken_at)"
                         " VALUES (?,?,?,?,?)", astuple(step))
            if step.step == "acknowledged" and kind == "individual":
                conn.execute("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?"
                             " WHERE id = ? AND acknowledged_at IS NULL",
                             (step.taken_by, step.taken_at, alert_id))
        else:
            conn.execute(
                "INSERT INTO alert_state_steps (alert_id, step, note, taken_by, taken_at,"
                " sender_key_id, received_at) VALUES (?,?,?,?,?,?,?)",
                (*astuple(step), sender_key_id, now()))
        ws.record(None, "alert_step_received", f"alert:{alert_id}", state,
                  f"{step.step} by {step.taken_by} ({source})")
        state = step.step
        held_names.add(step.step)
        added.append(step)
    return added, True


def alerts_by_kind_and_state(ws: Workspace, inspection_id: str) -> list[tuple[str, str, int]]:
    """(kind, state, how many) for every kind and state that has alerts, in a fixed order.

    For the alerts inbox, the panel summary and the workbook: it carries no personal details.
    """
    counts: dict[tuple[str, str], int] = {}
    for a in tracked_alerts(ws, inspection_id):
        counts[a.kind, a.state] = counts.get((a.kind, a.state), 0) + 1
    return [(k, s, counts[k, s]) for k in KINDS for s in STATES if (k, s) in counts]
