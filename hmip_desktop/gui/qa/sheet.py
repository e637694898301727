"""The lunchtime sheet in the GUI and from the CLI: shown, printed, or written as PDF.

``write_sheet_pdf`` is what ``hmip-desktop qa --sheet`` calls (``pdf.write_pdf_from_cli``
makes an offscreen application when none is running).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hmip_desktop.gui.common.pdf import ReportView, SaveWith, write_pdf_from_cli
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.qa.sheet import Sheet, sheet_html


def write_sheet_pdf(path: Path, sheet: Sheet) -> Path:
    """Write the sheet as a PDF at ``path``, atomically (a missing folder is refused first)."""
    return write_pdf_from_cli(path, sheet_html(sheet), title=sheet.title)


def sheet_view(sheet: Sheet, parent: QtWidgets.QWidget | None = None,
               save_with: SaveWith | None = None,
               remake: Callable[[], Sheet] | None = None) -> ReportView:
    """The sheet in the app, with buttons that print it and save it as PDF.

    The sheet names people and their cases: the view says that a saved PDF is personal data in
    plaintext, and Print… prints it without a file. With ``remake`` (the checks run again),
    the sheet can be written in the other language than the window's.
    """
    view = ReportView(sheet_html(sheet), title=sheet.title,
                      suggested_name=str(Path.home() / "lunchtime-qa-sheet.pdf"), parent=parent,
                      personal_data=True, save_with=save_with,
                      make_html=(lambda: sheet_html(remake())) if remake else None)
    view.browser.setAccessibleName(sheet.title)
    return view
