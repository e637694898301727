"""The lead's window opens an assessor's case read-only, naming the owner; the set-up window
reassigns a case with a reason, and the case then opens for the new owner only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.common.widgets import AnswerRow
from hmip_desktop.gui.lead.setup_window import ReassignDialog, SetupDialog
from hmip_desktop.gui.main_window import MainWindow
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env
from tests.gui.screens import shots_folder

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env


def _window(qtbot: Any, env: Env, who: str) -> MainWindow:
    ws = env.ws(who)
    w = MainWindow(ws, ws.folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _answer_buttons(form: QtWidgets.QWidget) -> list[QtWidgets.QAbstractButton]:
    return [b for row in form.findChildren(AnswerRow)
            for b in row.findChildren(QtWidgets.QAbstractButton)]


def test_the_lead_sees_an_assessors_case_read_only_with_the_owner_named(
        qtbot: Any, answered_env: Env, tmp_path: Path) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    case = team.case_ids["RT-101"]
    held = lead.read_assessment(case)
    w = _window(qtbot, env, "lead")
    w.open_case(case)
    form = w.form
    assert form is not None and form.read_only
    assert form.read_only_banner.isVisible()
    banner = form.read_only_banner.accessibleDescription()
    assert NAMES["a1"] in banner and "Read-only" in banner
    assert "saved as you make it" not in w.statusBar().currentMessage()
    assert "Read-only" in w.statusBar().currentMessage()
    assert not form.complete_button.isVisible()
    form.next_kq(0)
    form.save("2.1.1", "no")  # what a click on a disabled control would have asked for
    assert "Read-only" in form.status_line.text()
    assert lead.read_assessment(case).items == held.items  # nothing changed
    shots = shots_folder(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(shots / "lead-read-only-case.png"))


def test_the_set_up_window_reassigns_a_case_with_a_reason(
        qtbot: Any, answered_env: Env, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    dialog = SetupDialog(lead)
    qtbot.addWidget(dialog)
    dialog.show()
    row = next(r for r in range(dialog.cases.rowCount())
               if dialog.cases.item(r, 0).text() == "RT-101")
    dialog.cases.setCurrentCell(row, 0)
    shown: list[ReassignDialog] = []

    def fill(self: ReassignDialog) -> int:
        shown.append(self)
        self.show()
        self.member.setCurrentIndex(self.member.findData(team.member_ids["lead"]))
        self.reason.setText("Robin is ill for the rest of fieldwork")
        shots = shots_folder(tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        self.grab().save(str(shots / "reassign-dialog.png"))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ReassignDialog, "exec", fill)
    dialog.reassign_selected()
    assert shown and NAMES["a2"] in [shown[0].member.itemText(i)
                                     for i in range(shown[0].member.count())]
    assert "RT-101" in dialog.message.text()
    assert dialog.cases.item(row, 3).text() == NAMES["lead"]
    assert lead.ownership(team.case_ids["RT-101"]).mine
    w = _window(qtbot, env, "lead")
    w.open_case(team.case_ids["RT-101"])
    assert w.form is not None and not w.form.read_only
