"""The stored case sample: every SQL statement on the sample tables (schema version 7).

The tables (docs/data-model.md, "The case sample"): ``longlists`` and ``longlist_rows`` (the
organisation's long list of one sample kind), ``exclusion_decisions`` (the lead's confirm or
overrule of a flag), ``draws`` (the provisional and the final draw), ``returned_facts`` (what
the organisation said about each provisional case) and ``reserve_swaps``. The writers here run
inside the caller's ``Workspace.transaction()``, which also holds the audit rows; the service
(``sampling/service.py``) decides what may be written, this module only how.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from hmip_desktop.store.case_writing import BULK_CACHE_KIB
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


LongListRow = tuple[str, int, Sequence[str], Sequence[Mapping[str, Any]], Sequence[str], str,
                    str]
"""(case reference, spreadsheet row, cells in heading order, flags, stratum, PDU,
practitioner)."""


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

    A reference that is not on the list is left out.
    """
    loads = json.loads
    columns = "case_ref, row_number, cells, flags, stratum"
    if refs is None:
        found = _scan(ws, iid, kind, columns)
    else:  # a few hundred cases at most: one look-up each in the case index
        conn = connection(ws)
        found = (r for ref in refs for r in conn.execute(
            f"SELECT {columns} FROM longlist_rows"
            " WHERE inspection_id = ? AND kind = ? AND case_ref = ?", (iid, kind, ref)))
    return [StoredRow(r[0], int(r[1]), tuple(loads(r[2])), tuple(loads(r[3])),
                      tuple(loads(r[4]))) for r in found]


DrawRow = tuple[str, int, str, str, str, str]
"""(case reference, spreadsheet row, flags as JSON, stratum as JSON, PDU, practitioner)."""


def draw_rows(ws: Workspace, iid: str, kind: str) -> list[DrawRow]:
    """Every case of the long list as the draw sees it, in the file's order, undecoded.

    Plain rows, so that reading 50,000 cases costs little more than SQLite's own scan; the
    flags are ``"[]"`` for most cases, and few strata repeat across many rows.
    """
    return list(_scan(ws, iid, kind, "case_ref, row_number, flags, stratum, pdu, practitioner"))


def _scan(ws: Workspace, iid: str, kind: str, columns: str) -> Any:
    # A scan in rowid order (the file's order) rather than a search of the case index, which
    # would fetch each row in case-reference order and sort them after: several times slower
    # for a whole list, and a workspace holds only a few lists.
    return connection(ws).execute(
        f"SELECT {columns} FROM longlist_rows"
        " WHERE +inspection_id = ? AND +kind = ? ORDER BY rowid", (iid, kind))


def replace_longlist(ws: Workspace, iid: str, kind: str, *, file_name: str, file_sha256: str,
                     headings: Sequence[str], columns: Mapping[str, int],
                     rows: Iterable[LongListRow]) -> int:
    """Store a long list in place of any earlier one of ``kind``; return the rows stored.

    ``rows`` are ``LongListRow`` tuples; ``columns`` says where each column the rules name
    is among ``headings``. What was
    built on the earlier list goes with it: the lead's decisions, the draws and the returned
    facts (the caller refuses once a final sample exists). Call inside ``ws.transaction()``.
    """
    conn = connection(ws)
    (cache,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")  # a long list is a bulk load
    try:
        return _replace(ws, conn, iid, kind, file_name, file_sha256, headings, columns, rows)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def _replace(ws: Workspace, conn: Any, iid: str, kind: str, file_name: str, file_sha256: str,
             headings: Sequence[str], columns: Mapping[str, int],
             rows: Iterable[LongListRow]) -> int:
    _forget_built_on(conn, iid, kind)
    conn.execute("DELETE FROM longlist_rows WHERE inspection_id = ? AND kind = ?", (iid, kind))
    conn.execute("DELETE FROM longlists WHERE inspection_id = ? AND kind = ?", (iid, kind))
    conn.execute(
        "INSERT INTO longlists (inspection_id, kind, file_name, file_sha256, headings, columns,"
        " row_count, imported_by, imported_at) VALUES (?,?,?,?,?,?,0,?,?)",
        (iid, kind, file_name, file_sha256, json.dumps(list(headings), ensure_ascii=False),
         json.dumps(dict(columns), sort_keys=True), ws.owner_name, now()))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    text = encode_basestring  # one cell as a JSON string, exactly as ``dumps`` writes it
    count = 0

    strata: dict[tuple[str, ...], str] = {}

    def values() -> Iterable[tuple[str, str, str, int, str, str, str, str, str]]:
        nonlocal count
        for case_ref, row_number, cells, flags, stratum, pdu, practitioner in rows:
            count += 1
            key = tuple(stratum)
            s = strata.get(key)
            if s is None:
                s = strata[key] = dumps(list(stratum))
            # the cells' JSON array, as ``dumps`` would write it, about twice as fast
            yield (iid, kind, case_ref, row_number, "[" + ",".join(map(text, cells)) + "]",
                   dumps(list(flags)) if flags else "[]", s, pdu, practitioner)

    conn.executemany(
        "INSERT INTO longlist_rows (inspection_id, kind, case_ref, row_number, cells, flags,"
        " stratum, pdu, practitioner) VALUES (?,?,?,?,?,?,?,?,?)", values())
    conn.execute("UPDATE longlists SET row_count = ? WHERE inspection_id = ? AND kind = ?",
                 (count, iid, kind))
    return count


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


SAMPLE_TABLES = ("longlists", "longlist_rows", "exclusion_decisions", "draws",
                 "returned_facts", "reserve_swaps")
