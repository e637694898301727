"""Labels and message boxes that show text as written, never as markup.

QLabel and QMessageBox guess: text that looks like HTML is rendered as HTML. Names, case
details and messages that quote them come from other members' cards and bundles, so where such
text is shown, a label's format is fixed to plain text, and a message box (whose static
functions cannot be told the format) is given the text escaped inside a paragraph, so that a
``<b>`` or ``<img>`` in a name is shown as typed.
"""

from __future__ import annotations

import html

from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.wording import capitalised


def plain_label(text: str = "") -> QtWidgets.QLabel:
    """A label that never renders its text as HTML."""
    label = QtWidgets.QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def as_html(text: str) -> str:
    """``text`` as HTML that Qt shows exactly as written (line breaks kept)."""
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"


def warn(parent: QtWidgets.QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.warning`` with ``text`` shown as written."""
    QtWidgets.QMessageBox.warning(parent, title, as_html(capitalised(text)))
