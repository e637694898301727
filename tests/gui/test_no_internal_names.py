"""No internal names on screen or on paper: every main screen of the demo team, rendered at
1366x768, and the lunchtime sheet, scanned for identifier-shaped text (item keys, check ids,
the manuals' file prefixes, revision and bundle numbers, bare role keys) and for messages that
start in lower case. The scan itself is shown to fail on a planted id."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.conflicts import open_conflicts
from hmip_desktop.exchange.demo_team import create_team_demo
from hmip_desktop.gui.assessor.case_section import AlertDialog
from hmip_desktop.gui.common import exchange_actions
from hmip_desktop.gui.common.exchange_actions import IdentityDialog, import_with_checks
from hmip_desktop.gui.common.qt import QtGui, QtWidgets
from hmip_desktop.gui.common.queries import AddQueryDialog
from hmip_desktop.gui.lead.conflict_dialog import ConflictDialog
from hmip_desktop.gui.lead.drilldown import DrillDownDialog
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.qa.sheet import sheet_view
from hmip_desktop.qa.sheet import sheet_html
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import without_ownership
from tests.gui.visible_text import internal_names, visible_texts

pytestmark = pytest.mark.gui
PASS = "demo team passphrase for the wording scan"


@pytest.fixture(scope="module")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team") / "team"
    create_team_demo(folder, PASS)
    return folder


@pytest.fixture
def team(team_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    shutil.copytree(team_template, folder)
    return folder


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message box and import summary shown, as text, instead of waiting for a click."""
    shown: list[str] = []

    def box(_parent: Any, title: str, text: str, *_a: Any, **_k: Any) -> Any:
        shown.extend((title, text))
        return QtWidgets.QMessageBox.StandardButton.Yes

    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QtWidgets.QMessageBox, name, staticmethod(box))

    def summary(dialog: QtWidgets.QDialog) -> int:
        shown.extend(visible_texts(dialog))
        return 0

    monkeypatch.setattr(exchange_actions.ImportSummary, "exec", summary)
    return shown


def _window(qtbot: Any, folder: Path) -> MainWindow:
    w = MainWindow(Workspace.open(folder, PASS), folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _every_page_of_the_form(w: MainWindow) -> list[str]:
    """The open case's form, page by page: its details, then every key question."""
    form = w.form
    assert form is not None
    texts = []
    form.show_page("__case__")
    texts += visible_texts(w)
    for kq in form.fw.key_questions_by_id:
        form.go_to_item(kq)
        texts += visible_texts(w)
    return texts


def assert_no_internal_names(texts: list[str]) -> None:
    found = internal_names(texts)
    assert not found, "\n".join(found)


def test_the_scan_finds_a_planted_id(qtbot: Any) -> None:
    """The scan can fail: each kind of internal name, planted on a label, is found."""
    for planted in ("Check rosh_difference_unexplained", "Item case:inspector_rosh",
                    "See note:2.1.3", "Alert alert:3f2a9c", "Hurdle (000_ §2.3)",
                    "Case DEMO-1 rev 48", "Imported (number 1)", "assessor",
                    "Demo Shire (nps-2019-20)",
                    "imported the bundle"):
        label = QtWidgets.QLabel(planted)
        qtbot.addWidget(label)
        label.show()
        assert internal_names(visible_texts(label)), planted
    clean = QtWidgets.QLabel("Key question 2.1.3: is the case judged in full? (Probation "
                             "inspections external guidance manual, section 2.3)")
    qtbot.addWidget(clean)
    clean.show()
    assert not internal_names(visible_texts(clean))


def test_the_assessors_screens_show_no_internal_names(
        qtbot: Any, team: Path, messages: list[str]) -> None:
    w = _window(qtbot, team / "assessor-1")
    texts = visible_texts(w)
    assert w.ws is not None
    cases = w.ws.list_cases()
    for summary in cases[:3]:
        w.open_case(summary.case.id)
        texts += _every_page_of_the_form(w)
    alert = AlertDialog(w)
    qtbot.addWidget(alert)
    alert.show()
    texts += visible_texts(alert)
    w.show_cases()
    w.show_check()
    texts += visible_texts(w)
    identity = IdentityDialog(w.ws, w)
    qtbot.addWidget(identity)
    identity.show()
    texts += visible_texts(identity)
    assert_no_internal_names(texts + messages)
    w.close()


def test_the_qa_partners_screens_and_sheet_show_no_internal_names(
        qtbot: Any, team: Path, messages: list[str]) -> None:
    w = _window(qtbot, team / "qa")
    view = w.qa_view
    assert view is not None
    qtbot.waitUntil(lambda: not view.busy and view.sheet is not None, timeout=20_000)
    texts = visible_texts(w)
    it = QtWidgets.QTreeWidgetItemIterator(view.tree)
    while it.value():  # the side panel for every assessor, case and finding
        view.tree.setCurrentItem(it.value())
        texts += visible_texts(view)
        it += 1
    assert view.sheet is not None
    sheet = sheet_view(view.sheet, w)
    qtbot.addWidget(sheet)
    sheet.show()
    texts += visible_texts(sheet)
    paper = QtGui.QTextDocument()
    paper.setHtml(sheet_html(view.sheet))  # the PDF is this document, laid out on A4
    texts.append(paper.toPlainText())
    sheet.close()
    assert w.ws is not None
    case = next(c for c in view.sheet.assessors[0].cases)
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    w.open_case(case.case_id)
    texts += _every_page_of_the_form(w)
    assert w.form is not None
    ask = AddQueryDialog(w.form.fw, ["case", "2.1.2.a", "2.1.2"], "2.1.2.a", w)
    qtbot.addWidget(ask)
    ask.show()
    texts += visible_texts(ask)
    assert_no_internal_names(texts + messages)
    w.close()


@pytest.fixture
def lead(qtbot: Any, team: Path) -> Iterator[MainWindow]:
    w = _window(qtbot, team / "lead")
    yield w
    if w.consolidation is not None:
        qtbot.waitUntil(lambda: w.consolidation is None or w.consolidation.pending == 0,
                        timeout=20_000)
    w.close()


def test_the_leads_screens_show_no_internal_names(
        qtbot: Any, lead: MainWindow, messages: list[str]) -> None:
    texts = visible_texts(lead)
    next(a for a in lead.actions_needing_data if a.text() == "Consolidation…").trigger()
    win = lead.consolidation
    assert isinstance(win, ConsolidationWindow)
    win.resize(1366, 768)
    qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
    for i in range(win.tabs.count()):
        win.tabs.setCurrentIndex(i)
        texts += visible_texts(win)
    win.tabs.setCurrentIndex(0)
    alerts = win.dashboard.inbox.view
    assert alerts.model().rowCount()
    for row in range(alerts.model().rowCount()):  # each alert read in full beside the list
        alerts.selectRow(row)
        texts += visible_texts(win.dashboard)
    assert win.full is not None
    table = next(t for t in win.full.tables if t.rated_by == "cases")
    win.show_drill_down(table.rows[0].kq_id)
    assert isinstance(win.drill, DrillDownDialog)
    texts += visible_texts(win.drill)
    win.drill.close()
    assert lead.ws is not None
    setup = SetupDialog(lead.ws, lead)
    qtbot.addWidget(setup)
    setup.show()
    texts += visible_texts(setup)
    setup.close()
    assert_no_internal_names(texts + messages)


def test_import_messages_and_the_conflict_dialog_show_no_internal_names(
        qtbot: Any, lead: MainWindow, team: Path, messages: list[str]) -> None:
    """An import that applies work, one already imported, and a case in conflict."""
    assert lead.ws is not None
    with Workspace.open(team / "assessor-1", PASS) as robin:
        iid = robin.inspections()[0]["id"]
        case = next(s.case for s in robin.list_cases(iid)
                    if robin.read_assessment(s.case.id).items.get("2.1.1") in ("yes", "no"))
        held = robin.read_assessment(case.id).items["2.1.1"]
        robin.save_item(case.id, "note:2.1.1", "Robin's evidence, written again.")
        first = export_assessments(robin, iid, team / "robin-1.hmipb")
        without_ownership(lead.ws).save_item(case.id, "2.1.1", "no" if held == "yes" else "yes")
        while robin.read_assessment(case.id).revision <= lead.ws.read_assessment(
                case.id).revision:
            robin.save_item(case.id, "note:2.1.1", f"Robin's evidence, draft "
                            f"{robin.read_assessment(case.id).revision}.")
        second = export_assessments(robin, iid, team / "robin-2.hmipb")
    for bundle in (first, first, second):
        import_with_checks(lead, lead.ws, bundle)
    [conflict] = open_conflicts(lead.ws, iid)
    dialog = ConflictDialog(lead.ws, conflict.case_id, lead)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = visible_texts(dialog)
    dialog.resolve()  # nothing chosen: refused with a message
    texts += visible_texts(dialog)
    assert messages
    assert_no_internal_names(texts + messages)
