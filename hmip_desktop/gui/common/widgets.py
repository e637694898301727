"""Small reusable widgets: a keyboard-first answer row and the alert banner."""

from __future__ import annotations

import html
from datetime import date

from hmip_desktop.frameworks.provenance import drafted_words
from hmip_desktop.gui.common.provenance import with_tag_html
from hmip_desktop.gui.common.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from hmip_desktop.i18n import _

ANSWER_KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}


class AnswerRow(QtWidgets.QFrame):
    """One question with its choices. Y / N / A answer it; the row then asks to move on.

    The row itself takes focus (it is what Y/N/A act on); its radio buttons are reachable with
    Tab too, and each has an accessible name that includes the question.
    """

    answered = Signal(str, str)  # item, value ('' clears)
    focused = Signal(str)  # item
    advance = Signal(int)  # +1 next row, -1 previous row

    def __init__(self, item: str, label: str, text: str, choices: list[tuple[str, str]],
                 parent: QtWidgets.QWidget | None = None, *, drafted: bool = False,
                 other: str | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.choices = [value for value, _label in choices]
        self.setObjectName("answerRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{label} {text}" + (f" ({drafted_words()})" if drafted else ""))
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self._prefix, self._drafted = label, drafted
        self.label = QtWidgets.QLabel()
        self.set_question(text, other)
        if drafted:
            self.label.setToolTip(drafted_words())
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                                 QtWidgets.QSizePolicy.Policy.Preferred)
        column = QtWidgets.QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.label)
        self.note = not_saved_label()  # "Not saved — …" under the question, when a save failed
        column.addWidget(self.note)
        self.new_mark = QtWidgets.QLabel(_("New in this edition"))
        self.new_mark.setObjectName("newInEdition")
        self.new_mark.setToolTip(_("This question was added when the case moved to the new "
                                   "edition of the framework: it has no earlier answer"))
        self.new_mark.hide()
        column.addWidget(self.new_mark)
        layout.addLayout(column, 1)
        self.group = QtWidgets.QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[str, QtWidgets.QRadioButton] = {}
        for value, button_label in choices:
            b = QtWidgets.QRadioButton(button_label)
            b.setAccessibleName(f"{button_label}: {label}")
            b.setProperty("value", value)
            b.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            self.group.addButton(b)
            self.buttons[value] = b
            layout.addWidget(b)
        self._value = ""
        self._locked = False

    def set_question(self, text: str, other: str | None = None) -> None:
        """The question's words, with the other language's beneath them where given."""
        shown = with_tag_html(f"<b>{html.escape(self._prefix)}</b>&nbsp; "
                              f"{html.escape(text, quote=False)}", self._drafted)
        if other:
            shown += (f"<br><span style='color:#505a5f'><i>{html.escape(other, quote=False)}"
                      "</i></span>")
        self.label.setText(shown)

    def set_state(self, value: str, *, locked: str | None = None,
                  not_applicable: str | None = None) -> None:
        self._value = value
        self._locked = bool(locked or not_applicable)
        for v, b in self.buttons.items():
            b.setChecked(v == value and not not_applicable)
            b.setEnabled(not self._locked)
        reason = locked or not_applicable
        self.setProperty("state", "na" if not_applicable else ("locked" if locked else
                         ("answered" if value else "empty")))
        self.setToolTip(reason or "")
        self.label.setEnabled(not not_applicable)
        self.style().unpolish(self)
        self.style().polish(self)

    def value(self) -> str:
        return self._value

    def set_new_in_edition(self, shown: bool) -> None:
        """Mark the question as new in the edition the case moved to (until answered)."""
        self.new_mark.setVisible(shown)
        self.setAccessibleDescription(self.new_mark.text() if shown else "")

    def show_unsaved(self, value: str | None, reason: str = "") -> None:
        """Keep an answer whose save failed chosen, with the reason under the question.

        ``None`` clears the note. Choosing the answer again retries the save.
        """
        if value is None:
            self.note.hide()
            return
        for v, b in self.buttons.items():
            b.setChecked(v == value)
        self.note.setText(reason)
        self.note.show()

    def _clicked(self, value: str) -> None:
        if self._locked:
            return
        # A second click on the chosen answer keeps it (radio semantics): no accidental clear.
        for v, b in self.buttons.items():
            b.setChecked(v == value)
        self.answered.emit(self.item, value)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        key = event.key()
        if key in ANSWER_KEYS and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier
        ):
            value = ANSWER_KEYS[Qt.Key(key)]
            if value in self.choices and not self._locked:
                self._clicked(value)
                self.advance.emit(1)
            event.accept()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_J):
            self.advance.emit(1)
            event.accept()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_K):
            self.advance.emit(-1)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit(self.item)


class Banner(QtWidgets.QFrame):
    """A full-width message that cannot be missed (alerts, locks, blocked forms)."""

    def __init__(self, kind: str = "alert", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("kind", kind)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.text = QtWidgets.QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.setAccessibleName(_("Important message"))
        self.hide()

    def set_kind(self, kind: str) -> None:
        """"alert" (red: action needed), "warning", "info" or "done" (grey: nothing to do)."""
        if self.property("kind") != kind:
            self.setProperty("kind", kind)
            for w in (self, self.text):
                w.style().unpolish(w)
                w.style().polish(w)

    def show_message(self, html: str) -> None:
        self.text.setText(html)
        self.setAccessibleDescription(QtGui.QTextDocumentFragment.fromHtml(html).toPlainText())
        self.show()


STYLE_SHEET = """
QFrame#answerRow { border: 1px solid palette(mid); border-radius: 4px; background: palette(base); }
QFrame#answerRow:focus { border: 2px solid #1d70b8; background: #eef5fb; }
QFrame#answerRow[state="answered"] { border-left: 4px solid #00703c; }
QFrame#answerRow[state="locked"] { border-left: 4px solid #b58105; background: #fff7e6; }
QFrame#answerRow[state="na"] { background: palette(window); }
QFrame#banner[kind="alert"] { background: #d4351c; }
QFrame#banner[kind="alert"] QLabel { color: white; font-weight: bold; }
QFrame#banner[kind="warning"] { background: #ffdd00; }
QFrame#banner[kind="warning"] QLabel { color: black; }
QFrame#banner[kind="info"] { background: #1d70b8; }
QFrame#banner[kind="info"] QLabel { color: white; }
QFrame#banner[kind="done"] { background: #f3f2f1; border-left: 4px solid #505a5f; }
QFrame#banner[kind="done"] QLabel { color: #0b0c0c; }
QLabel#kqText { font-size: 13pt; font-weight: bold; }
QLabel#sectionTitle { font-size: 12pt; font-weight: bold; }
QLabel#lockNotice { color: #594d00; background: #fff7e6; padding: 6px; }
QLabel#notSaved { color: #d4351c; font-weight: bold; }
QLabel#saveStatus[failed="true"] { color: #d4351c; font-weight: bold; }
"""


def heading(text: str, object_name: str = "sectionTitle") -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def not_saved_label() -> QtWidgets.QLabel:
    """The red line shown next to an item whose save failed (hidden until then)."""
    label = QtWidgets.QLabel("")
    label.setObjectName("notSaved")
    label.setWordWrap(True)
    label.hide()
    return label


def set_accessible(widget: QtWidgets.QWidget, name: str) -> QtWidgets.QWidget:
    widget.setAccessibleName(name)
    return widget


__all__ = ["STYLE_SHEET", "AnswerRow", "Banner", "QtCore", "heading", "set_accessible"]


DATE_SHOWN = "ddd d MMM yyyy"  # "Tue 24 Nov 2026": the day of the week helps plan interviews


def date_edit(day: date, name: str) -> QtWidgets.QDateEdit:
    """A date chosen from a calendar (or typed), never free text."""
    edit = QtWidgets.QDateEdit(QtCore.QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_SHOWN)
    edit.setAccessibleName(name)
    typed = edit.findChild(QtWidgets.QLineEdit)  # the box inside, where the date is typed
    if typed is not None:
        typed.setAccessibleName(name)
    return edit


def chosen_day(edit: QtWidgets.QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())
