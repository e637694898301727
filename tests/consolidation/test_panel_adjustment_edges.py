"""The unpaid-work adjustment moves the indicative rating one band (000_ §7.1): at the top or
the bottom of the scale there is no band to move to, so the move is refused, not recorded as
a move that changed nothing."""

from __future__ import annotations

import pytest

from hmip_desktop.consolidation.panel import panel_decisions, record_panel_decision
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, worked_cases

FACTS = {"sample": "unpaid_work", "gender": "male", "sentence_type": "community",
         "rosh": "medium"}


@pytest.mark.parametrize(("counts", "provisional", "adjustment", "message"), [
    ((38, 2), "outstanding", 1, "Outstanding is the top of the scale: it cannot be moved up"),
    ((10, 30), "inadequate", -1,
     "Inadequate is the bottom of the scale: it cannot be moved down"),
])
def test_no_move_past_either_end_of_the_scale(ws: Workspace, counts: tuple[int, int],
                                              provisional: str, adjustment: int,
                                              message: str) -> None:
    yes, no = counts
    built = add_inspection(ws, "crc-2019-20", worked_cases(
        "crc-2019-20", {k: (yes, no, 0) for k in ("4.1.1", "4.1.2", "4.1.4")}, FACTS, {}))
    assert consolidate(ws, built.iid).table("4.1").provisional_rating == provisional
    audit = ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ConsolidationError, match=message) as e:
        record_panel_decision(ws, built.iid, "4.1", decision="confirm", adjustment=adjustment,
                              reason="Observed projects (4.1.3).")
    assert "\n" not in str(e.value)
    assert panel_decisions(ws, built.iid) == {}
    assert ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit
    d = record_panel_decision(ws, built.iid, "4.1", decision="confirm",
                              adjustment=-adjustment, reason="Observed projects (4.1.3).")
    assert d.rating != provisional
