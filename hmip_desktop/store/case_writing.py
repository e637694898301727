"""Writing a case: answers, status, alerts and bulk loads, each durable and audited.

Every write runs in one ``BEGIN IMMEDIATE`` transaction (a savepoint inside another) that also
appends its audit rows, and returns only after ``COMMIT`` (``synchronous=FULL``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import replace

from hmip_desktop.assessment.completeness import case_rules
from hmip_desktop.assessment.items import RECORD, ItemError, validate
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.errors import IncompleteError, StoreError, ValidationError
from hmip_desktop.store.reads import CaseReads
from hmip_desktop.store.records import ASSESSOR_STATUSES, Alert, Change
from hmip_desktop.store.stamps import new_id, now
from hmip_desktop.store.transactions import write_transaction
from hmip_desktop.text_rules import check_text

BULK_CACHE_KIB = -131072  # 128 MiB of page cache while bulk loading


class CaseWriting(CaseReads):
    """The assessor's and the lead's changes to a case."""

    def next_counter(self, name: str) -> int:
        """Increment and return a named counter; call inside ``transaction()``."""
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1)"
            " ON CONFLICT (name) DO UPDATE SET value = value + 1", (name,))
        return int(self._conn.execute(
            "SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])

    def save_item(self, case_id: str, item: str, value: str, *, action: str = "set") -> Change:
        """Save one answer, judgement, note or record field; durable and audited on return.

        An empty value clears the item. Hurdles are applied in the same transaction.
        """
        cid, facts, fw = self._save_target(case_id)
        try:
            value = validate(fw, item, value)
        except ItemError as e:
            raise ValidationError(str(e)) from None
        with write_transaction(self._conn):
            self._check_owner(cid)
            status, revision = self._conn.execute(
                "SELECT status, revision FROM assessments WHERE case_id = ?", (cid,)
            ).fetchone()
            items = self._items_at(cid, revision)
            old = items.get(item)
            new = value or None
            rules = case_rules(fw, facts, items)
            if (items.get(RECORD + "conflict_declared") == "yes"
                    and not item.startswith(RECORD) and new != old):
                raise ValidationError(_(
                    "a conflict of interest is declared for this case: the form is blocked "
                    "until the lead re-allocates it"))
            forced = rules.forced.get(item)
            if forced and new is not None and new != forced[0]:
                raise ValidationError(_("{item} is set to {value} by a hurdle: {reason}").format(
                    item=item, value=repr(forced[0]), reason=forced[1]))
            if old == new:
                return Change(cid, item, old, new, revision, status)
            self._put(cid, item, new)
            items_after = {**items}
            if new is None:
                items_after.pop(item, None)
            else:
                items_after[item] = new
            revision += 1
            new_status = "in_progress" if status in ("not_started", "complete") else status
            self._audit(cid, action, item, old, new, revision)
            also: dict[str, tuple[str | None, str | None]] = {}
            after_rules = case_rules(fw, facts, items_after)
            for kq_id, (forced_value, _reason) in after_rules.forced.items():
                if items_after.get(kq_id) != forced_value:
                    also[kq_id] = (items_after.get(kq_id), forced_value)
                    self._put(cid, kq_id, forced_value)
                    self._audit(cid, "hurdle", kq_id, items_after.get(kq_id), forced_value,
                                revision)
            self._conn.execute(
                "UPDATE assessments SET status = ?, revision = ?, updated_at = ?, updated_by = ?"
                " WHERE case_id = ?", (new_status, revision, now(), self.owner_name, cid))
            if new_status != status:
                self._audit(cid, "status", "status", status, new_status, revision)
        self._revision_left[cid] = revision
        self._items_cache[cid] = (revision, {**items_after,
                                             **{k: v for k, (_o, v) in also.items() if v}})
        change = Change(cid, item, old, new, revision, new_status, also,
                        status if new_status != status else None)
        if action != "undo":
            self._undo.setdefault(cid, []).append(change)
        return change

    def _items_at(self, case_id: str, revision: int) -> dict[str, str]:
        """The case's items, from memory when this process saved the current revision.

        Every change to items raises the revision, in this process or any other, so a cached
        copy at the same revision is exact; anything else is read afresh.
        """
        cached = self._items_cache.get(case_id)
        if cached is not None and cached[0] == revision:
            return dict(cached[1])
        return self._items(case_id)

    def _save_target(self, case_id: str) -> tuple[str, Mapping[str, str], Framework]:
        """(case id, facts, framework) for a save, in one query rather than find_case's join.

        Same matching as find_case (id or reference); anything but one match goes through
        find_case for its message.
        """
        rows = self._conn.execute(
            "SELECT c.id, c.facts, coalesce(c.framework_hash, i.framework_hash) FROM cases c"
            " JOIN inspections i ON i.id = c.inspection_id"
            " WHERE c.id = ? OR c.case_ref = ?", (case_id, case_id)).fetchall()
        if len(rows) != 1:
            case = self.find_case(case_id)  # raises: no such case, or ambiguous
            return case.id, case.facts, self.framework(case.framework_hash)
        cid, facts, framework_hash = rows[0]
        return str(cid), json.loads(facts), self.framework(framework_hash)

    def can_undo(self, case_id: str) -> bool:
        """Whether ``undo`` has a change of this session's to take back on the case."""
        case = self.find_case(case_id)
        return bool(self._undo.get(case.id)) and (
            self.read_assessment(case.id).revision == self._revision_left.get(case.id))

    def undo(self, case_id: str) -> Change | None:
        """Undo this session's last change to the case (the undo is audited too).

        When that change moved the case's status (a completed case reopened by the edit), the
        status goes back as well.
        """
        case = self.find_case(case_id)
        stack = self._undo.get(case.id) or []
        held = self._conn.execute("SELECT revision FROM assessments WHERE case_id = ?",
                                 (case.id,)).fetchone()
        if stack and (held is None or held[0] != self._revision_left.get(case.id)):
            # The case moved on outside this session's saves (a pack or bundle applied, a
            # resolution taken): undoing would write an old value over that work.
            stack.clear()
        while stack:
            last = stack.pop()
            try:
                change = self.save_item(case.id, last.item, last.old or "", action="undo")
            except ValidationError:
                continue  # e.g. now locked by a hurdle: skip to the change before it
            for item, (old, _new) in last.also_changed.items():
                # What a hurdle forced goes back too, unless a hurdle still holds it.
                with suppress(ValidationError):
                    self.save_item(case.id, item, old or "", action="undo")
            if last.status_before is not None and last.status_before != change.status:
                # The change reopened a completed case (or started one): undoing it puts the
                # status back too, audited as a status change of its own.
                restored = self.set_status(case.id, last.status_before)
                change = replace(change, revision=restored.revision, status=restored.status)
            return change
        return None

    def mark_complete(self, case_id: str) -> Change:
        a = self.read_assessment(case_id)
        self._check_owner(a.case.id)  # before the completeness check: the owner is the news
        c = a.completeness
        if c.blocked:
            raise IncompleteError(
                _("cannot mark complete: {reason}").format(reason=c.blocked), [])
        if c.missing:
            names = ", ".join(m.item for m in c.missing[:5])
            more = (_(" and {n} more").format(n=len(c.missing) - 5) if len(c.missing) > 5
                    else "")
            raise IncompleteError(
                _("cannot mark complete: {n} item(s) missing ({items}{more})").format(
                    n=len(c.missing), items=names, more=more),
                [m.item for m in c.missing],
            )
        return self.set_status(a.case.id, "complete")

    def set_status(self, case_id: str, status: str) -> Change:
        """Set the assessor's status; ``queried`` and ``signed_off`` are derived, never stored."""
        if status not in ASSESSOR_STATUSES:
            raise ValidationError(_(
                "a case's status can only be set to not started, in progress or complete:"
                " queried and signed off come from the QA partner's queries and sign-offs"))
        with write_transaction(self._conn):
            self._check_owner(case_id)
            old, revision = self._conn.execute(
                "SELECT status, revision FROM assessments WHERE case_id = ?", (case_id,)
            ).fetchone()
            if old != status:
                revision += 1
                self._conn.execute(
                    "UPDATE assessments SET status = ?, revision = ?, updated_at = ?,"
                    " updated_by = ? WHERE case_id = ?",
                    (status, revision, now(), self.owner_name, case_id))
                self._audit(case_id, "status", "status", old, status, revision)
        self._revision_left[case_id] = revision
        return Change(case_id, "status", old, status, revision, status)

    def raise_alert(self, case_id: str, *, what_might_happen: str, how_serious: str,
                    how_imminent: str, action_asked: str) -> Alert:
        case = self.find_case(case_id)
        fields = ((_("what might happen"), what_might_happen), (_("how serious"), how_serious),
                  (_("how imminent"), how_imminent), (_("action asked for"), action_asked))
        for name, text in fields:
            if not text.strip():
                raise ValidationError(_("an alert needs an answer to '{name}'").format(name=name))
            check_text(text, _("the alert's '{name}'").format(name=name), multiline=True,
                       error=ValidationError)
        alert = Alert(new_id(), case.id, what_might_happen.strip(), how_serious.strip(),
                      how_imminent.strip(), action_asked.strip(), self.owner_name, now(),
                      None, None)
        with write_transaction(self._conn):
            self._check_owner(case.id)
            self._conn.execute(
                "INSERT INTO alerts (id, case_id, what_might_happen, how_serious, how_imminent,"
                " action_asked, raised_by, raised_at) VALUES (?,?,?,?,?,?,?,?)",
                (alert.id, alert.case_id, alert.what_might_happen, alert.how_serious,
                 alert.how_imminent, alert.action_asked, alert.raised_by, alert.raised_at))
            revision = self._bump(case.id)
            self._audit(case.id, "alert", f"alert:{alert.id}", None,
                        json.dumps([alert.what_might_happen, alert.how_serious,
                                    alert.how_imminent, alert.action_asked]), revision)
        return alert

    def acknowledge_alert(self, alert_id: str) -> None:
        with write_transaction(self._conn):
            row = self._conn.execute(
                "SELECT case_id, acknowledged_at FROM alerts WHERE id = ?", (alert_id,)
            ).fetchone()
            if row is None:
                raise StoreError(_("no alert {alert}").format(alert=repr(alert_id)))
            if row[1] is not None:
                return
            at = now()
            self._conn.execute(
                "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?",
                (self.owner_name, at, alert_id))
            # The lead acknowledges alerts on cases they do not own. A case's revision is its
            # owner's count: raising it here would make the owner's next revision look stale
            # on import, and drop it. The acknowledgement is audited without a revision.
            revision = self._bump(row[0]) if self.ownership(row[0]).mine else None
            self._audit(row[0], "acknowledge", f"alert:{alert_id}", None, self.owner_name,
                        revision)

    def bulk_load_items(self, rows: Iterable[tuple[str, str, str]]) -> int:
        """Load many (case_id, item, value) rows in one transaction, audited as one import."""
        n = 0
        # Random keys touch pages all over the tree; with SQLite's default 2 MB cache every
        # evicted page is encrypted, written, read back and decrypted again. A large cache for
        # the load keeps it near plain SQLite's speed (docs/performance.md).
        self._items_cache.clear()
        self._completeness_cache.clear()
        (cache,) = self._conn.execute("PRAGMA cache_size").fetchone()
        self._conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            with write_transaction(self._conn):
                cur = self._conn.executemany(
                    "INSERT INTO items (case_id, item, value) VALUES (?,?,?)"
                    " ON CONFLICT (case_id, item) DO UPDATE SET value = excluded.value",
                    _counted(rows))
                n = cur.rowcount
                self._audit(None, "bulk_load", "items", None, str(n))
        finally:
            self._conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return int(n)

    def _put(self, case_id: str, item: str, value: str | None) -> None:
        if value is None:
            self._conn.execute("DELETE FROM items WHERE case_id = ? AND item = ?", (case_id, item))
        else:
            self._conn.execute(
                "INSERT INTO items (case_id, item, value) VALUES (?,?,?)"
                " ON CONFLICT (case_id, item) DO UPDATE SET value = excluded.value",
                (case_id, item, value))

    def _bump(self, case_id: str) -> int:
        self._conn.execute(
            "UPDATE assessments SET revision = revision + 1, updated_at = ?, updated_by = ?"
            " WHERE case_id = ?", (now(), self.owner_name, case_id))
        revision = int(self._conn.execute(
            "SELECT revision FROM assessments WHERE case_id = ?", (case_id,)).fetchone()[0])
        self._revision_left[case_id] = revision
        return revision


def _counted(rows: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str, str]]:
    yield from rows
