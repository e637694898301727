"""Unlocking a workspace through its key file, against the key derivation alone.

    .venv/bin/python benchmarks/bench_unlock.py [--repeats N]

Measured in the same run, on copies of the committed schema-version-9 fixture (keyed the old
way) in a temporary folder under benchmarks/:

- the key derivation alone: PBKDF2-HMAC-SHA512, 256,000 iterations (``cryptography``), the
  baseline every ratio is against;
- before: opening the old-keyed copy as the product did (SQLCipher derives the key from the
  passphrase; ``open_connection`` with its checks), and SQLCipher's derivation alone (``PRAGMA
  key`` and one read, stock ``sqlcipher3``);
- after: ``Workspace.open`` of the same workspace once moved to its key file (unwrap, raw key,
  checks, schema, identity), and of a workspace with a wrong passphrase;
- the one-time move of the old-keyed copy (``Workspace.open`` the first time).

Prints the load average beside the ratios: the machine is shared.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import tempfile
from pathlib import Path

import sqlcipher3
from harness import ROOT, describe_machine, load_average, runs, show

from hmip_desktop.store.connection import open_connection, passphrase_key
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.key_file import PBKDF2_ITERATIONS, _passphrase_kek
from hmip_desktop.store.workspace import DB_NAME, Workspace

FIXTURE = ROOT / "tests" / "fixtures" / "workspaces" / "schema-v9"
PASSPHRASE = "fixture passphrase v9"  # noqa: S105 - the committed fixture's, invented


def _old_copy(base: Path, name: str) -> Path:
    folder = base / name
    shutil.copytree(FIXTURE, folder)
    return folder


def _sqlcipher_kdf(path: Path) -> None:
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {passphrase_key(PASSPHRASE)}")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def _wrong(folder: Path) -> None:
    try:
        Workspace.open(folder, "not the passphrase at all")
    except WrongPassphraseError:
        return
    raise AssertionError("a wrong passphrase opened the workspace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    n = parser.parse_args().repeats
    base = Path(tempfile.mkdtemp(prefix="tmp-unlock-", dir=ROOT / "benchmarks"))
    try:
        describe_machine(base)
        print(f"load average before: {load_average()}")
        old = _old_copy(base, "old")
        salt = secrets.token_bytes(16)
        kdf = runs(lambda: _passphrase_kek(PASSPHRASE, salt, PBKDF2_ITERATIONS), n)
        sqlcipher_kdf = runs(lambda: _sqlcipher_kdf(old / DB_NAME), n)
        before = runs(lambda: open_connection(old / DB_NAME, passphrase_key(PASSPHRASE),
                                              create=False).close(), n)
        moves = []
        for i in range(max(3, n // 3)):
            folder = _old_copy(base, f"move-{i}")
            moves += runs(lambda f=folder: Workspace.open(f, PASSPHRASE).close(), 1)
        moved = base / "move-0"
        after = runs(lambda: Workspace.open(moved, PASSPHRASE).close(), n)
        wrong = runs(lambda: _wrong(moved), n)
        size = (moved / DB_NAME).stat().st_size / 1e6
        print(f"workspace: the schema-version-9 fixture, {size:.2f} MB")
        show("key derivation alone (PBKDF2-HMAC-SHA512, 256,000)", kdf)
        show("before: SQLCipher's derivation alone (PRAGMA key)", sqlcipher_kdf)
        show("before: open_connection, passphrase as SQLCipher's key", before)
        show("after: Workspace.open through the key file", after)
        show("after: a wrong passphrase refused", wrong)
        show("once: the move of an old-keyed workspace (first open)", moves)
        base_kdf = statistics.median(kdf)
        for name, times in (("before", before), ("after", after), ("wrong passphrase", wrong),
                            ("the move, once", moves)):
            print(f"  ratio {name} / key derivation alone: "
                  f"{statistics.median(times) / base_kdf:.2f}x")
        print(f"load average after: {load_average()}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
