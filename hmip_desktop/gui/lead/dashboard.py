"""The inspection dashboard: the alerts inbox first, then every member's cases and their state.

An alert nobody has acknowledged is a risk to someone (000_ §6): the inbox sits at the top,
unacknowledged alerts first and in red, with a banner counting them. The inbox is a short list
(state, case, member, when) beside the selected alert in full: what might happen, how serious,
how imminent, the action asked, who raised it and when, who acknowledged it, and the action
taken; the lead acknowledges it and notes the action there. Below, per member and case, what
the lead reads (``consolidation/dashboard.py`` words it): the latest work received and whether
it is the latest known, what the lead is still waiting for, whether QA signed it off, the
receipt; filtered by member, status and what is awaited. A case in conflict (two versions that
neither contains) is marked, and opens side by side for the lead to choose.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from hmip_desktop.consolidation.dashboard import (
    WAITING_FOR,
    WAITING_FOR_LABELS,
    alerts_inbox,
    dashboard,
    note_alert_action,
)
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import (
    QSortFilterProxyModel,
    Qt,
    QtCore,
    QtWidgets,
    Signal,
)
from hmip_desktop.gui.common.widgets import Banner, heading
from hmip_desktop.gui.lead.common import (
    AnyIndex,
    Column,
    MessageLine,
    RowsModel,
    table_view,
    when,
)
from hmip_desktop.gui.lead.conflict_dialog import ConflictDialog
from hmip_desktop.i18n import _
from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import STATUS_LABELS

RED = "#d4351c"


def _yes(flag: Any) -> str:
    return _("Yes") if flag else _("No")


def _acknowledged(a: Any) -> bool:
    return bool(a.acknowledged_at)


def _state(a: Any) -> str:
    return _("ACKNOWLEDGED") if _acknowledged(a) else _("NOT ACKNOWLEDGED")


ALERT_COLUMNS = (
    Column(_("State"), _state,
           sort=lambda a: f"{int(_acknowledged(a))} {a.raised_at}",
           colour=lambda a: None if _acknowledged(a) else RED,
           bold=lambda a: not _acknowledged(a)),
    Column(_("Case"), lambda a: a.case_ref),
    Column(_("Member"), lambda a: a.member or _("Not allocated")),
    Column(_("Raised"), lambda a: when(a.raised_at), sort=lambda a: a.raised_at),
)


def alert_html(a: Any) -> str:
    """The whole alert, as the detail pane shows it: every field, nothing cut off."""
    def line(label: str, text: str) -> str:
        return f"<p><b>{html.escape(label)}</b> {html.escape(text)}</p>"

    colour = "" if _acknowledged(a) else f' style="color:{RED}"'
    out = [f"<p{colour}><b>{html.escape(_state(a))}</b> — "
           + html.escape(_("case {case}, held by {member}").format(
               case=a.case_ref, member=a.member or _("nobody (not allocated)"))) + "</p>",
           line(_("What might happen:"), a.what_might_happen),
           line(_("How serious:"), a.how_serious),
           line(_("How imminent:"), a.how_imminent),
           line(_("Action asked:"), a.action_asked),
           line(_("Raised by:"), f"{a.raised_by}, {when(a.raised_at)}")]
    if _acknowledged(a):
        out.append(line(_("Acknowledged by:"),
                        f"{a.acknowledged_by or ''}, {when(a.acknowledged_at)}"))
    if a.action_note:
        out.append(line(_("Action taken:"), f"{a.action_note} ({a.noted_by or ''}, "
                                             f"{when(a.noted_at)})"))
    return "".join(out)


CASE_COLUMNS = (
    Column(_("Member"), lambda r: r.member or _("Not allocated")),
    Column(_("Case"), lambda r: r.case_ref),
    Column(_("Status"), lambda r: STATUS_LABELS.get(r.status, r.status)),
    Column(_("Latest work received"), lambda r: r.received_words,
           sort=lambda r: r.received_at or "",
           colour=lambda r: RED if r.behind else None, bold=lambda r: r.behind),
    Column(_("Waiting for"), lambda r: r.waiting_for_words,
           sort=lambda r: WAITING_FOR.index(r.waiting_for)),
    Column(_("Signed off"), lambda r: r.signed_off_words, sort=lambda r: r.qa_state),
    Column(_("Receipt sent"), lambda r: _yes(r.receipt_sent), sort=lambda r: r.receipt_sent),
    Column(_("Open alerts"), lambda r: str(r.open_alerts) if r.open_alerts else "",
           sort=lambda r: r.open_alerts, colour=lambda r: RED if r.open_alerts else None,
           bold=lambda r: bool(r.open_alerts)),
    Column(_("Conflict"), lambda r: _("IN CONFLICT") if r.in_conflict else "",
           sort=lambda r: not r.in_conflict, colour=lambda r: RED if r.in_conflict else None,
           bold=lambda r: r.in_conflict),
)


class CaseFilter(QSortFilterProxyModel):
    """The case rows that pass every chosen filter (member, status, what is awaited)."""

    def __init__(self, rows: RowsModel, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.setSourceModel(rows)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.tests: dict[str, Callable[[Any], bool]] = {}

    def set_test(self, name: str, test: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        if test is None:
            self.tests.pop(name, None)
        else:
            self.tests[name] = test
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        record = self.rows.rows[source_row]
        return all(test(record) for test in self.tests.values())


class DashboardScreen(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.banner = Banner("alert")
        layout.addWidget(self.banner)
        split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

        # -- the alerts inbox: a short list beside the chosen alert in full ----------------
        inbox = QtWidgets.QWidget()
        iv = QtWidgets.QVBoxLayout(inbox)
        iv.setContentsMargins(0, 0, 0, 0)
        iv.addWidget(heading(_("Alerts inbox")))
        side = QtWidgets.QHBoxLayout()
        iv.addLayout(side, 1)
        self.alerts = RowsModel(ALERT_COLUMNS, self)
        self.alerts_proxy = QSortFilterProxyModel(self)
        self.alerts_proxy.setSourceModel(self.alerts)
        self.alerts_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.alerts_view = table_view(self.alerts_proxy, _("Alerts inbox"))
        self.alerts_view.setWordWrap(False)
        self.alerts_view.setSortingEnabled(True)
        self.alerts_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.alerts_view.selectionModel().currentRowChanged.connect(self._alert_selected)
        side.addWidget(self.alerts_view, 2)
        detail = QtWidgets.QVBoxLayout()
        side.addLayout(detail, 3)
        self.alert_text = QtWidgets.QTextBrowser()
        self.alert_text.setAccessibleName(_("The selected alert in full"))
        self.alert_text.setOpenLinks(False)
        self.alert_text.document().setDocumentMargin(6)
        self.alert_text.document().setDefaultStyleSheet("p { margin: 0 0 3px 0; }")
        self.alert_text.setPlaceholderText(_("No alert raised on this inspection."))
        detail.addWidget(self.alert_text, 1)
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
        detail.addLayout(row)
        split.addWidget(inbox)

        # -- every case, by member ---------------------------------------------------------
        cases = QtWidgets.QWidget()
        cv = QtWidgets.QVBoxLayout(cases)
        cv.setContentsMargins(0, 0, 0, 0)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(heading(_("Cases by member")))
        top.addStretch(1)
        self.filters: dict[str, QtWidgets.QComboBox] = {}
        for key, label in (("member", _("&Member:")), ("status", _("S&tatus:")),
                           ("waiting", _("&Waiting for:"))):
            combo = QtWidgets.QComboBox()
            combo.setAccessibleName(label.replace("&", "").rstrip(":"))
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._filter_cases)
            text = QtWidgets.QLabel(label)
            text.setBuddy(combo)
            top.addWidget(text)
            top.addWidget(combo)
            self.filters[key] = combo
        cv.addLayout(top)
        self.cases = RowsModel(CASE_COLUMNS, self)
        self.cases_proxy = CaseFilter(self.cases, self)
        self.cases_view = table_view(self.cases_proxy, _("Cases by member"), stretch=4)
        self.cases_view.setSortingEnabled(True)
        self.cases_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.cases_view.selectionModel().currentRowChanged.connect(self._case_selected)
        self.cases_view.doubleClicked.connect(lambda _i: self.open_conflict())
        cv.addWidget(self.cases_view, 1)
        self.shown = QtWidgets.QLabel()
        self.shown.setAccessibleName(_("How many cases are shown"))
        cv.addWidget(self.shown)
        conflict_row = QtWidgets.QHBoxLayout()
        self.conflict_banner = Banner("alert")
        conflict_row.addWidget(self.conflict_banner, 1)
        self.resolve_button = QtWidgets.QPushButton(_("Re&solve conflict…"))
        self.resolve_button.setAccessibleName(
            _("Compare the two versions of the selected case and choose between them"))
        self.resolve_button.clicked.connect(self.open_conflict)
        conflict_row.addWidget(self.resolve_button)
        cv.addLayout(conflict_row)
        split.addWidget(cases)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
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
        self._fill_filters(rows)
        conflicts = [r.case_ref for r in rows if r.in_conflict]
        if conflicts:
            self.conflict_banner.show_message(_(
                "{n} case(s) in conflict: {refs}. A bundle brought a version that differs from "
                "the one held; nothing of it is applied until you choose.").format(
                    n=len(conflicts), refs=html.escape(", ".join(conflicts[:10]))))
        else:
            self.conflict_banner.hide()
        self.resolve_button.setVisible(bool(conflicts))  # no conflict: nothing to resolve
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

    # -- filters ---------------------------------------------------------------------------

    def _fill_filters(self, rows: list[Any]) -> None:
        """Offer the members, statuses and awaited things present; keep what was chosen."""
        members = sorted({(r.member, r.member_id or "") for r in rows})
        statuses = [k for k in STATUS_LABELS if any(r.status == k for r in rows)]
        waiting = [k for k in WAITING_FOR if any(r.waiting_for == k for r in rows)]
        choices = {
            "member": [(_("All members"), None)] + [
                (label or _("Not allocated"), mid) for label, mid in members],
            "status": [(_("Any status"), None)] + [(STATUS_LABELS[k], k) for k in statuses],
            "waiting": [(_("Anything"), None)] + [(WAITING_FOR_LABELS[k], k) for k in waiting],
        }
        for key, combo in self.filters.items():
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for label, value in choices[key]:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(kept)) if kept is not None else 0)
            combo.blockSignals(False)
        self._filter_cases()

    def filter_cases(self, *, member: str | None = None, status: str | None = None,
                     waiting: str | None = None) -> None:
        """Choose the filters (as picking in the drop-downs would); None shows all."""
        for key, value in (("member", member), ("status", status), ("waiting", waiting)):
            combo = self.filters[key]
            combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)

    def _filter_cases(self, *_args: object) -> None:
        member = self.filters["member"].currentData()
        status = self.filters["status"].currentData()
        waiting = self.filters["waiting"].currentData()
        self.cases_proxy.set_test("member", None if member is None
                                  else lambda r: (r.member_id or "") == member)
        self.cases_proxy.set_test("status", None if status is None
                                  else lambda r: r.status == status)
        self.cases_proxy.set_test("waiting", None if waiting is None
                                  else lambda r: r.waiting_for == waiting)
        shown, total = self.cases_proxy.rowCount(), self.cases.rowCount()
        self.shown.setText(_("{n} of {total} cases shown.").format(n=shown, total=total)
                           if shown != total else "")
        self._case_selected()

    def shown_cases(self) -> list[Any]:
        """The case rows the table shows, in its order."""
        return [self.cases.rows[self.cases_proxy.mapToSource(
            self.cases_proxy.index(r, 0)).row()] for r in range(self.cases_proxy.rowCount())]

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
        self.alert_text.setHtml(alert_html(alert) if alert is not None else "")
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
            self.message.done(_("Conflict on {case} resolved.").format(case=row.case_ref))
            self.refresh()
            self.changed.emit()

    def _refresh_keeping(self, alert_id: str) -> None:
        self.refresh()
        self.select_alert(alert_id)
        self.changed.emit()
