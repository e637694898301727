"""``--passphrase-fd``: the passphrase from an inherited file descriptor (issue 11).

``HMIP_PASSPHRASE`` can be read by other processes of the same user (``/proc/PID/environ``);
a pipe inherited from the calling script cannot. Each test runs the real CLI in a child
process and hands it one end of a pipe, as a script would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import Workspace
from tests.store.helpers import PASSPHRASE, new_workspace

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSPHRASE = "heron-quarry-saddle-upland-9"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    ws, _iid, (cid,) = new_workspace(tmp_path / "ws")
    ws.save_item(cid, "2.1.1.a", "yes")
    ws.close()
    return tmp_path / "ws"


def run_with_pipe(text: str | bytes, *argv: str,
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``text`` written to a pipe whose reading end is ``{fd}`` in argv."""
    child_env = {k: v for k, v in os.environ.items()
                 if k not in ("HMIP_PASSPHRASE", "HMIP_NEW_PASSPHRASE", "HMIP_WORKSPACE")}
    child_env.update(env or {})
    read, write = os.pipe()
    try:
        os.write(write, text if isinstance(text, bytes) else text.encode("utf-8"))
        os.close(write)
        args = [a.replace("{fd}", str(read)) for a in argv]
        return subprocess.run(
            [sys.executable, "-m", "hmip_desktop", *args], cwd=ROOT, env=child_env,
            pass_fds=(read,), stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120, check=False)
    finally:
        os.close(read)


def assert_one_line(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("hmip-desktop: ") and done.stderr.count("\n") == 1, done.stderr
    assert words in done.stderr


def test_the_passphrase_comes_from_an_inherited_descriptor(folder: Path) -> None:
    done = run_with_pipe(PASSPHRASE + "\n", "cases", "--workspace", str(folder),
                         "--passphrase-fd", "{fd}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CASE-000")


def test_the_descriptor_wins_over_the_environment(folder: Path) -> None:
    done = run_with_pipe(PASSPHRASE, "answer", "CASE-000", "2.1.1.b", "no", "--workspace",
                         str(folder), "--passphrase-fd", "{fd}",
                         env={"HMIP_PASSPHRASE": "not the passphrase at all"})
    assert done.returncode == 0, done.stderr
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert ws.read_assessment("CASE-000").items["2.1.1.b"] == "no"


def test_a_wrong_passphrase_by_descriptor_is_one_line(folder: Path) -> None:
    done = run_with_pipe("not the passphrase\n", "cases", "--workspace", str(folder),
                         "--passphrase-fd", "{fd}")
    assert_one_line(done, "wrong passphrase")


@pytest.mark.parametrize(("data", "fd", "words"), [
    (b"", "{fd}", "gave no line with a passphrase"),
    (b"\n", "{fd}", "gave no line with a passphrase"),
    (b"\xff\xfe\n", "{fd}", "did not give UTF-8 text"),
    (b"", "97", "cannot read a passphrase from file descriptor 97"),
], ids=["empty", "blank line", "not UTF-8", "not open"])
def test_a_descriptor_without_a_passphrase_is_one_line(
        folder: Path, data: bytes, fd: str, words: str) -> None:
    done = run_with_pipe(data, "cases", "--workspace", str(folder), "--passphrase-fd", fd)
    assert_one_line(done, words)


def test_passphrase_change_takes_the_new_one_from_the_second_line(folder: Path) -> None:
    done = run_with_pipe(f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n", "passphrase", "change",
                         "--workspace", str(folder), "--passphrase-fd", "{fd}")
    assert done.returncode == 0, done.stderr
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, PASSPHRASE)
    with Workspace.open(folder, NEW_PASSPHRASE) as ws:
        assert ws.read_assessment("CASE-000").items == {"2.1.1.a": "yes"}


def test_passphrase_change_without_a_second_line_changes_nothing(folder: Path) -> None:
    done = run_with_pipe(PASSPHRASE + "\n", "passphrase", "change", "--workspace",
                         str(folder), "--passphrase-fd", "{fd}")
    assert_one_line(done, "gave no line with the new passphrase")
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert ws.read_assessment("CASE-000").items == {"2.1.1.a": "yes"}


def test_init_by_descriptor_makes_a_workspace_that_opens_with_it(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    done = run_with_pipe(NEW_PASSPHRASE + "\n", "init", "--name", "Ann Inspector", "--role",
                         "assessor", "--workspace", str(folder), "--passphrase-fd", "{fd}")
    assert done.returncode == 0, done.stderr
    with Workspace.open(folder, NEW_PASSPHRASE) as ws:
        assert ws.owner_name == "Ann Inspector"
