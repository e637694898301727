"""Organisational alerts: raised by the lead or a deputy, in the inbox, summary and workbook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.consolidation.export import write_workbook
from hmip_desktop.consolidation.summary import panel_summary_html
from hmip_desktop.errors import UserError
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import alerts_by_kind_and_state
from hmip_desktop.team.alerts import (
    organisational_alerts,
    raise_organisational_alert,
)
from hmip_desktop.team.roles import grant_role
from tests.cli_helpers import run_cli as run
from tests.consolidation.builders import PASSPHRASE, add_inspection, lead_workspace, worked_cases
from tests.consolidation.test_panel import FIRST
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION
from tests.exchange.conftest import Env

SYSTEMIC = {"what_might_happen": "Home visits have stopped across the division",
            "how_serious": "Children at risk are not seen",
            "how_imminent": "Now: no visits for six weeks",
            "action_asked": "The head of service restores home visits this week"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org-alerts") / "lead"
    ws = lead_workspace(folder)
    add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", FIRST, NPS_SUPERVISION,
                                                   LOW_ROSH), inspection_id="insp-1")
    ws.close()
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    shutil.copytree(template, tmp_path / "lead")
    return tmp_path / "lead"


def test_the_lead_raises_one_for_the_inspection_and_the_report_shows_it(
        folder: Path, tmp_path: Path) -> None:
    with Workspace.open(folder, PASSPHRASE) as ws:
        case_id = dashboard(ws, "insp-1")[0].case_id
        ws.raise_alert(case_id, what_might_happen="Harm", how_serious="High",
                       how_imminent="Today", action_asked="Call the manager")
        alert = raise_organisational_alert(ws, "insp-1", **SYSTEMIC)
        assert organisational_alerts(ws, "insp-1") == [alert]
        assert alerts_by_kind_and_state(ws, "insp-1") == [
            ("individual", "raised", 1), ("organisational", "raised", 1)]
        audit = [e for e in ws.history(None) if e.action == "organisational_alert"]
        assert [e.item for e in audit] == [f"alert:{alert.alert_id}"]
        html = panel_summary_html(ws, "insp-1")
        out = write_workbook(ws, "insp-1", tmp_path / "data.xlsx")
    assert "Organisational (flagged for the report)" in html
    assert "Home visits have stopped across the division" in html
    sheet = load_workbook(out)["Alerts"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows == [("Kind", "State", "Alerts"),
                    ("Individual (a case)", "Raised, not yet acknowledged", 1),
                    ("Organisational (flagged for the report)", "Raised, not yet acknowledged",
                     1)]


def test_a_summary_without_alerts_says_so(folder: Path) -> None:
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert "No alerts were raised." in panel_summary_html(ws, "insp-1")


def test_bad_input_is_refused_in_one_line_and_writes_nothing(folder: Path) -> None:
    with Workspace.open(folder, PASSPHRASE) as ws:
        before = len(ws.history(None))
        with pytest.raises(UserError, match="needs an answer to 'how imminent'"):
            raise_organisational_alert(ws, "insp-1", **{**SYSTEMIC, "how_imminent": " "})
        with pytest.raises(UserError, match="No such inspection"):
            raise_organisational_alert(ws, "elsewhere", **SYSTEMIC)
        assert organisational_alerts(ws, "insp-1") == []
        assert len(ws.history(None)) == before


def test_an_assessor_is_refused_and_a_deputy_lead_may_raise_one(ready_env: Env) -> None:
    team = ready_env.team
    assessor = ready_env.ws("a1")
    with pytest.raises(UserError, match="Only the lead or a deputy lead can raise"):
        raise_organisational_alert(assessor, team.iid, **SYSTEMIC)
    assert connection(assessor).execute(
        "SELECT count(*) FROM organisational_alerts").fetchone() == (0,)
    qa = ready_env.ws("qa")
    with pytest.raises(UserError, match="Only the lead or a deputy lead"):
        raise_organisational_alert(qa, team.iid, **SYSTEMIC)
    grant_role(qa, team.iid, team.member_ids["qa"], "deputy")
    alert = raise_organisational_alert(qa, team.iid, **SYSTEMIC)
    assert alert.raised_by == "Morgan Thistlecombe"


def test_the_cli_raises_and_lists_it(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws_arg = ("--workspace", str(folder))
    code, out, err = run(capsys, "alert", "raise", "--organisational",
                         "--what", SYSTEMIC["what_might_happen"],
                         "--serious", SYSTEMIC["how_serious"],
                         "--imminent", SYSTEMIC["how_imminent"],
                         "--action-asked", SYSTEMIC["action_asked"], *ws_arg)
    assert (code, err) == (0, "") and out.startswith("organisational alert raised: ")
    code, out, _err = run(capsys, "alerts", *ws_arg)
    assert "ORGANISATIONAL (for the report)" in out and "Home visits have stopped" in out
    code, out, _err = run(capsys, "alerts", "--json", *ws_arg)
    (listed,) = json.loads(out)
    assert (listed["kind"], listed["raised_by"]) == ("organisational", "Lena Ashgrove")
    code, out, err = run(capsys, "alert", "raise", "--what", "x", *ws_arg)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert "raise either a case's alert (--case CASE) or an organisational one" in err
