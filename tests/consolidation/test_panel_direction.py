"""A discretion flag allows a variation only towards what it points at (000_ §7.1, §7.2).

63% is within five points of the 65% boundary between Requires improvement and Good: the
panel may consider Good, but nothing about that percentage points to Inadequate. Five cases or
fewer allow either way.
"""

from __future__ import annotations

import pytest

from hmip_desktop.consolidation.panel import panel_decisions, record_panel_decision
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import Built, add_inspection, worked_cases
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION

NEAR_GOOD = {"2.3.1": (105, 25, 0), "2.3.2": (95, 35, 0), "2.3.3": (60, 35, 35)}  # 63%
NEAR_RI = {"2.3.1": (105, 25, 0), "2.3.2": (95, 35, 0), "2.3.3": (66, 29, 35)}  # 69%, Good
FEW = {"2.3.1": (4, 1, 0), "2.3.2": (4, 1, 0), "2.3.3": (3, 2, 0)}  # 60% of five


def _nps(ws: Workspace, per_kq: dict[str, tuple[int, int, int]]) -> Built:
    return add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", per_kq,
                                                          NPS_SUPERVISION, LOW_ROSH))


def test_within_five_points_below_a_boundary_allows_up_not_down(ws: Workspace) -> None:
    built = _nps(ws, NEAR_GOOD)
    t = consolidate(ws, built.iid).table("2.3")
    assert (t.provisional_rating, [f for f, _w in t.discretion]) == (
        "requires_improvement", ["within_5_points"])
    audit = ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ConsolidationError, match="cannot be varied down to Inadequate") as e:
        record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="inadequate",
                              reason="Weak evidence elsewhere.")
    assert "\n" not in str(e.value)
    assert panel_decisions(ws, built.iid) == {}
    assert ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit
    d = record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="good",
                              reason="81% and 73% elsewhere.")
    assert d.rating == "good"


def test_within_five_points_above_a_boundary_allows_down_not_up(ws: Workspace) -> None:
    built = _nps(ws, NEAR_RI)
    t = consolidate(ws, built.iid).table("2.3")
    assert t.provisional_rating == "good" and "within_5_points" in dict(t.discretion)
    with pytest.raises(ConsolidationError, match="cannot be varied up to Outstanding"):
        record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="outstanding",
                              reason="Strong elsewhere.")
    d = record_panel_decision(ws, built.iid, "2.3", decision="vary",
                              rating="requires_improvement", reason="Close to the boundary.")
    assert d.rating == "requires_improvement"


def test_five_cases_or_fewer_allow_either_way(ws: Workspace) -> None:
    built = _nps(ws, FEW)
    t = consolidate(ws, built.iid).table("2.3")
    assert "five_or_fewer_cases" in dict(t.discretion)
    for rating in ("inadequate", "good"):
        d = record_panel_decision(ws, built.iid, "2.3", decision="vary", rating=rating,
                                  reason="Five cases only.")
        assert d.rating == rating


@pytest.mark.parametrize(("per_kq", "offered"), [
    (NEAR_GOOD, ["good"]), (NEAR_RI, ["requires_improvement"]),
    (FEW, ["inadequate", "good"])])
def test_the_choices_offered_are_exactly_the_variations_accepted(
        ws: Workspace, per_kq: dict[str, tuple[int, int, int]], offered: list[str]) -> None:
    from hmip_desktop.consolidation.panel import allowed_variations  # noqa: PLC0415

    built = _nps(ws, per_kq)
    c = consolidate(ws, built.iid)
    assert allowed_variations(c, "2.3") == offered
    assert allowed_variations(c, "1.1") == []  # lead-rated: never varied
    for rating in ("inadequate", "requires_improvement", "good", "outstanding"):
        if rating == c.table("2.3").provisional_rating:
            continue
        try:
            record_panel_decision(ws, built.iid, "2.3", decision="vary", rating=rating,
                                  reason="The panel's reading.")
        except ConsolidationError:
            assert rating not in offered
        else:
            assert rating in offered
