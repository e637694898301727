"""The window shows while every page's HMAC is checked; a damaged page closes the workspace.

The app opens the workspace with the HMAC check of every page running alongside
(``store/page_check.py``): the case list shows at once, and if a page fails, the window says so
in one line and closes the workspace, nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.app import open_main_window
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.store.workspace import DB_NAME, Workspace
from tests.gui.conftest import PASSPHRASE
from tests.store.helpers import db_digests

pytestmark = pytest.mark.gui


def _grow_history(folder: Path) -> None:
    """Many evidence notes, so the file's last pages hold history the case list never reads."""
    with Workspace.open(folder, PASSPHRASE) as ws:
        cid = ws.find_case("DEMO-NPS-002").id
        for n in range(80):
            ws.save_item(cid, "note:2.1.1", f"Evidence note, draft {n}. " * 30)
        ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_the_window_shows_then_a_damaged_page_closes_the_workspace_with_one_line(
        qtbot: Any, demo_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _grow_history(demo_folder)
    path = demo_folder / DB_NAME
    with path.open("r+b") as f:  # a byte of the last page, inverted
        f.seek(path.stat().st_size - 4096 + 200)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0xFF]))
    before = db_digests(demo_folder)
    said: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical",
                        lambda _parent, _title, text: said.append(text))
    w = open_main_window(demo_folder, PASSPHRASE)
    assert w is not None
    qtbot.addWidget(w)
    w.show()
    assert w.ws is not None and w.cases.model.rowCount() > 0  # shown while the check runs
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert "damaged" in said[0] and "\n" not in said[0]
    assert w.ws is None and not w.isVisible()
    assert db_digests(demo_folder) == before


def test_a_healthy_workspace_stays_open_once_its_pages_pass(qtbot: Any, demo_folder: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical",
                        lambda _parent, _title, text: said.append(text))
    w = open_main_window(demo_folder, PASSPHRASE)
    assert w is not None and w.ws is not None
    qtbot.addWidget(w)
    w.show()
    check = w.ws.page_check
    qtbot.waitUntil(lambda: check is None or check.done, timeout=10_000)
    qtbot.wait(250)  # the window asks after it every 100 ms
    assert not said and w.ws is not None and w.isVisible()
    w.close()
