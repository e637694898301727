"""Every report shown in the app prints straight from it, through the system's print dialog, and
printing writes no file of the app's: nothing in the home folder, nothing in the temporary
folder. Here the printer is a PDF queue in the test's own folder (the dialog patched to accept),
so what was printed can be read back."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.pdf import ReportView
from hmip_desktop.gui.common.qt import Qt, QtPrintSupport, QtWidgets
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace
from tests.gui.conftest import PASSPHRASE
from tests.gui.test_lead_consolidation import opened

pytestmark = pytest.mark.gui


@pytest.fixture
def quiet_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A fresh, empty home and temporary folder for the app while it prints."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return [home, temp]


def print_by_dialog(qtbot: Any, view: ReportView, queue: Path,
                    monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Click Print…, accept the dialog with a PDF queue as the printer; the dialog's titles."""
    shown: list[str] = []

    def accept(dialog: QtPrintSupport.QPrintDialog) -> int:
        shown.append(dialog.windowTitle())
        printer = dialog.printer()
        printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(queue))
        return int(QtWidgets.QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QtPrintSupport.QPrintDialog, "exec", accept)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    return shown


def pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page")


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Workspace]:
    ws = lead_workspace(tmp_path / "lead")
    fw = load_framework("nps-2019-20")
    add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(4), 30),
                   title="Demo Shire NPS division")
    yield ws
    ws.close()


def test_the_panel_summary_prints_from_the_app_and_writes_no_file(
        qtbot: Any, lead: Workspace, tmp_path: Path, quiet_folders: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    win = opened(qtbot, lead)
    win.tabs.setCurrentWidget(win.panel)
    qtbot.mouseClick(win.panel.summary_button, Qt.MouseButton.LeftButton)
    view = win.panel.report
    assert isinstance(view, ReportView) and view.isVisible()
    queue = tmp_path / "printer-queue.pdf"
    assert print_by_dialog(qtbot, view, queue, monkeypatch) == ["Print Ratings panel summary"]
    assert pages(queue) >= 1
    assert [list(f.rglob("*")) for f in quiet_folders] == [[], []]
    view.close()
    win.close()


def test_the_schedules_print_from_the_app_and_write_no_file(
        qtbot: Any, demo_folder: Path, tmp_path: Path, quiet_folders: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace.open(demo_folder, PASSPHRASE)
    try:
        dialog = SetupDialog(ws)
        qtbot.addWidget(dialog)
        dialog.inspection.setCurrentIndex(next(
            i for i in range(dialog.inspection.count()) if "NPS" in dialog.inspection.itemText(i)))
        dialog.calendar()
        calendar = dialog.calendar_dialog
        assert calendar is not None
        qtbot.mouseClick(calendar.print_button, Qt.MouseButton.LeftButton)
        view = calendar.report
        assert isinstance(view, ReportView)
        assert "personal data" in view.notice.text().lower()  # it names people and cases
        queue = tmp_path / "printer-queue.pdf"
        assert print_by_dialog(qtbot, view, queue, monkeypatch) == ["Print Schedules"]
        assert pages(queue) >= 2  # a member's schedule to a page
        assert [list(f.rglob("*")) for f in quiet_folders] == [[], []]
        view.close()
    finally:
        ws.close()
