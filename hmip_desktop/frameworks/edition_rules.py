"""The rules that changed between two editions, each described in an inspector's words.

Applicability rules, hurdles, rating bands, overall bands, case facts and case questions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from hmip_desktop.frameworks.model import (
    AllOf,
    AnyOf,
    ApplicabilityRule,
    CaseField,
    Condition,
    Framework,
    Hurdle,
    Not,
    Ref,
)
from hmip_desktop.i18n import _

RuleKind = Literal["applicability", "hurdle", "rating_band", "overall_band", "case_fact",
                   "case_question"]
Change = Literal["added", "removed", "changed"]


def _answer(value: str) -> str:
    return {"yes": _("yes"), "no": _("no"), "na": _("not applicable")}.get(value, value)


@dataclass(frozen=True)
class RuleChange:
    kind: RuleKind
    change: Change
    id: str
    """The rule's id, the band or the case fact's id (for scripts; never printed as text)."""
    subject: str
    """What the rule is, as an inspector names it ("Hurdle on key question 2.1.1")."""
    before: str | None
    """The rule in the old edition, in words; None when it is added."""
    after: str | None
    """The rule in the new edition, in words; None when it is removed."""


def condition_words(cond: Condition, fw: Framework) -> str:
    """A condition as a sentence part: "Sentence type is Licence or Community order"."""
    if isinstance(cond, Ref):
        field = fw.fields_by_id.get(cond.ref)
        if field is not None:
            values = [field.label_of(v) for v in sorted(cond.values, key=field.values.index)]
            return _("{fact} is {values}").format(fact=field.label,
                                                   values=_(" or ").join(values))
        values = [_answer(v) for v in sorted(cond.values)]
        return _("{item} is answered {values}").format(item=_item_name(cond.ref, fw),
                                                       values=_(" or ").join(values))
    if isinstance(cond, Not):
        return _("not ({condition})").format(condition=condition_words(cond.item, fw))
    joiner = _(" and ") if isinstance(cond, AllOf) else _(" or ")
    assert isinstance(cond, AllOf | AnyOf)
    return "(" + joiner.join(condition_words(c, fw) for c in cond.items) + ")"


def _item_name(item_id: str, fw: Framework) -> str:
    if item_id in fw.prompts_by_id:
        return _("prompt {id}").format(id=item_id)
    if item_id in fw.key_questions_by_id:
        return _("key question {id}").format(id=item_id)
    return _("standard {id}").format(id=item_id)


def _applicability(rule: ApplicabilityRule, fw: Framework) -> tuple[str, str]:
    names = ", ".join(_item_name(i, fw) for i in rule.items)
    return (_("Not-applicable rule for {items}").format(items=names),
            _("applies only when {condition}: {reason}").format(
                condition=condition_words(rule.applies_when, fw), reason=rule.reason))


def _hurdle(rule: Hurdle, fw: Framework) -> tuple[str, str]:
    return (_("Hurdle on key question {id}").format(id=rule.item),
            _("when {condition}, the answer is {answer}: {reason}").format(
                condition=condition_words(rule.when, fw), answer=_answer(rule.forces),
                reason=rule.reason))


def _field(field: CaseField) -> tuple[str, str]:
    subject = (_("Case fact '{label}'") if field.kind == "fact"
               else _("Case question '{label}'")).format(label=field.label)
    return subject, f"{field.label}: {', '.join(c.label for c in field.choices)}"


def _field_rule(field: CaseField) -> object:
    """What of a case fact or question is a rule: its label and choices (not its guidance)."""
    return (field.label, field.choices)


def _rating_word(rating: str) -> str:
    return rating.replace("_", " ").capitalize()


# A rule as (what it is, in words; the rule itself, compared): a rule changes when the rule
# does, not when only the words of a case fact it names do.
_Described = tuple[str, str, object]


def _changes(kind: RuleKind, old: Mapping[str, _Described],
             new: Mapping[str, _Described]) -> list[RuleChange]:
    out: list[RuleChange] = []
    for key, (subject, words, rule) in new.items():
        if key not in old:
            out.append(RuleChange(kind, "added", key, subject, None, words))
        elif old[key][2] != rule:
            out.append(RuleChange(kind, "changed", key, subject, old[key][1], words))
    for key, (subject, words, _rule) in old.items():
        if key not in new:
            out.append(RuleChange(kind, "removed", key, subject, words, None))
    return out


def rule_changes(old: Framework, new: Framework) -> tuple[RuleChange, ...]:
    """Every rule added, removed or changed, rules of a kind together, in the new order."""
    def described(fw: Framework) -> dict[RuleKind, dict[str, _Described]]:
        band: Callable[[str], str] = _rating_word
        return {
            "applicability": {r.id: (*_applicability(r, fw), r) for r in fw.applicability},
            "hurdle": {h.id: (*_hurdle(h, fw), h) for h in fw.hurdles},
            "rating_band": {b.band: (_("Key question band '{label}'").format(label=b.label),
                                     _("{label} from {n}%").format(label=b.label,
                                                                   n=b.min_percent), b)
                            for b in fw.rating_bands},
            "overall_band": {b.rating: (_("Overall rating '{rating}'").format(
                rating=band(b.rating)), _("{rating}: {low} to {high} points").format(
                rating=band(b.rating), low=b.min_score, high=b.max_score), b)
                for b in fw.overall_bands},
            "case_fact": {f.id: (*_field(f), _field_rule(f)) for f in fw.case_facts},
            "case_question": {f.id: (*_field(f), _field_rule(f)) for f in fw.case_questions},
        }

    before, after = described(old), described(new)
    out: list[RuleChange] = []
    for kind in after:
        out += _changes(kind, before[kind], after[kind])
    return tuple(out)
