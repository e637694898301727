"""Ready to return: the page that lists what stands between this laptop and courier collection.

It shows ``laptop_return.check.return_check`` in sections (cases not delivered, cases the lead
released, alerts not acknowledged, queries not answered, files written by the app), lets the
assessor confirm a listed file as removed or handed over, and offers "Prepare for return…"
only when the check is green. That asks where to save the wipe certificate for the lead (when
the workspace holds cases) and for the words "remove this workspace", then removes the
workspace (``laptop_return.wipe``) and says where the certificate is.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.check import ReturnCheck, counted, return_check
from hmip_desktop.laptop_return.exports import confirm_export
from hmip_desktop.laptop_return.wipe import WipeIncomplete, WipeResult, prepare_for_return
from hmip_desktop.store.workspace import Workspace

CONFIRM_WORDS = _("remove this workspace")
GREEN, RED = "#00703c", "#d4351c"


class ReturnView(QtWidgets.QWidget):
    back = Signal()
    wiped = Signal(object)  # the WipeResult: the workspace is closed and gone

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.check: ReturnCheck | None = None
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("← My cases"))
        self.back_button.setToolTip(_("Back to your cases (Alt+Left)"))
        self.back_button.clicked.connect(self.back)
        QtGui.QShortcut(QtGui.QKeySequence("Alt+Left"), self, self.back.emit)
        top.addWidget(self.back_button)
        top.addWidget(heading(_("Ready to return"), "kqText"), 1)
        layout.addLayout(top)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Whether the laptop is ready to return"))
        layout.addWidget(self.status)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("What is left before the laptop goes back"))
        self.tree.currentItemChanged.connect(self._selection_changed)
        layout.addWidget(self.tree, 1)
        buttons = QtWidgets.QHBoxLayout()
        self.again_button = QtWidgets.QPushButton(_("Check &again"))
        self.again_button.clicked.connect(self.refresh)
        self.removed_button = QtWidgets.QPushButton(_("Confirm file &removed"))
        self.removed_button.setToolTip(_("You have deleted the selected file"))
        self.removed_button.clicked.connect(lambda: self.confirm_selected("removed"))
        self.handed_button = QtWidgets.QPushButton(_("Confirm file &handed over"))
        self.handed_button.setToolTip(_("The selected file went to the lead or the team; "
                                        "Prepare for return removes any copy left here"))
        self.handed_button.clicked.connect(lambda: self.confirm_selected("handed_over"))
        self.prepare_button = QtWidgets.QPushButton(_("&Prepare for return…"))
        self.prepare_button.clicked.connect(self.ask_prepare)
        for b in (self.again_button, self.removed_button, self.handed_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.prepare_button)
        layout.addLayout(buttons)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a path
        layout.addWidget(self.message)

    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        self.check = return_check(self.ws) if self.ws is not None else None
        c = self.check
        if c is None:
            self.status.clear()
            self._selection_changed()
            self.prepare_button.setEnabled(False)
            return
        if c.green:
            self.status.setText(_("Ready to return: nothing is left to deal with on this "
                                  "laptop. You can prepare it for return."))
            self.status.setStyleSheet(f"color: {GREEN}; font-weight: bold")
        else:
            self.status.setText(_("Not ready to return yet: {what}.").format(
                what=c.blocking_summary()))
            self.status.setStyleSheet(f"color: {RED}; font-weight: bold")
        self._section(_("Cases not yet delivered to the lead (send them, then import the "
                        "lead's receipt)"), c.undelivered)
        self._section(_("Cases the lead has released (no longer needed from this laptop)"),
                      c.released, blocking=False)
        self._section(_("Alerts the lead has not yet acknowledged"),
                      [f"{r}: " + counted(n, _("1 alert"), _("{n} alerts"))
                       for r, n in c.unacknowledged_alerts])
        self._section(_("Queries not yet answered"),
                      [f"{r}: " + counted(n, _("1 query"), _("{n} queries"))
                       for r, n in c.unanswered_queries])
        files = self._section(
            _("Files written by the app, not confirmed as removed or handed over"),
            [f"{e.path} — {e.what_words}, {e.state_words}" for e in c.exports])
        kept = self._section(_("Files handed over but still on disk (Prepare for return "
                               "removes them)"),
                             [e.path for e in c.exports_to_remove], blocking=False)
        self._section(_("Practice data (never leaves this laptop; Prepare for return erases "
                        "it)"), [counted(c.practice, _("1 practice case"),
                                         _("{n} practice cases"))] if c.practice else [],
                      blocking=False)
        for item, e in [*zip(files, c.exports, strict=True),
                        *zip(kept, c.exports_to_remove, strict=True)]:
            item.setData(0, Qt.ItemDataRole.UserRole, e.number)
        self.tree.expandAll()
        self.prepare_button.setEnabled(c.green)
        self.prepare_button.setToolTip(
            "" if c.green else _("Offered once nothing is left in the list above"))
        self._selection_changed()

    def _section(self, title: str, lines: list[str], *,
                 blocking: bool = True) -> list[QtWidgets.QTreeWidgetItem]:
        """A heading with the count, and one row per line (returned, for their data)."""
        top = QtWidgets.QTreeWidgetItem(self.tree, [f"{title}: {len(lines)}"
                                                    if lines else f"{title}: " + _("none")])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        if lines and blocking:
            top.setForeground(0, QtGui.QBrush(QtGui.QColor(RED)))
        return [QtWidgets.QTreeWidgetItem(top, [line]) for line in lines]

    def selected_export(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.selected_export() is not None
        self.removed_button.setEnabled(chosen)
        self.handed_button.setEnabled(chosen)

    def confirm_selected(self, how: str) -> bool:
        number = self.selected_export()
        if self.ws is None or number is None:
            return False
        try:
            e = confirm_export(self.ws, number, how)
        except UserError as err:
            self.message.setText(str(err))
            return False
        self.message.setText(_("{path}: {state}").format(path=e.path, state=e.state_words))
        self.refresh()
        return True

    def ask_prepare(self) -> None:
        if self.ws is None or self.check is None or not self.check.green:
            return
        certificate: Path | None = None
        if self.check.cases_held:
            name, _f = QtWidgets.QFileDialog.getSaveFileName(
                self, _("Save the wipe certificate for the lead"),
                str(Path.home() / "wipe-certificate.hmipwipe"),
                _("Wipe certificates (*.hmipwipe)"))
            if not name:
                return
            certificate = Path(name)
        words, ok = QtWidgets.QInputDialog.getText(
            self, _("Prepare for return"),
            _("This removes the workspace from this laptop for good: every case, note and key "
              "in it, practice cases too, and the files listed above. It cannot be undone."
              "\n\nType \u201c{words}\u201d to go ahead.").format(words=CONFIRM_WORDS))
        if ok:
            self.prepare(certificate, words)

    def prepare(self, certificate: Path | None, words: str) -> WipeResult | None:
        """Remove the workspace if ``words`` are the confirmation; None if refused."""
        if self.ws is None:
            return None
        if words.strip().lower() != CONFIRM_WORDS:
            self.message.setText(_("Nothing was removed: the words typed were not "
                                   "\u201c{words}\u201d.").format(words=CONFIRM_WORDS))
            return None
        try:
            result = prepare_for_return(self.ws, certificate)
        except WipeIncomplete as err:  # the workspace is closed: it cannot be used again
            self.ws = None
            self.message.setText(str(err))
            self.wiped.emit(None)
            return None
        except UserError as err:
            self.message.setText(str(err))
            return None
        self.ws = None
        self.check = None
        self.tree.clear()
        self.prepare_button.setEnabled(False)
        self.wiped.emit(result)
        return result
