"""Cohen's kappa and agreement against hand-computed examples, and their properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.training.kappa import agreement, cohen_kappa, kappa_band, kappa_meaning


def pairs(a: str, b: str) -> list[tuple[str, str]]:
    return list(zip(a.split(), b.split(), strict=True))


def test_a_hand_computed_example_with_two_answers() -> None:
    # 10 items: both yes 6, both no 2, A yes/B no 1, A no/B yes 1.
    # po = 8/10; A yes 7/10, B yes 7/10; pe = .49 + .09 = .58; kappa = .22/.42 = 11/21.
    p = [("yes", "yes")] * 6 + [("no", "no")] * 2 + [("yes", "no"), ("no", "yes")]
    assert agreement(p) == Fraction(4, 5)
    assert cohen_kappa(p) == pytest.approx(11 / 21)
    assert kappa_band(cohen_kappa(p)) == "moderate agreement"  # 0.52


def test_a_hand_computed_example_with_no_answer_as_an_answer_of_its_own() -> None:
    # benchmark: yes yes no na ; trainee: yes no no (none)
    # po = 2/4; A: yes 2, no 1, na 1; B: yes 1, no 2, none 1
    # pe = (2*1 + 1*2 + 1*0 + 0*1) / 16 = 4/16; kappa = (1/2 - 1/4) / (3/4) = 1/3
    p = [("yes", "yes"), ("yes", "no"), ("no", "no"), ("na", "")]
    assert agreement(p) == Fraction(1, 2)
    assert cohen_kappa(p) == pytest.approx(1 / 3)


def test_worse_than_chance_is_negative_and_said_so() -> None:
    p = pairs("yes no yes no", "no yes no yes")  # po 0, pe 1/2 → -1
    assert cohen_kappa(p) == pytest.approx(-1.0)
    assert kappa_band(-1.0) == "less agreement than chance would give"


def test_kappa_is_not_defined_when_both_gave_one_same_answer_throughout() -> None:
    p = pairs("yes yes yes", "yes yes yes")
    assert agreement(p) == 1
    assert cohen_kappa(p) is None
    assert cohen_kappa([]) is None and agreement([]) is None
    assert "not defined" in kappa_meaning(None)


def test_the_meaning_is_spelled_out() -> None:
    text = kappa_meaning(0.7)
    assert "0.70" in text and "substantial agreement" in text and "chance" in text


ANSWERS = st.sampled_from(["yes", "no", "na", ""])
PAIRS = st.lists(st.tuples(ANSWERS, ANSWERS), min_size=1, max_size=60)


@given(st.lists(ANSWERS, min_size=1, max_size=60))
def test_identical_answers_give_kappa_one_where_defined(answers: list[str]) -> None:
    k = cohen_kappa([(a, a) for a in answers])
    assert k is None or k == pytest.approx(1.0)
    assert (k is None) == (len(set(answers)) == 1)


@given(PAIRS)
def test_kappa_is_symmetric_and_at_most_one(p: list[tuple[str, str]]) -> None:
    k = cohen_kappa(p)
    assert k == (None if k is None else pytest.approx(cohen_kappa([(b, a) for a, b in p])))
    if k is not None:
        assert -1.0 - 1e-9 <= k <= 1.0 + 1e-9
        assert (k == pytest.approx(1.0)) == all(a == b for a, b in p)


@given(PAIRS)
def test_agreement_is_the_share_of_matching_pairs(p: list[tuple[str, str]]) -> None:
    share = agreement(p)
    assert share is not None and 0 <= share <= 1
    assert share * len(p) == sum(a == b for a, b in p)
