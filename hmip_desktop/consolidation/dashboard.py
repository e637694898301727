"""The lead's inspection dashboard: where every case stands, and the alerts inbox.

Per member and case: the revision the lead holds from a bundle (``case_sources``), the
revision a QA sign-off names when it is newer knowledge, the QA state (``signoffs``,
``queries``), whether a receipt went back, and open alerts. The inbox lists the inspection's
alerts, those not yet acknowledged first, each with the lead's note of the action taken
(``alert_actions``).

Revisions are for the machine. The lead reads three things per case, worded here once for the
screen and the ``dashboard`` command alike (``received_words``, ``waiting_for_words``,
``signed_off_words``): when the latest work arrived and whether it is the latest the member
holds, what the lead is still waiting for from that member, and whether QA signed it off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hmip_desktop.assessment.items import MAX_TEXT
from hmip_desktop.consolidation.records import (
    ConsolidationError,
    check_inspection,
    require_lead,
)
from hmip_desktop.exchange.identity import fingerprint
from hmip_desktop.i18n import _
from hmip_desktop.member_labels import member_labels
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now

QA_STATES = ("signed_off", "signed_off_newer", "lapsed", "queried", "none")

WAITING_FOR = ("your_choice", "first_bundle", "newer_bundle", "completion", "qa_answer",
               "qa_again", "qa_signoff", "nothing")
"""What the lead still expects for a case, most pressing first (``DashboardRow.waiting_for``)."""

WAITING_FOR_LABELS = {
    "your_choice": _("Your choice between two versions"),
    "first_bundle": _("A first bundle from the member"),
    "newer_bundle": _("A newer bundle: QA signed off later work"),
    "completion": _("The case marked complete"),
    "qa_answer": _("QA sign-off, once the open query is answered"),
    "qa_again": _("QA sign-off again: the case changed since"),
    "qa_signoff": _("QA sign-off"),
    "nothing": _("Nothing"),
}

SIGNED_OFF_LABELS = {
    "signed_off": _("Yes"),
    "signed_off_newer": _("Yes, on later work not received yet"),
    "lapsed": _("No: changed since it was signed off"),
    "queried": _("No: a query is open"),
    "none": _("No"),
}


def _when(at: str | None) -> str:
    """An ISO timestamp as a person reads it: '2026-11-24 09:30'."""
    day, _sep, time = (at or "").partition("T")
    return f"{day} {time[:5]}".strip()


@dataclass(frozen=True)
class DashboardRow:
    member_id: str | None
    member: str
    """The assigned member's name, told apart by member id where two members share it
    (``member_labels``); '' for a case not allocated."""
    case_id: str
    case_ref: str
    status: str
    """The assessor's status as last received (``not_started``, ``in_progress``, ``complete``)."""
    revision: int
    """The revision this workspace holds."""
    revision_received: int | None
    """The revision applied from the member's latest bundle (None: nothing received yet)."""
    revision_expected: int | None
    """A newer revision known to exist (a QA sign-off names it), else None."""
    qa_state: str
    """``signed_off`` (at the revision held), ``signed_off_newer`` (at a newer revision the lead
    has not received yet), ``lapsed`` (at an older revision: the case changed since),
    ``queried`` (a query is open), or ``none``."""
    delivered: bool
    """The case reached the lead in a bundle."""
    receipt_sent: bool
    """A receipt went back to the sender after the latest bundle was applied."""
    open_alerts: int
    """Alerts on the case not yet acknowledged (no step taken), counting once each one held
    here and one received on its own in an alert bundle ahead of the case's work."""
    sender_fingerprint: str | None = None
    in_conflict: bool = False
    """A bundle brought another version of the case that the lead has not yet chosen between
    (``exchange/conflicts.py``): nothing of it is applied until then."""
    received_at: str | None = None
    """When the member's latest bundle was applied here (None: nothing received yet)."""

    @property
    def qa_signed_off(self) -> bool:
        return self.qa_state == "signed_off"

    @property
    def behind(self) -> bool:
        """A newer revision exists than the one received."""
        return (self.revision_expected or 0) > (self.revision_received or 0)

    @property
    def waiting_for(self) -> str:
        """What the lead still expects for this case (one of ``WAITING_FOR``)."""
        if self.in_conflict:
            return "your_choice"
        if not self.delivered:
            return "first_bundle"
        if self.behind:
            return "newer_bundle"
        if self.status not in ("complete", "queried", "signed_off"):
            return "completion"
        return {"signed_off": "nothing", "queried": "qa_answer",
                "lapsed": "qa_again"}.get(self.qa_state, "qa_signoff")

    @property
    def received_words(self) -> str:
        """When the latest work arrived, and whether it is the latest the member holds."""
        if not self.delivered:
            return _("Nothing yet")
        at = _when(self.received_at)
        if self.in_conflict:
            return _("{at}, and another version since").format(at=at)
        if self.behind:
            return _("{at}, not the latest: QA signed off later work").format(at=at)
        return _("{at}, the latest known").format(at=at)

    @property
    def waiting_for_words(self) -> str:
        return WAITING_FOR_LABELS[self.waiting_for]

    @property
    def signed_off_words(self) -> str:
        return SIGNED_OFF_LABELS.get(self.qa_state, self.qa_state)


@dataclass(frozen=True)
class InboxAlert:
    alert_id: str
    case_id: str
    case_ref: str
    member: str
    what_might_happen: str
    how_serious: str
    how_imminent: str
    action_asked: str
    raised_by: str
    raised_at: str
    acknowledged_by: str | None
    acknowledged_at: str | None
    action_note: str | None
    noted_by: str | None
    noted_at: str | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def dashboard(ws: Workspace, inspection_id: str) -> list[DashboardRow]:
    check_inspection(ws, inspection_id)
    rows = connection(ws).execute(
        "SELECT m.id, coalesce(m.name, ''), c.id, c.case_ref, a.status, a.revision,"
        " s.revision, s.applied_at, s.sender_key_id, so.revision,"
        " (SELECT count(*) FROM queries q WHERE q.case_id = c.id AND q.closed_at IS NULL),"
        " (SELECT count(*) FROM (SELECT al.id FROM alerts al WHERE al.case_id = c.id"
        "  UNION SELECT r.id FROM received_alerts r WHERE r.case_id = c.id) u"
        "  WHERE NOT EXISTS (SELECT 1 FROM alerts ak WHERE ak.id = u.id"
        "   AND ak.acknowledged_at IS NOT NULL)"
        "  AND NOT EXISTS (SELECT 1 FROM alert_steps st WHERE st.alert_id = u.id)),"
        " (SELECT max(b.at) FROM bundle_log b WHERE b.direction = 'out' AND b.kind = 'receipt'"
        "  AND b.inspection_id = c.inspection_id AND b.peer_key_id = s.sender_key_id),"
        " ct.sign_public, ct.kem_public,"
        " EXISTS (SELECT 1 FROM conflicts k WHERE k.case_id = c.id AND k.resolved_at IS NULL)"
        " FROM cases c JOIN assessments a ON a.case_id = c.id"
        " LEFT JOIN assignments asg ON asg.case_id = c.id"
        " LEFT JOIN members m ON m.id = asg.member_id"
        " LEFT JOIN case_sources s ON s.case_id = c.id"
        " LEFT JOIN contacts ct ON ct.key_id = s.sender_key_id"
        " LEFT JOIN signoffs so ON so.case_id = c.id"
        " WHERE c.inspection_id = ? ORDER BY coalesce(m.name, ''), c.case_ref",
        (inspection_id,)).fetchall()
    out = []
    for (mid, member, cid, ref, status, revision, received, applied_at, _sender, signed,
         open_queries, open_alerts, receipt_at, sign_public, kem_public, conflict) in rows:
        if signed is not None and signed == revision:
            qa = "signed_off"
        elif signed is not None:
            qa = "signed_off_newer" if signed > revision else "lapsed"
        elif open_queries:
            qa = "queried"
        else:
            qa = "none"
        expected = signed if signed is not None and signed > (received or 0) else None
        fp = fingerprint(bytes(sign_public), bytes(kem_public)) if sign_public else None
        out.append(DashboardRow(
            mid, member, cid, ref, status, int(revision),
            None if received is None else int(received), expected, qa, received is not None,
            bool(receipt_at and applied_at and receipt_at >= applied_at), int(open_alerts), fp,
            bool(conflict), applied_at))
    return _told_apart(ws, inspection_id, out)


def _told_apart(ws: Workspace, inspection_id: str,
                rows: list[DashboardRow]) -> list[DashboardRow]:
    """Each member's cases together (by id: two may share a name), shown by ``member_labels``."""
    labels = member_labels((m["id"], m["name"]) for m in ws.members(inspection_id))
    rows.sort(key=lambda r: (r.member, r.member_id or ""))  # stable: case order kept
    return [replace(r, member=labels.get(r.member_id or "", r.member)) for r in rows]


def alerts_inbox(ws: Workspace, inspection_id: str) -> list[InboxAlert]:
    """The inspection's alerts: not yet acknowledged first, then oldest first."""
    check_inspection(ws, inspection_id)
    rows = connection(ws).execute(
        "SELECT al.id, al.case_id, c.case_ref, coalesce(m.name, ''), al.what_might_happen,"
        " al.how_serious, al.how_imminent, al.action_asked, al.raised_by, al.raised_at,"
        " al.acknowledged_by, al.acknowledged_at, x.note, x.noted_by, x.noted_at"
        " FROM alerts al JOIN cases c ON c.id = al.case_id"
        " LEFT JOIN assignments asg ON asg.case_id = c.id"
        " LEFT JOIN members m ON m.id = asg.member_id"
        " LEFT JOIN alert_actions x ON x.alert_id = al.id"
        " WHERE c.inspection_id = ?"
        " ORDER BY al.acknowledged_at IS NOT NULL, al.raised_at, al.id",
        (inspection_id,)).fetchall()
    return [InboxAlert(*r) for r in rows]


def note_alert_action(ws: Workspace, alert_id: str, note: str) -> None:
    """Record (or replace) what the lead did about an alert; audited on the alert's case."""
    require_lead(ws, _("note the action taken on an alert"))
    if not isinstance(note, str) or not note.strip():
        raise ConsolidationError(_("the note of the action taken must not be empty"))
    note = note.strip()
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: invalid bytes in a command-line argument
        raise ConsolidationError(_("the note is not valid text (it holds bytes that are not "
                                   "UTF-8)")) from None
    if len(note) > MAX_TEXT:
        raise ConsolidationError(_("the note is longer than {max_text} characters").format(
                                     max_text=MAX_TEXT))
    with ws.transaction():
        row = connection(ws).execute(
            "SELECT al.case_id, x.note FROM alerts al"
            " LEFT JOIN alert_actions x ON x.alert_id = al.id WHERE al.id = ?",
            (alert_id,)).fetchone()
        if row is None:
            raise ConsolidationError(_("no alert {alert_id!r}").format(alert_id=alert_id))
        if row[1] == note:
            return
        connection(ws).execute(
            "INSERT INTO alert_actions (alert_id, note, noted_by, noted_at) VALUES (?,?,?,?)"
            " ON CONFLICT (alert_id) DO UPDATE SET note = excluded.note,"
            " noted_by = excluded.noted_by, noted_at = excluded.noted_at",
            (alert_id, note, ws.owner_name, now()))
        ws.record(row[0], "alert_action", f"alert:{alert_id}", row[1], note)
