"""The practice area on the assessor's laptop, driven offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.practice.cases import list_practice
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import Env


def test_the_practice_area_is_marked_takes_answers_checks_and_erases(
        answered_env: Env, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    ws: Workspace = answered_env.ws("a1")
    window = MainWindow(ws, answered_env.folder("a1"))
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.practice_action.trigger()
    view = window.practice_view
    assert window.stack.currentWidget() is view
    banner = view.findChild(type(window.training_banner), "practiceBanner")
    assert banner is not None and banner.isVisible() and "PRACTICE" in banner.text()
    view.ref_edit.setText("P1")
    view.add_button.click()
    assert [c.case_ref for c in list_practice(ws)] == ["PRACTICE-P1"]
    assert view.case_list.currentItem().text().startswith("PRACTICE-P1")
    # Judge the first key question 'no' with a short note, through the form's own widgets.
    row = next(r for r in range(view.form.rowCount())
               if view.form.item(r, 0).text().startswith("Evidence note"))
    judgement = view.form.cellWidget(row - 1, 1)
    judgement.setCurrentIndex(judgement.findData("no"))
    judgement.activated.emit(judgement.currentIndex())
    note = view.form.cellWidget(row, 1)
    note.setText("Thin.")
    note.editingFinished.emit()
    (held,) = list_practice(ws)
    assert "no" in held.items.values() and "Thin." in held.items.values()
    assert view.run_checks() > 0
    texts = [view.findings.item(i).text() for i in range(view.findings.count())]
    assert any("must fix" in t and t.startswith("PRACTICE-P1") for t in texts)
    assert not any("note:" in t or "record:" in t for t in texts)
    view.grab().save(str(tmp_path / "practice-area.png"))
    assert view.erase() == 1 and list_practice(ws) == [] and view.case_list.count() == 0
    # Ready to return says what practice data is here.
    window.show_return()
    tops = [window.return_view.tree.topLevelItem(i).text(0)
            for i in range(window.return_view.tree.topLevelItemCount())]
    assert any(t.startswith("Practice data") for t in tops)
