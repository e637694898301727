"""Reading case data: the service's reads, and typed reads for the modules that own no table.

A module outside ``store/`` that needs a fact held in a table it does not own (an inspection's
title, its lead's key, a framework's stored bytes) asks here, so the SQL stays with the table's
owner (``store.tables.TABLE_OWNERS``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import partial
from typing import TYPE_CHECKING, Any

from hmip_desktop.assessment.completeness import Completeness, case_rules, completeness
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.member_labels import member_labels
from hmip_desktop.store.audit import REASSIGN_ACTIONS, chain_hash
from hmip_desktop.store.errors import NotOwnerError, StoreError
from hmip_desktop.store.inspections import Inspections
from hmip_desktop.store.records import (
    Alert,
    Assessment,
    AuditEntry,
    CaseInfo,
    CaseSummary,
    Ownership,
)
from hmip_desktop.store.tables import dict_rows

ALERT_STEPS = ("acknowledged", "assurance", "evidence", "closed", "advice")
"""An alert's steps in order (``team.alert_tracking.STEPS``): the furthest taken is its state."""

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace


def inspection_held(ws: Workspace, inspection_id: str) -> bool:
    """Whether the workspace holds this inspection."""
    return ws._conn.execute("SELECT 1 FROM inspections WHERE id = ?",
                            (inspection_id,)).fetchone() is not None


def is_training(ws: Workspace, inspection_id: str) -> bool | None:
    """Whether the inspection is a training event's (None: the workspace does not hold it)."""
    row = ws._conn.execute("SELECT training FROM inspections WHERE id = ?",
                           (inspection_id,)).fetchone()
    return None if row is None else bool(row[0])


def inspection_row(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    """The inspection's row by column name (title, organisation, framework, fieldwork dates)."""
    rows = dict_rows(ws, "SELECT * FROM inspections WHERE id = ?", (inspection_id,))
    if not rows:
        raise StoreError(_("no inspection {inspection} in this workspace").format(
            inspection=repr(inspection_id)))
    return rows[0]


def lead_key_id(ws: Workspace, inspection_id: str) -> bytes | None:
    """The key id of the inspection's lead, or None.

    None before the lead's pack is imported, or when the workspace holds no such inspection.
    """
    row = ws._conn.execute("SELECT lead_key_id FROM inspections WHERE id = ?",
                           (inspection_id,)).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def framework_bytes(ws: Workspace, framework_hash: str) -> bytes:
    """The framework file exactly as stored, to hand on in a pack."""
    row = ws._conn.execute("SELECT content FROM frameworks WHERE hash = ?",
                           (framework_hash,)).fetchone()
    if row is None:
        raise StoreError(_("framework {framework} is not in this workspace").format(
            framework=framework_hash[:12]))
    return bytes(row[0])


def case_items(ws: Workspace, inspection_id: str | None = None,
               only: Collection[str] | None = None) -> dict[str, dict[str, str]]:
    """Case id → its items (item key → value), for every case or one inspection's.

    ``only``: just these items (with an inspection), as consolidation counts them.
    """
    sql = "SELECT i.case_id, i.item, i.value FROM items i"
    params: tuple[Any, ...] = ()
    if inspection_id is not None:
        sql += " JOIN cases c ON c.id = i.case_id WHERE c.inspection_id = ?"
        params = (inspection_id,)
        if only is not None:
            sql += f" AND i.item IN ({','.join('?' * len(only))})"
            params = (inspection_id, *only)
    items: dict[str, dict[str, str]] = {}
    for cid, item, value in ws._conn.execute(sql, params):
        items.setdefault(cid, {})[item] = value
    return items


def case_editions(ws: Workspace, inspection_id: str,
                  only: Collection[str] | None = None) -> dict[str, str]:
    """Case id → the hash of the edition it is assessed against, for one inspection's cases.

    A case's own (``cases.framework_hash``) where it stayed on an earlier edition, else the
    inspection's, in one query; ``only`` narrows it to those cases (a bundle's, rather than
    every case of a workspace that grows through the inspection).
    """
    sql = ("SELECT c.id, coalesce(c.framework_hash, i.framework_hash) FROM cases c"
           " JOIN inspections i ON i.id = c.inspection_id WHERE c.inspection_id = ?")
    params: tuple[Any, ...] = (inspection_id,)
    if only is not None:
        # Each case by its key ("+" keeps the planner off the inspection's index, which would
        # read every case of the inspection to keep a few).
        sql = sql.replace("WHERE c.inspection_id = ?", "WHERE +c.inspection_id = ?"
                          " AND c.id IN (SELECT value FROM json_each(?))")
        params = (inspection_id, json.dumps(list(only)))
    return {str(c): str(h) for c, h in ws._conn.execute(sql, params)}


def case_members(ws: Workspace, inspection_id: str | None = None) -> list[tuple[str, str, str]]:
    """(case id, member id, member name) of every allocated case, or one inspection's."""
    sql = ("SELECT a.case_id, m.id, m.name FROM assignments a"
           " JOIN members m ON m.id = a.member_id")
    params: tuple[Any, ...] = ()
    if inspection_id is not None:
        sql += " WHERE m.inspection_id = ?"
        params = (inspection_id,)
    return [(str(c), str(m), str(n)) for c, m, n in ws._conn.execute(sql, params)]


def case_holders(ws: Workspace) -> dict[str, str]:
    """Case id → the member holding it, labelled as the dashboard labels members.

    Each inspection's members told apart by ``member_labels``; a case not allocated, or held
    by a member without a name, is left out. The lead's case list reads this rather than the
    whole dashboard.
    """
    by_inspection: dict[str, list[tuple[str, str]]] = {}
    for mid, iid, name in ws._conn.execute("SELECT id, inspection_id, name FROM members"):
        by_inspection.setdefault(str(iid), []).append((str(mid), str(name or "")))
    labels: dict[str, str] = {}
    for people in by_inspection.values():
        labels |= member_labels(people)
    return {case_id: label for case_id, member_id, _name in case_members(ws)
            if (label := labels.get(member_id, ""))}


def case_count(ws: Workspace, inspection_id: str) -> int:
    """How many cases the inspection has in this workspace."""
    return int(ws._conn.execute("SELECT count(*) FROM cases WHERE inspection_id = ?",
                                (inspection_id,)).fetchone()[0])


def assigned_interviews(ws: Workspace, inspection_id: str) -> list[tuple[Any, ...]]:
    """Each allocated case of the inspection, by case reference.

    Each row: case reference, facts (JSON), practitioner, member id, interview time (or None)
    and its minutes (or None).
    """
    return list(ws._conn.execute(
        "SELECT c.case_ref, c.facts, c.practitioner, a.member_id, a.interview_at,"
        " a.interview_minutes FROM cases c JOIN assignments a ON a.case_id = c.id"
        " WHERE c.inspection_id = ? ORDER BY c.case_ref", (inspection_id,)).fetchall())


def case_sources(ws: Workspace, inspection_id: str) -> list[tuple[Any, ...]]:
    """Where each case of the inspection received in a bundle came from, by case reference.

    Each row: case id, case reference, sender's name, bundle hash, sequence, revision, content
    hash, applied at. The sender is named as the inspection's member with that key, else as
    the contact.
    """
    return [tuple(r) for r in ws._conn.execute(
        "SELECT c.id, c.case_ref, coalesce(m.name, ct.name), s.bundle_hash, s.sequence,"
        " s.revision, s.content_hash, s.applied_at FROM case_sources s"
        " JOIN cases c ON c.id = s.case_id"
        " LEFT JOIN members m ON m.key_id = s.sender_key_id AND m.inspection_id = c.inspection_id"
        " LEFT JOIN contacts ct ON ct.key_id = s.sender_key_id"
        " WHERE c.inspection_id = ? ORDER BY c.case_ref", (inspection_id,))]


def _interview_order(row: tuple[Any, ...]) -> tuple[str, str]:
    """A case row's place in the list: by interview time (none first), then by reference."""
    return (row[12] or "", row[2])


class CaseReads(Inspections):
    """Cases, their answers, alerts and history, and who owns each case."""

    def find_case(self, ref_or_id: str) -> CaseInfo:
        rows = self._case_rows("c.id = ? OR c.case_ref = ?", (ref_or_id, ref_or_id))
        if not rows:
            raise StoreError(_("no case {case} in this workspace").format(case=repr(ref_or_id)))
        if len(rows) > 1:
            raise StoreError(_("case reference {case} is ambiguous: use the case id").format(
                case=repr(ref_or_id)))
        return rows[0]

    def _case_rows(self, where: str = "1", params: tuple[Any, ...] = ()) -> list[CaseInfo]:
        """The cases matching ``where``, in interview order (unscheduled first), then by reference.

        Sorted here rather than by ``ORDER BY``: SQLite's sorter allocates, and with
        ``cipher_memory_security`` every allocation is locked and wiped, so at 2,400 cases the
        sort cost more than reading the rows.
        """
        rows = self._conn.execute(
            "SELECT c.id, c.inspection_id, c.case_ref, c.person_name, c.pdu, c.team, c.office,"
            " c.practitioner, c.prison, c.report_type, c.facts, m.name, a.interview_at,"
            " a.interview_minutes, c.language, coalesce(c.framework_hash, i.framework_hash)"
            " FROM cases c JOIN inspections i ON i.id = c.inspection_id"
            " LEFT JOIN assignments a ON a.case_id = c.id"
            " LEFT JOIN members m ON m.id = a.member_id"
            f" WHERE {where}", params).fetchall()
        rows.sort(key=_interview_order)
        loads = json.loads
        return [CaseInfo(cid, iid, ref, person, pdu, team, office, practitioner, prison, report,
                         loads(facts), assessor, at, minutes, language, edition)
                for (cid, iid, ref, person, pdu, team, office, practitioner, prison, report,
                     facts, assessor, at, minutes, language, edition) in rows]

    def _items(self, case_id: str) -> dict[str, str]:
        return dict(self._conn.execute(
            "SELECT item, value FROM items WHERE case_id = ?", (case_id,)).fetchall())

    def list_cases(self, inspection_id: str | None = None, *,
                   on_demand: bool = False) -> list[CaseSummary]:
        """Every case's row (of one inspection when given), in interview order.

        Each row's completeness is worked out here, unless ``on_demand``: then when first
        asked for, on the open workspace (a long case list shows only the rows in view).
        """
        where, params = ("c.inspection_id = ?", (inspection_id,)) if inspection_id else ("1", ())
        return self._summaries(self._case_rows(where, params), "1", (), on_demand=on_demand)

    def case_summary(self, case_id: str) -> CaseSummary:
        """One case's row of the case list (cheaper than list_cases after a save)."""
        case = self.find_case(case_id)
        return self._summaries([case], "case_id = ?", (case.id,))[0]

    def _summaries(self, cases: list[CaseInfo], where: str, params: tuple[Any, ...], *,
                   on_demand: bool = False) -> list[CaseSummary]:
        states = {r[0]: (r[1], r[2], r[3]) for r in self._conn.execute(
            f"SELECT case_id, status, revision, updated_at FROM assessments WHERE {where}",
            params)}
        alerts = self._alert_states(where, params)
        queries = dict(self._conn.execute(
            f"SELECT case_id, count(*) FROM queries WHERE closed_at IS NULL AND {where}"
            " GROUP BY case_id", params).fetchall())
        signed = dict(self._conn.execute(
            f"SELECT case_id, revision FROM signoffs WHERE {where}", params).fetchall())
        out = []
        for c in cases:
            status, revision, updated_at = states.get(c.id, ("not_started", 0, None))
            states_here = alerts.get(c.id, ())
            out.append(CaseSummary(
                case=c, status=status, revision=revision,
                reckon=partial(self._reckon, c, revision, updated_at),
                open_alerts=states_here.count("raised"), alerts=len(states_here),
                alert_states=states_here,
                open_queries=int(queries.get(c.id, 0)),
                signed_off=signed.get(c.id) == revision,
            ))
        if not on_demand:
            self._work_out(out, {c.id: states.get(c.id, (None, 0, None)) for c in cases},
                           where, params)
        return out

    def _alert_states(self, where: str, params: tuple[Any, ...]) -> dict[str, tuple[str, ...]]:
        """Each case's alerts' states, furthest step first taken here or received back.

        A step taken at this machine (``alert_steps``) or received in an alert-state bundle
        from the lead or a deputy lead (``alert_state_steps``) counts; an alert acknowledged
        the older way (``acknowledged_at``) is acknowledged.
        """
        rows = self._conn.execute(
            "SELECT al.case_id, al.id, al.acknowledged_at IS NOT NULL,"
            " (SELECT group_concat(step) FROM (SELECT step FROM alert_steps s"
            "  WHERE s.alert_id = al.id UNION SELECT step FROM alert_state_steps r"
            "  WHERE r.alert_id = al.id))"
            f" FROM alerts al WHERE {where.replace('case_id', 'al.case_id')}"
            " ORDER BY al.case_id, al.raised_at, al.id", params).fetchall()
        out: dict[str, list[str]] = {}
        for case_id, _alert_id, acknowledged, steps in rows:
            taken = set(steps.split(",")) if steps else set()
            state = next((s for s in reversed(ALERT_STEPS) if s in taken),
                         "acknowledged" if acknowledged else "raised")
            out.setdefault(case_id, []).append(state)
        return {k: tuple(v) for k, v in out.items()}

    def _work_out(self, rows: list[CaseSummary], states: dict[str, tuple[Any, ...]],
                  where: str, params: tuple[Any, ...]) -> None:
        """Every row's completeness now, the answers of the rows not cached read in one go."""
        keys = {s.case.id: self._completeness_key(s.case, states[s.case.id][1],
                                                  states[s.case.id][2]) for s in rows}
        stale = {cid for cid, key in keys.items()
                 if (held := self._completeness_cache.get(cid)) is None or held[0] != key}
        if len(stale) > 1:
            items: dict[str, dict[str, str]] = {cid: {} for cid in stale}
            for cid, item, value in self._conn.execute(
                    f"SELECT case_id, item, value FROM items WHERE {where}", params):
                if cid in items:
                    items[cid][item] = value
            for s in rows:
                if s.case.id in stale:
                    self._completeness_at(s.case, self.framework(s.case.framework_hash),
                                          keys[s.case.id], items[s.case.id])
        for s in rows:
            _ = s.completeness  # from the cache (one stale row reads its own answers)

    @staticmethod
    def _completeness_key(case: CaseInfo, revision: int, updated_at: str | None
                          ) -> tuple[Any, ...]:
        """What a cached completeness is valid for: revision, last update, facts, edition."""
        return (revision, updated_at, tuple(sorted(case.facts.items())), case.framework_hash)

    def _reckon(self, case: CaseInfo, revision: int, updated_at: str | None) -> Completeness:
        """A listed row's completeness, when first asked for (its edition read then, once)."""
        return self._completeness_at(case, self.framework(case.framework_hash),
                                     self._completeness_key(case, revision, updated_at))

    def _completeness_at(self, case: CaseInfo, fw: Framework, key: tuple[Any, ...],
                         items: dict[str, str] | None = None) -> Completeness:
        """The case's completeness at ``key`` (revision, last update, facts, edition), once.

        Every change to a case's answers raises its revision and stamps its update, in this
        process or any other, and each transaction and bulk load here empties the cache.
        """
        held = self._completeness_cache.get(case.id)
        if held is not None and held[0] == key:
            return held[1]
        found = completeness(fw, case.facts, self._items(case.id) if items is None else items)
        self._completeness_cache[case.id] = (key, found)
        return found

    def read_assessment(self, case_id: str) -> Assessment:
        case = self.find_case(case_id)
        fw = self.framework(case.framework_hash)
        row = self._conn.execute(
            "SELECT status, revision FROM assessments WHERE case_id = ?", (case.id,)).fetchone()
        items = self._items(case.id)
        rules = case_rules(fw, case.facts, items)
        return Assessment(
            case=case, framework=fw, status=row[0], revision=row[1], items=items, rules=rules,
            completeness=completeness(fw, case.facts, items, rules),
            alerts=tuple(self.alerts(case.id)),
        )

    def alerts(self, case_id: str | None = None) -> list[Alert]:
        where, params = ("WHERE case_id = ?", [case_id]) if case_id else ("", [])
        return [Alert(**r) for r in self._db.query(
            f"SELECT * FROM alerts {where} ORDER BY raised_at", params)]

    def history(self, case_id: str | None = None, item: str | None = None) -> list[AuditEntry]:
        clauses, params = [], []
        if case_id is not None:
            clauses.append("case_id = ?")
            params.append(self.find_case(case_id).id)
        if item is not None:
            clauses.append("item = ?")
            params.append(item)
        where = " AND ".join(clauses) or "1"
        return [AuditEntry(**r) for r in self._db.query(
            f"SELECT * FROM audit WHERE {where} ORDER BY seq", params)]

    def verify_history(self, case_id: str) -> bool:
        """Recompute the case's audit hash chain; False if any row was altered."""
        prev = ""
        for e in self.history(case_id):
            if chain_hash(prev, (e.case_id, e.at, e.actor, e.action, e.item, e.old, e.new,
                                 e.revision)) != e.hash:
                return False
            prev = e.hash
        return True

    def ownership(self, case_id: str) -> Ownership:
        """Whether this workspace may change the case, and who owns it (docs/security.md).

        The owner is the member the case is allocated to; a case not yet allocated is the
        lead's. A workspace that is no member of the case's inspection is its own owner.
        """
        row = self._conn.execute(
            "SELECT a.member_id, m.name, m.key_id,"
            " (SELECT role FROM members WHERE inspection_id = c.inspection_id AND key_id = ?),"
            " (SELECT name FROM members WHERE inspection_id = c.inspection_id"
            "  AND key_id = (SELECT lead_key_id FROM inspections WHERE id = c.inspection_id))"
            " FROM cases c LEFT JOIN assignments a ON a.case_id = c.id"
            " LEFT JOIN members m ON m.id = a.member_id WHERE c.id = ?",
            (self.identity.public.key_id, case_id)).fetchone()
        if row is None:
            raise StoreError(_("no case {case} in this workspace").format(case=repr(case_id)))
        member_id, name, key_id, my_role, lead_name = row
        if my_role is None:
            return Ownership(True, None)
        if member_id is None:
            mine, owner = my_role == "lead", lead_name
        else:
            mine = key_id is not None and bytes(key_id) == self.identity.public.key_id
            owner = name
        if mine:  # the save path's common case: no need to look for a reassignment
            return Ownership(True, owner)
        moved = self._conn.execute(
            "SELECT coalesce(json_extract(new, '$.at'), at) FROM audit"
            " WHERE case_id = ? AND action IN (?, ?) AND json_valid(new)"
            " ORDER BY seq DESC LIMIT 1", (case_id, *REASSIGN_ACTIONS)).fetchone()
        return Ownership(False, owner, moved[0] if moved else None)

    def _check_owner(self, case_id: str) -> None:
        """Refuse a change to a case this workspace does not own (inside the transaction)."""
        who = self.ownership(case_id)
        if who.mine:
            return
        ref = self._conn.execute("SELECT case_ref FROM cases WHERE id = ?",
                                (case_id,)).fetchone()[0]
        owner = who.owner or _("the lead")
        if who.reassigned_at:
            raise NotOwnerError(_(
                "refused: case {ref} was reassigned to {owner} on {date}; only their "
                "workspace can change it").format(ref=ref, owner=owner,
                                                  date=who.reassigned_at[:10]))
        raise NotOwnerError(_(
            "refused: case {ref} belongs to {owner}; only their workspace can change it "
            "(the lead reassigns a case first)").format(ref=ref, owner=owner))
