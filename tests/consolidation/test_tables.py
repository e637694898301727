"""Consolidated tables: equal to the rules engine on the same answers, the manuals' examples,
filters, and which cases count."""

from __future__ import annotations

import random

import pytest

from hmip_desktop.assessment.completeness import effective_judgements
from hmip_desktop.consolidation.counting import FINAL, PROVISIONAL, CountRule
from hmip_desktop.consolidation.panel import set_lead_rating
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import Filters, consolidate, filter_options
from hmip_desktop.frameworks import available_frameworks, load_framework
from hmip_desktop.rules.ratings import rate, tally_cases
from hmip_desktop.rules.ratings_report import ratings_json
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import Case, add_inspection, generated_cases, worked_cases

FRAMEWORKS = available_frameworks()
NPS_SUPERVISION = {"sample": "supervision", "gender": "male", "sentence_type": "community",
                   "rosh": "high"}
LOW_ROSH = {"case:inspector_rosh": "low"}


def _expected(fw, cases: list[Case], lead: dict[str, str] | None = None,  # type: ignore[no-untyped-def]
              rule: CountRule = FINAL):
    counted = [c for c in cases if c.items and c.items.get("record:excluded") != "yes"
               and c.items.get("record:conflict_declared") != "yes"
               and (c.status == "complete" or rule.include_in_progress)]
    maps = [effective_judgements(fw, c.facts, c.items) for c in counted]
    return rate(fw, tally_cases(maps), lead), len(counted)


@pytest.mark.parametrize("seed", range(8))
def test_generated_inspections_equal_the_rules_engine(ws: Workspace, seed: int) -> None:
    rng = random.Random(seed)
    fw = FRAMEWORKS[seed % len(FRAMEWORKS)]
    cases = generated_cases(fw, rng, rng.randint(5, 60))
    built = add_inspection(ws, fw.id, cases)
    rule = (FINAL, PROVISIONAL)[seed % 2]
    got = consolidate(ws, built.iid, rule=rule)
    expected, n = _expected(fw, cases, rule=rule)
    assert got.cases == n
    assert ratings_json(got.ratings) == ratings_json(expected)
    assert got.rated == fw.rated
    assert sum(got.left_out.values()) == len(cases) - n
    for t in got.tables:
        for row in t.rows:
            r = expected.key_questions[row.kq_id]
            assert (row.yes, row.no, row.na, row.n, row.percent, row.exact, row.band) == (
                r.tally.yes, r.tally.no, r.tally.na, r.tally.n, r.percent, r.exact, r.band)
            assert row.subsample == (r.tally.na > 0)
        if fw.rated:
            s = expected.standards[t.standard_id]
            assert (t.provisional_rating, t.rating, t.lowest_key_questions) == (
                s.provisional_rating, s.rating, s.lowest_key_questions)
            assert tuple(f for f, _why in t.discretion) == s.discretion


@pytest.mark.parametrize("seed", range(3))
def test_filtered_consolidation_counts_only_the_chosen_cases(ws: Workspace, seed: int) -> None:
    rng = random.Random(100 + seed)
    fw = load_framework(("nps-2019-20", "youth-2019-20", "crc-2019-20")[seed])
    cases = generated_cases(fw, rng, 60)
    built = add_inspection(ws, fw.id, cases)
    gender = rng.choice(fw.fields_by_id["gender"].values)
    filters = Filters(pdu="North PDU", team="Team A", facts={"gender": gender})
    chosen = [c for c in cases if c.pdu == "North PDU" and c.team == "Team A"
              and c.facts["gender"] == gender]
    got = consolidate(ws, built.iid, filters)
    expected, n = _expected(fw, chosen)
    assert got.cases == n
    assert ratings_json(got.ratings) == ratings_json(expected)
    assert got.filters == filters
    assert got.pending_decisions == ()


def test_filter_options_list_pdus_teams_and_case_facts(ws: Workspace) -> None:
    fw = load_framework("nps-2019-20")
    cases = generated_cases(fw, random.Random(7), 20)
    built = add_inspection(ws, fw.id, cases)
    options = filter_options(ws, built.iid)
    assert options["pdu"] == sorted({c.pdu for c in cases})
    assert options["team"] == sorted({c.team for c in cases})
    assert options["gender"] == ["male", "female"]
    assert options["rosh"] == ["low", "medium", "high", "very_high"]
    assert set(options) == {"pdu", "team", *(f.id for f in fw.case_facts)}


def test_an_unknown_filter_is_one_line(ws: Workspace) -> None:
    built = add_inspection(ws, "nps-2019-20", [])
    with pytest.raises(ConsolidationError, match="'shoe_size' is not a case fact"):
        consolidate(ws, built.iid, Filters(facts={"shoe_size": "9"}))
    with pytest.raises(ConsolidationError, match="'purple' is not a value of rosh"):
        consolidate(ws, built.iid, Filters(facts={"rosh": "purple"}))
    with pytest.raises(ConsolidationError, match="no inspection 'nope'"):
        consolidate(ws, "nope")


def test_excluded_conflicted_and_unstarted_cases_are_left_out(ws: Workspace) -> None:
    base = {"record:conflict_declared": "no", "record:excluded": "no", "2.1.1": "yes"}
    cases = [Case(NPS_SUPERVISION, base),
             Case(NPS_SUPERVISION, {**base, "record:excluded": "yes", "2.1.1": "no"}),
             Case(NPS_SUPERVISION, {**base, "record:conflict_declared": "yes", "2.1.1": "no"}),
             Case(NPS_SUPERVISION, {}, status="not_started"),
             Case(NPS_SUPERVISION, {**base, "2.1.1": "no"}, status="in_progress")]
    built = add_inspection(ws, "nps-2019-20", cases)
    got = consolidate(ws, built.iid)
    assert got.cases == 1
    assert {k: v for k, v in got.left_out.items() if v} == {
        "excluded": 1, "conflict": 1, "not_started": 1, "in_progress": 1}
    assert got.incomplete == 0
    row = got.table("2.1").rows[0]
    assert (row.kq_id, row.yes, row.no, row.percent) == ("2.1.1", 1, 0, 100)
    live = consolidate(ws, built.iid, rule=PROVISIONAL)
    assert live.cases == 2
    assert live.incomplete == 1
    row = live.table("2.1").rows[0]
    assert (row.kq_id, row.yes, row.no, row.percent) == ("2.1.1", 1, 1, 50)


def test_the_first_probation_example_through_a_workspace(ws: Workspace) -> None:
    """000_ §7.1: 73%, 66%, 56% with a sub-sample → Requires improvement, no discretion."""
    cases = worked_cases("nps-2019-20", {"2.3.1": (95, 35, 0), "2.3.2": (86, 44, 0),
                                         "2.3.3": (53, 42, 35)}, NPS_SUPERVISION, LOW_ROSH)
    built = add_inspection(ws, "nps-2019-20", cases)
    t = consolidate(ws, built.iid).table("2.3")
    assert [(r.kq_id, r.yes, r.percent, r.no, r.no_percent, r.subsample) for r in t.rows] == [
        ("2.3.1", 95, 73, 35, 27, False), ("2.3.2", 86, 66, 44, 34, False),
        ("2.3.3", 53, 56, 42, 44, True)]
    assert t.title == "Implementation and delivery"
    assert t.provisional_rating == "requires_improvement"
    assert t.discretion == ()


def test_the_discretion_example_through_a_workspace(ws: Workspace) -> None:
    """000_ §7.1: lowest 63% is within five points of the Good boundary."""
    cases = worked_cases("nps-2019-20", {"2.3.1": (105, 25, 0), "2.3.2": (95, 35, 0),
                                         "2.3.3": (60, 35, 35)}, NPS_SUPERVISION, LOW_ROSH)
    built = add_inspection(ws, "nps-2019-20", cases)
    t = consolidate(ws, built.iid).table("2.3")
    assert [r.percent for r in t.rows] == [81, 73, 63]
    assert [r.band for r in t.rows] == ["outstanding", "good", "requires_improvement"]
    assert t.provisional_rating == "requires_improvement"
    assert t.lowest_key_questions == ("2.3.3",)
    (flag, why), = t.discretion
    assert flag == "within_5_points"
    assert "2.3.3 is 63% (60 of 95)" in why
    assert "65% boundary between Requires improvement and Good" in why


def test_the_youth_planning_example_through_a_workspace(ws: Workspace) -> None:
    """001_ §7.1: 78%, 63%, 72%, each on a sub-sample → Requires improvement, lowest 63%."""
    facts = {"sample": "post_court", "gender": "male", "disposal_type": "referral_order",
             "rosh": "high", "safety_wellbeing": "high"}
    fw = load_framework("youth-2019-20")
    # One case out of 2.2.1's sub-sample is not possible by the rules; give its na directly.
    cases = worked_cases("youth-2019-20", {"2.2.2": (12, 7, 5)}, facts,
                         {"case:inspector_safety_wellbeing": "none"})
    cases = [Case(c.facts, {**c.items, "2.2.1": v}) for c, v in zip(
        cases, ["yes"] * 18 + ["no"] * 5 + ["na"], strict=True)]
    cases = [Case(c.facts, {**c.items, "2.2.3": v} if v else dict(c.items)) for c, v in zip(
        cases, ["yes"] * 13 + ["no"] * 5 + ["na"] * 6, strict=True)]
    built = add_inspection(ws, fw.id, cases)
    t = consolidate(ws, built.iid).table("2.2")
    assert [(r.percent, r.no_percent) for r in t.rows] == [(78, 22), (63, 37), (72, 28)]
    assert t.provisional_rating == "requires_improvement"
    assert t.lowest_key_questions == ("2.2.2",)
    assert "within_5_points" in dict(t.discretion)


def test_the_mock_division_is_overall_good_with_the_leads_ratings(ws: Workspace) -> None:
    """003_ §4.4: the mock NPS division, overall Good (20 of 30)."""
    fw = load_framework("nps-2019-20")
    wanted = {"2.1": (14, 20), "2.2": (14, 20), "2.3": (14, 20), "2.4": (12, 20)}
    per_kq = {k.id: (y, n - y, 0) for s in fw.standards if s.id in wanted
              for k in s.key_questions if fw.is_case_answered(k) for y, n in [wanted[s.id]]}
    court = {**NPS_SUPERVISION, "sample": "court_report"}
    victim = {**NPS_SUPERVISION, "sample": "victim"}
    cases = worked_cases(fw.id, per_kq, NPS_SUPERVISION, {})
    cases += worked_cases(fw.id, {"3.1.1": (7, 3, 0), "3.1.2": (7, 3, 0)}, court, {})
    cases += worked_cases(fw.id, {k: (5, 0, 0) for k in ("3.2.1", "3.2.2", "3.2.3", "3.2.4")},
                          victim, {})
    built = add_inspection(ws, fw.id, cases)
    before = consolidate(ws, built.iid)
    assert before.ratings.overall.rating is None
    assert before.ratings.overall.reason == "no rating yet for standards 1.1, 1.2, 1.3, 1.4"
    for sid, rating in {"1.1": "good", "1.2": "good", "1.3": "outstanding",
                        "1.4": "requires_improvement"}.items():
        set_lead_rating(ws, built.iid, sid, rating, evidence="Interviews and documents.")
    c = consolidate(ws, built.iid)
    assert {t.standard_id: t.rating for t in c.tables} == {
        "1.1": "good", "1.2": "good", "1.3": "outstanding", "1.4": "requires_improvement",
        "2.1": "good", "2.2": "good", "2.3": "good", "2.4": "requires_improvement",
        "3.1": "good", "3.2": "outstanding"}
    o = c.ratings.overall
    assert (o.score, o.max, o.rating, o.reason) == (20, 30, "good", None)
    assert c.table("1.1").lead_rating is not None
    assert c.table("1.1").rated_by == "lead" and c.table("1.1").rows == ()


def test_an_unrated_framework_gives_tables_without_ratings(ws: Workspace) -> None:
    fw = load_framework("dipp-2025")
    built = add_inspection(ws, fw.id, generated_cases(fw, random.Random(3), 15))
    c = consolidate(ws, built.iid)
    assert not c.rated
    assert c.ratings.standards == {}
    assert c.ratings.overall.reason == "this framework is not rated"
    assert all(t.provisional_rating is None and t.discretion == () for t in c.tables)
    assert all(r.band is None for t in c.tables for r in t.rows)
    assert any(r.percent is not None for t in c.tables for r in t.rows)


def test_the_youth_assessment_example_through_a_workspace(ws: Workspace) -> None:
    """001_ §7.1: 23 cases; 87%, 65%, 61% → Requires improvement."""
    facts = {"sample": "post_court", "gender": "female", "disposal_type": "referral_order",
             "rosh": "medium", "safety_wellbeing": "medium"}
    cases = worked_cases("youth-2019-20", {"2.1.1": (20, 3, 0), "2.1.2": (15, 8, 0),
                                           "2.1.3": (14, 9, 0)}, facts, {})
    built = add_inspection(ws, "youth-2019-20", cases)
    c = consolidate(ws, built.iid)
    t = c.table("2.1")
    assert c.cases == 23
    assert [(r.percent, r.no_percent, r.band) for r in t.rows] == [
        (87, 13, "outstanding"), (65, 35, "good"), (61, 39, "requires_improvement")]
    assert t.provisional_rating == "requires_improvement"
