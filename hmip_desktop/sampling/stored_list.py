"""The stored case sample turned back into the values the draw and the service work on.

A long list is stored as rows of text (``records``); the service needs it as candidates with
the lead's decisions applied, its draws as the draw's own ``Draw``, and its final cases as
``Workspace.add_cases`` rows. These conversions, and their reverse, live here so the service
reads as the steps of the chapter.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
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


def stored_row(row: LongListRow, extra: Sequence[str], pdu: int,
            practitioner: int) -> records.LongListRow:
    """A checked row as stored: the rules' columns as checked, then the ``extra`` ones."""
    cells = list(row.cells)
    if extra:
        cells += map(row.extra.get, extra, repeat(""))
    flags = [{"rule": f.rule, "words": f.words, "source": f.source, "firm": f.firm}
             for f in row.flags]
    if row.marked:
        flags.append({"rule": MARKED, "words": MARKED_WORDS, "source": row.marked,
                      "firm": False})
    return (row.case_id, row.row, cells, flags, row.stratum,
            row.cells[pdu] if pdu >= 0 else "",
            row.cells[practitioner] if practitioner >= 0 else "")


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

    ``rows`` are ``records.DrawRow``, or the same with the flags and stratum already decoded
    (a long list just read). Without ``candidates_too`` only the counts are kept.
    """
    candidates: list[Candidate] = []
    flagged = []
    excluded: Counter[str] = Counter()
    strata: dict[Any, tuple[str, ...]] = {}
    loads = json.loads
    marked = cases = eligible = 0
    for ref, n, raw_flags, raw_stratum, pdu, practitioner in rows:
        cases += 1
        key = raw_stratum if isinstance(raw_stratum, str) else tuple(raw_stratum)
        stratum = strata.get(key)
        if stratum is None:
            stratum = strata[key] = tuple(loads(key) if isinstance(key, str) else key)
        if raw_flags and raw_flags != "[]":
            flags = tuple(Flag(f["rule"], f["words"], f.get("source", ""), bool(f["firm"]))
                          for f in (loads(raw_flags) if isinstance(raw_flags, str)
                                    else raw_flags))
            note = next((f.source for f in flags if f.rule == MARKED), "")
            marked += bool(note)
            row = LongListRow(row=n, case_id=ref, columns=(), cells=(), extra={},
                              formula_columns=frozenset(), stratum=stratum, flags=flags,
                              marked=note)
            flagged.append(row)
            if row.excluded(decisions):
                excluded.update(f.words for f in row.flags if excludes(row, f, decisions))
                continue
        eligible += 1
        if candidates_too:
            candidates.append(Candidate(ref, stratum, pdu, practitioner))
    return Population(cases=cases, marked=marked, flagged=tuple(flagged), decisions=decisions,
                      eligible=eligible, candidates=tuple(candidates), excluded=dict(excluded))


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
    by_ref = {r.case_ref: r for r in records.longlist_rows(ws, iid, kind, refs)}
    fact_columns = [(c.fact, file.columns[c.id]) for c in rules.columns
                    if c.fact and c.id in file.columns]
    where = {field: file.columns[field] for field in CASE_FIELDS if field in file.columns}
    if rules.pdu_column in file.columns:
        where["pdu"] = file.columns[rules.pdu_column]
    if rules.practitioner_column in file.columns:
        where["practitioner"] = file.columns[rules.practitioner_column]
    out: list[Mapping[str, Any]] = []
    for ref in refs:
        cells = by_ref[ref].cells
        facts = {fact: cells[i] for fact, i in fact_columns if cells[i]}
        if rules.sample_value and "sample" in fw.fields_by_id:
            facts["sample"] = rules.sample_value
        out.append({"case_ref": ref, "facts": facts,
                    **{field: cells[i] for field, i in where.items()}})
    return out
