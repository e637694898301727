"""The lead's inspection calendar and the printable schedules, from the set-up window; the
lead's interview time refused when it breaks the week; the case list in schedule order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead import setup_window
from hmip_desktop.gui.lead.calendar import CalendarDialog
from hmip_desktop.gui.lead.setup_window import InterviewSlotDialog, SetupDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace
from tests.gui.conftest import PASSPHRASE

pytestmark = pytest.mark.gui


@pytest.fixture
def setup(qtbot: Any, demo_folder: Path) -> tuple[SetupDialog, Workspace]:
    ws = Workspace.open(demo_folder, PASSPHRASE)
    dialog = SetupDialog(ws)
    qtbot.addWidget(dialog)
    nps = next(i for i in range(dialog.inspection.count())
               if "NPS" in dialog.inspection.itemText(i))
    dialog.inspection.setCurrentIndex(nps)
    return dialog, ws


def cell(grid: QtWidgets.QTableWidget, row_starts: str, column: int) -> str:
    header = grid.verticalHeaderItem
    row = next(r for r in range(grid.rowCount()) if header(r).text().startswith(row_starts))
    item = grid.item(row, column)
    return item.text() if item is not None else ""


def test_the_calendar_shows_the_week_by_member(qtbot: Any,
                                               setup: tuple[SetupDialog, Workspace]) -> None:
    dialog, _ws = setup
    dialog.calendar()
    calendar = dialog.calendar_dialog
    assert isinstance(calendar, CalendarDialog)
    grid = calendar.grid
    assert grid.columnCount() == 5 and grid.rowCount() == 3
    assert grid.horizontalHeaderItem(0).text().endswith("13:00–17:30")  # Monday afternoon
    monday = cell(grid, "Robin Demo-Assessor", 0)
    assert monday.startswith("14:00–16:00 Observation")
    assert "16:00–17:00 Interview, case DEMO-NPS-001 (60 minutes)" in monday
    assert "12:30–13:30 Lunchtime quality assurance" in cell(grid, "Robin Demo-Assessor", 1)
    assert "debrief" in cell(grid, "Robin Demo-Assessor", 4)
    assert "Meeting: Responsible officers" in cell(grid, "Jules Pennyfold", 0) + cell(
        grid, "Jules Pennyfold", 1)
    assert "DEMO-NPS-006" in calendar.notes.text()  # read from file: no interview time


def test_a_members_schedule_prints_and_saves_as_pdf(
        qtbot: Any, setup: tuple[SetupDialog, Workspace], tmp_path: Path) -> None:
    dialog, _ws = setup
    dialog.calendar()
    calendar = dialog.calendar_dialog
    row = next(r for r in range(calendar.grid.rowCount())
               if calendar.grid.verticalHeaderItem(r).text().startswith("Robin"))
    calendar.grid.setCurrentCell(row, 0)
    view = calendar.print_schedules()
    assert view is not None
    qtbot.addWidget(view)
    text = view.browser.toPlainText()
    assert "Schedule for Robin Demo-Assessor" in text
    assert "Schedule for Jules Pennyfold" not in text
    saved = view.save_pdf(tmp_path / "robin.pdf")
    assert saved is not None and saved.read_bytes().startswith(b"%PDF-")


def test_a_monday_morning_interview_is_refused_and_nothing_changes(
        qtbot: Any, setup: tuple[SetupDialog, Workspace],
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, ws = setup
    iid = dialog.iid()
    assert iid is not None
    before = ws.allocations(iid)
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem",
                        lambda _p, _t, _l, items, *_a: (
                            next(i for i in items if i.startswith("Robin")), True))
    shown: list[str] = []

    def monday_morning(self: InterviewSlotDialog) -> int:
        assert self.slot() == "2026-11-23T13:00"  # offered at fieldwork's start
        self.at.setDateTime(self.at.dateTime().addSecs(-3 * 3600))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(InterviewSlotDialog, "exec", monday_morning)
    monkeypatch.setattr(setup_window, "warn", lambda _p, _t, text: shown.append(text))
    row = next(r for r in range(dialog.cases.rowCount())
               if dialog.cases.item(r, 0).text() == "DEMO-NPS-002")
    dialog.cases.setCurrentCell(row, 0)
    dialog.assign_selected()
    assert len(shown) == 1 and "before fieldwork starts at 13:00 on the Monday" in shown[0]
    assert "\n" not in shown[0]
    assert ws.allocations(iid) == before


def test_the_case_list_follows_the_schedule(window: MainWindow) -> None:
    view = window.cases
    refs = [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]
    nps = [r for r in refs if r.startswith("DEMO-NPS")]
    assert nps == [f"DEMO-NPS-00{n}" for n in range(1, 7)]  # -006 is read from file: last
    times = [view.proxy.index(r, 4).data() for r in range(view.proxy.rowCount())]
    timed = [t for t in times if t]
    assert timed == sorted(timed) and times[-len(refs) + len(timed):] == [""] * (
        len(refs) - len(timed))


def test_a_joint_youth_calendar_has_its_second_week_end_on_thursday(
        qtbot: Any, demo_folder: Path, tmp_path: Path) -> None:
    """Youth offending service inspections external guidance manual §2.4 and §6.9: a review
    week off site, then the second fieldwork week, which concludes on Thursday evening."""
    ws = Workspace.open(demo_folder, PASSPHRASE)
    dialog = SetupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.inspection.setCurrentIndex(next(i for i in range(dialog.inspection.count())
                                           if "Youth" in dialog.inspection.itemText(i)))
    dialog.calendar()
    calendar = dialog.calendar_dialog
    assert isinstance(calendar, CalendarDialog)
    calendar.joint.setChecked(True)
    grid = calendar.grid
    heads = [grid.horizontalHeaderItem(c).text() for c in range(grid.columnCount())]
    assert len(heads) == 9
    assert heads[5].startswith("Mon 07 Dec") and heads[-1].startswith("Thu 10 Dec")
    assert heads[-1].endswith("09:00–17:30")
    assert "Second fieldwork week" in heads[-1]
    calendar.resize(1366, 700)
    calendar.show()
    grid.horizontalScrollBar().setValue(grid.horizontalScrollBar().maximum())
    calendar.grab().save(str(tmp_path / "youth-joint-calendar.png"))
