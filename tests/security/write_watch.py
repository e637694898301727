"""Keeps a copy of every file a process deletes under a folder, for the plaintext scan.

A file written and removed within one run leaves no trace for a scan afterwards, yet it sat on
the disk in the meantime (and a deleted file's blocks stay readable to forensic tools). Python's
audit hook ``os.remove`` is raised before each delete, by ``os.unlink``, ``Path.unlink``,
``shutil.rmtree`` and ``tempfile``; the hook copies the file's bytes aside first. Only Python's
own deletes are seen: a library that deletes in C (Qt, SQLite) is not.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

_busy = threading.local()


def keep_deleted_files(watched: Path, graveyard: Path) -> None:
    """From now on, copy each file deleted under ``watched`` into ``graveyard`` first."""
    graveyard.mkdir(parents=True, exist_ok=True)
    watched_text = str(watched)
    count = [0]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "os.remove" or getattr(_busy, "on", False):
            return
        _busy.on = True
        try:
            path, dir_fd = args[0], args[1]
            name = os.fsdecode(path)
            if dir_fd is None or dir_fd == -1:
                if not os.path.abspath(name).startswith(watched_text):
                    return
                fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW)
            else:
                where = os.readlink(f"/proc/self/fd/{dir_fd}")
                if not where.startswith(watched_text):
                    return
                name = os.path.join(where, name)
                fd = os.open(os.fsdecode(path), os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dir_fd)
            try:
                with os.fdopen(fd, "rb") as f:
                    data = f.read()
            except IsADirectoryError:
                return
            count[0] += 1
            kept = graveyard / f"{count[0]:05d}-{Path(name).name}"
            kept.write_bytes(data)
            (graveyard / f"{kept.name}.where").write_text(name, encoding="utf-8")
        except OSError:
            pass  # gone already, a directory, a link: nothing to keep
        finally:
            _busy.on = False

    sys.addaudithook(hook)
