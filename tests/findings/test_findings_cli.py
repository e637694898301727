"""``finding`` and ``evidence`` through ``main``: a DIPP lead records findings with no rating,
``lead-rating`` on it points to them, and an NPS lead's rating lists the findings it draws on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli as run
from tests.consolidation.builders import PASSPHRASE, add_inspection, lead_workspace


def one_line_error(result: tuple[int, str, str], message: str) -> None:
    code, out, err = result
    assert (code, out) == (1, ""), result
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err
    assert message in err, err


def _lead(folder: Path, framework: str) -> str:
    ws = lead_workspace(folder)
    add_inspection(ws, framework, [], title="Demo region")
    ws.close()
    return str(folder)


def _rows(folder: str) -> tuple[int, ...]:
    with Workspace.open(Path(folder), PASSPHRASE) as ws:
        conn = connection(ws)
        return tuple(int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                     for t in ("findings", "evidence_documents", "evidence_narratives",
                               "lead_ratings", "audit"))


def test_an_unrated_programme_takes_findings_and_no_rating(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    folder = _lead(tmp_path / "lead", "dipp-2025")
    ws = ("--workspace", folder)
    before = _rows(folder)
    one_line_error(run(capsys, "lead-rating", "1.1", "good", "--evidence", "Invented.", *ws),
                   "Record findings on its organisational key questions instead (the finding "
                   "add command")
    assert _rows(folder) == before

    assert run(capsys, "evidence", "add", "Regional strategy", "--date", "2026-09-30",
               "--item", "1.1.1", "--where", "Email of 30 September", *ws)[:2] == (
        0, "document 1 added to the register\n")
    code, out, _err = run(capsys, "finding", "add", "1.1.1", "strength",
                          "Staff know the priorities.", "--document", "1",
                          "--meeting", "Senior leaders", "--case", "Risk named in most cases",
                          "--json", *ws)
    assert code == 0 and json.loads(out) == {"number": 1, "item": "1.1.1", "kind": "strength"}
    code, out, _err = run(capsys, "finding", "list", *ws)
    assert out == ("1. 1.1.1 strength: Staff know the priorities. [document 1; meeting: Senior "
                   "leaders; cases: Risk named in most cases]\n")
    code, out, _err = run(capsys, "evidence", "coverage", *ws)
    lines = out.splitlines()
    assert lines[0].startswith("1.1.1: 1 documents, 1 meetings, 1 case findings; 1 strengths")
    assert lines[1].endswith("NO EVIDENCE YET") and not lines[0].endswith("NO EVIDENCE YET")


def test_bad_input_is_one_line_or_a_usage_error_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    folder = _lead(tmp_path / "lead", "dipp-2025")
    ws = ("--workspace", folder)
    big = tmp_path / "scan.pdf"
    with big.open("wb") as f:
        f.truncate(12 * 1024 * 1024)
    before = _rows(folder)
    one_line_error(run(capsys, "finding", "add", "4.4.4", "strength", "Invented.", *ws),
                   "4.4.4 is not a key question or prompt of this inspection's framework")
    one_line_error(run(capsys, "evidence", "add", "Plan", "--date", "2026-09-01", *ws),
                   "speaks to at least one key question or prompt")
    one_line_error(run(capsys, "evidence", "add", "Scan", "--date", "2026-09-01", "--item",
                       "1.2.1", "--store", str(big), *ws),
                   "scan.pdf is 12.0 MB: a stored copy may be at most 10 MB")
    one_line_error(run(capsys, "evidence", "narrative", "1.2.1", "word " * 301, *ws),
                   "has 301 words: at most 300")
    code, out, err = run(capsys, "finding", "add", "1.1.1", "strength", *ws)
    assert (code, out) == (2, "") and "add takes ITEM" in err
    assert _rows(folder) == before


def test_a_rated_lead_rating_lists_the_findings_it_draws_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    folder = _lead(tmp_path / "lead", "nps-2019-20")
    ws = ("--workspace", folder)
    run(capsys, "finding", "add", "1.1.2.a", "improvement", "Risks are not escalated.", *ws)
    run(capsys, "finding", "add", "1.2.1", "strength", "Staff feel supported.", *ws)
    code, out, _err = run(capsys, "lead-rating", "1.1", "requires_improvement", "--evidence",
                          "Risks are not escalated.", *ws)
    assert code == 0
    assert out.splitlines()[1:] == [
        "drawing on the findings on its key questions (1):",
        "  1. 1.1.2.a area for improvement: Risks are not escalated. [no evidence named]"]
    code, out, _err = run(capsys, "lead-rating", "1.2", "good", "--evidence", "Supported.",
                          "--json", *ws)
    assert json.loads(out)["findings"] == [2]
