"""Sample sizes and the fairness table: 80% confidence, 5 points, population against sample."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.sampling.model import SamplingError
from hmip_desktop.sampling.sizes import fairness, margin_of_error, size_for


def test_the_manuals_figures_at_80_percent_and_5_points() -> None:
    assert size_for(10**9) == 165  # z = 1.2816: 1.2816² × 0.25 / 0.05² = 164.2, rounded up
    assert size_for(400) == 117  # a month's commencements: within the manuals' 100 to 148
    assert margin_of_error(100, 400) == pytest.approx(0.0556, abs=1e-4)
    assert margin_of_error(50, 50) == 0.0


@settings(deadline=None, max_examples=200)
@given(st.integers(1, 200_000), st.sampled_from([0.03, 0.05, 0.1]))
def test_the_size_is_the_smallest_that_reaches_the_margin(population: int, margin: float) -> None:
    n = size_for(population, margin)
    assert 1 <= n <= population
    assert margin_of_error(n, population) <= margin
    if n > 1:
        assert margin_of_error(n - 1, population) > margin


def test_a_sample_larger_than_its_population_is_refused() -> None:
    with pytest.raises(SamplingError, match="A sample of 12 cannot be drawn from 10 cases"):
        margin_of_error(12, 10)


def test_fairness_shows_population_and_sample_percent_per_variable() -> None:
    population = {("Male", "High"): 30, ("Male", "Low"): 50, ("Female", "Low"): 20}
    sample = {("Male", "High"): 3, ("Male", "Low"): 5, ("Female", "Low"): 2}
    rows = fairness(population, sample, ["Gender", "RoSH"])
    assert [(r.variable, r.value, r.population, r.population_percent, r.sample,
             r.sample_percent) for r in rows] == [
        ("Gender", "Female", 20, 20.0, 2, 20.0), ("Gender", "Male", 80, 80.0, 8, 80.0),
        ("RoSH", "High", 30, 30.0, 3, 30.0), ("RoSH", "Low", 70, 70.0, 7, 70.0)]
