"""The inspection dashboard: the alerts inbox first, then every member's cases and their state.

An alert nobody has acknowledged is a risk to someone (000_ §6.7): the inbox sits at the top
(``alerts_inbox.py``): every alert of the inspection — a case's, one that arrived on its own in
a member's alert bundle, and organisational ones — with its kind and its tracking state in
words, unacknowledged alerts first and in red with a banner counting them, beside the chosen
alert in full with every step taken on it and a button for each step allowed next. Below, per
member and case, what the lead reads (``consolidation/dashboard.py`` words it): the latest work
received and whether it is the latest known, what the lead is still waiting for, whether QA
signed it off, the receipt; filtered by member, status and what is awaited. A case in conflict
(two versions that neither contains) is marked, and opens side by side for the lead to choose.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from hmip_desktop.consolidation.dashboard import (
    WAITING_FOR,
    WAITING_FOR_LABELS,
    dashboard,
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
from hmip_desktop.gui.lead.alert_rows import AlertRow
from hmip_desktop.gui.lead.alerts_inbox import AlertsInbox
from hmip_desktop.gui.lead.common import (
    AnyIndex,
    Column,
    MessageLine,
    RowsModel,
    table_view,
)
from hmip_desktop.gui.lead.conflict_dialog import ConflictDialog
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import STATUS_LABELS

RED = "#d4351c"


def _yes(flag: Any) -> str:
    return _("Yes") if flag else _("No")


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
        split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

        # -- the alerts inbox: every alert, the chosen one in full, its next steps ---------
        self.inbox = AlertsInbox(ws)
        self.inbox.changed.connect(self.refresh)  # a case's open alerts count changes
        self.inbox.changed.connect(self.changed)
        self.banner = self.inbox.banner  # the count of alerts not yet acknowledged
        split.addWidget(self.inbox)

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
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)

    def set_inspection(self, iid: str | None) -> None:
        self.iid = iid
        self.refresh()

    def refresh(self) -> None:
        rows = dashboard(self.ws, self.iid) if self.iid else []
        self.inbox.set_inspection(self.ws, self.iid)
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

    def current_alert(self) -> AlertRow | None:
        """The alert chosen in the inbox."""
        return self.inbox.current_alert()

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
