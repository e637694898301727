"""Check my cases: the QA partner's checks on the assessor's own cases, from the case list,
in inspector words, each finding opening its case at the item."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.qa.readiness import check_my_cases
from hmip_desktop.qa.service import workspace_findings

pytestmark = pytest.mark.gui
KEY = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(case|note|record|alert|status):")


def _rows(tree: QtWidgets.QTreeWidget) -> list[QtWidgets.QTreeWidgetItem]:
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        out.append(top)
        out += [top.child(j) for j in range(top.childCount())]
    return out


def _case_row(tree: QtWidgets.QTreeWidget, ref: str) -> QtWidgets.QTreeWidgetItem:
    return next(r for r in _rows(tree) if r.parent() is None and r.text(0) == ref)


def test_check_my_cases_lists_each_cases_findings_in_inspector_words(
        qtbot: Any, window: MainWindow) -> None:
    assert window.ws is not None
    qtbot.mouseClick(window.cases.check_button, Qt.MouseButton.LeftButton)
    view = window.check
    assert window.stack.currentWidget() is view
    must = sum(f.severity == "must_fix" and f.check not in (
        "required_item_unanswered", "no_interview_record") for f in workspace_findings(window.ws))
    assert view.summary.text().startswith(f"{must} must fix")
    rows = _rows(view.tree)
    for row in rows:
        for col in range(3):
            assert not KEY.search(row.text(col)), row.text(col)
    nps1 = _case_row(view.tree, "DEMO-NPS-001")
    assert "Complete" in nps1.text(2) and "1 must fix" in nps1.text(2)
    finding = nps1.child(0)
    assert finding is not None and finding.text(0) == "Must fix"
    fw = window.ws.read_assessment("DEMO-NPS-001").framework
    rosh = fw.qa.rosh_pairs[0].question
    assert finding.text(1) == fw.fields_by_id[rosh].label  # the question, not its key
    assert "with no reason under" in finding.text(2)
    # An in-progress case's empty items fold into one line.
    crc2 = _case_row(view.tree, "DEMO-CRC-002")
    to_do = [crc2.child(i) for i in range(crc2.childCount())
             if crc2.child(i).text(0) == "Still to do"]
    assert len(to_do) == 1 and "items still to answer" in to_do[0].text(2)


def test_a_finding_opens_its_case_at_the_item_and_back_returns_to_the_checks(
        qtbot: Any, window: MainWindow) -> None:
    assert window.ws is not None
    window.cases.table.setFocus()
    qtbot.keyClick(window.cases.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    view = window.check
    assert window.stack.currentWidget() is view
    nps2 = _case_row(view.tree, "DEMO-NPS-002")
    finding = next(nps2.child(i) for i in range(nps2.childCount())
                   if nps2.child(i).text(0) == "Must fix")
    view.tree.setCurrentItem(finding)
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus, timeout=2000)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    form = window.form
    assert form is not None and window.stack.currentWidget() is form
    assert form.a.case.case_ref == "DEMO-NPS-002"
    item = finding.data(0, Qt.ItemDataRole.UserRole)[1]
    assert getattr(QtWidgets.QApplication.focusWidget(), "item", None) == item
    assert item in form.finding_marks  # outlined as the QA partner will see it
    assert form.back_button.text() == "← Check my cases"

    form.save("record:rosh_difference_reason", "Newer police information on threats.")
    qtbot.mouseClick(form.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is view and window.form is None
    nps2 = _case_row(view.tree, "DEMO-NPS-002")  # checked again: the must fix is gone
    assert "must fix" not in nps2.text(2)
    qtbot.keyClick(view.tree, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.cases


def test_the_summary_counts_only_what_there_is(window: MainWindow) -> None:
    assert window.ws is not None
    checks = check_my_cases(window.ws)
    look = [replace(c, points=tuple(p for p in c.points if p.severity != "must_fix"),
                    blanks=()) for c in checks]
    view = window.check
    view.set_checks(look)
    n = sum(c.worth_a_look for c in look)
    raised = sum(bool(c.points) for c in look)
    assert view.summary.text().startswith(
        f"{n} worth a look across {raised} of your {len(look)} cases.")
    assert "must fix" not in view.summary.text()
    view.set_checks([replace(c, points=()) for c in checks])
    assert view.summary.text().startswith("Only items still to answer")
    view.set_checks([replace(c, points=(), blanks=()) for c in checks])
    assert view.summary.text() == f"Nothing to raise on any of your {len(checks)} cases."
