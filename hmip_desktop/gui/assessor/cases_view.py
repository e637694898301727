"""The case list: every case as a sortable, filterable table (Qt model/view).

The assessor's schedule; in the lead's workspace also the member who holds each case, with
filters by member and by status (the dashboard's words).
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.gui.common.qt import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QtCore,
    QtGui,
    QtWidgets,
    Signal,
)
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import _
from hmip_desktop.store.records import CaseSummary
from hmip_desktop.wording import STATUS_LABELS

AnyIndex = QModelIndex | QtCore.QPersistentModelIndex



class CasesModel(QAbstractTableModel):
    """The rows of the case list, each row's texts worked out once.

    A row's completeness (the Complete column) is worked out when the row is first shown or
    sorted by it; a sort works out only the sorted column's keys; a changed case's row is
    replaced whole (``update_row``).
    """

    COLUMNS = (_("Case"), _("Person on probation"), _("Practitioner"), _("Office"),
               _("Interview"), _("Status"), _("Complete"), _("Alert"), _("Sent"),
               _("QA queries"), _("Member"))
    STATUS, COMPLETE, ALERT, SENT, QUERIES, MEMBER = 5, 6, 7, 8, 9, 10

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseSummary] = []
        self.delivered: set[str] = set()
        self.conflicted: set[str] = set()  # the lead's receipt reported them in conflict
        self.members: dict[str, str] = {}  # case id → the member holding it (the lead's list)
        self.seconds: set[str] = set()  # the cases held here as a second assessment
        self._texts: list[tuple[str, ...] | None] = []

    def set_rows(self, rows: list[CaseSummary], delivered: set[str] | None = None,
                 conflicted: set[str] | None = None,
                 members: dict[str, str] | None = None,
                 seconds: set[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.delivered = set(delivered or ())
        self.conflicted = set(conflicted or ())
        self.members = dict(members or {})
        self.seconds = set(seconds or ())
        self._texts = [None] * len(rows)
        self._order(*self.sorted_by)
        self.endResetModel()

    sorted_by: tuple[int, Qt.SortOrder] = (4, Qt.SortOrder.AscendingOrder)  # interview time

    def sort_rows(self, col: int, order: Qt.SortOrder) -> None:
        """Put the rows in order by one column's sort keys, keeping the selection."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = self._order(col, order)
        self.changePersistentIndexList(
            before, [self.index(moved[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()

    def _order(self, col: int, order: Qt.SortOrder) -> list[int]:
        """Each old row's new place, sorted by one column's keys.

        Sorted here in Python, one key per row, rather than by the proxy, which calls
        ``data`` twice for every comparison.
        """
        self.sorted_by = (col, order)
        ranked = sorted(range(len(self.rows)), key=lambda r: self.sort_key(r, col),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self.rows = [self.rows[r] for r in ranked]
        self._texts = [self._texts[r] for r in ranked]
        moved = [0] * len(ranked)
        for new, old in enumerate(ranked):
            moved[old] = new
        return moved

    def member(self, s: CaseSummary) -> str:
        return self.members.get(s.case.id) or _("Not allocated")

    def status_words(self, s: CaseSummary) -> str:
        """The status in words; a case held as a second assessment says so."""
        status = STATUS_LABELS.get(s.display_status, s.display_status)
        if s.case.id in self.seconds:
            return _("{status} (second assessment)").format(status=status)
        return status

    def update_row(self, summary: CaseSummary, delivered: bool = False) -> None:
        (self.delivered.add if delivered else self.delivered.discard)(summary.case.id)
        for i, r in enumerate(self.rows):
            if r.case.id == summary.case.id:
                self.rows[i] = summary
                self._texts[i] = None
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
                return

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def text(self, row: int, col: int) -> str:
        """The cell's words as shown (the row's are worked out on first use)."""
        if col == self.COMPLETE:
            return f"{self.rows[row].completeness.percent}%"
        texts = self._texts[row]
        if texts is None:
            s = self.rows[row]
            texts = self._texts[row] = (
                s.case.case_ref,
                s.case.person_name,
                s.case.practitioner,
                s.case.office,
                _format_slot(s.case.interview_at),
                self.status_words(s),
                "",  # Complete: worked out on its own, above
                _alert_words(s.open_alerts, s.alert_states) if s.alerts else "",
                _("In conflict at the lead") if s.case.id in self.conflicted
                else (_("Received by lead") if s.case.id in self.delivered else ""),
                _("{n} open").format(n=s.open_queries) if s.open_queries else "",
                self.member(s),
            )
        return texts[col]

    def sort_key(self, row: int, col: int) -> Any:
        """The key the rows are sorted by on column ``col`` (that column's alone)."""
        s = self.rows[row]
        case = s.case
        if col == 0:
            return case.case_ref
        if col == 1:
            return case.person_name.casefold()
        if col == 2:
            return case.practitioner.casefold()
        if col == 3:
            return case.office
        if col == 4:
            return case.interview_at or "9999"  # no interview: last
        if col == self.STATUS:
            return _STATUS_ORDER.get(s.display_status, len(_STATUS_ORDER))
        if col == self.COMPLETE:
            return s.completeness.percent
        if col == self.ALERT:
            return s.alerts
        if col == self.SENT:
            return case.id in self.delivered
        if col == self.QUERIES:
            return s.open_queries
        return self.member(s).casefold()

    def column_words(self) -> list[set[str]]:
        """Each column's distinct words over every row (the Complete column's left empty)."""
        for r in range(len(self.rows)):
            self.text(r, 0)
        texts = [t for t in self._texts if t is not None]
        return [set(column) for column in zip(*texts, strict=True)] if texts else [
            set() for _c in self.COLUMNS]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, col)
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return self.sort_key(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            s = self.rows[row]
            if ((col == self.ALERT and s.open_alerts)
                    or (col == self.SENT and s.case.id in self.conflicted)):
                return QtGui.QBrush(QtGui.QColor("#d4351c"))
            if col == self.QUERIES and s.open_queries:
                return QtGui.QBrush(QtGui.QColor("#1d70b8"))
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.COLUMNS[col]}: {self.text(row, col)}"
        return None


ALERT_STATE_WORDS = {
    "acknowledged": _("{n} acknowledged"),
    "assurance": _("{n} assurance sought"),
    "evidence": _("{n} evidence received"),
    "closed": _("{n} closed"),
    "advice": _("{n} advice, no follow-up"),
}


_STATUS_ORDER = {key: n for n, key in enumerate(STATUS_LABELS)}


def _alert_words(still_open: int, states: tuple[str, ...]) -> str:
    """A case's alerts in words: how many are open, then how many at each later step."""
    parts = [_("{n} open").format(n=still_open)] if still_open else []
    parts += [words.format(n=states.count(state))
              for state, words in ALERT_STATE_WORDS.items() if state in states]
    return ", ".join(parts) or _("Raised")


def _format_slot(at: str | None) -> str:
    if not at:
        return ""
    date, _sep, time = at.partition("T")
    return f"{date} {time[:5]}".strip()


class _Filter(QSortFilterProxyModel):
    """Keeps rows that contain every word typed, in any column a person would search.

    In the lead's list, also only the rows held by the member and with the status chosen.
    """

    words: tuple[str, ...] = ()
    member: str | None = None  # a member's label as the Member column shows it; None: all
    status: str | None = None  # a stored status key; None: all

    def set_words(self, text: str) -> None:
        # Qt 6.9 replaced invalidateFilter() (now deprecated) with begin/endFilterChange().
        self.beginFilterChange()
        self.words = tuple(text.lower().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_choice(self, member: str | None, status: str | None) -> None:
        self.beginFilterChange()
        self.member, self.status = member, status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The model sorts its own rows (the header's click and ``sortByColumn`` land here)."""
        model = self.sourceModel()
        if isinstance(model, CasesModel) and column >= 0:
            model.sort_rows(column, order)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CasesModel)
        s = model.rows[row]
        if self.member is not None and model.member(s) != self.member:
            return False
        if self.status is not None and s.display_status != self.status:
            return False
        if not self.words:
            return True
        haystack = " ".join((s.case.case_ref, s.case.practitioner, s.case.office,
                             s.case.person_name, STATUS_LABELS.get(s.display_status, ""),
                             model.members.get(s.case.id, ""))).lower()
        return all(word in haystack for word in self.words)


HINT = _("Down moves from the filter to the list · Enter opens the selected case · Ctrl+F "
         "filters · Ctrl+K checks your cases · Ctrl+L locks")
LEAD_HINT = _("Down moves from the filter to the list · Enter opens the selected case, "
              "read-only unless it is yours · Ctrl+F filters · Ctrl+L locks")


RETENTION_STYLE = ("QLabel#retentionReminder { background: #fff7bf; padding: 6px; "
                   "border-left: 4px solid #ffdd00; }")


class CasesView(QtWidgets.QWidget):
    """The case list. Enter (or a double click) opens the selected case.

    The focus starts in the filter box: Down moves into the list, and Up on the list's top row
    returns to the box, so the keyboard alone filters, chooses and opens.
    """

    open_case = Signal(str)
    check_cases = Signal()  # "Check my cases": the QA checks on the assessor's own cases

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.title = heading(_("My cases"))
        top.addWidget(self.title, 1)
        self.filter = QtWidgets.QLineEdit()
        self.filter.setPlaceholderText(_("Filter by case, person, practitioner, office or "
                                         "status"))
        self.filter.setAccessibleName(_("Filter cases"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(360)
        self.filter.setMaximumWidth(460)
        top.addWidget(self.filter)
        # The lead's list only: who holds each case, and by which status.
        self.member_filter = QtWidgets.QComboBox()
        self.member_filter.setAccessibleName(_("Show the cases of"))
        self.member_filter.setToolTip(_("Show the cases one member holds"))
        self.status_filter = QtWidgets.QComboBox()
        self.status_filter.setAccessibleName(_("Show the cases whose status is"))
        self.status_filter.setToolTip(_("Show the cases with one status"))
        self.status_filter.addItem(_("Any status"), None)
        for key, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, key)
        for combo in (self.member_filter, self.status_filter):
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._choice_changed)
            combo.hide()
            top.addWidget(combo)
        self.check_button = QtWidgets.QPushButton(_("Check my cases"))
        self.check_button.setToolTip(_("Run the QA partner's checks on your cases before the "
                                       "lunchtime meeting (Ctrl+K)"))
        self.check_button.clicked.connect(self.check_cases)
        top.addWidget(self.check_button)
        layout.addLayout(top)
        # The lead's reminder that an inspection's retention date has come (retention/).
        self.retention_notice = QtWidgets.QLabel()
        self.retention_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.retention_notice.setWordWrap(True)
        self.retention_notice.setObjectName("retentionReminder")
        self.retention_notice.setStyleSheet(RETENTION_STYLE)
        self.retention_notice.setAccessibleName(_("Retention reminder"))
        self.retention_notice.hide()
        layout.addWidget(self.retention_notice)
        self.model = CasesModel()
        self.proxy = _Filter()
        self.proxy.setSourceModel(self.model)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Cases"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # by interview time
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Sized once per list from its words (_fit_columns), not by asking Qt to measure
        # every cell of every row on each change, which grew with the list.
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.Stretch)
        # activated is Enter, and a double click (or the platform's single click): connected
        # alone, so one press opens the case once.
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.hint = QtWidgets.QLabel(HINT)
        self.hint.setEnabled(False)
        layout.addWidget(self.hint)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self.focus_list)
        find = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.filter.setFocus)
        check = QtGui.QShortcut(QtGui.QKeySequence("Ctrl+K"), self)
        check.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        check.activated.connect(self.check_cases)
        self.filter.installEventFilter(self)
        self.table.installEventFilter(self)

    def set_cases(self, rows: list[CaseSummary], delivered: set[str] | None = None,
                  conflicted: set[str] | None = None,
                  members: dict[str, str] | None = None,
                  seconds: set[str] | None = None) -> None:
        """Show the cases; ``members`` (the lead's list) adds who holds each and the filters.

        ``seconds``: the cases held here as a second assessment (their status says so).
        """
        self.model.set_rows(rows, delivered, conflicted, members, seconds)
        lead = members is not None
        self.table.setColumnHidden(CasesModel.MEMBER, not lead)
        self._fit_columns()
        for combo in (self.member_filter, self.status_filter):
            combo.setVisible(lead)
        self.check_button.setVisible(not lead)
        self.hint.setText(LEAD_HINT if lead else HINT)
        if lead:
            header = self.table.horizontalHeader()
            if header.visualIndex(CasesModel.MEMBER) != 1:
                header.moveSection(header.visualIndex(CasesModel.MEMBER), 1)  # beside the case
            chosen = self.member_filter.currentData()
            self.member_filter.blockSignals(True)
            self.member_filter.clear()
            self.member_filter.addItem(_("Every member"), None)
            for name in sorted({self.model.member(s) for s in rows}, key=str.casefold):
                self.member_filter.addItem(name, name)
            self.member_filter.setCurrentIndex(max(0, self.member_filter.findData(chosen)))
            self.member_filter.blockSignals(False)
            if (self.proxy.member, self.proxy.status) != (self.member_filter.currentData(),
                                                          self.status_filter.currentData()):
                self._choice_changed()  # the rows were filtered afresh by the model's reset
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _fit_columns(self) -> None:
        """Each column (but the two that stretch) as wide as its widest words or its title.

        Measured over each column's distinct words; the Complete column's widest is 100%.
        """
        model, header = self.model, self.table.horizontalHeader()
        cell = self.table.fontMetrics()
        title = header.fontMetrics()
        pad = 2 * self.table.style().pixelMetric(
            QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 12
        columns = model.column_words()
        columns[model.COMPLETE] = {"100%"}
        interactive = QtWidgets.QHeaderView.ResizeMode.Interactive
        for col, words in enumerate(columns):
            if header.sectionResizeMode(col) != interactive or self.table.isColumnHidden(col):
                continue
            widest = max(map(cell.horizontalAdvance, words), default=0)
            header.resizeSection(col, max(widest + pad, header.sectionSizeHint(col),
                                          title.horizontalAdvance(model.COLUMNS[col]) + 28))

    def filter_cases(self, *, member: str | None = None, status: str | None = None) -> None:
        """Choose a member and a status in the filters (None: every one)."""
        self.member_filter.setCurrentIndex(max(0, self.member_filter.findData(member)))
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(status)))

    def _choice_changed(self, *_args: object) -> None:
        self.proxy.set_choice(self.member_filter.currentData(), self.status_filter.currentData())
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_words(text)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)  # Down then Enter opens the first case that matches

    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() != QtCore.QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QtGui.QKeyEvent)
        key = event.key()
        if obj is self.filter and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.focus_list()
            return True
        if (obj is self.table and key == Qt.Key.Key_Up
                and self.table.currentIndex().row() <= 0):
            self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False

    def set_retention_notice(self, lines: list[str]) -> None:
        """Show the lead's retention reminders above the list (hidden when there are none)."""
        self.retention_notice.setText("\n".join(lines))
        self.retention_notice.setVisible(bool(lines))

    def focus_list(self) -> None:
        """Put the focus on the list, on the selected row (the first when none is)."""
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():  # nothing selected (the filter matches no case)
            return
        source = self.proxy.mapToSource(index)
        self.open_case.emit(self.model.rows[source.row()].case.id)

