"""Keyboard paths found in review: Enter on an empty case list, arrows in a read-only form."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.main_window import MainWindow
from tests.exchange import conftest as exchange
from tests.exchange.conftest import Env
from tests.gui.test_qa_view import _import, _qa_window, _select, quiet_dialogs

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
__all__ = ["quiet_dialogs"]  # the message boxes are recorded, not shown


def test_enter_opens_no_case_when_the_filter_matches_none(qtbot: Any,
                                                         window: MainWindow) -> None:
    opened: list[str] = []
    window.cases.open_case.connect(opened.append)
    window.cases.filter.setText("no case has these words")
    assert window.cases.proxy.rowCount() == 0
    window.cases.table.setFocus()
    qtbot.waitUntil(window.cases.table.hasFocus, timeout=2000)
    qtbot.keyClick(window.cases.table, Qt.Key.Key_Return)
    assert opened == [] and window.form is None
    assert window.stack.currentWidget() is window.cases


def test_arrows_move_through_a_read_only_form(qtbot: Any, answered_env: Env) -> None:
    """The QA partner moves from item to item to query the one with the focus."""
    w, view = _qa_window(qtbot, answered_env)
    _import(qtbot, w, answered_env.bundle("a1-1.hmipb"))
    _select(view, "RT-101")
    view.open_selected()
    assert w.form is not None and w.form.read_only
    w.form.go_to_item("2.1.1.a")
    page = w.form.page
    assert isinstance(page, KqPage)
    page.rows[0].setFocus()
    qtbot.waitUntil(page.rows[0].hasFocus, timeout=2000)
    qtbot.keyClick(page.rows[0], Qt.Key.Key_Down)
    assert page.rows[1].hasFocus()
    assert w.form.current_item == page.rows[1].item
    qtbot.keyClick(page.rows[1], Qt.Key.Key_K)
    assert page.rows[0].hasFocus()
