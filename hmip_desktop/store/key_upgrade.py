"""Moving a workspace keyed the old way to a random key in the key file, crash-safely.

The old way: SQLCipher derived the key from the passphrase. The new: a random database key
held in the key file (``key_file.py``).

The order makes every kill harmless (docs/security.md, "Existing workspaces"):

1. the whole database is copied (``sqlcipher_export``) under the new raw key into
   ``workspace.hmip-upgrade``, which is fsynced; the old file is untouched;
2. the old database's log is checkpointed into it and its connection closed;
3. the key file is written atomically; it names the new file's salt, which the old file does
   not have, so while the old file is in place the key file is ignored;
4. the new file is renamed over ``workspace.hmip`` and the folder fsynced.

A kill before 4 leaves the old file, which opens with the passphrase and is upgraded again; a
kill after it leaves the new file and its key file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hmip_desktop.store.connection import make_private_folder, sql_string
from hmip_desktop.store.key_file import (
    KeyFile,
    WorkspaceKeys,
    fsync_folder,
    new_key_file,
    write_key_file,
)
from hmip_desktop.store.stamps import new_id

UPGRADE_SUFFIX = "-upgrade"


def database_salt(path: Path) -> bytes | None:
    """The first 16 bytes of the database file: SQLCipher's salt (None: no such file)."""
    try:
        with path.open("rb") as f:
            return f.read(16)
    except FileNotFoundError:
        return None


def upgrade_keying(conn: Any, path: Path,
                   passphrase: str) -> tuple[KeyFile, WorkspaceKeys] | None:
    """Copy the open old-keyed database under a new random key and put it in place.

    ``conn`` is closed on return (whatever happens); the caller opens the file again with
    ``keys.sql_key()``. Returns the key file written and the keys, or None when another
    process holds the old file open (its log is not empty): it is upgraded at a later open.
    """
    folder = path.parent
    staging = path.with_name(path.name + UPGRADE_SUFFIX)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'workspace_id'").fetchone()
        workspace_id = str(row[0]) if row and row[0] else new_id()
        kf, keys = new_key_file(workspace_id, passphrase)
        staging.unlink(missing_ok=True)
        make_private_folder(folder)
        os.close(os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app = int(conn.execute("PRAGMA application_id").fetchone()[0])
        conn.execute(f"ATTACH DATABASE {sql_string(str(staging))} AS upgraded KEY "
                     f"{keys.sql_key()}")
        try:
            conn.execute("SELECT sqlcipher_export('upgraded')")
            conn.execute(f"PRAGMA upgraded.user_version = {version}")
            conn.execute(f"PRAGMA upgraded.application_id = {app}")
            if not row or not row[0]:
                conn.execute("INSERT OR REPLACE INTO upgraded.meta (key, value) VALUES"
                             " ('workspace_id', ?)", (workspace_id,))
        finally:
            conn.execute("DETACH DATABASE upgraded")
        _fsync_file(staging)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        conn.close()
        staging.unlink(missing_ok=True)
        raise
    conn.close()
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        # Another process has the old file open: leave it keyed the old way for now.
        staging.unlink(missing_ok=True)
        return None
    path.with_name(path.name + "-shm").unlink(missing_ok=True)
    write_key_file(folder, kf)
    os.replace(staging, path)
    fsync_folder(folder)
    return kf, keys


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
