"""The consolidation commands through ``main``: output shapes, refusals, files written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli as run
from tests.consolidation.builders import PASSPHRASE, add_inspection, lead_workspace, worked_cases
from tests.consolidation.test_panel import FIRST, SECOND
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION


def one_line_error(result: tuple[int, str, str], message: str) -> None:
    code, out, err = result
    assert (code, out) == (1, ""), result
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err
    assert message in err, err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "lead"
    ws = lead_workspace(folder)
    cases = worked_cases("nps-2019-20", {**FIRST, **{k.replace("2.3", "2.2"): v
                                                     for k, v in SECOND.items()}},
                         NPS_SUPERVISION, LOW_ROSH)
    for n, c in enumerate(cases):
        c.pdu = "North PDU" if n % 2 else "South PDU"
    add_inspection(ws, "nps-2019-20", cases, inspection_id="insp-1")
    ws.close()
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    dest = tmp_path / "lead"
    shutil.copytree(template, dest)
    return str(dest)


def test_consolidate_prints_the_tables_as_the_manual_does(
        folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "consolidate", "--workspace", folder)
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "Yes 95 73%" in lines and "No 35 27%" in lines and "Yes 53 56%" in lines
    assert "Note: question not applicable for all cases" in lines
    assert any(line.startswith("2.3 Implementation and delivery — Requires improvement")
               for line in lines)
    assert any("2.2.3 is 63% (60 of 95), within 5 percentage points" in line
               for line in lines)
    assert "all cases: 130 cases counted" in out
    assert "Overall rating: none (no rating yet for standards 1.1" in out


def test_consolidate_json_and_filters(folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "consolidate", "--workspace", folder, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["cases"] == 130
    assert data["ratings"]["key_questions"]["2.3.1"] == {
        "yes": 95, "no": 35, "na": 0, "n": 130, "percent": 73, "band": "good"}
    (t,) = [t for t in data["tables"] if t["standard_id"] == "2.2"]
    assert t["discretion"][0]["flag"] == "within_5_points"
    code, out, _err = run(capsys, "consolidate", "--workspace", folder, "--json",
                          "--pdu", "North PDU", "--fact", "gender=male")
    assert code == 0
    assert json.loads(out)["cases"] == 65
    assert json.loads(out)["filters"] == {"pdu": "North PDU", "team": None,
                                          "facts": {"gender": "male"}}
    one_line_error(run(capsys, "consolidate", "--workspace", folder, "--fact", "hair=red"),
                   "'hair' is not a case fact of nps-2019-20")
    code, _out, err = run(capsys, "consolidate", "--workspace", folder, "--fact", "gender")
    assert code == 2 and "expected FACT=VALUE" in err


def test_panel_lead_ratings_and_recommendations(folder: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    one_line_error(run(capsys, "panel", "vary", "2.3", "--rating", "good", "--reason", "x",
                       "--workspace", folder), "standard 2.3 cannot be varied")
    code, out, _err = run(capsys, "panel", "vary", "2.2", "--rating", "good", "--reason",
                          "Close to the boundary.", "--workspace", folder)
    assert (code, out) == (0, "2.2: varied to Good (provisional: Requires improvement)\n")
    code, out, _err = run(capsys, "panel", "confirm", "2.3", "--json", "--workspace", folder)
    assert code == 0 and json.loads(out)["rating"] == "requires_improvement"
    one_line_error(run(capsys, "lead-rating", "1.1", "superb", "--evidence", "e",
                       "--workspace", folder), "'superb' is not a rating")
    code, out, _err = run(capsys, "lead-rating", "1.1", "good", "--evidence", "Clear plans.",
                          "--characteristic", "open and transparent", "--workspace", folder)
    assert (code, out) == (0, "1.1: Good (lead inspector's rating) recorded\n")
    assert run(capsys, "recommendation", "add", "Improve risk work.",
               "--workspace", folder)[:2] == (0, "recommendation 1 added\n")
    assert run(capsys, "recommendation", "progress", "1", "insufficient", "--note", "Slow.",
               "--workspace", folder)[0] == 0
    one_line_error(run(capsys, "recommendation", "progress", "1", "great",
                       "--workspace", folder), "'great' is not a progress")
    code, out, _err = run(capsys, "recommendation", "list", "--json", "--workspace", folder)
    assert json.loads(out) == [{"number": 1, "text": "Improve risk work.",
                                "progress": "insufficient", "note": "Slow."}]
    code, out, _err = run(capsys, "consolidate", "--workspace", folder)
    assert "Panel: varied Good" in out and "Evidence: Clear plans." in out
    ws = Workspace.open(Path(folder), PASSPHRASE)
    try:
        actions = [a.action for a in ws.history()]
    finally:
        ws.close()
    assert actions.count("panel_decision") == 2 and "lead_rating" in actions


def test_files_compare_and_combine(folder: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, kq = tmp_path / "data.xlsx", tmp_path / "kq.csv"
    assert run(capsys, "workbook", "--out", str(xlsx), "--workspace", folder)[:2] == (
        0, f"workbook written to {xlsx}\n")
    assert run(capsys, "export-csv", "--out", str(kq), "--workspace", folder)[0] == 0
    rows = list(csv.DictReader(io.StringIO(kq.read_text("utf-8-sig"))))
    assert {r["inspection_id"] for r in rows} == {"insp-1"}
    code, out, _err = run(capsys, "compare", "--previous", str(kq), "--json",
                          "--workspace", folder)
    assert code == 0
    got = {r["kq_id"]: r for r in json.loads(out)}
    assert (got["2.3.1"]["change"], got["2.3.1"]["p_value"], got["2.3.1"]["flagged"]) == (
        0, 1.0, False)
    agg = tmp_path / "agg.csv"
    agg.write_text("kq_id,yes,no\n2.3.1,50,50\n", encoding="utf-8")
    code, out, _err = run(capsys, "compare", "--aggregate", str(agg), "--workspace", folder)
    assert code == 0 and "2.3.1" in out and "significant (p < 0.1)" in out
    one_line_error(run(capsys, "compare", "--workspace", folder),
                   "give one of --previous FILE or --aggregate FILE")
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n", encoding="utf-8")
    one_line_error(run(capsys, "compare", "--previous", str(bad), "--workspace", folder),
                   "bad.csv: no 'kq_id' column")
    national = tmp_path / "national.xlsx"
    code, out, _err = run(capsys, "combine", str(kq), str(agg), "--out", str(national))
    assert (code, out) == (0, f"national table of 2 inspections written to {national}\n")
    one_line_error(run(capsys, "combine", str(kq), str(kq), "--out", str(national)),
                   "inspection insp-1 is in both kq.csv and kq.csv")


def test_dashboard_and_alerts(folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "dashboard", "--json", "--workspace", folder)
    rows = json.loads(out)
    assert code == 0 and len(rows) == 130
    assert rows[0]["delivered"] is False and rows[0]["member"] == ""
    ws = Workspace.open(Path(folder), PASSPHRASE)
    try:
        alert = ws.raise_alert(rows[0]["case_id"], what_might_happen="Harm", how_serious="High",
                               how_imminent="Today", action_asked="Call")
    finally:
        ws.close()
    code, out, _err = run(capsys, "alerts", "--workspace", folder)
    assert "NOT ACKNOWLEDGED" in out
    code, out, _err = run(capsys, "alerts", "--acknowledge", alert.id, "--note", alert.id,
                          "Called the SPO.", "--json", "--workspace", folder)
    (a,) = json.loads(out)
    assert (a["acknowledged_by"], a["action_note"]) == ("Lena Ashgrove", "Called the SPO.")
    one_line_error(run(capsys, "alerts", "--acknowledge", "nope", "--workspace", folder),
                   "no alert 'nope' in this inspection")


def test_panel_summary_as_html(folder: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.html"
    assert run(capsys, "panel-summary", "--out", str(out), "--workspace", folder)[0] == 0
    text = out.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Ratings panel summary" in text


@pytest.mark.gui
def test_panel_summary_as_pdf(folder: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              qapp: object) -> None:
    out = tmp_path / "summary.pdf"
    code, printed, err = run(capsys, "panel-summary", "--out", str(out), "--workspace", folder)
    assert (code, err) == (0, ""), err
    assert printed == f"panel summary written to {out}\n"
    assert out.read_bytes().startswith(b"%PDF")
