"""The QA partner's view of the demo team, read as they would before the lunchtime meeting:
Refresh runs the checks every time, the totals are those of the assessors they support, a
finding is shown in full, the alert banner and reply box are worded for whoever reads them,
and the sheet takes a page per assessor, prints from the app and warns that a PDF is plaintext."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.demo_team import PEOPLE, create_team_demo
from hmip_desktop.gui.common.pdf import a4_pages
from hmip_desktop.gui.common.qt import Qt, QtPrintSupport, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.qa.sheet import sheet_view
from hmip_desktop.gui.qa.view import CASE_ROLE, ITEM_ROLE, QaView
from hmip_desktop.qa.checks import CHECKS
from hmip_desktop.qa.sheet import sheet_html
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace

pytestmark = pytest.mark.gui
PASSPHRASE = "demo team passphrase for the qa meeting tests"
QA, ROBIN = PEOPLE["qa"][0], PEOPLE["assessor-1"][0]


@pytest.fixture(scope="module")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team") / "demo"
    create_team_demo(folder, PASSPHRASE)
    return folder


@pytest.fixture
def team(team_template: Path, tmp_path: Path) -> Path:
    for who in ("qa", "assessor-1", "lead"):
        (tmp_path / who).mkdir()
        for name in (DB_NAME, KEY_FILE_NAME):
            shutil.copy2(team_template / who / name, tmp_path / who / name)
    return tmp_path


def _window(qtbot: Any, folder: Path) -> MainWindow:
    w = MainWindow(Workspace.open(folder, PASSPHRASE), folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


@pytest.fixture
def qa_window(qtbot: Any, team: Path) -> Iterator[tuple[MainWindow, QaView]]:
    w = _window(qtbot, team / "qa")
    view = w.qa_view
    assert view is not None
    qtbot.waitUntil(lambda: not view.busy and view.sheet is not None, timeout=20000)
    yield w, view
    w.close()


def _rows(view: QaView) -> list[QtWidgets.QTreeWidgetItem]:
    out = []
    it = QtWidgets.QTreeWidgetItemIterator(view.tree)
    while it.value():
        out.append(it.value())
        it += 1
    return out


def test_refresh_runs_the_checks_each_time_it_is_clicked(
        qtbot: Any, qa_window: tuple[MainWindow, QaView]) -> None:
    _w, view = qa_window
    refresh = view.buttons["refresh"]
    runs = []
    view.loaded.connect(lambda: runs.append(view.sheet))
    for n in (1, 2):
        assert refresh.isEnabled()
        with qtbot.waitSignal(view.loaded, timeout=20000):
            qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not view.busy, timeout=20000)
        assert len(runs) == n
    assert refresh.isEnabled()
    assert runs[0] is not runs[1]  # each click ran the checks afresh


def test_the_totals_are_the_supported_assessors_and_own_cases_are_apart(
        qa_window: tuple[MainWindow, QaView]) -> None:
    _w, view = qa_window
    assert view.sheet is not None
    theirs = [a for a in view.sheet.assessors if not a.own]
    mine = [a for a in view.sheet.assessors if a.own]
    assert [a.assessor for a in mine] == [QA] and QA not in [a.assessor for a in theirs]
    must = sum(c.count("must_fix") for a in theirs for c in a.cases)
    own_must = sum(c.count("must_fix") for a in mine for c in a.cases)
    assert must and own_must
    assert view.summary.text().startswith(
        f"Assessors you support: {sum(len(a.cases) for a in theirs)} case(s) · {must} must fix")
    assert view.own_summary.isVisible()
    assert view.own_summary.text().startswith(
        f"Your own cases: {sum(len(a.cases) for a in mine)} case(s) · {own_must} must fix")
    tops = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    assert [t.text(0) for t in tops if t is not None][-1] == f"Your own cases ({QA})"


def test_the_selected_finding_is_shown_in_full_beside_the_list(
        qa_window: tuple[MainWindow, QaView]) -> None:
    _w, view = qa_window
    findings = [r for r in _rows(view) if r.data(0, ITEM_ROLE) and r.childCount() == 0]
    longest = max(findings, key=lambda r: len(r.text(0)))
    view.tree.scrollToItem(longest)
    shown = view.tree.visualItemRect(longest).width()
    needed = view.tree.fontMetrics().horizontalAdvance(longest.text(0))
    assert needed > shown  # the list cuts it short ...
    view.tree.setCurrentItem(longest)
    full = " ".join(view.detail.toPlainText().split())
    assert longest.text(0) in full  # ... and the pane beside it shows all of it
    assert "Must fix" in full or "Worth a look" in full
    names = {c.name for c in CHECKS}
    for row in findings:  # no check's name, in the pane or a tooltip
        view.tree.setCurrentItem(row)
        assert not names & set(view.detail.toPlainText().replace(":", " ").split())
        assert not names & set(row.toolTip(0).replace(":", " ").split())


def _open(view: QaView, ref: str) -> None:
    ws = view.ws
    assert ws is not None
    cid = ws.find_case(ref).id
    view.tree.setCurrentItem(next(r for r in _rows(view) if r.data(0, CASE_ROLE) == cid
                                  and not r.data(0, ITEM_ROLE)))
    view.open_selected()


def test_the_alert_banner_and_the_reply_box_speak_to_their_reader(
        qtbot: Any, team: Path, qa_window: tuple[MainWindow, QaView]) -> None:
    w, view = qa_window
    assert view.ws is not None
    alerted = view.ws.find_case(view.ws.alerts()[0].case_id).case_ref  # one of Robin's cases
    _open(view, alerted)
    qtbot.waitUntil(lambda: w.form is not None and w.form.alert_banner.isVisible(), timeout=5000)
    form = w.form
    assert form is not None and form.read_only
    banner = form.alert_banner.text.text()
    assert banner.startswith(f"{ROBIN} raised an alert on this case on ")
    assert "check in the meeting that it is in hand" in banner
    assert "Contact the deputy lead inspector now" not in banner
    assert "your next export" not in banner
    assert form.query_panel.reply.placeholderText().startswith("Your reply to the assessor")
    w.close()

    mine = _window(qtbot, team / "assessor-1")
    assert mine.ws is not None
    mine.open_case(mine.ws.find_case(alerted).id)
    qtbot.waitUntil(lambda: mine.form is not None and mine.form.alert_banner.isVisible(),
                    timeout=5000)
    form = mine.form
    assert form is not None and not form.read_only
    assert "Contact the deputy lead inspector now" in form.alert_banner.text.text()
    assert form.query_panel.reply.placeholderText().startswith("Your reply to the QA partner")
    mine.close()

    lead = _window(qtbot, team / "lead")
    assert lead.ws is not None
    lead.open_case(lead.ws.find_case(alerted).id)
    qtbot.waitUntil(lambda: lead.form is not None and lead.form.alert_banner.isVisible(),
                    timeout=5000)
    assert lead.form is not None and lead.form.read_only
    banner = lead.form.alert_banner.text.text()
    assert banner.startswith(f"{ROBIN} raised an alert on this case on ")
    assert banner.endswith("acknowledge it in the alerts inbox once it is in hand.")
    lead.close()


def test_a_query_raised_after_completion_is_not_put_to_the_assessor(
        qa_window: tuple[MainWindow, QaView]) -> None:
    """The demo's query was raised on a case the assessor had completed and sent."""
    _w, view = qa_window
    texts = [r.text(0) for r in _rows(view)]
    assert not [t for t in texts if t.startswith("Marked complete while")]
    waiting = [t for t in texts if t.startswith("Waiting for the assessor's answer")]
    assert len(waiting) == 1


def test_the_demo_teams_sheet_takes_one_a4_page_per_assessor(
        qa_window: tuple[MainWindow, QaView]) -> None:
    _w, view = qa_window
    sheet = view.sheet
    assert sheet is not None and len(sheet.assessors) == 3
    for a in sheet.assessors:
        assert a4_pages(sheet_html(replace(sheet, assessors=(a,)))) == 1, a.assessor
    assert a4_pages(sheet_html(sheet)) == len(sheet.assessors)  # each from a new page


def test_the_sheet_prints_from_the_app_and_says_a_saved_pdf_is_plaintext(
        qtbot: Any, qa_window: tuple[MainWindow, QaView], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    w, view = qa_window
    assert view.sheet is not None
    report = sheet_view(view.sheet, w)
    qtbot.addWidget(report)
    report.show()
    assert report.print_button.isVisible() and report.print_button.text() == "&Print…"
    assert report.notice.isVisible()
    assert "personal data" in report.notice.text().lower()
    assert "not encrypted" in report.notice.text()

    printer = QtPrintSupport.QPrinter()  # a printer that writes a PDF, as a print queue would
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert report.print_report(printer)
    data = printed.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(
        b"/Type /Page ") + data.count(b"/Type/Page") >= len(view.sheet.assessors)

    asked: list[str] = []
    chosen = tmp_path / "sheet.pdf"

    def save_dialog(_parent: Any, caption: str, *_a: Any, **_k: Any) -> tuple[str, str]:
        asked.append(caption)
        return str(chosen), ""

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", save_dialog)
    qtbot.mouseClick(report.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["Save as PDF — personal data, not encrypted"]
    assert chosen.read_bytes().startswith(b"%PDF")
    assert report.notice.text().startswith(f"Saved to {chosen}. This file is personal data in "
                                           "plaintext")


def test_print_asks_the_system_print_dialog_first(
        qtbot: Any, qa_window: tuple[MainWindow, QaView],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Print… opens the print dialog; cancelling it prints nothing."""
    w, view = qa_window
    assert view.sheet is not None
    report = sheet_view(view.sheet, w)
    qtbot.addWidget(report)
    shown: list[str] = []

    def cancel(dialog: QtPrintSupport.QPrintDialog) -> int:
        shown.append(dialog.windowTitle())
        return int(QtWidgets.QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(QtPrintSupport.QPrintDialog, "exec", cancel)
    qtbot.mouseClick(report.print_button, Qt.MouseButton.LeftButton)
    assert shown == [f"Print {view.sheet.title}"]


def test_the_query_list_says_open_or_closed_and_what_the_query_is_on(
        qtbot: Any, qa_window: tuple[MainWindow, QaView]) -> None:
    w, view = qa_window
    assert view.ws is not None
    from hmip_desktop.qa.queries import list_queries  # noqa: PLC0415

    queried = list_queries(view.ws)[0]
    _open(view, view.ws.find_case(queried.case_id).case_ref)
    qtbot.waitUntil(lambda: w.form is not None, timeout=5000)
    assert w.form is not None
    w.form.go_to_item(queried.item)  # the panel lists the queries on the page shown
    panel = w.form.query_panel
    lines = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert lines
    for line in lines:
        # "● Open query on key question 2.1.1 judgement": a sentence, not a key and a state
        assert re.match(r"^[●○] (Open|Closed) query on ", line), line
        assert " · " not in line and not re.search(r"\b(open|closed)$", line)
    w.close()
