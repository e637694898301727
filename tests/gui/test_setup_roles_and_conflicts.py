"""The set-up window: each member's roles in words, granted from a dialog; allocation that
keeps an assessor off a case whose practitioner has their name, and says why."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.setup_window import InterviewDaysDialog, RolesDialog, SetupDialog
from hmip_desktop.setup.apply import import_sample
from hmip_desktop.store.tables import connection
from tests.exchange import conftest as exchange
from tests.exchange.conftest import NAMES, Env

pytestmark = pytest.mark.gui
stages = exchange.stages
setup_env = exchange.setup_env
HEADINGS = "case_ref,person_name,pdu,team,office,practitioner,sample,gender,sentence_type,rosh"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _dialog(qtbot: Any, env: Env) -> SetupDialog:
    dialog = SetupDialog(env.ws("lead"))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _row_of(dialog: SetupDialog, name: str) -> int:
    return next(r for r in range(dialog.members.rowCount())
                if dialog.members.item(r, 0).text() == name)


def test_the_lead_grants_the_deputy_role_and_the_team_table_says_so(
        qtbot: Any, setup_env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, setup_env)
    row = _row_of(dialog, NAMES["qa"])
    assert dialog.members.item(row, 1).text() == "QA partner"
    dialog.members.setCurrentCell(row, 0)
    shots = _shots(tmp_path)

    def tick(self: RolesDialog) -> int:
        self.show()
        assert not self.boxes["deputy"].isChecked()
        self.boxes["deputy"].setChecked(True)
        self.grab().save(str(shots / "roles-dialog.png"))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RolesDialog, "exec", tick)
    dialog.roles()
    assert dialog.members.item(row, 1).text() == "QA partner, Deputy lead inspector"
    dialog.grab().save(str(shots / "setup-team-roles.png"))
    audit = connection(setup_env.ws("lead")).execute(
        "SELECT new FROM audit WHERE action = 'grant_role'").fetchall()
    assert [tuple(a) for a in audit] == [("deputy",)]


def test_allocation_in_the_window_shows_the_name_conflict_and_its_reason(
        qtbot: Any, setup_env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lead, team = setup_env.ws("lead"), setup_env.team
    sample = tmp_path / "sample.csv"
    sample.write_text(f"{HEADINGS}\nNC-1,Kit Dovecote,Demo PDU,Team 1,Eastfield,"
                      "R. Quillfeather,supervision,female,community,medium\n", encoding="utf-8")
    import_sample(lead, team.iid, sample)
    dialog = _dialog(qtbot, setup_env)
    shots = _shots(tmp_path)

    def pick(self: InterviewDaysDialog) -> int:
        self.show()
        assert self.days() and not self.lead_cases.isChecked()
        self.grab().save(str(shots / "allocate-dialog.png"))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(InterviewDaysDialog, "exec", pick)
    dialog.allocate()
    text = dialog.message.text()
    assert (f"conflict: NC-1 not given to {NAMES['a1']}: the case's practitioner, "
            f"R. Quillfeather, may be {NAMES['a1']}") in text
    row = next(r for r in range(dialog.cases.rowCount())
               if dialog.cases.item(r, 0).text() == "NC-1")
    assert dialog.cases.item(row, 3).text() not in ("", NAMES["a1"])
    dialog.resize(1300, 800)
    dialog.grab().save(str(shots / "setup-allocation-conflicts.png"))
    assert date(2026, 11, 24) <= date.fromisoformat(
        dialog.cases.item(row, 4).text()[:10]) <= date(2026, 11, 27)


def test_reassigning_in_the_window_shows_the_conflict_and_overrides_it(
        qtbot: Any, setup_env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from hmip_desktop.gui.lead.setup_window import ReassignDialog  # noqa: PLC0415
    from hmip_desktop.setup.apply import allocate_evenly  # noqa: PLC0415

    lead, team = setup_env.ws("lead"), setup_env.team
    sample = tmp_path / "sample.csv"
    sample.write_text(f"{HEADINGS}\nNC-1,Kit Dovecote,Demo PDU,Team 1,Eastfield,"
                      "R. Quillfeather,supervision,female,community,medium\n", encoding="utf-8")
    import_sample(lead, team.iid, sample)
    allocate_evenly(lead, team.iid, [date(2026, 11, 24)])
    dialog = _dialog(qtbot, setup_env)
    row = next(r for r in range(dialog.cases.rowCount())
               if dialog.cases.item(r, 0).text() == "NC-1")
    dialog.cases.setCurrentCell(row, 0)
    shots = _shots(tmp_path)
    seen: list[str] = []

    def fill(self: ReassignDialog) -> int:
        self.show()
        self.member.setCurrentIndex(self.member.findData(team.member_ids["qa"]))
        assert self.conflict.isHidden()
        self.member.setCurrentIndex(self.member.findData(team.member_ids["a1"]))
        seen.append(self.conflict.text())
        self.reason.setText("The PDU confirms another R. Quillfeather.")
        self.grab().save(str(shots / "reassign-conflict.png"))
        return int(QtWidgets.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ReassignDialog, "exec", fill)
    dialog.reassign_selected()
    assert seen and "Conflict of interest: the case's practitioner, R. Quillfeather" in seen[0]
    assert "Conflict overridden, with your reason" in dialog.message.text()
    assert dialog.cases.item(row, 3).text() == NAMES["a1"]
