"""The visible 'drafted' mark on screen: a tag next to the text, the full words beside it.

The wording comes from ``hmip_desktop.frameworks.provenance``; this module only draws it. The
mark is a word, not a colour alone, so it reads the same in any colour scheme.
"""

from __future__ import annotations

import html

from hmip_desktop.frameworks.provenance import drafted_legend, drafted_tag, drafted_words
from hmip_desktop.gui.common.qt import Qt, QtWidgets

TAG_STYLE = ("background-color:#fff2cc; color:#594d00; border:1px solid #b58105; "
             "font-size:small; font-weight:normal")


def drafted_tag_html() -> str:
    """The tag as rich text, to put after a drafted text in a label or a table cell."""
    return (f"<span style='{TAG_STYLE}' title='{html.escape(drafted_words(), quote=True)}'>"
            f"&nbsp;{html.escape(drafted_tag())}&nbsp;</span>")


def with_tag_html(text_html: str, drafted: bool) -> str:
    """Rich text followed by the tag when it was drafted."""
    return f"{text_html}&nbsp; {drafted_tag_html()}" if drafted else text_html


def drafted_note(parent: QtWidgets.QWidget | None = None) -> QtWidgets.QLabel:
    """A line giving the tag and its full meaning; hidden until ``show_note`` says so."""
    label = QtWidgets.QLabel(parent)
    label.setObjectName("draftedNote")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(f"{drafted_tag_html()}&nbsp; {html.escape(drafted_words())}")
    label.setToolTip(drafted_words())
    label.setAccessibleName(drafted_legend())
    label.hide()
    return label
