"""A file the app writes outside the workspace is never on disk without its record."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from hmip_desktop.errors import UserError
from hmip_desktop.laptop_return.exports import list_exports, write_tracked
from hmip_desktop.store import connection
from hmip_desktop.store.errors import WorkspaceBusyError
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.workspace import DB_NAME, Workspace
from tests.exchange.conftest import assert_one_line

PASSPHRASE = "tracked writes passphrase, invented"
TABLE = b"case,judgement\nRT-101,yes\n"


def test_a_busy_workspace_writes_no_untracked_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out = tmp_path / "ws", tmp_path / "out"
    Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft", role="lead").close()
    out.mkdir()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    with Workspace.open(folder, PASSPHRASE) as ws:
        other = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
        other.execute(f"PRAGMA key = {sql_key_for(folder, PASSPHRASE)}")
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(WorkspaceBusyError) as e:
                write_tracked(ws, out / "table.csv", TABLE, "csv")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert_one_line(e.value)
        assert list(out.iterdir()) == []  # no plaintext the list does not know of
        assert list_exports(ws) == []


def test_a_file_that_cannot_be_written_leaves_no_record(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft",
                          role="lead") as ws:
        (tmp_path / "table.csv").mkdir()  # a folder in the way
        with pytest.raises(UserError) as e:
            write_tracked(ws, tmp_path / "table.csv", TABLE, "csv")
        assert_one_line(e.value)
        assert list_exports(ws) == []


def test_a_report_written_by_its_own_writer_is_recorded_first(tmp_path: Path) -> None:
    """A PDF (written by Qt, not by write_atomic) is recorded before the writer runs, and a
    writer that fails takes the record back."""
    from hmip_desktop.laptop_return.exports import write_recorded  # noqa: PLC0415

    folder, out = tmp_path / "ws", tmp_path / "sheet.pdf"
    with Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft",
                          role="lead") as ws:
        seen: list[list[str]] = []

        def write(full: Path) -> Path:
            seen.append([e.path for e in list_exports(ws)])
            full.write_bytes(b"%PDF-1.4 invented")
            return full

        assert write_recorded(ws, out, "lunchtime_sheet", write) == out
        assert seen == [[str(out)]]  # on the list before a byte was written

        def fail(full: Path) -> Path:
            raise UserError(f"{full}: the printer driver refused")

        with pytest.raises(UserError):
            write_recorded(ws, tmp_path / "other.pdf", "schedule", fail)
        assert [e.path for e in list_exports(ws)] == [str(out)]
