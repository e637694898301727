"""Evaluate applicability rules and hurdles for one case.

Conditions use three-valued logic: a reference with no value yet is *unknown* (None). An
applicability rule that is unknown leaves its items applicable, so the form asks rather than
hides; a hurdle that is unknown does not fire.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from hmip_desktop.frameworks.model import (
    AllOf,
    Answer,
    AnyOf,
    Condition,
    Framework,
    Not,
    Ref,
)


def refs(cond: Condition) -> Iterator[Ref]:
    """Every reference in ``cond``, depth first (a reference may appear more than once)."""
    if isinstance(cond, Ref):
        yield cond
    elif isinstance(cond, Not):
        yield from refs(cond.item)
    else:
        for c in cond.items:
            yield from refs(c)


def evaluate(cond: Condition, values: Mapping[str, str]) -> bool | None:
    if isinstance(cond, Ref):
        v = values.get(cond.ref)
        return None if v is None else v in cond.values
    if isinstance(cond, Not):
        inner = evaluate(cond.item, values)
        return None if inner is None else not inner
    results = [evaluate(c, values) for c in cond.items]
    if isinstance(cond, AllOf):
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    assert isinstance(cond, AnyOf)
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


@dataclass(frozen=True)
class CaseRules:
    """What the framework's rules say about one case as it stands."""

    not_applicable: Mapping[str, str]
    """Item id (standard, key question or prompt) → why it does not apply to this case."""
    forced: Mapping[str, tuple[Answer, str]]
    """Key question id → (the judgement a hurdle forces, the hurdle's reason)."""

    def applies(self, item_id: str) -> bool:
        return item_id not in self.not_applicable


# How many outcomes each framework keeps. Cases share few combinations of the values its
# rules refer to (the sample, the sentence, the RoSH levels, a hurdle's prompts), so a QA run
# over an inspection works each one out once; past this many the memo starts again.
_MEMO_LIMIT = 4096


def evaluate_case(framework: Framework, values: Mapping[str, str]) -> CaseRules:
    """Apply every applicability rule and hurdle to a case.

    ``values`` maps case fact ids, case question ids and prompt ids to their current values.
    The outcome depends only on the values the rules refer to, and is kept per framework
    for those values (the returned rules are shared: read them, never change them).
    """
    referred, memo = _rules_memo(framework)
    key = tuple(values.get(r) for r in referred)
    held = memo.get(key)
    if held is None:
        held = _evaluate_case(framework, values)
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = held
    return held


def referred_ids(framework: Framework) -> tuple[str, ...]:
    """The ids the framework's applicability rules and hurdles refer to (sorted)."""
    return _rules_memo(framework)[0]


def _rules_memo(framework: Framework) -> tuple[tuple[str, ...], dict[tuple[str | None, ...],
                                                                      CaseRules]]:
    """The ids the framework's rules and hurdles refer to, and its memo of outcomes."""
    held = framework.__dict__.get("_rules_memo")
    if held is None:
        referred = {r.ref for rule in framework.applicability for r in refs(rule.applies_when)}
        referred |= {r.ref for h in framework.hurdles for r in refs(h.when)}
        held = (tuple(sorted(referred)), {})
        object.__setattr__(framework, "_rules_memo", held)  # frozen: a cache, as model's own
    return held


def _evaluate_case(framework: Framework, values: Mapping[str, str]) -> CaseRules:
    direct: dict[str, str] = {}
    for rule in framework.applicability:
        if evaluate(rule.applies_when, values) is False:
            for item in rule.items:
                direct.setdefault(item, rule.reason)
    not_applicable: dict[str, str] = {}
    if direct:
        # Only the subtrees under an item a rule names are walked, in the framework's order;
        # the outermost reason wins (a standard's over its key question's over a prompt's).
        order, spans = framework.subtrees()
        walked = -1
        for span in sorted((spans[i] for i in direct if i in spans), key=lambda r: r.start):
            if span.stop <= walked:
                continue  # inside a subtree already walked
            for item, chain in order[max(span.start, walked):span.stop]:
                for a in chain:
                    reason = direct.get(a)
                    if reason:
                        not_applicable[item] = reason
                        break
            walked = span.stop
    forced: dict[str, tuple[Answer, str]] = {}
    for h in framework.hurdles:
        if h.item not in not_applicable and h.item not in forced and evaluate(h.when, values):
            forced[h.item] = (h.forces, h.reason)
    return CaseRules(not_applicable=not_applicable, forced=forced)
