"""The error dialog shows a refusal's words as written, never as markup.

``crash.report`` is the one path by which a ``UserError`` reaches a dialog, and a refusal may
quote a name from another member's card (``refused: this is NAME's bundle number 2 …``). A
QMessageBox renders text that looks like HTML as HTML, so a card named ``<b>Sam</b> <img src=x>``
could restyle the dialog or hide words; the dialog must show the line exactly as written.
"""

from __future__ import annotations

import pytest

from hmip_desktop.gui.common.crash import (
    show_dialog as real_show_dialog,  # before conftest patches it
)
from hmip_desktop.gui.common.qt import Qt, QtGui, QTimer, QtWidgets

pytestmark = pytest.mark.gui

REFUSAL = ("refused: this is <b>Sam</b> <img src=x> &amp; <a href='y'>co</a>'s bundle number 2, "
           "older than number 3 already imported (a replayed or out-of-date file)")


def _read(label: QtWidgets.QLabel) -> str:
    """What a person reads in the label: its text, or the text its markup renders to."""
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.PlainText or (
            fmt == Qt.TextFormat.AutoText and not QtGui.Qt.mightBeRichText(label.text())):
        return label.text()
    return QtGui.QTextDocumentFragment.fromHtml(label.text()).toPlainText()


@pytest.mark.parametrize("text", [REFUSAL, "a < b > c & d", "line one\nline two"])
def test_the_error_dialog_shows_a_refusal_quoting_a_name_as_written(qtbot: object,
                                                                     text: str) -> None:
    read: list[str] = []

    def look_and_close() -> None:
        box = QtWidgets.QApplication.activeModalWidget()
        assert isinstance(box, QtWidgets.QMessageBox)
        label = box.findChild(QtWidgets.QLabel, "qt_msgbox_label")
        read.append(_read(label))
        box.done(0)

    QTimer.singleShot(0, look_and_close)
    real_show_dialog(None, "hmip-desktop", text, QtWidgets.QMessageBox.Icon.Warning)
    assert read == [text]
