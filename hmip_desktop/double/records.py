"""Double assessments as stored: the lead's marking, the second answers, the record choice.

At the lead, ``double_assessments`` holds each double-assessed case with its second member and
the record named, and ``double_answers`` the second member's answers from their bundles, apart
from the case's own items (which stay the allocated assessor's). At the second member it marks
the cases they hold as a second assessment. Every refusal is one line and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from hmip_desktop.assessment.items import RECORD
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import N_, _
from hmip_desktop.store.reads import case_members, inspection_held, is_training, lead_key_id
from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace

REASONS = {"observation": N_("observation case"), "benchmark": N_("routine benchmark")}
DONE = ("complete", "signed_off")


class DoubleError(UserError):
    """A double-assessment action refused: one line, nothing written."""


@dataclass(frozen=True)
class Double:
    """One double-assessed case as the lead holds it."""

    case_id: str
    case_ref: str
    first_id: str
    first_name: str
    second_id: str
    second_name: str
    reason: str
    marked_by: str
    marked_at: str
    first_status: str
    second_status: str | None  # None until the second member's answers arrive
    record_id: str | None
    recorded_by: str | None
    recorded_at: str | None

    @property
    def both_complete(self) -> bool:
        return self.first_status in DONE and self.second_status in DONE

    @property
    def record_name(self) -> str | None:
        return {self.first_id: self.first_name, self.second_id: self.second_name}.get(
            self.record_id or "")


def _case(ws: Workspace, inspection_id: str, ref_or_id: str) -> dict[str, Any]:
    if not inspection_held(ws, inspection_id):
        raise DoubleError(_("no inspection {id!r} in this workspace").format(id=inspection_id))
    if is_training(ws, inspection_id):
        raise DoubleError(_("refused: this is a training inspection: double assessment is "
                            "for the cases of a real inspection"))
    rows = dict_rows(ws, "SELECT id, case_ref FROM cases WHERE inspection_id = ?"
                     " AND (id = ? OR case_ref = ?)", [inspection_id, ref_or_id, ref_or_id])
    if len(rows) != 1:
        raise DoubleError(_("no case {case} in this inspection").format(case=repr(ref_or_id)))
    return rows[0]


def _check_lead(ws: Workspace, inspection_id: str) -> None:
    lead = lead_key_id(ws, inspection_id)
    if lead is None or bytes(lead) != ws.identity.public.key_id:
        raise DoubleError(_("only the inspection's lead can arrange a double assessment"))


def assign_second(ws: Workspace, inspection_id: str, case: str, member_id: str,
                  reason: str = "observation") -> Double:
    """Mark ``case`` for double assessment by ``member_id`` (audited).

    Refused for a case not yet allocated, a member who already holds the case (its allocated
    assessor, or its second assessor already), a case that already has a second assessor,
    a member not enrolled, the lead, and a QA partner of the allocated assessor (their packs
    and bundles carry each other's cases, so the two would not be independent).
    """
    c = _case(ws, inspection_id, case)
    _check_lead(ws, inspection_id)
    if reason not in REASONS:
        raise DoubleError(_("the reason is 'observation' or 'benchmark'"))
    members = {m["id"]: m for m in ws.members(inspection_id)}
    first = next((m for cid, m, _n in case_members(ws, inspection_id) if cid == c["id"]), None)
    if first is None:
        raise DoubleError(_("case {ref} is not allocated yet: allocate it first, then name "
                            "its second assessor").format(ref=c["case_ref"]))
    held = held_double(ws, c["id"])
    second = members.get(member_id)
    if second is None:
        raise DoubleError(_("no member {id!r} in this inspection").format(id=member_id))
    if member_id == first or (held is not None and held["second_member_id"] == member_id):
        raise DoubleError(_("refused: {name} already holds case {ref}: a second assessment "
                            "needs another member").format(name=second["name"],
                                                           ref=c["case_ref"]))
    if held is not None:
        raise DoubleError(_("case {ref} already has a second assessor").format(
            ref=c["case_ref"]))
    if second["key_id"] is None:
        raise DoubleError(_("{name} is not enrolled (no member card) in this inspection")
                          .format(name=second["name"]))
    if second["role"] == "lead" or bytes(second["key_id"]) == ws.identity.public.key_id:
        raise DoubleError(_("refused: the lead holds both assessments, so cannot be one of "
                            "the two assessors"))
    if first in (second["qa_partner_id"],) or members[first]["qa_partner_id"] == member_id:
        raise DoubleError(_("refused: {name} is the QA partner of the case's assessor, and "
                            "would see their answers: choose another member").format(
                                name=second["name"]))
    at = now()
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO double_assessments (case_id, second_member_id, reason, marked_by,"
            " marked_at) VALUES (?,?,?,?,?)", (c["id"], member_id, reason, ws.owner_name, at))
        # Audited off the case's own chain, which travels with its allocated assessor's bundles.
        ws.record(None, "double_assign", c["case_ref"], None,
                  json.dumps({"second": second["name"], "reason": reason}))
    return double(ws, inspection_id, c["id"])


def choose_record(ws: Workspace, inspection_id: str, case: str, member_id: str) -> Double:
    """Name one of the two assessments as the case's record for the published tables.

    Refused before both are complete, and for a member who is not one of the two.
    """
    c = _case(ws, inspection_id, case)
    _check_lead(ws, inspection_id)
    d = double(ws, inspection_id, c["id"])
    if member_id not in (d.first_id, d.second_id):
        raise DoubleError(_("refused: the record is one of the two assessments of case {ref}: "
                            "{first}'s or {second}'s").format(
                                ref=d.case_ref, first=d.first_name, second=d.second_name))
    if not d.both_complete:
        raise DoubleError(_("refused: case {ref} is not complete in both assessments yet: "
                            "name its record once both are complete").format(ref=d.case_ref))
    if d.record_id == member_id:
        raise DoubleError(_("{name}'s assessment is already the record of case {ref}").format(
            name=d.record_name, ref=d.case_ref))
    at = now()
    with ws.transaction():
        connection(ws).execute(
            "UPDATE double_assessments SET record_member_id = ?, recorded_by = ?,"
            " recorded_at = ? WHERE case_id = ?", (member_id, ws.owner_name, at, d.case_id))
        ws.record(None, "double_record", d.case_ref, d.record_name,
                  d.first_name if member_id == d.first_id else d.second_name)
    return double(ws, inspection_id, d.case_id)


def held_double(ws: Workspace, case_id: str) -> dict[str, Any] | None:
    rows = dict_rows(ws, "SELECT * FROM double_assessments WHERE case_id = ?", [case_id])
    return rows[0] if rows else None


def double(ws: Workspace, inspection_id: str, case: str) -> Double:
    """The double assessment of one case; refused for a case not marked for one."""
    c = _case(ws, inspection_id, case)
    found = doubles(ws, inspection_id, [c["id"]])
    if not found:
        raise DoubleError(_("case {ref} is not marked for double assessment").format(
            ref=c["case_ref"]))
    return found[0]


def doubles(ws: Workspace, inspection_id: str,
            case_ids: Collection[str] | None = None) -> list[Double]:
    """Every double-assessed case of the inspection held at the lead, by reference."""
    first = {cid: (mid, name) for cid, mid, name in case_members(ws, inspection_id)}
    out = []
    for r in dict_rows(ws,
            "SELECT d.*, c.case_ref, m.name AS second_name, s.status AS first_status,"
            " x.status AS second_status FROM double_assessments d"
            " JOIN cases c ON c.id = d.case_id JOIN members m ON m.id = d.second_member_id"
            " JOIN assessments s ON s.case_id = d.case_id"
            " LEFT JOIN double_answers x ON x.case_id = d.case_id"
            " WHERE c.inspection_id = ? ORDER BY c.case_ref", [inspection_id]):
        if (case_ids is not None and r["case_id"] not in case_ids) or r["case_id"] not in first:
            continue
        fid, fname = first[r["case_id"]]
        if fid == r["second_member_id"]:  # the second member's own copy, not the lead's
            continue
        out.append(Double(r["case_id"], r["case_ref"], fid, fname, r["second_member_id"],
                          r["second_name"], r["reason"], r["marked_by"], r["marked_at"],
                          r["first_status"], r["second_status"], r["record_member_id"],
                          r["recorded_by"], r["recorded_at"]))
    return out


def second_cases_for(ws: Workspace, inspection_id: str, member_id: str) -> list[dict[str, Any]]:
    """The case rows (with ``reason``) ``member_id`` is to assess as a second assessment."""
    return dict_rows(ws,
        "SELECT c.*, d.reason FROM double_assessments d JOIN cases c ON c.id = d.case_id"
        " WHERE c.inspection_id = ? AND d.second_member_id = ? ORDER BY c.case_ref",
        [inspection_id, member_id])


def is_second(ws: Workspace, case_id: str, member_id: str) -> bool:
    """Whether ``member_id`` holds ``case_id`` as a second assessment."""
    return connection(ws).execute(
        "SELECT 1 FROM double_assessments WHERE case_id = ? AND second_member_id = ?",
        (case_id, member_id)).fetchone() is not None


def mark_held_as_second(ws: Workspace, case_id: str, member_id: str, reason: str,
                        marked_by: str) -> None:
    """At the second member: mark a case from the pack as a second assessment.

    Called inside the pack's transaction.
    """
    connection(ws).execute(
        "INSERT INTO double_assessments (case_id, second_member_id, reason, marked_by,"
        " marked_at) VALUES (?,?,?,?,?) ON CONFLICT (case_id) DO NOTHING",
        (case_id, member_id, reason, marked_by, now()))


def store_second(ws: Workspace, case_id: str, member_id: str, revision: int, status: str,
                 answers: dict[str, str], at: str) -> None:
    """Keep the second member's answers on a case (inside the import's transaction)."""
    connection(ws).execute(
        "INSERT INTO double_answers (case_id, member_id, revision, status, answers,"
        " received_at) VALUES (?,?,?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET"
        " revision=excluded.revision, status=excluded.status, answers=excluded.answers,"
        " received_at=excluded.received_at",
        (case_id, member_id, revision, status, json.dumps(answers, sort_keys=True), at))


def second_answers(ws: Workspace, case_id: str) -> dict[str, Any] | None:
    """The second member's answers held for a case: revision, status, answers, received_at."""
    rows = dict_rows(ws, "SELECT * FROM double_answers WHERE case_id = ?", [case_id])
    if not rows:
        return None
    return {**rows[0], "answers": json.loads(rows[0]["answers"])}


def recorded_items(ws: Workspace, inspection_id: str, items: dict[str, dict[str, str]],
                   only: Collection[str] | None = None) -> dict[str, dict[str, str]]:
    """``items`` (from ``store.reads.case_items``) with the record's answers on every case.

    A case whose record is its second assessment is answered as the second member answered
    it (its case record's fields stay).
    The assessment not named as the record never counts: consolidation reads through here.
    """
    rows = connection(ws).execute(
        "SELECT x.case_id, x.answers FROM double_answers x"
        " JOIN double_assessments d ON d.case_id = x.case_id"
        " JOIN cases c ON c.id = x.case_id WHERE c.inspection_id = ?"
        " AND d.record_member_id = d.second_member_id", (inspection_id,)).fetchall()
    if not rows:
        return items
    out = dict(items)
    wanted = None if only is None else set(only)
    for cid, answers in rows:
        theirs = json.loads(answers)
        kept = {k: v for k, v in out.get(cid, {}).items()
                if not _answer_item(k) and (wanted is None or k in wanted)}
        kept.update({k: v for k, v in theirs.items()
                     if _answer_item(k) and (wanted is None or k in wanted)})
        out[cid] = kept
    return out


def _answer_item(key: str) -> bool:
    """A key an assessment answers: not the case record's fields (conflict, exclusion)."""
    return not key.startswith(RECORD)
