"""The practice area: practice cases typed in by the assessor, checked as the QA partner would.

Marked as practice in its own colour and banner, as a training inspection is marked in its
own, so that it is never taken for the inspection. A thin view over ``hmip_desktop.practice``:
add a practice case with an invented reference, answer it item by item (each answer saved as
it is chosen), run the QA checks on every practice case, and erase every practice case with
one action. Nothing here is sent, exported or counted.
"""

from __future__ import annotations

from hmip_desktop.assessment.items import NOTE, RECORD_FIELDS, item_label
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.loader import current_frameworks
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import N_, _, ngettext
from hmip_desktop.practice.cases import (
    PracticeCase,
    add_practice,
    answer_practice,
    erase_practice,
    find_practice,
    list_practice,
)
from hmip_desktop.practice.checks import practice_findings, practice_status
from hmip_desktop.store.workspace import Workspace

PRACTICE_COLOUR = "#00625e"  # a dark teal no real or training screen uses
PRACTICE_TEXT = N_("PRACTICE — your own practice cases, on this laptop only: never sent, "
                   "never exported, never counted, and erased before the laptop goes back")
ANSWERS = (("", N_("(not answered)")), ("yes", N_("Yes")), ("no", N_("No")),
           ("na", N_("Not applicable")))


def practice_banner() -> QtWidgets.QLabel:
    """A full-width banner in the practice colour, white on teal."""
    banner = QtWidgets.QLabel(_(PRACTICE_TEXT))
    banner.setObjectName("practiceBanner")
    banner.setWordWrap(True)
    banner.setAccessibleName(_("Practice area"))
    banner.setStyleSheet(f"background: {PRACTICE_COLOUR}; color: #ffffff; font-weight: bold;"
                         " padding: 8px;")
    return banner


def form_items(fw: Framework) -> list[tuple[str, list[tuple[str, str]] | None]]:
    """The items of a practice form in form order, each with its choices (None: free text)."""
    out: list[tuple[str, list[tuple[str, str]] | None]] = [
        (f.key, [("", _(ANSWERS[0][1])), *f.choices] if f.choices else None)
        for f in RECORD_FIELDS]
    out += [("case:" + f.id, [("", _(ANSWERS[0][1])), *((c.value, c.label) for c in f.choices)])
            for f in fw.fields_by_id.values() if f.kind == "question"]
    for domain in fw.domains:
        for standard in domain.standards:
            for kq in standard.key_questions:
                if not fw.is_case_answered(kq):
                    continue
                for p in kq.prompts:
                    out.append((p.id, [(v, _(w)) for v, w in ANSWERS
                                       if v != "na" or p.allow_na]))
                out.append((kq.id, [(v, _(w)) for v, w in ANSWERS if v != "na" or kq.allow_na]))
                out.append((NOTE + kq.id, None))
    return out


class PracticeView(QtWidgets.QWidget):
    back = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.setObjectName("practiceArea")
        self.setStyleSheet(f"#practiceArea {{ border: 6px solid {PRACTICE_COLOUR}; }}")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(practice_banner())
        top = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("← My cases"))
        self.back_button.clicked.connect(self.back)
        QtGui.QShortcut(QtGui.QKeySequence("Alt+Left"), self, self.back.emit)
        top.addWidget(self.back_button)
        top.addWidget(heading(_("Practice"), "kqText"), 1)
        layout.addLayout(top)
        add = QtWidgets.QHBoxLayout()
        self.ref_edit = QtWidgets.QLineEdit()
        self.ref_edit.setPlaceholderText(_("an invented reference, e.g. P1"))
        self.ref_edit.setAccessibleName(_("Invented reference"))
        self.framework_box = QtWidgets.QComboBox()
        self.framework_box.setAccessibleName(_("Framework to practise on"))
        for fw in current_frameworks():
            self.framework_box.addItem(fw.title, fw.id)
        self.add_button = QtWidgets.QPushButton(_("&Add practice case"))
        self.add_button.clicked.connect(self.add_case)
        ref_label = QtWidgets.QLabel(_("&Reference:"))
        ref_label.setBuddy(self.ref_edit)
        add.addWidget(ref_label)
        add.addWidget(self.ref_edit)
        add.addWidget(self.framework_box, 1)
        add.addWidget(self.add_button)
        layout.addLayout(add)
        split = QtWidgets.QSplitter()
        self.case_list = QtWidgets.QListWidget()
        self.case_list.setAccessibleName(_("Practice cases"))
        self.case_list.currentItemChanged.connect(self.show_case)
        split.addWidget(self.case_list)
        self.form = QtWidgets.QTableWidget(0, 2)
        self.form.setHorizontalHeaderLabels([_("Question"), _("Your answer")])
        self.form.setAccessibleName(_("The practice case's form"))
        self.form.horizontalHeader().setStretchLastSection(True)
        self.form.verticalHeader().setVisible(False)
        self.form.setWordWrap(True)
        split.addWidget(self.form)
        split.setSizes([220, 680])
        layout.addWidget(split, 2)
        self.findings = QtWidgets.QListWidget()
        self.findings.setAccessibleName(_("What the checks found on the practice cases"))
        layout.addWidget(self.findings, 1)
        buttons = QtWidgets.QHBoxLayout()
        self.check_button = QtWidgets.QPushButton(_("&Check my practice cases"))
        self.check_button.clicked.connect(self.run_checks)
        self.erase_button = QtWidgets.QPushButton(_("&Erase all practice data…"))
        self.erase_button.clicked.connect(self.ask_erase)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.erase_button)
        layout.addLayout(buttons)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)

    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.case_list.blockSignals(True)
        self.case_list.clear()
        held = list_practice(self.ws) if self.ws is not None else []
        for c in held:
            item = QtWidgets.QListWidgetItem(self._case_words(c))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.case_list.addItem(item)
            if c.id == select:
                self.case_list.setCurrentItem(item)
        self.case_list.blockSignals(False)
        self.erase_button.setEnabled(bool(held))
        self.check_button.setEnabled(bool(held))
        self.show_case()

    @staticmethod
    def _case_words(c: PracticeCase) -> str:
        done = _("complete") if practice_status(c) == "complete" else _("in progress")
        return f"{c.case_ref} — {done}"

    def current(self) -> PracticeCase | None:
        item = self.case_list.currentItem()
        if self.ws is None or item is None:
            return None
        return find_practice(self.ws, str(item.data(Qt.ItemDataRole.UserRole)),
                             missing_ok=True)

    def add_case(self) -> PracticeCase | None:
        if self.ws is None:
            return None
        try:
            c = add_practice(self.ws, self.ref_edit.text(), str(self.framework_box.currentData()))
        except UserError as e:
            self.message.setText(str(e))
            return None
        self.ref_edit.clear()
        self.message.setText(_("Practice case {ref} added.").format(ref=c.case_ref))
        self.reload(select=c.id)
        return c

    def show_case(self, *_args: object) -> None:
        self.form.setRowCount(0)
        c = self.current()
        if c is None:
            return
        fw = c.framework
        rows = form_items(fw)
        self.form.setRowCount(len(rows))
        for row, (key, choices) in enumerate(rows):
            label = QtWidgets.QTableWidgetItem(self._question(fw, key))
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.form.setItem(row, 0, label)
            value = c.items.get(key, "")
            editor: QtWidgets.QWidget
            if choices is None:
                line = QtWidgets.QLineEdit(value)
                line.editingFinished.connect(
                    lambda k=key, w=line: self.save(k, w.text()))
                editor = line
            else:
                box = QtWidgets.QComboBox()
                for v, words in choices:
                    box.addItem(words, v)
                box.setCurrentIndex(max(0, box.findData(value)))
                box.activated.connect(lambda _i, k=key, w=box: self.save(k, str(w.currentData())))
                editor = box
            editor.setAccessibleName(item_label(fw, key))
            self.form.setCellWidget(row, 1, editor)
        self.form.resizeColumnToContents(0)
        self.form.setColumnWidth(0, min(self.form.columnWidth(0), 420))

    @staticmethod
    def _question(fw: Framework, key: str) -> str:
        """The item's label with the words of its prompt or key question."""
        text = (fw.prompts_by_id[key].text if key in fw.prompts_by_id
                else fw.key_questions_by_id[key].text if key in fw.key_questions_by_id else "")
        label = item_label(fw, key)
        return f"{label[:1].upper()}{label[1:]}" + (f" — {text}" if text else "")

    def save(self, item: str, value: str) -> bool:
        c = self.current()
        if self.ws is None or c is None or c.items.get(item, "") == value:
            return False
        try:
            saved = answer_practice(self.ws, c.id, {item: value})
        except UserError as e:
            self.message.setText(str(e))
            return False
        current = self.case_list.currentItem()
        if current is not None:
            current.setText(self._case_words(saved))
        self.message.setText(_("Saved."))
        return True

    def run_checks(self) -> int:
        """The QA checks on every practice case; return how many findings."""
        self.findings.clear()
        if self.ws is None:
            return 0
        n = 0
        for c in list_practice(self.ws):
            for f in practice_findings(c):
                must = _("must fix") if f.severity == "must_fix" else _("worth a look")
                self.findings.addItem(f"{c.case_ref}, {item_label(c.framework, f.item)} "
                                      f"({must}): {f.message}")
                n += 1
        self.message.setText(ngettext("The checks found {n} thing to look at.",
                                      "The checks found {n} things to look at.", n).format(n=n)
                             if n else _("The checks found nothing on your practice cases."))
        return n

    def ask_erase(self) -> None:
        answer = QtWidgets.QMessageBox.question(
            self, _("Erase all practice data"),
            _("Erase every practice case on this laptop? It cannot be undone."))
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.erase()

    def erase(self) -> int:
        if self.ws is None:
            return 0
        n = erase_practice(self.ws)
        self.findings.clear()
        self.message.setText(ngettext("Practice data erased: {n} practice case.",
                                      "Practice data erased: {n} practice cases.", n).format(n=n))
        self.reload()
        return n
