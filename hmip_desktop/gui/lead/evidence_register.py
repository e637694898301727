"""The register of documents sent in advance, and the coverage per key question.

Two tabs of the Findings and evidence page (``gui/lead/findings_page.py``). A document is
referenced by default (where it is kept, in words); the lead may keep a copy of the file
inside the encrypted workspace instead, up to the size the app allows. The coverage shows, per
organisational key question, how many documents, meetings and case findings bear on it, and
flags a key question with none.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.findings.coverage import coverage
from hmip_desktop.findings.items import organisational_key_questions
from hmip_desktop.findings.service import (
    MAX_STORED_BYTES,
    add_document,
    documents,
    remove_document,
)
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.qt import Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import chosen_day, date_edit
from hmip_desktop.gui.lead.common import Column, EmptyState, MessageLine, RowsModel, table_view
from hmip_desktop.gui.lead.findings_words import item_ref, prompt_label
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace

NONE_COLOUR = "#d4351c"


def _kept(d: Any) -> str:
    if d.stored_name:
        return _("Copy kept in the workspace: {name} ({kb:,} KB)").format(
            name=d.stored_name, kb=max(1, (d.stored_size or 0) // 1024))
    return _("Referenced: {where}").format(where=d.location) if d.location \
        else _("Referenced")


class RegisterTab(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, message: MessageLine) -> None:
        super().__init__()
        self.ws = ws
        self.message = message
        self.iid: str | None = None
        self.framework: Framework | None = None
        self.store_path: Path | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.rows = RowsModel((
            Column(_("No."), lambda d: str(d.number), sort=lambda d: d.number),
            Column(_("Title"), lambda d: d.title),
            Column(_("Dated"), lambda d: d.dated),
            Column(_("Key questions and prompts"), self._speaks_to),
            Column(_("Kept"), _kept),
            Column(_("Note"), lambda d: d.note),
        ), self)
        self.view = table_view(self.rows, _("Documents sent in advance"), stretch=(1, 3))
        layout.addWidget(EmptyState(self.view, _(
            "No documents yet. Add each document the organisation sent before fieldwork, with "
            "the key questions and prompts it speaks to.")), 2)
        remove = QtWidgets.QPushButton(_("&Remove the chosen document"))
        remove.clicked.connect(self.remove_chosen)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)

        form = QtWidgets.QFormLayout()
        self.title = QtWidgets.QLineEdit()
        self.title.setAccessibleName(_("Document title"))
        form.addRow(_("&Title:"), self.title)
        self.dated = date_edit(date.today(), _("The document's date"))
        form.addRow(_("&Dated:"), self.dated)
        self.items = QtWidgets.QListWidget()
        self.items.setAccessibleName(_("Key questions and prompts it speaks to"))
        self.items.setMaximumHeight(self.items.fontMetrics().lineSpacing() * 7)
        form.addRow(_("Speaks to:"), self.items)
        self.note = QtWidgets.QLineEdit()
        self.note.setAccessibleName(_("Note on the document"))
        form.addRow(_("&Note:"), self.note)
        self.where = QtWidgets.QLineEdit()
        self.where.setAccessibleName(_("Where it is kept"))
        self.where.setPlaceholderText(_("Where the document is kept (it is referenced)"))
        form.addRow(_("&Where kept:"), self.where)
        row = QtWidgets.QHBoxLayout()
        self.copy_label = QtWidgets.QLabel(_("No copy kept"))
        row.addWidget(self.copy_label, 1)
        choose = QtWidgets.QPushButton(_("&Keep a copy in the workspace…"))
        choose.setToolTip(_("A copy of at most {mb} MB, kept encrypted with the inspection")
                          .format(mb=MAX_STORED_BYTES // 1024 // 1024))
        choose.clicked.connect(self.choose_copy)
        row.addWidget(choose)
        form.addRow(_("Copy:"), row)
        layout.addLayout(form)
        add = QtWidgets.QPushButton(_("A&dd the document"))
        add.clicked.connect(self.add)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)

    def _speaks_to(self, d: Any) -> str:
        fw = self.framework
        return ", ".join(item_ref(fw, i) if fw is not None else i for i in d.items)

    def set_inspection(self, iid: str | None, framework: Framework | None) -> None:
        self.iid, self.framework = iid, framework
        self.items.clear()
        for k in organisational_key_questions(framework) if framework else ():
            self._choice(f"{k.id} {k.text}", k.id)
            for p in k.prompts:
                assert framework is not None
                self._choice(f"    {k.id} {prompt_label(framework, p.id)}", p.id)
        self.refresh()

    def _choice(self, text: str, item_id: str) -> None:
        item = QtWidgets.QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        self.items.addItem(item)

    def refresh(self) -> None:
        self.rows.set_rows(documents(self.ws, self.iid) if self.iid else [])

    def tick(self, item_id: str) -> None:
        """Tick the key question or prompt ``item_id`` speaks to (as a click on its box)."""
        for i in range(self.items.count()):
            if self.items.item(i).data(Qt.ItemDataRole.UserRole) == item_id:
                self.items.item(i).setCheckState(Qt.CheckState.Checked)

    def chosen_items(self) -> list[str]:
        return [str(self.items.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.items.count())
                if self.items.item(i).checkState() == Qt.CheckState.Checked]

    def choose_copy(self) -> None:
        name, _f = QtWidgets.QFileDialog.getOpenFileName(self, _("Keep a copy of a document"))
        if name:
            self.set_copy(Path(name))

    def set_copy(self, path: Path | None) -> None:
        self.store_path = path
        self.copy_label.setText(_("A copy of {name} will be kept").format(name=path.name)
                                if path else _("No copy kept"))

    def add(self) -> None:
        if self.iid is None:
            return
        try:
            number = add_document(self.ws, self.iid, title=self.title.text(),
                                  dated=chosen_day(self.dated).isoformat(),
                                  items=self.chosen_items(), note=self.note.text(),
                                  location=self.where.text(), store=self.store_path)
        except UserError as e:
            self.message.refused(str(e))
            return
        for w in (self.title, self.note, self.where):
            w.clear()
        for i in range(self.items.count()):
            self.items.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.set_copy(None)
        self.message.done(_("Document {n} added to the register.").format(n=number))
        self.refresh()
        self.changed.emit()

    def remove_chosen(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or self.iid is None:
            self.message.refused(_("Choose a document in the list first."))
            return
        try:
            remove_document(self.ws, self.iid, self.rows.rows[index.row()].number)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Document removed from the register."))
        self.refresh()
        self.changed.emit()


def _red(c: Any) -> str | None:
    return NONE_COLOUR if c.none else None


def _flag(c: Any) -> str:
    return _("No evidence yet") if c.none else ""


class CoverageTab(QtWidgets.QWidget):
    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.iid: str | None = None
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "How much evidence bears on each key question: the documents sent in advance that "
            "speak to it or that a finding rests on, and the meetings and case data its "
            "findings name. A key question with none is flagged."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.rows = RowsModel((
            Column(_("Key question"), lambda c: f"{c.key_question} {c.text}"),
            Column(_("Standard"), lambda c: c.standard),
            Column(_("Documents"), lambda c: str(c.documents), sort=lambda c: c.documents),
            Column(_("Meetings"), lambda c: str(c.meetings), sort=lambda c: c.meetings),
            Column(_("Case data"), lambda c: str(c.cases), sort=lambda c: c.cases),
            Column(_("Strengths"), lambda c: str(c.strengths)),
            Column(_("Areas for improvement"), lambda c: str(c.improvements)),
            Column(_("Narrative (words)"), lambda c: str(c.narrative_words)),
            Column(_("Flag"), _flag, colour=_red, bold=lambda c: c.none),
        ), self)
        self.view = table_view(self.rows, _("Evidence per key question"), stretch=0)
        layout.addWidget(self.view, 1)

    def set_inspection(self, iid: str | None) -> None:
        self.iid = iid
        self.refresh()

    def refresh(self) -> None:
        self.rows.set_rows(coverage(self.ws, self.iid) if self.iid else [])
