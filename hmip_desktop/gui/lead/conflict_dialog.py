"""A case in conflict, side by side: per item, the version held and the one received.

The lead picks one version per item (``exchange/conflicts.resolve``); a refusal is shown in one
line under the table and nothing is written.
"""

from __future__ import annotations

from hmip_desktop.assessment.items import CASE, RECORD_BY_KEY
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.conflicts import STATUS_ITEM, Conflict, conflict_of, resolve
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.plain_text import plain_label
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.common.queries import query_item_label
from hmip_desktop.gui.lead.common import MessageLine
from hmip_desktop.i18n import _
from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import STATUS_LABELS, capitalised

SIDES = (("held", _("Held here")), ("received", _("Received")))


ANSWERS = {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}


def shown_value(fw: Framework, item: str, value: str) -> str:
    """A stored value as the form words it (Yes, In progress, In person…), not its code."""
    if item == STATUS_ITEM:
        return STATUS_LABELS.get(value, value)
    if item in fw.prompts_by_id or item in fw.key_questions_by_id:
        return ANSWERS.get(value, value)
    if item in RECORD_BY_KEY:
        return dict(RECORD_BY_KEY[item].choices).get(value, value)
    if item.startswith(CASE) and item[len(CASE):] in fw.fields_by_id:
        return fw.fields_by_id[item[len(CASE):]].label_of(value)
    return value


def _side(fw: Framework, item: str, value: str | None, by: str) -> str:
    text = _("(empty)") if value is None else shown_value(fw, item, value)
    return f"{text}\n— {by}" if by else text


class ConflictDialog(QtWidgets.QDialog):
    """Item | held (who) | received (who) | choice; Resolve writes a new revision."""

    def __init__(self, ws: Workspace, case: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.conflict: Conflict = conflict_of(ws, case)
        self.revision: int | None = None
        c = self.conflict
        fw = ws.framework(ws.find_case(c.case_id).framework_hash)  # the case's own edition
        self.fw = fw
        self.setWindowTitle(_("Case {ref} in conflict").format(ref=c.case_ref))
        layout = QtWidgets.QVBoxLayout(self)
        intro = plain_label(_(
            "{sender} sent their work on case {ref}, but the version held here is not the one "
            "they worked from. Nothing of theirs has been applied. Choose, for each item that "
            "differs, which version stands; the result becomes the case's latest version, and "
            "goes back to them with your next pack.").format(
                sender=c.sender or _("A member"), ref=c.case_ref))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QtWidgets.QTableWidget(len(c.items), 4)
        self.table.setAccessibleName(_("Items in conflict"))
        self.table.setHorizontalHeaderLabels(
            [_("Item"), _("Held here (who)"), _("Received (who)"), _("Choice")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.choices: list[QtWidgets.QComboBox] = []
        for row, item in enumerate(c.items):
            for col, text in enumerate((capitalised(query_item_label(fw, item.item)),
                                        _side(fw, item.item, item.held, item.held_by),
                                        _side(fw, item.item, item.received,
                                              item.received_by))):
                self.table.setItem(row, col, QtWidgets.QTableWidgetItem(text))
            combo = QtWidgets.QComboBox()
            combo.addItem(_("Choose…"), None)
            for key, label in SIDES:
                combo.addItem(label, key)
            combo.setAccessibleName(_("Version of {item}").format(
                item=query_item_label(fw, item.item)))
            self.table.setCellWidget(row, 3, combo)
            self.choices.append(combo)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        row_buttons = QtWidgets.QHBoxLayout()
        for index, words in ((0, _("Keep all &held")), (1, _("Take all &received"))):
            button = QtWidgets.QPushButton(words)
            button.clicked.connect(lambda _c=False, k=index: self.choose_all(k))
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        layout.addLayout(row_buttons)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox()
        self.resolve_button = buttons.addButton(
            _("Re&solve"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.resolve)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 420)

    def choose_all(self, side: int) -> None:
        for combo in self.choices:
            combo.setCurrentIndex(side + 1)

    def resolve(self) -> None:
        chosen = {item.item: combo.currentData()
                  for item, combo in zip(self.conflict.items, self.choices, strict=True)
                  if combo.currentData() is not None}
        left = [query_item_label(self.fw, item.item) for item in self.conflict.items
                if item.item not in chosen]
        if left:
            self.message.refused(_("Choose a version for every item: {items}.").format(
                items=", ".join(left[:4]) + (" …" if len(left) > 4 else "")))
            return
        try:
            self.revision = resolve(self.ws, self.conflict.case_id, chosen)
        except (UserError, StoreError) as e:
            self.message.refused(str(e))
            return
        self.accept()
