"""The case list's Complete column follows every change, and start-up leaves workbooks out.

The list works a case's completeness out once and keeps it while the case is unchanged; these
check that a change made in the form, or elsewhere and then reloaded, shows at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.main_window import MainWindow
from tests.gui.conftest import PASSPHRASE, open_case

ROOT = Path(__file__).resolve().parents[2]


def shown_complete(window: MainWindow, ref: str) -> str:
    model = window.cases.model
    row = next(i for i, s in enumerate(model.rows) if s.case.case_ref == ref)
    return str(model.index(row, model.COMPLETE).data())


def test_an_answer_given_in_the_form_shows_in_the_lists_complete_column(
        qtbot: Any, window: MainWindow) -> None:
    assert window.ws is not None
    before = shown_complete(window, "DEMO-NPS-004")
    open_case(window, "DEMO-NPS-004")
    assert window.form is not None
    window.form.go_to_item("2.1.1")
    page = window.form.page
    assert isinstance(page, KqPage)
    unanswered = [r for r in page.rows if not r.value()]
    assert unanswered, "the demo case has a question left to answer"
    unanswered[0].buttons["yes"].click()
    window.show_cases()
    after = shown_complete(window, "DEMO-NPS-004")
    summary = window.ws.case_summary(window.ws.find_case("DEMO-NPS-004").id)
    assert after == f"{summary.completeness.percent}%"
    assert after != before


def test_a_change_made_elsewhere_shows_once_the_list_is_reloaded(
        qtbot: Any, window: MainWindow) -> None:
    ws = window.ws
    assert ws is not None
    case = ws.find_case("DEMO-NPS-004")
    before = shown_complete(window, "DEMO-NPS-004")
    a = ws.read_assessment(case.id)
    missing = {m.item for m in a.completeness.missing}
    prompt = next(p.id for kq in a.framework.case_key_questions() for p in kq.prompts
                  if p.id in missing)
    ws.save_item(case.id, prompt, "yes")  # not through the window
    window.reload_cases()
    after = shown_complete(window, "DEMO-NPS-004")
    assert after == f"{ws.case_summary(case.id).completeness.percent}%"
    assert after != before
    # and sorting by the column puts the cases in order of what the list shows
    model = window.cases.model
    window.cases.table.sortByColumn(model.COMPLETE, Qt.SortOrder.DescendingOrder)
    proxy = window.cases.proxy
    shown = [int(str(proxy.index(r, model.COMPLETE).data()).rstrip("%"))
             for r in range(proxy.rowCount())]
    assert shown == sorted(shown, reverse=True)


def _loaded_when_the_window_shows(folder: Path, tmp_path: Path) -> set[str]:
    """The modules ``hmip-desktop gui`` has imported by the time its window is rendered."""
    env = {**os.environ, "HMIP_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    shot = tmp_path / "window.png"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hmip_desktop", "gui",
         "--workspace", str(folder), "--screenshot", str(shot)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert shot.stat().st_size > 0  # the window was shown and rendered
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:")}


def test_showing_the_window_does_not_load_the_workbook_library(demo_folder: Path,
                                                               tmp_path: Path) -> None:
    loaded = _loaded_when_the_window_shows(demo_folder, tmp_path)
    assert "hmip_desktop.gui.main_window" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("openpyxl", "sqlite_utils")}


def test_showing_the_window_builds_only_the_case_list(demo_folder: Path,
                                                      tmp_path: Path) -> None:
    """The other pages, printing and the bundles' QA and reassignment code wait until used."""
    loaded = _loaded_when_the_window_shows(demo_folder, tmp_path)
    assert "hmip_desktop.gui.assessor.cases_view" in loaded
    assert not loaded & {
        "hmip_desktop.gui.assessor.case_form", "hmip_desktop.gui.assessor.check_view",
        "hmip_desktop.gui.assessor.return_view", "hmip_desktop.gui.lead.alerts_page",
        "hmip_desktop.gui.common.exchange_actions", "hmip_desktop.consolidation.dashboard",
        "hmip_desktop.qa.checks", "hmip_desktop.setup.allocation", "PySide6.QtPrintSupport"}
