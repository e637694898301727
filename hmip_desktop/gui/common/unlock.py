"""Unlocking a workspace, and the first-run choice: create a workspace or open the demo."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common import crash
from hmip_desktop.gui.common.jobs import run_job
from hmip_desktop.gui.common.qt import Qt, QTimer, QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.paths import DEMO_PASSPHRASE_FILE, new_demo_passphrase
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import ROLES, Workspace
from hmip_desktop.user_files import PASSPHRASE_FILE_MAX, read_user_text

FREE_TRIES = 5
MAX_DELAY_S = 60


@dataclass
class Lockout:
    """Wrong tries so far; after five, each try waits longer (2, 4, 8 … 60 seconds)."""

    failures: int = 0
    wait_until: float = 0.0

    def fail(self) -> None:
        self.failures += 1
        if self.failures >= FREE_TRIES:
            delay = min(MAX_DELAY_S, 2 ** (self.failures - FREE_TRIES + 1))
            self.wait_until = time.monotonic() + delay

    def seconds_left(self) -> int:
        return max(0, round(self.wait_until - time.monotonic() + 0.49))

    def reset(self) -> None:
        self.failures = 0
        self.wait_until = 0.0


class UnlockDialog(QtWidgets.QDialog):
    """Asks for the passphrase; opens the workspace off the GUI thread (key derivation)."""

    def __init__(self, folder: Path, lockout: Lockout,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.lockout = lockout
        self.workspace: Workspace | None = None
        self.setWindowTitle(_("Unlock workspace"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_("Enter the passphrase for the workspace in {folder}.").format(
            folder=folder))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase = QtWidgets.QLineEdit()
        self.passphrase.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        layout.addWidget(self.passphrase)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d4351c")
        layout.addWidget(self.message)
        self.forgotten = QtWidgets.QPushButton(_("Forgotten passphrase?"))
        self.forgotten.setFlat(True)
        self.forgotten.clicked.connect(self.recover)
        layout.addWidget(self.forgotten, alignment=Qt.AlignmentFlag.AlignLeft)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.unlock_button = buttons.addButton(
            _("Unlock"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update_wait)
        self._update_wait()
        self.resize(460, self.sizeHint().height())

    def _update_wait(self) -> None:
        left = self.lockout.seconds_left()
        self.unlock_button.setEnabled(left == 0)
        if left:
            self.message.setText(_("Too many wrong passphrases: try again in {n} s.").format(
                n=left))
            self._tick.start()
        else:
            self._tick.stop()
            if self.lockout.failures >= FREE_TRIES:
                self.message.setText(_("Wrong passphrase. Each further try waits longer."))

    def try_unlock(self) -> None:
        if self.lockout.seconds_left():
            return
        passphrase = self.passphrase.text()
        self.unlock_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        run_job(self, _("Unlocking…"), lambda: Workspace.open(self.folder, passphrase,
                                                            pages_later=True),
                self._opened, self._failed)

    def recover(self) -> None:
        """The route for a forgotten passphrase: the lead's recovery file and a new one."""
        from hmip_desktop.gui.common.recovery_dialog import RecoveryDialog  # noqa: PLC0415

        dialog = RecoveryDialog(self.folder, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted and dialog.workspace:
            self._opened(dialog.workspace)

    def _opened(self, ws: Workspace) -> None:
        self.lockout.reset()
        self.workspace = ws
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.passphrase.setEnabled(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if isinstance(error, WrongPassphraseError):
            self.lockout.fail()
            self.message.setText(_("Wrong passphrase, or not a hmip-desktop workspace."))
        elif isinstance(error, UserError):
            self.message.setText(str(error))
        else:  # a bug, not the passphrase: logged and shown as one (no case data in the log)
            self.message.setText(_("Could not open the workspace: an unexpected error."))
            crash.report(error, self)
        self._update_wait()


class WelcomeDialog(QtWidgets.QDialog):
    """First run: create a workspace for real work, or open the demo inspection."""

    def __init__(self, folder: Path, demo_folder: Path,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.demo_folder = demo_folder
        self.workspace: Workspace | None = None
        self.demo_passphrase = ""
        self.setWindowTitle(_("Welcome to hmip-desktop"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "There is no workspace on this computer yet. Create one for your inspection work, "
            "or open the demo inspection of invented cases to try the app."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        box = QtWidgets.QGroupBox(_("Create a workspace"))
        form = QtWidgets.QFormLayout(box)
        self.name = QtWidgets.QLineEdit()
        self.name.setAccessibleName(_("Your name"))
        form.addRow(_("Your name:"), self.name)
        self.role = QtWidgets.QComboBox()
        self.role.setAccessibleName(_("Your role"))
        for role, label in zip(ROLES, (_("Local assessor or assistant inspector"),
                                       _("Supporting assistant inspector (QA)"),
                                       _("Lead inspector")), strict=True):
            self.role.addItem(label, role)
        form.addRow(_("Your role:"), self.role)
        self.pass1 = QtWidgets.QLineEdit()
        self.pass1.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.pass1.setAccessibleName(_("New passphrase"))
        form.addRow(_("Passphrase:"), self.pass1)
        self.pass2 = QtWidgets.QLineEdit()
        self.pass2.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.pass2.setAccessibleName(_("New passphrase again"))
        form.addRow(_("Again:"), self.pass2)
        hint = QtWidgets.QLabel(_("At least 12 characters: a few unrelated words work well."))
        hint.setEnabled(False)
        form.addRow("", hint)
        self.create_button = QtWidgets.QPushButton(_("Create workspace"))
        self.create_button.clicked.connect(self.create_workspace)
        form.addRow("", self.create_button)
        layout.addWidget(box)
        self.demo_button = QtWidgets.QPushButton(_("Open the demo inspection"))
        self.demo_button.clicked.connect(self.open_demo)
        layout.addWidget(self.demo_button)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d4351c")
        layout.addWidget(self.message)

    def create_workspace(self) -> None:
        if self.pass1.text() != self.pass2.text():
            self.message.setText(_("The two passphrases differ."))
            return
        name, role, passphrase = self.name.text(), self.role.currentData(), self.pass1.text()
        run_job(self, _("Creating the workspace…"),
                lambda: Workspace.create(self.folder, passphrase, owner_name=name, role=role),
                self._done, self._failed)

    def open_demo(self) -> None:
        from hmip_desktop.store.demo import create_demo  # noqa: PLC0415

        folder = self.demo_folder
        note = folder / DEMO_PASSPHRASE_FILE
        if Workspace.exists(folder) and note.exists():
            try:  # capped like every file the app reads back (docs/security.md)
                passphrase = read_user_text(note, max_size=PASSPHRASE_FILE_MAX).strip()
            except UserError as e:
                self._failed(e)
                return
            self.demo_passphrase = passphrase
            run_job(self, _("Opening the demo…"), lambda: Workspace.open(folder, passphrase,
                                                                      pages_later=True),
                    self._done, self._failed)
            return
        passphrase = new_demo_passphrase()
        self.demo_passphrase = passphrase

        def make() -> Workspace:
            ws = create_demo(folder, passphrase)
            note.write_text(passphrase + "\n")
            return ws

        run_job(self, _("Creating the demo inspection…"), make, self._done, self._failed)

    def _done(self, ws: Workspace) -> None:
        self.workspace = ws
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.message.setText(str(error))
            return
        self.message.setText(_("Could not set the workspace up: an unexpected error."))
        crash.report(error, self)
