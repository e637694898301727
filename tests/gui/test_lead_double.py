"""Double assessment in the GUI: the lead marks a case, reads the agreement and names the
record; the second assessor sees the case as a second assessment and exports it to the lead
alone (issue 20, point 6)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.bundles import KIND_SECOND, read_header
from hmip_desktop.double.records import double
from hmip_desktop.gui.common.exchange_actions import export_dialog
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.double_view import DoubleScreen
from hmip_desktop.gui.main_window import MainWindow
from tests.double.conftest import (  # noqa: F401 - the double assessment fixtures
    CASE,
    FLIPS,
    Double,
    assessed,
    marked,
)
from tests.exchange.conftest import Env, ready_env, stages  # noqa: F401
from tests.gui.screens import shots_folder

pytestmark = pytest.mark.gui
# A stored key shown bare: a prompt not worded as "prompt 2.1.1.a", or a note's or record's key.
ITEM_KEY = re.compile(r"(?<![Pp]rompt )\b\d+\.\d+\.\d+\.[a-z]\b|note:|record:|case:")


def shot(widget: QtWidgets.QWidget, tmp_path: Path, name: str) -> None:
    folder = shots_folder(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    QtWidgets.QApplication.processEvents()  # the layout follows the texts just set
    assert widget.grab().save(str(folder / name))


def screen(qtbot: Any, env: Env) -> DoubleScreen:
    s = DoubleScreen(env.ws("lead"))
    qtbot.addWidget(s)
    s.resize(1366, 768)
    s.show()
    s.set_inspection(env.team.iid)
    return s


def choose(box: QtWidgets.QComboBox, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, text
    box.setCurrentIndex(index)


def names(env: Env) -> dict[str, str]:
    return {m["id"]: m["name"] for m in env.ws("lead").members(env.team.iid)}


def test_lead_marks_a_case_and_a_refusal_is_one_line(
        qtbot: Any, ready_env: Env, tmp_path: Path) -> None:  # noqa: F811
    env = ready_env
    s = screen(qtbot, env)
    who = names(env)
    assert s.rows.rowCount() == 0
    assert "No case is marked" in s.summary.text()
    choose(s.case_box, CASE)
    choose(s.member_box, who[env.team.member_ids["qa"]])  # the assessor's QA partner
    s.mark_button.click()
    assert "QA partner" in s.message.text() and "\n" not in s.message.text()
    assert s.rows.rowCount() == 0  # nothing written

    choose(s.member_box, who[env.team.member_ids["a2"]])
    choose(s.reason_box, "Routine benchmark")
    s.mark_button.click()
    assert s.rows.rowCount() == 1
    row = [s.rows.text(0, c) for c in range(s.rows.columnCount())]
    assert row == [CASE, who[env.team.member_ids["a1"]], who[env.team.member_ids["a2"]],
                   "Routine benchmark", "Waiting for both", "Not named yet"]
    assert s.case_box.findText(CASE) < 0  # not offered twice
    assert double(env.ws("lead"), env.team.iid, CASE).reason == "benchmark"
    # Before both are complete, naming the record is refused in one line.
    s.first_button.click()
    assert "not complete in both" in s.message.text()
    assert double(env.ws("lead"), env.team.iid, CASE).record_id is None
    shot(s, tmp_path, "lead-double-marked.png")


def test_both_complete_shows_the_agreement_and_the_lead_names_the_record(
        qtbot: Any, assessed: Double, tmp_path: Path) -> None:  # noqa: F811
    env = assessed.env
    s = screen(qtbot, env)
    who = names(env)
    second = who[env.team.member_ids["a2"]]
    assert s.rows.text(0, 4) == "Both complete"
    summary = s.summary.text()
    assert "kappa" in summary and "items agreed" in summary
    html = s.report.toPlainText()
    assert "Double assessment of case " + CASE in html
    assert "Where the two assessments differ" in html
    assert "Evidence notes side by side" in html or "Key questions" in html
    assert "Kappa" in html
    assert not re.search(r"trainee|benchmark", html + summary, re.IGNORECASE)
    assert not ITEM_KEY.search(html) and not ITEM_KEY.search(summary)
    shot(s, tmp_path, "lead-double-agreement.png")

    s.second_button.click()
    assert s.rows.text(0, 5) == second
    assert f"{second}'s assessment is now its record" in s.message.text()
    assert double(env.ws("lead"), env.team.iid, CASE).record_id == env.team.member_ids["a2"]
    s.second_button.click()  # again: refused, one line
    assert "already the record" in s.message.text()


def test_the_window_offers_the_double_assessment_tab(qtbot: Any, marked: Env) -> None:  # noqa: F811
    from hmip_desktop.gui.lead.window import ConsolidationWindow  # noqa: PLC0415

    w = ConsolidationWindow(marked.ws("lead"))
    qtbot.addWidget(w)
    titles = [w.tabs.tabText(i).replace("&", "") for i in range(w.tabs.count())]
    assert "9 Double assessment" in titles
    qtbot.waitUntil(lambda: w.pending == 0, timeout=20000)
    assert w.double.rows.rowCount() == 1


def test_second_assessor_sees_it_and_exports_it_to_the_lead_alone(
        qtbot: Any, marked: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: F811
    env = marked
    ws = env.ws("a2")
    w = MainWindow(ws, ws.folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    model = w.cases.model
    statuses = {r.case.case_ref: model.text(i, model.STATUS) for i, r in enumerate(model.rows)}
    assert statuses[CASE].endswith("(second assessment)")
    assert all(not v.endswith("(second assessment)") for k, v in statuses.items() if k != CASE)
    shot(w, tmp_path, "assessor-second-case.png")

    cid = env.team.case_ids[CASE]
    ws.save_item(cid, "2.1.1.a", "yes")
    offered: list[list[str]] = []

    def pick(which: int) -> Any:
        def get_item(_p: Any, _t: str, _l: str, items: list[str], *_a: Any) -> Any:
            offered.append(items)
            return items[which], True
        return get_item

    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: 0)
    out = tmp_path / "second.hmipsecond"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", pick(1))
    assert export_dialog(w, ws) == out
    assert len(offered[0]) == 2
    assert read_header(out.read_bytes()).kind == KIND_SECOND

    # The ordinary export never takes the second assessment.
    ordinary = tmp_path / "ordinary.hmipb"
    ws.save_item(env.team.case_ids["RT-201"], "2.1.1.a", "yes")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(ordinary), ""))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", pick(0))
    assert export_dialog(w, ws) == ordinary
    assert read_header(ordinary.read_bytes()).kind != KIND_SECOND
    from hmip_desktop.exchange import service  # noqa: PLC0415

    report = service.import_file(env.ws("lead"), ordinary)
    listed = [r for r, _v in (*report.applied, *report.up_to_date, *report.conflicts)]
    assert CASE not in listed and "RT-201" in listed
