"""Assessments built in memory for the QA checks: clean ones, and faults seeded into them.

A *clean* assessment follows every rule the checks enforce, stated here from the brief rather
than from the checks' code: every required item answered; 'na' only where allowed; a judgement
a hurdle forces has that value; 'yes' only while no more than the framework's share of answered
prompts is 'no'; 'no' only with at least one 'no' prompt (or an unanswered one); every judgement
has a note, and a 'no' one at least ``min_feedback_chars`` long; a judgement of a level that
differs from the recorded one has a reason.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from hmip_desktop.assessment.completeness import case_rules, required_items
from hmip_desktop.frameworks.conditions import CaseRules
from hmip_desktop.frameworks.model import Condition, Framework, KeyQuestion, Not, Ref
from hmip_desktop.qa.checks import AlertState, CaseForQa

NOTE_YES = "Thorough work: the plan addresses the risks the assessment found."
NOTE_NO = "The plan does not address the domestic abuse the police reported in May."
Expected = tuple[str, str]  # (check, item)


def facts_for(fw: Framework, rng: random.Random | None = None, **given: str) -> dict[str, str]:
    facts = {}
    # Optional facts (age band, ethnic group, …) from a stream of their own, seeded by the
    # generator's state without moving it: the other facts are drawn as before they existed.
    side = random.Random(hash(rng.getstate()[1])) if rng else None
    for f in fw.case_facts:
        source = side if f.optional else rng
        facts[f.id] = given.get(f.id) or (source.choice(f.values) if source else f.values[0])
    return facts


def hurdle_prompts(fw: Framework) -> set[str]:
    """Prompts any rule refers to: changing them could change more than one finding."""
    refs: set[str] = set()

    def walk(c: Condition) -> None:
        if isinstance(c, Ref):
            refs.add(c.ref)
        elif isinstance(c, Not):
            walk(c.item)
        else:
            for sub in c.items:
                walk(sub)

    for h in fw.hurdles:
        walk(h.when)
    for rule in fw.applicability:
        walk(rule.applies_when)
    return refs & set(fw.prompts_by_id)


def rule_linked(fw: Framework, kq: KeyQuestion) -> bool:
    linked = hurdle_prompts(fw)
    return any(h.item == kq.id for h in fw.hurdles) or any(p.id in linked for p in kq.prompts)


def build(fw: Framework, facts: Mapping[str, str], rng: random.Random | None = None,
          *, case_ref: str = "CASE-001") -> CaseForQa:
    """A clean, complete assessment; all 'yes' without ``rng``, a realistic mix with it."""
    items: dict[str, str] = {"record:conflict_declared": "no", "record:excluded": "no",
                             "record:interview_mode": "in_person"}
    for q in fw.case_questions:
        items["case:" + q.id] = rng.choice(q.values) if rng else q.values[-1]
    differs = any(items.get("case:" + p.question) not in (None, facts.get(p.fact))
                  for p in fw.qa.rosh_pairs)
    if differs:
        items["record:rosh_difference_reason"] = "Recent police information raises it."
    rules = case_rules(fw, facts, items)
    for kq in fw.case_key_questions():
        if not rules.applies(kq.id):
            continue
        for p in kq.prompts:
            if rules.applies(p.id):
                r = rng.random() if rng else 0.0
                items[p.id] = ("na" if p.allow_na and r > 0.9
                               else "no" if r > 0.65 else "yes")
    rules = case_rules(fw, facts, items)
    for kq in fw.case_key_questions():
        if rules.applies(kq.id):
            items[kq.id] = consistent_judgement(fw, kq, rules, items, rng)
            items["note:" + kq.id] = NOTE_NO if items[kq.id] == "no" else NOTE_YES
    assert not [i for i in required_items(fw, case_rules(fw, facts, items), items)
                if not items.get(i)]
    return CaseForQa(framework=fw, case_id=case_ref.lower(), case_ref=case_ref, facts=facts,
                     items=items, status="complete")


def consistent_judgement(fw: Framework, kq: KeyQuestion, rules: CaseRules,
                         items: Mapping[str, str], rng: random.Random | None) -> str:
    if kq.id in rules.forced:
        return rules.forced[kq.id][0]
    answers = [items.get(p.id) for p in kq.prompts if rules.applies(p.id)]
    yes, no = answers.count("yes"), answers.count("no")
    if rng and kq.allow_na and rng.random() < 0.1:
        return "na"
    if no and no / (yes + no) > fw.qa.majority_no_share:
        return "no"
    if not no:
        return "yes"
    return rng.choice(("yes", "no")) if rng else "yes"


# -- seeded faults --------------------------------------------------------------------------
# Each takes a clean case and one key question (or none, for case-level faults), and returns
# the faulty case with the findings it must produce, or None where it cannot be seeded there.

Fault = Callable[[CaseForQa, KeyQuestion | None, random.Random],
                 tuple[CaseForQa, list[Expected]] | None]


def _set(case: CaseForQa, changes: Mapping[str, str | None]) -> CaseForQa:
    items = dict(case.items)
    for k, v in changes.items():
        if v is None:
            items.pop(k, None)
        else:
            items[k] = v
    return replace(case, items=items)


def _applicable_prompts(case: CaseForQa, kq: KeyQuestion) -> list[str]:
    rules = case_rules(case.framework, case.facts, case.items)
    return [p.id for p in kq.prompts if rules.applies(p.id)]


def missing_prompt(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    prompts = _applicable_prompts(case, kq)
    if not prompts:
        return None
    if case.items[kq.id] == "yes":
        noes = [p for p in prompts if case.items.get(p) == "no"]
        prompts = noes or prompts
    p = rng.choice(prompts)
    return _set(case, {p: None}), [("required_item_unanswered", p)]


def missing_judgement(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    return _set(case, {kq.id: None}), [("required_item_unanswered", kq.id)]


def na_prompt(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    fw = case.framework
    if rule_linked(fw, kq):
        return None
    prompts = [p for p in _applicable_prompts(case, kq) if not fw.prompts_by_id[p].allow_na]
    # a 'no' away from a yes lowers the share of 'no'; a 'yes' away from a no keeps a 'no'
    want = "no" if case.items[kq.id] == "yes" else "yes"
    candidates = [p for p in prompts if case.items.get(p) == want]
    if not candidates and case.items[kq.id] == "yes" and "no" not in (
            case.items.get(p) for p in _applicable_prompts(case, kq)):
        candidates = [p for p in prompts if case.items.get(p) == "yes"]  # 'no' stays at 0
    if not candidates:
        return None
    p = rng.choice(candidates)
    return _set(case, {p: "na"}), [("na_not_allowed", p)]


def na_judgement(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    if kq.allow_na or rule_linked(case.framework, kq):
        return None
    return _set(case, {kq.id: "na"}), [("na_not_allowed", kq.id)]


def hurdle_ignored(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    fw = case.framework
    for h in fw.hurdles:
        if (h.item == kq.id and isinstance(h.when, Ref) and h.when.ref in fw.prompts_by_id
                and "no" in h.when.values and h.forces == "no"
                and h.when.ref in _applicable_prompts(case, kq)):
            return (_set(case, {h.when.ref: "no", kq.id: "yes", "note:" + kq.id: NOTE_YES}),
                    [("hurdle_not_applied", kq.id)])
    return None


def yes_despite_no(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    prompts = _applicable_prompts(case, kq)
    if not prompts or rule_linked(case.framework, kq):
        return None
    changes: dict[str, str | None] = {p: "no" for p in prompts}
    changes[kq.id] = "yes"
    changes["note:" + kq.id] = NOTE_YES
    return _set(case, changes), [("yes_despite_most_prompts_no", kq.id)]


def no_despite_yes(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    prompts = _applicable_prompts(case, kq)
    if not prompts or rule_linked(case.framework, kq):
        return None
    changes: dict[str, str | None] = {p: "yes" for p in prompts}
    changes[kq.id] = "no"
    changes["note:" + kq.id] = NOTE_NO
    return _set(case, changes), [("no_despite_all_prompts_yes", kq.id)]


def short_note_for_no(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    prompts = _applicable_prompts(case, kq)
    if not prompts or rule_linked(case.framework, kq):
        return None
    minimum = case.framework.qa.min_feedback_chars
    note = rng.choice(["", "   ", "Weak.", "x" * (minimum - 1), " " + "y" * (minimum - 1) + " "])
    changes: dict[str, str | None] = {p: "no" for p in prompts}
    changes[kq.id] = "no"
    changes["note:" + kq.id] = note or None
    return _set(case, changes), [("note_too_short_for_no", "note:" + kq.id)]


def no_note(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    assert kq
    if case.items[kq.id] == "no":
        return None
    return _set(case, {"note:" + kq.id: rng.choice([None, "  "])}), [
        ("judgement_without_note", "note:" + kq.id)]


KQ_FAULTS: tuple[Fault, ...] = (missing_prompt, missing_judgement, na_prompt, na_judgement,
                                hurdle_ignored, yes_despite_no, no_despite_yes,
                                short_note_for_no, no_note)


def no_interview(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    """The interview not recorded, recorded without its details, or contradicting itself."""
    kind = rng.randrange(3)
    if kind == 0:
        return _set(case, {"record:interview_mode": None}), [
            ("no_interview_record", "record:interview_mode")]
    if kind == 1:  # a substitute attended; who and why are not recorded
        return _set(case, {"record:interview_mode": "substitute"}), [
            ("interview_record_incomplete", "record:interview_substitute_role"),
            ("interview_record_incomplete", "record:interview_substitute_reason")]
    return _set(case, {"record:interview_mode": "substitute",
                       "record:interview_substitute_role": "colleague",
                       "record:interview_substitute_reason": "The practitioner is on leave.",
                       "record:interview_feedback": "substitute"}), [
        ("interview_record_inconsistent", "record:interview_feedback")]


def rosh_unexplained(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    pairs = [p for p in case.framework.qa.rosh_pairs
             if case.items.get("case:" + p.question) != case.facts.get(p.fact)]
    if not pairs:
        return None
    return _set(case, {"record:rosh_difference_reason": None}), [
        ("rosh_difference_unexplained", "case:" + p.question) for p in pairs]


def unacknowledged_alerts(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    alerts = tuple(AlertState(f"alert{i}", f"2026-11-2{i}T10:00:00.000+00:00",
                              acknowledged=rng.random() < 0.5) for i in range(rng.randint(1, 3)))
    return replace(case, alerts=alerts), [
        ("alert_not_acknowledged", f"alert:{a.id}") for a in alerts if not a.acknowledged]


def open_queries(case: CaseForQa, kq: KeyQuestion | None, rng: random.Random):
    status = rng.choice(("complete", "signed_off"))
    return replace(case, status=status, open_queries=rng.randint(1, 4)), [
        ("complete_with_open_queries", "status")]


CASE_FAULTS: tuple[Fault, ...] = (no_interview, rosh_unexplained, unacknowledged_alerts,
                                  open_queries)


@dataclass(frozen=True)
class Seeded:
    case: CaseForQa
    expected: list[Expected]


def seed_faults(case: CaseForQa, rng: random.Random, *, kq_faults: int,
                case_faults: int) -> Seeded:
    """Seed up to ``kq_faults`` faults on distinct key questions and some case-level ones."""
    fw = case.framework
    rules = case_rules(fw, case.facts, case.items)
    kqs = [k for k in fw.case_key_questions() if rules.applies(k.id)]
    rng.shuffle(kqs)
    expected: list[Expected] = []
    for kq in kqs[:kq_faults]:
        for fault in rng.sample(KQ_FAULTS, len(KQ_FAULTS)):
            seeded = fault(case, kq, rng)
            if seeded is not None:
                case, found = seeded
                expected += found
                break
    for fault in rng.sample(CASE_FAULTS, min(case_faults, len(CASE_FAULTS))):
        seeded = fault(case, None, rng)
        if seeded is not None:
            case, found = seeded
            expected += found
    return Seeded(case, expected)
