"""The debrief on each local assessor: the lead's tab, and the QA partner's dialog.

One short record per assessor (Probation inspections external guidance manual, section 3.10):
the Monday observation, the lunchtime QA meetings and overall performance. The lead writes
theirs in the consolidation window; the supporting inspector writes theirs from the QA view,
on their own laptop, and sends it from there in a bundle only the lead can open
(``exchange/debrief_bundles.py``). It is never sent to the assessor
(``hmip_desktop/debrief.py``). Saving is explicit (the Save button or Ctrl+S); a refusal is
shown in one line under the fields and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.debrief import FIELDS, Debrief, debriefs, write_debrief
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.debrief_bundles import export_debrief
from hmip_desktop.exchange.files import EXTENSIONS
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import MessageLine
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace


class DebriefScreen(QtWidgets.QWidget):
    saved = Signal()

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "Your feedback on each local assessor: the observation on Monday afternoon, the "
            "lunchtime quality assurance meetings and their overall performance. It is kept "
            "in this workspace only and is never sent to the assessor.") if ws.owner_role != "qa"
            else _("Your feedback on each local assessor you support: the observation on Monday "
                   "afternoon, the lunchtime quality assurance meetings and their overall "
                   "performance. Save it here, then send it to the lead: only the lead can open "
                   "it, and it is never sent to the assessor."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QtWidgets.QHBoxLayout()
        left = QtWidgets.QVBoxLayout()
        label = QtWidgets.QLabel(_("&Local assessors"))
        self.assessors = QtWidgets.QListWidget()
        self.assessors.setAccessibleName(_("Local assessors"))
        self.assessors.setMaximumWidth(260)
        label.setBuddy(self.assessors)
        left.addWidget(label)
        left.addWidget(self.assessors, 1)
        row.addLayout(left)

        right = QtWidgets.QVBoxLayout()
        self.title = heading("")
        right.addWidget(self.title)
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)
        self.fields: dict[str, QtWidgets.QPlainTextEdit] = {}
        for key, text in FIELDS:
            edit = QtWidgets.QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(text)
            edit.setMinimumHeight(70)
            form.addRow(text + ":", edit)
            self.fields[key] = edit
        right.addLayout(form)
        buttons = QtWidgets.QHBoxLayout()
        self.save_button = QtWidgets.QPushButton(_("&Save"))
        self.save_button.setToolTip(_("Save this debrief (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        shortcut = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Save, self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        buttons.addWidget(self.save_button)
        self.written = QtWidgets.QLabel()
        self.written.setWordWrap(True)
        buttons.addWidget(self.written, 1)
        right.addLayout(buttons)
        self.others = QtWidgets.QLabel()
        self.others.setWordWrap(True)
        self.others.setTextFormat(Qt.TextFormat.PlainText)
        right.addWidget(self.others)
        self.message = MessageLine()
        right.addWidget(self.message)
        right.addStretch(1)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        self.assessors.currentRowChanged.connect(self._show_selected)

    def set_inspection(self, iid: str | None) -> None:
        # Cleared quietly first: while clearing, the list still reports the previous
        # inspection's assessor as current, who is no member of the one now chosen.
        self.assessors.blockSignals(True)
        self.assessors.clear()
        self.assessors.blockSignals(False)
        self.iid = iid
        if iid is not None:
            mine = {m["id"] for m in self.ws.members(iid)
                    if m["role"] == "qa" and m["name"] == self.ws.owner_name}
            for m in self.ws.members(iid):
                if m["role"] != "assessor":
                    continue
                if self.ws.owner_role == "qa" and m["qa_partner_id"] not in mine:
                    continue  # a QA partner writes on the assessors they partner
                item = QtWidgets.QListWidgetItem(m["name"])
                item.setData(Qt.ItemDataRole.UserRole, m["id"])
                self.assessors.addItem(item)
        self.save_button.setEnabled(self.assessors.count() > 0)
        if self.assessors.count():
            self.assessors.setCurrentRow(0)
        else:
            self.title.setText(_("No local assessor on this inspection yet."))
            for edit in self.fields.values():
                edit.clear()
            self.written.clear()
            self.others.hide()

    def member_id(self) -> str | None:
        item = self.assessors.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _show_selected(self) -> None:
        mid = self.member_id()
        self.message.clear()
        if mid is None or self.iid is None:
            return
        held = debriefs(self.ws, self.iid, mid)
        own = next((d for d in held if d.author == self.ws.owner_name), None)
        self.title.setText(_("Debrief: {name}").format(name=self.assessors.currentItem().text()))
        for key, edit in self.fields.items():
            edit.setPlainText(getattr(own, key) if own else "")
        self._written(own)
        others = [d for d in held if d.author != self.ws.owner_name]
        unwritten = _("(not written)")
        self.others.setText("\n\n".join(
            _("{author} wrote ({when}):").format(author=d.author, when=_when(d)) + "\n"
            + "\n".join(f"{text}: {getattr(d, key) or unwritten}"
                        for key, text in FIELDS) for d in others))
        self.others.setVisible(bool(others))

    def _written(self, d: Debrief | None) -> None:
        self.written.setText(_("Last saved {when}.").format(when=_when(d)) if d
                             else _("Not written yet."))

    def save(self) -> None:
        mid = self.member_id()
        if mid is None or self.iid is None:
            return
        texts = {key: edit.toPlainText() for key, edit in self.fields.items()}
        try:
            d = write_debrief(self.ws, self.iid, mid, texts)
        except UserError as e:
            self.message.refused(str(e))
            return
        self._written(d)
        self.message.done(_("Debrief on {name} saved.").format(name=d.assessor))
        self.saved.emit()


def _when(d: Debrief) -> str:
    return d.written_at[:16].replace("T", " ")


class DebriefDialog(QtWidgets.QDialog):
    """The QA partner's way in: the same screen in a dialog from the QA view."""

    def __init__(self, ws: Workspace, iid: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Debrief on your local assessors"))
        self.resize(1000, 620)
        layout = QtWidgets.QVBoxLayout(self)
        self.page = DebriefScreen(ws)
        layout.addWidget(self.page, 1)
        self.ws, self.iid = ws, iid
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.send_button = buttons.addButton(
            _("Send to the &lead…"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.setToolTip(_("Write your saved debriefs into a file only the lead can "
                                      "open, to take to them on a stick or by e-mail"))
        self.send_button.clicked.connect(self.send)
        self.send_button.setVisible(ws.owner_role == "qa")
        layout.addWidget(buttons)
        self.page.set_inspection(iid)

    def send(self) -> Path | None:
        """Write the debrief bundle for the lead where the supporting inspector chooses."""
        suggested = str(Path.home() / f"debrief-{self.ws.owner_name.replace(' ', '-')}"
                                      f"{EXTENSIONS['debrief']}")
        name, _f = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Send the debrief to the lead"), suggested,
            _("Debrief bundles (*{ext})").format(ext=EXTENSIONS["debrief"]))
        if not name:
            return None
        try:
            written = export_debrief(self.ws, self.iid, Path(name))
        except UserError as e:
            self.page.message.refused(str(e))
            return None
        self.page.message.done(_("Debrief for the lead written to {name}: give the file to the "
                                 "lead, who imports it.").format(name=written.name))
        return written
