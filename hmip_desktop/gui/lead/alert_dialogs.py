"""The two dialogs of the alerts screen: a step's note, and an organisational alert.

Each hands what was typed to the core through ``submit``, which returns None when it was
recorded or the one-line reason it was refused; a refusal is shown in the dialog, which stays
open with what was typed, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.team.alert_tracking import STATE_LABELS

Submit = Callable[..., "str | None"]

STEP_HELP = {
    "assurance": _("Record that assurance has been sought from the organisation responsible "
                   "for the case: who was asked, for what, and by when."),
    "evidence": _("Record the evidence that action has been taken: what was received, from "
                  "whom, and what it shows."),
    "closed": _("Close the alert: say why the action taken is enough and nothing more is "
                "needed."),
    "advice": _("Record this as advice below the alert threshold: the advice given to the "
                "practitioner. No feedback is required from the practitioner or others "
                "(Dynamic inspection of public protection guidance manual, section 6.7)."),
    "acknowledged": _("Acknowledge the alert: you have read it and it is in hand."),
}
RED = "#d4351c"


def _error_label() -> QtWidgets.QLabel:
    label = QtWidgets.QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {RED}; font-weight: bold")
    label.setAccessibleName(_("Why it was not recorded"))
    return label


def _text_box(name: str, height: int) -> QtWidgets.QPlainTextEdit:
    edit = QtWidgets.QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(name)
    edit.setMinimumHeight(height)
    return edit


class StepNoteDialog(QtWidgets.QDialog):
    """Asks for the note a step needs (who was asked, what was received, why it is closed)."""

    def __init__(self, step: str, subject: str, submit: Submit,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self.submit = submit
        self.setWindowTitle(STATE_LABELS[step])
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_("The alert on {subject}.").format(subject=subject) + " "
                                 + STEP_HELP[step])
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QtWidgets.QLabel(_("&Note:"))
        self.note = _text_box(_("Note of what was done or received"), 110)
        label.setBuddy(self.note)
        layout.addWidget(label)
        layout.addWidget(self.note, 1)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(_("Record"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 300)
        self.note.setFocus()

    def _accept(self) -> None:
        refused = self.submit(self.note.toPlainText())
        if refused:
            self.error.setText(refused)
            return
        self.accept()


ALERT_QUESTIONS = (
    ("what_might_happen", _("What might happen if no action is taken?")),
    ("how_serious", _("How serious is the risk?")),
    ("how_imminent", _("When might it happen (how imminent is it)?")),
    ("action_asked", _("What action are you asking the organisation to take?")),
)


class OrganisationalAlertDialog(QtWidgets.QDialog):
    """The three questions of an alert and the action asked, for the organisation as a whole."""

    def __init__(self, submit: Submit, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.submit = submit
        self.setWindowTitle(_("Raise an organisational alert"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "An organisational alert is for identifiable, systemic, significant and imminent "
            "risk that needs immediate attention, not for poor practice in general, however "
            "widespread. It is flagged for the report: the published inspection report says "
            "that it was raised (Probation inspections external guidance manual, section 6.7)."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)
        self.fields: dict[str, QtWidgets.QPlainTextEdit] = {}
        for key, question in ALERT_QUESTIONS:
            edit = _text_box(question, 56)
            edit.setMaximumHeight(80)
            form.addRow(QtWidgets.QLabel(question), edit)
            self.fields[key] = edit
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(_("Raise organisational alert"),
                                    QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 480)

    def values(self) -> dict[str, str]:
        return {k: e.toPlainText() for k, e in self.fields.items()}

    def _accept(self) -> None:
        refused = self.submit(**self.values())
        if refused:
            self.error.setText(refused)
            return
        self.accept()
