"""Count the judgements of an inspection's cases, as ``effective_judgements`` would, in bulk.

Which cases count: every case of the inspection that passes the filters and has been started,
except one marked 'should have been excluded' (``record:excluded`` = yes) or one with a
conflict of interest declared (``record:conflict_declared`` = yes), whose form is blocked.

Speed: one query per inspection fetches only the items that matter (key-question judgements,
the values the applicability rules and hurdles refer to, the two record flags), and the rules
are evaluated once per distinct combination of those values rather than once per case. The
result is exactly ``tally_cases([effective_judgements(...) for each case])``; the tests check it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from hmip_desktop.assessment.items import CASE, RECORD
from hmip_desktop.frameworks.conditions import CaseRules, evaluate_case
from hmip_desktop.frameworks.conditions import refs as cond_refs
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.rules.ratings import Tally, tally_cases
from hmip_desktop.store.workspace import Workspace

EXCLUDED = RECORD + "excluded"
CONFLICT = RECORD + "conflict_declared"


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_ref: str
    pdu: str
    team: str
    facts: Mapping[str, str]
    status: str
    revision: int


@dataclass(frozen=True)
class Counted:
    tallies: Mapping[str, Tally]
    counted: tuple[str, ...]
    """Ids of the cases counted."""
    left_out: Mapping[str, int]
    """Cases left out, by why: ``excluded``, ``conflict``, ``not_started``."""
    incomplete: int
    """Cases counted whose form is not yet marked complete (their gaps count as nothing)."""


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
    return [CaseRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], int(r[6]))
            for r in ws.conn.execute(
                "SELECT c.id, c.case_ref, c.pdu, c.team, c.facts, a.status, a.revision"
                " FROM cases c JOIN assessments a ON a.case_id = c.id"
                " WHERE c.inspection_id = ? ORDER BY c.case_ref", (inspection_id,))]


def count_cases(ws: Workspace, inspection_id: str, fw: Framework,
                cases: list[CaseRow]) -> Counted:
    """Tally the chosen cases (all of one inspection) as consolidation counts them."""
    p = plan(fw)
    wanted = p.items
    items: dict[str, dict[str, str]] = {}
    marks = ",".join("?" * len(wanted))
    for cid, item, value in ws.conn.execute(
            "SELECT i.case_id, i.item, i.value FROM cases c JOIN items i ON i.case_id = c.id"
            f" WHERE c.inspection_id = ? AND i.item IN ({marks})", (inspection_id, *wanted)):
        items.setdefault(cid, {})[item] = value
    rules_for: dict[tuple[tuple[str, str], ...], CaseRules] = {}
    answer_maps: list[dict[str, str]] = []
    counted: list[str] = []
    left_out = {"excluded": 0, "conflict": 0, "not_started": 0}
    incomplete = 0
    for case in cases:
        own = items.get(case.id, {})
        if own.get(EXCLUDED) == "yes":
            left_out["excluded"] += 1
            continue
        if own.get(CONFLICT) == "yes":
            left_out["conflict"] += 1
            continue
        if not own and case.revision == 0 and case.status == "not_started":
            left_out["not_started"] += 1
            continue
        counted.append(case.id)
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
        signature = tuple(sorted(values.items()))
        rules = rules_for.get(signature)
        if rules is None:
            rules = rules_for[signature] = evaluate_case(fw, values)
        answer_maps.append(_judgements(fw, p, rules, own))
    return Counted(tally_cases(answer_maps), tuple(counted), left_out, incomplete)


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
