"""The lead's training comparison screen and the trainee's training banner, driven offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.gui.lead.training_view import TrainingScreen
from hmip_desktop.gui.main_window import MainWindow
from tests.exchange.conftest import Env


def test_the_comparison_screen_shows_each_trainee_and_saves_pdf_and_workbook(
        event: Env, qtbot: Any, tmp_path: Path) -> None:
    screen = TrainingScreen(event.ws("lead"))
    qtbot.addWidget(screen)
    screen.resize(1100, 800)
    screen.show()
    assert screen.table.rowCount() == 3
    names = {screen.table.item(r, 0).text() for r in range(3)}
    assert names == {"Ash Brindlecombe", "Sam Orrinwell", "Kit Dunmorrow"}
    row = next(r for r in range(3) if screen.table.item(r, 0).text() == "Ash Brindlecombe")
    assert screen.table.item(row, 2).text() == "100%"
    assert "almost perfect" in screen.table.item(row, 4).text().lower()
    text = screen.report.toPlainText()
    assert "Where the group went wrong" in text and "Evidence notes side by side" in text
    assert "note:" not in text
    screen.grab().save(str(tmp_path / "training-comparison.png"))
    assert screen.save_pdf(tmp_path / "c.pdf").read_bytes()[:4] == b"%PDF"
    assert screen.save_xlsx(tmp_path / "c.xlsx").stat().st_size > 0


def test_a_trainee_s_window_carries_the_training_banner(event: Env, qtbot: Any,
                                                        tmp_path: Path) -> None:
    window = MainWindow(event.ws("t1"), event.folder("t1"))
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    assert window.training_banner.isVisible()
    assert "TRAINING" in window.training_banner.text()
    window.grab().save(str(tmp_path / "trainee-window.png"))


def test_the_lead_records_a_selection_on_the_training_tab(event: Env, qtbot: Any,
                                                          tmp_path: Path) -> None:
    screen = TrainingScreen(event.ws("lead"))
    qtbot.addWidget(screen)
    screen.resize(1100, 900)
    screen.show()
    panel = screen.selection
    assert panel.table.rowCount() == 3
    row = next(r for r in range(3) if panel.table.item(r, 0).text() == "Kit Dunmorrow")
    panel.table.setCurrentCell(row, 0)
    panel.decision_box.setCurrentIndex(panel.decision_box.findData("reserve"))
    panel.feedback.setPlainText("Good notes; practise the hurdles.")
    panel.record_button.click()
    row = next(r for r in range(3) if panel.table.item(r, 0).text() == "Kit Dunmorrow")
    assert panel.table.item(row, 1).text() == "Reserve"
    assert panel.table.item(row, 2).text() == "Good notes; practise the hurdles."
    assert "recorded" in panel.message.text()
    screen.grab().save(str(tmp_path / "training-selection.png"))
