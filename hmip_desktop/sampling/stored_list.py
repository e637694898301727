"""The stored case sample turned back into the values the draw and the service work on.

A long list is stored as rows of text (``records``); the service needs it as candidates with
the lead's decisions applied, its draws as the draw's own ``Draw``, and its final cases as
``Workspace.add_cases`` rows. These conversions, and their reverse, live here so the service
reads as the steps of the chapter.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

from hmip_desktop.frameworks.model import NOT_RECORDED, Framework
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
    present = longlist.ids if len(longlist) else ()
    headings = [longlist.kind.column(cid).label for cid in present]
    return headings + list(longlist.extra_headings), {cid: i for i, cid in enumerate(present)}


def new_cases(longlist: LongList) -> records.NewCases:
    """A checked long list as stored, from the reader's columns.

    Each case's cells (the rules' columns as checked, then the file's others), its flags (the
    organisation's own mark among them), stratum, PDU and practitioner ("" where the list
    has no such column).
    """
    size = len(longlist)
    kinds: dict[tuple[str, str, str, bool], int] = {}
    flags: list[Sequence[int]] = [()] * size
    known: dict[tuple[int, str], list[int]] = {}  # the flags' tuple and the note → indexes
    for k, (fs, note) in enumerate(zip(longlist.flags, longlist.marked, strict=True)):
        if fs or note:
            indexes = known.get((id(fs), note))
            if indexes is None:
                marks = [(f.rule, f.words, f.source, f.firm) for f in fs]
                if note:
                    marks.append((MARKED, MARKED_WORDS, note, False))
                indexes = known[id(fs), note] = [kinds.setdefault(m, len(kinds))
                                                 for m in marks]
            flags[k] = indexes
    empty = [""] * size
    return records.NewCases(
        case_refs=longlist.case_ids, rows=longlist.numbers, cells=longlist.stored_cells(),
        flags=flags,
        flag_kinds=[{"rule": m[0], "words": m[1], "source": m[2], "firm": m[3]} for m in kinds],
        strata=longlist.strata,
        pdus=longlist.columns.get(longlist.kind.pdu_column) or empty,
        practitioners=longlist.columns.get(longlist.kind.practitioner_column) or empty)


def draw_columns_of(cases: records.NewCases) -> records.DrawColumns:
    """The cases as ``records.draw_columns`` reads them back once stored."""
    kinds = cases.flag_kinds
    shared: dict[int, tuple[Mapping[str, Any], ...]] = {}  # cases flagged alike share a tuple
    flags: list[tuple[Mapping[str, Any], ...]] = [
        (shared.get(id(f)) or shared.setdefault(id(f), tuple([kinds[i] for i in f])))
        if f else () for f in cases.flags]
    return records.DrawColumns(cases.case_refs, cases.rows, flags, cases.strata, cases.pdus,
                               cases.practitioners)


@dataclass(frozen=True, slots=True)
class Population:
    """A long list as the draw sees it, with the lead's decisions applied."""

    cases: int
    marked: int
    flagged_cases: int  # the cases with a flag
    undecided: int  # flags the lead has not confirmed or overruled
    decisions: Mapping[tuple[str, str], FlagDecision]
    eligible: int  # the cases the draw may choose
    candidates: tuple[Candidate, ...]  # those cases, in the file's order (if asked for)
    excluded: Mapping[str, int]  # a rule's words → the cases it keeps out
    _flagged: Callable[[], tuple[LongListRow, ...]] = field(default=tuple, repr=False,
                                                            compare=False)

    @property
    def flagged(self) -> tuple[LongListRow, ...]:
        """The cases with a flag, as the reader's own rows (built when asked for)."""
        return self._flagged()


def population(columns: records.DrawColumns,
               decisions: Mapping[tuple[str, str], FlagDecision], *,
               candidates_too: bool = True) -> Population:
    """Apply the decisions: ``LongListRow.excluded`` is the one rule of who is left out.

    ``columns`` as ``records.draw_columns`` reads them, or the same with the strata tuples (a
    long list just read). Without ``candidates_too`` only the counts are kept. Worked column
    by column: most cases carry no flag, the cases flagged by the same rules share one tuple
    of flags (worked out once: its flags, the organisation's note, the words of its firm
    flags), and only a case the lead decided on is looked at flag by flag.
    """
    refs, numbers, all_flags, keys, pdus, practitioners = columns
    size = len(refs)
    loads = json.loads
    strata = {k: tuple(loads(k)) if isinstance(k, str) else tuple(k) for k in set(keys)}
    made: dict[int, Flag] = {}  # the cases a rule flags share one mapping: one Flag each

    def make(f: Mapping[str, Any]) -> Flag:
        flag = made[id(f)] = Flag(f["rule"], f["words"], f.get("source", ""), bool(f["firm"]))
        return flag

    flagged_at = list(compress(range(size), map(bool, all_flags)))
    sets = [id(all_flags[k]) for k in flagged_at]
    kinds: dict[int, tuple[tuple[Flag, ...], str, list[str]]] = {}
    for k in {s: k for s, k in zip(sets, flagged_at, strict=True)}.values():
        fs = tuple(made.get(id(f)) or make(f) for f in all_flags[k])
        kinds[id(all_flags[k])] = (fs, next((f.source for f in fs if f.rule == MARKED), ""),
                                   [f.words for f in fs if f.firm])
    counts = Counter(sets)
    marked = sum(n for s, n in counts.items() if kinds[s][1])
    undecided = sum(n * len(kinds[s][0]) for s, n in counts.items())
    excluded: Counter[str] = Counter()
    decided = {ref for ref, _rule in decisions}
    decided_at = [k for k in flagged_at if refs[k] in decided] if decided else []
    out_decided: set[int] = set()  # the places of the decided cases kept out
    for k in decided_at:  # as ``LongListRow.excluded``, flag by flag
        s = id(all_flags[k])
        counts[s] -= 1
        flags, note, _firm = kinds[s]
        row = _row(numbers[k], refs[k], strata[keys[k]], flags, note)
        out_words = [f.words for f in flags if excludes(row, f, decisions)]
        if out_words:
            excluded.update(out_words)
            out_decided.add(k)
        undecided -= sum((refs[k], f.rule) in decisions for f in flags)
    for s, n in counts.items():  # the cases no decision touches: their firm flags
        for words in kinds[s][2] if n else ():
            excluded[words] += n
    firm_sets = {s for s, known in kinds.items() if known[2]}
    out = [k for k, s in zip(flagged_at, sets, strict=True) if s in firm_sets]  # the places
    if decided_at:  # of the cases kept out
        out = [*({*out}.difference(decided_at)), *out_decided]
    eligible = size - len(out)
    candidates: tuple[Candidate, ...] = ()
    if candidates_too:
        everyone = map(Candidate._make, zip(refs, map(strata.__getitem__, keys), pdus,
                                            practitioners, strict=True))
        if out:
            keep = [True] * size
            for k in out:
                keep[k] = False
            candidates = tuple(compress(everyone, keep))
        else:
            candidates = tuple(everyone)

    def flagged() -> tuple[LongListRow, ...]:
        return tuple(_row(numbers[k], refs[k], strata[keys[k]], kinds[s][0], kinds[s][1])
                     for k, s in zip(flagged_at, sets, strict=True))

    return Population(cases=size, marked=marked, flagged_cases=len(flagged_at),
                      undecided=undecided, decisions=decisions, eligible=eligible,
                      candidates=candidates, excluded=dict(excluded), _flagged=flagged)


_NO_CELLS: tuple[str, ...] = ()
_NO_EXTRA: Mapping[str, str] = {}
_NO_FORMULAS: frozenset[str] = frozenset()


def _row(number: int, ref: str, stratum: tuple[str, ...], flags: tuple[Flag, ...],
         note: str) -> LongListRow:
    """A flagged case as the reader's row, without its cells (the draw reads none)."""
    return LongListRow(number, ref, _NO_CELLS, _NO_CELLS, _NO_EXTRA, _NO_FORMULAS, stratum,
                       flags, note)


def stored_population(ws: Workspace, iid: str, kind: str) -> Population:
    """The stored long list of ``kind`` with the lead's decisions applied."""
    return population(records.draw_columns(ws, iid, kind), decisions_of(ws, iid, kind))


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
    # An optional fact the long list does not give (or leaves empty) is held as not recorded,
    # as the sample import holds it (framework-format.md, "Publication").
    optional = {f.id: NOT_RECORDED for f in fw.case_facts if f.optional}
    out: list[Mapping[str, Any]] = []
    for ref in refs:
        cells = by_ref[ref]
        facts = {**optional, **{fact: cells[i] for fact, i in fact_columns if cells[i]}}
        if rules.sample_value and "sample" in fw.fields_by_id:
            facts["sample"] = rules.sample_value
        out.append({"case_ref": ref, "facts": facts,
                    **{field: cells[i] for field, i in where.items()}})
    return out
