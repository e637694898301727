"""Storage failures a person can meet, each injected into a real workspace (issue 23).

A full disk (a small tmpfs), read-only media (a read-only bind mount), a file removed or
replaced underneath, a lock held by another process, a damaged page and a lack of memory: each
must reach the person as its own one plain line saying what happened and what to do, never as
SQLite's words, a traceback or a failed rollback; and every answer acknowledged before the
fault must still be there afterwards, with nothing of the refused change half-written.

The mounts are made in a private mount namespace (``unshare --mount``), so they vanish with the
child process and never touch the machine's own mounts; that needs root, as the test machines
and CI run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from hmip_desktop.store import connection
from hmip_desktop.store.errors import (
    DamagedWorkspaceError,
    OutOfMemoryError,
    WorkspaceBusyError,
    WorkspaceReplacedError,
)
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace
from tests.store.helpers import (
    PASSPHRASE,
    assert_one_line,
    audit_count,
    db_digests,
    new_workspace,
)

ROOT = Path(__file__).resolve().parents[2]
ANSWER = ("2.1.1.a", "yes")  # acknowledged before every fault
KQS = ("2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.3.1", "2.3.2", "2.4.1")
LONG_NOTE = "The practitioner met the person on probation weekly and recorded it. " * 270
SQLITE_WORDS = ("rollback", "disk I/O", "database is locked", "database or disk",
                "malformed", "Traceback")


def _workspace(folder: Path) -> str:
    """A closed workspace holding one acknowledged answer; return the case id."""
    ws, _iid, (cid,) = new_workspace(folder)
    ws.save_item(cid, *ANSWER)
    ws.close()
    return cid


def _state(folder: Path, cid: str) -> tuple[dict[str, str], int, bool]:
    """(items, audit rows, audit chain intact), read through a fresh open."""
    with Workspace.open(folder, PASSPHRASE) as ws:
        return dict(ws.read_assessment(cid).items), audit_count(ws), ws.verify_history(cid)


def _assert_plain(message: str, words: str) -> None:
    assert words in message, message
    assert "\n" not in message.strip(), message
    for raw in SQLITE_WORDS:
        assert raw not in message, message


def _cli(folder: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "hmip_desktop", *argv, "--workspace", str(folder)]


def _env() -> dict[str, str]:
    return {**os.environ, "HMIP_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}


def _in_private_mounts(script: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (its mounts vanish with it)."""
    command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]
    return subprocess.run(
        command,
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout, check=False)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


# -- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_is_one_line_and_keeps_every_acknowledged_answer(tmp_path: Path) -> None:
    """Save notes through the CLI onto a small disk until it is full."""
    original = tmp_path / "ws"
    cid = _workspace(original)
    disk, out = tmp_path / "disk", tmp_path / "after"
    disk.mkdir()
    room = _folder_bytes(original) + 32 * 1024 + 96 * 1024  # the files, the -shm, a little more
    note = LONG_NOTE[:19000].strip()
    (tmp_path / "note.txt").write_text(note)
    save = shlex.join(_cli(disk / "ws", "note", cid, "KQ", "NOTE"))
    save = save.replace(" KQ ", ' "$kq" ').replace(" NOTE ", f' "$(cat {tmp_path}/note.txt)" ')
    saves = f"for kq in {' '.join(KQS)}; do {save} ; echo EXIT $? >&2 ; done ;"
    done = _in_private_mounts(
        f"mount -t tmpfs -o size={room // 4096 * 4096} hmip-test {disk} && "
        f"cp -a {original} {disk}/ws && {saves} cp -a {disk}/ws {out}")
    lines = done.stderr.splitlines()
    exits = [line for line in lines if line.startswith("EXIT ")]
    assert len(exits) == 8, done.stderr
    messages = [line for line in lines if not line.startswith("EXIT ")]
    assert "EXIT 0" in exits and "EXIT 1" in exits, done.stderr  # some fitted, then it was full
    assert messages, done.stderr
    for message in messages:
        assert message.startswith("hmip-desktop: "), done.stderr
        _assert_plain(message, "the disk is full")
    saved = [kq for kq, e in zip(KQS, exits, strict=True) if e == "EXIT 0"]
    refused = [kq for kq, e in zip(KQS, exits, strict=True) if e != "EXIT 0"]
    items, _rows, chain_ok = _state(out, cid)
    assert items[ANSWER[0]] == ANSWER[1]
    for kq in saved:
        assert items[f"note:{kq}"] == note
    for kq in refused:
        assert f"note:{kq}" not in items
    assert chain_ok


def test_a_disk_filling_mid_transaction_is_reported_not_a_failed_rollback(
        tmp_path: Path) -> None:
    """SQLite rolls back by itself when the disk fills mid-transaction; its error must show."""
    original = tmp_path / "ws"
    cid = _workspace(original)
    disk, out = tmp_path / "disk", tmp_path / "after"
    disk.mkdir()
    room = _folder_bytes(original) + 32 * 1024 + 512 * 1024
    child = textwrap.dedent(f"""
        from pathlib import Path
        from tests.store.helpers import PASSPHRASE, SUPERVISION
        from hmip_desktop.store.workspace import Workspace
        ws = Workspace.open(Path({str(disk / "ws")!r}), PASSPHRASE)
        ws._conn.execute("PRAGMA cache_size = 10")  # pages spill to disk mid-transaction
        iid = ws.inspections()[0]["id"]
        cases = [{{"case_ref": f"BULK-{{n:05d}}", "facts": SUPERVISION,
                   "person_name": "Pat Quillfeather " * 20}} for n in range(3000)]
        try:
            ws.add_cases(iid, cases)
        except Exception as e:
            print(type(e).__name__, "|", e)
        ws.close()
    """)
    done = _in_private_mounts(
        f"mount -t tmpfs -o size={room // 4096 * 4096} hmip-test {disk} && "
        f"cp -a {original} {disk}/ws && {shlex.join([sys.executable, '-c', child])} ; "
        f"cp -a {disk}/ws {out}")
    assert done.stdout.startswith("DiskFullError | "), done.stdout + done.stderr
    _assert_plain(done.stdout, "the disk is full")
    with Workspace.open(out, PASSPHRASE) as ws:
        assert [c.case.case_ref for c in ws.list_cases()] == ["CASE-000"]
        assert ws.read_assessment(cid).items[ANSWER[0]] == ANSWER[1]


# -- read-only media ---------------------------------------------------------------------------


def test_read_only_media_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    cid = _workspace(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    before = db_digests(folder)
    answer = shlex.join(_cli(folder, "answer", cid, "2.1.1.b", "yes"))
    init = shlex.join(_cli(empty / "new", "init", "--name", "Ann Inspector", "--role",
                           "assessor"))
    done = _in_private_mounts(
        f"mount --bind {tmp_path} {tmp_path} && mount -o remount,bind,ro {tmp_path} && "
        f"{answer} ; echo EXIT $? >&2 ; {init} ; echo EXIT $? >&2")
    lines = done.stderr.splitlines()
    assert lines[1::2] == ["EXIT 1", "EXIT 1"], done.stderr
    for message in lines[0::2]:
        assert message.startswith("hmip-desktop: "), done.stderr
        _assert_plain(message, "read-only media")
    assert done.stdout == ""
    assert db_digests(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, KEY_FILE_NAME]
    assert list(empty.iterdir()) == []
    items, _rows, _ok = _state(folder, cid)
    assert items == {ANSWER[0]: ANSWER[1]}


# -- the file removed or replaced underneath ------------------------------------------------------


@pytest.mark.parametrize("how", ["replaced", "moved away", "deleted"])
def test_a_file_removed_or_replaced_underneath_refuses_the_save(tmp_path: Path,
                                                                how: str) -> None:
    folder = tmp_path / "ws"
    ws, _iid, (cid,) = new_workspace(folder)
    ws.save_item(cid, *ANSWER)
    db, elsewhere = folder / DB_NAME, tmp_path / "elsewhere.hmip"
    shutil.copy(db, elsewhere)  # the copy holds what was there when the file was opened
    if how == "replaced":  # a sync tool or a restore puts another copy in its place
        os.replace(elsewhere, db)
    elif how == "moved away":
        os.replace(db, elsewhere)
    else:
        db.unlink()
    rows = audit_count(ws)
    with pytest.raises(WorkspaceReplacedError) as caught:
        ws.save_item(cid, "2.1.1.b", "no")
    assert_one_line(caught.value)
    _assert_plain(str(caught.value), "removed or replaced by another program")
    with pytest.raises(WorkspaceReplacedError):
        ws.change_passphrase("a different passphrase for the replaced file")
    assert audit_count(ws) == rows
    ws.close()
    if how == "moved away":  # the file that was open keeps everything acknowledged
        moved = tmp_path / "moved"
        moved.mkdir()
        os.replace(elsewhere, moved / DB_NAME)
        shutil.copy2(folder / KEY_FILE_NAME, moved / KEY_FILE_NAME)
        os.replace(folder / (DB_NAME + "-wal"), moved / (DB_NAME + "-wal"))
        items, _rows, ok = _state(moved, cid)
        assert items == {ANSWER[0]: ANSWER[1]} and ok


# -- a lock held by another process ----------------------------------------------------------------


HOLDER = textwrap.dedent("""
    import sys
    import sqlcipher3
    conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA key = " + sys.argv[2])
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE meta SET value = value WHERE key = 'owner_name'")
    print("LOCKED", flush=True)
    sys.stdin.read()
    conn.execute("ROLLBACK")
""")


@pytest.fixture
def lock_holder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A workspace whose write lock another process holds until the fixture ends."""
    folder = tmp_path / "ws"
    cid = _workspace(folder)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder / DB_NAME), sql_key_for(folder, PASSPHRASE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline() == "LOCKED\n"
    try:
        yield folder, cid
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_a_lock_held_by_another_process_is_one_line_in_the_cli(
        lock_holder: tuple[Path, str]) -> None:
    folder, cid = lock_holder
    done = subprocess.run(_cli(folder, "answer", cid, "2.1.1.b", "no"), cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("hmip-desktop: ") and done.stderr.count("\n") == 1
    _assert_plain(done.stderr, "another program is using the workspace")


EXCLUSIVE_HOLDER = textwrap.dedent("""
    import sys
    import sqlcipher3
    conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA key = " + sys.argv[2])
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # as a backup tool may
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("SELECT count(*) FROM meta").fetchone()
    print("LOCKED", flush=True)
    sys.stdin.read()
""")


def test_a_workspace_held_exclusively_is_busy_not_a_wrong_passphrase(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    cid = _workspace(folder)
    holder = subprocess.Popen(
        [sys.executable, "-c", EXCLUSIVE_HOLDER, str(folder / DB_NAME),
         sql_key_for(folder, PASSPHRASE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == "LOCKED\n"
        done = subprocess.run(_cli(folder, "cases"), cwd=ROOT, env=_env(),
                              capture_output=True, text=True, timeout=120, check=False)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert done.returncode == 1 and done.stdout == "", done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    _assert_plain(done.stderr, "another program is using the workspace")
    items, _rows, ok = _state(folder, cid)
    assert items == {ANSWER[0]: ANSWER[1]} and ok


def test_a_lock_held_by_another_process_loses_nothing_and_a_retry_saves(
        lock_holder: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cid = lock_holder
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    with Workspace.open(folder, PASSPHRASE) as ws:
        rows = audit_count(ws)
        with pytest.raises(WorkspaceBusyError) as caught:
            ws.save_item(cid, "2.1.1.b", "no")
        assert_one_line(caught.value)
        assert not ws._conn.in_transaction
        assert audit_count(ws) == rows
        assert ws.read_assessment(cid).items == {ANSWER[0]: ANSWER[1]}


def test_a_retry_after_the_lock_is_released_saves(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ws"
    cid = _workspace(folder)
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    with Workspace.open(folder, PASSPHRASE) as ws:
        other = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
        other.execute(f"PRAGMA key = {sql_key_for(folder, PASSPHRASE)}")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(WorkspaceBusyError):
            ws.save_item(cid, "2.1.1.b", "no")
        other.execute("ROLLBACK")
        other.close()
        assert ws.save_item(cid, "2.1.1.b", "no").changed
    items, _rows, ok = _state(folder, cid)
    assert items == {ANSWER[0]: ANSWER[1], "2.1.1.b": "no"} and ok


# -- a damaged page --------------------------------------------------------------------------------


def _page_of(folder: Path, table: str) -> int:
    """The 0-based page number of a table's root page."""
    with Workspace.open(folder, PASSPHRASE) as ws:
        (root,) = ws._conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return int(root) - 1


def test_a_page_damaged_after_opening_is_reported_when_saving(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    cid = _workspace(folder)
    page = _page_of(folder, "items")
    ws = Workspace.open(folder, PASSPHRASE)  # every page checks out as it is opened
    try:
        with (folder / DB_NAME).open("r+b") as f:  # then a failing disk damages one
            f.seek(page * 4096 + 200)
            f.write(bytes(64))
        damaged = db_digests(folder)[DB_NAME]
        with pytest.raises(DamagedWorkspaceError) as caught:
            ws.save_item(cid, "2.1.1.b", "no")
        assert_one_line(caught.value)
        _assert_plain(str(caught.value), "restore the workspace folder from a backup")
        assert not ws._conn.in_transaction
    finally:
        ws.close()
    assert db_digests(folder)[DB_NAME] == damaged  # nothing more was written to the file


# -- out of memory ---------------------------------------------------------------------------------


class _RunsOutOfMemory:
    """A connection that fails as SQLite does when memory runs out on one statement."""

    def __init__(self, conn: Any, statement: str, error: BaseException) -> None:
        self._conn, self._statement, self._error = conn, statement, error

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith(self._statement):
            if not isinstance(self._error, MemoryError):
                self._conn.execute("ROLLBACK")  # SQLITE_NOMEM rolls the transaction back
            raise self._error
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _sqlite_nomem() -> sqlcipher3.OperationalError:
    error = sqlcipher3.OperationalError("out of memory")
    error.sqlite_errorcode = 7  # type: ignore[attr-defined]
    error.sqlite_errorname = "SQLITE_NOMEM"  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize("error", [MemoryError(), _sqlite_nomem()],
                         ids=["python", "sqlite"])
def test_running_out_of_memory_mid_save_is_one_line_and_saves_nothing(
        tmp_path: Path, error: BaseException) -> None:
    folder = tmp_path / "ws"
    cid = _workspace(folder)
    ws = Workspace.open(folder, PASSPHRASE)
    rows = audit_count(ws)
    real = ws._conn
    ws._conn = _RunsOutOfMemory(real, "INSERT INTO audit", error)
    try:
        with pytest.raises(OutOfMemoryError) as caught:
            ws.save_item(cid, "2.1.1.b", "no")
    finally:
        ws._conn = real
    assert_one_line(caught.value)
    _assert_plain(str(caught.value), "ran out of memory")
    assert not real.in_transaction
    assert audit_count(ws) == rows
    ws.close()
    items, after, ok = _state(folder, cid)
    assert items == {ANSWER[0]: ANSWER[1]} and after == rows and ok

