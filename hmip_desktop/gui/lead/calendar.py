"""The lead's inspection calendar: a week grid, a row per member and a column per fieldwork day.

Each cell lists that member's interviews, fixed events (the observation, the lunchtime QA
meetings, the debrief) and domain-one meetings for the day, in time order; the day's heading
gives its week and hours. "Print schedules…" shows every member's printable schedule, or the
selected member's, with buttons that print it and save it as PDF.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.day_names import short_day
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.pdf import ReportView
from hmip_desktop.gui.common.plain_text import warn
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import write_recorded
from hmip_desktop.member_labels import member_labels
from hmip_desktop.setup.schedule_service import (
    InspectionWeek,
    entry_words,
    inspection_week,
    member_schedule_html,
)
from hmip_desktop.setup.week import INTERVIEW, MEETING
from hmip_desktop.setup.week_rules import clock_text
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import role_label

COLOURS = {INTERVIEW: "#1d70b8", MEETING: "#4c2c92"}  # events in the text colour


class CalendarDialog(QtWidgets.QDialog):
    def __init__(self, ws: Workspace, inspection_id: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid = inspection_id
        self.report: ReportView | None = None
        self.setWindowTitle(_("Inspection calendar"))
        self.resize(1200, 700)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.joint = QtWidgets.QCheckBox(_("Joint inspection (adds the weeks only it has)"))
        self.joint.toggled.connect(self.refresh)
        top.addWidget(self.joint)
        top.addStretch(1)
        self.print_button = QtWidgets.QPushButton(_("Print schedules…"))
        self.print_button.setToolTip(_("Every member's schedule, or the selected member's"))
        self.print_button.clicked.connect(self.print_schedules)
        top.addWidget(self.print_button)
        layout.addLayout(top)
        self.grid = QtWidgets.QTableWidget(0, 0)
        self.grid.setAccessibleName(_("Inspection calendar"))
        self.grid.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setWordWrap(True)
        layout.addWidget(self.grid, 1)
        self.notes = QtWidgets.QLabel()
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.week: InspectionWeek | None = None
        self.refresh()

    def refresh(self) -> None:
        try:
            self.week = week = inspection_week(self.ws, self.iid, joint=self.joint.isChecked())
        except UserError as refused:
            self.week = None
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            self.notes.setText(str(refused))
            return
        labels = member_labels(week.names.items())
        ids = list(week.names)
        self.grid.setColumnCount(len(week.plan.days))
        self.grid.setRowCount(len(ids))
        self.grid.setHorizontalHeaderLabels([
            f"{short_day(d.day)}\n{week.said(d.week.label)}\n"
            f"{clock_text(d.start)}–{clock_text(d.end)}" for d in week.plan.days])
        self.grid.setVerticalHeaderLabels([
            f"{labels[mid]}\n{role_label(week.roles[mid])}" for mid in ids])
        col = {d.day: i for i, d in enumerate(week.plan.days)}
        cells: dict[tuple[int, int], list[str]] = {}
        kinds: dict[tuple[int, int], set[str]] = {}
        for r, mid in enumerate(ids):
            for e in week.plan.of(mid):
                if e.day in col:
                    key = (r, col[e.day])
                    cells.setdefault(key, []).append(
                        f"{clock_text(e.start)}–{clock_text(e.end)} {entry_words(e, week)}")
                    kinds.setdefault(key, set()).add(e.kind)
        for r in range(len(ids)):
            for c in range(len(week.plan.days)):
                item = QtWidgets.QTableWidgetItem("\n".join(cells.get((r, c), [])))
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
                if kinds.get((r, c)) == {INTERVIEW}:
                    item.setForeground(QtGui.QBrush(QtGui.QColor(COLOURS[INTERVIEW])))
                self.grid.setItem(r, c, item)
        for c in range(len(week.plan.days)):
            self.grid.setColumnWidth(c, 210)
        self.grid.resizeRowsToContents()
        lines = [_("No interview time (read from file, or not set yet): {refs}").format(
            refs=", ".join(week.plan.file_reads))] if week.plan.file_reads else []
        lines += [_("No time found: {what}").format(what=u) for u in week.plan.unscheduled]
        self.notes.setText("\n".join(lines))

    def selected_member(self) -> str | None:
        row = self.grid.currentRow()
        item = self.grid.item(row, 0) if row >= 0 else None
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def print_schedules(self) -> ReportView | None:
        if self.week is None:
            return None
        try:
            html = member_schedule_html(self.week, self.selected_member())
        except UserError as e:
            warn(self, _("Not done"), str(e))
            return None
        week, member = self.week, self.selected_member()
        view = ReportView(html, title=_("Schedules"), parent=self, personal_data=True,
                          make_html=lambda: member_schedule_html(week, member),
                          suggested_name=str(Path.home() / "schedules.pdf"),
                          save_with=lambda path, write: write_recorded(
                              self.ws, path, "schedule", write))
        self.report = view
        view.open()
        return view
