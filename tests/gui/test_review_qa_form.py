"""The read-only case form says the status the QA view and the core give, after each QA action."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.gui.common import queries
from hmip_desktop.gui.common.qt import QtWidgets
from tests.exchange import conftest as exchange
from tests.exchange.conftest import Env
from tests.gui.test_qa_view import _fill_complete, _import, _qa_window, _select, quiet_dialogs

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
__all__ = ["quiet_dialogs"]  # the message boxes are recorded, not shown


def test_the_form_title_follows_queries_and_sign_off(qtbot: Any, answered_env: Env,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    env = answered_env
    a1 = env.ws("a1")
    _fill_complete(a1, "RT-101")
    bundle = export_assessments(a1, env.team.iid, tmp_path / "a1-complete.hmipb")
    w, view = _qa_window(qtbot, env)
    _import(qtbot, w, bundle)
    qa_ws = env.ws("qa")
    _select(view, "RT-101")
    view.open_selected()
    form = w.form
    assert form is not None and form.read_only
    assert "Complete" in form.title.text()

    def ask(self: queries.AddQueryDialog) -> int:
        self.text.setPlainText("Is the note for 2.1.1 the whole evidence?")
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(queries.AddQueryDialog, "exec", ask)
    form.findChild(QtWidgets.QPushButton, "addQuery").click()
    assert qa_ws.case_summary(form.case_id).display_status == "queried"
    assert "Queried" in form.title.text()

    form.query_panel.close_selected()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    assert qa_ws.case_summary(form.case_id).display_status == "complete"
    assert "Complete" in form.title.text()

    form.findChild(QtWidgets.QPushButton, "signOff").click()
    assert qa_ws.case_summary(form.case_id).display_status == "signed_off"
    assert "Signed off" in form.title.text()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
