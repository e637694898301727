"""The main window: the case list, the case form, and the idle lock that hides them."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hmip_desktop.exchange.assessments import delivered_cases, in_conflict_at_lead
from hmip_desktop.exchange.escrow import escrow_pending
from hmip_desktop.exchange.second_bundles import held_as_second
from hmip_desktop.gui.assessor.cases_view import CasesView
from hmip_desktop.gui.common import jobs
from hmip_desktop.gui.common.language_switch import language_action
from hmip_desktop.gui.common.qt import QEvent, QObject, Qt, QtGui, QTimer, QtWidgets
from hmip_desktop.gui.common.training_banner import TRAINING_COLOUR, training_banner
from hmip_desktop.gui.common.unlock import Lockout, UnlockDialog
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import _
from hmip_desktop.retention.reminders import reminders
from hmip_desktop.store.reads import case_holders
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alerts import holds_alert_authority
from hmip_desktop.team.review import inspections_to_review

if TYPE_CHECKING:  # the other pages are built, and their modules imported, when first shown
    from hmip_desktop.gui.assessor.case_form import CaseForm
    from hmip_desktop.gui.assessor.check_view import CheckView
    from hmip_desktop.gui.assessor.practice_view import PracticeView
    from hmip_desktop.gui.assessor.return_view import ReturnView
    from hmip_desktop.gui.lead.alerts_page import AlertsPage
    from hmip_desktop.gui.qa.view import QaView

DEFAULT_IDLE_MINUTES = 10
PAGE_CHECK_POLL_MS = 100
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}

SAVED_HINT = _("Every change is saved as you make it.")
ESCROW_NOTICE = _(
    "Your recovery key has not gone to your lead inspector yet. It goes with your next export "
    "of cases; until then, a forgotten passphrase would lose this workspace.")


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, ws: Workspace, folder: Path, *, idle_minutes: float = DEFAULT_IDLE_MINUTES,
                 lockout: Lockout | None = None) -> None:
        super().__init__()
        self.ws: Workspace | None = ws
        self.folder = folder
        self.lockout = lockout or Lockout()
        self.form: CaseForm | None = None
        self.consolidation: Any = None  # the lead's consolidation window, while open
        self.review_window: Any = None  # the partner inspector's cases to review, while open
        self._reopen_case: str | None = None
        self._lock_pending = False
        self.setWindowTitle(_("hmip-desktop — {name}").format(name=ws.owner_name))
        self.stack = QtWidgets.QStackedWidget()
        central = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        self.escrow_notice = QtWidgets.QLabel(ESCROW_NOTICE)
        self.escrow_notice.setWordWrap(True)
        self.escrow_notice.setAccessibleName(_("Recovery key not yet with the lead"))
        self.escrow_notice.setStyleSheet(
            "background: #fff7bf; color: #0b0c0c; border-left: 5px solid #ffdd00;"
            " padding: 8px;")
        column.addWidget(self.escrow_notice)
        # A workspace holding a training inspection says so above everything, in its colour.
        # Beside real inspections (a lead's), the banner says so and the frame stays plain.
        kinds = {bool(i["training"]) for i in ws.inspections()}
        training = True in kinds
        self.training_banner = training_banner(mixed=False in kinds)
        self.training_banner.setVisible(training)
        if kinds == {True}:
            central.setObjectName("trainingCentral")
            central.setStyleSheet(f"#trainingCentral {{ border: 6px solid {TRAINING_COLOUR}; }}")
        column.addWidget(self.training_banner)
        column.addWidget(self.stack)
        self.setCentralWidget(central)
        self.cases = CasesView()
        self.cases.open_case.connect(self.open_case)
        self.cases.check_cases.connect(self.show_check)
        self.stack.addWidget(self.cases)
        # Check my cases, the deputy lead's alerts, Ready to return and the locked page are
        # built when first needed (``check``, ``alerts_page``, ``return_view``, ``locked``):
        # the window shows sooner, with only the case list built.
        self._check: CheckView | None = None
        self._alerts_page: AlertsPage | None = None
        self._return_view: ReturnView | None = None
        self._locked: QtWidgets.QWidget | None = None
        self._back_to_check = False  # the open case was opened from Check my cases
        # A QA partner's home is the QA view (their own cases are listed there too).
        self.qa_view: QaView | None = None
        if ws.owner_role == "qa":
            from hmip_desktop.gui.qa.view import QaView  # noqa: PLC0415

            self.qa_view = QaView(self)
        self.home: QtWidgets.QWidget = self.qa_view or self.cases
        self.stack.addWidget(self.home)
        self._practice_view: PracticeView | None = None
        self.statusBar().showMessage(SAVED_HINT)
        lock = QtGui.QAction(_("Lock"), self)
        lock.setShortcut(QtGui.QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        self.addAction(lock)
        self.lock_action = lock
        toolbar = self.addToolBar(_("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        self.actions_needing_data: list[QtGui.QAction] = []
        for label, shortcut, slot in (
            (_("Import…"), "Ctrl+I", self.import_bundle),
            (_("Export…"), "Ctrl+E", self.export_bundle),
            (_("My identity…"), "", self.show_identity),
        ):
            action = QtGui.QAction(label, self)
            if shortcut:
                action.setShortcut(QtGui.QKeySequence(shortcut))
            action.triggered.connect(slot)
            toolbar.addAction(action)
            self.addAction(action)
            self.actions_needing_data.append(action)
        self.alerts_action = QtGui.QAction(_("Alerts"), self)
        self.alerts_action.setShortcut(QtGui.QKeySequence("Ctrl+Shift+A"))
        self.alerts_action.setToolTip(_("The alerts you track as deputy lead inspector "
                                        "(Ctrl+Shift+A)"))
        self.alerts_action.triggered.connect(self.show_alerts)
        toolbar.addAction(self.alerts_action)
        self.addAction(self.alerts_action)
        self.actions_needing_data.append(self.alerts_action)
        if ws.owner_role == "lead":
            setup = QtGui.QAction(_("Inspection set-up…"), self)
            setup.triggered.connect(self.show_setup)
            toolbar.addAction(setup)
            self.actions_needing_data.append(setup)
            consolidation = QtGui.QAction(_("Consolidation…"), self)
            consolidation.triggered.connect(self.show_consolidation)
            toolbar.addAction(consolidation)
            self.actions_needing_data.append(consolidation)
        # A partner inspector's cases to review, once the lead's review bundle is imported.
        self.review_action = QtGui.QAction(_("Cases to review…"), self)
        self.review_action.triggered.connect(self.show_review)
        toolbar.addAction(self.review_action)
        self.actions_needing_data.append(self.review_action)
        if ws.owner_role != "lead":
            self.return_action = QtGui.QAction(_("Ready to return…"), self)
            self.return_action.setToolTip(_("What is left before this laptop goes back"))
            self.return_action.triggered.connect(self.show_return)
            toolbar.addAction(self.return_action)
            self.actions_needing_data.append(self.return_action)
            self.practice_action = QtGui.QAction(_("Practice…"), self)
            self.practice_action.setToolTip(_("Practice cases of your own, on this laptop "
                                              "only"))
            self.practice_action.triggered.connect(self.show_practice)
            toolbar.addAction(self.practice_action)
            self.actions_needing_data.append(self.practice_action)
        toolbar.addSeparator()
        self.language_action = language_action(self, folder)
        toolbar.addAction(self.language_action)
        toolbar.addAction(lock)
        self.setAcceptDrops(True)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.set_idle_minutes(idle_minutes)
        self.idle.timeout.connect(self.lock)
        self.idle.start()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.reload_cases()
        self.stack.setCurrentWidget(self.home)
        # The HMAC check of every page, still running alongside: asked after until done.
        self._pages = QTimer(self)
        self._pages.setInterval(PAGE_CHECK_POLL_MS)
        self._pages.timeout.connect(self._pages_checked)
        self._watch_pages()

    def _watch_pages(self) -> None:
        """Ask after the page check every so often while it runs (after the window shows)."""
        if self.ws is not None and self.ws.page_check is not None:
            self._pages.start()

    def _pages_checked(self) -> None:
        """Until the page check is done, ask again; if it failed, say so and close the workspace.

        Nothing was written meanwhile: every write waits for the check (store/page_check.py).
        """
        pending = self.ws.page_check if self.ws is not None else None
        if pending is not None and not pending.done:
            return
        self._pages.stop()
        if pending is None:
            return
        failure = pending.failure
        if failure is None or self.ws is None:
            return
        if self.form is not None:  # not flushed: the workspace refuses every write now
            self.stack.removeWidget(self.form)
            self.form.deleteLater()
            self.form = None
        ws, self.ws = self.ws, None
        ws.close()
        self.idle.stop()
        self.cases.model.set_rows([])
        for action in [self.lock_action, *self.actions_needing_data]:
            action.setEnabled(False)
        self.statusBar().showMessage(str(failure))
        QtWidgets.QMessageBox.critical(self, _("The workspace is damaged"), str(failure))
        self.close()

    # -- pages -------------------------------------------------------------------------------

    @property
    def check(self) -> CheckView:
        """Check my cases (built when first shown)."""
        if self._check is None:
            from hmip_desktop.gui.assessor.check_view import CheckView  # noqa: PLC0415

            self._check = CheckView()
            self._check.open_item.connect(self.open_finding)
            self._check.back.connect(self.show_cases)
            self._check.rerun.connect(self.run_checks)
            self.stack.addWidget(self._check)
        return self._check

    @property
    def alerts_page(self) -> AlertsPage:
        """A deputy lead on an assessor's or QA partner's laptop: the alerts inbox as a page."""
        if self._alerts_page is None:
            from hmip_desktop.gui.lead.alerts_page import AlertsPage  # noqa: PLC0415

            self._alerts_page = AlertsPage()
            self._alerts_page.back.connect(self.show_cases)
            self._alerts_page.inbox.changed.connect(self._reload_alerts)
            self.stack.addWidget(self._alerts_page)
        return self._alerts_page

    @property
    def return_view(self) -> ReturnView:
        """Ready to return: the check before courier collection, and Prepare for return."""
        if self._return_view is None:
            from hmip_desktop.gui.assessor.return_view import ReturnView  # noqa: PLC0415

            self._return_view = ReturnView()
            self._return_view.back.connect(self.show_cases)
            self._return_view.wiped.connect(self._wiped)
            self.stack.addWidget(self._return_view)
        return self._return_view

    @property
    def practice_view(self) -> PracticeView:
        """Practice cases, apart from every inspection (hmip_desktop/practice)."""
        if self._practice_view is None:
            from hmip_desktop.gui.assessor.practice_view import PracticeView  # noqa: PLC0415

            self._practice_view = PracticeView()
            self._practice_view.back.connect(self.show_cases)
            self.stack.addWidget(self._practice_view)
        return self._practice_view

    @property
    def locked(self) -> QtWidgets.QWidget:
        """The page shown while the workspace is locked."""
        if self._locked is None:
            self._locked = self._locked_page()
            self.stack.addWidget(self._locked)
        return self._locked

    def _locked_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        layout.addStretch(1)
        title = heading(_("Locked"), "kqText")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QtWidgets.QLabel(_("The workspace is locked and its data hidden. Everything you "
                                  "entered is saved."))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        layout.addWidget(text)
        button = QtWidgets.QPushButton(_("Unlock…"))
        button.clicked.connect(self.unlock)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._unlock_button = button
        return page

    def show_escrow_notice(self) -> None:
        """Until the recovery key has gone to the lead, the home screen says so."""
        self.escrow_notice.setVisible(self.ws is not None and escrow_pending(self.ws))

    def reload_cases(self) -> None:
        self.show_escrow_notice()
        if self.ws is None:
            return
        self.review_action.setVisible(bool(inspections_to_review(self.ws)))
        self.cases.set_cases(self.ws.list_cases(on_demand=True), delivered_cases(self.ws),
                             in_conflict_at_lead(self.ws), self._members(),
                             held_as_second(self.ws))
        self.cases.title.setText(
            (_("The inspection's cases — {name}") if self.ws.owner_role == "lead"
             else _("My cases — {name}")).format(name=self.ws.owner_name))
        self.cases.set_retention_notice(reminders(self.ws))  # empty but for the lead
        self._reload_alerts()
        if self.qa_view is not None:
            self.qa_view.reload()

    def _reload_alerts(self) -> None:
        """Offer the alerts page only to a deputy lead whose laptop is not the lead's.

        The lead tracks alerts on the consolidation window's dashboard; an assessor or QA
        partner who holds the deputy role gets the same inbox here, and anyone else never sees
        it (a role withdrawn in a later pack takes it away again).
        """
        ws = self.ws
        deputy = ws if ws is not None and ws.owner_role != "lead" else None
        if self._alerts_page is None and (deputy is None or not any(
                holds_alert_authority(deputy, str(i["id"])) for i in deputy.inspections())):
            self.alerts_action.setVisible(False)  # not a deputy: the page is never built
            return
        self.alerts_page.set_workspace(deputy)
        offered = self.alerts_page.inspection.count() > 0
        self.alerts_action.setVisible(offered)
        waiting = self.alerts_page.waiting() if offered else 0
        self.alerts_action.setText(
            _("Alerts ({n} not acknowledged)").format(n=waiting) if waiting else _("Alerts"))
        if not offered and self.stack.currentWidget() is self.alerts_page:
            self.stack.setCurrentWidget(self.home)

    def show_alerts(self) -> None:
        """The deputy lead's alerts inbox, read afresh (once no background check reads)."""
        if self.ws is None or not self.alerts_action.isVisible():
            return
        self.close_form()
        self._back_to_check = False

        def show() -> None:
            if self.ws is None:
                return
            self._reload_alerts()
            if self.alerts_action.isVisible():
                self.stack.setCurrentWidget(self.alerts_page)
                self.alerts_page.inbox.view.setFocus()
                self.statusBar().showMessage(_("Each step on an alert is saved as you take "
                                               "it."))

        jobs.when_idle(show)

    def _members(self) -> dict[str, str] | None:
        """For the lead's case list: who holds each case (as the dashboard names them)."""
        if self.ws is None or self.ws.owner_role != "lead":
            return None
        return case_holders(self.ws)

    def open_case(self, case_id: str) -> None:
        if self.ws is None:
            return
        self.close_form()
        self._back_to_check = False
        from hmip_desktop.gui.assessor.case_form import CaseForm  # noqa: PLC0415

        # Only the owner's workspace changes a case: anyone else's copy opens read-only.
        self.form = (self.qa_view.make_form(case_id) if self.qa_view is not None
                     else CaseForm(self.ws, case_id,
                                   read_only=not self.ws.ownership(case_id).mine))
        self.form.back.connect(self.show_cases)
        self.form.changed.connect(self._case_changed)
        self.stack.addWidget(self.form)
        self.stack.setCurrentWidget(self.form)
        self.form.next_kq(0)
        self.statusBar().showMessage(SAVED_HINT if not self.form.read_only else _(
            "Read-only: this case is not yours to change."))

    def show_check(self) -> None:
        """Check my cases: the QA partner's checks on this assessor's own cases."""
        if self.ws is None:
            return
        self.close_form()
        self._back_to_check = False
        self.run_checks()
        self.stack.setCurrentWidget(self.check)
        self.check.tree.setFocus()
        self.statusBar().showMessage(_("Checked {n} cases as the QA partner will.").format(
            n=len(self.check.checks)))

    def show_return(self) -> None:
        """Ready to return: what is left before courier collection, and Prepare for return."""
        if self.ws is None:
            return
        self.close_form()
        self._back_to_check = False
        self.return_view.set_workspace(self.ws)
        self.stack.setCurrentWidget(self.return_view)
        self.return_view.tree.setFocus()

    def show_practice(self) -> None:
        """The practice area: practice cases, checked, never leaving the laptop."""
        if self.ws is None:
            return
        self.close_form()
        self._back_to_check = False
        self.practice_view.set_workspace(self.ws)
        self.stack.setCurrentWidget(self.practice_view)
        self.practice_view.ref_edit.setFocus()

    def _wiped(self, result: Any) -> None:
        """The workspace was removed: nothing of it is left to show or lock."""
        self.ws = None
        self.idle.stop()
        self.cases.model.set_rows([])
        if self._check is not None:
            self._check.set_checks([])
        if self._alerts_page is not None:
            self._alerts_page.set_workspace(None)
        if self._practice_view is not None:
            self._practice_view.set_workspace(None)
        if self.qa_view is not None:
            self.qa_view.clear()
        self.lock_action.setEnabled(False)
        for action in self.actions_needing_data:
            action.setEnabled(False)
        lines = [_("This laptop's workspace has been removed.")]
        for path in (result.certificates if result is not None else []):
            lines.append(_("Give the wipe certificate {path} to the lead.").format(path=path))
        if result is not None and result.left_in_folder:
            lines.append(_("Left in the workspace folder, as the app did not write them: "
                           "{names}.").format(names=", ".join(result.left_in_folder)))
        if result is None:
            lines.append(self.return_view.message.text())
        lines.append(_("Nothing of it is left on this laptop for the app to open. You can close "
                       "the app; the laptop is ready to be collected."))
        page = QtWidgets.QLabel("\n\n".join(lines))
        page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        page.setWordWrap(True)
        page.setTextFormat(Qt.TextFormat.PlainText)  # it quotes a path
        page.setAccessibleName(_("The workspace has been removed"))
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.wiped_page = page

    def run_checks(self) -> None:
        if self.ws is not None:
            from hmip_desktop.qa.readiness import check_my_cases  # noqa: PLC0415

            self.check.set_checks(check_my_cases(self.ws))

    def open_finding(self, case_id: str, item: str) -> None:
        """Open a case from Check my cases at the item, its findings outlined on the form."""
        if self.ws is None:
            return
        self.open_case(case_id)
        if self.form is None:
            return
        self._back_to_check = True
        self.form.back_button.setText(_("← Check my cases"))
        self.form.back_button.setToolTip(_("Back to the checks on your cases (Alt+Left)"))
        from hmip_desktop.qa.service import case_findings  # noqa: PLC0415

        self.form.set_highlights(case_findings(self.ws, case_id))
        if item:
            self.form.go_to_item(item)

    def _case_changed(self, case_id: str) -> None:
        if self.ws is not None:
            self.cases.model.update_row(self.ws.case_summary(case_id),
                                        case_id in delivered_cases(self.ws))

    def show_cases(self) -> None:
        if self._back_to_check and self.form is not None and self.qa_view is None:
            self.show_check()  # back where the case was opened from, checked again
            return
        self.close_form()
        self._back_to_check = False
        self.statusBar().showMessage(SAVED_HINT)
        self.stack.setCurrentWidget(self.home)
        (self.qa_view.tree if self.qa_view is not None else self.cases.table).setFocus()

    def close_form(self) -> None:
        if self.form is not None:
            self.form.flush()
            self.stack.removeWidget(self.form)
            self.form.deleteLater()
            self.form = None

    # -- bundles ---------------------------------------------------------------------------

    def import_bundle(self, path: Path | None = None) -> None:
        if self.ws is None:
            return
        if path is None:
            from hmip_desktop.gui.common.exchange_actions import BUNDLE_FILTER  # noqa: PLC0415

            name, _f = QtWidgets.QFileDialog.getOpenFileName(
                self, _("Import a bundle"), str(Path.home()), BUNDLE_FILTER)
            if not name:
                return
            path = Path(name)
        # A background job (the QA checks, a consolidation) may be using the database: the
        # import, which writes, waits for it rather than interleave with it.
        if jobs.busy():
            self.statusBar().showMessage(_("Importing {file} as soon as the task under way "
                                           "finishes…").format(file=path.name))
        jobs.when_idle(partial(self._import_now, path))

    def _import_now(self, path: Path) -> None:
        if self.ws is None:  # locked while waiting
            self.statusBar().showMessage(_("{file} was not imported: the app locked first. "
                                           "Import it again.").format(file=path.name))
            return
        self.close_form()
        from hmip_desktop.gui.common.exchange_actions import import_with_checks  # noqa: PLC0415

        import_with_checks(self, self.ws, path)
        self.reload_cases()
        self.stack.setCurrentWidget(self.home)

    def show_review(self) -> None:
        """The partner inspector's window: the cases given to them, read-only, to comment on."""
        if self.ws is None:
            return
        from hmip_desktop.gui.partner.review_window import ReviewWindow  # noqa: PLC0415

        held = inspections_to_review(self.ws)
        if held:  # the window hides with the lock: it is closed there
            self.review_window = ReviewWindow(self.ws, held[0], self)
            self.review_window.show()

    def export_bundle(self) -> None:
        if self.ws is not None:
            if self.form is not None:
                self.form.flush()
            from hmip_desktop.gui.common.exchange_actions import export_dialog  # noqa: PLC0415

            export_dialog(self, self.ws)
            self.show_escrow_notice()

    def show_identity(self) -> None:
        if self.ws is not None:
            from hmip_desktop.gui.common.exchange_actions import IdentityDialog  # noqa: PLC0415

            IdentityDialog(self.ws, self).exec()

    def show_setup(self) -> None:
        if self.ws is None:
            return
        from hmip_desktop.gui.lead.setup_window import SetupDialog  # noqa: PLC0415

        SetupDialog(self.ws, self).exec()
        self.reload_cases()

    def show_consolidation(self) -> None:
        """Open the consolidation window beside this one (or bring it forward if open).

        It is a window of its own, not a dialog: the case list stays usable. While it
        consolidates, this window's screen waits (they share the workspace's one connection).
        """
        if self.ws is None:
            return
        from hmip_desktop.gui.lead.window import ConsolidationWindow  # noqa: PLC0415

        win = self.consolidation
        if win is None or win.ws is not self.ws:
            win = ConsolidationWindow(self.ws, self)
            win.busy_changed.connect(lambda busy: self.stack.setEnabled(not busy))
            win.window_closed.connect(self._consolidation_closed)
            self.consolidation = win
        elif win.isVisible():  # open already: bring it forward
            win.raise_()
            win.activateWindow()
        win.show()

    def _consolidation_closed(self) -> None:
        self.consolidation = None
        self.stack.setEnabled(True)
        self.reload_cases()

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if self.ws is not None and urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        for url in event.mimeData().urls():
            self.import_bundle(Path(url.toLocalFile()))
        event.acceptProposedAction()

    # -- idle lock ---------------------------------------------------------------------------

    def set_idle_minutes(self, minutes: float) -> None:
        self.idle.setInterval(max(1, int(minutes * 60_000)))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.ws is not None:
            self.idle.start()
        return False

    def lock(self) -> None:
        """Save what is being typed, close the database (wiping its keys) and hide the data.

        A job still running (an import, a consolidation) uses the database, so the lock then
        waits for it and its result before closing.
        """
        if self.ws is None:
            return
        if jobs.busy():
            self.statusBar().showMessage(_("Locking as soon as the task under way finishes…"))
            if not self._lock_pending:
                self._lock_pending = True
                jobs.when_idle(self._lock_when_idle)
            return
        self._lock_now()

    def _lock_when_idle(self) -> None:
        self._lock_pending = False
        self.lock()

    def _lock_now(self) -> None:
        assert self.ws is not None
        if self.consolidation is not None:  # it saves what is being typed there first
            self.consolidation.close()
        if self.review_window is not None:  # a comment is saved only when added
            self.review_window.close()
            self.review_window = None
        self._reopen_case = self.form.case_id if self.form is not None else None
        self.close_form()
        self.cases.model.set_rows([])
        if self._check is not None:
            self._check.set_checks([])
        if self._alerts_page is not None:
            self._alerts_page.set_workspace(None)
        if self._practice_view is not None:
            self._practice_view.set_workspace(None)
        if self.qa_view is not None:
            self.qa_view.clear()
        self.ws.close()
        self.ws = None
        self.show_escrow_notice()
        self.idle.stop()
        self.lock_action.setEnabled(False)
        for action in self.actions_needing_data:
            action.setEnabled(False)
        self.stack.setCurrentWidget(self.locked)
        self._unlock_button.setFocus()

    def unlock(self) -> bool:
        dialog = UnlockDialog(self.folder, self.lockout, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or dialog.workspace is None:
            return False
        self.ws = dialog.workspace
        self.lock_action.setEnabled(True)
        for action in self.actions_needing_data:
            action.setEnabled(True)
        self.idle.start()
        self.reload_cases()
        self.stack.setCurrentWidget(self.home)
        self._watch_pages()
        if self._reopen_case:
            self.open_case(self._reopen_case)
        return True

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.consolidation is not None:
            self.consolidation.close()
        self.close_form()
        if self.qa_view is not None:
            self.qa_view.clear()  # waits for the checks, which read the connection
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        super().closeEvent(event)
