"""Applicability and hurdles as the assessor answers: three-valued, flipping both ways."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.frameworks.conditions import evaluate, evaluate_case
from hmip_desktop.frameworks.model import AllOf, AnyOf, Not, Ref
from tests.core.framework_fixture import tiny_framework

FW = tiny_framework()


def test_post_custody_prompt_applies_only_to_post_custody_cases() -> None:
    community = evaluate_case(FW, {"sentence_type": "community"})
    assert not community.applies("2.1.2.c")
    assert community.not_applicable["2.1.2.c"] == "Post-custody cases only."
    assert evaluate_case(FW, {"sentence_type": "post_custody"}).applies("2.1.2.c")


def test_low_rosh_makes_the_key_question_and_its_prompts_not_applicable_and_back() -> None:
    low = evaluate_case(FW, {"inspector_rosh": "low"})
    assert not low.applies("2.1.3")
    assert all(not low.applies(f"2.1.3.{c}") for c in "abcd")
    high = evaluate_case(FW, {"inspector_rosh": "high"})
    assert high.applies("2.1.3") and high.applies("2.1.3.a")


def test_unknown_condition_leaves_items_applicable_and_hurdles_silent() -> None:
    rules = evaluate_case(FW, {})
    assert rules.applies("2.1.3")
    assert rules.forced == {}


def test_hurdle_forces_no_while_its_prompt_is_no() -> None:
    rules = evaluate_case(FW, {"inspector_rosh": "high", "2.1.3.d": "no"})
    assert rules.forced["2.1.3"] == ("no", "Insufficient safeguarding assessment.")
    assert evaluate_case(FW, {"inspector_rosh": "high", "2.1.3.d": "yes"}).forced == {}


def test_hurdle_on_a_not_applicable_key_question_does_not_fire() -> None:
    assert evaluate_case(FW, {"inspector_rosh": "low", "2.1.3.d": "no"}).forced == {}


values = st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(["x", "y"]))
leaf = st.builds(Ref, st.sampled_from(["a", "b"]), st.frozensets(st.sampled_from(["x", "y"])))
conds = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(Not, inner),
    st.builds(AllOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
    st.builds(AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
), max_leaves=8)


@given(conds, values)
def test_known_values_give_classical_logic(cond: object, vals: dict[str, str]) -> None:
    full = {"a": vals.get("a", "x"), "b": vals.get("b", "y")}
    assert evaluate(cond, full) in (True, False)  # type: ignore[arg-type]


@given(conds, values, st.sampled_from(["a", "b"]), st.sampled_from(["x", "y"]))
def test_unknown_resolves_consistently(cond: object, vals: dict[str, str], key: str,
                                       v: str) -> None:
    """Kleene logic is monotone: once a value becomes known, a known result never changes."""
    before = evaluate(cond, vals)  # type: ignore[arg-type]
    after = evaluate(cond, {**vals, key: vals.get(key, v)})  # type: ignore[arg-type]
    if before is not None:
        assert after == before
