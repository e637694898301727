"""The lunchtime sheet: its data, its HTML, and the PDF ``hmip-desktop qa --sheet`` writes."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.qa.queries import close_query, raise_query
from hmip_desktop.qa.service import workspace_findings
from hmip_desktop.qa.sheet import item_shown, sheet_counts, sheet_data, sheet_html
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.qa.builders import build, facts_for

PASSPHRASE = "qa-sheet-otter-meadow-17"
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"


@dataclass(frozen=True)
class _Query:
    case_id: str
    item: str
    text: str
    is_open: bool


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ann: a clean complete case; Bob: a case with three seeded faults; one unallocated."""
    folder = tmp_path_factory.mktemp("sheet") / "ws"
    with Workspace.create(folder, PASSPHRASE, owner_name="Quinn Partner", role="qa") as ws:
        nps = ws.create_inspection(title="Demo NPS <division>", organisation="Demo division",
                                   framework_bytes=resource("frameworks", "nps-2019-20.json")
                                   .read_bytes(), inspection_id="nps")
        fw = ws.inspection_framework(nps)
        facts = facts_for(fw, sample="supervision", sentence_type="community", rosh="high")
        ann = ws.add_member(nps, name="Ann Assessor", role="assessor")
        bob = ws.add_member(nps, name="Bob <Assessor>", role="assessor")
        clean, faulty, _loose = (ws.add_case(nps, case_ref=ref, facts=facts)
                                 for ref in ("NPS-1", "NPS-2", "NPS-3"))
        ws.assign(clean, ann)
        ws.assign(faulty, bob)
        good = build(fw, facts)
        ws.bulk_load_items((cid, k, v) for cid in (clean, faulty) for k, v in good.items.items())
        ws.set_status(clean, "complete")
        ws.save_item(faulty, "note:2.1.1", "")  # judgement_without_note
        ws.save_item(faulty, "record:interview_mode", "")  # no_interview_record
        ws.raise_alert(faulty, what_might_happen="Harm.", how_serious="Serious.",
                       how_imminent="Days.", action_asked="Act.")  # alert_not_acknowledged
    return folder


@pytest.fixture
def ws(folder: Path) -> Iterator[Workspace]:
    with Workspace.open(folder, PASSPHRASE) as w:
        yield w


def _queries(ws: Workspace) -> list[_Query]:
    clean, faulty = ws.find_case("NPS-1").id, ws.find_case("NPS-2").id
    return [_Query(clean, "2.1.1", "Settled: the note now says why.", False),
            _Query(faulty, "2.1.1", HOSTILE, True),
            _Query(faulty, "case", "Was the interview by phone?", True)]


def test_each_assessor_gets_their_cases_findings_and_queries(ws: Workspace) -> None:
    sheet = sheet_data(ws, "nps", queries=_queries(ws))
    assert [a.assessor for a in sheet.assessors] == ["Ann Assessor", "Bob <Assessor>",
                                                     "Not allocated"]
    ann, bob, loose = sheet.assessors
    assert [c.case_ref for c in ann.cases] == ["NPS-1"] and ann.complete == 1
    assert ann.findings == [] and (ann.queries_open, ann.queries_closed) == (0, 1)
    assert {f.check for f in bob.findings} == {"no_interview_record", "judgement_without_note",
                                               "alert_not_acknowledged"}
    assert [(name, n) for name, _sev, _what, n in bob.by_check()] == [
        ("no_interview_record", 1), ("judgement_without_note", 1),
        ("alert_not_acknowledged", 1)]
    assert (bob.queries_open, bob.queries_closed) == (2, 0)
    assert [c.case_ref for c in loose.cases] == ["NPS-3"]
    assert sheet_counts(sheet) == {"Ann Assessor": (0, 0, 1), "Bob <Assessor>": (3, 2, 0),
                                   "Not allocated": (0, 0, 0)}
    assert "Demo NPS <division>" in sheet.title


def test_open_queries_on_a_complete_case_are_a_finding(ws: Workspace) -> None:
    clean = ws.find_case("NPS-1").id
    sheet = sheet_data(ws, "nps", queries=[_Query(clean, "2.1.1", "Why yes?", True)])
    assert [f.check for f in sheet.assessors[0].findings] == ["complete_with_open_queries"]


def test_by_default_the_sheet_counts_the_workspaces_own_queries(folder: Path,
                                                                 tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(folder, copy)
    with Workspace.open(copy, PASSPHRASE) as ws:
        first = raise_query(ws, "NPS-2", "2.1.1", "Why yes with no note?")
        raise_query(ws, "NPS-2", "case", "Was the interview by phone?")
        close_query(ws, first.id)
        bob = sheet_data(ws, "nps").assessors[1]
    assert (bob.queries_open, bob.queries_closed) == (1, 1)
    assert [(q.item, q.is_open) for q in bob.queries] == [("2.1.1", False), ("case", True)]
    assert bob.cases[0].status == "queried"


def _text(doc: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", doc))


def test_html_lists_every_finding_and_the_query_counts(ws: Workspace) -> None:
    doc = sheet_html(sheet_data(ws, "nps", queries=_queries(ws)))
    text = " ".join(_text(doc).split())
    fw = ws.inspection_framework("nps")
    for f in workspace_findings(ws, "nps"):
        shown = item_shown(fw, f.item)
        assert shown[:1].upper() + shown[1:] in text and " ".join(f.message.split()) in text, f
        assert f.check not in text  # inspectors read what a check finds, not its name
    assert "record:" not in text and "note:" not in text and "alert:" not in text
    assert "Queries: 0 open, 1 closed." in text
    assert "Queries: 2 open, 0 closed." in text
    assert "1 case, 1 complete. No findings. Queries: 0 open, 1 closed." in text
    assert "1 case, 0 complete. 3 findings: 1 must fix, 2 worth a look." in text
    assert "Nothing to raise" in text  # Ann


def test_html_is_self_contained_and_escapes_what_people_typed(ws: Workspace) -> None:
    doc = sheet_html(sheet_data(ws, "nps", queries=_queries(ws)))
    assert "<script" not in doc.lower()
    assert "&lt;script&gt;" in doc and "Bob &lt;Assessor&gt;" in doc
    assert "Demo NPS &lt;division&gt;" in doc
    assert not re.search(r"(src|href)\s*=|url\(|@import|https?:", doc, re.IGNORECASE)
    assert doc.count("page-break-before") == 2  # each assessor after the first on a new page


@pytest.mark.gui
def test_cli_writes_the_sheet_as_pdf_atomically_without_a_display(folder: Path,
                                                                  tmp_path: Path) -> None:
    """A fresh process with no display at all: Qt's writer runs offscreen by itself."""
    out = tmp_path / "sheet.pdf"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HMIP_PASSPHRASE"] = PASSPHRASE
    done = subprocess.run(
        [sys.executable, "-m", "hmip_desktop", "qa", "--workspace", str(folder),
         "--inspection", "nps", "--sheet", str(out)],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert f"lunchtime sheet written to {out}" in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]  # no temporary file left


def test_cli_refuses_a_sheet_in_a_missing_folder(folder: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code = main(["qa", "--workspace", str(folder), "--sheet", str(tmp_path / "no" / "s.pdf")])
    _out, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "no such folder" in err


IDENTIFIER = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b(?:case|record|note|alert|member|status):\w")


def _case_tables(doc: str) -> dict[str, str]:
    """Case reference → the text of its table on the sheet."""
    tables = re.findall(r"<table class='case'.*?</table></td></tr></table>", doc)
    return {_text(t).split()[0]: t for t in tables}


def test_the_sheet_fits_the_meeting(folder: Path, tmp_path: Path) -> None:
    """Cases in interview order, a half-done form's blanks on one line, room for notes and
    agreed actions under each case, and no internal names."""
    copy = tmp_path / "ws"
    shutil.copytree(folder, copy)
    with Workspace.open(copy, PASSPHRASE) as ws:
        ann = next(m["id"] for m in ws.members("nps") if m["name"] == "Ann Assessor")
        started = ws.add_case("nps", case_ref="NPS-4", facts=ws.find_case("NPS-1").facts)
        ws.assign(started, ann, interview_at="2026-11-24T09:30")  # before NPS-1's
        ws.assign(ws.find_case("NPS-1").id, ann, interview_at="2026-11-25T14:00")
        ws.save_item(started, "2.1.1.a", "yes")  # begun: every other item is still blank
        sheet = sheet_data(ws, "nps")
        blanks = [f for f in sheet.assessors[0].findings
                  if f.check == "required_item_unanswered"]
    ann_sheet = sheet.assessors[0]
    assert [c.case_ref for c in ann_sheet.cases] == ["NPS-4", "NPS-1"]
    assert len(blanks) > 20
    doc = sheet_html(sheet)
    text = " ".join(_text(doc).split())
    assert text.index("NPS-4 · interview Tue 24 Nov 09:30") < text.index(
        "NPS-1 · interview Wed 25 Nov 14:00")
    tables = _case_tables(doc)
    assert set(tables) == {"NPS-1", "NPS-2", "NPS-3", "NPS-4"}
    folded = tables["NPS-4"]
    assert folded.count("Not answered:") == 1
    assert f"Not answered: {len(blanks)} items (the first: " in _text(folded)
    assert folded.count("<tr>") < 8  # not one row per blank item
    for table in tables.values():  # room to write in the meeting under every case
        assert "Notes" in _text(table) and "Agreed actions" in _text(table)
    assert IDENTIFIER.findall(text) == []
    assert "personal data" in text
