"""The workspace service: the one API the GUI and the CLI use to read and change case data.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that also appends its audit rows, and
returns only after ``COMMIT`` (``synchronous=FULL``): when a save returns, it is on disk.

The service is built in layers, each a module of ``store/``: ``audit`` (the shared state and the
audit trail), ``inspections`` (set-up), ``reads`` (cases, history, ownership) and
``case_writing`` (saves, status, alerts) and ``edition_moves`` (cases moved to a new
edition); this module opens, creates and closes a workspace.
The one transaction helper is ``store/transactions.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hmip_desktop.assessment.items import CASE, NOTE, RECORD
from hmip_desktop.exchange.identity import PrivateIdentity, PublicIdentity, new_identity
from hmip_desktop.i18n import _
from hmip_desktop.store.audit import REASSIGN_ACTIONS, chain_hash
from hmip_desktop.store.connection import (
    check_integrity,
    check_local,
    check_passphrase_form,
    make_private_folder,
    open_connection,
    passphrase_key,
    start_page_check,
)
from hmip_desktop.store.edition_moves import EditionMoves
from hmip_desktop.store.errors import NotAWorkspaceError, StoreError, ValidationError
from hmip_desktop.store.failures import check_unchanged, check_writable, guarded, storage_failures
from hmip_desktop.store.inspections import ROLES
from hmip_desktop.store.key_file import (
    KEY_FILE_NAME,
    KeyFile,
    WorkspaceKeys,
    new_key_file,
    read_key_file,
    write_key_file,
)
from hmip_desktop.store.key_upgrade import UPGRADE_SUFFIX, database_salt, upgrade_keying
from hmip_desktop.store.page_check import PageCheck
from hmip_desktop.store.passphrase import check_new_passphrase
from hmip_desktop.store.row_queries import RowQueries
from hmip_desktop.store.schema import LATEST, check_schema, migrate
from hmip_desktop.store.stamps import new_id, now
from hmip_desktop.store.transactions import write_transaction
from hmip_desktop.text_rules import check_text

DB_NAME = "workspace.hmip"
UPGRADING_NAME = DB_NAME + UPGRADE_SUFFIX


def _close(conn: Any) -> None:
    """Close the connection, stopping a page check still running alongside first."""
    pending: PageCheck | None = getattr(conn, "pages_check", None)
    if pending is not None:
        pending.stop()
    conn.close()


class Workspace(EditionMoves):
    """An open, unlocked workspace. Use ``Workspace.create`` or ``Workspace.open``."""

    def __init__(self, folder: Path, conn: Any, key_file: KeyFile | None = None,
                 keys: WorkspaceKeys | None = None) -> None:
        self.folder = folder
        self._conn = conn
        # None only for a workspace still keyed the old way (another process held it open).
        self._key_file, self._keys = key_file, keys
        self._db = RowQueries(conn)
        self._frameworks = {}
        self._undo = {}
        self._revision_left = {}
        self._items_cache = {}
        self._completeness_cache = {}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.owner_name = meta.get("owner_name", "")
        self.owner_role = meta.get("owner_role", "")
        self.workspace_id = meta.get("workspace_id", "")
        self._identity = self._load_or_create_identity()

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
        with write_transaction(self._conn):
            self._conn.execute(
                "INSERT INTO identity (singleton, name, role, sign_private, kem_private,"
                " sign_public, kem_public, key_id, created_at) VALUES (1,?,?,?,?,?,?,?,?)",
                (ident.public.name, ident.public.role, ident.sign_private, ident.kem_private,
                 ident.public.sign_public, ident.public.kem_public, ident.public.key_id, now()))
            self._audit(None, "identity", "identity", None, ident.public.fingerprint)
        return ident

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT`` for work spanning several tables.

        The service's own write methods may be called inside it: each then runs in a savepoint
        of this transaction, so the whole commits, or is rolled back, as one.
        """
        try:
            with write_transaction(self._conn):
                self._items_cache.clear()
                self._completeness_cache.clear()
                yield
            self._completeness_cache.clear()  # what was worked out inside may have moved on
        except BaseException:
            # What the rolled-back writes left in memory describes nothing on disk.
            self._items_cache.clear()
            self._completeness_cache.clear()
            self._undo.clear()
            raise

    @classmethod
    def create(cls, folder: Path, passphrase: str, *, owner_name: str, role: str) -> Workspace:
        if role not in ROLES:
            raise ValidationError(_("role {role!r} is not one of {roles}").format(
                                      role=role, roles=', '.join(ROLES)))
        if not owner_name.strip():
            raise ValidationError(_("the workspace owner's name must not be empty"))
        check_text(owner_name.strip(), _("the workspace owner's name"),
                   error=ValidationError)
        check_new_passphrase(passphrase)
        check_local(folder)  # before mkdir: leave nothing behind on a network share
        path = folder / DB_NAME
        with storage_failures(path, os_errors=True):
            make_private_folder(folder)
            if path.exists():
                raise StoreError(_("{folder}: a workspace already exists here").format(
                                     folder=folder))
            check_writable(folder)
            workspace_id = new_id()
            # The key file first: a database is never without the key that opens it.
            key_file, keys = new_key_file(workspace_id, passphrase)
            write_key_file(folder, key_file)
            conn = open_connection(path, keys.sql_key(), create=True)
            try:
                migrate(conn)
                with write_transaction(conn):
                    conn.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [("workspace_id", workspace_id), ("owner_name", owner_name.strip()),
                         ("owner_role", role), ("created_at", now())],
                    )
            except BaseException:
                conn.close()
                for suffix in ("", "-wal", "-shm"):
                    (folder / (DB_NAME + suffix)).unlink(missing_ok=True)
                (folder / KEY_FILE_NAME).unlink(missing_ok=True)
                raise
        return cls(folder, conn, key_file, keys)

    @classmethod
    def open(cls, folder: Path, passphrase: str, *, pages_later: bool = False) -> Workspace:
        """Unlock the workspace in ``folder``: every check of docs/security.md, then migrate.

        ``pages_later`` (the desktop app): the HMAC check of every page runs alongside, on a
        connection of its own, rather than before this returns; no change is written until it
        has passed (``store/page_check.py``). A file that needs migrating, or is still keyed
        the old way, is checked here first all the same.
        """
        if not folder.is_dir():
            raise NotAWorkspaceError(_("{folder}: no such folder").format(folder=folder))
        check_local(folder)
        check_passphrase_form(passphrase)
        path = folder / DB_NAME
        with storage_failures(path, os_errors=True):
            if path.is_file():
                check_writable(folder, path)
            key_file = read_key_file(folder) if path.is_file() else None
            keys = None
            later = False
            if key_file is not None and database_salt(path) == key_file.database_salt:
                keys = key_file.unlock(passphrase)
                later = pages_later
                conn = open_connection(path, keys.sql_key(), create=False, pages_later=later)
            else:
                # Keyed the old way (or its upgrade was cut short): the key file, if any,
                # belongs to a copy that never took the file's place.
                key_file = None
                conn = open_connection(path, passphrase_key(passphrase), create=False)
            try:
                if later:
                    if check_schema(conn)[1] < LATEST:  # a migration writes: pages first
                        check_integrity(conn, path)
                    else:
                        assert keys is not None
                        start_page_check(conn, path, keys.sql_key())
                migrate(conn)
                if keys is None:
                    upgraded = upgrade_keying(conn, path, passphrase)
                    if upgraded is None:
                        conn = open_connection(path, passphrase_key(passphrase), create=False)
                    else:
                        key_file, keys = upgraded
                        conn = open_connection(path, keys.sql_key(), create=False)
                with guarded(conn):
                    return cls(folder, conn, key_file, keys)
            except BaseException:
                _close(conn)
                raise

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / DB_NAME).is_file()

    @property
    def page_check(self) -> PageCheck | None:
        """The HMAC check of every page while it runs alongside (``open(pages_later=True)``)."""
        pending: PageCheck | None = getattr(self._conn, "pages_check", None)
        return pending

    def close(self) -> None:
        _close(self._conn)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def change_passphrase(self, new_passphrase: str) -> None:
        """Wrap the database key under a new passphrase; the database is not re-encrypted."""
        check_new_passphrase(new_passphrase)
        check_unchanged(self._conn)
        key_file, keys = self.key_material()
        self.check_key_file_unchanged()
        replaced = key_file.with_passphrase(new_passphrase, keys.database_key)
        # The audit row first, the key file last inside its transaction: a workspace that
        # cannot take the row (busy, full) refuses before the key file changes.
        with write_transaction(self._conn):
            self._audit(None, "passphrase", "workspace", None, None)
            self.replace_key_material(replaced, keys)

    def key_material(self) -> tuple[KeyFile, WorkspaceKeys]:
        """The key file and the unlocked keys (for the recovery key's escrow and use)."""
        if self._key_file is None or self._keys is None:
            raise StoreError(_("this workspace is open in another program: close it there, then "
                               "open it again here to finish moving it to its key file"))
        return self._key_file, self._keys

    def replace_key_material(self, key_file: KeyFile, keys: WorkspaceKeys) -> None:
        """Write a new key file (atomically) and use it from now on.

        Refused, with nothing written, when the key file on disk is no longer the one this
        workspace was opened with (another program set a new passphrase or used a recovery
        file meanwhile): writing over it would bring back the wraps it replaced.
        """
        self.check_key_file_unchanged()
        with storage_failures(self.folder / KEY_FILE_NAME, os_errors=True):
            write_key_file(self.folder, key_file)
        self._key_file, self._keys = key_file, keys

    def check_key_file_unchanged(self) -> None:
        """Refuse when the key file on disk is not the one this workspace was opened with."""
        with storage_failures(self.folder / KEY_FILE_NAME, os_errors=True):
            if read_key_file(self.folder) != self._key_file:
                raise StoreError(_("the workspace's key file was changed by another program (a "
                                   "new passphrase, or a recovery file used): nothing was "
                                   "changed; close the workspace and open it again"))

    def cipher_version(self) -> str | None:
        """SQLCipher's version, as the open connection reports it (None: not SQLCipher)."""
        row = self._conn.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row and row[0] else None


__all__ = [
    "CASE",
    "DB_NAME",
    "KEY_FILE_NAME",
    "NOTE",
    "REASSIGN_ACTIONS",
    "RECORD",
    "ROLES",
    "UPGRADING_NAME",
    "Workspace",
    "chain_hash",
    "new_id",
    "now",
]
