"""The lead's consolidation window, driven through its widgets: from the alerts inbox to the
tables, filters, domain one, the ratings panel, the overall rating, the panel summary PDF and
the workbook."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.panel import lead_ratings, panel_decisions
from hmip_desktop.consolidation.tables import Filters, consolidate
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.pdf import ReportView
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.common import rating_label
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.rules.scale import shift
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import (
    Built,
    add_inspection,
    generated_cases,
    lead_workspace,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[tuple[Workspace, Built]]:
    ws = lead_workspace(tmp_path / "lead")
    fw = load_framework("nps-2019-20")
    built = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(4), 60),
                           title="Demo Shire NPS division")
    ws.raise_alert(built.case_ids[0], what_might_happen="Harm to a child",
                   how_serious="Serious", how_imminent="Within days",
                   action_asked="Tell the practitioner's manager today")
    yield ws, built
    ws.close()


def opened(qtbot: Any, ws: Workspace) -> ConsolidationWindow:
    win = ConsolidationWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    settle(qtbot, win)
    return win


def settle(qtbot: Any, win: ConsolidationWindow) -> None:
    """Wait until every consolidation or export job has come back."""
    qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)


def shown_counts(win: ConsolidationWindow) -> dict[str, dict[str, tuple[int, int, int | None]]]:
    out = {}
    for i in range(win.tables.standards.count()):
        win.tables.standards.setCurrentRow(i)
        table = win.tables.current_table()
        out[table.standard_id] = win.tables.model.counts()
    return out


def core_counts(c: Any) -> dict[str, dict[str, tuple[int, int, int | None]]]:
    return {t.standard_id: {r.kq_id: (r.yes, r.no, r.percent) for r in t.rows}
            for t in c.tables if t.rated_by == "cases"}


def test_lead_goes_from_dashboard_to_panel_summary_and_workbook(
        qtbot: Any, lead: tuple[Workspace, Built], tmp_path: Path) -> None:
    ws, built = lead
    iid = built.iid
    win = opened(qtbot, ws)

    # 1. The dashboard comes first, with the unacknowledged alert at the top.
    assert win.tabs.currentWidget() is win.dashboard
    dash = win.dashboard
    assert dash.banner.isVisible() and "1 alert" in dash.banner.text.text()
    top = dash.current_alert()
    assert top is not None and not top.acknowledged_at
    assert dash.inbox.proxy.index(0, 0).data() == "Raised, not yet acknowledged"
    qtbot.mouseClick(dash.inbox.step_buttons["acknowledged"], Qt.MouseButton.LeftButton)
    assert ws.alerts()[0].acknowledged_by == ws.owner_name
    assert not dash.banner.isVisible()
    assert dash.inbox.proxy.index(0, 0).data() == "Acknowledged"
    assert dash.cases.rowCount() == len(built.case_ids)

    # 2. The tables equal consolidate()'s, standard by standard.
    win.tabs.setCurrentWidget(win.tables)
    full = consolidate(ws, iid)
    assert shown_counts(win) == core_counts(full)
    assert win.tables.summary.text().startswith(f"{full.cases} cases counted")

    # 3. A filter changes the counts to those of that part of the sample.
    pdu = win.tables.filters.combos["pdu"].itemData(1)
    win.tables.filters.select("pdu", pdu)
    qtbot.waitUntil(lambda: win.pending == 0 and win.filtered is not None
                    and win.filtered.filters.pdu == pdu, timeout=20_000)
    part = consolidate(ws, iid, Filters(pdu=pdu))
    assert part.cases < full.cases
    assert shown_counts(win) == core_counts(part) != core_counts(full)
    assert win.panel.consolidation.cases == full.cases  # the panel keeps every case
    win.tables.filters.clear()
    qtbot.waitUntil(lambda: win.pending == 0 and not win.filtered.filters.active,
                    timeout=20_000)

    # 4. Domain one: the lead rates every lead-rated standard, with evidence; each saves
    # itself (no button), and the window consolidates again once the lead leaves the screen.
    win.tabs.setCurrentWidget(win.domain_one)
    d1 = win.domain_one
    assert not [b for b in d1.findChildren(QtWidgets.QPushButton) if "Save" in b.text()]
    for sid in [s.id for s in d1.lead_standards]:
        d1.select_standard(sid)
        d1.rating.setCurrentIndex(d1.rating.findData("good"))
        d1.evidence.setPlainText(f"Board minutes and staff survey for {sid}.")
        listed = d1.framework.characteristics_of(sid)
        d1.tick(listed.outstanding[0])
    d1.select_standard("1.1")  # moving on saved the last one too
    saved = lead_ratings(ws, iid)
    assert {s.id for s in d1.lead_standards} == set(saved)
    # leadership (1.1) lists its own characteristics (003_ Annex G), the others the general ones
    assert saved["1.1"].characteristics[0].startswith("Leaders set and communicate")
    assert saved["1.2"].characteristics == ("innovative and creative",)
    assert "decided by" in d1.decided.text()
    # a rating without evidence is not kept: said in one line, and nothing changes
    d1.evidence.setPlainText("")
    d1.rating.setCurrentIndex(d1.rating.findData("outstanding"))
    assert "\n" not in d1.message.text() and d1.message.property("kind") == "refused"
    assert "needs a rating and evidence" in d1.message.text()
    assert lead_ratings(ws, iid)["1.1"].rating == "good"
    d1.evidence.setPlainText("Board minutes and staff survey for 1.1.")
    d1.rating.setCurrentIndex(d1.rating.findData("good"))
    shown = win.full
    win.tabs.setCurrentWidget(win.dashboard)  # leaving the screen consolidates again
    qtbot.waitUntil(lambda: win.full is not shown and win.pending == 0, timeout=20_000)

    # 5. The panel: varying without a discretion flag is refused; with one it is accepted.
    win.tabs.setCurrentWidget(win.panel)
    panel = win.panel
    full = consolidate(ws, iid)
    plain = next(t for t in full.tables if t.rated_by == "cases" and t.provisional_rating
                 and not t.discretion and not t.adjustable)
    flagged = next(t for t in full.tables if t.rated_by == "cases" and t.discretion)
    panel.select_standard(plain.standard_id)
    assert not panel.vary.isEnabled()
    assert "No discretion flag" in panel.vary_reason.text()
    panel.vary.setEnabled(True)  # as if the control were forced: the core still refuses
    panel.vary.setChecked(True)
    panel.rating.addItem("Good", "good")
    panel.rating.setCurrentIndex(panel.rating.count() - 1)
    panel.reason.setText("The other key questions are strong.")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    assert panel.message.property("kind") == "refused"
    assert "cannot be varied" in panel.message.text() and "\n" not in panel.message.text()
    assert plain.standard_id not in panel_decisions(ws, iid)

    panel.select_standard(flagged.standard_id)
    assert panel.vary.isEnabled()
    assert "Discretion allows it" in panel.vary_reason.text()
    qtbot.mouseClick(panel.vary, Qt.MouseButton.LeftButton)
    assert panel.rating.isEnabled() and panel.rating.count() >= 1
    target = panel.rating.currentData()
    panel.reason.setText("Sub-sample small; the other key questions are in a higher band.")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    decision = panel_decisions(ws, iid)[flagged.standard_id]
    assert (decision.decision, decision.rating, decision.decided_by) == \
        ("vary", target, ws.owner_name)
    panel.select_standard(flagged.standard_id)
    row = panel.current_row()
    assert row is not None and row.table.rating == target

    # every other standard confirmed; the overall rating by the framework's bands
    for t in consolidate(ws, iid).tables:
        if t.standard_id != flagged.standard_id and t.provisional_rating:
            panel.select_standard(t.standard_id)
            qtbot.mouseClick(panel.confirm, Qt.MouseButton.LeftButton)
            qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
            settle(qtbot, win)
    overall = consolidate(ws, iid).ratings.overall
    assert overall.rating is not None
    assert panel.overall.text() == f"Overall: {rating_label(overall.rating)}"
    assert f"Score {overall.score} of {overall.max}" in panel.overall_detail.text()

    # 6. The panel summary, shown and saved as PDF.
    qtbot.mouseClick(panel.summary_button, Qt.MouseButton.LeftButton)
    report = panel.report
    assert isinstance(report, ReportView) and report.isVisible()
    pdf = report.save_pdf(tmp_path / "panel-summary.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    report.close()

    # 7. The workbook, written off the GUI thread, with a message saying where it went.
    win.tabs.setCurrentWidget(win.exports)
    out = tmp_path / "data.xlsx"
    with qtbot.waitSignal(win.exports.finished, timeout=30_000):
        win.exports.export_workbook(out)
    assert out.read_bytes()[:2] == b"PK"
    assert str(out) in win.exports.message.text()
    assert win.tabs.isEnabled()
    for export, name in ((win.exports.export_csv, "tables.csv"),
                         (win.exports.export_json, "ratings.json")):
        with qtbot.waitSignal(win.exports.finished, timeout=30_000):
            export(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
        assert str(tmp_path / name) in win.exports.message.text()
    # compared with itself: every key question there, no change, nothing flagged
    with qtbot.waitSignal(win.exports.finished, timeout=30_000):
        win.exports.compare_previous(tmp_path / "ratings.json")
    rows = win.exports.comparison.rows
    assert rows and all(r.change in (0, None) and not r.flagged for r in rows)
    # a file that is not an export: one line in the window, the comparison kept
    (tmp_path / "junk.json").write_text("not json")
    with qtbot.waitSignal(win.exports.finished, timeout=30_000):
        win.exports.compare_previous(tmp_path / "junk.json")
    assert win.exports.message.property("kind") == "refused"
    assert "\n" not in win.exports.message.text()
    assert win.exports.comparison.rows == rows


def test_unrated_framework_shows_the_data_without_ratings(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        fw = load_framework("dipp-2025")
        built = add_inspection(ws, "dipp-2025", generated_cases(fw, random.Random(2), 20))
        win = opened(qtbot, ws)
        win.tabs.setCurrentWidget(win.tables)
        assert "not rated" in win.tables.summary.text()
        assert win.tables.rating.isHidden()
        assert win.tables.chart.lines == ()
        assert shown_counts(win) == core_counts(consolidate(ws, built.iid))
        assert win.panel.overall.text() == "Not rated"
        assert not win.panel.record_button.isEnabled()
        assert not win.domain_one.rating.isEnabled()
        assert win.domain_one.standards_stack.is_empty()
        assert "not rated" in win.domain_one.standards_stack.empty.text()
    finally:
        ws.close()


def test_consolidation_is_on_the_lead_toolbar_only(qtbot: Any, tmp_path: Path,
                                                   demo_folder: Path) -> None:
    from tests.gui.conftest import PASSPHRASE  # noqa: PLC0415

    ws = lead_workspace(tmp_path / "lead")
    w = MainWindow(ws, tmp_path / "lead")
    qtbot.addWidget(w)
    assert "Consolidation…" in [a.text() for a in w.actions_needing_data]
    w.close()
    demo = Workspace.open(demo_folder, PASSPHRASE)
    w = MainWindow(demo, demo_folder)
    qtbot.addWidget(w)
    assert "Consolidation…" not in [a.text() for a in w.actions_needing_data]
    w.close()


def test_unpaid_work_moves_one_band_with_a_reason(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        fw = load_framework("crc-2019-20")
        built = add_inspection(ws, "crc-2019-20", generated_cases(fw, random.Random(7), 80))
        win = opened(qtbot, ws)
        win.tabs.setCurrentWidget(win.panel)
        panel = win.panel
        unpaid = next(s for s in fw.standards if s.adjustable)
        before = consolidate(ws, built.iid).table(unpaid.id)
        assert before.provisional_rating not in (None, "outstanding")
        panel.select_standard(unpaid.id)
        assert panel.adjustment.isVisible() and panel.adjustment.isEnabled()
        panel.adjustment.setCurrentIndex(panel.adjustment.findData(1))
        panel.reason.clear()
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        assert panel.message.property("kind") == "refused"
        assert "reason" in panel.message.text()
        assert unpaid.id not in panel_decisions(ws, built.iid)
        panel.reason.setText("Observed sessions were well run and the work was demanding.")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle(qtbot, win)
        now = consolidate(ws, built.iid)
        after = now.table(unpaid.id)
        assert after.rating == shift(before.provisional_rating, 1)
        panel.select_standard(unpaid.id)
        assert "one band up" in panel.model.text(panel.view.currentIndex().row(), 4)
        # another standard takes no band judgement
        other = next(t for t in now.tables if t.rated_by == "cases" and not t.adjustable)
        panel.select_standard(other.standard_id)
        assert not panel.adjustment.isEnabled()
    finally:
        ws.close()


def test_every_control_is_reachable_by_keyboard_and_named(qtbot: Any,
                                                          lead: tuple[Workspace, Built]) -> None:

    ws, _built = lead
    win = opened(qtbot, ws)
    kinds = (QtWidgets.QAbstractButton, QtWidgets.QComboBox, QtWidgets.QLineEdit,
             QtWidgets.QPlainTextEdit, QtWidgets.QAbstractItemView)
    def inside_combo(w: Any) -> bool:  # a drop-down's own list and line edit
        while w is not None:
            if isinstance(w.parent(), QtWidgets.QComboBox):
                return True
            w = w.parent()
        return False

    controls = [w for w in win.findChildren(QtWidgets.QWidget) if isinstance(w, kinds)
                and not inside_combo(w) and not isinstance(w, QtWidgets.QHeaderView)
                and not isinstance(w.parent(), QtWidgets.QAbstractItemView)]
    assert len(controls) > 30
    for w in controls:
        assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, w
        name = w.accessibleName() or (w.text() if isinstance(w, QtWidgets.QAbstractButton)
                                      else "")
        assert name.strip(), f"{type(w).__name__} without a name"
    # Alt+digit opens each screen
    for i, key in enumerate((Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4,
                             Qt.Key.Key_5)):
        qtbot.keyClick(win, key, Qt.KeyboardModifier.AltModifier)
        assert win.tabs.currentIndex() == i


def test_the_window_closes_when_the_workspace_locks(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    fw = load_framework("nps-2019-20")
    add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(3), 10))
    main = MainWindow(ws, tmp_path / "lead")
    qtbot.addWidget(main)
    win = ConsolidationWindow(ws, main)
    win.show()
    settle(qtbot, win)
    main.lock()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=5_000)
    assert win.closed
    main.close()


def test_focus_comes_back_after_a_filter_is_applied(qtbot: Any,
                                                    lead: tuple[Workspace, Built]) -> None:
    ws, _built = lead
    win = opened(qtbot, ws)
    win.activateWindow()
    win.tabs.setCurrentWidget(win.tables)
    combo = win.tables.filters.combos["gender"]
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus, timeout=2_000)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: win.pending == 0 and win.filtered.filters.active, timeout=20_000)
    assert combo.hasFocus()
