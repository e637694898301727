"""The case sample, step by step: the one API the CLI (``sample …``) and the set-up window call.

The lead imports the organisation's long list of each sample kind, decides the exclusion
flags, draws a provisional list with a seed, sends it to the organisation as a workbook,
imports it back with their availability, consent and late exclusions, and finalises: the final
cases become the inspection's cases, which the allocation then shares out with nothing
re-typed. At fieldwork an ineligible case is swapped for a reserve of its stratum. ``report``
shows the evidence that the sample is fair (000_ §4.1–4.3, 001_ §4.1–4.3, 002_ §4.1–4.2;
docs/sampling.md).

Every step reads and checks everything first, then writes in one transaction with its audit
row (``case_id`` NULL, action ``sample_…``); a refusal is one ``UserError`` line and writes
nothing. SQL on the sample's tables lives in ``sampling/records.py``.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import write_tracked
from hmip_desktop.sampling import provisional_file, records, stored_list
from hmip_desktop.sampling.draw import DrawRequest, check_seed, draw, final_from_returned
from hmip_desktop.sampling.draw import swap_for_reserve as draw_swap
from hmip_desktop.sampling.longlist import (
    decide,
    read_longlist_bytes,
)
from hmip_desktop.sampling.model import (
    Constraints,
    Returned,
    SamplingError,
)
from hmip_desktop.sampling.rules import (
    Fixed,
    OrganisationTable,
    PopulationDriven,
    SampleKind,
    SplitRatio,
)
from hmip_desktop.sampling.sizes import Share, fairness, margin_of_error, size_for
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.user_files import LONGLIST_FILE_MAX, describe_size, read_user_file


class SamplingRefused(UserError):
    """A step of the case sample refused, in one line; nothing was written."""


# -- what the service returns ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LongListSummary:
    """A stored long list: where it came from and what it holds."""

    kind: str
    label: str
    file_name: str
    file_sha256: str
    cases: int  # rows on the long list
    eligible: int  # cases the draw may choose (not excluded)
    flagged: int  # cases with at least one exclusion flag
    undecided: int  # flags the lead has not confirmed or overruled
    marked: int  # cases the organisation marked as potential exclusions
    excluded_per_rule: Mapping[str, int]  # the rule's words → cases it excludes
    stage: str  # "long list", "provisional" or "final"


@dataclass(frozen=True, slots=True)
class FlagView:
    """One exclusion flag on one case, with the lead's decision if there is one."""

    case_ref: str
    row: int  # in the organisation's spreadsheet
    rule: str
    words: str
    source: str
    firm: bool  # a firm rule excludes unless overruled; a potential one only if confirmed
    marked: str  # the organisation's own potential-exclusion note on the case
    decision: records.Decision | None
    excluded: bool


@dataclass(frozen=True, slots=True)
class DrawSummary:
    """A provisional or final draw, as the lead needs to see it."""

    kind: str
    stage: str
    seed: str
    target: int  # the final sample's size
    population: int  # eligible cases drawn from
    provisional: tuple[str, ...]
    final: tuple[str, ...]
    reserves: tuple[str, ...]
    adjustments: tuple[Mapping[str, Any], ...]  # {"out", "in", "stratum", "reason"}
    unmet: tuple[str, ...]
    size_rule: str  # how the target was found, in words
    strata: Mapping[str, tuple[str, ...]]  # each provisional case's stratum


@dataclass(frozen=True, slots=True)
class ReturnedSummary:
    kind: str
    cases: int  # rows in the returned file
    usable: int  # available, consenting, not excluded since
    not_returned: tuple[str, ...]  # provisional cases missing from the file


@dataclass(frozen=True, slots=True)
class FinalSummary:
    draw: DrawSummary
    cases_added: int  # added to the inspection's cases, ready for allocation


@dataclass(frozen=True, slots=True)
class SwapSummary:
    kind: str
    out_case: str
    in_case: str
    stratum: tuple[str, ...]
    reason: str
    reserves_left: int


@dataclass(frozen=True, slots=True)
class SampleReport:
    """The evidence that the sample is fair (000_ §4.1–4.2)."""

    kind: str
    label: str
    stage: str  # the draw the report is about: "provisional" or "final"
    seed: str
    long_list_cases: int
    population: int  # eligible after exclusions
    sample: int  # final cases (the provisional list's final part before finalising)
    margin_of_error_points: float  # at 80% confidence, for the achieved size
    shares: tuple[Share, ...]  # per stratification variable: population % against sample %
    excluded_per_rule: Mapping[str, int]
    adjustments: tuple[Mapping[str, Any], ...]
    unmet: tuple[str, ...]
    swaps: tuple[records.Swap, ...]


# -- the long list -----------------------------------------------------------------------------

def sample_kinds(ws: Workspace, iid: str) -> list[tuple[str, str]]:
    """(id, label) of each sample kind the inspection's framework defines."""
    rules = ws.inspection_framework(iid).sampling
    return [(k.id, k.label) for k in rules.kinds] if rules else []


def import_longlist(ws: Workspace, iid: str, kind: str, path: Path) -> LongListSummary:
    """Import the organisation's long list of ``kind`` (CSV or XLSX), all or nothing.

    Every row is checked against the framework's rules (columns, types, dates in the
    eligibility window, inconsistent facts, repeated case references) and each bad row is
    reported with its number; nothing is stored until the file is clean. Cases meeting an
    exclusion rule are flagged with the rule's words. Importing again replaces the list, and
    what was built on it, until a final sample exists.
    """
    rules = _replaceable(ws, iid, kind)
    data = read_user_file(path, max_size=LONGLIST_FILE_MAX, error=_file_refused,
                          too_large=lambda: _file_refused(
                              _("the file is larger than {size}: is it the long list?")
                              .format(size=describe_size(LONGLIST_FILE_MAX))))
    with _bulk():
        return _import(ws, iid, kind, rules, path.name, data)


def import_longlist_bytes(ws: Workspace, iid: str, kind: str, file_name: str,
                          data: bytes) -> LongListSummary:
    """``import_longlist`` for a list held in memory (the demo's), with no file on the way."""
    rules = _replaceable(ws, iid, kind)
    with _bulk():
        return _import(ws, iid, kind, rules, file_name, data)


def _replaceable(ws: Workspace, iid: str, kind: str) -> SampleKind:
    """The kind's rules, if its long list may still be (re)placed: no final sample yet."""
    _fw, rules = _kind(ws, iid, kind)
    if records.stored_draw(ws, iid, kind, "final") is not None:
        raise SamplingRefused(_("the final {kind} sample is already drawn: its long list can no "
                                "longer be replaced").format(kind=rules.label))
    return rules


def _import(ws: Workspace, iid: str, kind: str, rules: SampleKind, file_name: str,
            data: bytes) -> LongListSummary:
    longlist = read_longlist_bytes(data, rules, _fieldwork_start(ws, iid, rules))
    headings, columns = stored_list.layout(longlist)
    cases = stored_list.new_cases(longlist)
    del longlist
    sha = hashlib.sha256(data).hexdigest()
    earlier = records.longlist_file(ws, iid, kind)
    with ws.transaction():
        n = records.replace_longlist(ws, iid, kind, file_name=file_name, file_sha256=sha,
                                     headings=headings, columns=columns, cases=cases)
        ws.record(None, "sample_longlist", kind,
                  f"{earlier.file_name} {earlier.file_sha256}" if earlier else None,
                  f"{file_name} {sha} ({n} cases)")
    return _summarise(rules, file_name, sha, stored_list.population(
        stored_list.draw_columns_of(cases), {}, candidates_too=False), "long list")


def longlist_summary(ws: Workspace, iid: str, kind: str) -> LongListSummary:
    """What the stored long list of ``kind`` holds, and how far its sample has got."""
    _fw, rules = _kind(ws, iid, kind)
    file = _file(ws, iid, kind, rules)
    stage = ("final" if records.stored_draw(ws, iid, kind, "final")
             else "provisional" if records.stored_draw(ws, iid, kind, "provisional")
             else "long list")
    return _summarise(rules, file.file_name, file.file_sha256,
                      _population_of(ws, iid, kind, rules), stage)


def exclusion_flags(ws: Workspace, iid: str, kind: str) -> list[FlagView]:
    """Every exclusion flag on the long list, in row order, with the lead's decisions.

    The organisation's own potential-exclusion marks (001_ §4.3) are flags too, with the rule
    ``marked``: like the manual's potential exclusions, they exclude only if confirmed.
    """
    _fw, rules = _kind(ws, iid, kind)
    population = _population_of(ws, iid, kind, rules)
    stored = records.decisions(ws, iid, kind)
    return [FlagView(case_ref=r.case_id, row=r.row, rule=f.rule, words=f.words,
                     source=f.source, firm=f.firm, marked=r.marked,
                     decision=stored.get((r.case_id, f.rule)),
                     excluded=stored_list.excludes(r, f, population.decisions))
            for r in population.flagged for f in r.flags]


def decide_exclusion(ws: Workspace, iid: str, kind: str, case_ref: str, rule: str,
                     confirm: bool, reason: str) -> FlagView:
    """Confirm (the case is excluded) or overrule an exclusion flag, with a reason.

    Refused once a provisional list is drawn: it was drawn on the decisions as they were
    (import the long list again to start over).
    """
    _fw, rules = _kind(ws, iid, kind)
    if records.stored_draw(ws, iid, kind, "provisional") is not None:
        raise SamplingRefused(_("the provisional {kind} list is already drawn on the decisions "
                                "as they were: to change one, import the long list again")
                              .format(kind=rules.label))
    flag = next((f for f in exclusion_flags(ws, iid, kind)
                 if f.case_ref == case_ref and f.rule == rule), None)
    if flag is None:
        raise SamplingRefused(_("case {ref} has no exclusion flag {rule} on the {kind} long "
                                "list").format(ref=case_ref, rule=rule, kind=rules.label))
    checked = decide(case_ref, rule, confirmed=confirm, reason=reason)
    word = "confirmed" if confirm else "overruled"
    with ws.transaction():
        earlier = records.put_decision(ws, iid, kind, case_ref, rule, confirmed=confirm,
                                       reason=checked.reason)
        ws.record(None, "sample_exclusion", f"{kind} {case_ref} {rule}",
                  (f"{'confirmed' if earlier.confirmed else 'overruled'}: {earlier.reason}"
                   if earlier else None), f"{word}: {checked.reason}")
    return next(f for f in exclusion_flags(ws, iid, kind)
                if f.case_ref == case_ref and f.rule == rule)


# -- drawing -------------------------------------------------------------------------------------

def draw_provisional(ws: Workspace, iid: str, kind: str, seed: str,
                     size: int | None = None) -> DrawSummary:
    """Draw the provisional list with ``seed`` (a whole number the lead chooses and records).

    The final size comes from the rules (the organisation's size table, a split of a
    population-driven size, or the population-driven size itself), unless ``size`` is given;
    the provisional list is larger by the rules' margin (20%). The same long list, decisions
    and seed always give the same cases. Drawing again replaces the provisional list (and
    what the organisation returned about it) until the final sample is drawn.
    """
    try:
        seed_number = check_seed(seed)
    except SamplingError as e:
        raise SamplingRefused(str(e)) from None
    fw, rules = _kind(ws, iid, kind)
    if records.stored_draw(ws, iid, kind, "final") is not None:
        raise SamplingRefused(_("the final {kind} sample is already drawn").format(
            kind=rules.label))
    file = _file(ws, iid, kind, rules)
    with _bulk():
        population = _population_of(ws, iid, kind, rules)
        candidates = population.candidates
        target, size_rule = _target(ws, iid, fw, rules, len(candidates), size)
        try:
            drawn = draw(DrawRequest(
                candidates=candidates, target=target, seed=seed_number,
                constraints=Constraints(rules.min_per_pdu, rules.max_per_practitioner),
                spread=rules.spread, margin_percent=rules.provisional_margin_percent,
                reserves=rules.reserves))
        except SamplingError as e:
            raise SamplingRefused(str(e)) from None
    result = stored_list.result_of(drawn, Counter(c.stratum for c in candidates),
                                   population.excluded, size_rule)
    earlier = records.stored_draw(ws, iid, kind, "provisional")
    with ws.transaction():
        records.forget_returned(ws, iid, kind)
        records.put_draw(ws, iid, kind, "provisional", seed=str(seed_number), target=target,
                         longlist_sha256=file.file_sha256, result=result)
        ws.record(None, "sample_draw", f"{kind} provisional",
                  f"seed {earlier.seed}" if earlier else None,
                  f"seed {seed_number}: {len(drawn.provisional)} cases, final {target}")
    return _summary(kind, "provisional", str(seed_number), target, result)


def export_provisional(ws: Workspace, iid: str, kind: str, path: Path) -> Path:
    """Write the provisional list as an XLSX for the organisation to complete.

    The long list's columns for each provisional case, then columns for the practitioner's
    availability, consent to contact, a late exclusion and a note. Text is written as text:
    nothing in a cell is ever evaluated as a formula.
    """
    _fw, rules = _kind(ws, iid, kind)
    stored = _provisional(ws, iid, kind, rules)
    file = _file(ws, iid, kind, rules)
    refs = [c[0] for c in stored.result["candidates"]]
    data = provisional_file.provisional_workbook(
        file.headings, map(records.longlist_cells(ws, iid, kind, refs).__getitem__, refs))
    written = write_tracked(ws, path, data, "provisional_list")
    with ws.transaction():
        ws.record(None, "sample_export", f"{kind} provisional", None,
                  f"{written.name} ({len(refs)} cases)")
    return written


def import_returned(ws: Workspace, iid: str, kind: str, path: Path) -> ReturnedSummary:
    """Import the provisional list as the organisation returned it, all or nothing.

    Each row must be a case of the provisional list (a row with any other case is refused,
    named by its row number) with yes or no for availability and consent. Importing again
    replaces what was imported before, until the final sample is drawn.
    """
    _fw, rules = _kind(ws, iid, kind)
    stored = _provisional(ws, iid, kind, rules)
    if records.stored_draw(ws, iid, kind, "final") is not None:
        raise SamplingRefused(_("the final {kind} sample is already drawn").format(
            kind=rules.label))
    refs = [c[0] for c in stored.result["candidates"]]
    case_column = rules.column(rules.case_id_column)
    rows = provisional_file.read_returned(
        path, (case_column.label, case_column.id, *case_column.aliases), refs)
    facts = [records.ReturnedFacts(r.case_ref, r.available, r.consent, r.late_exclusion,
                                   r.note) for r in rows]
    with ws.transaction():
        n = records.replace_returned(ws, iid, kind, facts)
        ws.record(None, "sample_returned", f"{kind} provisional", None,
                  f"{path.name} ({n} cases)")
    returned = {r.case_ref for r in rows}
    return ReturnedSummary(
        kind=kind, cases=len(rows),
        usable=sum(1 for r in rows if r.available and r.consent and not r.late_exclusion),
        not_returned=tuple(ref for ref in refs if ref not in returned))


def finalise(ws: Workspace, iid: str, kind: str) -> FinalSummary:
    """Draw the final sample and its reserves from the returned provisional list.

    Each final case the organisation cannot offer (practitioner unavailable, no consent, a
    late exclusion, or not returned) is replaced by the next usable case of its stratum, so
    the proportions hold; the usable cases left are the reserves. The final cases are added to
    the inspection's cases, where the allocation finds them.
    """
    fw, rules = _kind(ws, iid, kind)
    if records.stored_draw(ws, iid, kind, "final") is not None:
        raise SamplingRefused(_("the final {kind} sample is already drawn").format(
            kind=rules.label))
    stored = _provisional(ws, iid, kind, rules)
    returned = records.returned_facts(ws, iid, kind)
    if not returned:
        raise SamplingRefused(_("import the provisional {kind} list as the organisation "
                                "returned it first").format(kind=rules.label))
    provisional = stored_list.as_draw(stored)
    try:
        final = final_from_returned(provisional, {
            ref: Returned(f.available, f.consent, f.late_exclusion)
            for ref, f in returned.items()})
    except SamplingError as e:
        raise SamplingRefused(str(e)) from None
    result = stored_list.next_result(stored.result, final)
    new_cases = stored_list.case_rows(ws, iid, kind, rules, fw, _file(ws, iid, kind, rules),
                                      [c.case_id for c in final.final])
    with ws.transaction():
        records.put_draw(ws, iid, kind, "final", seed=stored.seed, target=stored.target,
                         longlist_sha256=stored.longlist_sha256, result=result)
        ws.add_cases(iid, new_cases)
        ws.record(None, "sample_final", kind, None,
                  f"seed {stored.seed}: {len(final.final)} cases, "
                  f"{len(final.reserves)} reserves")
    return FinalSummary(_summary(kind, "final", stored.seed, stored.target, result),
                        len(new_cases))


def use_reserve(ws: Workspace, iid: str, kind: str, case_ref: str, reason: str) -> SwapSummary:
    """Swap a final case found ineligible at fieldwork for a reserve of the same stratum.

    002_ §4.2. The reserve joins the inspection's cases (to be allocated); the case it
    replaces stays with its history, for its assessor to record as excluded. Audited with the
    reason. Refused when the case is not in the final sample or its stratum has no reserve.
    """
    fw, rules = _kind(ws, iid, kind)
    stored = records.stored_draw(ws, iid, kind, "final")
    if stored is None:
        raise SamplingRefused(_("the final {kind} sample is not drawn yet").format(
            kind=rules.label))
    reason = " ".join(reason.split())
    try:
        swapped, swap = draw_swap(stored_list.as_draw(stored), case_ref, reason)
        decide(case_ref, "reserve", confirmed=True, reason=reason)  # the same checks of text
    except SamplingError as e:
        raise SamplingRefused(str(e)) from None
    result = stored_list.next_result(stored.result, swapped)
    new_case = stored_list.case_rows(ws, iid, kind, rules, fw, _file(ws, iid, kind, rules),
                                     [swap.in_case])
    with ws.transaction():
        records.put_draw(ws, iid, kind, "final", seed=stored.seed, target=stored.target,
                         longlist_sha256=stored.longlist_sha256, result=result)
        records.add_swap(ws, iid, kind, out_case=swap.out_case, in_case=swap.in_case,
                         reason=reason)
        ws.add_cases(iid, new_case)
        ws.record(None, "sample_reserve", f"{kind} {swap.out_case}", swap.out_case,
                  f"{swap.in_case}: {reason}")
    return SwapSummary(kind=kind, out_case=swap.out_case, in_case=swap.in_case,
                       stratum=swap.stratum, reason=reason,
                       reserves_left=sum(1 for c in swapped.reserves
                                         if c.stratum == swap.stratum))


# -- the evidence that the sample is fair ----------------------------------------------------

def report(ws: Workspace, iid: str, kind: str) -> SampleReport:
    """The evidence that the sample is fair, for the set-up window and ``sample report``.

    Per stratification variable, population % against sample %; the margin of error at 80%
    for the achieved size; the cases excluded per rule; the seed, the adjustments and the
    constraints not met. About the final sample once drawn, else the provisional list's final
    part.
    """
    _fw, rules = _kind(ws, iid, kind)
    stored = records.stored_draw(ws, iid, kind, "final") or _provisional(ws, iid, kind, rules)
    file = _file(ws, iid, kind, rules)
    result = stored.result
    strata = {c[0]: tuple(c[1]) for c in result["candidates"]}
    population = {tuple(s): n for s, n in result["population"]}
    sample = Counter(strata[ref] for ref in result["final"])
    eligible = sum(population.values())
    n = len(result["final"])
    moe = margin_of_error(n, eligible) if 0 < n <= eligible else 0.0
    names = ([rules.column(v).label for v in rules.stratification.variables]
             if rules.stratification.variables else [_("Group")])
    return SampleReport(
        kind=kind, label=rules.label, stage=stored.stage, seed=stored.seed,
        long_list_cases=file.row_count, population=eligible, sample=n,
        margin_of_error_points=round(100 * moe, 1),
        shares=tuple(fairness(population, sample, names)),
        excluded_per_rule=_per_rule(rules, result["excluded"]),
        adjustments=tuple(result["adjustments"]), unmet=tuple(result["unmet"]),
        swaps=tuple(records.swaps(ws, iid, kind)))


# -- helpers ---------------------------------------------------------------------------------

@contextmanager
def _bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a whole long list is in memory.

    Reading, checking and storing 50,000 cases makes hundreds of thousands of small lists,
    dicts and tuples, none in a cycle; each automatic collection rescans the growing heap,
    which took more time than the work itself (docs/performance.md). Reference counting still
    frees everything; the collector is back on afterwards, as it was.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _kind(ws: Workspace, iid: str, kind: str) -> tuple[Framework, SampleKind]:
    fw = ws.inspection_framework(iid)
    if fw.sampling is None:
        raise SamplingRefused(_("the framework of this inspection has no sampling rules"))
    try:
        return fw, fw.sampling.kind(kind)
    except KeyError:
        raise SamplingRefused(_("{kind!r} is not a sample kind of this inspection (kinds: "
                                "{kinds})").format(kind=kind, kinds=", ".join(
                                    k.id for k in fw.sampling.kinds))) from None


def _file_refused(reason: str) -> UserError:
    return SamplingRefused(_("nothing imported: {reason}").format(reason=reason))


def _fieldwork_start(ws: Workspace, iid: str, rules: SampleKind) -> date:
    start = next((i["fieldwork_start"] for i in ws.inspections() if i["id"] == iid), None)
    if not start:
        if rules.window is not None:
            raise SamplingRefused(_("the inspection has no first day of fieldwork: the long "
                                    "list's dates are checked against it"))
        return date.today()  # unused: the kind has no eligibility window
    return date.fromisoformat(start)


def _population_of(ws: Workspace, iid: str, kind: str, rules: SampleKind
                   ) -> stored_list.Population:
    _file(ws, iid, kind, rules)  # refused before any long list
    return stored_list.stored_population(ws, iid, kind)


def _summarise(rules: SampleKind, file_name: str, sha: str, population: stored_list.Population,
               stage: str) -> LongListSummary:
    return LongListSummary(
        kind=rules.id, label=rules.label, file_name=file_name, file_sha256=sha,
        cases=population.cases, eligible=population.eligible,
        flagged=population.flagged_cases,
        undecided=population.undecided,
        marked=population.marked,
        excluded_per_rule=_per_rule(rules, population.excluded),
        stage=stage)


def _per_rule(rules: SampleKind, excluded: Mapping[str, int]) -> dict[str, int]:
    """Cases excluded per rule, in the rules' order, 0 included.

    Then, if any, the cases the organisation marked and the lead confirmed.
    """
    out = {e.words: int(excluded.get(e.words, 0)) for e in rules.exclusions}
    if excluded.get(stored_list.MARKED_WORDS):
        out[stored_list.MARKED_WORDS] = int(excluded[stored_list.MARKED_WORDS])
    return out


def _file(ws: Workspace, iid: str, kind: str, rules: SampleKind) -> records.LongListFile:
    file = records.longlist_file(ws, iid, kind)
    if file is None:
        raise SamplingRefused(_("import the {kind} long list first").format(kind=rules.label))
    return file


def _provisional(ws: Workspace, iid: str, kind: str, rules: SampleKind) -> records.StoredDraw:
    stored = records.stored_draw(ws, iid, kind, "provisional")
    if stored is None:
        raise SamplingRefused(_("draw the provisional {kind} list first").format(
            kind=rules.label))
    return stored


def _target(ws: Workspace, iid: str, fw: Framework, rules: SampleKind, eligible: int,
            size: int | None) -> tuple[int, str]:
    """The final sample's size, and how it was found, in words."""
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= 10_000:
            raise SamplingRefused(_("the sample size must be a whole number from 1 to 10,000"))
        return size, _("{n} cases, as the lead chose").format(n=size)
    rule = rules.size
    if isinstance(rule, Fixed):
        return rule.size, _("{n} cases, the manual's estimate").format(n=rule.size)
    if isinstance(rule, OrganisationTable):
        organisation = next(i["organisation"] for i in ws.inspections() if i["id"] == iid)
        sizes = {name.casefold(): n for name, n in rule.sizes.items()}
        n = sizes.get(" ".join(organisation.split()).casefold())
        if n is None:
            raise SamplingRefused(_("the size table has no organisation called {org!r}: give "
                                    "the sample size").format(org=organisation))
        return n, _("{n} cases, the size table's for {org}").format(n=n, org=organisation)
    if isinstance(rule, PopulationDriven):
        n = size_for(eligible, rule.margin_points / 100, rule.confidence_percent / 100)
        return n, _("{n} cases: ±{m} points at {c}% confidence for {pop} eligible cases").format(
            n=n, m=rule.margin_points, c=rule.confidence_percent, pop=eligible)
    assert isinstance(rule, SplitRatio)
    return _split_target(ws, iid, fw, rules, rule, eligible)


def _split_target(ws: Workspace, iid: str, fw: Framework, rules: SampleKind, rule: SplitRatio,
                  eligible: int) -> tuple[int, str]:
    """The kind's share of one size for the kinds that split it (youth: 60/40, 001_ §4.1)."""
    assert fw.sampling is not None
    population = 0
    for other in fw.sampling.kinds:
        if not isinstance(other.size, SplitRatio):
            continue
        if other.id == rules.id:
            population += eligible
            continue
        if records.longlist_file(ws, iid, other.id) is None:
            raise SamplingRefused(_("the sample size comes from the {other} long list too: "
                                    "import it first, or give the sample size").format(
                                        other=other.label))
        population += _population_of(ws, iid, other.id, other).eligible
    total = size_for(population, rule.margin_points / 100, rule.confidence_percent / 100)
    n = (total * rule.share_percent + 50) // 100
    return n, _("{n} cases: {share}% of {total}, the size for ±{m} points at {c}% confidence "
                "for {pop} eligible cases").format(n=n, share=rule.share_percent, total=total,
                                                    m=rule.margin_points,
                                                    c=rule.confidence_percent, pop=population)


def _summary(kind: str, stage: str, seed: str, target: int, result: Mapping[str, Any]
             ) -> DrawSummary:
    return DrawSummary(
        kind=kind, stage=stage, seed=seed, target=target,
        population=sum(n for _s, n in result["population"]),
        provisional=tuple(c[0] for c in result["candidates"]),
        final=tuple(result["final"]), reserves=tuple(result["reserves"]),
        adjustments=tuple(result["adjustments"]), unmet=tuple(result["unmet"]),
        size_rule=result.get("size_rule", ""),
        strata={c[0]: tuple(c[1]) for c in result["candidates"]})


