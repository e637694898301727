"""The rating rules of 000_ §7.1-7.2 / 003_ §4, on a framework built in the test."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.rules.ratings import (
    Tally,
    band_for,
    discretion_flags,
    rate,
    tally_cases,
    whole_percent,
)
from hmip_desktop.rules.scale import RATINGS, SCORE, shift
from tests.core.framework_fixture import tiny_framework

FW = tiny_framework()
BANDS = FW.rating_bands


def reference_round(yes: int, n: int) -> int:
    exact = Decimal(100 * yes) / Decimal(n)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_whole_percent_rounds_half_up(yn: tuple[int, int]) -> None:
    yes, n = yn
    assert whole_percent(yes, n) == reference_round(yes, n)


@pytest.mark.parametrize(
    ("percent", "band"),
    [(0, "inadequate"), (49, "inadequate"), (50, "requires_improvement"),
     (64, "requires_improvement"), (65, "good"), (79, "good"), (80, "outstanding"),
     (100, "outstanding")],
)
def test_band_boundaries(percent: int, band: str) -> None:
    assert band_for(percent, BANDS) == band


def test_half_percent_rounds_up_into_the_next_band() -> None:
    # 129/200 = 64.5% shows as 65% and is therefore Good, not Requires improvement.
    assert whole_percent(129, 200) == 65
    result = rate(FW, {"2.1.1": Tally(129, 71)})
    assert result.key_questions["2.1.1"].band == "good"


@given(st.integers(1, 400).flatmap(
    lambda n: st.tuples(st.integers(0, n), st.integers(0, n), st.just(n))))
def test_band_never_falls_as_yes_rises(t: tuple[int, int, int]) -> None:
    a, b, n = t
    lo, hi = sorted((a, b))
    assert SCORE[band_for(whole_percent(lo, n), BANDS)] <= SCORE[
        band_for(whole_percent(hi, n), BANDS)]


tallies = st.builds(Tally, st.integers(0, 60), st.integers(0, 60), st.integers(0, 10))


@given(st.fixed_dictionaries({"2.1.1": tallies, "2.1.2": tallies, "2.1.3": tallies}))
def test_standard_rating_is_the_lowest_band_of_answered_key_questions(t: dict[str, Tally]) -> None:
    result = rate(FW, t)
    s = result.standards["2.1"]
    bands = [result.key_questions[k].band for k in t if t[k].n > 0]
    if not bands:
        assert s.rating is None and s.lowest_key_questions == ()
        return
    assert s.rating == min(bands, key=SCORE.__getitem__)
    lowest = min(result.key_questions[k].exact for k in t if t[k].n > 0)  # type: ignore[type-var]
    assert set(s.lowest_key_questions) == {
        k for k in t if t[k].n > 0 and result.key_questions[k].exact == lowest}
    assert list(s.discretion) == sorted(set(s.discretion))


def test_key_question_with_no_answers_has_no_percent_or_band() -> None:
    result = rate(FW, {"2.1.1": Tally(0, 0, 7)})
    r = result.key_questions["2.1.1"]
    assert (r.percent, r.band, r.tally.na) == (None, None, 7)


def test_discretion_within_five_points_is_inclusive_and_exact() -> None:
    # 60% exactly is 5 points below 65: flagged; 59.9% is not within 5 of 65 but 9.9 above 50.
    assert "within_5_points" in discretion_flags(FW, Tally(60, 40))
    assert "within_5_points" in discretion_flags(FW, Tally(70, 30))
    assert "within_5_points" not in discretion_flags(FW, Tally(599, 401))
    assert "within_5_points" not in discretion_flags(FW, Tally(72, 28))


def test_discretion_one_case_changes_band() -> None:
    # 13/20 = 65%: one case fewer is 60% (RI).
    assert "one_case_changes_band" in discretion_flags(FW, Tally(13, 7))
    # 95/130 = 73%: neither 94 nor 96 leaves Good.
    assert "one_case_changes_band" not in discretion_flags(FW, Tally(95, 35))


def test_discretion_small_samples() -> None:
    assert "five_or_fewer_cases" in discretion_flags(FW, Tally(5, 0))
    assert "five_or_fewer_cases" not in discretion_flags(FW, Tally(5, 1))


@given(tallies)
def test_discretion_flags_follow_their_definitions(t: Tally) -> None:
    flags = discretion_flags(FW, t)
    if t.n == 0:
        assert flags == set()
        return
    band = band_for(whole_percent(t.yes, t.n), BANDS)
    flipped = {band_for(whole_percent(y, t.n), BANDS) for y in (t.yes - 1, t.yes + 1)
               if 0 <= y <= t.n}
    assert ("one_case_changes_band" in flags) == bool(flipped - {band})
    assert ("five_or_fewer_cases" in flags) == (t.n <= 5)
    near = any(abs(100 * t.yes - b * t.n) <= 5 * t.n for b in (50, 65, 80))
    assert ("within_5_points" in flags) == near


@pytest.mark.parametrize(("rating", "adj", "expected"), [
    ("good", 1, "outstanding"), ("good", -1, "requires_improvement"),
    ("outstanding", 1, "outstanding"), ("inadequate", -1, "inadequate"), ("good", 0, "good"),
])
def test_unpaid_work_adjustment_moves_one_band_clamped(rating: str, adj: int,
                                                       expected: str) -> None:
    yes = {"inadequate": 4, "requires_improvement": 6, "good": 7, "outstanding": 9}[rating]
    result = rate(FW, {"2.2.1": Tally(yes, 10 - yes)}, adjustments={"2.2": adj})
    s = result.standards["2.2"]
    assert s.provisional_rating == rating
    assert s.rating == expected


def test_lead_rated_standards_are_inputs_and_overall_needs_every_standard() -> None:
    t = {"2.1.1": Tally(9, 1), "2.2.1": Tally(7, 3)}
    without = rate(FW, t)
    assert without.standards["1.1"].rating is None
    assert without.overall.rating is None
    assert without.overall.reason is not None and "1.1" in without.overall.reason
    result = rate(FW, t, lead_ratings={"1.1": "good"})
    assert result.standards["1.1"].rating == "good"
    # 1.1 good (2) + 2.1 outstanding (3) + 2.2 good (2) = 7 → good (5-7).
    assert (result.overall.score, result.overall.max, result.overall.rating) == (7, 9, "good")


@given(st.lists(st.sampled_from(RATINGS), min_size=3, max_size=3))
def test_overall_is_the_banded_sum_of_scores(ratings: list[str]) -> None:
    lead, s21, s22 = ratings
    yes = {"inadequate": 4, "requires_improvement": 6, "good": 7, "outstanding": 9}
    t = {"2.1.1": Tally(yes[s21], 10 - yes[s21]), "2.2.1": Tally(yes[s22], 10 - yes[s22])}
    result = rate(FW, t, lead_ratings={"1.1": lead})
    score = SCORE[lead] + SCORE[s21] + SCORE[s22]
    assert result.overall.score == score
    expected = next(b.rating for b in FW.overall_bands if b.min_score <= score <= b.max_score)
    assert result.overall.rating == expected


@given(st.sampled_from(RATINGS), st.integers(-5, 5))
def test_shift_stays_on_the_scale(rating: str, steps: int) -> None:
    assert shift(rating, steps) in RATINGS
    assert abs(SCORE[shift(rating, steps)] - SCORE[rating]) <= abs(steps)


def test_tally_cases_counts_answers() -> None:
    t = tally_cases([{"2.1.1": "yes"}, {"2.1.1": "no", "2.1.2": "na"}, {"2.1.1": "yes"}])
    assert t["2.1.1"] == Tally(2, 1, 0)
    assert t["2.1.2"] == Tally(0, 0, 1)
