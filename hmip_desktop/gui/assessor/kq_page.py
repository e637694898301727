"""One key question on the form: its prompts, the summary judgement and the evidence note."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence

from hmip_desktop.assessment.items import NOTE, item_label
from hmip_desktop.frameworks.languages import shown
from hmip_desktop.frameworks.model import Framework, KeyQuestion
from hmip_desktop.frameworks.provenance import drafted_words, marked
from hmip_desktop.gui.assessor.autosave import AutosaveText
from hmip_desktop.gui.common.provenance import drafted_note
from hmip_desktop.gui.common.qt import Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import AnswerRow, heading, not_saved_label
from hmip_desktop.i18n import _
from hmip_desktop.store.records import Assessment
from hmip_desktop.wording import capitalised

MARK_COLOURS = {"must_fix": "#d4351c", "worth_a_look": "#b35c00", "query": "#1d70b8"}
MARK_LABELS = {"must_fix": _("Must fix"), "worth_a_look": _("Worth a look"), "query": _("Query")}
MARK_STYLE = "".join(
    f'QFrame#answerRow[mark="{k}"] {{ border: 2px solid {c}; border-left: 6px solid {c}; }}'
    f'QFrame#answerRow[mark="{k}"]:focus {{ border: 2px solid #1d70b8; '
    f'border-left: 6px solid {c}; }}'
    f'QPlainTextEdit[mark="{k}"], QComboBox[mark="{k}"] {{ border: 2px solid {c}; }}'
    for k, c in MARK_COLOURS.items()) + "QLabel#qaMarks { background: #f8f8f8; padding: 6px; }"
Marks = Mapping[str, Sequence[tuple[str, str]]]
"""Item key → (kind, text) pairs: a QA finding (``must_fix``, ``worth_a_look``) or ``query``."""


def worst_mark(marks: Sequence[tuple[str, str]]) -> str:
    kinds = {k for k, _t in marks}
    return next((k for k in MARK_COLOURS if k in kinds), "")


def mark_widget(widget: QtWidgets.QWidget, marks: Sequence[tuple[str, str]]) -> None:
    """Outline a row or field in the colour of its worst mark; the texts become its tooltip."""
    widget.setProperty("mark", worst_mark(marks))
    if marks:
        widget.setToolTip("\n".join(f"{MARK_LABELS[k]}: {t}" for k, t in marks))
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def marks_html(items: Iterable[str], marks: Marks, label: Callable[[str], str]) -> str:
    """One line per mark on these items: kind, item (unless the text names it), text."""
    lines = []
    for item in items:
        for k, t in marks.get(item, ()):
            named = item.removeprefix(NOTE) in t or label(item).lower() in t.lower()
            where = "" if named else f"{html.escape(capitalised(label(item)))}: "
            lines.append(f"<span style='color:{MARK_COLOURS[k]}'><b>{MARK_LABELS[k]}</b>"
                         f"</span> · {where}{html.escape(t)}")
    return "<br>".join(lines)


def choices_for(allow_na: bool) -> list[tuple[str, str]]:
    out = [("yes", _("&Yes").replace("&", "")), ("no", _("No"))]
    if allow_na:
        out.append(("na", _("Not applicable")))
    return out


class KqPage(QtWidgets.QWidget):
    answered = Signal(str, str)
    focused = Signal(str)

    def __init__(self, framework: Framework, kq: KeyQuestion,
                 parent: QtWidgets.QWidget | None = None, *, beside: bool = False) -> None:
        super().__init__(parent)
        self.kq = kq
        layout = QtWidgets.QVBoxLayout(self)
        layout.setSpacing(8)
        standard = framework.standard_of(kq.id)
        self.standard = standard
        self.crumb = QtWidgets.QLabel()
        self.crumb.setEnabled(False)
        layout.addWidget(self.crumb)
        self.title = heading("", "kqText")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        # Text drafted for the product says so, beside the question and on every drafted prompt.
        self.drafted_note = drafted_note()
        self.drafted_note.setVisible(kq.drafted or any(p.drafted for p in kq.prompts))
        layout.addWidget(self.drafted_note)
        if kq.drafted:
            self.title.setToolTip(drafted_words())
        self.notice = QtWidgets.QLabel()
        self.notice.setObjectName("lockNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.framework = framework
        self.read_only = False
        self.new_items: frozenset[str] = frozenset()
        """Items new in the edition the case moved to: marked until answered."""
        self.marks_label = QtWidgets.QLabel()
        self.marks_label.setObjectName("qaMarks")
        self.marks_label.setWordWrap(True)
        self.marks_label.setTextFormat(Qt.TextFormat.RichText)
        self.marks_label.hide()
        layout.addWidget(self.marks_label)
        self.setStyleSheet(MARK_STYLE)
        self.rows: list[AnswerRow] = []
        if kq.prompts:
            layout.addWidget(heading(_("Prompts")))
        self.prompt_rows: list[tuple[AnswerRow, str]] = []
        for p in kq.prompts:
            letter = p.id.rsplit(".", 1)[1]
            row = AnswerRow(p.id, f"{letter})", p.text, choices_for(p.allow_na),
                            drafted=p.drafted)
            layout.addWidget(row)
            self.rows.append(row)
            self.prompt_rows.append((row, p.text))
        layout.addWidget(heading(_("Summary judgement for {id}").format(id=kq.id)))
        self.judgement = AnswerRow(kq.id, kq.id, _("Overall, is the answer to this key question "
                                                    "yes?"), choices_for(kq.allow_na))
        layout.addWidget(self.judgement)
        self.rows.append(self.judgement)
        layout.addWidget(heading(_("Evidence note")))
        self.note = AutosaveText(NOTE + kq.id, _("Evidence note for {id}").format(id=kq.id))
        self.note.setPlaceholderText(_("What in the case record and the interview supports "
                                       "this judgement? It becomes feedback for the practitioner."))
        self.note.setMinimumHeight(90)
        layout.addWidget(self.note)
        self.note_unsaved = not_saved_label()
        layout.addWidget(self.note_unsaved)
        layout.addStretch(1)
        for i, row in enumerate(self.rows):
            row.answered.connect(self.answered)
            row.focused.connect(self.focused)
            row.advance.connect(lambda step, i=i: self._move(i, step))
        self.note.commit.connect(self.answered)
        self.note.focused.connect(self.focused)
        self.set_beside(beside)

    def set_beside(self, beside: bool) -> None:
        """Show the framework's words in the interface's language.

        With ``beside``, the other language beneath them where the framework gives it; a Welsh
        window marks a text the framework has no Welsh for "(English only)".
        """
        fw, kq, standard = self.framework, self.kq, self.standard
        title = shown(fw, standard.title, beside=beside)
        self.crumb.setText(f"{standard.id} {title.marked()}")
        text = shown(fw, kq.text, beside=beside)
        first = marked(f"{kq.id}  {text.marked()}", kq.drafted)
        if text.other:  # the other language beneath, lighter
            self.title.setTextFormat(Qt.TextFormat.RichText)
            self.title.setText(
                f"{html.escape(first, quote=False)}<br><span style='font-weight:normal; "
                f"color:#505a5f'><i>{html.escape(text.other, quote=False)}</i></span>")
        else:
            self.title.setTextFormat(Qt.TextFormat.PlainText)
            self.title.setText(first)
        for row, english in self.prompt_rows:
            said = shown(fw, english, beside=beside)
            row.set_question(said.marked(), said.other)

    def refresh(self, a: Assessment) -> None:
        rules = a.rules
        kq_na = a.rules.not_applicable.get(self.kq.id)
        forced = rules.forced.get(self.kq.id)
        if kq_na:
            self.notice.setText(_("Not applicable for this case: {reason}").format(reason=kq_na))
            self.notice.show()
        elif forced:
            self.notice.setText(_("Hurdle: the judgement is set to ‘{value}’. {reason}").format(
                value=_("No") if forced[0] == "no" else _("Yes"), reason=forced[1]))
            self.notice.show()
        else:
            self.notice.hide()
        for row in self.rows:
            locked = forced[1] if (forced and row.item == self.kq.id) else None
            row.set_state(a.items.get(row.item, ""), locked=locked,
                          not_applicable=rules.not_applicable.get(row.item))
            row.set_new_in_edition(row.item in self.new_items and not a.items.get(row.item)
                                   and row.item not in rules.not_applicable)
        self.note.set_saved_text(a.items.get(NOTE + self.kq.id, ""))
        self.note.setEnabled(not kq_na)
        if self.read_only:  # the QA partner reads the assessor's form; Y/N/A are refused
            for row in self.rows:
                for b in row.buttons.values():
                    b.setEnabled(False)
            self.note.setReadOnly(True)

    def show_unsaved(self, unsaved: Mapping[str, tuple[str, str]],
                     stored: Mapping[str, str]) -> None:
        """Show each failed save (item → value, reason) next to its item, value kept."""
        for row in self.rows:
            value, reason = unsaved.get(row.item, (None, ""))
            row.show_unsaved(value, reason)
        if self.note.item in unsaved:
            value, reason = unsaved[self.note.item]
            self.note.keep_unsaved(value, stored.get(self.note.item, ""))
            self.note_unsaved.setText(reason)
            self.note_unsaved.show()
        else:
            self.note_unsaved.hide()

    def set_marks(self, marks: Marks) -> None:
        """Outline the items with QA findings or queries, and list them under the title."""
        items = [*(r.item for r in self.rows), self.note.item]
        for w, item in [*((r, r.item) for r in self.rows), (self.note, self.note.item)]:
            mark_widget(w, marks.get(item, ()))
        text = marks_html(items, marks, lambda i: item_label(self.framework, i))
        self.marks_label.setText(text)
        self.marks_label.setVisible(bool(text))

    def focus_first_open(self) -> None:
        for row in self.rows:
            if row.isEnabled() and not row.value() and row.buttons and any(
                    b.isEnabled() for b in row.buttons.values()):
                row.setFocus()
                return
        self.rows[0].setFocus()

    def focus_item(self, item: str) -> bool:
        if item == self.note.item:
            self.note.setFocus()
            return True
        for row in self.rows:
            if row.item == item:
                row.setFocus()
                return True
        return False

    def _move(self, i: int, step: int) -> None:
        j = i + step
        # Rows with no answer to give are skipped; read-only, every row can take a query.
        while 0 <= j < len(self.rows) and not self.read_only and not any(
                b.isEnabled() for b in self.rows[j].buttons.values()):
            j += step
        if 0 <= j < len(self.rows):
            self.rows[j].setFocus()
        elif j >= len(self.rows):
            self.note.setFocus()
