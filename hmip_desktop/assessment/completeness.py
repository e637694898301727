"""What a case's assessment still needs, and the state of each key question.

Pure functions of the framework, the case facts and the stored items, shared by the store
(mark complete), QA and the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hmip_desktop.assessment import interview
from hmip_desktop.assessment.items import CASE, RECORD, item_label
from hmip_desktop.frameworks.conditions import CaseRules, evaluate_case, referred_ids
from hmip_desktop.frameworks.model import Framework, KeyQuestion
from hmip_desktop.i18n import _

KqState = Literal["not_applicable", "not_started", "partly", "answered", "attention"]


def rule_values(framework: Framework, facts: Mapping[str, str],
                items: Mapping[str, str]) -> dict[str, str]:
    """The values applicability and hurdle conditions refer to."""
    values = {k: v for k, v in facts.items() if v}
    for q in framework.case_questions:
        v = items.get(CASE + q.id)
        if v:
            values[q.id] = v
    prompts = framework.prompts_by_id  # a case's answers are far fewer than the prompts
    for pid, v in items.items():
        if v and pid in prompts:
            values[pid] = v
    return values


def referred_values(framework: Framework, facts: Mapping[str, str],
                    items: Mapping[str, str]) -> dict[str, str]:
    """``rule_values`` for only the ids the framework's rules refer to (all its rules read).

    The same value for each such id: a prompt's answer over a case question's over a fact.
    """
    prompts, questions = framework.prompts_by_id, _case_question_ids(framework)
    values = {}
    for ref in referred_ids(framework):
        v = (items.get(ref) if ref in prompts else None) or (
            items.get(CASE + ref) if ref in questions else None) or facts.get(ref)
        if v:
            values[ref] = v
    return values


def _case_question_ids(framework: Framework) -> frozenset[str]:
    held: frozenset[str] | None = framework.__dict__.get("_case_question_ids")
    if held is None:
        held = frozenset(q.id for q in framework.case_questions)
        object.__setattr__(framework, "_case_question_ids", held)  # frozen: a cache
    return held


def case_rules(framework: Framework, facts: Mapping[str, str],
               items: Mapping[str, str]) -> CaseRules:
    return evaluate_case(framework, rule_values(framework, facts, items))


@dataclass(frozen=True)
class Missing:
    item: str
    label: str


@dataclass(frozen=True)
class Completeness:
    required: int
    answered: int
    missing: tuple[Missing, ...]
    blocked: str | None = None

    @property
    def complete(self) -> bool:
        return not self.missing and self.blocked is None

    @property
    def percent(self) -> int:
        return 100 if self.required == 0 else (100 * self.answered) // self.required


def required_items(framework: Framework, rules: CaseRules,
                   items: Mapping[str, str]) -> list[str]:
    """Every item a complete assessment must have, in the order the form shows them."""
    if items.get(RECORD + "excluded") == "yes":
        return [RECORD + "excluded", RECORD + "excluded_reason"]
    out = [RECORD + "conflict_declared", RECORD + "interview_mode",
           *interview.required(items), RECORD + "excluded"]
    out.extend(CASE + q.id for q in framework.case_questions)
    out.extend(_judged_items(framework, rules))
    return out


def _judged_items(framework: Framework, rules: CaseRules) -> tuple[str, ...]:
    """The prompts and judgements that apply, in form order; kept on the (shared) rules."""
    held = rules.__dict__.get("_judged_items")
    if held is None or held[0] != framework.hash:
        na = rules.not_applicable
        found: list[str] = []
        for kq in framework.case_key_questions():
            if kq.id not in na:
                found.extend(p.id for p in kq.prompts if p.id not in na)
                found.append(kq.id)
        held = (framework.hash, tuple(found))
        object.__setattr__(rules, "_judged_items", held)
    judged: tuple[str, ...] = held[1]
    return judged


def completeness(framework: Framework, facts: Mapping[str, str],
                 items: Mapping[str, str], rules: CaseRules | None = None) -> Completeness:
    rules = rules or case_rules(framework, facts, items)
    required = required_items(framework, rules, items)
    missing = tuple(Missing(i, item_label(framework, i)) for i in required if not items.get(i))
    blocked = None
    if items.get(RECORD + "conflict_declared") == "yes":
        blocked = _("a conflict of interest is declared: ask the lead to re-allocate this case")
    return Completeness(len(required), len(required) - len(missing), missing, blocked)


def kq_state(framework: Framework, kq: KeyQuestion, rules: CaseRules,
             items: Mapping[str, str]) -> KqState:
    if not rules.applies(kq.id):
        return "not_applicable"
    prompts = [p.id for p in kq.prompts if rules.applies(p.id)]
    answers = [items.get(p) for p in prompts]
    judgement = items.get(kq.id)
    forced = rules.forced.get(kq.id)
    if forced and judgement != forced[0]:
        return "attention"
    given = [a for a in answers if a]
    if judgement and given and len(given) == len(answers):
        yes_no = [a for a in given if a in ("yes", "no")]
        if yes_no and judgement == "yes" and all(a == "no" for a in yes_no):
            return "attention"
        if yes_no and judgement == "no" and all(a == "yes" for a in yes_no) and not forced:
            return "attention"
        return "answered"
    if not given and not judgement:
        return "not_started"
    return "partly"


def effective_judgements(framework: Framework, facts: Mapping[str, str],
                         items: Mapping[str, str]) -> dict[str, str]:
    """Key question → yes/no/na as consolidation counts it.

    A key question outside the case's sub-sample counts as na ("question not applicable for
    all cases"); one whose whole standard does not apply (another case sample) is left out.
    """
    rules = case_rules(framework, facts, items)
    out: dict[str, str] = {}
    for kq in framework.case_key_questions():
        if not rules.applies(framework.parent_of[kq.id]):
            continue
        if not rules.applies(kq.id):
            out[kq.id] = "na"
        elif kq.id in rules.forced:
            out[kq.id] = rules.forced[kq.id][0]
        elif items.get(kq.id):
            out[kq.id] = items[kq.id]
    return out
