"""Printable reports: an HTML document (built by the core) written as PDF by Qt's own writer.

The core builds each report as a small, self-contained HTML string (no scripts, no external
resources), so the CLI, the GUI's preview and the PDF all show the same text. Qt lays it out
with ``QTextDocument`` and ``QPdfWriter`` renders it into memory; the bytes then go to disk
through ``write_atomic``, so a crash never leaves half a PDF. No browser is involved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.gui.common.document_language import DocumentLanguage, written_in
from hmip_desktop.gui.common.qt import QtCore, QtGui, QtPrintSupport, QtWidgets
from hmip_desktop.i18n import _

A4_MARGIN_MM = 15

# Writes a report through ``write`` at the chosen path, recording it first; returns the path.
SaveWith = Callable[[Path, Callable[[Path], Path]], Path]


def _a4(device: QtGui.QPagedPaintDevice) -> None:
    device.setPageLayout(QtGui.QPageLayout(
        QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4), QtGui.QPageLayout.Orientation.Portrait,
        QtCore.QMarginsF(A4_MARGIN_MM, A4_MARGIN_MM, A4_MARGIN_MM, A4_MARGIN_MM),
        QtGui.QPageLayout.Unit.Millimeter))


def laid_out(html: str, device: QtGui.QPagedPaintDevice) -> QtGui.QTextDocument:
    """``html`` laid out on the device's pages, ready for ``print_``."""
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(QtGui.QFont("Sans Serif", 10))
    doc.setHtml(html)
    # Without a page size print_() lays the text out with a 2 cm margin of its own inside the
    # writer's margins. The page it is given is in the document's units, Qt's default 96 dpi.
    doc.setDocumentMargin(0)
    area = device.pageLayout().paintRect(QtGui.QPageLayout.Unit.Point)
    doc.setPageSize(QtCore.QSizeF(area.width() * 96 / 72, area.height() * 96 / 72))
    return doc


def a4_pages(html: str) -> int:
    """How many A4 pages ``html`` takes as ``pdf_bytes`` lays it out."""
    writer = QtGui.QPdfWriter(QtCore.QBuffer())
    _a4(writer)
    return laid_out(html, writer).pageCount()


def pdf_bytes(html: str, *, title: str) -> bytes:
    """Lay ``html`` out on A4 pages with 15 mm margins and return the PDF."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    writer = QtGui.QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("hmip-desktop")
    writer.setResolution(300)
    _a4(writer)
    laid_out(html, writer).print_(writer)
    del writer  # the writer finishes the file when it goes
    buffer.close()
    return bytes(buffer.data().data())


def print_html(html: str, printer: QtPrintSupport.QPrinter, *, title: str) -> None:
    """Send ``html`` to ``printer`` (a printer chosen in the print dialog), A4 as the PDF is."""
    printer.setDocName(title)
    printer.setCreator("hmip-desktop")
    _a4(printer)
    laid_out(html, printer).print_(printer)


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
    """A report shown in the app, with buttons that print it and save it as PDF.

    With ``personal_data`` the view says, beside the buttons, in the save dialog's title and
    once saved, that a saved PDF holds personal data and is not encrypted, and Print… sends
    the report to a printer without writing a file.
    """

    def __init__(self, html: str, *, title: str, suggested_name: str,
                 parent: QtWidgets.QWidget | None = None, personal_data: bool = False,
                 save_with: SaveWith | None = None,
                 make_html: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        # ``make_html`` writes the report again: given, the language of the document can be
        # chosen (the window's by default), and the report is written again in the one chosen.
        self.make_html = make_html
        # Records the file as an export before it is written (laptop_return.write_recorded).
        self.save_with = save_with
        self.setWindowTitle(title)
        self.html = html
        self.title = title
        self.suggested_name = suggested_name
        self.personal_data = personal_data
        self.saved_to: Path | None = None
        self.browser = QtWidgets.QTextBrowser()
        self.browser.setHtml(html)
        self.browser.setAccessibleName(title)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(
            _("&Print…"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setToolTip(_("Print it straight from the app: no file is written"))
        self.print_button.clicked.connect(self._print_clicked)
        self.save_button = buttons.addButton(_("Save as PDF…"),
                                             QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_pdf)
        buttons.rejected.connect(self.reject)
        self.notice = QtWidgets.QLabel(PLAINTEXT_WARNING if personal_data else "")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # it may quote a path
        self.notice.setAccessibleName(_("About saving this report"))
        self.notice.setVisible(personal_data)
        layout = QtWidgets.QVBoxLayout(self)
        self.language = DocumentLanguage()
        self.language.setVisible(make_html is not None)
        self.language.combo.currentIndexChanged.connect(self._language_chosen)
        layout.addWidget(self.language)
        layout.addWidget(self.browser)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def _language_chosen(self) -> None:
        if self.make_html is None:
            return
        try:
            self.html = written_in(self.language.language(), self.make_html)
        except UserError as e:
            self.notice.setText(str(e))
            self.notice.show()
            return
        self.browser.setHtml(self.html)

    def save_pdf(self, path: Path | None = None) -> Path | None:
        if not path:
            caption = (_("Save as PDF — personal data, not encrypted") if self.personal_data
                       else _("Save as PDF"))
            chosen, _filter = QtWidgets.QFileDialog.getSaveFileName(
                self, caption, self.suggested_name, _("PDF files (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen)
        def write(target: Path) -> Path:
            return write_pdf(target, self.html, title=self.title)

        self.saved_to = write(path) if self.save_with is None else self.save_with(path, write)
        if self.personal_data:
            self.notice.setText(_("Saved to {path}. This file is personal data in plaintext: "
                                  "anyone who can open the folder can read it. Delete it when "
                                  "the meeting is over.").format(path=self.saved_to))
        return self.saved_to

    def _print_clicked(self) -> None:
        self.print_report()

    def print_report(self, printer: QtPrintSupport.QPrinter | None = None) -> bool:
        """Print through the system's print dialog (or on ``printer`` as given, unasked)."""
        if printer is None:
            printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
            dialog = QtPrintSupport.QPrintDialog(printer, self)
            dialog.setWindowTitle(_("Print {title}").format(title=self.title))
            if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return False
        print_html(self.html, printer, title=self.title)
        return True


PLAINTEXT_WARNING = _(
    "Personal data: a PDF saved from here is not encrypted, unlike the workspace, so anyone "
    "who can open its folder can read it. Print… sends it to a printer without writing a file; "
    "if you save it, keep it on an approved device and delete it after the meeting.")
