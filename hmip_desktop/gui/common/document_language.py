"""The choice of the language a document is written in, beside the button that writes it.

Issue 18: the lunchtime sheet, the panel summary, the schedules and the data workbook's labels
can be written in Welsh or English whatever the window's language; the choice defaults to the
window's. Data values (ids, answers) stay as they are in either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.i18n import LANGUAGES, _, current_language, speaking

T = TypeVar("T")
# Each language named in itself, as a bilingual reader looks for it.
NAMES = {"en": "English", "cy": "Cymraeg"}


class DocumentLanguage(QtWidgets.QWidget):
    """"Language of the document:" and a list of the two languages."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QtWidgets.QComboBox()
        for code in LANGUAGES:
            self.combo.addItem(NAMES[code], code)
        self.combo.setCurrentIndex(LANGUAGES.index(current_language()))
        label = QtWidgets.QLabel(_("Language of the document:"))
        label.setBuddy(self.combo)
        self.combo.setAccessibleName(_("Language of the document"))
        self.combo.setToolTip(_("The language its words are written in; names, answers and "
                                "other data stay as they are"))
        layout.addWidget(label)
        layout.addWidget(self.combo)

    def language(self) -> str:
        return str(self.combo.currentData())

    def choose(self, language: str) -> None:
        self.combo.setCurrentIndex(LANGUAGES.index(language))


def written_in(language: str, write: Callable[[], T]) -> T:
    """``write()`` with its words in ``language`` (on this thread only: call it in the job)."""
    with speaking(language):
        return write()
