"""The workspace service: the one API the GUI and the CLI use to read and change case data.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that also appends its audit rows, and
returns only after ``COMMIT`` (``synchronous=FULL``): when a save returns, it is on disk.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
import sqlite_utils

from hmip_desktop.assessment.completeness import case_rules, completeness
from hmip_desktop.assessment.items import CASE, NOTE, RECORD, ItemError, validate
from hmip_desktop.exchange.identity import PrivateIdentity, PublicIdentity, new_identity
from hmip_desktop.frameworks.loader import load_framework_bytes
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.connection import (
    check_local,
    make_private_folder,
    open_connection,
    sql_string,
)
from hmip_desktop.store.errors import (
    IncompleteError,
    NotAWorkspaceError,
    NotOwnerError,
    StoreError,
    ValidationError,
)
from hmip_desktop.store.failures import (
    check_unchanged,
    check_writable,
    guarded,
    rollback_quietly,
    storage_failures,
)
from hmip_desktop.store.passphrase import check_new_passphrase
from hmip_desktop.store.records import (
    ASSESSOR_STATUSES,
    Alert,
    Assessment,
    AuditEntry,
    CaseInfo,
    CaseSummary,
    Change,
    Ownership,
)
from hmip_desktop.store.schema import migrate
from hmip_desktop.text_rules import check_text

DB_NAME = "workspace.hmip"
BULK_CACHE_KIB = -131072  # 128 MiB of page cache while bulk loading
ROLES = ("assessor", "qa", "lead")
# Audit actions that record a change of a case's owner: the lead's act, and its notice as the
# old owner's and the new owner's workspaces receive it in a pack (setup/reassign.py).
REASSIGN_ACTIONS = ("reassign", "reassigned")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    return uuid.uuid4().hex


# One encoder for every hash: json.dumps with options builds a new encoder on each call, which
# was a quarter of the time of checking a bundle's audit chains. The output is the same.
_CHAIN_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev: str, row: Iterable[object]) -> str:
    payload = _CHAIN_JSON.encode([prev, *row])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Workspace:
    """An open, unlocked workspace. Use ``Workspace.create`` or ``Workspace.open``."""

    def __init__(self, folder: Path, conn: Any) -> None:
        self.folder = folder
        self._conn = conn
        self._db = sqlite_utils.Database(conn)
        self._frameworks: dict[str, Framework] = {}
        self._undo: dict[str, list[Change]] = {}
        # The revision this session's last write left on each case: Undo works only while the
        # case is still there (no pack, bundle or resolution has moved it on since).
        self._revision_left: dict[str, int] = {}
        self._items_cache: dict[str, tuple[int, dict[str, str]]] = {}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.owner_name: str = meta.get("owner_name", "")
        self.owner_role: str = meta.get("owner_role", "")
        self.workspace_id: str = meta.get("workspace_id", "")
        self._identity = self._load_or_create_identity()

    # -- identity, transactions and audit for other core modules -----------------------------

    def _load_or_create_identity(self) -> PrivateIdentity:
        """Load the workspace's long-term keys, creating them the first time it is opened."""
        row = self._conn.execute(
            "SELECT name, role, sign_private, kem_private, sign_public, kem_public"
            " FROM identity").fetchone()
        if row is not None:
            public = PublicIdentity(name=row[0], role=row[1], sign_public=bytes(row[4]),
                                    kem_public=bytes(row[5]))
            return PrivateIdentity(public, bytes(row[2]), bytes(row[3]))
        ident = new_identity(self.owner_name or "unnamed", self.owner_role or "assessor")
        with _transaction(self._conn):
            self._conn.execute(
                "INSERT INTO identity (singleton, name, role, sign_private, kem_private,"
                " sign_public, kem_public, key_id, created_at) VALUES (1,?,?,?,?,?,?,?,?)",
                (ident.public.name, ident.public.role, ident.sign_private, ident.kem_private,
                 ident.public.sign_public, ident.public.kem_public, ident.public.key_id, now()))
            self._audit(None, "identity", "identity", None, ident.public.fingerprint)
        return ident

    @property
    def identity(self) -> PrivateIdentity:
        return self._identity

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT`` for work spanning several tables.

        The service's own write methods may be called inside it: each then runs in a savepoint
        of this transaction, so the whole commits, or is rolled back, as one.
        """
        try:
            with _transaction(self._conn):
                self._items_cache.clear()
                yield
        except BaseException:
            # What the rolled-back writes left in memory describes nothing on disk.
            self._items_cache.clear()
            self._undo.clear()
            raise

    def record(self, case_id: str | None, action: str, item: str, old: str | None,
               new: str | None, revision: int | None = None) -> None:
        """Append an audit row; call inside ``transaction()``."""
        self._audit(case_id, action, item, old, new, revision)

    def next_counter(self, name: str) -> int:
        """Increment and return a named counter; call inside ``transaction()``."""
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1)"
            " ON CONFLICT (name) DO UPDATE SET value = value + 1", (name,))
        return int(self._conn.execute(
            "SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, passphrase: str, *, owner_name: str, role: str) -> Workspace:
        if role not in ROLES:
            raise ValidationError(f"role {role!r} is not one of {', '.join(ROLES)}")
        if not owner_name.strip():
            raise ValidationError("the workspace owner's name must not be empty")
        check_text(owner_name.strip(), "the workspace owner's name", error=ValidationError)
        check_new_passphrase(passphrase)
        check_local(folder)  # before mkdir: leave nothing behind on a network share
        path = folder / DB_NAME
        with storage_failures(path, os_errors=True):
            make_private_folder(folder)
            if path.exists():
                raise StoreError(f"{folder}: a workspace already exists here")
            check_writable(folder)
            conn = open_connection(path, passphrase, create=True)
            try:
                migrate(conn)
                with _transaction(conn):
                    conn.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [("workspace_id", new_id()), ("owner_name", owner_name.strip()),
                         ("owner_role", role), ("created_at", now())],
                    )
            except BaseException:
                conn.close()
                for suffix in ("", "-wal", "-shm"):
                    (folder / (DB_NAME + suffix)).unlink(missing_ok=True)
                raise
        return cls(folder, conn)

    @classmethod
    def open(cls, folder: Path, passphrase: str) -> Workspace:
        if not folder.is_dir():
            raise NotAWorkspaceError(f"{folder}: no such folder")
        check_local(folder)
        path = folder / DB_NAME
        with storage_failures(path, os_errors=True):
            if path.is_file():
                check_writable(folder, path)
            conn = open_connection(path, passphrase, create=False)
            try:
                migrate(conn)
                with guarded(conn):
                    return cls(folder, conn)
            except BaseException:
                conn.close()
                raise

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / DB_NAME).is_file()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-encrypt the whole database under a new passphrase (SQLCipher rekey)."""
        check_new_passphrase(new_passphrase)
        check_unchanged(self._conn)
        with guarded(self._conn):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute(f"PRAGMA rekey = {sql_string(new_passphrase)}")
        self._audit_only(None, "passphrase", "workspace", None, None)

    # -- inspections, members, cases --------------------------------------------------------

    def store_framework(self, framework_bytes: bytes) -> Framework:
        fw = load_framework_bytes(framework_bytes, "framework")
        with _transaction(self._conn):
            self._conn.execute(
                "INSERT OR IGNORE INTO frameworks (hash, id, version, content) VALUES (?,?,?,?)",
                (fw.hash, fw.id, fw.version, framework_bytes),
            )
        self._frameworks[fw.hash] = fw
        return fw

    def framework(self, framework_hash: str) -> Framework:
        if framework_hash not in self._frameworks:
            row = self._conn.execute(
                "SELECT content FROM frameworks WHERE hash = ?", (framework_hash,)
            ).fetchone()
            if row is None:
                raise StoreError(f"framework {framework_hash[:12]} is not in this workspace")
            fw = load_framework_bytes(bytes(row[0]), "stored framework")
            if fw.hash != framework_hash:
                raise StoreError(f"stored framework {framework_hash[:12]} fails its hash check")
            self._frameworks[framework_hash] = fw
        return self._frameworks[framework_hash]

    def create_inspection(self, *, title: str, organisation: str, framework_bytes: bytes,
                          fieldwork_start: str | None = None, fieldwork_end: str | None = None,
                          inspection_id: str | None = None) -> str:
        fw = self.store_framework(framework_bytes)
        iid = inspection_id or new_id()
        with _transaction(self._conn):
            self._conn.execute(
                "INSERT INTO inspections (id, title, organisation, framework_id,"
                " framework_version, framework_hash, fieldwork_start, fieldwork_end, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (iid, title, organisation, fw.id, fw.version, fw.hash, fieldwork_start,
                 fieldwork_end, now()),
            )
            self._audit(None, "create_inspection", iid, None, title)
        return iid

    def inspections(self) -> list[dict[str, Any]]:
        return list(self._db.query("SELECT * FROM inspections ORDER BY created_at"))

    def inspection_title(self, inspection_id: str) -> str:
        row = self._conn.execute("SELECT title FROM inspections WHERE id = ?",
                                (inspection_id,)).fetchone()
        if row is None:
            raise StoreError(f"no inspection {inspection_id!r} in this workspace")
        return str(row[0])

    def case_refs(self) -> dict[str, str]:
        """Every case's reference, by case id."""
        return {str(cid): str(ref) for cid, ref in self._conn.execute(
            "SELECT id, case_ref FROM cases")}

    def allocations(self, inspection_id: str) -> list[dict[str, Any]]:
        """Each case of the inspection with its member and interview slot, by reference.

        Keys: ``id``, ``case_ref``, ``practitioner``, ``office``, ``member_id`` and
        ``interview_at`` (the last two None while the case is not allocated).
        """
        return list(self._db.query(
            "SELECT c.id, c.case_ref, c.practitioner, c.office, a.member_id, a.interview_at"
            " FROM cases c LEFT JOIN assignments a ON a.case_id = c.id"
            " WHERE c.inspection_id = ? ORDER BY c.case_ref", [inspection_id]))

    def cipher_version(self) -> str | None:
        """SQLCipher's version, as the open connection reports it (None: not SQLCipher)."""
        row = self._conn.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row and row[0] else None

    def inspection_framework(self, inspection_id: str) -> Framework:
        row = self._conn.execute(
            "SELECT framework_hash FROM inspections WHERE id = ?", (inspection_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no inspection {inspection_id!r} in this workspace")
        return self.framework(row[0])

    def add_member(self, inspection_id: str, *, name: str, role: str, office: str = "",
                   member_id: str | None = None) -> str:
        if role not in ROLES:
            raise ValidationError(f"role {role!r} is not one of {', '.join(ROLES)}")
        mid = member_id or new_id()
        with _transaction(self._conn):
            self._conn.execute(
                "INSERT INTO members (id, inspection_id, name, role, office) VALUES (?,?,?,?,?)",
                (mid, inspection_id, name, role, office),
            )
            self._audit(None, "add_member", mid, None, f"{name} ({role})")
        return mid

    def members(self, inspection_id: str) -> list[dict[str, Any]]:
        return list(self._db.query(
            "SELECT * FROM members WHERE inspection_id = ? ORDER BY name", [inspection_id]))

    def add_case(self, inspection_id: str, *, case_ref: str, facts: Mapping[str, str],
                 person_name: str = "", pdu: str = "", team: str = "", office: str = "",
                 practitioner: str = "", prison: str = "", report_type: str = "",
                 case_id: str | None = None) -> str:
        return self.add_cases(inspection_id, [{
            "case_ref": case_ref, "facts": facts, "person_name": person_name, "pdu": pdu,
            "team": team, "office": office, "practitioner": practitioner, "prison": prison,
            "report_type": report_type, "case_id": case_id}])[0]

    def add_cases(self, inspection_id: str, cases: list[Mapping[str, Any]]) -> list[str]:
        """Add cases (``add_case``'s keyword arguments each) all together or not at all."""
        fw = self.inspection_framework(inspection_id)
        for c in cases:
            for field in ("case_ref", "person_name", "pdu", "team", "office", "practitioner",
                          "prison", "report_type"):  # they travel in packs: one line each
                check_text(str(c.get(field) or ""), f"case {c['case_ref']!r}: the {field}",
                           error=ValidationError)
            for key, value in c["facts"].items():
                f = fw.fields_by_id.get(key)
                if f is None or f.kind != "fact":
                    raise ValidationError(
                        f"case {c['case_ref']}: {key!r} is not a case fact of {fw.id}")
                if value not in f.values:
                    raise ValidationError(f"case {c['case_ref']}: {value!r} is not a value of "
                                          f"{key} ({', '.join(f.values)})")
        ids = []
        with _transaction(self._conn):
            for c in cases:
                cid = c.get("case_id") or new_id()
                try:
                    self._conn.execute(
                        "INSERT INTO cases (id, inspection_id, case_ref, person_name, pdu, team,"
                        " office, practitioner, prison, report_type, facts)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (cid, inspection_id, c["case_ref"], *(c.get(k) or "" for k in (
                            "person_name", "pdu", "team", "office", "practitioner", "prison",
                            "report_type")), json.dumps(dict(c["facts"]), sort_keys=True)),
                    )
                except sqlcipher3.IntegrityError:
                    raise ValidationError(
                        f"case {c['case_ref']} is already in this inspection") from None
                self._conn.execute("INSERT INTO assessments (case_id) VALUES (?)", (cid,))
                self._audit(cid, "add_case", "case", None, c["case_ref"])
                ids.append(cid)
        return ids

    def assign(self, case_id: str, member_id: str, *, interview_at: str | None = None,
               interview_minutes: int | None = None) -> None:
        check_text(interview_at or "", "the interview time", error=ValidationError)
        with _transaction(self._conn):
            held = self._conn.execute(
                "SELECT c.case_ref, m.name FROM assignments a JOIN cases c ON c.id = a.case_id"
                " JOIN members m ON m.id = a.member_id WHERE a.case_id = ? AND a.member_id <> ?",
                (case_id, member_id)).fetchone()
            if held is not None:  # a change of owner is a reassignment (setup/reassign.py)
                raise ValidationError(_(
                    "case {ref} is already allocated to {name}: to give it to someone else, "
                    "reassign it with a reason").format(ref=held[0], name=held[1]))
            self._conn.execute(
                "INSERT INTO assignments (case_id, member_id, interview_at, interview_minutes)"
                " VALUES (?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET"
                " member_id=excluded.member_id,"
                " interview_at=excluded.interview_at,"
                " interview_minutes=excluded.interview_minutes",
                (case_id, member_id, interview_at, interview_minutes),
            )
            self._audit(case_id, "assign", "assignment", None,
                        f"{member_id} {interview_at or ''}".strip())

    # -- reading ---------------------------------------------------------------------------

    def find_case(self, ref_or_id: str) -> CaseInfo:
        rows = self._case_rows("c.id = ? OR c.case_ref = ?", (ref_or_id, ref_or_id))
        if not rows:
            raise StoreError(f"no case {ref_or_id!r} in this workspace")
        if len(rows) > 1:
            raise StoreError(f"case reference {ref_or_id!r} is ambiguous: use the case id")
        return rows[0]

    def _case_rows(self, where: str = "1", params: tuple[Any, ...] = ()) -> list[CaseInfo]:
        sql = (
            "SELECT c.*, m.name AS assessor, a.interview_at, a.interview_minutes FROM cases c"
            " LEFT JOIN assignments a ON a.case_id = c.id"
            " LEFT JOIN members m ON m.id = a.member_id"
            f" WHERE {where} ORDER BY coalesce(a.interview_at, ''), c.case_ref"
        )
        out = []
        for r in self._db.query(sql, params):
            out.append(CaseInfo(
                id=r["id"], inspection_id=r["inspection_id"], case_ref=r["case_ref"],
                person_name=r["person_name"], pdu=r["pdu"], team=r["team"], office=r["office"],
                practitioner=r["practitioner"], prison=r["prison"], report_type=r["report_type"],
                facts=json.loads(r["facts"]), assessor=r["assessor"],
                interview_at=r["interview_at"], interview_minutes=r["interview_minutes"],
            ))
        return out

    def _items(self, case_id: str) -> dict[str, str]:
        return dict(self._conn.execute(
            "SELECT item, value FROM items WHERE case_id = ?", (case_id,)).fetchall())

    def list_cases(self, inspection_id: str | None = None) -> list[CaseSummary]:
        where, params = ("c.inspection_id = ?", (inspection_id,)) if inspection_id else ("1", ())
        return self._summaries(self._case_rows(where, params), "1", ())

    def case_summary(self, case_id: str) -> CaseSummary:
        """One case's row of the case list (cheaper than list_cases after a save)."""
        case = self.find_case(case_id)
        return self._summaries([case], "case_id = ?", (case.id,))[0]

    def _summaries(self, cases: list[CaseInfo], where: str,
                   params: tuple[Any, ...]) -> list[CaseSummary]:
        states = {r[0]: (r[1], r[2]) for r in self._conn.execute(
            f"SELECT case_id, status, revision FROM assessments WHERE {where}", params)}
        alerts: dict[str, tuple[int, int]] = {
            r[0]: (r[1], r[2]) for r in self._conn.execute(
                "SELECT case_id, count(*), sum(acknowledged_at IS NULL) FROM alerts"
                f" WHERE {where} GROUP BY case_id", params)}
        items: dict[str, dict[str, str]] = {}
        for cid, item, value in self._conn.execute(
                f"SELECT case_id, item, value FROM items WHERE {where}", params):
            items.setdefault(cid, {})[item] = value
        queries = dict(self._conn.execute(
            f"SELECT case_id, count(*) FROM queries WHERE closed_at IS NULL AND {where}"
            " GROUP BY case_id", params).fetchall())
        signed = dict(self._conn.execute(
            f"SELECT case_id, revision FROM signoffs WHERE {where}", params).fetchall())
        out = []
        for c in cases:
            fw = self.inspection_framework(c.inspection_id)
            status, revision = states.get(c.id, ("not_started", 0))
            total, still_open = alerts.get(c.id, (0, 0))
            out.append(CaseSummary(
                case=c, status=status, revision=revision,
                completeness=completeness(fw, c.facts, items.get(c.id, {})),
                open_alerts=int(still_open or 0), alerts=int(total),
                open_queries=int(queries.get(c.id, 0)),
                signed_off=signed.get(c.id) == revision,
            ))
        return out

    def read_assessment(self, case_id: str) -> Assessment:
        case = self.find_case(case_id)
        fw = self.inspection_framework(case.inspection_id)
        row = self._conn.execute(
            "SELECT status, revision FROM assessments WHERE case_id = ?", (case.id,)).fetchone()
        items = self._items(case.id)
        rules = case_rules(fw, case.facts, items)
        return Assessment(
            case=case, framework=fw, status=row[0], revision=row[1], items=items, rules=rules,
            completeness=completeness(fw, case.facts, items, rules),
            alerts=tuple(self.alerts(case.id)),
        )

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
            raise StoreError(f"no case {case_id!r} in this workspace")
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

    # -- writing ---------------------------------------------------------------------------

    def save_item(self, case_id: str, item: str, value: str, *, action: str = "set") -> Change:
        """Save one answer, judgement, note or record field; durable and audited on return.

        An empty value clears the item. Hurdles are applied in the same transaction.
        """
        cid, facts, fw = self._save_target(case_id)
        try:
            value = validate(fw, item, value)
        except ItemError as e:
            raise ValidationError(str(e)) from None
        with _transaction(self._conn):
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
                raise ValidationError(
                    "a conflict of interest is declared for this case: the form is blocked "
                    "until the lead re-allocates it")
            forced = rules.forced.get(item)
            if forced and new is not None and new != forced[0]:
                raise ValidationError(f"{item} is set to {forced[0]!r} by a hurdle: {forced[1]}")
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
            "SELECT c.id, c.facts, i.framework_hash FROM cases c"
            " JOIN inspections i ON i.id = c.inspection_id"
            " WHERE c.id = ? OR c.case_ref = ?", (case_id, case_id)).fetchall()
        if len(rows) != 1:
            case = self.find_case(case_id)  # raises: no such case, or ambiguous
            return case.id, case.facts, self.inspection_framework(case.inspection_id)
        cid, facts, framework_hash = rows[0]
        return str(cid), json.loads(facts), self.framework(framework_hash)

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
            raise IncompleteError(f"cannot mark complete: {c.blocked}", [])
        if c.missing:
            names = ", ".join(m.item for m in c.missing[:5])
            more = f" and {len(c.missing) - 5} more" if len(c.missing) > 5 else ""
            raise IncompleteError(
                f"cannot mark complete: {len(c.missing)} item(s) missing ({names}{more})",
                [m.item for m in c.missing],
            )
        return self.set_status(a.case.id, "complete")

    def set_status(self, case_id: str, status: str) -> Change:
        """Set the assessor's status; ``queried`` and ``signed_off`` are derived, never stored."""
        if status not in ASSESSOR_STATUSES:
            raise ValidationError(
                "a case's status can only be set to not started, in progress or complete:"
                " queried and signed off come from the QA partner's queries and sign-offs")
        with _transaction(self._conn):
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
        fields = {"what might happen": what_might_happen, "how serious": how_serious,
                  "how imminent": how_imminent, "action asked for": action_asked}
        for name, text in fields.items():
            if not text.strip():
                raise ValidationError(f"an alert needs an answer to '{name}'")
            check_text(text, f"the alert's '{name}'", multiline=True, error=ValidationError)
        alert = Alert(new_id(), case.id, what_might_happen.strip(), how_serious.strip(),
                      how_imminent.strip(), action_asked.strip(), self.owner_name, now(),
                      None, None)
        with _transaction(self._conn):
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
        with _transaction(self._conn):
            row = self._conn.execute(
                "SELECT case_id, acknowledged_at FROM alerts WHERE id = ?", (alert_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"no alert {alert_id!r}")
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

    def alerts(self, case_id: str | None = None) -> list[Alert]:
        where, params = ("WHERE case_id = ?", [case_id]) if case_id else ("", [])
        return [Alert(**r) for r in self._db.query(
            f"SELECT * FROM alerts {where} ORDER BY raised_at", params)]

    def bulk_load_items(self, rows: Iterable[tuple[str, str, str]]) -> int:
        """Load many (case_id, item, value) rows in one transaction, audited as one import."""
        n = 0
        # Random keys touch pages all over the tree; with SQLite's default 2 MB cache every
        # evicted page is encrypted, written, read back and decrypted again. A large cache for
        # the load keeps it near plain SQLite's speed (docs/performance.md).
        self._items_cache.clear()
        (cache,) = self._conn.execute("PRAGMA cache_size").fetchone()
        self._conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            with _transaction(self._conn):
                cur = self._conn.executemany(
                    "INSERT INTO items (case_id, item, value) VALUES (?,?,?)"
                    " ON CONFLICT (case_id, item) DO UPDATE SET value = excluded.value",
                    _counted(rows))
                n = cur.rowcount
                self._audit(None, "bulk_load", "items", None, str(n))
        finally:
            self._conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return int(n)

    # -- internals -------------------------------------------------------------------------

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

    def _audit_only(self, case_id: str | None, action: str, item: str, old: str | None,
                    new: str | None) -> None:
        with _transaction(self._conn):
            self._audit(case_id, action, item, old, new)


def _counted(rows: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str, str]]:
    yield from rows


@contextmanager
def _transaction(conn: Any, mode: str = "IMMEDIATE") -> Iterator[None]:
    """One transaction; a storage failure becomes its named ``StoreError`` (store/failures.py).

    A failed rollback never hides the error that caused it. Inside a transaction already open
    (a write method called within ``Workspace.transaction``) it is a savepoint instead, so
    writes compose: an error rolls back this write alone, and the outer one decides the rest.
    """
    check_unchanged(conn)
    with guarded(conn):
        if conn.in_transaction:  # called inside another write: a savepoint of it
            name = f"nested_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
                conn.execute(f"RELEASE {name}")
            except BaseException:
                with suppress(sqlcipher3.Error, MemoryError):
                    if conn.in_transaction:
                        conn.execute(f"ROLLBACK TO {name}")
                        conn.execute(f"RELEASE {name}")
                raise
            return
        conn.execute(f"BEGIN {mode}")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise


_savepoints = itertools.count(1)


__all__ = ["CASE", "NOTE", "RECORD", "Workspace"]
