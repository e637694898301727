"""The lead importing assessment bundles, against the encrypted floor plus the crypto alone.

    .venv/bin/python benchmarks/bench_import.py [--quick] [--profile] [--no-memory]

Set-up (not timed): a lead with an NPS inspection, 20 assessor workspaces enrolled by
fingerprint, 400 cases (20 each) sent out in packs, every case answered with 80 items (71
prompts and 9 key-question judgements, loaded with ``Workspace.bulk_load_items`` and given the
audit rows and revision that 80 saves would have left), and one bundle exported per assessor.

Timed, each repetition on a fresh copy of the lead's workspace (copied and unlocked untimed):

- import: ``service.import_file`` of the 20 bundles, as ``hmip-desktop import`` does it:
  read, verify, decrypt, unzip, validate every item against the framework, check every audit
  chain, apply each bundle in one transaction, and write and log a receipt for each;
- import without receipts: ``service.import_bytes`` of the same bytes (no receipt written);
- the floor, the sum of:
  - the encrypted floor: another fresh copy of the same lead workspace opened with ``sqlcipher3``
    exactly as the product opens it (``cipher_memory_security`` on before the key, the same
    key, WAL, ``synchronous=FULL``, ``temp_store=MEMORY``, ``secure_delete``, foreign keys, the
    default page cache, 8 cached statements), writing the rows the import stores, one
    transaction per bundle: the items, the cases' status and revision, the alerts, the received
    audit rows, the cases' sources, one audit row per case and one for the receipt, the two
    bundle-log lines and the sequence counter; plain ``executemany``, nothing read or checked;
  - the crypto alone: reading the 20 files and ``hmip_desktop.bundles.open_sealed`` on each with
    the lead's key;
- for comparison only, stdlib ``sqlite3`` (WAL, ``synchronous=FULL``, no encryption) inserting
  the item and received audit rows into tables with the same keys.

Target: import ≤ 1.3 × the floor. Then, unless ``--no-memory``, the memory of importing the
largest bundle allowed (500 cases, the most a bundle may carry, of 80 answers each): in a
child process, the peak resident memory above the open lead workspace, against the bundle's
size (target ≤ 10×).

Workspaces live in a temporary folder under benchmarks/ (the repository's disk), removed at the
end. ``--quick``: 10 assessors × 10 cases, 1 repetition. ``--profile``: also run one import under
cProfile and print what dominates.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import sqlcipher3
from harness import describe_machine, load_average

from hmip_desktop.assessment.items import is_known
from hmip_desktop.bundles import open_sealed
from hmip_desktop.exchange import contacts, packs, service
from hmip_desktop.exchange.assessments import ALERT_FIELDS, export_assessments
from hmip_desktop.exchange.identity import PrivateIdentity
from hmip_desktop.exchange.payload import parse
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.connection import CACHED_STATEMENTS, REQUIRED_PRAGMAS
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace, now

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for bundles"  # noqa: S105 - invented, for throwaway files
FACTS = {"sample": "supervision", "gender": "male", "sentence_type": "community", "rosh": "high"}
ANSWERS_PER_CASE = 80
LARGEST_BUNDLE_CASES = 500  # exchange/assessments.py MAX_CASES
PLAIN_DDL = """
CREATE TABLE items (
    case_id TEXT NOT NULL,
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, item)
) WITHOUT ROWID;
CREATE TABLE received_audit (
    case_id TEXT NOT NULL,
    origin_key_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    item TEXT NOT NULL,
    old TEXT,
    new TEXT,
    revision INTEGER,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_id, origin_key_id, seq)
) WITHOUT ROWID;
"""
AUDIT = ("seq", "at", "actor", "action", "item", "old", "new", "revision", "hash")


def answers(fw: Any, rng: random.Random) -> list[tuple[str, str]]:
    """80 items: every case-answered prompt, then key-question judgements."""
    prompts = [p for p in fw.prompts_by_id if is_known(fw, p)]
    judgements = [k for k in fw.key_questions_by_id if is_known(fw, k)]
    chosen = (prompts + judgements)[:ANSWERS_PER_CASE]
    assert len(chosen) == ANSWERS_PER_CASE, "the framework has fewer items than the benchmark"
    return [(item, rng.choice(("yes", "yes", "no"))) for item in chosen]


def answer_everything(ws: Workspace, case_ids: list[str], fw: Any, rng: random.Random) -> None:
    """What 80 saves per case leave behind (items, audit chain, revision), written quickly."""
    per_case = {cid: answers(fw, rng) for cid in case_ids}
    ws.bulk_load_items((cid, item, value) for cid, rows in per_case.items()
                       for item, value in rows)
    with ws.transaction():
        for cid, rows in per_case.items():
            for revision, (item, value) in enumerate(rows, 1):
                ws.record(cid, "set", item, None, value, revision)
            ws._conn.execute(
                "UPDATE assessments SET status = 'in_progress', revision = ?, updated_at = ?,"
                " updated_by = ? WHERE case_id = ?", (len(rows), now(), ws.owner_name, cid))


def build(base: Path, assessors: int, cases_each: int, bundles_each: int = 1,
          quiet: bool = False) -> tuple[Path, list[Path], PrivateIdentity]:
    """The lead's workspace (closed, nothing imported yet) and the bundles, in import order.

    Each assessor sends its cases in ``bundles_each`` bundles of equal size; the bundles are
    listed round by round (every assessor's first, then every assessor's second, ...), as a
    lead receives them through the week.
    """
    t = time.perf_counter()
    rng = random.Random(7)
    bundles = base / "bundles"
    bundles.mkdir(parents=True)
    lead = Workspace.create(base / "lead", PASSPHRASE, owner_name="Benchmark Lead", role="lead")
    iid = contacts.set_up_inspection(
        lead, title="Benchmark inspection", organisation="Benchmark PDU",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes())
    fw = lead.inspection_framework(iid)
    case_ids = lead.add_cases(iid, [{"case_ref": f"B{n:05d}", "facts": FACTS,
                                     "office": "Benchmark office"}
                                    for n in range(assessors * cases_each)])
    rounds: list[list[Path]] = [[] for _ in range(bundles_each)]
    for a in range(assessors):
        ws = Workspace.create(base / f"assessor{a:03d}", PASSPHRASE,
                              owner_name=f"Assessor {a:03d}", role="assessor")
        try:
            mid = contacts.enrol_member(lead, iid, contacts.my_card(ws),
                                        ws.identity.public.fingerprint, role="assessor")
            mine = case_ids[a * cases_each:(a + 1) * cases_each]
            for cid in mine:
                lead.assign(cid, mid)
            pack = packs.make_pack(lead, iid, mid, bundles / f"assessor{a:03d}.hmippack")
            service.import_file(ws, pack, lead_fingerprint=lead.identity.public.fingerprint)
            answer_everything(ws, mine, fw, rng)
            size = -(-len(mine) // bundles_each)
            for b in range(bundles_each):
                part = mine[b * size:(b + 1) * size]
                rounds[b].append(export_assessments(
                    ws, iid, bundles / f"assessor{a:03d}-{b:02d}.hmipb", case_ids=part))
        finally:
            ws.close()
    paths = [p for r in rounds for p in r]
    identity = lead.identity
    lead._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lead.close()
    for a in range(assessors):  # only the lead's workspace and the bundles are needed now
        shutil.rmtree(base / f"assessor{a:03d}")
    size = sum(p.stat().st_size for p in paths)
    if not quiet:
        print(f"set-up: {assessors} assessors × {cases_each} cases × {ANSWERS_PER_CASE} "
              f"answers; {len(paths)} bundles, {size / 1024:.0f} KB in all; built in "
              f"{time.perf_counter() - t:.1f} s")
    return base / "lead", paths, identity


def fresh_lead(template: Path, folder: Path) -> Workspace:
    copy_lead(template, folder)
    return Workspace.open(folder, PASSPHRASE)


def copy_lead(template: Path, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in (DB_NAME, KEY_FILE_NAME):
        shutil.copy2(template / name, folder / name)
    return folder / DB_NAME


def import_all(ws: Workspace, paths: list[Path], receipts: Path | None,
               each: list[float] | None = None) -> int:
    """Import the bundles in order; ``each`` gets every bundle's seconds."""
    applied = 0
    for p in paths:
        t = time.perf_counter()
        if receipts is None:
            report = service.import_bytes(ws, p.read_bytes())
        else:
            report = service.import_file(ws, p, receipt_out=receipts / (p.stem + ".hmiprcpt"))
            assert report.receipt is not None
        if each is not None:
            each.append(time.perf_counter() - t)
        assert not report.stale and not report.up_to_date
        applied += len(report.applied)
    return applied


@dataclass
class Rows:
    """The rows one bundle's import stores, as the floor writes them."""

    items: list[tuple[Any, ...]] = field(default_factory=list)
    statuses: list[tuple[Any, ...]] = field(default_factory=list)
    alerts: list[tuple[Any, ...]] = field(default_factory=list)
    received: list[tuple[Any, ...]] = field(default_factory=list)
    sources: list[tuple[Any, ...]] = field(default_factory=list)
    audit: list[tuple[Any, ...]] = field(default_factory=list)
    log: list[tuple[Any, ...]] = field(default_factory=list)


def rows_of(paths: list[Path], lead: PrivateIdentity, trusted: dict[bytes, Any]) -> list[Rows]:
    """Per bundle, the rows its import stores (what the floor writes)."""
    out = []
    at = now()
    for n, p in enumerate(paths):
        header, raw = open_sealed(p.read_bytes(), my_key_id=lead.public.key_id,
                                  my_private_key=lead.receiving_key(), trusted_senders=trusted)
        sender = header.sender_key_id
        r = Rows()
        for name, value in parse(raw):
            if not name.startswith("cases/"):
                continue
            cid = value["case_id"]
            r.items += [(cid, k, v) for k, v in value["items"].items()]
            r.statuses.append((value["status"], value["revision"], at, sender.hex(), cid))
            r.alerts += [tuple(a[k] for k in ALERT_FIELDS) for a in value["alerts"]]
            r.received += [(cid, sender, *(e[k] for k in AUDIT)) for e in value["audit"]]
            r.sources.append((cid, sender, value["revision"], "0" * 64, f"{n:064d}",
                              header.sequence, at))
            r.audit.append((cid, at, "Benchmark Lead", "import", "case", "0",
                            str(value["revision"]), value["revision"], "0" * 64))
        r.audit.append((None, at, "Benchmark Lead", "export_receipt", p.name, None, "receipt",
                        None, "0" * 64))
        r.log += [(f"{n:064d}", "in", "assessments", sender, header.inspection_id,
                   header.sequence, at, "summary", None),
                  (f"{n:063d}r", "out", "receipt", sender, header.inspection_id, n + 1, at,
                   "summary", None)]
        out.append(r)
    return out


def open_floor(path: Path) -> Any:
    """A connection to ``path`` opened as the product opens a workspace, checks left out."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False,
                              cached_statements=CACHED_STATEMENTS)
    conn.execute("PRAGMA cipher_memory_security = ON")
    conn.execute(f"PRAGMA key = {sql_key_for(path.parent, PASSPHRASE)}")
    for name, wanted in REQUIRED_PRAGMAS.items():
        conn.execute("PRAGMA journal_mode = WAL" if name == "journal_mode"
                     else f"PRAGMA {name} = {wanted}")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def floor_inserts(conn: Any, batches: list[Rows], each: list[float] | None = None) -> float:
    """The encrypted floor: the rows of each bundle written in one transaction."""
    t0 = time.perf_counter()
    for r in batches:
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO items (case_id, item, value) VALUES (?,?,?)", r.items)
        conn.executemany("UPDATE assessments SET status = ?, revision = ?, updated_at = ?,"
                         " updated_by = ? WHERE case_id = ?", r.statuses)
        conn.executemany(f"INSERT INTO alerts ({', '.join(ALERT_FIELDS)}) VALUES "
                         f"({', '.join('?' * len(ALERT_FIELDS))})", r.alerts)
        conn.executemany("INSERT INTO received_audit (case_id, origin_key_id, seq, at, actor,"
                         " action, item, old, new, revision, hash)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?)", r.received)
        conn.executemany("INSERT INTO case_sources (case_id, sender_key_id, revision,"
                         " content_hash, bundle_hash, sequence, applied_at)"
                         " VALUES (?,?,?,?,?,?,?)", r.sources)
        conn.executemany("INSERT INTO audit (case_id, at, actor, action, item, old, new,"
                         " revision, hash) VALUES (?,?,?,?,?,?,?,?,?)", r.audit)
        conn.executemany("INSERT INTO bundle_log (file_hash, direction, kind, peer_key_id,"
                         " inspection_id, sequence, at, summary, subject)"
                         " VALUES (?,?,?,?,?,?,?,?,?)", r.log)
        conn.execute("INSERT INTO counters (name, value) VALUES ('out_sequence', 1)"
                     " ON CONFLICT (name) DO UPDATE SET value = value + 1")
        conn.execute("COMMIT")
        if each is not None:
            each.append(time.perf_counter() - t)
    return time.perf_counter() - t0


def encrypted_floor(template: Path, folder: Path, batches: list[Rows],
                    each: list[float] | None = None) -> float:
    conn = open_floor(copy_lead(template, folder))
    try:
        return floor_inserts(conn, batches, each)
    finally:
        conn.close()


def plain_inserts(path: Path, batches: list[Rows]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(PLAIN_DDL)
    t = time.perf_counter()
    for r in batches:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO items (case_id, item, value) VALUES (?,?,?)", r.items)
        conn.executemany("INSERT INTO received_audit (case_id, origin_key_id, seq, at, actor,"
                         " action, item, old, new, revision, hash)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?)", r.received)
        conn.execute("COMMIT")
    dt = time.perf_counter() - t
    conn.close()
    return dt


def crypto_alone(paths: list[Path], lead: PrivateIdentity, trusted: dict[bytes, Any]) -> float:
    t = time.perf_counter()
    for p in paths:
        open_sealed(p.read_bytes(), my_key_id=lead.public.key_id,
                    my_private_key=lead.receiving_key(), trusted_senders=trusted)
    return time.perf_counter() - t


def trusted_of(template: Path) -> dict[bytes, Any]:
    with Workspace.open(template, PASSPHRASE) as ws:
        return {bytes(k): v for k, v in contacts.trusted_senders(
            ws, ws.inspections()[0]["id"]).items()}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def profile(template: Path, paths: list[Path], base: Path) -> None:
    ws = fresh_lead(template, base / "profiled")
    receipts = base / "profiled-receipts"
    receipts.mkdir()
    profiler = cProfile.Profile()
    profiler.enable()
    import_all(ws, paths, receipts)
    profiler.disable()
    ws.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(
        r"hmip_desktop/(exchange|bundles|store)|sqlcipher|zipfile|json")
    print(out.getvalue())


_MEMORY_CHILD = r"""
import json, sys, time
from pathlib import Path
from hmip_desktop.exchange import service
from hmip_desktop.store.workspace import Workspace

def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024

folder, bundle, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
ws = Workspace.open(folder, passphrase)
Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
opened = status("VmRSS")
t = time.perf_counter()
report = service.import_file(ws, bundle, receipt_out=folder.parent / "memory.hmiprcpt")
seconds = time.perf_counter() - t
assert len(report.applied) > 0
print(json.dumps({"opened": opened, "peak": status("VmHWM"), "seconds": seconds,
                  "cases": len(report.applied)}))
"""


def memory(base: Path, repeats: int) -> None:
    """Peak resident memory of importing the largest bundle allowed, above the open workspace."""
    template, paths, _lead = build(base / "memory", 1, LARGEST_BUNDLE_CASES, quiet=True)
    bundle = paths[0]
    size = bundle.stat().st_size
    above = []
    for rep in range(repeats):
        copy_lead(template, base / "memory-run" / "lead")
        out = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(base / "memory-run" /
                                                                      "lead"),
                              str(bundle), PASSPHRASE], check=True, capture_output=True,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        got = json.loads(out.stdout)
        above.append(got["peak"] - got["opened"])
        print(f"memory run {rep + 1}: {got['cases']} cases, {size / 2**20:.1f} MiB bundle; "
              f"workspace open {got['opened'] / 2**20:.0f} MiB, peak {got['peak'] / 2**20:.0f} "
              f"MiB, {got['seconds']:.1f} s")
    ratio = statistics.median(above) / size
    print(f"import memory: peak {statistics.median(above) / 2**20:.1f} MiB above the open "
          f"workspace for a {size / 2**20:.1f} MiB bundle of {LARGEST_BUNDLE_CASES} cases: "
          f"{ratio:.1f}× the bundle (target ≤ 10: {'met' if ratio <= 10 else 'MISSED'}); "
          f"min/median/max {min(above) / size:.1f}/{ratio:.1f}/{max(above) / size:.1f}×")


def spread(values: list[float]) -> str:
    return (f"{min(values):.2f}/{statistics.median(values):.2f}/{max(values):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--profile", action="store_true", help="also profile one import")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory figure")
    parser.add_argument("--repeats", type=int, default=0, help="repetitions (default 5)")
    args = parser.parse_args()
    assessors, cases_each, repeats = (10, 10, 1) if args.quick else (20, 20, 5)
    repeats = args.repeats or repeats
    base = Path(tempfile.mkdtemp(prefix="tmp-import-", dir=ROOT / "benchmarks"))
    try:
        import cryptography  # noqa: PLC0415

        describe_machine(base, holds="workspaces",
                         extra=f"; cryptography {cryptography.__version__}")
        print(f"load average at start: {load_average()}")
        template, paths, lead = build(base, assessors, cases_each)
        trusted = trusted_of(template)
        batches = rows_of(paths, lead, trusted)
        n_items = sum(len(r.items) for r in batches)
        n_audit = sum(len(r.received) for r in batches)
        print(f"each run: {len(paths)} bundles, {n_items:,} item rows, {n_audit:,} audit rows")
        runs: dict[str, list[float]] = {k: [] for k in (
            "import", "import without receipts", "encrypted floor", "crypto alone",
            "plain sqlite3")}
        ratios: dict[str, list[float]] = {"import": [], "import without receipts": []}
        for rep in range(repeats):
            ws = fresh_lead(template, base / "run")
            receipts = base / "receipts"
            shutil.rmtree(receipts, ignore_errors=True)
            receipts.mkdir()
            dt, applied = timed(partial(import_all, ws, paths, receipts))
            assert applied == assessors * cases_each
            ws.close()
            runs["import"].append(dt)
            ws = fresh_lead(template, base / "run")
            dt, _n = timed(partial(import_all, ws, paths, None))
            ws.close()
            runs["import without receipts"].append(dt)
            runs["encrypted floor"].append(encrypted_floor(template, base / "floor", batches))
            runs["crypto alone"].append(crypto_alone(paths, lead, trusted))
            runs["plain sqlite3"].append(plain_inserts(base / f"plain-{rep}.db", batches))
            floor = runs["encrypted floor"][-1] + runs["crypto alone"][-1]
            for k, values in ratios.items():
                values.append(runs[k][-1] / floor)
            print(f"run {rep + 1}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in runs.items())
                  + f"; ratio {ratios['import'][-1]:.2f}×; load {load_average()}")
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"\nmedians of {repeats}: import {med['import']:.3f} s "
              f"({med['import'] / len(paths) * 1000:.0f} ms a bundle, "
              f"{med['import'] / (assessors * cases_each) * 1000:.1f} ms a case); "
              f"without receipts {med['import without receipts']:.3f} s; "
              f"encrypted floor {med['encrypted floor']:.3f} s + crypto alone "
              f"{med['crypto alone']:.3f} s; plain sqlite3 {med['plain sqlite3']:.3f} s")
        for k, v in ratios.items():
            print(f"ratio to the floor, {k}: min/median/max {spread(v)}× (target ≤ 1.3: "
                  f"{'met' if statistics.median(v) <= 1.3 else 'MISSED'})")
        plain = [i / p for i, p in zip(runs["import"], runs["plain sqlite3"], strict=True)]
        print(f"for comparison, import / plain sqlite3 (no encryption): {spread(plain)}×")
        print(f"load average at end: {load_average()}")
        if args.profile:
            profile(template, paths, base)
        if not args.no_memory:
            memory(base, 1 if args.quick else 3)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
