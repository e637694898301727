"""The random database key in the key file, and the move of a workspace keyed the old way.

The key is wrapped by the passphrase and by the recovery key; the move is crash-safe
(docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from hmip_desktop.store.connection import sql_string
from hmip_desktop.store.errors import DamagedWorkspaceError, WrongPassphraseError
from hmip_desktop.store.key_file import PBKDF2_ITERATIONS, sql_key_for
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, UPGRADING_NAME, Workspace

PASSPHRASE = "key file tests passphrase, invented"
NEW = "a second passphrase for the same key"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces"
OLD = "schema-v9"
OLD_PASSPHRASE = "fixture passphrase v9"
ROOT = Path(__file__).resolve().parents[2]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _opens_with(path: Path, key: str) -> bool:
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = {key}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _new(folder: Path) -> None:
    Workspace.create(folder, PASSPHRASE, owner_name="Avery Lindqvist", role="assessor").close()


def test_a_new_workspace_is_keyed_with_a_random_key_held_only_wrapped(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _new(folder)
    text = (folder / KEY_FILE_NAME).read_text()
    assert (folder / KEY_FILE_NAME).stat().st_mode & 0o777 == 0o600
    assert json.loads(text)["passphrase"]["iterations"] >= PBKDF2_ITERATIONS
    # The passphrase is not SQLCipher's key any more; the key unwrapped from the file is.
    assert not _opens_with(folder / DB_NAME, sql_string(PASSPHRASE))
    key = sql_key_for(folder, PASSPHRASE)
    assert key[3:-2].lower() not in text.lower()  # the raw key is never written out
    assert _opens_with(folder / DB_NAME, key)
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert ws.key_material()[0].workspace_id == ws.workspace_id


def test_changing_the_passphrase_rewraps_and_leaves_the_database_alone(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _new(folder)
    key = sql_key_for(folder, PASSPHRASE)
    salt = (folder / DB_NAME).read_bytes()[:16]
    with Workspace.open(folder, PASSPHRASE) as ws:
        ws.change_passphrase(NEW)
    # The same database key, now under the new passphrase: the file was not re-encrypted.
    assert sql_key_for(folder, NEW) == key
    assert (folder / DB_NAME).read_bytes()[:16] == salt
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, PASSPHRASE)
    Workspace.open(folder, NEW).close()


def test_a_wrong_passphrase_is_one_line_and_changes_no_byte(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _new(folder)
    before = _digests(folder)
    with pytest.raises(WrongPassphraseError) as e:
        Workspace.open(folder, "not the passphrase at all")
    assert str(e.value) == "wrong passphrase, or the file is not a hmip-desktop workspace"
    assert _digests(folder) == before


def test_a_damaged_key_file_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _new(folder)
    (folder / KEY_FILE_NAME).write_text("{not json")
    before = _digests(folder)
    with pytest.raises(DamagedWorkspaceError) as e:
        Workspace.open(folder, PASSPHRASE)
    assert "\n" not in str(e.value) and "key file is damaged" in str(e.value)
    assert _digests(folder) == before


def _old(tmp_path: Path) -> Path:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURES / OLD, folder)
    return folder


def test_an_old_keyed_workspace_opens_with_its_passphrase_and_moves_to_a_key_file(
        tmp_path: Path) -> None:
    folder = _old(tmp_path)
    assert not (folder / KEY_FILE_NAME).exists()
    with Workspace.open(folder, OLD_PASSPHRASE) as ws:
        cases = sorted(c.case.case_ref for c in ws.list_cases())
        wid = ws.workspace_id
    assert cases
    assert (folder / KEY_FILE_NAME).exists() and not (folder / UPGRADING_NAME).exists()
    assert not _opens_with(folder / DB_NAME, sql_string(OLD_PASSPHRASE))
    with Workspace.open(folder, OLD_PASSPHRASE) as ws:
        assert sorted(c.case.case_ref for c in ws.list_cases()) == cases
        assert ws.workspace_id == wid
        assert all(ws.verify_history(c.case.id) for c in ws.list_cases())


def test_an_old_keyed_workspace_with_a_wrong_passphrase_is_left_as_it_was(
        tmp_path: Path) -> None:
    folder = _old(tmp_path)
    before = _digests(folder)
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, "not the fixture passphrase")
    assert _digests(folder) == before


@pytest.mark.parametrize("step", ["export", "key_file", "rename", "sync"])
def test_a_kill_at_any_step_of_the_move_leaves_a_workspace_that_opens(
        tmp_path: Path, step: str) -> None:
    folder = _old(tmp_path)
    with Workspace.open(_old(tmp_path / "reference"), OLD_PASSPHRASE) as ws:
        cases = sorted(c.case.case_ref for c in ws.list_cases())
    done = subprocess.run(
        [sys.executable, "-m", "tests.store.key_upgrade_worker", str(folder), OLD_PASSPHRASE,
         step], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, "not the fixture passphrase")
    with Workspace.open(folder, OLD_PASSPHRASE) as ws:
        assert sorted(c.case.case_ref for c in ws.list_cases()) == cases
        assert all(ws.verify_history(c.case.id) for c in ws.list_cases())
    assert not (folder / UPGRADING_NAME).exists()
    assert _opens_with(folder / DB_NAME, sql_key_for(folder, OLD_PASSPHRASE))
