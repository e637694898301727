"""The lead's screens read as a lead needs them, on the demo team at 1366x768: an alert read in
full, a consolidation window beside a main window that stays usable, the cases filtered by
member and status in the lead's words, domain one saving itself, and empty screens that say
what to do."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.consolidation.panel import lead_ratings, recommendations
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange.demo_team import create_team_demo
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.alert_dialogs import StepNoteDialog
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace

pytestmark = pytest.mark.gui
PASS = "demo team passphrase for the lead's screens"
REVISION = r"\b[Rr]evision\b|\brev\b"


@pytest.fixture(scope="module")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team") / "team"
    create_team_demo(folder, PASS)
    return folder


@pytest.fixture
def main(qtbot: Any, team_template: Path, tmp_path: Path) -> Iterator[MainWindow]:
    folder = tmp_path / "team"
    shutil.copytree(team_template, folder)
    ws = Workspace.open(folder / "lead", PASS)
    w = MainWindow(ws, folder / "lead")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    if w.consolidation is not None:
        qtbot.waitUntil(lambda: w.consolidation is None or w.consolidation.pending == 0,
                        timeout=20_000)
    w.close()


def opened(qtbot: Any, main: MainWindow) -> ConsolidationWindow:
    next(a for a in main.actions_needing_data if a.text() == "Consolidation…").trigger()
    win = main.consolidation
    assert isinstance(win, ConsolidationWindow)
    win.resize(1366, 768)
    qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
    return win


def test_the_alert_is_read_in_full_at_1366x768(qtbot: Any, main: MainWindow,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    win = opened(qtbot, main)
    dash = win.dashboard
    alert = dash.current_alert()
    assert alert is not None and not alert.acknowledged
    pane = dash.inbox.text
    shown = pane.toPlainText()
    for text in (alert.what_might_happen, alert.how_serious, alert.how_imminent,
                 alert.action_asked, alert.case_ref, alert.raised_by):
        assert text in shown
    assert "Raised, not yet acknowledged" in shown
    # every line of it fits the pane: nothing to scroll to, nothing cut off
    assert pane.isVisible() and pane.viewport().height() > 0
    assert pane.verticalScrollBar().maximum() == 0
    assert pane.horizontalScrollBar().maximum() == 0
    # the list beside it has room for its columns: none squeezed below its header's width
    view = dash.inbox.view
    header = view.horizontalHeader()
    for c in range(header.count()):
        assert header.sectionSize(c) >= header.sectionSizeHint(c) - 1, c
    assert view.horizontalScrollBar().maximum() == 0  # every column in sight
    # acknowledging and seeking assurance show in the pane, with who, when and the note
    qtbot.mouseClick(dash.inbox.step_buttons["acknowledged"], Qt.MouseButton.LeftButton)
    note = "Police told at 10:05; plan reviewed with the manager."

    def answer(dialog: StepNoteDialog) -> int:
        dialog.note.setPlainText(note)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(StepNoteDialog, "exec", answer)
    qtbot.mouseClick(dash.inbox.step_buttons["assurance"], Qt.MouseButton.LeftButton)
    shown = pane.toPlainText()
    owner = main.ws.owner_name if main.ws else ""
    assert "Acknowledged by: " + owner in shown
    assert f"Assurance sought: {owner}" in shown and note in shown
    assert "Raised, not yet acknowledged" not in shown


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no stacking
def test_the_main_window_stays_usable_beside_consolidation(qtbot: Any,
                                                           main: MainWindow) -> None:
    win = opened(qtbot, main)
    assert QtWidgets.QApplication.activeModalWidget() is None  # not a dialog
    assert win.parent() is None and win.isWindow()  # a window of its own (taskbar entry)
    assert main.stack.isEnabled()
    # the case list still opens a case, with the consolidation window open beside it
    assert main.ws is not None
    main.open_case(main.ws.list_cases()[0].case.id)
    assert main.form is not None and main.stack.currentWidget() is main.form
    assert win.isVisible()
    main.show_cases()
    # asking again brings the same window forward rather than opening a second
    next(a for a in main.actions_needing_data if a.text() == "Consolidation…").trigger()
    assert main.consolidation is win
    # locking the main window closes it (its data is hidden with the rest)
    qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
    main.lock()
    assert not win.isVisible() and main.consolidation is None


def test_cases_by_member_filtered_in_the_leads_words(qtbot: Any, main: MainWindow) -> None:
    win = opened(qtbot, main)
    dash = win.dashboard
    assert main.ws is not None
    rows = dashboard(main.ws, win.iid() or "")
    titles = [dash.cases.headerData(c, Qt.Orientation.Horizontal)
              for c in range(dash.cases.columnCount())]
    assert titles[:6] == ["Member", "Case", "Status", "Latest work received", "Waiting for",
                          "Signed off"]
    shown = [dash.cases.text(i, c) for i in range(len(rows)) for c in range(len(titles))]
    assert not [t for t in titles + shown if re.search(REVISION, t)]
    # every row says when its work arrived and what the lead still waits for
    assert all(t for i in range(len(rows)) for t in (dash.cases.text(i, 3),
                                                      dash.cases.text(i, 4)))
    members = {r.member_id: r.member for r in rows}
    assert len(members) >= 2
    mid, name = sorted(members.items())[0]
    dash.filter_cases(member=mid)
    assert {r.member for r in dash.shown_cases()} == {name}
    assert len(dash.shown_cases()) == sum(r.member_id == mid for r in rows)
    assert dash.shown.text() == f"{len(dash.shown_cases())} of {len(rows)} cases shown."
    dash.filter_cases(member=mid, status="in_progress")
    assert all(r.status == "in_progress" and r.member_id == mid for r in dash.shown_cases())
    dash.filter_cases(status="complete")
    assert {r.case_ref for r in dash.shown_cases()} == {
        r.case_ref for r in rows if r.status == "complete"}
    dash.filter_cases(waiting="qa_answer")
    assert dash.shown_cases() and all(r.qa_state == "queried" for r in dash.shown_cases())
    dash.filter_cases()
    assert len(dash.shown_cases()) == len(rows) and dash.shown.text() == ""
    # the choices survive a refresh
    dash.filter_cases(member=mid)
    dash.refresh()
    assert {r.member for r in dash.shown_cases()} == {name}


def test_domain_one_saves_itself_and_progress_starts_unjudged(qtbot: Any,
                                                               tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    fw = load_framework("nps-2019-20")
    built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(3), 10))
    win = ConsolidationWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
        win.tabs.setCurrentWidget(win.domain_one)
        d1 = win.domain_one
        # empty to start with, and saying what to do
        assert d1.recs_stack.is_empty()
        assert "Type each recommendation" in d1.recs_stack.empty.text()
        d1.select_standard("1.2")
        d1.rating.setCurrentIndex(d1.rating.findData("good"))
        assert "1.2" not in lead_ratings(ws, built.iid)  # no evidence yet: not kept
        d1.evidence.setFocus()
        qtbot.keyClicks(d1.evidence, "Staff survey and supervision records.")
        # saved shortly after typing stops (or when the focus leaves), as in the case form
        qtbot.waitUntil(lambda: "1.2" in lead_ratings(ws, built.iid), timeout=5_000)
        saved = lead_ratings(ws, built.iid)["1.2"]
        assert (saved.rating, saved.evidence) == ("good", "Staff survey and supervision "
                                                          "records.")
        assert [e.action for e in ws.history() if e.action == "lead_rating"]  # audited
        assert d1.evidence.toPlainText() == "Staff survey and supervision records."

        d1.new_rec.setText("Improve the quality of risk of harm assessments.")
        qtbot.keyClick(d1.new_rec, Qt.Key.Key_Return)
        assert not d1.recs_stack.is_empty()
        assert d1.progress.currentText() == "Not yet judged"
        assert d1.recs.text(0, 2) == "Not yet judged"
        d1.progress_note.setText("Some progress in one PDU.")
        d1.progress_note.editingFinished.emit()
        assert recommendations(ws, built.iid)[0].progress is None  # nothing judged yet
        d1.progress.setCurrentIndex(d1.progress.findData("insufficient"))
        rec = recommendations(ws, built.iid)[0]
        assert (rec.progress, rec.note) == ("insufficient", "Some progress in one PDU.")
        # leaving the screen brings the new lead rating into the panel
        win.tabs.setCurrentWidget(win.panel)
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
        assert win.full.table("1.2").provisional_rating == "good"
    finally:
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
        win.close()
        ws.close()


def test_flags_read_one_per_line_in_the_tables_figures(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    fw = load_framework("nps-2019-20")
    built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(4), 60))
    win = ConsolidationWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
        full = consolidate(ws, built.iid)
        flagged = next(t for t in full.tables if t.rated_by == "cases" and len(t.discretion) > 1)
        win.tabs.setCurrentWidget(win.panel)
        win.panel.select_standard(flagged.standard_id)
        lines = win.panel.vary_reason.text().splitlines()
        assert lines[0] == "Discretion allows it:"
        assert len(lines) == 1 + len(flagged.discretion)  # one flag per line
        # the figures are the table's whole percentages
        percents = {f"{r.kq_id} is {r.percent}%" for r in flagged.rows if r.percent is not None}
        for line in lines[1:]:
            assert line.startswith("• ") and any(p in line for p in percents), line
            assert not re.search(r"\d\.\d+%", line), line
        # the tables' chart says what its colours mean
        win.tabs.setCurrentWidget(win.tables)
        win.tables.show_standard(flagged.standard_id)
        legend = win.tables.legend.text()
        for words in ("Inadequate", "Requires improvement", "Good", "Outstanding"):
            assert words in legend
    finally:
        qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
        win.close()
        ws.close()


def test_an_export_compared_with_nothing_says_how_to_compare(qtbot: Any,
                                                             main: MainWindow) -> None:
    win = opened(qtbot, main)
    win.tabs.setCurrentWidget(win.exports)
    stack = win.exports.comparison_stack
    assert stack.is_empty() and stack.empty.isVisible()
    assert "Compare with a previous export" in stack.empty.text()


def test_set_up_dates_are_picked_not_typed(qtbot: Any) -> None:
    from datetime import date  # noqa: PLC0415

    from hmip_desktop.gui.common.qt import QtCore  # noqa: PLC0415
    from hmip_desktop.gui.lead.setup_window import (  # noqa: PLC0415
        InterviewDaysDialog,
        InterviewSlotDialog,
        NewInspectionDialog,
    )

    new = NewInspectionDialog()
    qtbot.addWidget(new)
    for edit in (new.start, new.end):
        assert isinstance(edit, QtWidgets.QDateEdit) and edit.calendarPopup()
    new.start.setDate(QtCore.QDate(2026, 11, 23))
    new.end.setDate(QtCore.QDate(2026, 11, 20))  # before the start: held at the start
    v = new.values()
    assert (v["fieldwork_start"], v["fieldwork_end"]) == ("2026-11-23", "2026-11-23")

    days = InterviewDaysDialog([date(2026, 11, 24), date(2026, 11, 25)])
    qtbot.addWidget(days)
    assert days.day.calendarPopup()
    days.list.setCurrentRow(0)
    qtbot.mouseClick(days.remove_button, Qt.MouseButton.LeftButton)
    days.day.setDate(QtCore.QDate(2026, 11, 23))
    qtbot.mouseClick(days.add_button, Qt.MouseButton.LeftButton)
    assert days.days() == [date(2026, 11, 23), date(2026, 11, 25)]  # kept in order
    assert days.day.date() == QtCore.QDate(2026, 11, 24)  # the next day is offered
    assert [days.list.item(i).text() for i in range(days.list.count())] == [
        "Mon 23 Nov 2026", "Wed 25 Nov 2026"]

    slot = InterviewSlotDialog(date(2026, 11, 24))
    qtbot.addWidget(slot)
    assert slot.at.calendarPopup()
    slot.at.setTime(QtCore.QTime(10, 30))
    assert slot.slot() == "2026-11-24T10:30"
    slot.interview.setChecked(False)
    assert slot.slot() is None and not slot.at.isEnabled()


def test_the_leads_case_list_names_the_member_holding_each_case_and_filters(
        qtbot: Any, main: MainWindow) -> None:
    assert main.ws is not None
    view = main.cases
    model = view.model
    iid = main.ws.inspections()[0]["id"]
    holders = {r.case_id: r.member for r in dashboard(main.ws, iid) if r.member}
    assert len(set(holders.values())) >= 2
    # the Member column is shown, beside the case reference, and names each case's holder
    assert not view.table.isColumnHidden(model.MEMBER)
    assert view.table.horizontalHeader().visualIndex(model.MEMBER) == 1
    shown = {r.case.id: model.index(i, model.MEMBER).data() for i, r in enumerate(model.rows)}
    assert all(shown[cid] == name for cid, name in holders.items())
    assert view.member_filter.isVisible() and view.status_filter.isVisible()
    assert not view.check_button.isVisible()  # the lead holds no cases to check

    def listed() -> list[tuple[str, str]]:
        rows = []
        for r in range(view.proxy.rowCount()):
            s = model.rows[view.proxy.mapToSource(view.proxy.index(r, 0)).row()]
            rows.append((model.member(s), s.display_status))
        return rows

    name = sorted(set(holders.values()))[0]
    view.filter_cases(member=name)
    assert listed() and {m for m, _s in listed()} == {name}
    assert len(listed()) == sum(n == name for n in holders.values())
    view.filter_cases(member=name, status="complete")
    assert all(m == name and s == "complete" for m, s in listed())
    view.filter_cases(status="in_progress")
    assert listed() and {s for _m, s in listed()} == {"in_progress"}
    view.filter_cases()
    assert view.proxy.rowCount() == len(model.rows)
    # the choice survives the list being reloaded (after an import, say)
    view.filter_cases(member=name)
    main.reload_cases()
    assert {m for m, _s in listed()} == {name}


def test_the_assessors_case_list_has_no_member_column_or_filters(
        qtbot: Any, team_template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    shutil.copytree(team_template, folder)
    w = MainWindow(Workspace.open(folder / "assessor-1", PASS), folder / "assessor-1")
    qtbot.addWidget(w)
    w.show()
    view = w.cases
    assert view.table.isColumnHidden(view.model.MEMBER)
    assert not view.member_filter.isVisible() and not view.status_filter.isVisible()
    assert view.check_button.isVisible()
    w.close()


def test_the_dashboard_says_yes_and_no_in_one_wording(qtbot: Any, main: MainWindow) -> None:
    win = opened(qtbot, main)
    cases = win.dashboard.cases
    column = next(c for c in range(cases.columnCount())
                  if cases.headerData(c, Qt.Orientation.Horizontal) == "Receipt sent")
    words = {cases.text(i, column) for i in range(cases.rowCount())}
    assert words and words <= {"Yes", "No"}
