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


def evaluate_case(framework: Framework, values: Mapping[str, str]) -> CaseRules:
    """Apply every applicability rule and hurdle to a case.

    ``values`` maps case fact ids, case question ids and prompt ids to their current values.
    """
    direct: dict[str, str] = {}
    for rule in framework.applicability:
        if evaluate(rule.applies_when, values) is False:
            for item in rule.items:
                direct.setdefault(item, rule.reason)
    not_applicable: dict[str, str] = {}
    if direct:
        for s in framework.standards:
            s_reason = direct.get(s.id)
            for k in s.key_questions:
                k_reason = s_reason or direct.get(k.id)
                for p in k.prompts:
                    p_reason = k_reason or direct.get(p.id)
                    if p_reason:
                        not_applicable[p.id] = p_reason
                if k_reason:
                    not_applicable[k.id] = k_reason
            if s_reason:
                not_applicable[s.id] = s_reason
    forced: dict[str, tuple[Answer, str]] = {}
    for h in framework.hurdles:
        if h.item not in not_applicable and h.item not in forced and evaluate(h.when, values):
            forced[h.item] = (h.forces, h.reason)
    return CaseRules(not_applicable=not_applicable, forced=forced)
