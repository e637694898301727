"""A case in conflict on the lead's dashboard, side by side, resolved item by item; and the
owner's case list saying so (issue 12, point 3)."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import delivered_cases, in_conflict_at_lead
from hmip_desktop.exchange.conflicts import open_conflicts
from hmip_desktop.gui.assessor.cases_view import CasesModel
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.lead.conflict_dialog import ConflictDialog
from hmip_desktop.gui.lead.dashboard import DashboardScreen
from tests.exchange.conftest import NAMES, Env, answered_env, stages  # noqa: F401 - fixtures
from tests.exchange.test_conflicts import diverge, state

pytestmark = pytest.mark.gui


def test_the_lead_sees_the_conflict_and_resolves_it_side_by_side(
        qtbot: Any, answered_env: Env) -> None:  # noqa: F811 - the fixture
    env = answered_env
    lead = env.ws("lead")
    first, _second = diverge(env, lead_edits=2, robin_edits=1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))

    dash = DashboardScreen(lead)
    qtbot.addWidget(dash)
    dash.set_inspection(env.team.iid)
    last = dash.cases.columnCount() - 1
    shown = {r.case_ref: dash.cases.text(i, last) for i, r in enumerate(dash.cases.rows)}
    assert shown["RT-101"] == "IN CONFLICT" and shown["RT-102"] == ""
    assert dash.conflict_banner.isVisibleTo(dash)
    assert "RT-101" in dash.conflict_banner.text.text()

    dialog = ConflictDialog(lead, "RT-101")
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(),
                                             dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    assert rows["Key question 2.1.1 judgement"] == (f"No\n— {NAMES['lead']}",
                                                    f"Yes\n— {NAMES['a1']}")
    assert set(rows) == {"Key question 2.1.1 judgement", "Prompt 2.1.2.a", "Prompt 2.1.2.b"}
    dialog.resize(900, 420)
    dialog.show()
    dialog.grab().save(str(env.root / "conflict.png"))

    dialog.resolve_button.click()  # nothing chosen yet: refused, nothing written
    refusal = dialog.message.text()
    assert refusal.startswith("Choose a version for every item: ")
    assert "key question 2.1.1 judgement" in refusal and "2.1.1:" not in refusal
    assert open_conflicts(lead, env.team.iid)

    dialog.choose_all(1)
    dialog.choices[0].setCurrentIndex(1)  # 2.1.1: the lead's own answer stands
    dialog.resolve_button.click()
    assert dialog.result() == 1 and dialog.revision == state(lead, first)[1]
    items = state(lead, first)[2]
    assert items["2.1.1"] == "no" and items["2.1.2.a"] == "yes"
    dash.refresh()
    assert not any(r.in_conflict for r in dash.cases.rows)
    assert not dash.conflict_banner.isVisibleTo(dash)


def test_the_owners_case_list_says_the_case_is_in_conflict_at_the_lead(
        qtbot: Any, answered_env: Env) -> None:  # noqa: F811 - the fixture
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    diverge(env, lead_edits=1, robin_edits=1)
    receipt = service.import_file(lead, env.bundle("a1-2.hmipb")).receipt
    assert receipt is not None
    service.import_file(a1, receipt)

    model = CasesModel()
    model.set_rows(a1.list_cases(), delivered_cases(a1), in_conflict_at_lead(a1))
    sent = {model.rows[r].case.case_ref: model.data(model.index(r, model.SENT))
            for r in range(model.rowCount())}
    assert sent == {"RT-101": "In conflict at the lead", "RT-102": "Received by lead"}
    row = [s.case.case_ref for s in model.rows].index("RT-101")
    assert model.data(model.index(row, model.SENT), Qt.ItemDataRole.ForegroundRole) is not None
