"""Count the judgements of an inspection's cases, as ``effective_judgements`` would, in bulk.

Which cases count is one rule, ``CountRule``, that every view is handed (000_ §7.1–7.2: the
ratings come from completed case assessments). By default (``FINAL``) a case of the inspection
that passes the filters counts when it is marked complete, is not marked 'should have been
excluded' (``record:excluded`` = yes), has no conflict of interest declared
(``record:conflict_declared`` = yes, its form is blocked) and is not held back by
``held_back_cases`` (reassigned, or its revisions in conflict). With
``include_in_progress`` (``PROVISIONAL``) started cases not yet marked complete count too, and
everything made from the result carries the mark "provisional: includes N cases in progress".
Every case left out is counted under its reason (``LEFT_OUT_REASONS``, an open list).

Speed: one query per inspection fetches only the items that matter (key-question judgements,
the values the applicability rules and hurdles refer to, the two record flags), and the rules
are evaluated once per distinct combination of those values rather than once per case. The
result is exactly ``tally_cases([effective_judgements(...) for each case])``; the tests check it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from hmip_desktop.assessment.items import CASE, RECORD
from hmip_desktop.consolidation.editions import carries, refuse_mixed
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.double.records import recorded_items
from hmip_desktop.exchange.conflicts import conflicted_cases
from hmip_desktop.frameworks.conditions import CaseRules, evaluate_case
from hmip_desktop.frameworks.conditions import refs as cond_refs
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import Tally, tally_cases
from hmip_desktop.setup.reassign import reassignments
from hmip_desktop.store.reads import case_editions, case_items
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

EXCLUDED = RECORD + "excluded"
EXCLUDED_REASON = RECORD + "excluded_reason"
CONFLICT = RECORD + "conflict_declared"

LEFT_OUT_REASONS = ("in_progress", "not_started", "excluded", "conflict", "reassigned",
                    "in_conflict")
"""Why a case is not counted, in the order shown: not yet marked complete, never started,
'should have been excluded', a conflict of interest declared, reassigned (``held_back_cases``),
its revisions in conflict (``held_back_cases``). Other reasons may be added to the end."""


@dataclass(frozen=True)
class CountRule:
    """Which cases count: the one rule the tables, ratings, flags, panel and exports share."""

    include_in_progress: bool = False
    """Count started cases not yet marked complete too: the live, provisional picture."""

    @property
    def provisional(self) -> bool:
        return self.include_in_progress


FINAL = CountRule()
PROVISIONAL = CountRule(include_in_progress=True)


def require_final(rule: CountRule, what: str) -> None:
    """The panel summary and the workbook are made from completed cases only."""
    if rule.provisional:
        raise ConsolidationError(
            _("the {what} counts only cases marked complete: it cannot be made provisional").format(
                what=what))


def held_back_cases(ws: Workspace, inspection_id: str) -> Mapping[str, str]:
    """Case id → reason (``reassigned``, ``in_conflict``) for cases never counted, whatever rule.

    A case reassigned away from this workspace's data, or one whose revisions are in conflict
    until the lead resolves it: the place where case ownership and revision conflicts tell the
    counting which cases to leave out.
    """
    cases = {cid for (cid,) in connection(ws).execute(
        "SELECT id FROM cases WHERE inspection_id = ?", (inspection_id,))}
    held = {cid: "reassigned" for cid in awaiting_new_owner(ws, inspection_id)}
    held.update({cid: "in_conflict" for cid in conflicted_cases(ws) if cid in cases})
    return held


def awaiting_new_owner(ws: Workspace, inspection_id: str) -> set[str]:
    """Cases reassigned to another member whose own version has not arrived since.

    What the lead holds of such a case is the old owner's work, which the new owner takes on
    and may change: it counts again once a bundle from the new owner is applied after the
    reassignment. A case the lead took over is the lead's own, and counts as it stands.
    """
    latest = {r.case_id: r for r in reassignments(ws, inspection_id)}
    waiting: set[str] = set()
    for cid, r in latest.items():
        owner = connection(ws).execute(
                "SELECT key_id FROM members WHERE id = ? AND inspection_id = ?",
                                (r.to_member_id, inspection_id)).fetchone()
        if owner is None or owner[0] is None or bytes(owner[0]) == ws.identity.public.key_id:
            continue
        source = connection(ws).execute(
            "SELECT sender_key_id, applied_at FROM case_sources WHERE case_id = ?",
            (cid,)).fetchone()
        if source is None or bytes(source[0]) != bytes(owner[0]) or source[1] < r.at:
            waiting.add(cid)
    return waiting


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_ref: str
    pdu: str
    team: str
    facts: Mapping[str, str]
    status: str
    revision: int
    signed_off: bool = False
    """The QA partner's sign-off holds for this revision (``qa.signoff.signoff_of``)."""
    framework_hash: str = ""
    """The edition the case is on: its own where it stayed on an earlier one, else the
    inspection's."""


@dataclass(frozen=True)
class Counted:
    tallies: Mapping[str, Tally]
    counted: tuple[str, ...]
    """Ids of the cases counted."""
    left_out: Mapping[str, int]
    """Cases left out, by why (``LEFT_OUT_REASONS``; every reason present, 0 when none)."""
    incomplete: int
    """Cases counted whose form is not yet marked complete (their gaps count as nothing):
    0 unless the rule includes cases in progress."""
    judgements: Mapping[str, Mapping[str, str]]
    """Counted case id → its effective key-question judgements (``effective_judgements``)."""
    excluded_reasons: tuple[tuple[str, str], ...] = ()
    """(case reference, reason given) for each case left out as 'should have been excluded'."""
    left_out_cases: Mapping[str, str] = field(default_factory=dict)
    """Case id → why it was left out, for each case not counted."""


@dataclass(frozen=True)
class _Plan:
    """What to fetch and how to rebuild each case's rule values (``rule_values`` restricted)."""

    kq_ids: tuple[str, ...]
    fact_refs: tuple[str, ...]
    question_refs: tuple[tuple[str, str], ...]  # (ref, item key)
    prompt_refs: tuple[str, ...]

    @property
    def items(self) -> tuple[str, ...]:
        return (*self.kq_ids, *(k for _r, k in self.question_refs), *self.prompt_refs,
                EXCLUDED, CONFLICT)


_PLANS: dict[str, _Plan] = {}


def plan(fw: Framework) -> _Plan:
    if fw.hash not in _PLANS:
        refs: set[str] = set()
        for rule in fw.applicability:
            refs.update(r.ref for r in cond_refs(rule.applies_when))
        for h in fw.hurdles:
            refs.update(r.ref for r in cond_refs(h.when))
        facts = tuple(sorted(f.id for f in fw.case_facts if f.id in refs))
        questions = tuple(sorted((q.id, CASE + q.id) for q in fw.case_questions if q.id in refs))
        prompts = tuple(sorted(p for p in fw.prompts_by_id if p in refs))
        _PLANS[fw.hash] = _Plan(tuple(k.id for k in fw.case_key_questions()), facts, questions,
                                prompts)
    return _PLANS[fw.hash]


def case_rows(ws: Workspace, inspection_id: str) -> list[CaseRow]:
    editions = case_editions(ws, inspection_id)
    return [CaseRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], int(r[6]), bool(r[7]),
                    editions[r[0]])
            for r in connection(ws).execute(
                "SELECT c.id, c.case_ref, c.pdu, c.team, c.facts, a.status, a.revision,"
                " so.revision IS NOT NULL FROM cases c JOIN assessments a ON a.case_id = c.id"
                " LEFT JOIN signoffs so ON so.case_id = c.id AND so.revision = a.revision"
                " WHERE c.inspection_id = ? ORDER BY c.case_ref", (inspection_id,))]


def count_cases(ws: Workspace, inspection_id: str, fw: Framework,
                cases: list[CaseRow], rule: CountRule = FINAL) -> Counted:
    """Tally the chosen cases (all of one inspection) as ``rule`` counts them.

    A case on an earlier edition is counted under ``fw``'s key questions where they are the
    same (``consolidation.editions``); refused if any of its key questions is not.
    """
    p = plan(fw)
    carried = carries(ws, inspection_id, fw, {c.framework_hash or fw.hash for c in cases})
    plans = {fw.hash: (fw, p), **{h: (c.old, plan(c.old)) for h, c in carried.items()}}
    wanted = tuple(dict.fromkeys(
        i for _f, q in plans.values() for i in (*q.items, EXCLUDED_REASON)))
    held = held_back_cases(ws, inspection_id)
    items = recorded_items(ws, inspection_id, case_items(ws, inspection_id, only=wanted),
                           wanted)
    rules_for: dict[tuple[str, tuple[tuple[str, str], ...]], CaseRules] = {}
    on_edition: dict[str, list[str]] = {}
    answer_maps: list[dict[str, str]] = []
    counted: list[str] = []
    left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
    excluded_reasons: list[tuple[str, str]] = []
    why_case: dict[str, str] = {}
    incomplete = 0
    for case in cases:
        own = items.get(case.id, {})
        why = held.get(case.id) or _left_out(case, own, rule)
        if why is not None:
            left_out[why] = left_out.get(why, 0) + 1
            why_case[case.id] = why
            if why == "excluded":
                excluded_reasons.append((case.case_ref, own.get(EXCLUDED_REASON, "")))
            continue
        counted.append(case.id)
        edition = case.framework_hash or fw.hash
        on_edition.setdefault(edition, []).append(case.case_ref)
        cfw, p = plans[edition]
        if case.status != "complete":  # the assessor's own mark; QA's states are never stored
            incomplete += 1
        # The same order as assessment.completeness.rule_values: facts, case questions, prompts.
        values: dict[str, str] = {}
        for ref in p.fact_refs:
            v = case.facts.get(ref)
            if v:
                values[ref] = v
        for ref, key in p.question_refs:
            v = own.get(key)
            if v:
                values[ref] = v
        for ref in p.prompt_refs:
            v = own.get(ref)
            if v:
                values[ref] = v
        signature = (edition, tuple(sorted(values.items())))
        rules = rules_for.get(signature)
        if rules is None:
            rules = rules_for[signature] = evaluate_case(cfw, values)
        judged = _judgements(cfw, p, rules, own)
        if edition != fw.hash:  # under the same key questions of the inspection's edition
            same = carried[edition].key_questions
            judged = {same[k]: v for k, v in judged.items() if k in same}
        answer_maps.append(judged)
    refuse_mixed(fw, carried, on_edition)
    return Counted(tally_cases(answer_maps), tuple(counted), left_out, incomplete,
                   dict(zip(counted, answer_maps, strict=True)), tuple(excluded_reasons),
                   why_case)


def _left_out(case: CaseRow, own: Mapping[str, str], rule: CountRule) -> str | None:
    """Why ``rule`` leaves the case out, or None when it counts."""
    if own.get(EXCLUDED) == "yes":
        return "excluded"
    if own.get(CONFLICT) == "yes":
        return "conflict"
    if not own and case.revision == 0 and case.status == "not_started":
        return "not_started"
    if case.status != "complete" and not rule.include_in_progress:
        return "in_progress" if own or case.revision else "not_started"
    return None


def _judgements(fw: Framework, p: _Plan, rules: CaseRules,
                items: Mapping[str, str]) -> dict[str, str]:
    """``assessment.completeness.effective_judgements`` for one case, rules given."""
    if not rules.not_applicable and not rules.forced:
        return {k: items[k] for k in p.kq_ids if items.get(k)}
    out: dict[str, str] = {}
    for kq_id in p.kq_ids:
        if not rules.applies(fw.parent_of[kq_id]):
            continue
        if not rules.applies(kq_id):
            out[kq_id] = "na"
        elif kq_id in rules.forced:
            out[kq_id] = rules.forced[kq_id][0]
        elif items.get(kq_id):
            out[kq_id] = items[kq_id]
    return out
