"""Bundles in the GUI: import and export, the first-pack fingerprint check, the member card."""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.common import ImportReport
from hmip_desktop.exchange.contacts import my_card
from hmip_desktop.exchange.files import EXTENSIONS, write_atomic
from hmip_desktop.exchange.pack_editions import EditionConfirmationNeededError
from hmip_desktop.exchange.packs import LeadFingerprintNeededError
from hmip_desktop.exchange.second_bundles import export_second, held_as_second
from hmip_desktop.exchange.service import import_file
from hmip_desktop.gui.common.edition_dialogs import EditionConfirmDialog
from hmip_desktop.gui.common.plain_text import as_html, warn
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import role_label

BUNDLE_FILTER = _("hmip-desktop bundles (*.hmippack *.hmipb *.hmiprcpt *.hmipalert *.hmipstate"
                  " *.hmipdebrief *.hmiprelease *.hmipwipe);;"
                  "All files (*)")
SECOND_FILTER = _("Second assessments (*.hmipsecond);;All files (*)")


def import_with_checks(parent: QtWidgets.QWidget, ws: Workspace,
                       path: Path) -> ImportReport | None:
    """Import a file, asking for the lead's fingerprint on a first pack; None if refused."""
    try:
        try:
            report = import_file(ws, path)
        except LeadFingerprintNeededError as e:
            if not confirm_fingerprint(parent, e.lead_name, e.fingerprint):
                return None
            report = import_file(ws, path, lead_fingerprint=e.fingerprint)
        except EditionConfirmationNeededError as e:
            # A new edition: the member sees what changes for each case before anything moves.
            if EditionConfirmDialog(e, parent).exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return None
            report = import_file(ws, path, confirm_edition=True)
    except UserError as e:
        warn(parent, _("Import refused"),
             _("{file} was not imported: {why}").format(file=path.name, why=e))
        return None
    ImportSummary(report, parent).exec()
    return report


def confirm_fingerprint(parent: QtWidgets.QWidget, name: str, fingerprint: str) -> bool:
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Question)
    box.setWindowTitle(_("Check the lead's fingerprint"))
    # The name is the pack's sender's to write: shown as written, never as markup.
    box.setText(as_html(_("This is the first pack of this inspection, from {name}.").format(
        name=name)))
    box.setInformativeText(as_html(_(
        "Ask {name} to read out the fingerprint their app shows, and compare it with this "
        "one:\n\n{fp}\n\nOnly accept the pack if every group matches.").format(
            name=name, fp=fingerprint)))
    yes = box.addButton(_("It matches"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("It does not match"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


class ImportSummary(QtWidgets.QDialog):
    """What an import applied, found up to date, and left as stale (with why)."""

    def __init__(self, report: ImportReport, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import summary"))
        layout = QtWidgets.QVBoxLayout(self)
        self.text = QtWidgets.QPlainTextEdit("\n".join(report.lines()))
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("Import summary"))
        self.text.setMinimumSize(520, 220)
        layout.addWidget(self.text)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def export_dialog(parent: QtWidgets.QWidget, ws: Workspace) -> Path | None:
    """Export the user's started cases of an inspection to a bundle file they choose."""
    inspections = ws.inspections()
    if not inspections:
        QtWidgets.QMessageBox.information(parent, _("Nothing to export"),
                                          _("Import your assignment pack first."))
        return None
    if len(inspections) == 1:
        iid = inspections[0]["id"]
    else:
        titles = [i["title"] for i in inspections]
        title, ok = QtWidgets.QInputDialog.getItem(parent, _("Export"), _("Inspection:"),
                                                   titles, 0, False)
        if not ok:
            return None
        iid = inspections[titles.index(title)]["id"]
    second = False
    if held_as_second(ws, iid):
        # A second assessment goes to the lead alone, in a bundle of its own: never in the
        # ordinary one, which the QA partner also opens.
        ordinary = _("My assessments (for the lead and my QA partner)")
        choices = [ordinary, _("My second assessments (for the lead alone)")]
        chosen, ok = QtWidgets.QInputDialog.getItem(parent, _("Export"), _("Export:"),
                                                    choices, 0, False)
        if not ok:
            return None
        second = chosen != ordinary
    kind = "second" if second else "assessments"
    suggested = str(Path.home() / f"{ws.owner_name.replace(' ', '-')}{EXTENSIONS[kind]}")
    name, _f = QtWidgets.QFileDialog.getSaveFileName(
        parent, _("Export second assessments") if second else _("Export assessments"),
        suggested, SECOND_FILTER if second else BUNDLE_FILTER)
    if not name:
        return None
    try:
        path = (export_second if second else export_assessments)(ws, iid, Path(name))
    except UserError as e:
        warn(parent, _("Not exported"), str(e))
        return None
    QtWidgets.QMessageBox.information(parent, _("Exported"), _(
        "Written to {path}. It is signed and encrypted for the lead alone; give it to the "
        "lead.").format(path=path) if second else _(
        "Written to {path}. It is signed and encrypted for the lead and your QA partner; "
        "your cases show 'received by lead' once the lead's receipt is imported.").format(
            path=path))
    return path


class IdentityDialog(QtWidgets.QDialog):
    """Shows the workspace's name, role and fingerprint, and saves its member card."""

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        me = ws.identity.public
        self.setWindowTitle(_("My identity"))
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(heading(f"{me.name} — {role_label(me.role)}"))
        intro = QtWidgets.QLabel(_("Read this fingerprint aloud when the lead enrols you, and "
                                   "give them your member card."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fingerprint = QtWidgets.QLabel(me.fingerprint)
        font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 4)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName(_("Fingerprint"))
        layout.addWidget(self.fingerprint)
        save = QtWidgets.QPushButton(_("Save my member card…"))
        save.clicked.connect(self.save_card)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.addButton(save, QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save_card(self) -> Path | None:
        suggested = str(Path.home() / f"{self.ws.owner_name.replace(' ', '-')}.hmipid")
        name, _f = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Save member card"), suggested, _("Member cards (*.hmipid)"))
        if not name:
            return None
        path = write_atomic(Path(name), my_card(self.ws))
        QtWidgets.QMessageBox.information(self, _("Saved"), str(path))
        return path
