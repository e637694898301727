"""The inspection dashboard: the alerts inbox first, then every member's cases and their state.

An alert nobody has acknowledged is a risk to someone (000_ §6): the inbox sits at the top,
unacknowledged alerts first and in red, with a banner counting them. The lead acknowledges an
alert and notes the action taken; below, per member and case, the revision expected and
received, QA sign-off and whether the receipt was delivered; a case in conflict (two versions
that neither contains) is marked, and opens side by side for the lead to choose.
"""

from __future__ import annotations

import html
from typing import Any

from hmip_desktop.consolidation.dashboard import alerts_inbox, dashboard, note_alert_action
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import QSortFilterProxyModel, Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import Banner, heading
from hmip_desktop.gui.lead.common import Column, MessageLine, RowsModel, table_view, when
from hmip_desktop.gui.lead.conflict_dialog import ConflictDialog
from hmip_desktop.i18n import _
from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import STATUS_LABELS

RED = "#d4351c"


def _yes(flag: Any) -> str:
    return _("yes") if flag else _("no")


def _acknowledged(a: Any) -> bool:
    return bool(a.acknowledged_at)


ALERT_COLUMNS = (
    Column(_("State"), lambda a: _("ACKNOWLEDGED") if _acknowledged(a) else _("NOT ACKNOWLEDGED"),
           sort=lambda a: f"{int(_acknowledged(a))} {a.raised_at}",
           colour=lambda a: None if _acknowledged(a) else RED,
           bold=lambda a: not _acknowledged(a)),
    Column(_("Case"), lambda a: a.case_ref),
    Column(_("Member"), lambda a: a.member),
    Column(_("Raised by"), lambda a: a.raised_by),
    Column(_("Raised"), lambda a: when(a.raised_at), sort=lambda a: a.raised_at),
    Column(_("What might happen"), lambda a: a.what_might_happen),
    Column(_("How serious"), lambda a: a.how_serious),
    Column(_("How imminent"), lambda a: a.how_imminent),
    Column(_("Action asked"), lambda a: a.action_asked),
    Column(_("Acknowledged"), lambda a: " ".join(
        x for x in (a.acknowledged_by or "", when(a.acknowledged_at)) if x)),
    Column(_("Action taken"), lambda a: " — ".join(
        x for x in (a.action_note or "", a.noted_by or "", when(a.noted_at)) if x)),
)

QA_LABELS = {"signed_off": _("signed off"),
             "signed_off_newer": _("signed off at a revision not received yet"),
             "lapsed": _("signed off before the last change"),
             "queried": _("queried"), "none": _("not yet")}

CASE_COLUMNS = (
    Column(_("Member"), lambda r: r.member or _("not allocated")),
    Column(_("Case"), lambda r: r.case_ref),
    Column(_("Status"), lambda r: STATUS_LABELS.get(r.status, r.status)),
    Column(_("Revision received"), lambda r: _("none") if r.revision_received is None
           else str(r.revision_received), sort=lambda r: r.revision_received or 0),
    Column(_("Revision expected"), lambda r: str(r.revision_expected)
           if r.revision_expected is not None else "",
           sort=lambda r: r.revision_expected or 0,
           colour=lambda r: RED if r.behind else None, bold=lambda r: r.behind),
    Column(_("QA sign-off"), lambda r: QA_LABELS.get(r.qa_state, r.qa_state),
           sort=lambda r: r.qa_state),
    Column(_("Delivered"), lambda r: _yes(r.delivered), sort=lambda r: r.delivered),
    Column(_("Receipt sent"), lambda r: _yes(r.receipt_sent), sort=lambda r: r.receipt_sent),
    Column(_("Open alerts"), lambda r: str(r.open_alerts) if r.open_alerts else "",
           sort=lambda r: r.open_alerts, colour=lambda r: RED if r.open_alerts else None,
           bold=lambda r: bool(r.open_alerts)),
    Column(_("Conflict"), lambda r: _("IN CONFLICT") if r.in_conflict else "",
           sort=lambda r: not r.in_conflict, colour=lambda r: RED if r.in_conflict else None,
           bold=lambda r: r.in_conflict),
)


class DashboardScreen(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.banner = Banner("alert")
        layout.addWidget(self.banner)
        layout.addWidget(heading(_("Alerts inbox")))
        self.alerts = RowsModel(ALERT_COLUMNS, self)
        self.alerts_proxy = QSortFilterProxyModel(self)
        self.alerts_proxy.setSourceModel(self.alerts)
        self.alerts_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.alerts_view = table_view(self.alerts_proxy, _("Alerts inbox"), stretch=(5, 8, 10))
        self.alerts_view.setSortingEnabled(True)
        self.alerts_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.alerts_view.selectionModel().currentRowChanged.connect(self._alert_selected)
        layout.addWidget(self.alerts_view, 2)
        row = QtWidgets.QHBoxLayout()
        self.ack = QtWidgets.QPushButton(_("&Acknowledge"))
        self.ack.setAccessibleName(_("Acknowledge the selected alert"))
        self.ack.clicked.connect(self.acknowledge)
        row.addWidget(self.ack)
        note_label = QtWidgets.QLabel(_("Action &note:"))
        self.note = QtWidgets.QLineEdit()
        self.note.setAccessibleName(_("Action taken on the selected alert"))
        self.note.setPlaceholderText(_("What was done about the alert, by whom, when"))
        self.note.returnPressed.connect(self.save_note)
        note_label.setBuddy(self.note)
        row.addWidget(note_label)
        row.addWidget(self.note, 1)
        self.save_note_button = QtWidgets.QPushButton(_("Save note"))
        self.save_note_button.clicked.connect(self.save_note)
        row.addWidget(self.save_note_button)
        layout.addLayout(row)
        layout.addWidget(heading(_("Cases by member")))
        self.cases = RowsModel(CASE_COLUMNS, self)
        self.cases_proxy = QSortFilterProxyModel(self)
        self.cases_proxy.setSourceModel(self.cases)
        self.cases_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.cases_view = table_view(self.cases_proxy, _("Cases by member"), stretch=0)
        self.cases_view.setSortingEnabled(True)
        self.cases_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.cases_view.selectionModel().currentRowChanged.connect(self._case_selected)
        self.cases_view.doubleClicked.connect(lambda _i: self.open_conflict())
        layout.addWidget(self.cases_view, 3)
        conflict_row = QtWidgets.QHBoxLayout()
        self.conflict_banner = Banner("alert")
        conflict_row.addWidget(self.conflict_banner, 1)
        self.resolve_button = QtWidgets.QPushButton(_("Re&solve conflict…"))
        self.resolve_button.setAccessibleName(
            _("Compare the two versions of the selected case and choose between them"))
        self.resolve_button.clicked.connect(self.open_conflict)
        conflict_row.addWidget(self.resolve_button)
        layout.addLayout(conflict_row)
        self.message = MessageLine()
        layout.addWidget(self.message)

    def set_inspection(self, iid: str | None) -> None:
        self.iid = iid
        self.refresh()

    def refresh(self) -> None:
        inbox = alerts_inbox(self.ws, self.iid) if self.iid else []
        rows = dashboard(self.ws, self.iid) if self.iid else []
        self.alerts.set_rows(inbox)
        self.cases.set_rows(rows)
        conflicts = [r.case_ref for r in rows if r.in_conflict]
        if conflicts:
            self.conflict_banner.show_message(_(
                "{n} case(s) in conflict: {refs}. A bundle brought a version that differs from "
                "the one held; nothing of it is applied until you choose.").format(
                    n=len(conflicts), refs=html.escape(", ".join(conflicts[:10]))))
        else:
            self.conflict_banner.hide()
        self._case_selected()
        open_alerts = [a for a in inbox if not _acknowledged(a)]
        if open_alerts:
            self.banner.show_message((_(
                "1 alert not yet acknowledged — read it and acknowledge it below.")
                if len(open_alerts) == 1 else _(
                "{n} alerts not yet acknowledged — read and acknowledge each one below."
                )).format(n=len(open_alerts)))
        else:
            self.banner.hide()
        if inbox and not self.alerts_view.currentIndex().isValid():
            self.alerts_view.selectRow(0)
        self._alert_selected()

    def current_alert(self) -> Any:
        index = self.alerts_view.currentIndex()
        if not index.isValid():
            return None
        return self.alerts.rows[self.alerts_proxy.mapToSource(index).row()]

    def select_alert(self, alert_id: str) -> None:
        for r in range(self.alerts_proxy.rowCount()):
            source = self.alerts_proxy.mapToSource(self.alerts_proxy.index(r, 0))
            if self.alerts.rows[source.row()].alert_id == alert_id:
                self.alerts_view.selectRow(r)
                return

    def _alert_selected(self, *_args: object) -> None:
        alert = self.current_alert()
        self.ack.setEnabled(alert is not None and not _acknowledged(alert))
        self.note.setEnabled(alert is not None)
        self.save_note_button.setEnabled(alert is not None)
        self.note.setText(alert.action_note or "" if alert is not None else "")

    def acknowledge(self) -> None:
        alert = self.current_alert()
        if alert is None:
            self.message.refused(_("Select an alert first."))
            return
        try:
            self.ws.acknowledge_alert(alert.alert_id)
        except (UserError, StoreError) as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Alert on {case} acknowledged.").format(case=alert.case_ref))
        self._refresh_keeping(alert.alert_id)

    def save_note(self) -> None:
        alert = self.current_alert()
        if alert is None:
            self.message.refused(_("Select an alert first."))
            return
        try:
            note_alert_action(self.ws, alert.alert_id, self.note.text())
        except (UserError, StoreError) as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Action noted on the alert for {case}.").format(case=alert.case_ref))
        self._refresh_keeping(alert.alert_id)

    def current_case(self) -> Any:
        index = self.cases_view.currentIndex()
        if not index.isValid():
            return None
        return self.cases.rows[self.cases_proxy.mapToSource(index).row()]

    def _case_selected(self, *_args: object) -> None:
        row = self.current_case()
        self.resolve_button.setEnabled(row is not None and row.in_conflict)

    def open_conflict(self) -> None:
        row = self.current_case()
        if row is None or not row.in_conflict:
            self.message.refused(_("Select a case in conflict first."))
            return
        try:
            dialog = ConflictDialog(self.ws, row.case_id, self)
        except UserError as e:  # resolved meanwhile (from the CLI), or the row is out of date
            self.message.refused(str(e))
            self.refresh()
            return
        if dialog.exec() and dialog.revision is not None:
            self.message.done(_("Conflict on {case} resolved as revision {rev}.").format(
                case=row.case_ref, rev=dialog.revision))
            self.refresh()
            self.changed.emit()

    def _refresh_keeping(self, alert_id: str) -> None:
        self.refresh()
        self.select_alert(alert_id)
        self.changed.emit()
