"""The assessor's case list and the form's navigation: who each case is about, moving from the
filter into the list by keyboard, and key-question titles that can be told apart."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.frameworks.loader import available_frameworks
from hmip_desktop.gui.assessor.nav_titles import NAV_TITLE_CHARS, sibling_titles
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui


def test_case_list_and_form_title_name_the_person_and_the_practitioner(
        window: MainWindow) -> None:
    assert window.ws is not None
    view = window.cases
    columns = view.model.COLUMNS
    assert "Person on probation" in columns and "Practitioner" in columns
    case = window.ws.find_case("DEMO-NPS-002")
    row = next(i for i, r in enumerate(view.model.rows) if r.case.id == case.id)
    person = view.model.index(row, columns.index("Person on probation")).data()
    practitioner = view.model.index(row, columns.index("Practitioner")).data()
    assert person == case.person_name and practitioner == case.practitioner
    assert person and practitioner and person != practitioner
    open_case(window, "DEMO-NPS-002")
    assert window.form is not None
    title = window.form.title.text()
    assert f"Person on probation: {case.person_name}" in title
    assert f"Practitioner: {case.practitioner}" in title


def test_down_moves_from_the_filter_into_the_list_and_enter_opens(
        qtbot: Any, window: MainWindow) -> None:
    view = window.cases
    view.filter.setFocus()
    qtbot.waitUntil(view.filter.hasFocus, timeout=2000)
    qtbot.keyClicks(view.filter, "youth")
    assert view.proxy.rowCount() > 1
    qtbot.keyClick(view.filter, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    assert view.table.currentIndex().isValid()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.table.currentIndex().row() == 1
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    assert view.table.currentIndex().row() == 0 and view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Up)  # Up on the top row goes back to the filter
    assert view.filter.hasFocus()
    qtbot.keyClick(view.filter, Qt.Key.Key_Down)
    chosen = view.proxy.mapToSource(view.table.currentIndex()).row()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.form is not None and window.stack.currentWidget() is window.form
    assert window.form.case_id == view.model.rows[chosen].case.id
    assert "YOUTH" in window.form.a.case.case_ref


def test_no_two_sibling_key_questions_look_the_same_in_any_shipped_framework() -> None:
    for fw in available_frameworks():
        siblings: dict[str, list[str]] = {}
        for kq in fw.case_key_questions():
            siblings.setdefault(fw.parent_of[kq.id], []).append(kq.text)
        for standard, texts in siblings.items():
            shown = sibling_titles(texts)
            # Told apart by their words, not only by their numbers.
            assert len(set(shown)) == len(shown), (fw.id, standard, shown)
            for full, short in zip(texts, shown, strict=True):
                assert len(short) <= NAV_TITLE_CHARS, short
                assert short == full or "…" in short
                # What is shown is the question's own words: its ending is kept.
                assert full.endswith(short.split("…")[-1].strip()), (full, short)


def test_the_navigation_shows_each_key_questions_distinct_words_in_full(
        window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-002")
    form = window.form
    assert form is not None
    nav = form.nav
    QtWidgets.QApplication.processEvents()
    for s in range(nav.topLevelItemCount()):
        standard = nav.topLevelItem(s)
        assert standard is not None
        texts = [standard.child(i).text(0).split(" ", 2)[2] for i in range(standard.childCount())]
        assert len(set(texts)) == len(texts), texts
        for i in range(standard.childCount()):
            item = standard.child(i)
            kq_id = item.data(0, Qt.ItemDataRole.UserRole)
            kq = form.fw.key_questions_by_id[kq_id]
            assert kq.text in item.toolTip(0)  # the full title on hover
            # Wrapped, not cut: the row is as tall as its text needs at the tree's width.
            rect = nav.visualItemRect(item)
            needed = nav.fontMetrics().boundingRect(
                0, 0, rect.width(), 10_000, int(Qt.TextFlag.TextWordWrap), item.text(0))
            assert rect.height() >= needed.height(), (item.text(0), rect, needed)


def test_enter_and_a_double_click_each_open_the_case_once(
        qtbot: Any, window: MainWindow) -> None:
    view = window.cases
    opened: list[str] = []
    view.open_case.connect(opened.append)
    view.focus_list()
    qtbot.waitUntil(view.table.hasFocus, timeout=2000)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert len(opened) == 1
    window.show_cases()
    view.focus_list()
    index = view.table.currentIndex()
    rect = view.table.visualRect(index)
    # a double click is a press, then the second press that Qt reports as a double click
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1  # one click only selects
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 2 and opened[0] == opened[1]
