"""The consolidation window keeps what the lead is typing: adding a recommendation beside an
unsaved lead rating, pressing Enter in a field."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.panel import recommendations
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.window import ConsolidationWindow
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace

pytestmark = pytest.mark.gui
EVIDENCE = "Board minutes and the staff survey, not yet rated."


def test_adding_a_recommendation_keeps_the_unsaved_evidence(qtbot: Any,
                                                            tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        fw = load_framework("nps-2019-20")
        built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(5), 10))
        win = ConsolidationWindow(ws)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
        win.tabs.setCurrentWidget(win.domain_one)
        screen = win.domain_one
        assert screen.current_standard() is not None
        screen.evidence.setPlainText(EVIDENCE)
        screen.other.setText("Clear vision shared with staff")
        screen.new_rec.setText("Improve the quality of risk of harm assessments.")
        [add] = [b for b in screen.findChildren(QtWidgets.QPushButton) if b.text() == "A&dd"]
        add.click()
        assert [r.text for r in recommendations(ws, built.iid)] == [
            "Improve the quality of risk of harm assessments."]
        assert screen.evidence.toPlainText() == EVIDENCE
        assert screen.other.text() == "Clear vision shared with staff"
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
        # progress starts unjudged, and saves itself once chosen
        assert screen.progress.currentData() is None
        assert recommendations(ws, built.iid)[0].progress is None
        screen.progress.setCurrentIndex(screen.progress.findData("insufficient"))
        assert recommendations(ws, built.iid)[0].progress == "insufficient"
        assert screen.evidence.toPlainText() == EVIDENCE
    finally:
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)  # the job reads ws
        ws.close()


def test_enter_in_a_field_does_not_refresh_the_window(qtbot: Any, tmp_path: Path) -> None:
    """Enter adds the recommendation it was typed for, and reloads nothing else."""
    ws = lead_workspace(tmp_path / "lead")
    try:
        fw = load_framework("nps-2019-20")
        built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(5), 10))
        win = ConsolidationWindow(ws)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
        win.tabs.setCurrentWidget(win.domain_one)
        screen = win.domain_one
        screen.evidence.setPlainText(EVIDENCE)
        screen.new_rec.setText("Make sure staff have manageable workloads.")
        screen.new_rec.setFocus()
        qtbot.waitUntil(screen.new_rec.hasFocus, timeout=2_000)
        qtbot.keyClick(screen.new_rec, Qt.Key.Key_Return)
        assert [r.text for r in recommendations(ws, built.iid)] == [
            "Make sure staff have manageable workloads."]
        assert screen.evidence.toPlainText() == EVIDENCE
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
        win.tabs.setCurrentWidget(win.panel)  # leaving domain one consolidates again
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
        win.panel.reason.setText("The panel weighed the interviews.")
        win.panel.reason.setFocus()
        qtbot.waitUntil(win.panel.reason.hasFocus, timeout=2_000)
        shown = win.full
        qtbot.keyClick(win.panel.reason, Qt.Key.Key_Return)
        assert win.pending == 0 and win.full is shown  # no consolidation was started
        assert win.panel.reason.text() == "The panel weighed the interviews."
        assert win.isVisible()
    finally:
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)  # the job reads ws
        ws.close()
