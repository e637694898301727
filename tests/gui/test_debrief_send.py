"""The supporting inspector sends their debrief to the lead from the QA view's dialog, and the
lead's import holds it under their name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.debrief import debriefs
from hmip_desktop.exchange import service
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.debrief import DebriefDialog
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env

pytestmark = pytest.mark.gui
stages = exchange.stages
ready_env = exchange.ready_env


def test_the_qa_partner_saves_and_sends_the_debrief_to_the_lead(
        qtbot: Any, ready_env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env, team = ready_env, ready_env.team
    dialog = DebriefDialog(env.ws("qa"), team.iid)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.page
    assert dialog.send_button.isVisible()
    target = env.bundle("from-qa.hmipdebrief")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == ("No debrief written yet: write one on an assessor you "
                                   "support first")
    assert not target.exists()

    assert page.assessors.currentItem().text() == NAMES["a2"]
    qtbot.keyClicks(page.fields["overall"], "Steady all week; clear notes.")
    page.save()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == ("Debrief for the lead written to from-qa.hmipdebrief: give "
                                   "the file to the lead, who imports it.")
    shots = Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(shots / "qa-debrief-sent.png"))

    service.import_file(env.ws("lead"), target)
    [held] = debriefs(env.ws("lead"), team.iid)
    assert (held.assessor, held.author, held.overall) == (
        NAMES["a2"], NAMES["qa"], "Steady all week; clear notes.")


def test_the_lead_has_no_send_button(qtbot: Any, ready_env: Env) -> None:
    dialog = DebriefDialog(ready_env.ws("lead"), ready_env.team.iid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.send_button.isVisible()
