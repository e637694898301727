"""The lunchtime sheet in the GUI and from the CLI: shown in a report view, written as PDF.

``write_sheet_pdf`` is what ``hmip-desktop qa --sheet`` calls: it needs only a
``QGuiApplication`` (for fonts and layout), which it makes offscreen when none is running.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.gui.pdf import ReportView, write_pdf
from hmip_desktop.gui.qt import QtGui, QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.qa.sheet import Sheet, sheet_html


def _ensure_gui_application() -> None:
    if QtGui.QGuiApplication.instance() is None:
        app = QtGui.QGuiApplication(["hmip-desktop", "-platform", "offscreen"])
        app.setApplicationName("hmip-desktop")
        _keep.append(app)


_keep: list[QtGui.QGuiApplication] = []


def write_sheet_pdf(path: Path, sheet: Sheet) -> Path:
    """Write the sheet as a PDF at ``path``, atomically (a missing folder is refused first)."""
    if not path.expanduser().parent.is_dir():
        raise UserError(_("{folder}: no such folder").format(folder=path.expanduser().parent))
    _ensure_gui_application()
    return write_pdf(path, sheet_html(sheet), title=sheet.title)


def sheet_view(sheet: Sheet, parent: QtWidgets.QWidget | None = None) -> ReportView:
    """The sheet in the app, with a button that saves it as PDF."""
    view = ReportView(sheet_html(sheet), title=sheet.title,
                      suggested_name=str(Path.home() / "lunchtime-qa-sheet.pdf"), parent=parent)
    view.browser.setAccessibleName(sheet.title)
    return view
