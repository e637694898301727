"""The lead records the languages a member inspects in, or the language a case needs.

Allocation gives a case in Welsh only to a member who inspects in Welsh (Dynamic inspection of
public protection guidance manual §5.1; ``setup/languages.py``).
"""

from __future__ import annotations

from collections.abc import Collection

from hmip_desktop.gui.common.plain_text import plain_label
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.setup.languages import CODES, language_name


class MemberLanguagesDialog(QtWidgets.QDialog):
    """A tick per language the member can inspect a case in; at least one."""

    def __init__(self, name: str, held: Collection[str],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Languages"))
        form = QtWidgets.QVBoxLayout(self)
        intro = plain_label(_("{name} can inspect cases whose records and interview are "
                              "in:").format(name=name))
        intro.setWordWrap(True)
        form.addWidget(intro)
        self.boxes: dict[str, QtWidgets.QCheckBox] = {}
        for code in CODES:
            box = QtWidgets.QCheckBox(language_name(code))
            box.setChecked(code in held)
            box.toggled.connect(self._changed)
            form.addWidget(box)
            self.boxes[code] = box
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addWidget(self.buttons)
        self._changed()

    def _changed(self) -> None:
        ok = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.chosen()))

    def chosen(self) -> str:
        """The ticked languages as codes joined by commas ("en,cy")."""
        return ",".join(c for c, box in self.boxes.items() if box.isChecked())


class CaseLanguageDialog(QtWidgets.QDialog):
    """The one language of a case's records and interview."""

    def __init__(self, case_ref: str, held: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Language of the case"))
        form = QtWidgets.QFormLayout(self)
        self.language = QtWidgets.QComboBox()
        self.language.setAccessibleName(_("Language"))
        for code in CODES:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(held), 0))
        form.addRow(plain_label(_("Case {ref}: its records and interview are in").format(
            ref=case_ref)), self.language)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> str:
        return str(self.language.currentData())
