"""The consolidation window over bundles really imported: opened from the lead's toolbar, its
dashboard shows who sent what and the alert they raised, its tables count the imported cases."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import service
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.gui.main_window import MainWindow
from tests.exchange import conftest as exchange
from tests.exchange.conftest import CASES, NAMES, Env

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env


def test_lead_toolbar_opens_consolidation_over_imported_bundles(qtbot: Any,
                                                                answered_env: Env) -> None:
    lead = answered_env.ws("lead")
    for who in ("a1", "a2"):
        service.import_file(lead, answered_env.bundle(f"{who}-1.hmipb"))
    main = MainWindow(lead, answered_env.folder("lead"))
    qtbot.addWidget(main)
    main.show()
    action = next(a for a in main.actions_needing_data if a.text() == "Consolidation…")
    seen: dict[str, Any] = {}
    action.trigger()
    win = main.consolidation
    assert isinstance(win, ConsolidationWindow) and win.isVisible()
    assert QtWidgets.QApplication.activeModalWidget() is None  # a window, not a dialog
    qtbot.waitUntil(lambda: win.pending == 0 and win.full is not None, timeout=20_000)
    dash = win.dashboard
    seen["banner"] = dash.banner.isVisible()
    seen["alert"] = dash.current_alert()
    seen["rows"] = {r.case_ref: r for r in dash.cases.rows}
    seen["shown"] = {ref: [dash.cases.text(i, c) for c in range(dash.cases.columnCount())]
                     for i, ref in enumerate(r.case_ref for r in dash.cases.rows)}
    win.tables.show_standard("2.1")
    seen["counts"] = win.tables.model.counts()
    seen["summary"] = win.tables.summary.text()
    # The imported cases are answered but not yet marked complete: only the provisional
    # picture counts them, and says so.
    win.tables.provisional.setChecked(True)
    qtbot.waitUntil(lambda: win.pending == 0 and win.filtered.provisional, timeout=20_000)
    win.tables.show_standard("2.1")
    seen["live"] = win.tables.model.counts()
    seen["mark"] = (not win.tables.mark.isHidden(), win.tables.mark.text())
    seen["workbook"] = win.exports.buttons["xlsx"].isEnabled()
    win.close()
    assert main.consolidation is None
    assert seen, "the consolidation window did not open"
    assert seen["banner"]
    assert seen["alert"].what_might_happen == "Harm to a child"
    assert not seen["alert"].acknowledged
    rows = seen["rows"]
    assert set(rows) == set(CASES)
    for ref, owner in CASES.items():
        row = rows[ref]
        if owner in ("a1", "a2"):
            assert row.member == NAMES[owner] and row.delivered
            assert row.revision_received == row.revision
            assert seen["shown"][ref][0] == NAMES[owner]
            assert seen["shown"][ref][3].endswith(", the latest known")  # latest received
            assert seen["shown"][ref][4] == "The case marked complete"  # waiting for
        else:
            assert not row.delivered and seen["shown"][ref][3] == "Nothing yet"
            assert seen["shown"][ref][4] == "A first bundle from the member"
    full = consolidate(lead, answered_env.team.iid)
    assert seen["counts"] == {r.kq_id: (r.yes, r.no, r.percent)
                              for r in full.table("2.1").rows}
    assert seen["counts"]["2.1.1"][0] == 0
    assert "4 in progress (not yet marked complete)" in seen["summary"]
    live = consolidate(lead, answered_env.team.iid, rule=PROVISIONAL)
    assert seen["live"] == {r.kq_id: (r.yes, r.no, r.percent) for r in live.table("2.1").rows}
    assert seen["live"]["2.1.1"][0] == 4  # the four imported cases answered 2.1.1 'yes'
    assert seen["mark"] == (True, "Provisional: includes 4 cases in progress")
    assert seen["workbook"] is False
    main.close()
