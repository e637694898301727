"""The lead's texts (a panel's reason, a lead rating's evidence, a recommendation) that cannot
be stored as UTF-8 (a lone surrogate: invalid bytes in a command-line argument) are refused in
one line, with nothing written."""

from __future__ import annotations

import pytest

from hmip_desktop.consolidation.dashboard import alerts_inbox, note_alert_action
from hmip_desktop.consolidation.panel import (
    add_recommendation,
    panel_decisions,
    recommendations,
    record_panel_decision,
)
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, worked_cases
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION

BAD = "81% elsewhere \udcff"
SECOND = {"2.3.1": (105, 25, 0), "2.3.2": (95, 35, 0), "2.3.3": (60, 35, 35)}


def test_undecodable_texts_are_refused(ws: Workspace) -> None:
    built = add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", SECOND,
                                                           NPS_SUPERVISION, LOW_ROSH))
    iid = built.iid
    alert = ws.raise_alert(built.case_ids[0], what_might_happen="Harm to a child",
                           how_serious="Serious", how_imminent="Within days",
                           action_asked="Tell the manager today")
    audit = ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ConsolidationError, match="the reason is not valid text") as e:
        record_panel_decision(ws, iid, "2.3", decision="vary", rating="good", reason=BAD)
    assert "\n" not in str(e.value)
    with pytest.raises(ConsolidationError, match="the recommendation is not valid text"):
        add_recommendation(ws, iid, BAD)
    with pytest.raises(ConsolidationError, match="the note is not valid text"):
        note_alert_action(ws, alert.id, BAD)
    assert panel_decisions(ws, iid) == {} and recommendations(ws, iid) == []
    assert [a.action_note for a in alerts_inbox(ws, iid)] == [None]
    assert ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit
