"""The stored case sample turned back into the values the draw and the service work on.

A long list is stored as rows of text (``records``); the service needs it as candidates with
the lead's decisions applied, its draws as the draw's own ``Draw``, and its final cases as
``Workspace.add_cases`` rows. These conversions, and their reverse, live here so the service
reads as the steps of the chapter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from hmip_desktop.frameworks.model import Framework
from hmip_desktop.sampling import records
from hmip_desktop.sampling.longlist import Decision as FlagDecision
from hmip_desktop.sampling.longlist import Flag, LongList, LongListRow
from hmip_desktop.sampling.model import Adjustment, Candidate, Constraints, Draw
from hmip_desktop.sampling.rules import SampleKind
from hmip_desktop.store.workspace import Workspace

CASE_FIELDS = ("person_name", "pdu", "team", "office", "practitioner", "prison", "report_type")
"""Columns of the long list that fill the ``cases`` row of the same name (by column id)."""

MARKED = "marked"
"""The rule id of the organisation's own potential-exclusion mark, kept as a flag."""
MARKED_WORDS = "marked by the organisation as a potential exclusion"


def layout(longlist: LongList) -> tuple[list[str], dict[str, int]]:
    """The stored headings (the rules' columns the file has, then its others), and the map.

    The map says where each of the rules' columns is among the headings.
    """
    present = longlist.rows[0].columns if longlist.rows else ()
    headings = [longlist.kind.column(cid).label for cid in present]
    return headings + list(longlist.extra_headings), {cid: i for i, cid in enumerate(present)}


def new_cases(longlist: LongList, pdu: int, practitioner: int) -> records.NewCases:
    """A checked long list as stored.

    Each case's cells (the rules' columns as checked, then the file's others), its flags (the
    organisation's own mark among them), stratum, PDU and practitioner; ``pdu`` and
    ``practitioner`` are their cells' places, -1 if absent.
    """
    rows = longlist.rows
    extra = longlist.extra_headings
    cells: Sequence[Sequence[str]] = longlist.stored_cells or (
        [r.cells + tuple(map(r.extra.get, extra, repeat(""))) for r in rows] if extra
        else list(map(itemgetter(3), rows)))
    kinds: dict[tuple[str, str, str, bool], int] = {}
    flags: list[Sequence[int]] = [()] * len(rows)
    for k, r in enumerate(rows):
        if r.flags or r.marked:
            marks = [(f.rule, f.words, f.source, f.firm) for f in r.flags]
            if r.marked:
                marks.append((MARKED, MARKED_WORDS, r.marked, False))
            flags[k] = [kinds.setdefault(m, len(kinds)) for m in marks]
    empty = [""] * len(rows)
    return records.NewCases(
        case_refs=list(map(itemgetter(1), rows)), rows=list(map(itemgetter(0), rows)),
        cells=cells, flags=flags,
        flag_kinds=[{"rule": m[0], "words": m[1], "source": m[2], "firm": m[3]} for m in kinds],
        strata=list(map(itemgetter(6), rows)),
        pdus=[r.cells[pdu] for r in rows] if pdu >= 0 else empty,
        practitioners=[r.cells[practitioner] for r in rows] if practitioner >= 0 else empty)


def draw_rows_of(cases: records.NewCases) -> Iterable[tuple[str, int, Any, Any, str, str]]:
    """The cases as ``records.draw_rows`` reads them back once stored."""
    kinds = cases.flag_kinds
    return zip(cases.case_refs, cases.rows,
               ([kinds[i] for i in f] if f else () for f in cases.flags), cases.strata,
               cases.pdus, cases.practitioners, strict=True)


@dataclass(frozen=True, slots=True)
class Population:
    """A long list as the draw sees it, with the lead's decisions applied."""

    cases: int
    marked: int
    flagged: tuple[LongListRow, ...]  # the rows with a flag, as the reader's own rows
    decisions: Mapping[tuple[str, str], FlagDecision]
    eligible: int  # the cases the draw may choose
    candidates: tuple[Candidate, ...]  # those cases, in the file's order (if asked for)
    excluded: Mapping[str, int]  # a rule's words → the cases it keeps out


def population(rows: Iterable[tuple[str, int, Any, Any, str, str]],
               decisions: Mapping[tuple[str, str], FlagDecision], *,
               candidates_too: bool = True) -> Population:
    """Apply the decisions: ``LongListRow.excluded`` is the one rule of who is left out.

    ``rows`` are ``records.DrawRow``, or the same with the stratum a tuple (a long list just
    read). Without ``candidates_too`` only the counts are kept. Worked column by column: most
    cases carry no flag, and a few dozen strata repeat across tens of thousands of cases.
    """
    table = list(rows)
    if not table:
        return Population(cases=0, marked=0, flagged=(), decisions=decisions, eligible=0,
                          candidates=(), excluded={})
    refs, numbers, all_flags, keys, pdus, practitioners = zip(*table, strict=True)
    del table
    loads = json.loads
    strata = {k: tuple(loads(k)) if isinstance(k, str) else tuple(k) for k in set(keys)}
    made: dict[int, Flag] = {}  # the cases a rule flags share one mapping: one Flag each

    def make(f: Mapping[str, Any]) -> Flag:
        flag = made[id(f)] = Flag(f["rule"], f["words"], f.get("source", ""), bool(f["firm"]))
        return flag

    flagged = []
    excluded: dict[str, int] = {}
    keep = [True] * len(refs)
    marked = 0
    # A few rules flag thousands of cases: each distinct set of flags is worked out once
    # (its flags, the organisation's note, the words of its firm flags), then only a case
    # the lead decided on is looked at flag by flag.
    kinds: dict[tuple[int, ...], tuple[tuple[Flag, ...], str, list[str]]] = {}
    no_cells: tuple[str, ...] = ()
    no_extra: Mapping[str, str] = {}
    no_formulas: frozenset[str] = frozenset()
    decided = {ref for ref, _rule in decisions}
    for k in [k for k, f in enumerate(all_flags) if f]:
        signature = tuple(map(id, all_flags[k]))
        known = kinds.get(signature)
        if known is None:
            fs = tuple(made.get(id(f)) or make(f) for f in all_flags[k])
            known = kinds[signature] = (
                fs, next((f.source for f in fs if f.rule == MARKED), ""),
                [f.words for f in fs if f.firm])
        flags, note, firm = known
        marked += bool(note)
        row = LongListRow(numbers[k], refs[k], no_cells, no_cells, no_extra, no_formulas,
                          strata[keys[k]], flags, note)
        flagged.append(row)
        out = ([f.words for f in flags if excludes(row, f, decisions)]  # as row.excluded
               if refs[k] in decided else firm)
        if out:
            for words in out:
                excluded[words] = excluded.get(words, 0) + 1
            keep[k] = False
    eligible = len(refs) - keep.count(False)
    candidates: tuple[Candidate, ...] = ()
    if candidates_too:
        everyone = map(Candidate._make, zip(refs, map(strata.__getitem__, keys), pdus,
                                            practitioners, strict=True))
        candidates = tuple(compress(everyone, keep) if eligible < len(refs) else everyone)
    return Population(cases=len(refs), marked=marked, flagged=tuple(flagged),
                      decisions=decisions, eligible=eligible, candidates=candidates,
                      excluded=dict(excluded))


def stored_population(ws: Workspace, iid: str, kind: str) -> Population:
    """The stored long list of ``kind`` with the lead's decisions applied."""
    return population(records.draw_rows(ws, iid, kind), decisions_of(ws, iid, kind))

def decisions_of(ws: Workspace, iid: str, kind: str) -> dict[tuple[str, str], FlagDecision]:
    return {key: FlagDecision(d.case_ref, d.rule, d.confirmed, d.reason)
            for key, d in records.decisions(ws, iid, kind).items()}


def excludes(row: LongListRow, flag: Flag,
              decisions: Mapping[tuple[str, str], FlagDecision]) -> bool:
    """Whether this one flag, as decided, keeps the case out of the draw."""
    d = decisions.get((row.case_id, flag.rule))
    return d.confirmed if d is not None else flag.firm

def result_of(drawn: Draw, population: Mapping[tuple[str, ...], int],
            excluded: Mapping[str, int], size_rule: str) -> dict[str, Any]:
    return {
        "candidates": [[c.case_id, list(c.stratum), c.pdu, c.practitioner]
                       for c in drawn.provisional],
        "final": [c.case_id for c in drawn.final],
        "reserves": [c.case_id for c in drawn.reserves],
        "allocation": sorted([list(s), n] for s, n in drawn.allocation.items()),
        "population": sorted([list(s), n] for s, n in population.items()),
        "adjustments": [{"out": a.out_case, "in": a.in_case, "stratum": list(a.stratum),
                         "reason": a.reason} for a in drawn.adjustments],
        "unmet": list(drawn.unmet),
        "constraints": {"min_per_pdu": drawn.constraints.min_per_pdu,
                        "max_per_practitioner": drawn.constraints.max_per_practitioner},
        "excluded": dict(excluded),
        "size_rule": size_rule,
    }


def next_result(earlier: Mapping[str, Any], drawn: Draw) -> dict[str, Any]:
    """The result of a step taken from an earlier draw: its population and exclusions kept."""
    return {**result_of(drawn, {}, {}, earlier.get("size_rule", "")),
            "population": earlier["population"], "excluded": earlier["excluded"]}


def as_draw(stored: records.StoredDraw) -> Draw:
    """A stored draw back as the draw's own value, to take the next step from."""
    r = stored.result
    cands = {c[0]: Candidate(c[0], tuple(c[1]), c[2], c[3]) for c in r["candidates"]}
    return Draw(
        seed=int(stored.seed), target=stored.target,
        allocation={tuple(s): int(n) for s, n in r["allocation"]},
        provisional=tuple(cands.values()),
        final=tuple(cands[ref] for ref in r["final"]),
        reserves=tuple(cands[ref] for ref in r["reserves"]),
        constraints=Constraints(**r["constraints"]),
        adjustments=tuple(Adjustment(a["out"], a["in"], tuple(a["stratum"]), a["reason"])
                          for a in r["adjustments"]),
        unmet=tuple(r["unmet"]))

def case_rows(ws: Workspace, iid: str, kind: str, rules: SampleKind, fw: Framework,
              file: records.LongListFile, refs: Sequence[str]) -> list[Mapping[str, Any]]:
    """``Workspace.add_cases`` rows for these long-list cases: nothing re-typed."""
    by_ref = records.longlist_cells(ws, iid, kind, refs)
    fact_columns = [(c.fact, file.columns[c.id]) for c in rules.columns
                    if c.fact and c.id in file.columns]
    where = {field: file.columns[field] for field in CASE_FIELDS if field in file.columns}
    if rules.pdu_column in file.columns:
        where["pdu"] = file.columns[rules.pdu_column]
    if rules.practitioner_column in file.columns:
        where["practitioner"] = file.columns[rules.practitioner_column]
    out: list[Mapping[str, Any]] = []
    for ref in refs:
        cells = by_ref[ref]
        facts = {fact: cells[i] for fact, i in fact_columns if cells[i]}
        if rules.sample_value and "sample" in fw.fields_by_id:
            facts["sample"] = rules.sample_value
        out.append({"case_ref": ref, "facts": facts,
                    **{field: cells[i] for field, i in where.items()}})
    return out
