"""The case form driven through its real widgets: keyboard, hurdles, applicability, completion,
conflicts, alerts and undo."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.gui.assessor.autosave import AutosaveCombo, AutosaveText
from hmip_desktop.gui.assessor.case_form import CASE_PAGE, CaseForm
from hmip_desktop.gui.assessor.case_section import AlertDialog, CaseSection
from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.common.widgets import AnswerRow
from hmip_desktop.gui.main_window import MainWindow
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui


def form_of(window: MainWindow) -> CaseForm:
    assert window.form is not None
    return window.form


def page(window: MainWindow) -> Any:
    return form_of(window).page


def stored(window: MainWindow, item: str) -> str | None:
    assert window.ws is not None and window.form is not None
    return window.ws.read_assessment(window.form.case_id).items.get(item)


def focus(qtbot: Any, widget: QtWidgets.QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


def test_fill_a_whole_case_by_keyboard_alone(qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    # Case details: every combo gets its first real choice with the Down key, every text box
    # some words; Tab moves on, exactly as an assessor would.
    form.show_page(CASE_PAGE)
    section = page(window)
    assert isinstance(section, CaseSection)
    focus(qtbot, section.first_widget())
    visited: set[str] = set()
    for _step in range(40):
        w = QtWidgets.QApplication.focusWidget()
        if isinstance(w, AutosaveCombo) and w.item not in visited:
            visited.add(w.item)
            if not w.currentData():
                qtbot.keyClick(w, Qt.Key.Key_Down)
        elif isinstance(w, AutosaveText) and w.item not in visited:
            visited.add(w.item)
            if w.isEnabled():
                qtbot.keyClicks(w, "Typed at the keyboard.")
        elif w is not None and not section.isAncestorOf(w):
            break
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    assert stored(window, "record:conflict_declared") == "no"
    assert stored(window, "record:interview_mode") == "in_person"
    assert stored(window, "record:interview_notes") == "Typed at the keyboard."
    assert stored(window, "case:inspector_rosh") == "low"
    # Key questions: Ctrl+Enter to each, Y for every open row, words in the evidence note.
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)
    seen = []
    while isinstance(page(window), KqPage) and page(window).kq.id not in seen:
        kq_page = page(window)
        seen.append(kq_page.kq.id)
        for _row in kq_page.rows:
            w = QtWidgets.QApplication.focusWidget()
            if isinstance(w, AnswerRow):
                qtbot.keyClick(w, Qt.Key.Key_Y)
        note = QtWidgets.QApplication.focusWidget()
        if isinstance(note, AutosaveText) and note.isEnabled():
            qtbot.keyClicks(note, f"Evidence for {kq_page.kq.id}.")
        qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    assert seen[0] == "2.1.1" and len(seen) >= 12
    assert stored(window, "2.1.1.a") == "yes"
    assert stored(window, "note:2.1.1") == "Evidence for 2.1.1."
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.ws is not None
    a = window.ws.read_assessment(form.case_id)
    assert a.completeness.missing == ()
    assert a.status == "complete"


def test_hurdle_sets_and_locks_the_judgement_and_undo_restores(qtbot: Any,
                                                              window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.go_to_item("2.1.3")
    kq = page(window)
    assert isinstance(kq, KqPage)
    prompt_d = next(r for r in kq.rows if r.item == "2.1.3.d")
    qtbot.mouseClick(prompt_d.buttons["no"], Qt.MouseButton.LeftButton)
    assert stored(window, "2.1.3.d") == "no"
    assert stored(window, "2.1.3") == "no"
    kq = page(window)
    assert kq.judgement.buttons["no"].isChecked()
    assert not kq.judgement.buttons["yes"].isEnabled()
    assert kq.notice.isVisible() and "Hurdle" in kq.notice.text()
    qtbot.keyClick(kq.judgement, Qt.Key.Key_Y)  # locked: Y does nothing
    assert stored(window, "2.1.3") == "no"
    qtbot.keyClick(form, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window, "2.1.3.d") is None
    assert stored(window, "2.1.3") is None
    assert window.ws is not None
    history = window.ws.history(form.case_id)
    actions = [e.action for e in history if e.item != "status"]
    assert actions[-2:] == ["undo", "undo"] and "hurdle" in actions
    # The change had started the case: undoing it puts the status back too, audited.
    assert (history[-1].item, history[-1].new) == ("status", "not_started")
    assert window.ws.read_assessment(form.case_id).status == "not_started"


def test_applicability_flips_both_ways_and_keeps_answers(qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.go_to_item("2.2.3")
    row = page(window).rows[0]
    qtbot.mouseClick(row.buttons["yes"], Qt.MouseButton.LeftButton)
    assert stored(window, "2.2.3.a") == "yes"
    form.show_page(CASE_PAGE)
    combo = page(window).combos["case:inspector_rosh"]
    combo.setCurrentIndex(combo.findData("low"))
    combo.activated.emit(combo.currentIndex())
    form.go_to_item("2.2.3")
    kq = page(window)
    assert not kq.rows[0].buttons["yes"].isEnabled()
    assert "Not applicable" in kq.notice.text()
    assert form._kq_items["2.2.3"].text(0).startswith("–")
    assert window.ws is not None
    assert "2.2.3" not in [m.item for m in window.ws.read_assessment(form.case_id)
                           .completeness.missing]
    form.show_page(CASE_PAGE)
    combo = page(window).combos["case:inspector_rosh"]
    combo.setCurrentIndex(combo.findData("high"))
    combo.activated.emit(combo.currentIndex())
    form.go_to_item("2.2.3")
    kq = page(window)
    assert kq.rows[0].buttons["yes"].isEnabled() and kq.rows[0].buttons["yes"].isChecked()
    assert stored(window, "2.2.3.a") == "yes"


def test_mark_complete_lists_what_is_missing_and_jumps_to_the_first(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    open_case(window, "DEMO-NPS-003")
    shown: dict[str, str] = {}

    def fake_exec(box: QtWidgets.QMessageBox) -> int:
        shown["text"] = box.text()
        shown["info"] = box.informativeText()
        go = next(b for b in box.buttons() if b.text() == "Go to the first")
        box.setProperty("clicked", True)
        monkeypatch.setattr(box, "clickedButton", lambda: go)
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", fake_exec)
    form = form_of(window)
    qtbot.mouseClick(form.complete_button, Qt.MouseButton.LeftButton)
    assert window.ws is not None
    a = window.ws.read_assessment(form.case_id)
    missing = a.completeness.missing
    assert f"{len(missing)} items still to do" in shown["text"]
    assert a.status != "complete"
    # Each item in the form's words: the prompt's own text, not its key.
    prompt = next(m.item for m in missing[:5] if m.item in a.framework.prompts_by_id)
    assert a.framework.prompts_by_id[prompt].text[-30:] in shown["info"]
    assert f"• {prompt}" not in shown["info"]
    # This case also has a must fix (an unexplained RoSH difference): it comes first.
    assert "things to put right" in shown["text"] or "thing to put right" in shown["text"]
    assert shown["info"].index("sign it off") < shown["info"].index("Still to answer")
    focused = QtWidgets.QApplication.focusWidget()
    assert getattr(focused, "item", None) is not None


def test_conflict_of_interest_blocks_the_form(qtbot: Any, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.show_page(CASE_PAGE)
    combo = page(window).combos["record:conflict_declared"]
    combo.setCurrentIndex(combo.findData("yes"))
    combo.activated.emit(combo.currentIndex())
    assert form.block_banner.isVisible()
    assert "re-allocate" in form.block_banner.text.text()
    form.go_to_item("2.1.1")
    row = page(window).rows[0]
    qtbot.mouseClick(row.buttons["yes"], Qt.MouseButton.LeftButton)
    assert stored(window, row.item) is None
    assert warnings and "conflict of interest" in warnings[0]
    assert not page(window).rows[0].buttons["yes"].isChecked()


def test_raising_an_alert_shows_the_banner_and_marks_the_case(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill_and_accept(dialog: AlertDialog) -> int:
        dialog.fields["what_might_happen"].setPlainText("Contact with the victim.")
        dialog.fields["how_serious"].setPlainText("Serious harm is likely.")
        dialog.fields["how_imminent"].setPlainText("Within days.")
        dialog.fields["action_asked"].setPlainText("Tell the police today.")
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(AlertDialog, "exec", fill_and_accept)
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    assert not form.alert_banner.isVisible()
    form.show_page(CASE_PAGE)
    qtbot.mouseClick(page(window).alert_button, Qt.MouseButton.LeftButton)
    assert form.alert_banner.isVisible()
    assert "deputy lead" in form.alert_banner.text.text()
    assert window.ws is not None
    alerts = window.ws.alerts(form.case_id)
    assert [a.how_imminent for a in alerts] == ["Within days."]
    row = next(r for r in window.cases.model.rows if r.case.id == form.case_id)
    assert row.open_alerts == 1


def test_an_alert_needs_all_four_answers(qtbot: Any) -> None:
    dialog = AlertDialog()
    qtbot.addWidget(dialog)
    dialog.fields["what_might_happen"].setPlainText("Something")
    dialog._accept()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert "all four" in dialog.error.text()


def test_evidence_note_saves_when_focus_leaves(qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.go_to_item("note:2.1.1")
    note = page(window).note
    qtbot.keyClicks(note, "Good engagement work.")
    focus(qtbot, page(window).rows[0])
    assert stored(window, "note:2.1.1") == "Good engagement work."


def test_case_list_filters_sorts_and_opens_with_enter(qtbot: Any, window: MainWindow) -> None:
    view = window.cases
    assert view.proxy.rowCount() == 24
    qtbot.keyClicks(view.filter, "youth complete")
    assert view.proxy.rowCount() == 1
    view.filter.clear()
    complete = view.model.COLUMNS.index("Complete")
    view.table.sortByColumn(complete, Qt.SortOrder.DescendingOrder)
    top = view.proxy.index(0, complete).data()
    assert top == "100%"
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.form is not None
    assert window.stack.currentWidget() is window.form


def test_a_rosh_judgement_that_differs_can_be_explained_on_the_form(
        qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.show_page(CASE_PAGE)
    section = page(window)
    assert isinstance(section, CaseSection)
    combo = section.combos["case:inspector_rosh"]
    combo.setCurrentIndex(combo.findData("high"))
    combo.activated.emit(combo.currentIndex())
    reason = section.texts["record:rosh_difference_reason"]
    reason.setFocus()
    qtbot.waitUntil(reason.hasFocus, timeout=2000)
    qtbot.keyClicks(reason, "Recent threats to a former partner.")
    focus(qtbot, combo)
    assert stored(window, "case:inspector_rosh") == "high"
    assert stored(window, "record:rosh_difference_reason") == \
        "Recent threats to a former partner."
