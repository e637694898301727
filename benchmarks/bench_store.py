"""Store speed against plain SQLite measured in the same run, in the same folder.

    .venv/bin/python benchmarks/bench_store.py [--quick]

Prints, each with its baseline and the ratio:

- durable save: ``Workspace.save_item`` of one answer (validated, rules applied, audited,
  committed with synchronous=FULL) against a stdlib sqlite3 single-row INSERT + COMMIT
  (BEGIN IMMEDIATE, default cache, as the save); the two alternate, so both see the same
  disk. Target: p99 ratio ≤ 3.
- bulk load: ``Workspace.bulk_load_items`` of 500,000 (case, item, value) rows against stdlib
  sqlite3 ``executemany`` of the same rows into an equivalent table (the same primary key
  and, as the workspace since schema version 9, no other index) in one transaction, with the
  same 128 MiB page cache the load sets. Target: ratio ≤ 2.

Both sides of every ratio run with the workspace's PRAGMAs (WAL, synchronous=FULL,
temp_store=MEMORY, secure_delete, foreign_keys) and the same transaction shape; the plain side
has no encryption, which is what the ratio measures.
- unlock: ``Workspace.open`` (key derivation, integrity check, schema check), with the KDF
  settings read from the open connection.

The databases live in a temporary folder under benchmarks/ (same disk as the repository, not
/dev/shm), removed at the end. ``--quick``: fewer saves and 50,000 rows.
"""

from __future__ import annotations

import argparse
import math
import random
import secrets
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import describe_machine

from hmip_desktop.shipped_files import resource
from hmip_desktop.store.case_writing import BULK_CACHE_KIB
from hmip_desktop.store.connection import REQUIRED_PRAGMAS
from hmip_desktop.store.key_file import PBKDF2_ITERATIONS, _passphrase_kek
from hmip_desktop.store.workspace import DB_NAME, Workspace

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for the store"  # noqa: S105 - invented, for a throwaway file
FACTS = {"sample": "supervision", "gender": "male", "sentence_type": "community", "rosh": "high"}
ITEMS_DDL = """
CREATE TABLE items (
    case_id TEXT NOT NULL,
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, item)
) WITHOUT ROWID;
"""
UPSERT = ("INSERT INTO items (case_id, item, value) VALUES (?,?,?)"
          " ON CONFLICT (case_id, item) DO UPDATE SET value = excluded.value")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def plain(path: Path, cache_kib: int | None = None) -> sqlite3.Connection:
    """Plain SQLite with the workspace's own PRAGMAs (and its cache, when it sets one)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name, value in REQUIRED_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    if cache_kib is not None:
        conn.execute(f"PRAGMA cache_size = {cache_kib}")
    return conn


def new_workspace(folder: Path, cases: int) -> tuple[Workspace, str, list[str]]:
    ws = Workspace.create(folder, PASSPHRASE, owner_name="Benchmark Inspector", role="assessor")
    iid = ws.create_inspection(title="Benchmark", organisation="Benchmark PDU",
                               framework_bytes=resource("frameworks",
                                                        "nps-2019-20.json").read_bytes())
    cids = [ws.add_case(iid, case_ref=f"B{n:05d}", facts=FACTS) for n in range(cases)]
    return ws, iid, cids


def durable_save(base: Path, n: int) -> None:
    ws, iid, cids = new_workspace(base / "save", 20)
    fw = ws.inspection_framework(iid)
    prompts = [p for p in fw.prompts_by_id if p.startswith("2.") and not p.startswith("2.1.3")]
    baseline = plain(base / "plain-save.db")
    baseline.execute("CREATE TABLE answers (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    rng = random.Random(1)
    state: dict[tuple[str, str], str] = {}
    store_t: list[float] = []
    plain_t: list[float] = []
    for i in range(n + 20):  # the first 20 of each warm the caches and are not counted
        cid, item = rng.choice(cids), rng.choice(prompts)
        value = "no" if state.get((cid, item)) == "yes" else "yes"
        state[(cid, item)] = value
        t = time.perf_counter()
        change = ws.save_item(cid, item, value)
        dt = time.perf_counter() - t
        assert change.changed
        t = time.perf_counter()
        baseline.execute("BEGIN IMMEDIATE")
        baseline.execute("INSERT OR REPLACE INTO answers (k, v) VALUES (?, ?)",
                         (f"{cid}/{item}", value))
        baseline.execute("COMMIT")
        dp = time.perf_counter() - t
        if i >= 20:
            store_t.append(dt)
            plain_t.append(dp)
    ws.close()
    baseline.close()
    s50, s99, p50, p99 = (percentile(store_t, 50), percentile(store_t, 99),
                          percentile(plain_t, 50), percentile(plain_t, 99))
    print(f"\ndurable save of one answer, {n} saves (alternating with the baseline):")
    print(f"  Workspace.save_item     p50 {ms(s50)}  p99 {ms(s99)}  max {ms(max(store_t))}")
    print(f"  sqlite3 INSERT+COMMIT   p50 {ms(p50)}  p99 {ms(p99)}  max {ms(max(plain_t))}")
    print(f"  ratio p99 {s99 / p99:.2f}x (target <= 3), p50 {s50 / p50:.2f}x")


def bulk_rows(ws: Workspace, iid: str, cids: list[str], items: list[str],
              ) -> list[tuple[str, str, str]]:
    rng = random.Random(2)
    return [(cid, item, rng.choice(("yes", "no"))) for cid in cids for item in items]


def bulk_load(base: Path, total: int) -> Path:
    probe, iid, _ = new_workspace(base / "probe", 0)
    fw = probe.inspection_framework(iid)
    probe.close()
    shutil.rmtree(base / "probe")
    keys = [*fw.prompts_by_id, *(kq.id for kq in fw.case_key_questions()),
            *(f"note:{kq.id}" for kq in fw.case_key_questions())]
    per_case = min(200, len(keys))
    cases = math.ceil(total / per_case)
    folder = base / "bulk"
    ws, iid, cids = new_workspace(folder, cases)
    rows = bulk_rows(ws, iid, cids, keys[:per_case])[:total]

    baseline = plain(base / "plain-bulk.db", cache_kib=BULK_CACHE_KIB)  # as bulk_load_items
    baseline.executescript(ITEMS_DDL)
    t = time.perf_counter()
    baseline.execute("BEGIN IMMEDIATE")
    baseline.executemany(UPSERT, rows)
    baseline.execute("COMMIT")
    plain_s = time.perf_counter() - t
    baseline.close()

    # An import loads into a workspace just unlocked; measure that, on a fresh connection.
    ws.close()
    ws = Workspace.open(folder, PASSPHRASE)
    t = time.perf_counter()
    loaded = ws.bulk_load_items(rows)
    store_s = time.perf_counter() - t
    assert loaded == len(rows), (loaded, len(rows))
    ws.close()
    size = (folder / DB_NAME).stat().st_size / 1e6
    print(f"\nbulk load of {len(rows):,} item rows ({cases:,} cases x {per_case} items), "
          "one transaction:")
    print(f"  Workspace.bulk_load_items  {store_s:.2f} s  "
          f"({len(rows) / store_s:,.0f} rows/s; workspace now {size:.0f} MB)")
    print(f"  sqlite3 executemany        {plain_s:.2f} s  ({len(rows) / plain_s:,.0f} rows/s)")
    print(f"  ratio {store_s / plain_s:.2f}x (target <= 2)")
    return folder


def timed(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def unlock(base: Path, big: Path, repeats: int) -> None:
    small = base / "small"
    new_workspace(small, 10)[0].close()
    print(f"\nunlock (Workspace.open), median of {repeats}:")
    for name, folder in (("small workspace", small), ("bulk-loaded workspace", big)):
        size = (folder / DB_NAME).stat().st_size / 1e6
        opened = timed(lambda f=folder: Workspace.open(f, PASSPHRASE).close(), repeats)
        with Workspace.open(folder, PASSPHRASE) as ws:
            check = timed(lambda w=ws: w._conn.execute("PRAGMA cipher_integrity_check").fetchall(),
                          repeats)
        print(f"  {name} ({size:.1f} MB): {opened:.3f} s, of which the page HMAC check "
              f"{check:.3f} s")
    salt = secrets.token_bytes(16)
    kdf = timed(lambda: _passphrase_kek(PASSPHRASE, salt, PBKDF2_ITERATIONS), repeats)
    print(f"  key derivation alone (the key file's PBKDF2-HMAC-SHA512): {kdf:.3f} s")
    with Workspace.open(small, PASSPHRASE) as ws:
        settings = {p: ws._conn.execute(f"PRAGMA {p}").fetchone()[0] for p in (
            "kdf_iter", "cipher_kdf_algorithm", "cipher_hmac_algorithm", "cipher_page_size",
            "cipher_use_hmac", "cipher_memory_security")}
    print("  KDF and cipher settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    args = parser.parse_args()
    saves, rows, repeats = (150, 50_000, 3) if args.quick else (500, 500_000, 5)
    base = Path(tempfile.mkdtemp(prefix="tmp-store-", dir=ROOT / "benchmarks"))
    try:
        describe_machine(base)
        durable_save(base, saves)
        big = bulk_load(base, rows)
        unlock(base, big, repeats)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
