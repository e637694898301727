"""Forgotten passphrase: set a new one with the recovery file the lead issued."""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common import crash
from hmip_desktop.gui.common.jobs import run_job
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace

RECOVERY_FILTER = _("Recovery files (*.hmiprecovery);;All files (*)")


class RecoveryDialog(QtWidgets.QDialog):
    """The recovery file and a new passphrase, twice; opens the workspace when it works."""

    def __init__(self, folder: Path, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.workspace: Workspace | None = None
        self.setWindowTitle(_("Forgotten passphrase"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "Ask your lead inspector for a recovery file for this workspace. It works once, "
            "on this laptop only, and lets you set a new passphrase; your cases are kept."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QtWidgets.QFormLayout()
        pick = QtWidgets.QHBoxLayout()
        self.file = QtWidgets.QLineEdit()
        self.file.setAccessibleName(_("Recovery file"))
        pick.addWidget(self.file)
        browse = QtWidgets.QPushButton(_("Choose…"))
        browse.clicked.connect(self.choose)
        pick.addWidget(browse)
        form.addRow(_("Recovery file:"), pick)
        self.pass1 = QtWidgets.QLineEdit()
        self.pass1.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.pass1.setAccessibleName(_("New passphrase"))
        form.addRow(_("New passphrase:"), self.pass1)
        self.pass2 = QtWidgets.QLineEdit()
        self.pass2.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.pass2.setAccessibleName(_("New passphrase again"))
        form.addRow(_("Again:"), self.pass2)
        layout.addLayout(form)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d4351c")
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.set_button = buttons.addButton(
            _("Set new passphrase"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.recover)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def choose(self) -> None:
        name, _f = QtWidgets.QFileDialog.getOpenFileName(
            self, _("Recovery file"), str(Path.home()), RECOVERY_FILTER)
        if name:
            self.file.setText(name)

    def recover(self) -> None:
        from hmip_desktop.exchange.recovery_files import use_recovery_file  # noqa: PLC0415

        if not self.file.text().strip():
            self.message.setText(_("Choose the recovery file first."))
            return
        if self.pass1.text() != self.pass2.text():
            self.message.setText(_("The two passphrases differ."))
            return
        path, new = Path(self.file.text().strip()), self.pass1.text()
        self.set_button.setEnabled(False)
        run_job(self, _("Setting the new passphrase…"),
                lambda: use_recovery_file(self.folder, path, new), self._done, self._failed)

    def _done(self, ws: Workspace) -> None:
        self.workspace = ws
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.set_button.setEnabled(True)
        if isinstance(error, UserError):
            self.message.setText(str(error))
        else:
            self.message.setText(_("The recovery did not work: an unexpected error."))
            crash.report(error, self)
