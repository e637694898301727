"""The set-up window shows each member's languages and each case's, and sets them from a
dialog; allocation then gives the Welsh case to the member who inspects in Welsh."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.language_dialog import CaseLanguageDialog, MemberLanguagesDialog
from hmip_desktop.gui.lead.setup_window import SetupDialog
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env

pytestmark = pytest.mark.gui
stages = exchange.stages
setup_env = exchange.setup_env


def test_the_lead_records_welsh_for_a_member_and_a_case(
        qtbot: Any, setup_env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shots = Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    dialog = SetupDialog(setup_env.ws("lead"))
    qtbot.addWidget(dialog)
    dialog.show()
    row = next(r for r in range(dialog.members.rowCount())
               if dialog.members.item(r, 0).text() == NAMES["a2"])
    assert dialog.members.item(row, 4).text() == "English"
    dialog.members.setCurrentCell(row, 0)

    def tick(self: MemberLanguagesDialog) -> int:
        self.show()
        self.boxes["en"].setChecked(False)
        ok = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # a member works in at least one language
        self.boxes["cy"].setChecked(True)
        assert ok.isEnabled()
        self.boxes["en"].setChecked(True)
        self.grab().save(str(shots / "member-languages.png"))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(MemberLanguagesDialog, "exec", tick)
    dialog.member_languages()
    assert dialog.members.item(row, 4).text() == "English and Welsh"
    assert dialog.message.text() == f"{NAMES['a2']} inspects in English and Welsh."

    case_row = next(r for r in range(dialog.cases.rowCount())
                    if dialog.cases.item(r, 0).text() == "RT-401")
    dialog.cases.setCurrentCell(case_row, 0)

    def welsh(self: CaseLanguageDialog) -> int:
        self.show()
        self.language.setCurrentIndex(self.language.findData("cy"))
        self.grab().save(str(shots / "case-language.png"))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(CaseLanguageDialog, "exec", welsh)
    dialog.case_language()
    assert dialog.cases.item(case_row, 5).text() == "Welsh"
    dialog.resize(1366, 700)
    dialog.grab().save(str(shots / "setup-languages.png"))
