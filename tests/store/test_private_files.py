"""A new workspace is the owner's alone, whatever the umask (issue 11).

The folder is created 0700 (and any missing parents with it), the database and SQLite's -wal
and -shm files 0600: with a permissive umask they would otherwise be readable by every user of
the machine (encrypted, but their sizes and times still tell something).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop.store.workspace import DB_NAME
from tests.store.helpers import new_workspace


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_workspace_is_private_whatever_the_umask(tmp_path: Path,
                                                      permissive_umask: None) -> None:
    folder = tmp_path / "inspections" / "2026" / "ws"
    ws, _iid, (cid,) = new_workspace(folder)
    ws.save_item(cid, "2.1.1.a", "yes")
    try:
        for made in (folder, folder.parent, folder.parent.parent):
            assert mode(made) == 0o700, made
        for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
            assert mode(folder / name) == 0o600, name
    finally:
        ws.close()


def test_an_existing_folder_keeps_its_mode(tmp_path: Path, permissive_umask: None) -> None:
    folder = tmp_path / "chosen"
    folder.mkdir(mode=0o750)
    ws, _iid, _cids = new_workspace(folder)
    ws.close()
    assert mode(folder) == 0o750
    assert mode(folder / DB_NAME) == 0o600
