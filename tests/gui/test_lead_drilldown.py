"""The Tables tab says which cases it counted; a key question opens the cases behind it; the
provisional switch shows the live picture, marked, and holds back the workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.drilldown import DrillDownDialog
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, lead_workspace
from tests.consolidation.test_which_cases_count import _cases

pytestmark = pytest.mark.gui


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Workspace]:
    ws = lead_workspace(tmp_path / "lead")
    built = add_inspection(ws, "nps-2019-20", _cases(), title="Demo Shire NPS division")
    robin = ws.add_member(built.iid, name="Robin Example", role="assessor")
    for cid in built.case_ids:
        ws.assign(cid, robin)
    yield ws
    ws.close()


def _window(qtbot: Any, ws: Workspace) -> ConsolidationWindow:
    win = ConsolidationWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
    win.tabs.setCurrentWidget(win.tables)
    win.tables.show_standard("2.3")
    return win


def _line_of(win: ConsolidationWindow, kq_id: str) -> int:
    model = win.tables.model
    return next(i for i, ln in enumerate(model.lines) if ln.kind == "kq" and ln.row.kq_id == kq_id)


def _drill(qtbot: Any, win: ConsolidationWindow, how: str) -> DrillDownDialog:
    view = win.tables.table
    index = win.tables.model.index(_line_of(win, "2.3.3") + 1, 1)  # its 'Yes' line
    view.setCurrentIndex(index)
    view.scrollTo(index)
    view.setFocus()
    if how == "enter":
        qtbot.keyClick(view, Qt.Key.Key_Return)
    else:
        rect = view.visualRect(index)
        # As a real double-click arrives: a press and release, then the double-click.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.drill is not None and win.drill.isVisible(), timeout=5_000)
    assert win.drill is not None
    return win.drill


@pytest.mark.parametrize("how", ["enter", "double-click"])
def test_a_key_question_opens_the_cases_behind_it(qtbot: Any, lead: Workspace,
                                                   how: str) -> None:
    win = _window(qtbot, lead)
    dialog = _drill(qtbot, win, how)
    assert dialog.drill.kq_id == "2.3.3"
    shown = [[dialog.cell(dialog.cases, r, c) for c in range(dialog.cases.columnCount())]
             for r in range(dialog.cases.rowCount())]
    assert [(row[0], row[1], row[2]) for row in shown] == [
        ("Yes", "C0000", "Robin Example"), ("No", "C0001", "Robin Example"),
        ("Not applicable", "C0004", "Robin Example")]
    assert shown[0][4] == "Services matched the plan throughout."
    assert "2.3.3.a: Yes" in shown[0][5] and "2.3.3.d: Not answered" in shown[0][5]
    assert " ".join(shown[0][6].split()).startswith(
        "A suitable substitute interviewed; the practitioner's line manager")
    assert shown[1][6] == "(not recorded)"
    prompts = [[dialog.cell(dialog.prompts, r, c) for c in range(dialog.prompts.columnCount())]
               for r in range(dialog.prompts.rowCount())]
    assert prompts[0][0] == "2.3.3.a" and prompts[0][2:] == ["1", "1", "0", "50%"]
    assert dialog.mark.isHidden()


def test_the_tables_say_what_was_counted_and_the_switch_shows_the_live_picture(
        qtbot: Any, lead: Workspace, tmp_path: Path) -> None:
    win = _window(qtbot, lead)
    tables = win.tables
    assert tables.summary.text().startswith("3 cases counted; 0 of 3 counted cases signed off.")
    assert "1 in progress (not yet marked complete)" in tables.summary.text()
    assert "C0003: Sentence ended before sampling" in tables.summary.text()
    assert tables.standard_counts.text() == "Rests on 2 counted cases; 0 of 2 signed off."
    assert tables.mark.isHidden()
    assert win.exports.buttons["xlsx"].isEnabled()
    assert tables.model.counts()["2.3.3"] == (1, 1, 50)
    prompts = {tables.prompt_model.text(r, 0): [tables.prompt_model.text(r, c)
                                                 for c in range(1, 5)]
               for r in range(tables.prompt_model.rowCount())}
    assert set(prompts) == {p.id for k in ("2.3.1", "2.3.2", "2.3.3")
                            for p in win.framework.key_questions_by_id[k].prompts}
    assert prompts["2.3.3.a"] == ["1", "1", "0", "50%"]
    tables.provisional.setChecked(True)
    qtbot.waitUntil(lambda: win.pending == 0 and win.filtered.provisional, timeout=20_000)
    assert tables.model.counts()["2.3.3"] == (1, 2, 33)
    assert tables.mark.isVisible()
    assert tables.mark.text() == "Provisional: includes 1 case in progress"
    assert tables.chart_title.text().endswith("provisional: includes 1 case in progress")
    assert tables.prompts_title.text().endswith("provisional: includes 1 case in progress")
    live = {tables.prompt_model.text(r, 0): tables.prompt_model.text(r, 4)
            for r in range(tables.prompt_model.rowCount())}
    assert live["2.3.3.a"] == "33%"
    workbook = win.exports.buttons["xlsx"]
    assert not workbook.isEnabled() and "only cases marked complete" in workbook.toolTip()
    with qtbot.waitSignal(win.exports.finished, timeout=30_000):
        win.exports.export_csv(tmp_path / "live.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "live.csv").read_text("utf-8-sig"))))
    assert {r["provisional"] for r in rows} == {"provisional: includes 1 case in progress"}
    dialog = _drill(qtbot, win, "enter")
    assert dialog.mark.text() == "Provisional: includes 1 case in progress"
    assert [e.case_ref for e in dialog.case_rows() if e.judgement == "no"] == ["C0001", "C0002"]
    # The panel's figures never include cases in progress.
    assert not win.full.provisional and win.full.cases == 3
    if QtWidgets.QApplication.platformName() == "offscreen":
        tables.grab().save(str(tmp_path / "tables.png"))
        dialog.grab().save(str(tmp_path / "drill.png"))
    tables.provisional.setChecked(False)
    qtbot.waitUntil(lambda: win.pending == 0 and not win.filtered.provisional, timeout=20_000)
    assert tables.mark.isHidden() and workbook.isEnabled()
