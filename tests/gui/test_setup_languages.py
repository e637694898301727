"""The set-up window shows each member's languages and each case's, and sets them from a
dialog; allocation then gives the Welsh case to the member who inspects in Welsh."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange import packs, service
from hmip_desktop.gui.assessor.case_section import CaseSection
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.language_dialog import CaseLanguageDialog, MemberLanguagesDialog
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.setup.apply import allocate_evenly
from hmip_desktop.setup.languages import set_case_language, set_member_languages
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env

pytestmark = pytest.mark.gui
stages = exchange.stages
setup_env = exchange.setup_env
ready_env = exchange.ready_env


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


def test_the_assessor_sees_that_a_case_is_in_welsh(
        qtbot: Any, ready_env: Env, tmp_path: Path) -> None:
    env, team = ready_env, ready_env.team
    lead = env.ws("lead")
    set_member_languages(lead, team.iid, team.member_ids["a2"], "en,cy")
    set_case_language(lead, "RT-401", "Welsh")
    allocate_evenly(lead, team.iid, [date(2026, 11, 24)])
    pack = packs.make_pack(lead, team.iid, team.member_ids["a2"], env.bundle("a2-2.hmippack"))
    a2 = env.ws("a2")
    service.import_file(a2, pack, lead_fingerprint=team.fingerprint("lead"))
    a = a2.read_assessment(team.case_ids["RT-401"])
    section = CaseSection(a.framework, a)
    qtbot.addWidget(section)
    shown = [w.text() for w in section.findChildren(QtWidgets.QLabel)]
    assert "Records and interview in:" in shown and "Welsh" in shown
    english = a2.read_assessment(team.case_ids["RT-201"])
    other = CaseSection(english.framework, english)
    qtbot.addWidget(other)
    assert "Records and interview in:" not in [w.text() for w in
                                               other.findChildren(QtWidgets.QLabel)]
    section.resize(900, 500)
    section.grab().save(str(Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path)
                            / "assessor-welsh-case.png"))
