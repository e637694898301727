"""Moving a case's work to a new edition of its framework, and what a move would change.

A case moves along the new edition's mapping (frameworks/edition_mapping.py): each answer,
judgement and note goes to the item that continues its own, items with no predecessor stay
blank, and answers to items the new edition dropped leave the form but stay in the case's
audit chain with their value. Each case moves in one audited write transaction of its own;
a case that stays (complete, signed off, or someone else's) keeps its edition pinned in
``cases.framework_hash`` (docs/data-model.md, "Framework editions").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from hmip_desktop.assessment.completeness import case_rules
from hmip_desktop.assessment.items import ItemError, validate
from hmip_desktop.frameworks.conditions import CaseRules
from hmip_desktop.frameworks.edition_mapping import EditionMapping, MappingError, edition_mapping
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.audit import chain_hash
from hmip_desktop.store.case_writing import CaseWriting
from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.stamps import now
from hmip_desktop.store.transactions import write_transaction

EDITION_ACTION = "edition"
"""The case-level audit row of a move: ``old``/``new`` name the editions (JSON)."""
EDITION_ITEM_ACTION = "edition_item"
"""One item a move changed: ``old`` the value it held (kept in history), ``new`` what it holds."""
EDITION_CHOSEN_ACTION = "edition_chosen"
"""The lead's choice that a complete case moves too (travels in the next pack)."""
STAYING_STATUSES = ("complete",)


@dataclass(frozen=True)
class CaseMove:
    """What moving one case to a new edition does (or would do)."""

    case_id: str
    case_ref: str
    moves: bool
    why_stays: str
    """Words for inspectors when the case stays; "" when it moves."""
    carried: int
    """Answers, judgements and notes that go to the new edition."""
    new_items: int
    """Questions and prompts new in this edition that apply to the case (left blank)."""
    to_history: int
    """Answers the new edition has no place for: they stay only in the case history."""


def edition_name(fw: Framework) -> str:
    """The JSON an audit row gives for an edition: its id, edition and content hash."""
    return json.dumps({"id": fw.id, "edition": fw.edition, "hash": fw.hash}, sort_keys=True)


def moved_items(mapping: EditionMapping, items: dict[str, str]) -> dict[str, str]:
    """A case's items as they are on the new edition (values the new edition refuses drop)."""
    out: dict[str, str] = {}
    for key, value in items.items():
        for target in mapping.new_key(key):
            try:
                out[target] = validate(mapping.new, target, value)
            except ItemError:
                continue
    return {k: v for k, v in out.items() if v}


class EditionMoves(CaseWriting):
    """The lead's and the members' moves of cases to a new edition."""

    def _mapping(self, old: Framework, new: Framework) -> EditionMapping:
        """The mapping between two editions, worked out once per pair (``MappingError``)."""
        key = (old.hash, new.hash)
        cache: dict[tuple[str, str], EditionMapping] = self.__dict__.setdefault(
            "_edition_mappings", {})
        if key not in cache:
            cache[key] = edition_mapping(old, new)
        return cache[key]

    def preview_move(self, inspection_id: str, new: Framework, *,
                     move_complete: Collection[str] = (), counts: bool = True
                     ) -> list[CaseMove]:
        """Per case of the inspection not already on ``new``: whether it moves, and what moves.

        Nothing is written. ``move_complete``: ids of complete cases to move all the same.
        ``counts=False``: only whether each case moves (the counts left 0).
        """
        out = []
        for cid, ref, status, own_hash, facts in self._conn.execute(
                "SELECT c.id, c.case_ref, a.status, coalesce(c.framework_hash, i.framework_hash),"
                " c.facts FROM cases c JOIN inspections i ON i.id = c.inspection_id"
                " JOIN assessments a ON a.case_id = c.id WHERE c.inspection_id = ?"
                " ORDER BY c.case_ref", (inspection_id,)).fetchall():
            if own_hash == new.hash:
                continue
            out.append(self._preview_case(str(cid), str(ref), str(status), own_hash,
                                          json.loads(facts), new, move_complete, counts))
        return out

    def _preview_case(self, cid: str, ref: str, status: str, own_hash: str,
                      facts: dict[str, str], new: Framework,
                      move_complete: Collection[str], counts: bool) -> CaseMove:
        why = self._why_stays(cid, status, move_complete)
        try:
            mapping = self._mapping(self.framework(own_hash), new)
        except MappingError:
            return CaseMove(cid, ref, False, why or _("the new edition does not follow this "
                                                       "case's edition"), 0, 0, 0)
        if not counts:
            return CaseMove(cid, ref, not why, why, 0, 0, 0)
        items = self._items(cid)
        after = moved_items(mapping, items)
        return _counted(CaseMove(cid, ref, not why, why, 0, 0, 0), mapping, items, after,
                        case_rules(new, facts, after))

    def _why_stays(self, cid: str, status: str, move_complete: Collection[str]) -> str:
        if not self.ownership(cid).mine:
            return _("its assessor moves it in their own workspace")
        signed = self._conn.execute(
            "SELECT 1 FROM signoffs s JOIN assessments a ON a.case_id = s.case_id"
            " WHERE s.case_id = ? AND s.revision = a.revision", (cid,)).fetchone()
        if (signed or status in STAYING_STATUSES) and cid not in move_complete:
            return _("signed off") if signed else _("complete")
        return ""

    def move_case(self, case_id: str, new: Framework) -> CaseMove:
        """Move one case to ``new`` in one audited transaction; refused if not this workspace's.

        ``new`` must be stored here already. A case already on ``new`` is left as it is.
        """
        with write_transaction(self._conn):
            self._check_owner(case_id)
            row = self._conn.execute(
                "SELECT c.case_ref, coalesce(c.framework_hash, i.framework_hash),"
                " i.framework_hash, a.status, a.revision, c.facts FROM cases c"
                " JOIN inspections i ON i.id = c.inspection_id"
                " JOIN assessments a ON a.case_id = c.id WHERE c.id = ?", (case_id,)).fetchone()
            if row is None:
                raise StoreError(_("no case {id!r} in this workspace").format(id=case_id))
            ref, own_hash, inspection_hash, status, revision, facts = row
            if own_hash == new.hash:
                return CaseMove(case_id, ref, False, _("already on this edition"), 0, 0, 0)
            old = self.framework(own_hash)
            mapping = self._mapping(old, new)
            items = self._items(case_id)
            after = moved_items(mapping, items)
            rules = case_rules(new, json.loads(facts), after)
            for kq_id, (value, _reason) in rules.forced.items():
                after[kq_id] = value
            revision += 1
            changed = [(k, items.get(k), after.get(k)) for k in sorted(set(items) | set(after))
                       if items.get(k) != after.get(k)]
            self._conn.executemany("DELETE FROM items WHERE case_id = ? AND item = ?",
                                   [(case_id, k) for k, _b, v in changed if v is None])
            self._conn.executemany(
                "INSERT INTO items (case_id, item, value) VALUES (?,?,?)"
                " ON CONFLICT (case_id, item) DO UPDATE SET value = excluded.value",
                [(case_id, k, v) for k, _b, v in changed if v is not None])
            self._audit_chain(case_id, revision, [
                (EDITION_ACTION, "framework", edition_name(old), edition_name(new)),
                *((EDITION_ITEM_ACTION, k, b, v) for k, b, v in changed)])
            new_status = "in_progress" if status == "complete" else status
            self._conn.execute(
                "UPDATE assessments SET status = ?, revision = ?, updated_at = ?, updated_by = ?"
                " WHERE case_id = ?", (new_status, revision, now(), self.owner_name, case_id))
            if new_status != status:
                self._audit(case_id, "status", "status", status, new_status, revision)
            self._conn.execute(
                "UPDATE cases SET framework_hash = ? WHERE id = ?",
                (None if new.hash == inspection_hash else new.hash, case_id))
        self._items_cache.pop(case_id, None)
        self._completeness_cache.pop(case_id, None)
        self._undo.pop(case_id, None)
        self._revision_left[case_id] = revision
        return _counted(CaseMove(case_id, ref, True, "", 0, 0, 0), mapping, items, after, rules)

    def _audit_chain(self, case_id: str,
                     revision: int, rows: list[tuple[str, str, str | None, str | None]]) -> None:
        """Append (action, item, old, new) rows to the case's audit chain at ``revision``.

        The rows ``_audit`` would append one by one, chained from one look-up of the last hash.
        """
        row = self._conn.execute(
            "SELECT hash FROM audit WHERE case_id IS ? ORDER BY seq DESC LIMIT 1", (case_id,)
        ).fetchone()
        prev, at, out = (row[0] if row else ""), now(), []
        for action, item, old, new in rows:
            prev = chain_hash(prev, (case_id, at, self.owner_name, action, item, old, new,
                                     revision))
            out.append((case_id, at, self.owner_name, action, item, old, new, revision, prev))
        self._conn.executemany(
            "INSERT INTO audit (case_id, at, actor, action, item, old, new, revision, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?)", out)

    def move_cases(self, inspection_id: str, new: Framework, *,
                   move_complete: Collection[str] = ()) -> list[CaseMove]:
        """Move every case of the inspection that moves (``preview_move``), each on its own.

        Cases that stay keep their edition pinned. A failure stops at that case: the cases
        moved before it stay moved, it and the rest stay as they were.
        """
        plan = self.preview_move(inspection_id, new, move_complete=move_complete, counts=False)
        self.pin_editions(c.case_id for c in plan if not c.moves)
        return [self.move_case(c.case_id, new) if c.moves else c for c in plan]

    def pin_editions(self, case_ids: Iterable[str]) -> None:
        """Give each case its edition in ``cases.framework_hash`` (one transaction)."""
        with write_transaction(self._conn):
            for cid in case_ids:
                self._conn.execute(
                    "UPDATE cases SET framework_hash = (SELECT i.framework_hash FROM inspections i"
                    " WHERE i.id = cases.inspection_id) WHERE id = ? AND framework_hash IS NULL",
                    (cid,))

    def cases_with_content(self, inspection_id: str) -> list[str]:
        """Cases of the inspection holding any answer, or past their first revision."""
        return [str(r[0]) for r in self._conn.execute(
            "SELECT c.id FROM cases c JOIN assessments a ON a.case_id = c.id"
            " WHERE c.inspection_id = ? AND (a.revision > 0"
            " OR EXISTS (SELECT 1 FROM items i WHERE i.case_id = c.id))", (inspection_id,))]

    def choose_complete_moves(self, inspection_id: str, new: Framework,
                              case_ids: Iterable[str]) -> None:
        """The lead's choice that these complete cases move to ``new`` too, audited.

        Recorded without a revision (the case's revision is its owner's count) and carried by
        the next pack made for each case's member.
        """
        with write_transaction(self._conn):
            for cid in case_ids:
                row = self._conn.execute("SELECT inspection_id FROM cases WHERE id = ?",
                                         (cid,)).fetchone()
                if row is None or row[0] != inspection_id:
                    raise StoreError(_("no case {id!r} in this inspection").format(id=cid))
                self._audit(cid, EDITION_CHOSEN_ACTION, "framework", None, new.hash)

    def chosen_complete_moves(self, case_ids: Iterable[str], framework_hash: str) -> list[str]:
        """Of these cases, those the lead chose to move to the edition ``framework_hash``."""
        wanted = list(case_ids)
        chosen = {str(r[0]) for r in self._conn.execute(
            "SELECT DISTINCT case_id FROM audit WHERE action = ? AND new = ?",
            (EDITION_CHOSEN_ACTION, framework_hash))}
        return [c for c in wanted if c in chosen]

    def set_inspection_framework(self, inspection_id: str, new: Framework) -> None:
        """The inspection's edition becomes ``new`` (stored already), audited.

        Cases holding content keep their edition pinned until they move; cases with none
        are on ``new`` at once.
        """
        with write_transaction(self._conn):
            row = self._conn.execute("SELECT framework_hash FROM inspections WHERE id = ?",
                                     (inspection_id,)).fetchone()
            if row is None:
                raise StoreError(_("no inspection {id!r} in this workspace").format(
                    id=inspection_id))
            if row[0] == new.hash:
                return
            old = self.framework(row[0])
            self.pin_editions(self.cases_with_content(inspection_id))
            self._conn.execute(
                "UPDATE cases SET framework_hash = NULL WHERE inspection_id = ?"
                " AND framework_hash = ?", (inspection_id, new.hash))
            self._conn.execute(
                "UPDATE inspections SET framework_id = ?, framework_version = ?,"
                " framework_hash = ? WHERE id = ?", (new.id, new.version, new.hash,
                                                      inspection_id))
            self._audit(None, "inspection_edition", inspection_id, edition_name(old),
                        edition_name(new))


    def new_in_edition(self, case_id: str) -> frozenset[str]:
        """The key questions and prompts new in the edition a case was last moved to.

        Empty for a case never moved (or moved on since to an edition not held). The form
        marks those still unanswered "New in this edition".
        """
        row = self._conn.execute(
            "SELECT old, new FROM audit WHERE case_id = ? AND action = ?"
            " ORDER BY seq DESC LIMIT 1", (case_id, EDITION_ACTION)).fetchone()
        if row is None:
            return frozenset()
        try:
            old_hash, new_hash = json.loads(row[0])["hash"], json.loads(row[1])["hash"]
            new = self.case_framework(case_id)
            if new.hash != new_hash:
                return frozenset()
            return frozenset(edition_mapping(self.framework(old_hash), new).new_items)
        except (ValueError, KeyError, TypeError, StoreError, MappingError):
            return frozenset()

    def frameworks_held(self) -> list[dict[str, Any]]:
        """Every framework file held: its edition, what it supersedes, where it came from.

        Keys: ``hash``, ``id``, ``title``, ``edition``, ``supersedes`` (``{"id", "edition"}``
        or None), ``came_from``, ``from_name``, ``received_at``, ``in_use`` (whether an
        inspection or a case here is on it). Oldest arrival first.
        """
        used = {str(h) for (h,) in self._conn.execute(
            "SELECT framework_hash FROM inspections UNION"
            " SELECT framework_hash FROM cases WHERE framework_hash IS NOT NULL")}
        out = []
        for h, came_from, from_name, received_at in self._conn.execute(
                "SELECT hash, came_from, from_name, received_at FROM frameworks"
                " ORDER BY coalesce(received_at, ''), id, version").fetchall():
            fw = self.framework(str(h))
            sup = fw.supersedes
            out.append({"hash": fw.hash, "id": fw.id, "title": fw.title, "edition": fw.edition,
                        "supersedes": None if sup is None else {"id": sup.id,
                                                                "edition": sup.edition},
                        "came_from": came_from, "from_name": from_name,
                        "received_at": received_at, "in_use": fw.hash in used})
        return out


def _counted(move: CaseMove, mapping: EditionMapping, items: dict[str, str],
             after: dict[str, str], rules: CaseRules) -> CaseMove:
    """The move with its counts: answers carried, new questions that apply, left in history."""
    carried = sum(1 for k, v in items.items()
                  if any(after.get(t) == v for t in mapping.new_key(k)))
    fresh = sum(1 for i in mapping.new_items if rules.applies(i) and i not in after)
    return replace(move, carried=carried, new_items=fresh, to_history=len(items) - carried)
