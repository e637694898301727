"""The one function that opens a workspace database.

Order matters (STYLE.md habit 4): memory security before the key, the key before anything
else (sqlite-utils runs a PRAGMA in its constructor), then verify the key by reading the
schema, then the durability and privacy PRAGMAs, each read back: the store refuses to run
without them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import sqlcipher3

from hmip_desktop.store.errors import (
    NotAWorkspaceError,
    UnsafeLocationError,
    WrongPassphraseError,
)

# PRAGMA name → the value it must read back as.
REQUIRED_PRAGMAS: dict[str, str] = {
    "journal_mode": "wal",  # readers never block the writer; one fsync per commit
    "synchronous": "2",  # FULL: NORMAL in WAL can lose the last commits on power loss
    "temp_store": "2",  # MEMORY: SQLCipher does not encrypt temporary files
    "secure_delete": "1",  # overwrite deleted content
    "foreign_keys": "1",
}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ncpfs",
               "davfs", "fuse.davfs2", "glusterfs", "ceph", "fuse.rclone"}


def sql_string(text: str) -> str:
    """Quote text as an SQL string literal (PRAGMA key takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def check_local(folder: Path) -> None:
    """Refuse a folder on a network share: WAL needs shared memory on one machine."""
    resolved = folder.resolve()
    if sys.platform == "win32":
        import ctypes  # noqa: PLC0415

        drive = str(resolved)[:3] if str(resolved)[1:2] == ":" else None
        if str(resolved).startswith("\\\\") or (
            drive and ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # type: ignore[attr-defined]
        ):
            raise UnsafeLocationError(
                f"{folder}: workspaces cannot live on a network drive; choose a local folder"
            )
        return
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return
    best, fstype = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            mount = parts[1].replace("\\040", " ")
            if (str(resolved) + "/").startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, fstype = mount, parts[2]
    if fstype in _NETWORK_FS:
        raise UnsafeLocationError(
            f"{folder}: workspaces cannot live on a network share ({fstype}); "
            "choose a local folder and move bundles through the share instead"
        )


def open_connection(path: Path, passphrase: str, *, create: bool) -> Any:
    """Open (or create) the encrypted database at ``path``; return a sqlcipher3 connection."""
    if not create:
        if not path.is_file():
            raise NotAWorkspaceError(f"{path.parent}: not a hmip-desktop workspace (no database)")
        with path.open("rb") as f:
            head = f.read(16)
        if head == _SQLITE_MAGIC:
            raise NotAWorkspaceError(
                f"{path}: an unencrypted SQLite file, not a hmip-desktop workspace")
        if len(head) < 16:
            raise NotAWorkspaceError(f"{path}: too short to be a workspace (damaged?)")
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so every transaction is explicit.
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not a log
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(f"PRAGMA key = {sql_string(passphrase)}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            raise WrongPassphraseError(
                "wrong passphrase, or the file is not a hmip-desktop workspace"
            ) from None
        for name, wanted in REQUIRED_PRAGMAS.items():
            if name == "journal_mode":
                conn.execute("PRAGMA journal_mode = WAL")
            else:
                conn.execute(f"PRAGMA {name} = {wanted}")
        check_pragmas(conn)
        if create and os.name != "nt":
            path.chmod(0o600)
    except BaseException:
        conn.close()
        raise
    return conn


def check_pragmas(conn: Any) -> None:
    for name, wanted in {**REQUIRED_PRAGMAS, "cipher_memory_security": "1"}.items():
        got = str(conn.execute(f"PRAGMA {name}").fetchone()[0]).lower()
        if got != wanted:
            raise RuntimeError(f"PRAGMA {name} is {got!r}, needs {wanted!r}: refusing to run")
