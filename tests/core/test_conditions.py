"""Applicability and hurdles as the assessor answers: three-valued, flipping both ways."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.frameworks.conditions import evaluate, evaluate_case
from hmip_desktop.frameworks.loader import load_framework_file
from hmip_desktop.frameworks.model import AllOf, AnyOf, ApplicabilityRule, Not, Ref
from hmip_desktop.shipped_files import resource
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


# The oracle: Kleene's strong three-valued logic, written out by hand as its truth tables
# (T true, F false, U unknown), independent of ``evaluate``.
T, F, U = True, False, None
NOT_TABLE = {T: F, F: T, U: U}
AND_TABLE = {(T, T): T, (T, F): F, (T, U): U,
             (F, T): F, (F, F): F, (F, U): F,
             (U, T): U, (U, F): F, (U, U): U}
OR_TABLE = {(T, T): T, (T, F): T, (T, U): T,
            (F, T): T, (F, F): F, (F, U): U,
            (U, T): T, (U, F): U, (U, U): U}
# A reference "a in {x}" is true when a is x, false when it is y, unknown when a has no value.
VALUE_FOR = {T: "x", F: "y"}
A, B, C = Ref("a", frozenset({"x"})), Ref("b", frozenset({"x"})), Ref("c", frozenset({"x"}))


def kleene(cond: object, vals: dict[str, str]) -> bool | None:
    """The truth tables above applied to a condition tree (``all``/``any`` fold their items)."""
    if isinstance(cond, Ref):
        return U if cond.ref not in vals else vals[cond.ref] in cond.values
    if isinstance(cond, Not):
        return NOT_TABLE[kleene(cond.item, vals)]
    assert isinstance(cond, (AllOf, AnyOf))
    table, result = (AND_TABLE, T) if isinstance(cond, AllOf) else (OR_TABLE, F)
    for item in cond.items:
        result = table[result, kleene(item, vals)]
    return result


def classical(cond: object, vals: dict[str, str]) -> bool:
    """Two-valued logic, for when every value is known."""
    if isinstance(cond, Ref):
        return vals[cond.ref] in cond.values
    if isinstance(cond, Not):
        return not classical(cond.item, vals)
    assert isinstance(cond, (AllOf, AnyOf))
    combine = all if isinstance(cond, AllOf) else any
    return combine(classical(item, vals) for item in cond.items)


def case(**states: bool | None) -> dict[str, str]:
    """Values making each named reference (a, b, c) true, false or unknown."""
    return {name: VALUE_FOR[state] for name, state in states.items() if state is not None}


@pytest.mark.parametrize("p", [T, F, U])
def test_not_follows_its_truth_table(p: bool | None) -> None:
    assert evaluate(Not(A), case(a=p)) is NOT_TABLE[p]


@pytest.mark.parametrize(("p", "q"), list(AND_TABLE))
def test_all_and_any_of_two_follow_their_truth_tables(p: bool | None, q: bool | None) -> None:
    vals = case(a=p, b=q)
    assert evaluate(AllOf((A, B)), vals) is AND_TABLE[p, q]
    assert evaluate(AnyOf((A, B)), vals) is OR_TABLE[p, q]


@pytest.mark.parametrize("states", list(itertools.product([T, F, U], repeat=3)))
def test_all_and_any_of_three_fold_the_truth_tables(states: tuple[bool | None, ...]) -> None:
    p, q, r = states
    vals = case(a=p, b=q, c=r)
    assert evaluate(AllOf((A, B, C)), vals) is AND_TABLE[AND_TABLE[p, q], r]
    assert evaluate(AnyOf((A, B, C)), vals) is OR_TABLE[OR_TABLE[p, q], r]


@given(conds, values)
def test_known_values_give_classical_logic(cond: object, vals: dict[str, str]) -> None:
    full = {"a": vals.get("a", "x"), "b": vals.get("b", "y")}
    assert evaluate(cond, full) is classical(cond, full)  # type: ignore[arg-type]


@given(conds, values)
def test_any_condition_follows_the_truth_tables(cond: object, vals: dict[str, str]) -> None:
    assert evaluate(cond, vals) is kleene(cond, vals)  # type: ignore[arg-type]


@given(conds, values, st.sampled_from(["a", "b"]), st.sampled_from(["x", "y"]))
def test_unknown_resolves_consistently(cond: object, vals: dict[str, str], key: str,
                                       v: str) -> None:
    """Kleene logic is monotone: once a value becomes known, a known result never changes."""
    before = evaluate(cond, vals)  # type: ignore[arg-type]
    after = evaluate(cond, {**vals, key: vals.get(key, v)})  # type: ignore[arg-type]
    if before is not None:
        assert after == before


def _walk_every_item(fw: object, direct: dict[str, str]) -> dict[str, str]:
    """The reasons as the whole framework walked item by item gives them (the reference)."""
    out: dict[str, str] = {}
    for s in fw.standards:  # type: ignore[attr-defined]
        s_reason = direct.get(s.id)
        for k in s.key_questions:
            k_reason = s_reason or direct.get(k.id)
            for p in k.prompts:
                p_reason = k_reason or direct.get(p.id)
                if p_reason:
                    out[p.id] = p_reason
            if k_reason:
                out[k.id] = k_reason
        if s_reason:
            out[s.id] = s_reason
    return out


SHIPPED = load_framework_file(resource("frameworks", "nps-2019-20.json"))
_ITEMS = sorted({*SHIPPED.standards_by_id, *SHIPPED.key_questions_by_id,
                 *SHIPPED.prompts_by_id})


@given(st.lists(st.tuples(st.sampled_from(_ITEMS), st.sampled_from(["r1", "r2", "r3"])),
                max_size=8))
def test_rules_that_do_not_apply_mark_the_same_items_as_walking_every_item(
        named: list[tuple[str, str]]) -> None:
    """Walking only the subtrees the rules name gives every reason, in the same order."""
    never = Ref("sentence_type", frozenset({"no such sentence"}))
    rules = tuple(ApplicabilityRule(f"rule{n}", (item,), never, reason)
                  for n, (item, reason) in enumerate(named))
    fw = replace(SHIPPED, applicability=rules, hurdles=())
    direct: dict[str, str] = {}
    for item, reason in named:
        direct.setdefault(item, reason)
    got = evaluate_case(fw, {"sentence_type": "community"}).not_applicable
    want = _walk_every_item(fw, direct)
    assert list(got.items()) == list(want.items())
