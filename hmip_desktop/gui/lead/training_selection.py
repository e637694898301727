"""The lead's selection after a training event, on the Training tab (000_ §3.10).

Per trainee: selected, reserve or not selected, with developmental feedback for them. Kept in
the lead's workspace only (``training.selection``); allocation offers the selected first and
the reserves as replacements.
"""

from __future__ import annotations

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.i18n import N_, _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.selection import DECISIONS, Selection, record_selection, selections

COLUMNS = (N_("Trainee"), N_("Decision"), N_("Developmental feedback"))


class SelectionPanel(QtWidgets.QGroupBox):
    """Each trainee's decision and feedback; pick one, choose, write, record."""

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(_("Selection for fieldwork"), parent)
        self.ws = ws
        self.inspection_id: str | None = None
        self.held: list[Selection] = []
        layout = QtWidgets.QVBoxLayout(self)
        note = QtWidgets.QLabel(_("Kept in your workspace only. Allocation offers selected "
                                  "assessors first and reserves as replacements, matching a "
                                  "trainee to the inspection's team by name."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Each trainee's selection"))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(170)
        self.table.currentCellChanged.connect(self._picked)
        layout.addWidget(self.table)
        row = QtWidgets.QHBoxLayout()
        self.decision_box = QtWidgets.QComboBox()
        self.decision_box.setAccessibleName(_("Decision"))
        for key, words in DECISIONS.items():
            self.decision_box.addItem(_(words), key)
        label = QtWidgets.QLabel(_("&Decision:"))
        label.setBuddy(self.decision_box)
        row.addWidget(label)
        row.addWidget(self.decision_box)
        self.feedback = QtWidgets.QPlainTextEdit()
        self.feedback.setAccessibleName(_("Developmental feedback"))
        self.feedback.setPlaceholderText(_("Developmental feedback for the trainee"))
        self.feedback.setMaximumHeight(70)
        row.addWidget(self.feedback, 1)
        self.record_button = QtWidgets.QPushButton(_("&Record decision"))
        self.record_button.clicked.connect(self.record)
        row.addWidget(self.record_button)
        layout.addLayout(row)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)

    def load(self, inspection_id: str | None) -> None:
        self.inspection_id = inspection_id
        self.held = []
        if inspection_id is not None:
            try:
                self.held = selections(self.ws, inspection_id)
            except UserError as e:
                self.message.setText(str(e))
        self.table.setRowCount(len(self.held))
        for r, s in enumerate(self.held):
            for col, text in enumerate((s.name, s.words, s.feedback)):
                self.table.setItem(r, col, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.record_button.setEnabled(bool(self.held))
        if self.held and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    def _picked(self, row: int, *_args: object) -> None:
        if 0 <= row < len(self.held):
            s = self.held[row]
            self.decision_box.setCurrentIndex(max(0, self.decision_box.findData(
                s.decision or "selected")))
            self.feedback.setPlainText(s.feedback)

    def record(self) -> bool:
        row = self.table.currentRow()
        if self.inspection_id is None or not 0 <= row < len(self.held):
            return False
        try:
            s = record_selection(self.ws, self.inspection_id, self.held[row].member_id,
                                 str(self.decision_box.currentData()),
                                 self.feedback.toPlainText())
        except UserError as e:
            self.message.setText(str(e))
            return False
        self.load(self.inspection_id)
        self.table.setCurrentCell(row, 0)
        self.message.setText(_("{name}: {decision}, recorded.").format(name=s.name,
                                                                       decision=s.words))
        return True
