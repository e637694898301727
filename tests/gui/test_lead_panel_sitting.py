"""The panel tab's sitting section and domain one varied by the panel, driven through widgets."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.panel import panel_decisions, set_lead_rating
from hmip_desktop.consolidation.panel_sitting import panel_sitting
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.qt import Qt, QtCore, QtWidgets
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace
from tests.gui.test_lead_consolidation import opened, settle

pytestmark = pytest.mark.gui


def test_the_lead_records_the_sitting_then_varies_a_domain_one_rating(
        qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        fw = load_framework("nps-2019-20")
        built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(4), 30),
                               sitting=False)
        set_lead_rating(ws, built.iid, "1.1", "good", evidence="A clear vision, shared.")
        win = opened(qtbot, ws)
        win.tabs.setCurrentWidget(win.panel)
        panel = win.panel
        assert not panel.record_button.isEnabled()
        assert "Record the panel's sitting first." in panel.record_button.toolTip()
        assert panel.sitting_state.text().startswith("Not yet recorded")

        # the date is picked from a calendar, never typed as text
        assert isinstance(panel.sat_on, QtWidgets.QDateEdit) and panel.sat_on.calendarPopup()
        # a sitting with no chair: one line, nothing stored
        panel.sat_on.setDate(QtCore.QDate(2026, 12, 3))
        panel.note_taker.setText("Sam Ellery")
        panel.members.setText("Lena Ashgrove; Priya Okafor ;")
        qtbot.mouseClick(panel.sitting_button, Qt.MouseButton.LeftButton)
        assert panel.message.property("kind") == "refused"
        assert "\n" not in panel.message.text()
        assert panel_sitting(ws, built.iid) is None

        panel.chair.setText("Dana Whitlock")
        qtbot.mouseClick(panel.sitting_button, Qt.MouseButton.LeftButton)
        settle(qtbot, win)
        s = panel_sitting(ws, built.iid)
        assert s is not None
        assert (s.sat_on, s.chair, s.members, s.note_taker) == (
            "2026-12-03", "Dana Whitlock", ("Lena Ashgrove", "Priya Okafor"), "Sam Ellery")
        assert panel.record_button.isEnabled()
        assert panel.sitting_button.text() == "Amend sittin&g"
        assert panel.members.text() == "Lena Ashgrove; Priya Okafor"

        # domain one: the panel may set another rating, with its reason
        panel.select_standard("1.1")
        assert panel.vary.isEnabled()
        assert "confirm the lead's proposed rating or set another" in panel.vary_reason.text()
        qtbot.mouseClick(panel.vary, Qt.MouseButton.LeftButton)
        offered = {panel.rating.itemData(i) for i in range(panel.rating.count())}
        assert offered == {"outstanding", "requires_improvement", "inadequate"}
        panel.rating.setCurrentIndex(panel.rating.findData("requires_improvement"))
        panel.reason.setText("Staffing plans are not yet funded.")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle(qtbot, win)
        d = panel_decisions(ws, built.iid)["1.1"]
        assert (d.decision, d.provisional_rating, d.rating, d.sitting) == (
            "vary", "good", "requires_improvement", 1)
        win.tabs.setCurrentWidget(win.domain_one)
        win.domain_one.select_standard("1.1")
        assert win.domain_one.panel_said.text() == (
            "The panel varied it to Requires improvement: Staffing plans are not yet funded.")
        win.close()
    finally:
        ws.close()
