"""Printable reports: an HTML document (built by the core) written as PDF by Qt's own writer.

The core builds each report as a small, self-contained HTML string (no scripts, no external
resources), so the CLI, the GUI's preview and the PDF all show the same text. Qt lays it out
with ``QTextDocument`` and ``QPdfWriter`` renders it into memory; the bytes then go to disk
through ``write_atomic``, so a crash never leaves half a PDF. No browser is involved.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.gui.common.qt import QtCore, QtGui, QtWidgets
from hmip_desktop.i18n import _


def pdf_bytes(html: str, *, title: str) -> bytes:
    """Lay ``html`` out on A4 pages with 15 mm margins and return the PDF."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    writer = QtGui.QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("hmip-desktop")
    writer.setResolution(300)
    writer.setPageLayout(QtGui.QPageLayout(
        QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4), QtGui.QPageLayout.Orientation.Portrait,
        QtCore.QMarginsF(15, 15, 15, 15), QtGui.QPageLayout.Unit.Millimeter))
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(QtGui.QFont("Sans Serif", 10))
    doc.setHtml(html)
    # Without a page size print_() lays the text out with a 2 cm margin of its own inside the
    # writer's margins. The page it is given is in the document's units, Qt's default 96 dpi.
    doc.setDocumentMargin(0)
    area = writer.pageLayout().paintRect(QtGui.QPageLayout.Unit.Point)
    doc.setPageSize(QtCore.QSizeF(area.width() * 96 / 72, area.height() * 96 / 72))
    doc.print_(writer)
    del writer  # the writer finishes the file when it goes
    buffer.close()
    return bytes(buffer.data().data())


def write_pdf(path: Path, html: str, *, title: str) -> Path:
    """Write ``html`` as a PDF at ``path``, atomically."""
    return write_atomic(path, pdf_bytes(html, title=title))


_kept: list[QtWidgets.QApplication] = []


def write_pdf_from_cli(path: Path, html: str, *, title: str) -> Path:
    """``write_pdf`` for a command-line process, which has no application and no display.

    A missing folder is refused before Qt starts. The application made here is offscreen
    whatever the environment says (no window is shown), and a full ``QApplication`` so that
    anything in the same process that later shows widgets still can.
    """
    folder = path.expanduser().parent
    if not folder.is_dir():
        raise UserError(_("{folder}: no such folder").format(folder=folder))
    if QtGui.QGuiApplication.instance() is None:
        _kept.append(QtWidgets.QApplication(["hmip-desktop", "-platform", "offscreen"]))
    return write_pdf(path, html, title=title)


class ReportView(QtWidgets.QDialog):
    """A report shown in the app, with a button that saves the same report as PDF."""

    def __init__(self, html: str, *, title: str, suggested_name: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.html = html
        self.title = title
        self.suggested_name = suggested_name
        self.saved_to: Path | None = None
        self.browser = QtWidgets.QTextBrowser()
        self.browser.setHtml(html)
        self.browser.setAccessibleName(title)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        save = buttons.addButton(_("Save as PDF…"),
                                 QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(self.save_pdf)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def save_pdf(self, path: Path | None = None) -> Path | None:
        if not path:
            chosen, _filter = QtWidgets.QFileDialog.getSaveFileName(
                self, _("Save as PDF"), self.suggested_name, _("PDF files (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen)
        self.saved_to = write_pdf(path, self.html, title=self.title)
        return self.saved_to
