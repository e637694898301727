"""One key question on the form: its prompts, the summary judgement and the evidence note."""

from __future__ import annotations

from hmip_desktop.assessment.items import NOTE
from hmip_desktop.frameworks.model import Framework, KeyQuestion
from hmip_desktop.gui.autosave import AutosaveText
from hmip_desktop.gui.qt import QtWidgets, Signal
from hmip_desktop.gui.widgets import AnswerRow, heading
from hmip_desktop.i18n import _
from hmip_desktop.store.records import Assessment


def choices_for(allow_na: bool) -> list[tuple[str, str]]:
    out = [("yes", _("&Yes").replace("&", "")), ("no", _("No"))]
    if allow_na:
        out.append(("na", _("Not applicable")))
    return out


class KqPage(QtWidgets.QWidget):
    answered = Signal(str, str)
    focused = Signal(str)

    def __init__(self, framework: Framework, kq: KeyQuestion,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.kq = kq
        layout = QtWidgets.QVBoxLayout(self)
        layout.setSpacing(8)
        standard = framework.standard_of(kq.id)
        crumb = QtWidgets.QLabel(f"{standard.id} {standard.title}")
        crumb.setEnabled(False)
        layout.addWidget(crumb)
        self.title = heading(f"{kq.id}  {kq.text}", "kqText")
        layout.addWidget(self.title)
        self.notice = QtWidgets.QLabel()
        self.notice.setObjectName("lockNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.rows: list[AnswerRow] = []
        if kq.prompts:
            layout.addWidget(heading(_("Prompts")))
        for p in kq.prompts:
            letter = p.id.rsplit(".", 1)[1]
            row = AnswerRow(p.id, f"{letter})", p.text, choices_for(p.allow_na))
            layout.addWidget(row)
            self.rows.append(row)
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
        layout.addStretch(1)
        for i, row in enumerate(self.rows):
            row.answered.connect(self.answered)
            row.focused.connect(self.focused)
            row.advance.connect(lambda step, i=i: self._move(i, step))
        self.note.commit.connect(self.answered)
        self.note.focused.connect(self.focused)

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
        self.note.set_saved_text(a.items.get(NOTE + self.kq.id, ""))
        self.note.setEnabled(not kq_na)

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
        while 0 <= j < len(self.rows) and not any(
                b.isEnabled() for b in self.rows[j].buttons.values()):
            j += step
        if 0 <= j < len(self.rows):
            self.rows[j].setFocus()
        elif j >= len(self.rows):
            self.note.setFocus()
