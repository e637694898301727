"""The lead's consolidation window: dashboard, tables, domain one, ratings panel, exports.

A window of its own beside the main window (not a dialog: the case list, imports and the lock
stay usable, and it has its own entry in the taskbar). One tab per screen, over one inspection
chosen at the top. Consolidating runs off the GUI thread (``gui/common/jobs.py``); while it or
an export runs the tabs wait, and ``busy_changed`` tells the main window to hold its own screen
too, so nothing writes to the workspace's one connection while the job reads it. The panel and
the overall rating always use every case marked complete; the tables use the filters and the
counting rule chosen on their tab (the table per PDU the rule but not the filters: it is every
PDU's cases), and the workbook is not offered while that rule is provisional.
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.consolidation.counting import FINAL, CountRule
from hmip_desktop.consolidation.drilldown import drill_down, prompt_counts
from hmip_desktop.consolidation.pdu_tables import pdu_tables
from hmip_desktop.consolidation.subgroups import subgroup_tables
from hmip_desktop.consolidation.tables import Filters, consolidate, filter_options
from hmip_desktop.errors import UserError
from hmip_desktop.findings.case_links import case_links
from hmip_desktop.findings.report import report_lines
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.assessor.cases_view import RETENTION_STYLE
from hmip_desktop.gui.common.jobs import run_job
from hmip_desktop.gui.common.qt import Qt, QtGui, QTimer, QtWidgets, Signal
from hmip_desktop.gui.lead.common import LEAD_STYLE, MessageLine, inspection_label
from hmip_desktop.gui.lead.dashboard import DashboardScreen
from hmip_desktop.gui.lead.debrief import DebriefScreen
from hmip_desktop.gui.lead.domain_one import DomainOneScreen
from hmip_desktop.gui.lead.double_view import DoubleScreen
from hmip_desktop.gui.lead.drilldown import DrillDownDialog
from hmip_desktop.gui.lead.exports import ExportsScreen
from hmip_desktop.gui.lead.findings_page import FindingsScreen
from hmip_desktop.gui.lead.panel import PanelScreen
from hmip_desktop.gui.lead.tables import TablesScreen
from hmip_desktop.gui.lead.training_view import TrainingScreen
from hmip_desktop.i18n import _
from hmip_desktop.retention.reminders import reminders
from hmip_desktop.store.workspace import Workspace


class ConsolidationWindow(QtWidgets.QWidget):
    consolidated = Signal()  # after every consolidation shown (tests wait on it)
    busy_changed = Signal(bool)  # a job reads the workspace (True) or is done (False)
    window_closed = Signal()

    def __init__(self, ws: Workspace, owner: QtWidgets.QWidget | None = None) -> None:
        # No parent: a top-level window of its own, with its own taskbar entry. ``owner`` is the
        # main window, watched for the idle lock.
        super().__init__(None, Qt.WindowType.Window)
        self.owner = owner
        self.ws = ws
        self.framework: Framework | None = None
        self.full: Any = None  # every case: the panel's figures
        self.filtered: Any = None  # the tables' figures
        self.pending = 0
        self.closed = False  # the workspace locked under it
        self.closing = False
        self._focus: QtWidgets.QWidget | None = None
        self.retention_dialog: Any = None  # the Retention dialog, while open
        self.setWindowTitle(_("Consolidation"))
        self.setStyleSheet(LEAD_STYLE)
        self.resize(1280, 700)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        label = QtWidgets.QLabel(_("&Inspection:"))
        self.inspection = QtWidgets.QComboBox()
        self.inspection.setAccessibleName(_("Inspection"))
        label.setBuddy(self.inspection)
        self.inspection.currentIndexChanged.connect(self.load)
        top.addWidget(label)
        top.addWidget(self.inspection, 1)
        refresh = QtWidgets.QPushButton(_("Re&fresh"))
        refresh.setToolTip(_("Consolidate again, after an import (F5)"))
        refresh.clicked.connect(self.load)
        QtGui.QShortcut(QtGui.QKeySequence("F5"), self, self.load)
        top.addWidget(refresh)
        self.retention_button = QtWidgets.QPushButton(_("&Retention…"))
        self.retention_button.setToolTip(_("The inspection's retention date; archive or purge "
                                           "it"))
        self.retention_button.clicked.connect(self.show_retention)
        top.addWidget(self.retention_button)
        layout.addLayout(top)
        # The reminder: an inspection whose retention date has come (retention/service.py).
        self.reminder = QtWidgets.QLabel()
        self.reminder.setTextFormat(Qt.TextFormat.PlainText)
        self.reminder.setWordWrap(True)
        self.reminder.setObjectName("retentionReminder")
        self.reminder.setStyleSheet(RETENTION_STYLE)
        self.reminder.setAccessibleName(_("Retention reminder"))
        layout.addWidget(self.reminder)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setAccessibleName(_("Consolidation screens"))
        self.dashboard = DashboardScreen(ws)
        self.tables = TablesScreen()
        self.domain_one = DomainOneScreen(ws)
        self.panel = PanelScreen(ws)
        self.exports = ExportsScreen(ws)
        self.debrief = DebriefScreen(ws)
        self.findings = FindingsScreen(ws)
        self.training = TrainingScreen(ws)
        self.double = DoubleScreen(ws)
        for screen, title in ((self.dashboard, _("&1 Dashboard")),
                              (self.tables, _("&2 Tables")),
                              (self.domain_one, _("&3 Domain one")),
                              (self.panel, _("&4 Ratings panel")),
                              (self.exports, _("&5 Exports")),
                              (self.debrief, _("&6 Debriefs")),
                              (self.findings, _("&7 Findings and evidence")),
                              (self.training, _("&8 Training")),
                              (self.double, _("&9 Double assessment"))):
            self.tabs.addTab(screen, title)
        layout.addWidget(self.tabs, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Close, self, self.close)

        self.tables.filters_changed.connect(self.refilter)
        self.tables.drill_requested.connect(self.show_drill_down)
        self.drill: DrillDownDialog | None = None
        self.prompts: list[tuple[Any, Any]] = []  # (consolidation, its prompt counts)
        self.groups: list[tuple[Any, Any]] = []  # (consolidation, its sub-group tables)
        self.outputs: tuple[Any, Any] = (None, None)  # the table per PDU, the findings report
        self.pdu_provisional: bool | None = None  # the rule the table per PDU was counted by
        self.domain_one.changed.connect(self.reconsolidate)
        self.findings.findings.changed.connect(self._refresh_report)
        self.panel.changed.connect(self.reconsolidate)
        self.exports.busy.connect(self._busy)
        # The main window's idle lock closes the workspace: this window then closes too.
        self._watch = QTimer(self)
        self._watch.timeout.connect(self._close_if_locked)
        self._watch.start(500)
        self.reload_inspections()

    def reject(self) -> None:
        """Close the window (as its Close button does)."""
        self.close()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.closing = True  # saving below starts no consolidation
        if self.retention_dialog is not None:  # the lock closes it with the window
            self.retention_dialog.reject()
        if not self.closed:  # the workspace is still open: save what is being typed
            self.domain_one.flush()
        self._watch.stop()
        super().closeEvent(event)
        self.window_closed.emit()

    def _close_if_locked(self) -> None:
        owner = self.owner
        if owner is not None and hasattr(owner, "ws") and owner.ws is not self.ws:
            self.closed = True
            self.close()

    # -- inspections -----------------------------------------------------------------------

    def reload_inspections(self) -> None:
        lines = reminders(self.ws)
        self.reminder.setText("\n".join(lines))
        self.reminder.setVisible(bool(lines))
        self.inspection.blockSignals(True)
        self.inspection.clear()
        for i in self.ws.inspections():
            self.inspection.addItem(inspection_label(self.ws, i), i["id"])
        self.inspection.blockSignals(False)
        self.load()

    def show_retention(self) -> None:
        """The chosen inspection's retention date, archive and purge, in a dialog."""
        iid = self.iid()
        if iid is None or self.pending:
            return
        from hmip_desktop.gui.lead.retention_dialog import RetentionDialog  # noqa: PLC0415

        dialog = RetentionDialog(self.ws, iid, self)
        self.retention_dialog = dialog  # tests drive it while it is open
        dialog.exec()
        self.retention_dialog = None
        done = dialog.done_removal
        if self.closing or self.closed:  # the workspace was locked meanwhile
            return
        self.reload_inspections()
        if done is not None:
            self.message.done(_("{title}: {what}.").format(
                title=done.title, what=_("archived, its published figures kept")
                if done.action == "archive" else _("purged")))

    def iid(self) -> str | None:
        data = self.inspection.currentData()
        return str(data) if data else None

    def select_inspection(self, iid: str) -> None:
        self.inspection.setCurrentIndex(self.inspection.findData(iid))

    def load(self) -> None:
        iid = self.iid()
        self.outputs = (None, None)
        self.pdu_provisional = None
        self.tables.set_outputs(None, None)
        self.framework = self.ws.inspection_framework(iid) if iid else None
        self.dashboard.set_inspection(iid)
        self.domain_one.set_inspection(iid, self.framework)
        self.panel.set_inspection(iid, self.framework)
        self.exports.set_inspection(iid, self.inspection.currentText())
        self.debrief.set_inspection(iid)
        self.findings.set_inspection(iid, self.framework)
        self.double.set_inspection(iid)
        if iid is None or self.framework is None:
            self.message.refused(_("No inspection yet: set one up first."))
            return
        try:
            self.tables.set_options(filter_options(self.ws, iid), self.framework)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.reconsolidate()

    # -- consolidating off the GUI thread --------------------------------------------------

    def _busy(self, on: bool) -> None:
        """Hold the screens while a job reads the workspace; give focus back afterwards."""
        if on and self.pending == 0:
            self._focus = QtWidgets.QApplication.focusWidget()
        self.pending += 1 if on else -1
        idle = self.pending == 0
        if (self.pending == 1 and on) or idle:
            self.busy_changed.emit(not idle)
        self.tabs.setEnabled(idle)
        self.inspection.setEnabled(idle)
        self.retention_button.setEnabled(idle)
        focus = self._focus
        if idle and focus is not None:
            self._focus = None
            try:
                if focus.isVisible() and focus.isEnabled():
                    focus.setFocus()
            except RuntimeError:  # the widget went while the job ran
                pass

    def _consolidate(self, filters: Filters | None, done: Any,
                     rule: CountRule = FINAL) -> None:
        iid = self.iid()
        if iid is None or self.closing:
            return
        self._busy(True)
        # The table per PDU follows the tick box, not the filters (it is every PDU's cases):
        # counted again with a consolidation of every case, or when the tick box changed.
        pdu_rule = self.tables.rule()
        want_pdu = filters is None or self.pdu_provisional != pdu_rule.provisional

        def ok(pair: Any) -> None:
            if self.closing:  # closed while the job ran: nothing to show it on
                return
            self._busy(False)
            result, prompts, groups, (pdu, report) = pair
            self.prompts = [*self.prompts[-1:], (result, prompts)]
            self.groups = [*self.groups[-1:], (result, groups)]
            self.outputs = (self.outputs[0] if pdu is None else pdu,
                            self.outputs[1] if report is None else report)
            if pdu is not None:
                self.pdu_provisional = pdu_rule.provisional
                if filters is not None:  # a consolidation of every case shows it when done
                    self.tables.set_outputs(*self.outputs)
            if result.inspection_id == self.iid():
                done(result)
            self.consolidated.emit()

        def failed(error: BaseException) -> None:
            if self.closing or self.closed:
                return  # closed, or the workspace was locked, while the job ran
            self._busy(False)
            if not isinstance(error, UserError):
                raise error
            self.message.refused(str(error))
            self.consolidated.emit()

        def work() -> tuple[Any, Any, Any, Any]:
            c = consolidate(self.ws, iid, filters, rule)
            pdu = pdu_tables(self.ws, iid, pdu_rule) if want_pdu else None
            report = report_lines(self.ws, iid) if filters is None else None  # no counts
            return c, prompt_counts(self.ws, c), subgroup_tables(self.ws, c), (pdu, report)

        run_job(self, _("Consolidating…"), work, ok, failed)

    def _show_tables(self, result: Any) -> None:
        assert self.framework is not None
        self.filtered = result
        counts: Any = next((p for c, p in self.prompts if c is result), {})
        self.tables.set_consolidation(result, self.framework, counts)
        self.tables.set_subgroups(next((g for c, g in self.groups if c is result), ()))

    def reconsolidate(self) -> None:
        """Every case for the panel; then the tables with their filters."""
        def done(result: Any) -> None:
            assert self.framework is not None
            self.full = result
            self.panel.set_consolidation(result)
            counts: Any = next((p for c, p in self.prompts if c is result), {})
            links = case_links(result, counts)
            self.domain_one.set_case_links(links)
            self.findings.findings.set_case_links(links)
            self.tables.set_outputs(*self.outputs)
            self.domain_one.refresh_panel_decisions()
            self.message.done(_("{n} cases consolidated.").format(n=result.cases))
            filters = self.tables.filters.filters()
            if filters.pdu or filters.team or filters.facts or self.tables.rule().provisional:
                self.refilter(filters)
            else:
                self._show_tables(result)

        self._consolidate(None, done)

    def _refresh_report(self) -> None:
        """A finding added or removed: the Tables tab's findings per question follow it."""
        iid = self.iid()
        if iid is not None and not self.pending:
            self.outputs = (self.outputs[0], report_lines(self.ws, iid))
            self.tables.set_outputs(*self.outputs)

    def refilter(self, filters: Filters) -> None:
        rule = self.tables.rule()
        self.exports.set_rule(rule)
        self._consolidate(filters, self._show_tables, rule)

    def show_drill_down(self, kq_id: str) -> None:
        """The cases behind a key question of the tables shown, under the same rule."""
        if self.filtered is None:
            return
        try:
            drill = drill_down(self.ws, self.filtered, kq_id)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.drill = DrillDownDialog(drill, self)
        self.drill.show()
