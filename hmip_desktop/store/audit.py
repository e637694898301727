"""The audit trail: the hash chain every change appends to.

``AuditTrail`` also declares the state the service's parts share: the connection, the owner,
the workspace's identity and its in-memory caches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hmip_desktop.assessment.completeness import Completeness
from hmip_desktop.exchange.identity import PrivateIdentity
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.store.records import Change
from hmip_desktop.store.row_queries import RowQueries
from hmip_desktop.store.stamps import now
from hmip_desktop.store.transactions import write_transaction

# Audit actions that record a change of a case's owner: the lead's act, and its notice as the
# old owner's and the new owner's workspaces receive it in a pack (setup/reassign.py).
REASSIGN_ACTIONS = ("reassign", "reassigned")

# One encoder for every hash: json.dumps with options builds a new encoder on each call, which
# was a quarter of the time of checking a bundle's audit chains. The output is the same.
_CHAIN_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev: str, row: Iterable[object]) -> str:
    payload = _CHAIN_JSON.encode([prev, *row])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditTrail:
    """What every part of the service shares, and the audit rows each write appends."""

    folder: Path
    _conn: Any
    _db: RowQueries
    owner_name: str
    owner_role: str
    workspace_id: str
    _identity: PrivateIdentity
    _frameworks: dict[str, Framework]
    _undo: dict[str, list[Change]]
    # The revision this session's last write left on each case: Undo works only while the
    # case is still there (no pack, bundle or resolution has moved it on since).
    _revision_left: dict[str, int]
    _items_cache: dict[str, tuple[int, dict[str, str]]]
    # Each case's completeness with the state it was worked out at (store/reads.py).
    _completeness_cache: dict[str, tuple[Any, Completeness]]

    @property
    def identity(self) -> PrivateIdentity:
        return self._identity

    def record(self, case_id: str | None, action: str, item: str, old: str | None,
               new: str | None, revision: int | None = None) -> None:
        """Append an audit row; call inside ``transaction()``."""
        self._audit(case_id, action, item, old, new, revision)

    def _audit(self, case_id: str | None, action: str, item: str, old: str | None,
               new: str | None, revision: int | None = None) -> None:
        row = self._conn.execute(
            "SELECT hash FROM audit WHERE case_id IS ? ORDER BY seq DESC LIMIT 1", (case_id,)
        ).fetchone()
        at = now()
        h = chain_hash(row[0] if row else "",
                       (case_id, at, self.owner_name, action, item, old, new, revision))
        self._conn.execute(
            "INSERT INTO audit (case_id, at, actor, action, item, old, new, revision, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (case_id, at, self.owner_name, action, item, old, new, revision, h))

    def record_cases(self, action: str, item: str,
                     rows: list[tuple[str, str | None, str | None, int | None]]) -> None:
        """Append one audit row to each of several cases: (case id, old, new, revision).

        The same rows as ``record`` once a case, with each case's last hash read in one query
        and the rows written in one statement (call inside ``transaction()``; each case once).
        """
        if not rows:
            return
        last = dict(self._conn.execute(
            "SELECT case_id, hash FROM audit WHERE seq IN (SELECT max(seq) FROM audit"
            " WHERE case_id IN (SELECT value FROM json_each(?)) GROUP BY case_id)",
            (json.dumps([r[0] for r in rows]),)))
        at = now()
        self._conn.executemany(
            "INSERT INTO audit (case_id, at, actor, action, item, old, new, revision, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(cid, at, self.owner_name, action, item, old, new, revision,
              chain_hash(last.get(cid, ""),
                         (cid, at, self.owner_name, action, item, old, new, revision)))
             for cid, old, new, revision in rows])

    def _audit_many(self, rows: Sequence[tuple[str | None, str, str, str | None, str | None]],
                    ) -> None:
        """Append one audit row per (case id, action, item, old, new), in their order.

        The same rows, chained the same way, as ``_audit`` called for each in turn: each row's
        hash follows the last row of its case (the rows of a case in ``rows`` follow each
        other), with one read of the chains' last hashes and one insert for all the rows.
        """
        last: dict[str | None, str] = {}
        cases = sorted({r[0] for r in rows if r[0] is not None})
        for start in range(0, len(cases), 500):  # well inside SQLite's limit of parameters
            part = cases[start:start + 500]
            last.update(self._conn.execute(
                f"SELECT case_id, hash FROM audit WHERE case_id IN ({','.join('?' * len(part))})"
                " ORDER BY seq", part).fetchall())  # the last row of each case comes last
        if any(r[0] is None for r in rows):
            row = self._conn.execute(
                "SELECT hash FROM audit WHERE case_id IS NULL ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if row:
                last[None] = row[0]
        out = []
        for case_id, action, item, old, new in rows:
            at = now()
            h = last[case_id] = chain_hash(last.get(case_id, ""), (
                case_id, at, self.owner_name, action, item, old, new, None))
            out.append((case_id, at, self.owner_name, action, item, old, new, None, h))
        self._conn.executemany(
            "INSERT INTO audit (case_id, at, actor, action, item, old, new, revision, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?)", out)

    def _audit_only(self, case_id: str | None, action: str, item: str, old: str | None,
                    new: str | None) -> None:
        with write_transaction(self._conn):
            self._audit(case_id, action, item, old, new)
