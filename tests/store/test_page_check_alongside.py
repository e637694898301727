"""The desktop app checks every page's HMAC alongside the window: no write before it passes.

``Workspace.open(..., pages_later=True)`` returns before the check of every page is done; a
damaged page is still found, and until the check has passed nothing is written (a write waits
for it, and is refused, nothing written, if it fails).
"""

from __future__ import annotations

import random
import re
import shutil
import time
from pathlib import Path

import pytest
import sqlcipher3

from hmip_desktop.store.errors import DamagedWorkspaceError
from hmip_desktop.store.failures import storage_failure
from hmip_desktop.store.workspace import DB_NAME, Workspace
from tests.store.helpers import PASSPHRASE, assert_one_line, db_digests, new_workspace


def _flip(path: Path, offset: int) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def _workspace(folder: Path, answers: int = 60) -> str:
    """A closed workspace with enough answers to span many pages; return a case id."""
    ws, _iid, (cid,) = new_workspace(folder)
    for n in range(answers):
        ws.save_item(cid, f"note:2.1.{n % 3 + 1}", "Evidence drawn from the case records. " * 20)
    ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return cid


def test_a_healthy_workspace_opens_and_saves_once_its_pages_pass(tmp_path: Path) -> None:
    cid = _workspace(tmp_path / "ws")
    with Workspace.open(tmp_path / "ws", PASSPHRASE, pages_later=True) as ws:
        ws.save_item(cid, "2.1.1.a", "yes")  # waits for the check, which passes
        assert ws.page_check is None  # done with, once a write has waited for it
        assert ws.read_assessment(cid).items["2.1.1.a"] == "yes"


def test_a_page_damaged_where_nothing_reads_is_found_and_nothing_is_written(
        tmp_path: Path) -> None:
    template = tmp_path / "template"
    cid = _workspace(template)
    pages = (template / DB_NAME).stat().st_size // 4096
    for page in random.Random(16).sample(range(2, pages - 1), 3):
        folder = tmp_path / f"page{page}"
        shutil.copytree(template, folder)
        _flip(folder / DB_NAME, page * 4096 + 100)
        before = db_digests(folder)
        ws = Workspace.open(folder, PASSPHRASE, pages_later=True)  # opens: the check runs on
        try:
            check = ws.page_check
            assert check is not None
            while not check.done:  # as the window asks after it
                time.sleep(0.01)
            assert check.failure is not None
            assert re.search(rf"page {page + 1}\b", str(check.failure))
            assert_one_line(check.failure)
            for item, value in (("2.1.1.a", "yes"), ("2.1.1.b", "no")):
                # Refused before anything is written: by the check's failure, or by the
                # damaged page itself where the save reads it first (the same one line).
                with pytest.raises((DamagedWorkspaceError, sqlcipher3.DatabaseError)) as caught:
                    ws.save_item(cid, item, value)
                assert isinstance(storage_failure(caught.value, None) or caught.value,
                                  DamagedWorkspaceError)
        finally:
            ws.close()
        assert db_digests(folder) == before  # nothing was written


def test_opening_as_the_cli_does_still_refuses_a_damaged_file_before_returning(
        tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _workspace(folder)
    pages = (folder / DB_NAME).stat().st_size // 4096
    _flip(folder / DB_NAME, (pages - 2) * 4096 + 100)
    with pytest.raises(DamagedWorkspaceError):
        Workspace.open(folder, PASSPHRASE)


def test_closing_while_the_check_runs_stops_it_cleanly(tmp_path: Path) -> None:
    _workspace(tmp_path / "ws")
    before = db_digests(tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws", PASSPHRASE, pages_later=True)
    check = ws.page_check
    ws.close()
    assert check is None or check.done
    assert db_digests(tmp_path / "ws") == before
