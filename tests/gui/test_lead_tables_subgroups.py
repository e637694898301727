"""The lead's Tables tab shows the sub-group tables; the Exports tab writes the publishable
workbook. Driven through the widgets."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hmip_desktop.consolidation.subgroups import subgroup_tables
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import Built, add_inspection, generated_cases, lead_workspace
from tests.gui.test_lead_consolidation import opened, settle

pytestmark = pytest.mark.gui


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[tuple[Workspace, Built]]:
    ws = lead_workspace(tmp_path / "lead")
    fw = load_framework("nps-2019-20")
    built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(7), 60),
                           title="Demo Shire NPS division")
    yield ws, built
    ws.close()


def test_the_tables_tab_shows_each_key_question_by_sub_group_in_full(
        qtbot: Any, lead: tuple[Workspace, Built], tmp_path: Path) -> None:
    ws, built = lead
    win = opened(qtbot, ws)
    win.tabs.setCurrentWidget(win.tables)
    panel = win.tables.subgroups
    assert panel.isVisible()
    facts = [panel.fact.itemText(i) for i in range(panel.fact.count())]
    assert facts == ["Gender", "Age band", "Ethnic group", "Disability"]
    panel.fact.setCurrentIndex(2)
    model = panel.view.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[1].startswith("Asian or Asian British (") and headers[-1].startswith(
        "All cases (")
    expected = next(t for t in subgroup_tables(ws, consolidate(ws, built.iid))
                    if t.fact_id == "ethnicity_group")
    table = win.tables.current_table()
    shown = {model.index(r, 0).data(): [model.index(r, c).data()
                                        for c in range(1, model.columnCount())]
             for r in range(model.rowCount())}
    assert set(shown) == {r.kq_id for r in table.rows}
    row = next(r for r in expected.rows if r.kq_id in shown)
    total = row.total
    assert shown[row.kq_id][-1] == f"{total.percent}% ({total.yes}/{total.n})"
    # small groups are shown in full here: the internal view
    assert any("(1/" in t or "(0/1)" in t or "/2)" in t for cells in shown.values()
               for t in cells) or min(expected.cases) >= 5
    win.tables.grab().save(str(tmp_path / "tables-subgroups.png"))


def test_the_exports_tab_writes_the_publishable_workbook(
        qtbot: Any, lead: tuple[Workspace, Built], tmp_path: Path) -> None:
    ws, _built = lead
    win = opened(qtbot, ws)
    win.tabs.setCurrentWidget(win.exports)
    assert "personal data" in win.exports.buttons["xlsx"].text()
    out = tmp_path / "published.xlsx"
    with qtbot.waitSignal(win.exports.finished, timeout=30_000):
        win.exports.export_publishable(out)
    settle(qtbot, win)
    assert str(out) in win.exports.message.text()
    assert "aggregates only" in win.exports.message.text()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Key questions", "Prompts", "Sub-groups", "PDUs"]
    win.exports.grab().save(str(tmp_path / "exports.png"))
