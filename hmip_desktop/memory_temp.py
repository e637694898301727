"""Temporary files kept in memory: the desktop app's TMPDIR on a memory-backed, owner-only folder.

Printing writes the whole document to a temporary file before the print server takes it: Qt's
CUPS print engine asks CUPS for one (``cupsTempFd``, in ``$TMPDIR`` or ``/tmp``), hands it to
the print server and then deletes it — unlinked, not overwritten. On Linux the session's
runtime folder (``$XDG_RUNTIME_DIR``, made by the login manager) is a tmpfs only its owner can
open, emptied at logout, so while the app runs its temporary files go there and never reach a
disk. Where there is no such folder (Windows, macOS, a session without one) nothing changes.
docs/security.md, "No stray plaintext".
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

FOLDER_NAME = "hmip-desktop"
MEMORY_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})
MOUNTS = Path("/proc/self/mounts")


def _unescape(field: str) -> str:
    """A mounts-file field: a space or a tab in it is written as an octal escape."""
    return field.encode("latin-1").decode("unicode_escape") if "\\" in field else field


def filesystem_type(path: Path, mounts: Path = MOUNTS) -> str | None:
    """The type of the file system ``path`` is on (the longest mount point above it), or None."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target, best, kind = str(path.resolve()), -1, None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, kind = len(point), fields[2]
    return kind


def _owner_only(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return path.is_dir() and st.st_uid == os.getuid() and not st.st_mode & 0o077


def memory_temp_folder(environ: Mapping[str, str] | None = None,
                       mounts: Path = MOUNTS) -> Path | None:
    """The user's folder for temporary files in memory, made if need be; None if there is none."""
    runtime = (os.environ if environ is None else environ).get("XDG_RUNTIME_DIR", "")
    if not sys.platform.startswith("linux") or not runtime:
        return None
    base = Path(runtime)
    if not _owner_only(base) or filesystem_type(base, mounts) not in MEMORY_FILESYSTEMS:
        return None
    folder = base / FOLDER_NAME
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return folder if _owner_only(folder) else None


@contextmanager
def temporary_files_in_memory(environ: Mapping[str, str] | None = None,
                              mounts: Path = MOUNTS) -> Iterator[Path | None]:
    """While inside, ``TMPDIR`` and Python's ``tempfile`` use ``memory_temp_folder`` (if any)."""
    folder = memory_temp_folder(environ, mounts)
    if folder is None:
        yield None
        return
    earlier_env, earlier_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = earlier_dir
        if earlier_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = earlier_env
