"""Storage failures: one mapping from SQLite and system errors to named one-line messages.

Every write (``transactions.write_transaction``, ``schema.migrate``) and the open path go through
``storage_failures``, so a full disk, read-only media, a file removed or replaced underneath,
a lock held by another program, a damaged page or a lack of memory each reaches the person as
its own ``StoreError``, never as SQLite's words or a traceback. An error that is none of
these is a bug and is raised unchanged.

sqlcipher3 gives only SQLite's primary result code (``sqlite_errorcode``), and SQLite reports
several of these faults as a bare "disk I/O error": for that one, the file and its folder are
looked at to tell which it was.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import sqlcipher3

from hmip_desktop.i18n import _
from hmip_desktop.store.errors import (
    DamagedWorkspaceError,
    DiskFullError,
    OutOfMemoryError,
    ReadOnlyWorkspaceError,
    StorageIOError,
    StoreError,
    WorkspaceBusyError,
    WorkspaceReplacedError,
)

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

# Below this much free space an I/O error is taken to be a full disk: SQLite reports a write
# that was cut short by the disk filling as "disk full" only when the system said ENOSPC.
NEARLY_FULL_BYTES = 1024 * 1024

_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def result_code(error: BaseException) -> int:
    """SQLite's primary result code carried by a sqlcipher3 error (0 when there is none)."""
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_damage(error: BaseException) -> bool:
    """An SQLite error that means the file is damaged (not a bug, a full disk or a lock)."""
    return result_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def damaged_message(path: Path, detail: str) -> str:
    detail = " ".join(detail.split())
    return _("{path}: the workspace file is damaged ({detail}); "
             "restore the workspace folder from a backup").format(path=path, detail=detail)


# -- the messages ---------------------------------------------------------------------------

def _where(path: Path | None) -> str:
    return f"{path.parent}: " if path is not None else ""


def disk_full(path: Path | None) -> DiskFullError:
    return DiskFullError(_(
        "{where}the disk is full, so the last change was not saved; free some space on the "
        "drive holding the workspace, then save again").format(where=_where(path)))


def read_only(path: Path | None) -> ReadOnlyWorkspaceError:
    return ReadOnlyWorkspaceError(_(
        "{where}the workspace cannot be written: it is on read-only media or in a folder you "
        "may not change; copy the workspace folder to a writable drive, or unlock the drive, "
        "then open it again").format(where=_where(path)))


def replaced(path: Path | None) -> WorkspaceReplacedError:
    return WorkspaceReplacedError(_(
        "{where}the workspace file was removed or replaced by another program while it was "
        "open, so the last change was not saved; close hmip-desktop, check the workspace "
        "folder (restore it from a backup if it was deleted), then open it again"
    ).format(where=_where(path)))


def busy(path: Path | None) -> WorkspaceBusyError:
    return WorkspaceBusyError(_(
        "{where}another program is using the workspace (a second hmip-desktop window, or a "
        "backup or sync tool) and nothing was saved; close the other program, then try again"
    ).format(where=_where(path)))


def out_of_memory(path: Path | None) -> OutOfMemoryError:
    return OutOfMemoryError(_(
        "{where}the computer ran out of memory and nothing was saved; close other programs, "
        "then try again").format(where=_where(path)))


def io_error(path: Path | None) -> StorageIOError:
    return StorageIOError(_(
        "{where}the drive reported an error while reading or writing the workspace and "
        "nothing was saved; check that the drive is still connected and has room, then try "
        "again").format(where=_where(path)))


# -- looking at the file and its folder -------------------------------------------------------

def file_identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _changed(path: Path, identity: tuple[int, int] | None) -> bool:
    """The file is gone, or is no longer the file that was opened."""
    try:
        now = file_identity(path)
    except OSError:
        return True
    return identity is not None and now != identity


def _read_only_place(folder: Path, path: Path | None = None) -> bool:
    """The folder is on read-only media, or this user may not change it or the file."""
    if hasattr(os, "statvfs"):
        try:
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                return True
        except OSError:
            return False
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return True
    return path is not None and path.is_file() and not os.access(path, os.W_OK)


def _nearly_full(folder: Path) -> bool:
    try:
        st = os.statvfs(folder) if hasattr(os, "statvfs") else None
    except OSError:
        return False
    return st is not None and st.f_bavail * st.f_frsize < NEARLY_FULL_BYTES


def check_writable(folder: Path, path: Path | None = None) -> None:
    """Refuse, before anything is opened, a workspace that could not be saved to."""
    if _read_only_place(folder, path):
        raise read_only(path if path is not None else folder / "workspace")


def check_unchanged(conn: Any) -> None:
    """Refuse a write when the database file was removed or replaced since it was opened.

    Otherwise the write would succeed into a file no longer in the folder, and be lost when
    the workspace is closed.
    """
    watched: tuple[Path, tuple[int, int]] | None = getattr(conn, "watched", None)
    if watched is not None and _changed(*watched):
        raise replaced(watched[0])


# -- the mapping ----------------------------------------------------------------------------

def storage_failure(error: BaseException, path: Path | None,
                    identity: tuple[int, int] | None = None) -> StoreError | None:
    """The named failure behind ``error`` at the database file ``path``; None for a bug.

    ``identity`` is the (device, inode) of the file when it was opened, when known.
    """
    if isinstance(error, MemoryError):
        return out_of_memory(path)
    if isinstance(error, OSError):
        return _os_failure(error, path)
    if not isinstance(error, sqlcipher3.Error):
        return None
    code = result_code(error)
    if code == SQLITE_NOMEM:
        return out_of_memory(path)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return busy(path)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DamagedWorkspaceError(damaged_message(
            path or Path("workspace"), _("a page could not be read back as it was written")))
    if code == SQLITE_FULL:
        return disk_full(path)
    if code in (SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM):
        return _disk_failure(path, identity, code)
    return None


def _disk_failure(path: Path | None, identity: tuple[int, int] | None,
                  code: int) -> StoreError:
    """Which fault lies behind SQLite's I/O, read-only or cannot-open error."""
    if path is None:
        return read_only(path) if code in (SQLITE_READONLY, SQLITE_PERM) else io_error(path)
    if identity is not None and _changed(path, identity):
        return replaced(path)
    if code in (SQLITE_READONLY, SQLITE_PERM) or _read_only_place(path.parent, path):
        return read_only(path)
    if _nearly_full(path.parent):
        return disk_full(path)
    return io_error(path)


def _os_failure(error: OSError, path: Path | None) -> StoreError | None:
    if error.errno in _DISK_ERRNOS:
        return disk_full(path)
    if error.errno in _READ_ONLY_ERRNOS:
        return read_only(path)
    if error.errno == errno.ENOMEM:
        return out_of_memory(path)
    if error.errno == errno.EIO:
        return io_error(path)
    return None


@contextmanager
def storage_failures(path: Path | None, identity: tuple[int, int] | None = None,
                     *, os_errors: bool = False) -> Iterator[None]:
    """Raise the named ``StoreError`` for a storage failure inside the block.

    ``os_errors``: map system errors too (the open path, which makes folders and files);
    inside a transaction an ``OSError`` comes from other code and is left alone.
    """
    try:
        yield
    except StoreError:
        raise
    except (sqlcipher3.Error, MemoryError, OSError) as e:
        if isinstance(e, OSError) and not os_errors:
            raise
        failure = storage_failure(e, path, identity)
        if failure is None:
            raise
        raise failure from e


@contextmanager
def guarded(conn: Any) -> Iterator[None]:
    """``storage_failures`` for the file ``conn`` was opened on."""
    watched: tuple[Path, tuple[int, int]] | None = getattr(conn, "watched", None)
    path, identity = watched if watched is not None else (None, None)
    with storage_failures(path, identity):
        yield


def rollback_quietly(conn: Any) -> None:
    """Roll back if a transaction is still open; a failure here never hides the first error.

    SQLite may already have rolled back by itself (after a full disk or a lack of memory), and
    then a ROLLBACK would fail with "no transaction is active" over the real error.
    """
    with suppress(sqlcipher3.Error, MemoryError):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
