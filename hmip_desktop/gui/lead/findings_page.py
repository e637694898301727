"""Findings and evidence: the lead's findings on each organisational key question.

Domain one of a rated framework, or the organisational questions of an unrated one such as
the dynamic inspection of public protection: per key question the strengths and areas for
improvement with the evidence behind each (documents sent in advance, meetings, the case data;
Probation inspections external guidance manual, sections 3.6 and 6.1), and the organisation's
narrative (at most 300 words). Two more tabs hold the register of documents and the coverage
(``gui/lead/evidence_register.py``). Findings carry no rating: a rated standard is rated on the
Domain one tab, which shows these findings beside the rating. Saving is explicit; a refusal is
one line under the page and nothing is written.
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.findings.case_links import CaseLinks
from hmip_desktop.findings.items import key_question_of, organisational_key_questions
from hmip_desktop.findings.service import (
    MAX_NARRATIVE_WORDS,
    add_finding,
    documents,
    findings,
    narratives,
    remove_finding,
    set_narrative,
    word_count,
)
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.qt import Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.case_data import CaseDataView
from hmip_desktop.gui.lead.common import Column, EmptyState, MessageLine, RowsModel, table_view
from hmip_desktop.gui.lead.evidence_register import CoverageTab, RegisterTab
from hmip_desktop.gui.lead.findings_words import (
    KIND_LABELS,
    evidence_words,
    item_short,
    prompt_label,
)
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class FindingsTab(QtWidgets.QWidget):
    """Per organisational key question: its findings, a new finding, the narrative."""

    changed = Signal()

    def __init__(self, ws: Workspace, message: MessageLine) -> None:
        super().__init__()
        self.ws = ws
        self.message = message
        self.iid: str | None = None
        self.framework: Framework | None = None
        self.key_questions: list[Any] = []
        self.register: dict[int, Any] = {}
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        QtWidgets.QVBoxLayout(self).addWidget(split)
        self.questions = QtWidgets.QListWidget()
        self.questions.setAccessibleName(_("Organisational key questions"))
        self.questions.setWordWrap(True)
        self.questions.setSpacing(3)
        self.questions.setAlternatingRowColors(True)
        self.questions.currentRowChanged.connect(self.show_key_question)
        split.addWidget(self.questions)

        right = QtWidgets.QWidget()
        rv = QtWidgets.QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.title = heading("")
        self.title.setWordWrap(True)
        rv.addWidget(self.title)
        # The case data the framework links to this key question, read with its findings.
        self.case_data = CaseDataView()
        self.case_data.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.case_data.setMinimumHeight(1)  # yields first on a small screen
        self.case_data.view.setMinimumHeight(1)
        rv.addWidget(self.case_data)
        self.case_links: CaseLinks | None = None
        self.rows = RowsModel((
            Column(_("Finding"), lambda f: KIND_LABELS[f.kind]),
            Column(_("On"), self._on),
            Column(_("What was found"), lambda f: f.text),
            Column(_("Evidence"), lambda f: evidence_words(f, self.register)),
        ), self)
        self.view = table_view(self.rows, _("Findings on this key question"), stretch=(2, 3))
        rv.addWidget(EmptyState(self.view, _(
            "No findings on this key question yet. Write a strength or an area for improvement "
            "below, with the evidence behind it.")), 2)
        remove = QtWidgets.QPushButton(_("&Remove the chosen finding"))
        remove.clicked.connect(self.remove_chosen)
        rv.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)

        form = QtWidgets.QFormLayout()
        self.kind = QtWidgets.QComboBox()
        self.kind.setAccessibleName(_("Strength or area for improvement"))
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        form.addRow(_("&Kind:"), self.kind)
        self.about = QtWidgets.QComboBox()
        self.about.setAccessibleName(_("What the finding is on"))
        form.addRow(_("&On:"), self.about)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setAccessibleName(_("The finding"))
        self.text.setPlaceholderText(_("What was found, in a sentence or two"))
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(self.text.fontMetrics().lineSpacing() * 4)
        form.addRow(_("&Finding:"), self.text)
        self.documents = QtWidgets.QListWidget()
        self.documents.setAccessibleName(_("Documents it rests on"))
        self.documents.setMaximumHeight(self.documents.fontMetrics().lineSpacing() * 5)
        form.addRow(_("Documents:"), self.documents)
        self.meetings = QtWidgets.QLineEdit()
        self.meetings.setAccessibleName(_("Meetings it rests on"))
        self.meetings.setPlaceholderText(_("Meetings, separated by semicolons"))
        form.addRow(_("&Meetings:"), self.meetings)
        self.cases = QtWidgets.QLineEdit()
        self.cases.setAccessibleName(_("What the case data showed"))
        self.cases.setPlaceholderText(_("What the case data showed, separated by semicolons"))
        form.addRow(_("&Case data:"), self.cases)
        rv.addLayout(form)
        add = QtWidgets.QPushButton(_("&Add the finding"))
        add.clicked.connect(self.add)
        rv.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)

        rv.addWidget(QtWidgets.QLabel(_("The organisation's narrative on this key question "
                                        "(at most {n} words):").format(n=MAX_NARRATIVE_WORDS)))
        self.narrative = QtWidgets.QPlainTextEdit()
        self.narrative.setAccessibleName(_("The organisation's narrative"))
        self.narrative.setTabChangesFocus(True)
        self.narrative.setMaximumHeight(self.narrative.fontMetrics().lineSpacing() * 5)
        self.narrative.textChanged.connect(self._count_words)
        rv.addWidget(self.narrative)
        row = QtWidgets.QHBoxLayout()
        self.words = QtWidgets.QLabel()
        row.addWidget(self.words, 1)
        save = QtWidgets.QPushButton(_("&Save the narrative"))
        save.clicked.connect(self.save_narrative)
        row.addWidget(save)
        rv.addLayout(row)
        split.addWidget(right)
        split.setSizes([360, 900])

    # -- data ------------------------------------------------------------------------------

    def set_inspection(self, iid: str | None, framework: Framework | None) -> None:
        self.iid, self.framework = iid, framework
        self.case_links = None
        self.key_questions = list(organisational_key_questions(framework)) if framework else []
        self.refresh(keep_row=False)

    def refresh(self, *, keep_row: bool = True) -> None:
        row = self.questions.currentRow() if keep_row else 0
        self.register = ({d.number: d for d in documents(self.ws, self.iid)}
                         if self.iid else {})
        held = findings(self.ws, self.iid) if self.iid else []
        self.questions.blockSignals(True)
        self.questions.clear()
        fw = self.framework
        for k in self.key_questions:
            assert fw is not None
            mine = [f for f in held if key_question_of(fw, f.item) == k.id]
            strengths = sum(f.kind == "strength" for f in mine)
            self.questions.addItem(_("{kq} {text}\nStrengths: {s}   Areas for "
                                     "improvement: {a}").format(kq=k.id, text=k.text,
                                                                s=strengths,
                                                                a=len(mine) - strengths))
        self.questions.blockSignals(False)
        self.documents.clear()
        for d in self.register.values():
            item = QtWidgets.QListWidgetItem(_("{n}. {title}").format(n=d.number, title=d.title))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, d.number)
            self.documents.addItem(item)
        if self.key_questions:
            self.questions.setCurrentRow(max(0, min(row, len(self.key_questions) - 1)))
        self.show_key_question(self.questions.currentRow())

    def current(self) -> Any:
        row = self.questions.currentRow()
        return self.key_questions[row] if 0 <= row < len(self.key_questions) else None

    def _on(self, f: Any) -> str:
        fw = self.framework
        if fw is None or f.item not in fw.prompts_by_id:
            return _("Key question")
        return item_short(fw, f.item)

    def set_case_links(self, links: CaseLinks | None) -> None:
        self.case_links = links
        self.show_case_data()

    def show_case_data(self) -> None:
        kq, links = self.current(), self.case_links
        found = links.of(kq.id) if links is not None and kq is not None else None
        self.case_data.set_links(self.framework, (found,) if found else (),
                                 links.cases if links is not None else None)

    def show_key_question(self, _row: int) -> None:
        kq, fw = self.current(), self.framework
        self.title.setText(f"{kq.id} {kq.text}" if kq is not None else "")
        self.show_case_data()
        self.about.clear()
        if kq is None or fw is None or self.iid is None:
            self.rows.set_rows([])
            self.narrative.setPlainText("")
            return
        self.about.addItem(_("The key question as a whole"), kq.id)
        for p in kq.prompts:
            self.about.addItem(prompt_label(fw, p.id), p.id)
        self.rows.set_rows([f for f in findings(self.ws, self.iid)
                            if key_question_of(fw, f.item) == kq.id])
        said = narratives(self.ws, self.iid).get(kq.id)
        self.narrative.setPlainText(said.text if said else "")

    def _count_words(self) -> None:
        n = word_count(self.narrative.toPlainText())
        self.words.setText(_("{n} of {cap} words").format(n=n, cap=MAX_NARRATIVE_WORDS))
        self.words.setStyleSheet("color: #d4351c; font-weight: bold;"
                                 if n > MAX_NARRATIVE_WORDS else "")

    # -- actions ---------------------------------------------------------------------------

    def chosen_documents(self) -> list[int]:
        return [int(self.documents.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.documents.count())
                if self.documents.item(i).checkState() == Qt.CheckState.Checked]

    def add(self) -> None:
        kq = self.current()
        if kq is None or self.iid is None:
            return
        try:
            number = add_finding(self.ws, self.iid, self.about.currentData() or kq.id,
                                 self.kind.currentData(), self.text.toPlainText(),
                                 documents=self.chosen_documents(),
                                 meetings=_split(self.meetings.text()),
                                 cases=_split(self.cases.text()))
        except UserError as e:
            self.message.refused(str(e))
            return
        for w in (self.text, self.meetings, self.cases):
            w.clear()
        self.message.done(_("Finding {n} saved on key question {kq}.").format(n=number,
                                                                               kq=kq.id))
        self.refresh()
        self.changed.emit()

    def remove_chosen(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or self.iid is None:
            self.message.refused(_("Choose a finding in the list first."))
            return
        f = self.rows.rows[index.row()]
        try:
            remove_finding(self.ws, self.iid, f.number)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Finding removed."))
        self.refresh()
        self.changed.emit()

    def save_narrative(self) -> None:
        kq = self.current()
        if kq is None or self.iid is None:
            return
        try:
            changed = set_narrative(self.ws, self.iid, kq.id, self.narrative.toPlainText())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Narrative on key question {kq} saved.").format(kq=kq.id)
                          if changed else _("The narrative was already saved."))
        self.changed.emit()


class FindingsScreen(QtWidgets.QWidget):
    """The Findings and evidence tab of the consolidation window."""

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        layout = QtWidgets.QVBoxLayout(self)
        self.note = QtWidgets.QLabel()
        self.note.setObjectName("subNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.message = MessageLine()
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setAccessibleName(_("Findings and evidence"))
        self.findings = FindingsTab(ws, self.message)
        self.register = RegisterTab(ws, self.message)
        self.coverage = CoverageTab(ws)
        self.tabs.addTab(self.findings, _("Findings per key question"))
        self.tabs.addTab(self.register, _("Documents sent in advance"))
        self.tabs.addTab(self.coverage, _("Coverage"))
        self.stack = EmptyState(self.tabs, "", follow_model=False)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        for tab in (self.findings, self.register):
            tab.changed.connect(self.refresh)

    def set_inspection(self, iid: str | None, framework: Framework | None) -> None:
        self.findings.set_inspection(iid, framework)
        self.register.set_inspection(iid, framework)
        self.coverage.set_inspection(iid)
        none = framework is None or not organisational_key_questions(framework)
        self.stack.show_empty(none)
        self.stack.set_text(
            _("No inspection yet: set one up first (Inspection set-up in the main window).")
            if framework is None else
            _("This framework has no organisational key questions: every key question is "
              "answered case by case."))
        self.note.setText(
            "" if framework is None else
            _("Findings on domain one inform your rating of each standard, which you give on "
              "the Domain one tab. The findings themselves are not rated.") if framework.rated
            else _("This programme is not rated: record findings on its organisational "
                   "questions; no rating is asked for."))

    def refresh(self) -> None:
        self.findings.refresh()
        self.register.refresh()
        self.coverage.refresh()
