"""Advice below the alert threshold on the alerts inbox: offered for a DIPP inspection, whose
manual describes it, and recorded through its button with a note."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.lead.alert_dialogs import StepNoteDialog
from hmip_desktop.gui.lead.dashboard import DashboardScreen
from hmip_desktop.gui.lead.window import LEAD_STYLE
from hmip_desktop.team.alert_tracking import tracked_alert
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace
from tests.gui.visible_text import internal_names, visible_texts

pytestmark = pytest.mark.gui
RISK = {"what_might_happen": "The practitioner has not checked a new address",
        "how_serious": "Below the threshold: no identifiable, imminent risk",
        "how_imminent": "Not imminent", "action_asked": "Advice to the practitioner only"}


def test_a_dipp_inspection_offers_advice_and_records_it_through_the_button(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = lead_workspace(tmp_path / "lead")
    built = add_inspection(ws, "dipp-2025",
                           generated_cases(load_framework("dipp-2025"), random.Random(3), 3))
    alert = ws.raise_alert(built.case_ids[0], **RISK)
    dash = DashboardScreen(ws)
    dash.setStyleSheet(LEAD_STYLE)
    qtbot.addWidget(dash)
    dash.resize(1366, 768)
    dash.show()
    dash.set_inspection(built.iid)
    inbox = dash.inbox
    inbox.select_alert(alert.id)
    shown = [s for s, b in inbox.step_buttons.items() if b.isVisibleTo(inbox)]
    assert shown == ["acknowledged", "advice"]
    assert inbox.step_buttons["advice"].text() == "Record as ad&vice…"
    shots = Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    dash.grab().save(str(shots / "lead-alerts-inbox-dipp-advice.png"))

    note = "Advice given to the practitioner on checking the new address; below the threshold."

    def answer(dialog: StepNoteDialog) -> int:
        dialog.show()
        dialog.note.setPlainText(note)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(StepNoteDialog, "exec", answer)
    qtbot.mouseClick(inbox.step_buttons["advice"], Qt.MouseButton.LeftButton)
    taken = tracked_alert(ws, alert.id)
    assert (taken.state, taken.steps[-1].note) == ("advice", note)
    assert inbox.nothing_next.text() == ("Nothing more to do: the alert is advice below the "
                                         "alert threshold: no follow-up needed.")
    assert not [s for s, b in inbox.step_buttons.items() if b.isVisibleTo(inbox)]
    assert not internal_names(visible_texts(dash))
    ws.close()
