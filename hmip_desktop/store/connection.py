"""The one function that opens a workspace database.

Order matters (STYLE.md habit 4): memory security before the key, the key before anything
else, then verify the key by reading the
schema, then the durability and privacy PRAGMAs, each read back: the store refuses to run
without them.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import sqlcipher3

from hmip_desktop.i18n import _
from hmip_desktop.store.errors import (
    DamagedWorkspaceError,
    NotAWorkspaceError,
    UnsafeLocationError,
    WrongPassphraseError,
)
from hmip_desktop.store.failures import (
    SQLITE_CORRUPT,
    SQLITE_NOTADB,
    damaged_message,
    file_identity,
    is_damage,
    result_code,
    storage_failure,
)
from hmip_desktop.store.page_check import PageCheck
from hmip_desktop.store.schema import check_schema

# PRAGMA name → the value it must read back as.
REQUIRED_PRAGMAS: dict[str, str] = {
    "journal_mode": "wal",  # readers never block the writer; one fsync per commit
    "synchronous": "2",  # FULL: NORMAL in WAL can lose the last commits on power loss
    "temp_store": "2",  # MEMORY: SQLCipher does not encrypt temporary files
    "secure_delete": "1",  # overwrite deleted content
    "foreign_keys": "1",
}
_SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a write waits for another program's lock before it is refused (WorkspaceBusyError).
BUSY_TIMEOUT_S = 5.0
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ncpfs",
               "davfs", "fuse.davfs2", "glusterfs", "ceph", "fuse.rclone"}


def sql_string(text: str) -> str:
    """Quote text as an SQL string literal (PRAGMA key takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _read_mounts() -> str:
    """The Linux mount table; empty where there is none (the check is then skipped)."""
    try:
        return Path("/proc/mounts").read_text()
    except OSError:
        return ""


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes, e.g. 040."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def check_local(folder: Path, mounts: str | None = None) -> None:
    """Refuse a folder on a network share: WAL needs shared memory on one machine.

    ``mounts`` is the text of /proc/mounts (read when not given).
    """
    resolved = folder.resolve()
    if sys.platform == "win32":
        import ctypes  # noqa: PLC0415

        drive = str(resolved)[:3] if str(resolved)[1:2] == ":" else None
        if str(resolved).startswith("\\\\") or (
            drive and ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # type: ignore[attr-defined]
        ):
            raise UnsafeLocationError(
                _("{folder}: workspaces cannot live on a network drive; choose a local "
                  "folder").format(folder=folder)
            )
        return
    if mounts is None:
        mounts = _read_mounts()
    best, fstype = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mount = _unescape_mount(parts[1])
            if (str(resolved) + "/").startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, fstype = mount, parts[2]
    if fstype in _NETWORK_FS:
        raise UnsafeLocationError(
            _("{folder}: workspaces cannot live on a network share ({fstype}); choose a local "
              "folder and move bundles through the share instead").format(
                folder=folder, fstype=fstype)
        )


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents readable by the owner only (0700).

    The umask is not trusted; a folder that already exists keeps its mode.
    """
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(mode=0o700, exist_ok=True)
        if os.name != "nt":
            p.chmod(0o700)


def passphrase_key(passphrase: str) -> str:
    """The PRAGMA key literal of a workspace keyed the old way: SQLCipher derives the key."""
    return sql_string(passphrase)


def open_connection(path: Path, key: str, *, create: bool, pages_later: bool = False) -> Any:
    """Open (or create) the encrypted database at ``path``; return a sqlcipher3 connection.

    ``key`` is the PRAGMA key literal: a raw key (``WorkspaceKeys.sql_key``) or, for a
    workspace keyed the old way, ``passphrase_key``.

    An existing file is checked before anything can write to it: the key, that it is a
    workspace this version understands, and the HMAC of every page. A refusal leaves every byte
    of the folder as it was. With ``pages_later`` the HMAC check is left to the caller
    (``start_page_check``), which starts it before anything writes.
    """
    if not create:
        _check_file(path)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            # Closing a connection that has seen a -wal file checkpoints it into the database,
            # even when the key was wrong. So after a crash (or while another process has the
            # workspace open) the first look is read-only, at the cost of a second key
            # derivation.
            probe = _keyed(f"{path.resolve().as_uri()}?mode=ro", key, uri=True)
            try:
                _check_existing(probe, path, pages=not pages_later)
            finally:
                probe.close()
    if create:
        # Made here, owner-only, so that SQLite's -wal and -shm files (which copy the
        # database's mode) are never readable by others, whatever the umask.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = _keyed(str(path), key)
    try:
        if not create:
            _check_existing(conn, path, pages=not pages_later)
        for name, wanted in REQUIRED_PRAGMAS.items():
            if name == "journal_mode":
                conn.execute("PRAGMA journal_mode = WAL")
            else:
                conn.execute(f"PRAGMA {name} = {wanted}")
        check_pragmas(conn)
        if create and os.name != "nt":
            path.chmod(0o600)
        conn.watched = (path, file_identity(path))
    except BaseException:
        conn.close()
        raise
    return conn


def check_passphrase_form(passphrase: str) -> None:
    """An empty passphrase, or one with a NUL, is wrong without trying it (the policy)."""
    if not passphrase or "\x00" in passphrase:
        raise WrongPassphraseError(
            _("wrong passphrase, or the file is not a hmip-desktop workspace"))


def _check_file(path: Path) -> None:
    """What can be refused before SQLCipher sees the file."""
    if not path.is_file():
        raise NotAWorkspaceError(_("{parent}: not a hmip-desktop workspace (no database)").format(
                                     parent=path.parent))
    with path.open("rb") as f:
        head = f.read(16)
    if head == _SQLITE_MAGIC:
        raise NotAWorkspaceError(
            _("{path}: an unencrypted SQLite file, not a hmip-desktop workspace").format(path=path))
    if len(head) < 16:
        raise NotAWorkspaceError(_("{path}: too short to be a workspace (damaged?)").format(
                                     path=path))


# How many prepared statements the connection keeps. Each cached statement holds some of
# SQLite's per-connection lookaside memory (it is prepared without SQLITE_PREPARE_PERSISTENT),
# and once the lookaside is used up every small allocation goes to malloc, which with
# cipher_memory_security means an mlock and, when freed, a wipe and an munlock. With the
# driver's default of 128 a bulk load made about 11 such calls a row; with 8 about one, and
# loaded 500,000 rows 1.9x faster, while a save's p50 stayed at 0.7 ms (docs/performance.md).
CACHED_STATEMENTS = 8


class WorkspaceConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """A connection that knows its file: ``watched`` is (path, (device, inode)) once open.

    Every write checks the file is still the one opened (failures.check_unchanged).
    """

    watched: tuple[Path, tuple[int, int]] | None = None
    pages_check: PageCheck | None = None
    """The HMAC check of every page, while it runs alongside (``start_page_check``)."""


def _keyed(target: str, key: str, *, uri: bool = False) -> Any:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so every transaction is explicit.
    conn = sqlcipher3.connect(target, isolation_level=None, check_same_thread=False, uri=uri,
                              cached_statements=CACHED_STATEMENTS, timeout=BUSY_TIMEOUT_S,
                              factory=WorkspaceConnection)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not a log
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f"PRAGMA key = {key}")
    except BaseException:
        conn.close()
        raise
    return conn


def _check_existing(conn: Any, path: Path, *, pages: bool = True) -> None:
    """The key opens the file, the file is a workspace we understand, and no page is damaged.

    ``pages=False``: every page's HMAC is checked later, by ``start_page_check``.
    """
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as e:
        if result_code(e) == SQLITE_CORRUPT:
            # The key decrypted page 1, so it is right; the file is cut short or broken.
            raise DamagedWorkspaceError(damaged_message(path, str(e))) from None
        failure = storage_failure(e, path) if result_code(e) != SQLITE_NOTADB else None
        if failure is not None:  # the drive, a lock or memory, not the key
            raise failure from e
        raise WrongPassphraseError(
            _("wrong passphrase, or the file is not a hmip-desktop workspace")
        ) from None
    try:
        check_schema(conn)
    except sqlcipher3.DatabaseError as e:
        if not is_damage(e):
            raise
        raise DamagedWorkspaceError(damaged_message(path, str(e))) from None
    if pages:
        check_integrity(conn, path)


def start_page_check(conn: Any, path: Path, key: str) -> None:
    """Check every page's HMAC on a read-only connection of its own, on another thread.

    Until it has passed, every write on ``conn`` waits for it (``page_check.wait_for_pages``),
    and is refused if it fails. The key is the raw key: no second key derivation.
    """
    checker = _keyed(f"{path.resolve().as_uri()}?mode=ro", key, uri=True)
    conn.pages_check = PageCheck(checker, path, check_integrity)


def check_integrity(conn: Any, path: Path) -> None:
    """Refuse a file any of whose pages fails its HMAC: damaged or altered on disk.

    Reads every page of the database file but decrypts none, so it costs little next to the
    key derivation (about 0.15 s for a 40 MB workspace). Pages still in the -wal file are
    covered by the WAL's own checksums.
    """
    try:
        bad = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    except sqlcipher3.DatabaseError as e:
        bad = [str(e)]
    if bad:
        more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
        raise DamagedWorkspaceError(damaged_message(path, bad[0] + more))


def check_pragmas(conn: Any) -> None:
    for name, wanted in {**REQUIRED_PRAGMAS, "cipher_memory_security": "1"}.items():
        got = str(conn.execute(f"PRAGMA {name}").fetchone()[0]).lower()
        if got != wanted:
            raise RuntimeError(f"PRAGMA {name} is {got!r}, needs {wanted!r}: refusing to run")
