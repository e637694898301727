"""The stored case sample: every SQL statement on the sample tables (schema versions 7, 9).

The tables (docs/data-model.md, "The case sample"): ``longlists`` and ``longlist_parts``
(the organisation's long list of one sample kind, stored compactly in parts),
``exclusion_decisions`` (the lead's confirm or overrule of a flag), ``draws`` (the provisional
and the final draw), ``returned_facts`` (what the organisation said about each provisional
case) and ``reserve_swaps``. The writers here run inside the caller's
``Workspace.transaction()``, which also holds the audit rows; the service
(``sampling/service.py``) decides what may be written, this module only how.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now

STAGES = ("provisional", "final")


@dataclass(frozen=True, slots=True)
class LongListFile:
    """Where a stored long list came from, and its shape."""

    kind: str
    file_name: str
    file_sha256: str
    headings: tuple[str, ...]
    columns: Mapping[str, int]  # each column the rules name → its index in ``headings``
    row_count: int
    imported_by: str
    imported_at: str


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One case of a stored long list: ``cells`` in the order of the file's headings."""

    case_ref: str
    row_number: int
    cells: tuple[str, ...]
    flags: tuple[Mapping[str, Any], ...]  # each {"rule": id, "words": the rule's words, ...}
    stratum: tuple[str, ...]  # one value per stratification variable, or the group's label


@dataclass(frozen=True, slots=True)
class NewCases:
    """The cases of a long list to store, column by column, in the file's order.

    ``flags`` holds, per case, indexes into ``flag_kinds`` (each ``{"rule", "words", "source",
    "firm"}``): a long list flags thousands of cases with a handful of rules.
    """

    case_refs: Sequence[str]
    rows: Sequence[int]  # in the spreadsheet, the heading row 1
    cells: Sequence[Sequence[str]]  # each case's cells in the order of the file's headings
    flags: Sequence[Sequence[int]]
    flag_kinds: Sequence[Mapping[str, Any]]
    strata: Sequence[Sequence[str]]  # one value per stratification variable, or the group's
    pdus: Sequence[str]
    practitioners: Sequence[str]

    @classmethod
    def of_rows(cls, rows: Iterable[tuple[str, int, Sequence[str], Sequence[Mapping[str, Any]],
                                          Sequence[str], str, str]]) -> NewCases:
        """From (case reference, row, cells, flags, stratum, PDU, practitioner) tuples."""
        kinds: dict[tuple[Any, ...], int] = {}
        columns: list[list[Any]] = [[] for _ in range(7)]
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                column.append(value)
        columns[3] = [[kinds.setdefault(tuple(sorted(f.items())), len(kinds)) for f in fs]
                      for fs in columns[3]]
        return cls(columns[0], columns[1], columns[2], columns[3],
                   [dict(k) for k in kinds], columns[4], columns[5], columns[6])


@dataclass(frozen=True, slots=True)
class Decision:
    """The lead's decision on one exclusion flag of one case."""

    case_ref: str
    rule: str
    confirmed: bool
    reason: str
    decided_by: str
    decided_at: str


@dataclass(frozen=True, slots=True)
class StoredDraw:
    """A stored draw: the user's seed as text, its target size and its result (JSON)."""

    stage: str
    seed: str
    target: int
    longlist_sha256: str
    result: Mapping[str, Any]
    drawn_by: str
    drawn_at: str


@dataclass(frozen=True, slots=True)
class ReturnedFacts:
    """What the organisation said about one case of the provisional list."""

    case_ref: str
    available: bool
    consent: bool
    late_exclusion: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Swap:
    """A final case found ineligible at fieldwork, and the reserve that replaced it."""

    out_case: str
    in_case: str
    reason: str
    swapped_by: str
    swapped_at: str


# -- long lists --------------------------------------------------------------------------------

def longlist_file(ws: Workspace, iid: str, kind: str) -> LongListFile | None:
    """The stored long list of ``kind``, or None if none was imported."""
    row = connection(ws).execute(
        "SELECT kind, file_name, file_sha256, headings, columns, row_count, imported_by,"
        " imported_at FROM longlists WHERE inspection_id = ? AND kind = ?",
        (iid, kind)).fetchone()
    if row is None:
        return None
    return LongListFile(row[0], row[1], row[2], tuple(json.loads(row[3])), json.loads(row[4]),
                        int(row[5]), row[6], row[7])


def longlist_kinds(ws: Workspace, iid: str) -> list[str]:
    """The sample kinds of the inspection that have a long list, in name order."""
    return [str(r[0]) for r in connection(ws).execute(
        "SELECT kind FROM longlists WHERE inspection_id = ? ORDER BY kind", (iid,))]


def longlist_rows(ws: Workspace, iid: str, kind: str,
                  refs: Sequence[str] | None = None) -> list[StoredRow]:
    """The cases of the stored long list in the file's order, or just ``refs``, in their order.

    A reference that is not on the list is left out. For ``refs`` only the parts holding
    them are unpacked beyond their case references, and only their cases' cells decoded.
    """
    loads = json.loads
    out: dict[str, StoredRow] = {}
    wanted = None if refs is None else set(refs)
    for number, packing, refs_part in _parts(ws, iid, kind, "part, packing, case_refs"):
        case_refs = loads(_unpack(packing, refs_part))
        at = (range(len(case_refs)) if wanted is None
              else [k for k, ref in enumerate(case_refs) if ref in wanted])
        if not at:
            continue
        draw_part, cells_part = connection(ws).execute(
            "SELECT draw, cells FROM longlist_parts WHERE inspection_id = ? AND kind = ?"
            " AND part = ?", (iid, kind, number)).fetchone()
        d = loads(_unpack(packing, draw_part))
        lines = _unpack(packing, cells_part).split("\n")
        rows, flags, strata = d["row"], _flags(d), d["stratum"]
        for k in at:
            out[case_refs[k]] = StoredRow(case_refs[k], int(rows[k]), tuple(loads(lines[k])),
                                          flags[k], tuple(loads(strata[k])))
    if refs is None:
        return list(out.values())
    return [out[ref] for ref in refs if ref in out]


def longlist_cells(ws: Workspace, iid: str, kind: str,
                   refs: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The cells of the cases ``refs`` (a few hundred at most), by case reference.

    Only every part's case references are read, then the cells of the parts holding a case
    asked for; nothing the draw reads is decoded. A reference not on the list is left out.
    """
    loads = json.loads
    wanted = set(refs)
    out: dict[str, tuple[str, ...]] = {}
    for number, packing, refs_part in _parts(ws, iid, kind, "part, packing, case_refs"):
        case_refs = loads(_unpack(packing, refs_part))
        at = [k for k, ref in enumerate(case_refs) if ref in wanted]
        if at:
            (cells_part,) = connection(ws).execute(
                "SELECT cells FROM longlist_parts WHERE inspection_id = ? AND kind = ?"
                " AND part = ?", (iid, kind, number)).fetchone()
            lines = _unpack(packing, cells_part).split("\n")
            out.update((case_refs[k], tuple(loads(lines[k]))) for k in at)
    return out


class DrawColumns(NamedTuple):
    """Every case of a long list as the draw sees it, column by column, in the file's order.

    The strata stay JSON text (few distinct values repeat across many cases, decoded once by
    the caller); the flags are ``()`` for most cases, and the cases of a part flagged by the
    same rules share one tuple of mappings.
    """

    case_refs: Sequence[str]
    rows: Sequence[int]  # in the spreadsheet, the heading row 1
    flags: Sequence[tuple[Mapping[str, Any], ...]]
    strata: Sequence[Any]  # JSON text as stored (or, for a list just read, the tuples)
    pdus: Sequence[str]
    practitioners: Sequence[str]


def draw_columns(ws: Workspace, iid: str, kind: str) -> DrawColumns:
    """Every case of the long list as the draw sees it; no cell read."""
    loads = json.loads
    out = DrawColumns([], [], [], [], [], [])
    for packing, refs_part, draw_part in _parts(ws, iid, kind, "packing, case_refs, draw"):
        d = loads(_unpack(packing, draw_part))
        refs = loads(_unpack(packing, refs_part))
        if not len(refs) == len(d["row"]) == len(d["flags"]) == len(d["stratum"]) == len(
                d["pdu"]) == len(d["practitioner"]):
            raise ValueError("a stored long list's part has lists of different lengths")
        for column, values in zip(out, (refs, d["row"], _flags(d), d["stratum"], d["pdu"],
                                        d["practitioner"]), strict=True):
            column.extend(values)  # type: ignore[attr-defined]
    return out


def _flags(d: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], ...]]:
    """Each case's flags, as mappings; the cases flagged alike share one tuple.

    Stored as indexes into the part's ``flag_kinds``, or, in a list migrated from schema
    version 7 or 8, as the flags themselves.
    """
    kinds = d.get("flag_kinds")
    if kinds is None:
        return [tuple(f) for f in d["flags"]]
    shared: dict[tuple[int, ...], tuple[Mapping[str, Any], ...]] = {}

    def flags(f: list[int]) -> tuple[Mapping[str, Any], ...]:
        key = tuple(f)
        found = shared.get(key)
        if found is None:
            found = shared[key] = tuple([kinds[i] for i in f])
        return found
    return [flags(f) if f else () for f in d["flags"]]


def _parts(ws: Workspace, iid: str, kind: str, columns: str) -> Any:
    return connection(ws).execute(
        f"SELECT {columns} FROM longlist_parts WHERE inspection_id = ? AND kind = ?"
        " ORDER BY part", (iid, kind))


def _unpack(packing: str, body: bytes | str) -> str:
    """A part's text.

    ``zlib``: compressed UTF-8, as written; ``json``: plain text, as migrated from the
    row-per-case table of schema versions 7 and 8.
    """
    if packing == "zlib":
        assert isinstance(body, bytes)
        return zlib.decompress(body).decode("utf-8")
    return body if isinstance(body, str) else body.decode("utf-8")


PART_CASES = 5_000
"""Cases per stored part: a few hundred cases looked up unpack only the parts holding them."""


def replace_longlist(ws: Workspace, iid: str, kind: str, *, file_name: str, file_sha256: str,
                     headings: Sequence[str], columns: Mapping[str, int],
                     cases: NewCases) -> int:
    """Store a long list in place of any earlier one of ``kind``; return the cases stored.

    ``columns`` says where each column the rules name is among ``headings``. The list is
    stored in parts of ``PART_CASES`` cases, each three compressed texts: the case references
    (a JSON list), what else the draw reads (row, flags, stratum, PDU and practitioner, one
    JSON object of lists) and the cases' cells (one JSON list per line). What was built on
    the earlier list goes with it: the lead's decisions, the draws and the returned facts
    (the caller refuses once a final sample exists). Call inside ``ws.transaction()``.
    """
    conn = connection(ws)
    _forget_built_on(conn, iid, kind)
    conn.execute("DELETE FROM longlist_parts WHERE inspection_id = ? AND kind = ?", (iid, kind))
    conn.execute("DELETE FROM longlists WHERE inspection_id = ? AND kind = ?", (iid, kind))
    count = len(cases.case_refs)
    conn.execute(
        "INSERT INTO longlists (inspection_id, kind, file_name, file_sha256, headings, columns,"
        " row_count, imported_by, imported_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (iid, kind, file_name, file_sha256, json.dumps(list(headings), ensure_ascii=False),
         json.dumps(dict(columns), sort_keys=True), count, ws.owner_name, now()))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    keys = list(map(tuple, cases.strata))  # each stratum's JSON text written once
    texts = {key: dumps(list(key)) for key in set(keys)}
    stratum_texts = list(map(texts.__getitem__, keys))
    kinds = dumps([dict(k) for k in cases.flag_kinds])
    for part, at in enumerate(range(0, count, PART_CASES)):
        to = at + PART_CASES
        draw_part = _draw_text(cases.rows[at:to], cases.flags[at:to], kinds,
                               stratum_texts[at:to], cases.pdus[at:to],
                               cases.practitioners[at:to])
        conn.execute(
            "INSERT INTO longlist_parts (inspection_id, kind, part, cases, packing, case_refs,"
            " draw, cells) VALUES (?,?,?,?,'zlib',?,?,?)",
            (iid, kind, part, min(to, count) - at, _pack(_strings(cases.case_refs[at:to])),
             _pack(draw_part), _pack(_cells_text(cases.cells[at:to], encode_basestring))))
    return count


# The JSON texts below are written exactly as ``json.dumps(..., ensure_ascii=False,
# separators=(",", ":"))`` writes them (tests/sampling/test_stored_text.py), with the ``json``
# module's own string encoder and joins: its encoder of whole lists took about three times as
# long over a long list's text (docs/performance.md).

def _strings(values: Iterable[str]) -> str:
    """A JSON list of text."""
    return "[" + ",".join(map(encode_basestring, values)) + "]"


def _numbers(values: Iterable[int]) -> str:
    """A JSON list of whole numbers."""
    return "[" + ",".join(map(int.__repr__, values)) + "]"


def _draw_text(rows: Sequence[int], flags: Sequence[Sequence[int]], kinds: str,
               strata: Sequence[str], pdus: Sequence[str], practitioners: Sequence[str]) -> str:
    """A part's ``draw`` object: ``kinds`` is the JSON text of its ``flag_kinds``."""
    texts = ["[]"] * len(flags)
    shared: dict[int, str] = {}  # the cases flagged alike share their list of indexes
    for k in compress(range(len(flags)), flags):
        f = flags[k]
        texts[k] = shared.get(id(f)) or shared.setdefault(id(f), _numbers(f))
    return (f'{{"row":{_numbers(rows)},"flags":[{",".join(texts)}],"flag_kinds":{kinds},'
            f'"stratum":{_strings(strata)},"pdu":{_strings(pdus)},'
            f'"practitioner":{_strings(practitioners)}}}')


def _cells_text(rows: Sequence[Sequence[str]], text: Callable[[str], str]) -> str:
    """Each case's cells as ``dumps`` would write its list, one case per line.

    Every cell goes through the ``json`` module's own string encoder; when the cases are all
    as wide (a checked long list's are), the cells are encoded in one pass and cut into rows
    without a Python step per case.
    """
    width = len(rows[0]) if rows else 0
    if width and len(set(map(len, rows))) == 1:
        flat = map(text, chain.from_iterable(rows))
        return "[" + "]\n[".join(map(",".join, zip(*[flat] * width, strict=True))) + "]"
    return "\n".join(["[" + ",".join(map(text, c)) + "]" for c in rows])


def _pack(text: str) -> bytes:
    # The fastest level: a long list's text shrinks about fivefold at it, and every page
    # not written is one not encrypted either.
    return zlib.compress(text.encode("utf-8"), 1)


def _forget_built_on(conn: Any, iid: str, kind: str) -> None:
    for table in ("exclusion_decisions", "returned_facts", "reserve_swaps", "draws"):
        conn.execute(f"DELETE FROM {table} WHERE inspection_id = ? AND kind = ?",
                     (iid, kind))


# -- the lead's decisions on exclusion flags ---------------------------------------------------

def decisions(ws: Workspace, iid: str, kind: str) -> dict[tuple[str, str], Decision]:
    """Every decision on the long list of ``kind``, by (case reference, rule)."""
    return {(r[0], r[1]): Decision(r[0], r[1], bool(r[2]), r[3], r[4], r[5])
            for r in connection(ws).execute(
                "SELECT case_ref, rule, confirmed, reason, decided_by, decided_at"
                " FROM exclusion_decisions WHERE inspection_id = ? AND kind = ?", (iid, kind))}


def put_decision(ws: Workspace, iid: str, kind: str, case_ref: str, rule: str, *,
                 confirmed: bool, reason: str) -> Decision | None:
    """Record a decision, replacing an earlier one; return the earlier one (or None)."""
    earlier = decisions(ws, iid, kind).get((case_ref, rule))
    at = now()
    connection(ws).execute(
        "INSERT INTO exclusion_decisions (inspection_id, kind, case_ref, rule, confirmed, reason,"
        " decided_by, decided_at) VALUES (?,?,?,?,?,?,?,?)"
        " ON CONFLICT (inspection_id, kind, case_ref, rule) DO UPDATE SET"
        " confirmed = excluded.confirmed, reason = excluded.reason,"
        " decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        (iid, kind, case_ref, rule, int(confirmed), reason, ws.owner_name, at))
    return earlier


# -- draws -----------------------------------------------------------------------------------

def stored_draw(ws: Workspace, iid: str, kind: str, stage: str) -> StoredDraw | None:
    """The stored draw of ``stage`` ("provisional" or "final"), or None."""
    row = connection(ws).execute(
        "SELECT stage, seed, target, longlist_sha256, result, drawn_by, drawn_at FROM draws"
        " WHERE inspection_id = ? AND kind = ? AND stage = ?", (iid, kind, stage)).fetchone()
    if row is None:
        return None
    return StoredDraw(row[0], row[1], int(row[2]), row[3], json.loads(row[4]), row[5], row[6])


def put_draw(ws: Workspace, iid: str, kind: str, stage: str, *, seed: str, target: int,
             longlist_sha256: str, result: Mapping[str, Any]) -> None:
    """Store a draw of ``stage``, replacing an earlier one of the same stage."""
    if stage not in STAGES:
        raise ValueError(f"unknown draw stage {stage!r}")
    connection(ws).execute(
        "INSERT OR REPLACE INTO draws (inspection_id, kind, stage, seed, target,"
        " longlist_sha256, result, drawn_by, drawn_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (iid, kind, stage, seed, target, longlist_sha256,
         json.dumps(result, ensure_ascii=False, sort_keys=True), ws.owner_name, now()))


def forget_returned(ws: Workspace, iid: str, kind: str) -> None:
    """Drop the returned facts (a new provisional draw makes them stale)."""
    connection(ws).execute("DELETE FROM returned_facts WHERE inspection_id = ? AND kind = ?",
                           (iid, kind))


# -- what the organisation returned ---------------------------------------------------------

def returned_facts(ws: Workspace, iid: str, kind: str) -> dict[str, ReturnedFacts]:
    """The returned facts of the provisional list, by case reference."""
    return {r[0]: ReturnedFacts(r[0], bool(r[1]), bool(r[2]), r[3], r[4])
            for r in connection(ws).execute(
                "SELECT case_ref, available, consent, late_exclusion, note FROM returned_facts"
                " WHERE inspection_id = ? AND kind = ?", (iid, kind))}


def replace_returned(ws: Workspace, iid: str, kind: str,
                     facts: Iterable[ReturnedFacts]) -> int:
    """Store the returned facts in place of earlier ones; return how many were stored."""
    forget_returned(ws, iid, kind)
    at = now()
    rows = [(iid, kind, f.case_ref, int(f.available), int(f.consent), f.late_exclusion, f.note,
             at) for f in facts]
    connection(ws).executemany(
        "INSERT INTO returned_facts (inspection_id, kind, case_ref, available, consent,"
        " late_exclusion, note, imported_at) VALUES (?,?,?,?,?,?,?,?)", rows)
    return len(rows)


# -- reserves swapped in --------------------------------------------------------------------

def swaps(ws: Workspace, iid: str, kind: str) -> list[Swap]:
    """Every reserve swap of ``kind``, oldest first."""
    return [Swap(*r) for r in connection(ws).execute(
        "SELECT out_case, in_case, reason, swapped_by, swapped_at FROM reserve_swaps"
        " WHERE inspection_id = ? AND kind = ? ORDER BY id", (iid, kind))]


def add_swap(ws: Workspace, iid: str, kind: str, *, out_case: str, in_case: str,
             reason: str) -> Swap:
    """Record that ``in_case`` replaced ``out_case``."""
    swap = Swap(out_case, in_case, reason, ws.owner_name, now())
    connection(ws).execute(
        "INSERT INTO reserve_swaps (inspection_id, kind, out_case, in_case, reason, swapped_by,"
        " swapped_at) VALUES (?,?,?,?,?,?,?)",
        (iid, kind, swap.out_case, swap.in_case, swap.reason, swap.swapped_by,
         swap.swapped_at))
    return swap


SAMPLE_TABLES = ("longlists", "longlist_parts", "exclusion_decisions", "draws",
                 "returned_facts", "reserve_swaps")
