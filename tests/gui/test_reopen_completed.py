"""A completed case asks before it is reopened, and undo puts back the answer and the status."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui
COMPLETE = "DEMO-NPS-001"  # marked complete in the demo


class Answers:
    """Stands in for the person at the question: answers Yes or No, and records the text."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
        self.answer = answer
        self.asked: list[str] = []

        def fake_exec(box: QtWidgets.QMessageBox) -> int:
            self.asked.append(f"{box.text()} {box.informativeText()}")
            button = (QtWidgets.QMessageBox.StandardButton.Yes if self.answer == "yes"
                      else QtWidgets.QMessageBox.StandardButton.No)
            box.button(button).click()
            return 0

        monkeypatch.setattr(QtWidgets.QMessageBox, "exec", fake_exec)


def _state(window: MainWindow, item: str) -> tuple[str, str | None]:
    assert window.ws is not None and window.form is not None
    a = window.ws.read_assessment(window.form.case_id)
    return a.status, a.items.get(item)


def _list_status(window: MainWindow) -> str:
    model = window.cases.model
    assert window.form is not None
    row = next(i for i, r in enumerate(model.rows) if r.case.id == window.form.case_id)
    return str(model.index(row, model.STATUS).data())


def test_changing_a_completed_case_asks_and_no_leaves_it_as_it_was(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    open_case(window, COMPLETE)
    form = window.form
    assert form is not None and form.a.status == "complete"
    form.go_to_item("2.1.1.a")
    page = form.page
    assert isinstance(page, KqPage)
    row = page.rows[0]
    before = _state(window, row.item)
    other = "no" if before[1] == "yes" else "yes"
    answers = Answers(monkeypatch, "no")
    qtbot.mouseClick(row.buttons[other], Qt.MouseButton.LeftButton)
    assert answers.asked and answers.asked[0].startswith("Reopen this completed case?")
    assert _state(window, row.item) == before
    assert row.value() == before[1]  # the form shows the stored answer again

    # Typing in the evidence note asks at the first key; No puts the words back.
    note_before = page.note.toPlainText()
    page.note.setFocus()
    qtbot.waitUntil(page.note.hasFocus, timeout=2000)
    qtbot.keyClicks(page.note, "x")
    assert len(answers.asked) == 2
    assert page.note.toPlainText() == note_before
    assert _state(window, row.item) == before and "Complete" in form.title.text()


def test_yes_reopens_and_undo_restores_the_answer_and_the_status(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    open_case(window, COMPLETE)
    form = window.form
    assert form is not None and window.ws is not None
    assert form.read_only_banner.isVisible()  # says a change reopens the case
    assert "reopens the case" in form.read_only_banner.text.text()
    form.go_to_item("2.1.1.a")
    page = form.page
    assert isinstance(page, KqPage)
    row = page.rows[0]
    before = _state(window, row.item)
    other = "no" if before[1] == "yes" else "yes"
    answers = Answers(monkeypatch, "yes")
    qtbot.mouseClick(row.buttons[other], Qt.MouseButton.LeftButton)
    assert len(answers.asked) == 1
    assert _state(window, row.item) == ("in_progress", other)
    assert "In progress" in form.title.text() and _list_status(window) == "In progress"
    assert not form.read_only_banner.isVisible()
    # Once reopened, further changes do not ask again.
    qtbot.mouseClick(row.buttons[before[1] or "yes"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(row.buttons[other], Qt.MouseButton.LeftButton)
    assert len(answers.asked) == 1

    form.undo()
    form.undo()
    assert _state(window, row.item) == ("in_progress", other)
    form.undo()  # the change that reopened the case: the status comes back too
    assert _state(window, row.item) == before
    assert "Complete" in form.title.text() and _list_status(window) == "Complete"
    assert "complete again" in form.status_line.text() and form.read_only_banner.isVisible()
    last = window.ws.history(form.case_id)[-1]
    assert (last.action, last.item, last.old, last.new) == (
        "status", "status", "in_progress", "complete")
    assert window.ws.verify_history(form.case_id)


def test_ctrl_z_on_a_completed_case_with_nothing_to_undo_does_not_ask(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    open_case(window, COMPLETE)
    form = window.form
    assert form is not None and form.a.status == "complete"
    form.go_to_item("2.1.1.a")
    answers = Answers(monkeypatch, "yes")
    before = _state(window, "2.1.1.a")
    qtbot.keyClick(form, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert answers.asked == []  # nothing to undo: nothing to ask
    assert form.status_line.text() == "Nothing to undo"
    assert _state(window, "2.1.1.a") == before and "Complete" in form.title.text()
