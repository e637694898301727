"""Issue 18 point 4: a document's language is chosen when it is exported.

In an English window, choosing Cymraeg writes the schedules, the panel summary and the data
workbook's labels in Welsh; the window stays English and the data stay as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from hmip_desktop import i18n
from hmip_desktop.gui.common.pdf import ReportView
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.store.workspace import Workspace
from tests.gui.test_calendar import setup  # noqa: F401 - the fixture
from tests.gui.test_lead_consolidation import lead, opened, settle  # noqa: F401 - fixtures

pytestmark = pytest.mark.gui


def _welsh(message: str) -> str:
    with i18n.speaking("cy"):
        return i18n._(message)


def test_choosing_welsh_in_an_english_window_writes_the_schedules_in_welsh(
        qtbot: Any, setup: tuple[SetupDialog, Workspace], tmp_path: Path) -> None:  # noqa: F811
    dialog, _ws = setup
    assert i18n.current_language() == "en"
    dialog.calendar()
    view = dialog.calendar_dialog.print_schedules()
    assert isinstance(view, ReportView)
    qtbot.addWidget(view)
    assert view.language.isVisibleTo(view) and view.language.language() == "en"
    assert "Schedule for" in view.browser.toPlainText()
    view.language.choose("cy")
    text = view.browser.toPlainText()
    welsh = _welsh("Schedule for {name}").split("{name}")[0].strip()
    assert welsh and welsh in text and "Schedule for" not in text
    assert any(_welsh(day) in text for day in ("Monday", "Tuesday", "Wednesday", "Thursday"))
    assert "Robin Demo-Assessor" in text  # names stay as they are
    saved = view.save_pdf(tmp_path / "amserlenni.pdf")
    assert saved is not None and saved.read_bytes().startswith(b"%PDF-")
    assert i18n.current_language() == "en"
    assert dialog.calendar_dialog.print_button.text() == "Print schedules…"


def test_choosing_welsh_writes_the_workbooks_labels_in_welsh_and_its_data_unchanged(
        qtbot: Any, lead: Any, tmp_path: Path) -> None:  # noqa: F811
    ws, _built = lead
    win = opened(qtbot, ws)
    win.tabs.setCurrentWidget(win.exports)
    assert win.exports.language.language() == "en"
    win.exports.language.choose("cy")
    out = tmp_path / "data.xlsx"
    with qtbot.waitSignal(win.exports.finished, timeout=30_000):
        win.exports.export_workbook(out)
    settle(qtbot, win)
    wb = load_workbook(out, read_only=True)
    assert _welsh("Key questions") in wb.sheetnames and "Key questions" not in wb.sheetnames
    rows = list(wb[_welsh("Key questions")].iter_rows(values_only=True))
    assert rows[0][0] == _welsh("Standard") != "Standard"
    assert {r[2] for r in rows[1:]} >= {"2.1.1"}  # key question ids as they are
    assert i18n.current_language() == "en" and win.exports.buttons["csv"].text() == "&CSV…"
