"""Domain one, recommendations and the ratings panel: what is refused, what is recorded."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from hmip_desktop.consolidation.panel import (
    add_recommendation,
    lead_ratings,
    panel_decisions,
    recommendations,
    record_panel_decision,
    set_lead_rating,
    set_recommendation_progress,
)
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import Filters, consolidate
from hmip_desktop.frameworks import load_framework
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import (
    LEAD,
    PASSPHRASE,
    Built,
    add_inspection,
    generated_cases,
    worked_cases,
)
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION

FIRST = {"2.3.1": (95, 35, 0), "2.3.2": (86, 44, 0), "2.3.3": (53, 42, 35)}  # no flag
SECOND = {"2.3.1": (105, 25, 0), "2.3.2": (95, 35, 0), "2.3.3": (60, 35, 35)}  # within 5


def _nps(ws: Workspace, per_kq: dict[str, tuple[int, int, int]]) -> Built:
    return add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", per_kq,
                                                          NPS_SUPERVISION, LOW_ROSH))


def _audit(ws: Workspace) -> list[tuple[str, str, str | None, str | None, str]]:
    return [tuple(r) for r in ws._conn.execute(  # type: ignore[misc]
        "SELECT action, item, old, new, actor FROM audit WHERE case_id IS NULL ORDER BY seq")]


def _state(ws: Workspace) -> tuple[int, int, int, int]:
    return tuple(ws._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (  # type: ignore[return-value]
        "audit", "panel_decisions", "lead_ratings", "recommendations"))


def test_a_variation_is_refused_where_no_flag_allows_it(ws: Workspace) -> None:
    built = _nps(ws, FIRST)
    before = _state(ws)
    with pytest.raises(ConsolidationError, match=r"^standard 2.3 cannot be varied: no "
                       r"discretion flag applies .*Requires improvement\)$"):
        record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="good",
                              reason="The other key questions are Good.")
    assert _state(ws) == before
    assert consolidate(ws, built.iid).table("2.3").rating == "requires_improvement"


def test_a_variation_is_accepted_where_a_flag_allows_it_and_audited(ws: Workspace) -> None:
    built = _nps(ws, SECOND)
    d = record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="good",
                              reason="81% and 73% elsewhere; the shortfall is two cases.")
    assert (d.decision, d.provisional_rating, d.rating, d.flags, d.decided_by) == (
        "vary", "requires_improvement", "good", ("within_5_points",), LEAD)
    assert panel_decisions(ws, built.iid) == {"2.3": d}
    c = consolidate(ws, built.iid)
    t = c.table("2.3")
    assert (t.provisional_rating, t.rating, t.decision, t.decision_applied) == (
        "requires_improvement", "good", d, True)
    assert c.ratings.standards["2.3"].rating == "good"
    assert "2.3" not in c.pending_decisions
    action, item, old, new, actor = _audit(ws)[-1]
    assert (action, item, old, actor) == (
        "panel_decision", f"inspection:{built.iid}/standard:2.3", None, LEAD)
    assert json.loads(new or "") == {
        "decision": "vary", "provisional_rating": "requires_improvement", "rating": "good",
        "adjustment": 0, "flags": ["within_5_points"],
        "reason": "81% and 73% elsewhere; the shortfall is two cases.", "sitting": 1}
    # filtered views show the case data alone
    assert consolidate(ws, built.iid, Filters(pdu="North PDU")).table("2.3").rating == \
        "requires_improvement"
    # confirming afterwards replaces the decision, audited with the old one
    record_panel_decision(ws, built.iid, "2.3", decision="confirm")
    action, _item, old, new, _actor = _audit(ws)[-1]
    assert json.loads(old or "")["decision"] == "vary"
    assert json.loads(new or "")["rating"] == "requires_improvement"
    assert consolidate(ws, built.iid).table("2.3").rating == "requires_improvement"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"decision": "vary", "rating": "outstanding", "reason": "x"},
     "a variation moves the rating one band at most"),
    ({"decision": "vary", "rating": "good"}, "a reason is required to vary a rating"),
    ({"decision": "vary", "rating": "requires_improvement", "reason": "x"},
     "is the case data's rating: confirm it instead"),
    ({"decision": "vary", "reason": "x"}, "a variation needs the rating it varies to"),
    ({"decision": "vary", "rating": "great", "reason": "x"}, "'great' is not a rating"),
    ({"decision": "confirm", "rating": "good"}, "confirming keeps Requires improvement"),
    ({"decision": "confirm", "adjustment": 1, "reason": "x"}, "cannot be moved a band: no "
     "standard of nps-2019-20 can be"),
    ({"decision": "maybe"}, "'maybe' is not a decision"),
])
def test_bad_decisions_are_one_line_and_write_nothing(ws: Workspace, kwargs: dict[str, object],
                                                      message: str) -> None:
    built = _nps(ws, SECOND)
    before = _state(ws)
    with pytest.raises(ConsolidationError, match=message) as e:
        record_panel_decision(ws, built.iid, "2.3", **kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(e.value)
    assert _state(ws) == before


def test_unknown_standards_and_lead_rated_ones(ws: Workspace) -> None:
    built = _nps(ws, SECOND)
    with pytest.raises(ConsolidationError, match=r"'9.9' is not a standard of nps-2019-20"):
        record_panel_decision(ws, built.iid, "9.9", decision="confirm")
    with pytest.raises(ConsolidationError, match=r"1.1 has no lead rating yet"):
        record_panel_decision(ws, built.iid, "1.1", decision="confirm")
    with pytest.raises(ConsolidationError, match=r"2.1 has no case data yet"):
        record_panel_decision(ws, built.iid, "2.1", decision="confirm")
    set_lead_rating(ws, built.iid, "1.1", "good", evidence="Strong vision, shared widely.",
                    characteristics=["open and transparent", " ", "collaborative"])
    d = record_panel_decision(ws, built.iid, "1.1", decision="confirm")
    assert d.rating == "good"
    assert consolidate(ws, built.iid).table("1.1").decision_applied
    # the lead changes their rating after the panel: the decision no longer applies
    set_lead_rating(ws, built.iid, "1.1", "outstanding", evidence="New evidence.")
    t = consolidate(ws, built.iid).table("1.1")
    assert (t.rating, t.decision_applied) == ("outstanding", False)


def test_the_unpaid_work_adjustment(ws: Workspace) -> None:
    fw = load_framework("crc-2019-20")
    facts = {"sample": "unpaid_work", "gender": "male", "sentence_type": "community",
             "rosh": "medium"}
    built = add_inspection(ws, fw.id, worked_cases(
        fw.id, {"4.1.1": (30, 10, 0), "4.1.2": (29, 11, 0), "4.1.4": (31, 9, 0)}, facts, {}))
    assert consolidate(ws, built.iid).table("4.1").provisional_rating == "good"
    with pytest.raises(ConsolidationError, match="a reason is required to move a rating"):
        record_panel_decision(ws, built.iid, "4.1", decision="confirm", adjustment=1)
    with pytest.raises(ConsolidationError, match=r"cannot be moved a band: only 4.1 can be"):
        record_panel_decision(ws, built.iid, "2.1", decision="confirm", adjustment=1,
                              reason="x")
    with pytest.raises(ConsolidationError, match="the adjustment must be -1, 0 or 1"):
        record_panel_decision(ws, built.iid, "4.1", decision="confirm", adjustment=2,
                              reason="x")
    d = record_panel_decision(ws, built.iid, "4.1", decision="confirm", adjustment=1,
                              reason="Observed projects were excellent (4.1.3).")
    assert (d.rating, d.adjustment) == ("outstanding", 1)
    c = consolidate(ws, built.iid)
    assert c.table("4.1").rating == "outstanding"
    assert c.ratings.standards["4.1"].adjustment == 1


def test_lead_ratings_are_checked_and_audited(ws: Workspace) -> None:
    built = _nps(ws, FIRST)
    before = _state(ws)
    for args, message in [
        (("2.1", "good"), "standard 2.1 is rated from the case data"),
        (("1.1", "splendid"), "'splendid' is not a rating"),
        (("7.7", "good"), "'7.7' is not a standard"),
    ]:
        with pytest.raises(ConsolidationError, match=message):
            set_lead_rating(ws, built.iid, *args, evidence="e")
    with pytest.raises(ConsolidationError, match="the evidence must not be empty"):
        set_lead_rating(ws, built.iid, "1.2", "good", evidence="   ")
    assert _state(ws) == before
    set_lead_rating(ws, built.iid, "1.2", "requires_improvement",
                    evidence="Staffing gaps in two teams.", characteristics=["unresponsive"])
    r = lead_ratings(ws, built.iid)["1.2"]
    assert (r.rating, r.evidence, r.characteristics, r.decided_by) == (
        "requires_improvement", "Staffing gaps in two teams.", ("unresponsive",), LEAD)
    action, item, old, new, _actor = _audit(ws)[-1]
    assert (action, item, old) == ("lead_rating", f"inspection:{built.iid}/standard:1.2", None)
    assert json.loads(new or "")["rating"] == "requires_improvement"


def test_recommendations_progress_is_recorded_not_rated(ws: Workspace) -> None:
    built = _nps(ws, FIRST)
    rated = consolidate(ws, built.iid).ratings
    assert add_recommendation(ws, built.iid, "Improve risk assessments.") == 1
    assert add_recommendation(ws, built.iid, "Review caseloads.") == 2
    set_recommendation_progress(ws, built.iid, 1, "sufficient", "Audits show it.")
    recs = recommendations(ws, built.iid)
    assert [(r.number, r.text, r.progress, r.note) for r in recs] == [
        (1, "Improve risk assessments.", "sufficient", "Audits show it."),
        (2, "Review caseloads.", None, "")]
    assert consolidate(ws, built.iid).ratings == rated
    action, item, _old, new, _actor = _audit(ws)[-1]
    assert (action, item) == ("recommendation_progress",
                              f"inspection:{built.iid}/recommendation:1")
    assert json.loads(new or "") == {"progress": "sufficient", "note": "Audits show it."}
    before = _state(ws)
    with pytest.raises(ConsolidationError, match="'some' is not a progress"):
        set_recommendation_progress(ws, built.iid, 1, "some")
    with pytest.raises(ConsolidationError, match="no recommendation 9"):
        set_recommendation_progress(ws, built.iid, 9, "none")
    with pytest.raises(ConsolidationError, match="the recommendation must not be empty"):
        add_recommendation(ws, built.iid, "")
    assert _state(ws) == before


def test_an_unrated_framework_takes_no_ratings(ws: Workspace) -> None:
    fw = load_framework("dipp-2025")
    built = add_inspection(ws, fw.id, generated_cases(fw, random.Random(1), 5))
    sid = fw.standards[0].id
    with pytest.raises(ConsolidationError, match="framework dipp-2025 is not rated"):
        record_panel_decision(ws, built.iid, sid, decision="confirm")
    with pytest.raises(ConsolidationError, match="framework dipp-2025 is not rated"):
        set_lead_rating(ws, built.iid, sid, "good", evidence="e")


def test_only_the_leads_workspace_records_judgements(tmp_path: Path) -> None:
    from hmip_desktop.consolidation.dashboard import note_alert_action  # noqa: PLC0415

    ws = Workspace.create(tmp_path / "asr", PASSPHRASE, owner_name="Robin Assessor",
                          role="assessor")
    try:
        built = _nps(ws, SECOND)
        for call in (
            lambda: record_panel_decision(ws, built.iid, "2.3", decision="confirm"),
            lambda: set_lead_rating(ws, built.iid, "1.1", "good", evidence="e"),
            lambda: add_recommendation(ws, built.iid, "r"),
            lambda: set_recommendation_progress(ws, built.iid, 1, "none"),
            lambda: note_alert_action(ws, "any", "note"),
        ):
            with pytest.raises(ConsolidationError, match="only the lead inspector's workspace"):
                call()
        assert consolidate(ws, built.iid).cases == 130  # reading is for anyone
    finally:
        ws.close()
