"""The alerts inbox: every alert of the inspection, its kind and state, tracked step by step.

An alert nobody has acknowledged is a risk to someone (Probation inspections external guidance
manual, section 6.7): those come first and in red, with a banner counting them. The list holds
every alert — a case's, one that arrived on its own in a member's alert bundle ahead of the
case's work, and organisational ones — each with its kind and its tracking state in words
(``gui/lead/alert_rows.py``). Beside it the chosen alert in full, with every step taken (who,
when, the note), and a button for each step the core allows next: acknowledged → assurance
sought → evidence of action received → closed, or advice below the alert threshold. A step that
needs a note asks for it (``alert_dialogs.StepNoteDialog``); the core refuses an empty note, a
step out of order or anyone but the lead or a deputy lead in one line, shown, with nothing
written. "Organisational alert…" raises one, flagged for the report.

The lead's dashboard shows it at the top (``dashboard.py``); a deputy lead whose workspace is an
assessor's or a QA partner's has it as a page of the main window (``alerts_page.py``).
"""

from __future__ import annotations

import html
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import QSortFilterProxyModel, Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import Banner, heading
from hmip_desktop.gui.lead.alert_dialogs import OrganisationalAlertDialog, StepNoteDialog
from hmip_desktop.gui.lead.alert_rows import AlertRow, alert_rows, may_track
from hmip_desktop.gui.lead.common import Column, MessageLine, RowsModel, table_view, when
from hmip_desktop.i18n import _
from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import NOTE_NEEDED, STATE_LABELS, STEPS, take_step
from hmip_desktop.team.alerts import raise_organisational_alert

RED = "#d4351c"
STEP_BUTTONS = {
    "acknowledged": _("&Acknowledge"),
    "assurance": _("Assurance so&ught…"),
    "evidence": _("E&vidence of action received…"),
    "closed": _("C&lose the alert…"),
    "advice": _("Record as ad&vice…"),
}


def _open(a: AlertRow) -> bool:
    return not a.acknowledged


ALERT_COLUMNS = (
    Column(_("State"), lambda a: a.state_words,
           sort=lambda a: f"{int(a.acknowledged)} {a.raised_at}",
           colour=lambda a: RED if _open(a) else None, bold=_open),
    Column(_("Kind"), lambda a: a.kind_short),
    Column(_("About"), lambda a: a.about),
    Column(_("Raised by"), lambda a: a.raised_by),
    Column(_("Raised"), lambda a: when(a.raised_at), sort=lambda a: a.raised_at),
)


def _line(label: str, text: str) -> str:
    return f"<p><b>{html.escape(label)}</b> {html.escape(text)}</p>"


def alert_html(a: AlertRow) -> str:
    """The whole alert, as the detail pane shows it: every field and every step taken."""
    colour = f' style="color:{RED}"' if _open(a) else ""
    out = [f"<p{colour}><b>{html.escape(a.state_words)}</b> — {html.escape(a.kind_words)}</p>"]
    if a.kind == "organisational":
        out.append("<p>" + html.escape(_(
            "About the organisation as a whole. The published inspection report says that an "
            "organisational alert was raised.")) + "</p>")
    elif a.on_its_own:
        out.append("<p>" + html.escape(_(
            "Case {case}. Arrived on its own in an alert bundle on {day}; the case's work has "
            "not arrived yet.").format(case=a.case_ref, day=when(a.received_at))) + "</p>")
    else:
        out.append("<p>" + html.escape(_("Case {case}, held by {member}.").format(
            case=a.case_ref, member=a.member or _("nobody (not allocated)"))) + "</p>")
    out += [_line(_("What might happen:"), a.what_might_happen),
            _line(_("How serious:"), a.how_serious),
            _line(_("How imminent:"), a.how_imminent),
            _line(_("Action asked:"), a.action_asked),
            _line(_("Raised by:"), f"{a.raised_by}, {when(a.raised_at)}")]
    taken = {s.step for s in a.steps}
    if a.acknowledged_at and "acknowledged" not in taken:  # acknowledged the older way
        out.append(_line(_("Acknowledged by:"),
                         f"{a.acknowledged_by or ''}, {when(a.acknowledged_at)}"))
    for s in a.steps:
        label = _("Acknowledged by:") if s.step == "acknowledged" else f"{s.words}:"
        out.append(_line(label, f"{s.taken_by}, {when(s.taken_at)}"
                         + (f" — {s.note}" if s.note else "")))
    if a.action_note:
        out.append(_line(_("Action taken:"), f"{a.action_note} ({a.noted_by or ''}, "
                                             f"{when(a.noted_at)})"))
    return "".join(out)


class AlertsInbox(QtWidgets.QWidget):
    """Every alert of one inspection, the chosen one in full, and its next step(s)."""

    changed = Signal()  # a step was taken or an alert raised

    def __init__(self, ws: Workspace | None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        self.authority = False
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = Banner("alert")
        layout.addWidget(self.banner)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(heading(_("Alerts inbox")))
        top.addStretch(1)
        self.raise_button = QtWidgets.QPushButton(_("&Organisational alert…"))
        self.raise_button.setAccessibleName(
            _("Raise an organisational alert, flagged for the report"))
        self.raise_button.setToolTip(_("An alert about the organisation as a whole; the "
                                       "published inspection report says it was raised"))
        self.raise_button.clicked.connect(self.raise_organisational)
        top.addWidget(self.raise_button)
        layout.addLayout(top)
        side = QtWidgets.QHBoxLayout()
        layout.addLayout(side, 1)
        self.model = RowsModel(ALERT_COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.view = table_view(self.proxy, _("Alerts inbox"))
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        side.addWidget(self.view, 1)
        detail = QtWidgets.QVBoxLayout()
        side.addLayout(detail, 1)
        self.text = QtWidgets.QTextBrowser()
        self.text.setAccessibleName(_("The selected alert in full"))
        self.text.setOpenLinks(False)
        self.text.setTabChangesFocus(True)  # Tab moves on to the step buttons
        self.text.document().setDocumentMargin(6)
        self.text.document().setDefaultStyleSheet("p { margin: 0 0 3px 0; }")
        self.text.setPlaceholderText(_("No alert raised on this inspection."))
        detail.addWidget(self.text, 1)
        row = QtWidgets.QHBoxLayout()
        self.step_buttons: dict[str, QtWidgets.QPushButton] = {}
        for step in STEPS:
            button = QtWidgets.QPushButton(STEP_BUTTONS[step])
            button.setAccessibleName(_("Mark the selected alert: {step}").format(
                step=STATE_LABELS[step]))
            button.clicked.connect(lambda _c=False, s=step: self.take(s))
            button.hide()
            row.addWidget(button)
            self.step_buttons[step] = button
        self.nothing_next = QtWidgets.QLabel()
        self.nothing_next.setWordWrap(True)
        self.nothing_next.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.nothing_next, 1)
        row.addStretch(0)
        detail.addLayout(row)
        self.message = MessageLine()
        layout.addWidget(self.message)

    # -- reading -----------------------------------------------------------------------------

    def set_inspection(self, ws: Workspace | None, iid: str | None) -> None:
        self.ws, self.iid = ws, iid
        self.refresh()

    def refresh(self) -> None:
        ws, iid = self.ws, self.iid
        rows = alert_rows(ws, iid) if ws is not None and iid else []
        self.authority = bool(ws is not None and iid and may_track(ws, iid))
        self.raise_button.setVisible(self.authority)
        kept = self.current_alert()
        self.model.set_rows(rows)
        waiting = [a for a in rows if _open(a)]
        if waiting:
            self.banner.show_message((_(
                "1 alert not yet acknowledged — read it and acknowledge it below.")
                if len(waiting) == 1 else _(
                "{n} alerts not yet acknowledged — read and acknowledge each one below."
                )).format(n=len(waiting)))
        else:
            self.banner.hide()
        if kept is not None:
            self.select_alert(kept.alert_id)
        if rows and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self._selected()

    def rows(self) -> list[AlertRow]:
        """The alerts the list shows, in its order."""
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    def current_alert(self) -> AlertRow | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        row: AlertRow = self.model.rows[self.proxy.mapToSource(index).row()]
        return row

    def select_alert(self, alert_id: str) -> None:
        for r, a in enumerate(self.rows()):
            if a.alert_id == alert_id:
                self.view.selectRow(r)
                return

    def _selected(self, *_args: object) -> None:
        alert = self.current_alert()
        self.text.setHtml(alert_html(alert) if alert is not None else "")
        allowed = alert.next_steps if alert is not None and self.authority else ()
        for step, button in self.step_buttons.items():
            button.setVisible(step in allowed)
        if alert is None:
            self.nothing_next.setText("")
        elif not self.authority:
            self.nothing_next.setText(_("Only the lead or a deputy lead tracks alerts."))
        elif not allowed:
            self.nothing_next.setText(_("Nothing more to do: the alert is {state}.").format(
                state=alert.state_words.lower()))
        else:
            self.nothing_next.setText("")

    # -- acting ------------------------------------------------------------------------------

    def take(self, step: str) -> None:
        """Take ``step`` on the selected alert, asking for its note where one is needed."""
        alert = self.current_alert()
        if alert is None or self.ws is None:
            self.message.refused(_("Select an alert first."))
            return
        if step not in NOTE_NEEDED:
            if self._submit_step(alert, step, "") is None:
                self._done(alert, step)
            return
        dialog = StepNoteDialog(step, alert.subject,
                                lambda note: self._submit_step(alert, step, note), self)
        accepted = dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
        if accepted:
            self._done(alert, step)
        else:  # cancelled, or refused (and said why): the list as the store has it now
            self.refresh()

    def _submit_step(self, alert: AlertRow, step: str, note: str) -> str | None:
        assert self.ws is not None
        try:
            take_step(self.ws, alert.alert_id, step, note)
        except (UserError, StoreError) as e:
            self.message.refused(str(e))
            self.refresh()
            return str(e)
        return None

    def _done(self, alert: AlertRow, step: str) -> None:
        self.message.done(_("The alert on {subject} is marked '{state}'.").format(
            subject=alert.subject, state=STATE_LABELS[step]))
        self.refresh()
        self.select_alert(alert.alert_id)
        self.changed.emit()

    def raise_organisational(self) -> None:
        if self.ws is None or self.iid is None:
            self.message.refused(_("No inspection yet: set one up first."))
            return
        raised: list[Any] = []

        def submit(**fields: str) -> str | None:
            assert self.ws is not None and self.iid is not None
            try:
                raised.append(raise_organisational_alert(self.ws, self.iid, **fields))
            except (UserError, StoreError) as e:
                return str(e)
            return None

        dialog = OrganisationalAlertDialog(submit, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or not raised:
            return
        self.message.done(_("Organisational alert raised; it is flagged for the report."))
        self.refresh()
        self.select_alert(raised[0].alert_id)
        self.changed.emit()
