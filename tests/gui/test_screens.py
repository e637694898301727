"""Every main screen shows its data at 100 % and 200 %: the window title, the texts and the
rows of the lists and tables the demo data gives, in an image that is not blank.

The PNGs go to a temporary folder, or to the folder ``HMIP_SCREENSHOTS`` names (to look at
them afterwards); never into the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import load_framework
from hmip_desktop.store.workspace import Workspace
from tests.gui.conftest import PASSPHRASE
from tests.gui.screens import (
    SIZE,
    Shot,
    read_described,
    render_all,
    render_lead,
    render_qa,
    shots_folder,
)

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
NPS = load_framework("nps-2019-20")
MIN_COLOURS = 20  # a blank or single-colour grab has one or two; every screen here has 60+
DEMO_CASES = 24  # the demo inspection's cases, across the four frameworks
LEAD_CASES = 80  # render_lead's generated inspection

MAIN_SHOTS = ["cases", "check-my-cases", "case-details", "case-details-both-languages",
              "key-question", "key-question-not-applicable", "alert-dialog", "locked", "unlock",
              "welcome"]
LEAD_SHOTS = ["lead-dashboard", "lead-tables", "lead-domain-one", "lead-panel", "lead-exports"]
QA_SHOTS = ["qa-view", "qa-sheet", "qa-case-read-only", "qa-add-query", "cases-with-queries",
            "assessor-query"]


def by_name(shots: list[Shot], names: list[str], out: Path, suffix: str = "") -> dict[str, Shot]:
    """Every expected screen, written where it should be, as a non-blank image."""
    assert [s.name for s in shots] == [n + suffix for n in names]
    for shot in shots:
        assert shot.path.parent == out and shot.path.is_file(), shot.path
        assert not shot.path.resolve().is_relative_to(ROOT) or "HMIP_SCREENSHOTS" in os.environ
        assert shot.colours > MIN_COLOURS, f"{shot.name} is blank ({shot.colours} colours)"
        assert shot.texts, f"{shot.name} shows no text"
    return {n: s for n, s in zip(names, shots, strict=True)}


def shows(shot: Shot, text: str) -> bool:
    return any(text in t for t in shot.texts)


def check_main(s: dict[str, Shot], demo_folder: Path) -> None:
    with Workspace.open(demo_folder, PASSPHRASE) as ws:
        owner, case, cases_in_demo = ws.owner_name, ws.find_case("DEMO-NPS-002"), \
            len(ws.list_cases())
    assert cases_in_demo == DEMO_CASES
    cases = s["cases"]
    assert cases.title == f"hmip-desktop — {owner}"
    assert shows(cases, owner)
    assert cases.row_counts("QTableView") == [DEMO_CASES]
    check = s["check-my-cases"]
    assert shows(check, "Check my cases") and shows(check, "must fix and")
    assert check.row_counts("QTreeWidget")[0] > 1  # the cases with findings, and the rest
    details = s["case-details"]
    assert shows(details, "DEMO-NPS-002") and shows(details, case.person_name)
    assert shows(details, case.practitioner) and shows(details, case.office)
    kq = s["key-question"]
    question = NPS.key_questions_by_id["2.1.3"]
    assert shows(kq, question.text)
    assert sum(shows(kq, p.text) for p in question.prompts) == len(question.prompts)
    na = s["key-question-not-applicable"]
    prompt_d = next(p for p in NPS.key_questions_by_id["2.3.1"].prompts if p.id == "2.3.1.d")
    assert shows(na, "DEMO-NPS-001")
    assert any(prompt_d.text in t for t in na.greyed)  # shown, greyed: not for this case
    assert not any(p.text in t for p in NPS.key_questions_by_id["2.3.1"].prompts
                   if p.id != "2.3.1.d" for t in na.greyed)
    assert s["alert-dialog"].title == "Raise an alert"
    locked = s["locked"]
    assert shows(locked, "Locked")
    assert not locked.rows
    assert not any("DEMO-" in t or case.person_name in t for t in locked.texts)
    assert s["unlock"].title == "Unlock workspace"
    assert s["welcome"].title == "Welcome to hmip-desktop"
    assert shows(s["welcome"], "demo")


def check_lead(s: dict[str, Shot]) -> None:
    assert {shot.title for shot in s.values()} == {"Consolidation"}
    dashboard = s["lead-dashboard"]
    assert sorted(dashboard.row_counts("QTableView")) == [2, LEAD_CASES]  # 2 alerts, the cases
    assert shows(dashboard, "1 alert not yet acknowledged")
    case_rated = [st for st in NPS.standards if st.rated_by == "cases"]
    tables = s["lead-tables"]
    assert tables.row_counts("QListWidget") == [len(case_rated)]
    assert tables.row_counts("QTableView")[0] > 0
    assert shows(tables, "Provisional rating:")
    domain_one = s["lead-domain-one"]
    lead_rated = [st for st in NPS.standards if st.rated_by == "lead"]
    assert len(lead_rated) in domain_one.row_counts("QListWidget")
    # two recommendations, and the case data linked to standard 1.1 (1.1.3: three items)
    assert domain_one.row_counts("QTableView") == [2, 3]
    assert shows(domain_one, "Board minutes, staff survey")
    panel = s["lead-panel"]
    assert panel.row_counts("QTableView") == [len(NPS.standards)]
    assert shows(panel, "Overall:")
    exports = s["lead-exports"]
    assert exports.row_counts("QTableView") == [len(NPS.case_key_questions())]
    assert shows(exports, "previous.json")


def check_qa(s: dict[str, Shot]) -> None:
    qa_name, assessor = "Morgan Thistlecombe", "Robin Quillfeather"  # build_qa_round's team
    view = s["qa-view"]
    assert view.title == f"hmip-desktop — {qa_name}"
    assert view.row_counts("QTreeWidget") == [1]  # one assessor
    assert view.row_counts("QListWidget") == [1]  # the case's one query
    assert shows(view, "what tipped the balance?")
    sheet = s["qa-sheet"]
    assert sheet.title.endswith("Demo Shire NPS division")
    assert all(shows(sheet, ref) for ref in ("QA-101", "QA-102", "QA-103"))
    assert shows(sheet, assessor)
    read_only = s["qa-case-read-only"]
    assert shows(read_only, "QA-101") and shows(read_only, "Read-only")
    assert shows(read_only, NPS.key_questions_by_id["2.1.1"].text)
    ask = s["qa-add-query"]
    assert ask.title == "Add a query" and shows(ask, "what was missing from the assessment?")
    mine = s["cases-with-queries"]
    assert mine.title == f"hmip-desktop — {assessor}"
    assert mine.row_counts("QTableView") == [3]
    answered = s["assessor-query"]
    assert shows(answered, "what tipped the balance?")
    assert shows(answered, "Prompt b was a small gap")


def at_200_percent(args: list[str], out: Path) -> list[Shot]:
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "tests.gui.screens", *args, str(out), "-200"],
                          env=env, check=True, cwd=ROOT, timeout=180, capture_output=True,
                          text=True)
    return read_described(done.stdout)


def test_main_screens_render_at_1366x768(qtbot: Any, demo_folder: Path, tmp_path: Path) -> None:
    out = shots_folder(tmp_path)
    check_main(by_name(render_all(demo_folder, PASSPHRASE, out), MAIN_SHOTS, out), demo_folder)


@pytest.mark.slow
def test_main_screens_render_at_200_percent(demo_folder: Path, tmp_path: Path) -> None:
    out = shots_folder(tmp_path)
    shots = by_name(at_200_percent([str(demo_folder), PASSPHRASE], out), MAIN_SHOTS, out,
                    "-200")
    check_main(shots, demo_folder)
    assert shots["cases"].size == (2 * SIZE[0], 2 * SIZE[1])  # drawn at twice the pixels


def test_lead_screens_render_at_1366x768(qtbot: Any, tmp_path: Path) -> None:
    out = shots_folder(tmp_path)
    check_lead(by_name(render_lead(tmp_path / "lead", out), LEAD_SHOTS, out))


@pytest.mark.slow
def test_lead_screens_render_at_200_percent(tmp_path: Path) -> None:
    out = shots_folder(tmp_path)
    shots = by_name(at_200_percent(["--lead", str(tmp_path / "lead")], out), LEAD_SHOTS, out,
                    "-200")
    check_lead(shots)
    assert shots["lead-tables"].size == (2 * SIZE[0], 2 * SIZE[1])


def test_qa_screens_render_at_1366x768(qtbot: Any, tmp_path: Path) -> None:
    out = shots_folder(tmp_path)
    check_qa(by_name(render_qa(tmp_path / "qa-round", out), QA_SHOTS, out))


@pytest.mark.slow
def test_qa_screens_render_at_200_percent(tmp_path: Path) -> None:
    out = shots_folder(tmp_path)
    shots = by_name(at_200_percent(["--qa", str(tmp_path / "qa-round")], out), QA_SHOTS, out,
                    "-200")
    check_qa(shots)
    assert shots["qa-case-read-only"].size == (2 * SIZE[0], 2 * SIZE[1])
