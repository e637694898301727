"""Opening a workspace: the right passphrase finds the data; every wrong start fails cleanly.

A failure must be one plain line (a ``UserError``) and must leave the files exactly as they were:
an inspector who typed the wrong passphrase, or pointed the app at the wrong folder, loses
nothing.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from hmip_desktop.errors import UserError
from hmip_desktop.shipped_files import resource
from hmip_desktop.store import connection
from hmip_desktop.store.connection import check_local, sql_string
from hmip_desktop.store.errors import (
    DamagedWorkspaceError,
    NotAWorkspaceError,
    UnsafeLocationError,
    WeakPassphraseError,
    WorkspaceTooNewError,
    WrongPassphraseError,
)
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.passphrase import check_new_passphrase
from hmip_desktop.store.schema import LATEST
from hmip_desktop.store.workspace import DB_NAME, Workspace
from tests.store.helpers import (
    OWNER,
    PASSPHRASE,
    assert_one_line,
    audit_count,
    db_digests,
    digests,
    new_workspace,
)

NEW_PASSPHRASE = "a completely different passphrase"


def _closed_workspace(folder: Path) -> str:
    """A closed workspace with a few answers; return the case id."""
    ws, _iid, (cid,) = new_workspace(folder)
    ws.save_item(cid, "2.1.1.a", "yes")
    ws.save_item(cid, "note:2.1.1", "The assessment drew on the pre-sentence report.")
    ws.close()
    return cid


def _raw(path: Path, passphrase: str = PASSPHRASE) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = {sql_key_for(path.parent, passphrase)}")
    return conn


# -- the right passphrase -----------------------------------------------------------------------


def test_reopen_with_the_right_passphrase_finds_the_data_with_every_pragma_in_force(
        tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    cid = _closed_workspace(folder)
    with Workspace.open(folder, PASSPHRASE) as ws:
        items = ws.read_assessment(cid).items
        assert items["2.1.1.a"] == "yes"
        assert items["note:2.1.1"] == "The assessment drew on the pre-sentence report."
        assert ws.owner_name == OWNER
        pragmas = {name: str(ws._conn.execute(f"PRAGMA {name}").fetchone()[0]).lower()
                   for name in ("journal_mode", "synchronous", "temp_store", "secure_delete",
                                "foreign_keys", "cipher_memory_security")}
    assert pragmas == {"journal_mode": "wal", "synchronous": "2", "temp_store": "2",
                       "secure_delete": "1", "foreign_keys": "1",
                       "cipher_memory_security": "1"}
    if os.name != "nt":
        assert (folder / DB_NAME).stat().st_mode & 0o777 == 0o600


# -- the wrong passphrase -----------------------------------------------------------------------


@pytest.mark.parametrize("state", ["closed", "crashed_with_wal"])
def test_wrong_passphrase_is_refused_and_changes_no_byte(tmp_path: Path, state: str) -> None:
    folder = tmp_path / "ws"
    if state == "closed":
        cid = _closed_workspace(folder)
    else:  # the files as a crash leaves them: the latest commits only in the -wal file
        ws, _iid, (cid,) = new_workspace(tmp_path / "live")
        ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ws.save_item(cid, "2.1.1.a", "no")
        shutil.copytree(tmp_path / "live", folder)
        ws.close()
        assert (folder / (DB_NAME + "-wal")).stat().st_size > 0
    before = db_digests(folder)
    for wrong in ("not the passphrase at all", PASSPHRASE.upper(), PASSPHRASE + " ", "",
                  "nul\x00inside"):
        with pytest.raises(WrongPassphraseError) as caught:
            Workspace.open(folder, wrong)
        assert_one_line(caught.value)
        assert db_digests(folder) == before
    with Workspace.open(folder, PASSPHRASE) as ws:  # and the right one still opens it
        assert ws.read_assessment(cid).items["2.1.1.a"] == ("yes" if state == "closed" else "no")


# -- things that are not (whole) workspaces -----------------------------------------------------


def _flip(path: Path, offset: int, length: int = 1) -> None:
    """Invert bytes in place (overwriting with a constant might leave a byte as it was)."""
    with path.open("r+b") as f:
        f.seek(offset)
        data = f.read(length)
        f.seek(offset)
        f.write(bytes(b ^ 0xFF for b in data))


def _corrupt_middle(folder: Path) -> None:
    path = folder / DB_NAME
    _flip(path, path.stat().st_size // 2 + 1000, 64)


def _truncate_to_half(folder: Path) -> None:
    path = folder / DB_NAME
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _truncate_off_page(folder: Path) -> None:
    path = folder / DB_NAME
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size - 1000)


def _truncate_to_a_few_bytes(folder: Path) -> None:
    path = folder / DB_NAME
    with path.open("r+b") as f:
        f.truncate(10)


def _plain_sqlite(folder: Path) -> None:
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, case_ref TEXT)")
    conn.execute("INSERT INTO cases VALUES ('1', 'CASE-001')")
    conn.commit()
    conn.close()


def _random_bytes(folder: Path) -> None:
    folder.mkdir()
    (folder / DB_NAME).write_bytes(random.Random(20240601).randbytes(64 * 1024))


def _other_sqlcipher_database(folder: Path) -> None:
    """Encrypted with the same passphrase, but some other program's database."""
    folder.mkdir()
    conn = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = {sql_string(PASSPHRASE)}")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not a workspace')")
    conn.close()


def _empty_folder(folder: Path) -> None:
    folder.mkdir()


def _missing_folder(folder: Path) -> None:
    pass


def _whole_workspace(folder: Path) -> None:
    _closed_workspace(folder)


DAMAGE: dict[str, tuple[Callable[[Path], None], Callable[[Path], None], type[UserError]]] = {
    "corrupted_in_the_middle": (_whole_workspace, _corrupt_middle, DamagedWorkspaceError),
    "truncated_to_half": (_whole_workspace, _truncate_to_half, DamagedWorkspaceError),
    "truncated_off_a_page_boundary": (_whole_workspace, _truncate_off_page,
                                      DamagedWorkspaceError),
    "truncated_to_a_few_bytes": (_whole_workspace, _truncate_to_a_few_bytes,
                                 NotAWorkspaceError),
    "plain_unencrypted_sqlite": (_plain_sqlite, _missing_folder, NotAWorkspaceError),
    "random_bytes": (_random_bytes, _missing_folder, WrongPassphraseError),
    "another_programs_sqlcipher_database": (_other_sqlcipher_database, _missing_folder,
                                            NotAWorkspaceError),
    "empty_folder": (_empty_folder, _missing_folder, NotAWorkspaceError),
    "missing_folder": (_missing_folder, _missing_folder, NotAWorkspaceError),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_or_foreign_file_is_refused_in_one_line_and_left_untouched(
        tmp_path: Path, name: str) -> None:
    make, damage, expected = DAMAGE[name]
    folder = tmp_path / "ws"
    make(folder)
    damage(folder)
    existed = folder.exists()
    before = digests(folder)
    with pytest.raises(UserError) as caught:
        Workspace.open(folder, PASSPHRASE)
    assert isinstance(caught.value, expected), repr(caught.value)
    assert_one_line(caught.value)
    assert digests(folder) == before  # no byte changed, no file left behind (-wal, -shm)
    assert folder.exists() == existed


@pytest.mark.parametrize("problem", ["damaged", "too_new"])
def test_a_refused_crash_image_keeps_its_wal(tmp_path: Path, problem: str) -> None:
    """After a crash the latest commits are only in the -wal file: a refusal must not fold them
    into the database file or delete them."""
    ws, _iid, (cid,) = new_workspace(tmp_path / "live")
    ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.save_item(cid, "2.1.1.a", "yes")
    if problem == "too_new":
        ws._conn.execute("PRAGMA user_version = 99")
    folder = tmp_path / "crashed"
    shutil.copytree(tmp_path / "live", folder)
    ws.close()
    if problem == "damaged":
        _corrupt_middle(folder)
    before = db_digests(folder)
    assert DB_NAME + "-wal" in before
    with pytest.raises(DamagedWorkspaceError if problem == "damaged" else WorkspaceTooNewError):
        Workspace.open(folder, PASSPHRASE)
    assert db_digests(folder) == before


def test_corruption_anywhere_in_the_file_is_found_when_opening(tmp_path: Path) -> None:
    """Every page carries an HMAC: damage to any page, even one no query reads yet, is found."""
    template = tmp_path / "template"
    _closed_workspace(template)
    pages = (template / DB_NAME).stat().st_size // 4096
    sample = [*sorted(random.Random(20240602).sample(range(1, pages - 1), 5)), pages - 1]
    for page in sample:  # 0-based; page 0 holds the key check and fails as a wrong key
        folder = tmp_path / f"page{page}"
        shutil.copytree(template, folder)
        _flip(folder / DB_NAME, page * 4096 + 100)
        with pytest.raises(DamagedWorkspaceError, match=rf"page {page + 1}\b"):
            Workspace.open(folder, PASSPHRASE)


def test_a_workspace_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _closed_workspace(folder)
    conn = _raw(folder / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digests(folder)
    with pytest.raises(WorkspaceTooNewError) as caught:
        Workspace.open(folder, PASSPHRASE)
    assert_one_line(caught.value)
    assert "99" in str(caught.value) and str(LATEST) in str(caught.value)
    assert digests(folder) == before


# -- the audit trail ---------------------------------------------------------------------------


def test_the_audit_table_is_append_only(tmp_path: Path) -> None:
    ws, _iid, (cid,) = new_workspace(tmp_path / "ws")
    with ws:
        ws.save_item(cid, "2.1.1.a", "yes")
        rows = ws._conn.execute("SELECT * FROM audit ORDER BY seq").fetchall()
        for sql in ("UPDATE audit SET new = 'no' WHERE item = '2.1.1.a'",
                    "UPDATE audit SET actor = 'Someone Else'",
                    "DELETE FROM audit WHERE item = '2.1.1.a'",
                    "DELETE FROM audit"):
            with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
                ws._conn.execute(sql)
        assert ws._conn.execute("SELECT * FROM audit ORDER BY seq").fetchall() == rows
        assert not ws._conn.in_transaction
        assert ws.verify_history(cid)


# -- passphrases -------------------------------------------------------------------------------


def _common_from_the_shipped_list() -> list[str]:
    lines = [line.strip() for line in
             resource("common-passwords.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    long_ones = [w for w in lines if len(w) >= 12][:3]
    short_with_digits = [w + "2024!!" * 2 for w in lines[100:103]]  # 'dragon2024!!2024!!' style
    return long_ones + short_with_digits


WEAK = [
    ("", "at least"), ("short", "at least"), ("elevenchars", "at least"),
    ("password1234", "common"), ("Password1234!", "common"), ("PASSWORD 1234", "common"),
    ("qwertyuiop12", "common"), ("aaaaaaaaaaaaaaaa", "common"), ("abababababababab", "common"),
    ("correct horse\tbattery", "control"), ("correct horse\nbattery", "control"),
    ("nul\x00in the passphrase", "control"), ("escape\x1b[0mcodes here", "control"),
    ("delete \x7f character", "control"), ("c1 control \x85 in here", "control"),
    *((w, "common") for w in _common_from_the_shipped_list()),
]


@pytest.mark.parametrize(("weak", "reason"), WEAK)
def test_a_weak_passphrase_is_refused(weak: str, reason: str) -> None:
    with pytest.raises(WeakPassphraseError, match=reason) as caught:
        check_new_passphrase(weak)
    assert_one_line(caught.value)


@pytest.mark.parametrize("good", [PASSPHRASE, "correct horse battery staple",
                                  "Grüße aus Manchester, 2025", "bay leaf kettle orbit"])
def test_a_good_passphrase_is_accepted(good: str) -> None:
    check_new_passphrase(good)


def test_create_applies_the_policy_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with pytest.raises(WeakPassphraseError):
        Workspace.create(folder, "password1234", owner_name=OWNER, role="assessor")
    assert not folder.exists()


def test_changing_the_passphrase_keeps_the_data_and_retires_the_old_one(
        tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    ws, _iid, (cid,) = new_workspace(folder)
    for n in range(20):
        ws.save_item(cid, "note:2.1.1", f"draft {n}")
    ws.save_item(cid, "2.1.1.a", "yes")
    with pytest.raises(WeakPassphraseError):
        ws.change_passphrase("password1234")
    ws.change_passphrase(NEW_PASSPHRASE)
    ws.save_item(cid, "2.1.1.b", "no")  # the session goes on under the new key
    audits = audit_count(ws)
    ws.close()

    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, PASSPHRASE)
    with Workspace.open(folder, NEW_PASSPHRASE) as ws:
        items = ws.read_assessment(cid).items
        assert (items["note:2.1.1"], items["2.1.1.a"], items["2.1.1.b"]) == (
            "draft 19", "yes", "no")
        assert audit_count(ws) == audits
        assert [e.action for e in ws.history(item="workspace")] == ["passphrase"]
        assert ws.verify_history(cid)
        assert ws._conn.execute("PRAGMA cipher_integrity_check").fetchall() == []


# -- stock SQLCipher ---------------------------------------------------------------------------

_STOCK_READER = r"""
import base64, json, sys
from pathlib import Path

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

folder, passphrase = Path(sys.argv[1]), sys.argv[2]
kf = json.loads((folder / "workspace.hmipkey").read_text())
p = kf["passphrase"]
kek = PBKDF2HMAC(algorithm=hashes.SHA512(), length=32, salt=base64.b64decode(p["salt"]),
                 iterations=p["iterations"]).derive(passphrase.encode("utf-8"))
wrap = base64.b64decode(p["wrap"])
aad = b"hmip-desktop key file v1 passphrase\x00" + kf["workspace_id"].encode("utf-8")
key = AESGCM(kek).decrypt(wrap[:12], wrap[12:], aad)
salt = base64.b64decode(kf["database_salt"])
conn = sqlcipher3.connect(str(folder / "workspace.hmip"))
conn.execute("PRAGMA key = \"x'" + (key + salt).hex() + "'\"")  # first, before anything
print(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
print(conn.execute("SELECT value FROM items WHERE item = 'note:2.1.1'").fetchone()[0])
print(sorted(m for m in sys.modules if m.startswith("hmip")))
"""


def test_stock_sqlcipher_opens_a_workspace_with_its_passphrase_and_key_file(
        tmp_path: Path) -> None:
    """The documented reader (docs/security.md): sqlcipher3 and cryptography, no app code."""
    folder = tmp_path / "ws"
    ws, _iid, cids = new_workspace(folder, cases=3)
    ws.save_item(cids[0], "note:2.1.1", "Read without hmip-desktop.")
    ws.close()
    out = subprocess.run([sys.executable, "-I", "-c", _STOCK_READER, str(folder),
                          PASSPHRASE], capture_output=True, text=True, check=True, cwd=tmp_path,
                         timeout=60)
    assert out.stdout.splitlines() == ["3", "Read without hmip-desktop.", "[]"]


# -- where a workspace may live ----------------------------------------------------------------

LOCAL_ROOT = "/dev/vda / ext4 rw,relatime 0 0\n"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows asks the drive type instead")
def test_create_and_open_refuse_a_network_share(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "local"
    cid = _closed_workspace(local)
    share = tmp_path.resolve()
    monkeypatch.setattr(connection, "_read_mounts",
                        lambda: LOCAL_ROOT + f"fileserver:/export {share} nfs4 rw 0 0\n")
    with pytest.raises(UnsafeLocationError) as caught:
        Workspace.create(tmp_path / "new", PASSPHRASE, owner_name=OWNER, role="assessor")
    assert_one_line(caught.value)
    assert "nfs4" in str(caught.value)
    assert not (tmp_path / "new").exists()
    before = digests(local)
    with pytest.raises(UnsafeLocationError):
        Workspace.open(local, PASSPHRASE)
    assert digests(local) == before
    monkeypatch.setattr(connection, "_read_mounts", lambda: LOCAL_ROOT)
    with Workspace.open(local, PASSPHRASE) as ws:
        assert ws.read_assessment(cid).items["2.1.1.a"] == "yes"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows asks the drive type instead")
def test_the_nearest_mount_decides_and_escaped_names_are_understood(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    spaced = root / "team share" / "ws"
    mounts = (LOCAL_ROOT + f"srv:/x {root / 'team'}\\040share cifs rw 0 0\n"
              + f"/dev/sdb1 {root / 'team'}\\040share/ws ext4 rw 0 0\n")
    check_local(spaced, mounts)  # a local disk mounted inside the share: fine
    with pytest.raises(UnsafeLocationError, match="cifs"):
        check_local(root / "team share" / "other", mounts)
    for fstype in ("nfs", "smb3", "fuse.sshfs", "9p"):
        with pytest.raises(UnsafeLocationError):
            check_local(root / "x", LOCAL_ROOT + f"srv:/x {root} {fstype} rw 0 0\n")
    check_local(root / "x", LOCAL_ROOT + f"tmpfs {root} tmpfs rw 0 0\n")
