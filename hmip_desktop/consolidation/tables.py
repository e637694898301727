"""The consolidated tables per standard, as the manuals print them, and the ratings behind them.

``consolidate`` counts the cases the rule it is given counts (``counting.CountRule``: by
default only cases marked complete; ``PROVISIONAL`` adds cases in progress and the result
carries ``provisional_mark``), with each standard's count of the cases it rests on and how many
of them are signed off, and hands the tallies to the rules
engine (``rules.ratings.rate``) with the lead's ratings of lead-rated standards, then applies
the ratings panel's decisions: a confirmed unpaid-work adjustment goes through the engine, a
variation replaces the standard's rating, and the overall rating is recomputed by the engine's
``overall_rating``. A decision taken on other figures than today's (the provisional rating it
recorded is no longer the provisional rating) is not applied, and the table says so.

With filters (PDU, team, case facts) the tables show that part of the sample: the ratings are
the case data's own, without panel decisions, for finding where problems lie, not for
publication.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from hmip_desktop.consolidation.counting import (
    FINAL,
    CaseRow,
    CountRule,
    case_rows,
    count_cases,
)
from hmip_desktop.consolidation.flags import explain
from hmip_desktop.consolidation.records import (
    ConsolidationError,
    LeadRating,
    PanelDecision,
    check_inspection,
    read_lead_ratings,
    read_panel_decisions,
    refuse_archived,
)
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import (
    RatingsResult,
    StandardResult,
    Tally,
    overall_rating,
    rate,
    whole_percent,
)
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class Filters:
    pdu: str | None = None
    team: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    """Case fact id → value, e.g. ``{"gender": "female", "rosh": "high"}``."""

    @property
    def active(self) -> bool:
        return bool(self.pdu or self.team or self.facts)

    def admits(self, case: CaseRow) -> bool:
        if self.pdu and case.pdu != self.pdu:
            return False
        if self.team and case.team != self.team:
            return False
        return all(case.facts.get(k) == v for k, v in self.facts.items())

    def describe(self) -> str:
        parts = [f"PDU {self.pdu}" if self.pdu else "", f"team {self.team}" if self.team else ""]
        parts += [f"{k} = {v}" for k, v in sorted(self.facts.items())]
        return ", ".join(p for p in parts if p) or "all cases"


@dataclass(frozen=True)
class KqRow:
    kq_id: str
    text: str
    yes: int
    no: int
    na: int
    n: int
    percent: int | None
    """Yes as a whole percentage of yes + no, rounded half up; None when no case answered."""
    exact: Fraction | None
    band: str | None
    subsample: bool
    """True when some cases were outside the key question's sub-sample: the table carries the
    note "question not applicable for all cases"."""

    @property
    def no_percent(self) -> int | None:
        return None if self.n == 0 else whole_percent(self.no, self.n)


@dataclass(frozen=True)
class StandardTable:
    standard_id: str
    title: str
    rated_by: Literal["cases", "lead"]
    rows: tuple[KqRow, ...]
    provisional_rating: str | None
    """The case data's rating (lowest band), or the lead's rating of a lead-rated standard."""
    discretion: tuple[tuple[str, str], ...]
    """(flag name, plain reason) for each discretion flag of the lowest key questions."""
    rating: str | None = None
    """The rating after the panel's decision (the provisional one while none is recorded)."""
    lowest_key_questions: tuple[str, ...] = ()
    adjustable: bool = False
    """The unpaid-work standard: the panel may move it one band (``adjustment``)."""
    lead_rating: LeadRating | None = None
    decision: PanelDecision | None = None
    """The panel's decision as recorded (also when out of date)."""
    decision_applied: bool = False
    """False for a decision taken on other figures (``decision.provisional_rating`` differs)."""
    cases: int = 0
    """Counted cases the standard rests on: those judged yes or no on any of its key
    questions (a case outside every key question's sub-sample is not among them)."""
    signed_off: int = 0
    """How many of ``cases`` the QA partner has signed off at their current revision."""

    @property
    def unsigned(self) -> int:
        return self.cases - self.signed_off


@dataclass(frozen=True)
class Consolidation:
    inspection_id: str
    framework: Framework
    filters: Filters
    cases: int
    tables: tuple[StandardTable, ...]
    ratings: RatingsResult
    """The rules engine's result with the panel's decisions applied; ``ratings.overall`` holds
    the overall rating, or the reason there is none."""
    rated: bool
    left_out: Mapping[str, int] = field(default_factory=dict)
    """Cases not counted, by why: ``excluded``, ``conflict``, ``not_started``."""
    incomplete: int = 0
    """Cases counted whose form is not yet marked complete."""
    pending_decisions: tuple[str, ...] = ()
    """Standards still without an applicable panel decision (none when filtered or unrated)."""
    counted_case_ids: tuple[str, ...] = ()
    rule: CountRule = FINAL
    signed_off: int = 0
    """Counted cases the QA partner has signed off at their current revision."""
    excluded_reasons: tuple[tuple[str, str], ...] = ()
    """(case reference, reason given) for each case left out as 'should have been excluded'."""
    judgements: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Counted case id → its effective key-question judgements (for the drill-down)."""
    left_out_cases: Mapping[str, str] = field(default_factory=dict)
    """Case id → why it was left out (``counting.LEFT_OUT_REASONS``)."""

    @property
    def provisional(self) -> bool:
        return self.rule.provisional

    @property
    def provisional_mark(self) -> str:
        """The mark every table, chart and export made under the provisional rule carries."""
        return provisional_mark(self.incomplete) if self.provisional else ""

    def table(self, standard_id: str) -> StandardTable:
        for t in self.tables:
            if t.standard_id == standard_id:
                return t
        raise KeyError(standard_id)


def provisional_mark(in_progress: int) -> str:
    if in_progress == 1:
        return _("provisional: includes 1 case in progress")
    return _("provisional: includes {n} cases in progress").format(n=in_progress)


def check_filters(fw: Framework, filters: Filters) -> None:
    facts = {f.id: f for f in fw.case_facts}
    for key, value in filters.facts.items():
        f = facts.get(key)
        if f is None:
            raise ConsolidationError(
                _("{fact} is not a case fact of {framework} ({facts})").format(
                    fact=repr(key), framework=fw.id, facts=", ".join(facts) or _("none")))
        if value not in f.values:
            raise ConsolidationError(
                _("{value} is not a value of {fact} ({values})").format(
                    value=repr(value), fact=key, values=", ".join(f.values)))


def consolidate(ws: Workspace, inspection_id: str, filters: Filters | None = None,
                rule: CountRule = FINAL) -> Consolidation:
    """The tables of the cases ``rule`` counts (by default only those marked complete).

    Refused for an archived inspection: its cases are gone (``records.refuse_archived``).
    """
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)
    filters = filters or Filters()
    fw = ws.inspection_framework(inspection_id)
    check_filters(fw, filters)
    cases = [c for c in case_rows(ws, inspection_id) if filters.admits(c)]
    counted = count_cases(ws, inspection_id, fw, cases, rule)
    signed = {c.id for c in cases if c.signed_off}
    lead = read_lead_ratings(ws, inspection_id) if fw.rated else {}
    lead_values = {sid: r.rating for sid, r in lead.items()
                   if sid in fw.standards_by_id and fw.standards_by_id[sid].rated_by == "lead"}
    base = rate(fw, counted.tallies, lead_values)
    decisions = read_panel_decisions(ws, inspection_id) if fw.rated else {}
    applied: dict[str, PanelDecision] = {}
    if not filters.active:
        for sid, d in decisions.items():
            got = base.standards.get(sid)
            if got is not None and got.provisional_rating == d.provisional_rating \
                    and d.provisional_rating is not None:
                applied[sid] = d
    result = apply_decisions(fw, counted.tallies, lead_values, applied) if applied else base
    tables = []
    for s in fw.standards:
        rows = []
        for k in s.key_questions:
            if not fw.is_case_answered(k):
                continue
            r = result.key_questions[k.id]
            rows.append(KqRow(k.id, k.text, r.tally.yes, r.tally.no, r.tally.na, r.tally.n,
                              r.percent, r.exact, r.band, r.tally.na > 0))
        sr = result.standards.get(s.id)
        flags = explain(fw, sr.discretion, sr.lowest_key_questions,
                        result.key_questions) if sr else ()
        behind = _resting_on(tuple(r.kq_id for r in rows), counted.judgements)
        tables.append(StandardTable(
            s.id, s.title, s.rated_by, tuple(rows), sr.provisional_rating if sr else None,
            flags, sr.rating if sr else None, sr.lowest_key_questions if sr else (),
            s.adjustable, lead.get(s.id), decisions.get(s.id), s.id in applied,
            len(behind), len(behind & signed)))
    pending = () if filters.active or not fw.rated else tuple(
        s.id for s in fw.standards if s.id not in applied)
    return Consolidation(inspection_id, fw, filters, len(counted.counted), tuple(tables), result,
                         fw.rated, counted.left_out, counted.incomplete, pending,
                         counted.counted, rule, len(signed.intersection(counted.counted)),
                         counted.excluded_reasons, counted.judgements,
                         counted.left_out_cases)


def _resting_on(kq_ids: tuple[str, ...],
                judgements: Mapping[str, Mapping[str, str]]) -> set[str]:
    """The counted cases judged yes or no on any of the key questions."""
    if not kq_ids:
        return set()
    return {cid for cid, j in judgements.items()
            if any(j.get(k) in ("yes", "no") for k in kq_ids)}


def apply_decisions(fw: Framework, tallies: Mapping[str, Tally], lead: Mapping[str, str],
                    decisions: Mapping[str, PanelDecision]) -> RatingsResult:
    """The engine's result with adjustments confirmed and variations made by the panel."""
    adjustments = {sid: d.adjustment for sid, d in decisions.items() if d.adjustment}
    result = rate(fw, tallies, lead, adjustments)
    standards: dict[str, StandardResult] = {}
    for sid, s in result.standards.items():
        d = decisions.get(sid)
        standards[sid] = replace(s, rating=d.rating) if d is not None and d.decision == "vary" \
            else s
    return replace(result, standards=standards,
                   overall=overall_rating(fw, list(standards.values())))


def filter_options(ws: Workspace, inspection_id: str) -> dict[str, list[str]]:
    """What the filters can be set to: ``pdu``, ``team`` and each case fact, with values."""
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)
    fw = ws.inspection_framework(inspection_id)
    cases = case_rows(ws, inspection_id)
    out: dict[str, list[str]] = {
        "pdu": sorted({c.pdu for c in cases if c.pdu}),
        "team": sorted({c.team for c in cases if c.team}),
    }
    for f in fw.case_facts:
        out[f.id] = list(f.values)
    return out
