"""Text boxes that save themselves: shortly after typing stops, and when focus leaves.

A save that fails leaves the words in the box (``keep_unsaved``), to be saved again.
"""

from __future__ import annotations

from hmip_desktop.gui.common.qt import QtGui, QTimer, QtWidgets, Signal
from hmip_desktop.i18n import _

SAVE_AFTER_MS = 700


class AutosaveText(QtWidgets.QPlainTextEdit):
    commit = Signal(str, str)  # item, text
    focused = Signal(str)

    def __init__(self, item: str, accessible_name: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self._saved = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._timer.start)

    def set_saved_text(self, text: str) -> None:
        """Show stored text, unless the user is typing here (their words win)."""
        if self.hasFocus() and self.toPlainText().rstrip() != self._saved:
            return
        self._saved = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def keep_unsaved(self, text: str, stored: str) -> None:
        """A save of ``text`` failed: keep it shown, and save it again at the next chance.

        The stored text becomes the one to compare with, so the next pause or focus change
        retries the save; the words on screen (and the cursor) stay as they are.
        """
        self._saved = stored
        if self.toPlainText().rstrip() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def discard_edit(self) -> None:
        """Put back the saved text, dropping what was typed since (nothing is saved)."""
        self._timer.stop()
        self.blockSignals(True)
        self.setPlainText(self._saved)
        self.moveCursor(QtGui.QTextCursor.MoveOperation.End)
        self.blockSignals(False)

    def flush(self) -> None:
        self._timer.stop()
        text = self.toPlainText().rstrip()
        if text != self._saved:
            self._saved = text
            self.commit.emit(self.item, text)

    def focusOutEvent(self, event: QtGui.QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit(self.item)


class AutosaveCombo(QtWidgets.QComboBox):
    """A choice saved the moment it changes; the first entry means 'not yet answered'."""

    commit = Signal(str, str)
    focused = Signal(str)

    def __init__(self, item: str, accessible_name: str, choices: list[tuple[str, str]],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setAccessibleName(accessible_name)
        self.addItem(_("— Choose —"), "")
        for value, label in choices:
            self.addItem(label, value)
        self.activated.connect(lambda _i: self.commit.emit(self.item, self.currentData() or ""))

    def set_value(self, value: str) -> None:
        i = self.findData(value or "")
        self.blockSignals(True)
        self.setCurrentIndex(max(i, 0))
        self.blockSignals(False)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit(self.item)
