"""A passphrase change the workspace cannot audit leaves the old passphrase in force."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from hmip_desktop.store import connection
from hmip_desktop.store.errors import WorkspaceBusyError, WrongPassphraseError
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace

PASSPHRASE = "passphrase change tests, invented"
NEW = "a second passphrase, also invented"


def test_a_busy_workspace_refuses_the_change_and_keeps_the_old_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ws"
    Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft", role="assessor").close()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    with Workspace.open(folder, PASSPHRASE) as ws:
        other = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
        other.execute(f"PRAGMA key = {sql_key_for(folder, PASSPHRASE)}")
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        key_file = (folder / KEY_FILE_NAME).read_bytes()
        try:
            with pytest.raises(WorkspaceBusyError):
                ws.change_passphrase(NEW)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert (folder / KEY_FILE_NAME).read_bytes() == key_file
    Workspace.open(folder, PASSPHRASE).close()
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, NEW)
