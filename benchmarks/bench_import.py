"""The lead importing assessment bundles, against plain SQLite plus the crypto alone.

    .venv/bin/python benchmarks/bench_import.py [--quick] [--profile]

Set-up (not timed): a lead with an NPS inspection, 20 assessor workspaces enrolled by
fingerprint, 400 cases (20 each) sent out in packs, every case answered with 80 items (71
prompts and 9 key-question judgements, loaded with ``Workspace.bulk_load_items`` and given the
audit rows and revision that 80 saves would have left), and one bundle exported per assessor.

Timed, each repetition on a fresh copy of the lead's workspace (copied and unlocked untimed):

- import: ``service.import_file`` of the 20 bundles, as ``hmip-desktop import`` does it:
  read, verify, decrypt, unzip, validate every item against the framework, check every audit
  chain, apply each bundle in one transaction, and write and log a receipt for each;
- import without receipts: ``service.import_bytes`` of the same bytes (no receipt written);
- baseline, the sum of: stdlib ``sqlite3`` (WAL, ``synchronous=FULL``) inserting the same item
  rows and the audit rows the bundles carry into tables with the same keys and index, one
  transaction per bundle; and the crypto alone: reading the 20 files and
  ``hmip_desktop.bundles.open_sealed`` on each with the lead's key.

Target: import ≤ 2 × baseline. Workspaces live in a temporary folder under benchmarks/ (the
repository's disk), removed at the end. ``--quick``: 10 assessors × 10 cases, 1 repetition.
``--profile``: also run one import under cProfile and print what dominates.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from harness import describe_machine

from hmip_desktop.assessment.items import is_known
from hmip_desktop.bundles import open_sealed
from hmip_desktop.exchange import contacts, packs, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.identity import PrivateIdentity
from hmip_desktop.exchange.payload import parse
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import DB_NAME, Workspace, now

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for bundles"  # noqa: S105 - invented, for throwaway files
FACTS = {"sample": "supervision", "gender": "male", "sentence_type": "community", "rosh": "high"}
ANSWERS_PER_CASE = 80
PLAIN_DDL = """
CREATE TABLE items (
    case_id TEXT NOT NULL,
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, item)
) WITHOUT ROWID;
CREATE INDEX items_by_item_value ON items (item, value);
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


def build(base: Path, assessors: int, cases_each: int) -> tuple[Path, list[Path],
                                                                PrivateIdentity]:
    """The lead's workspace (closed, nothing imported yet) and one bundle per assessor."""
    t = time.perf_counter()
    rng = random.Random(7)
    bundles = base / "bundles"
    bundles.mkdir()
    lead = Workspace.create(base / "lead", PASSPHRASE, owner_name="Benchmark Lead", role="lead")
    iid = contacts.set_up_inspection(
        lead, title="Benchmark inspection", organisation="Benchmark PDU",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes())
    fw = lead.inspection_framework(iid)
    case_ids = lead.add_cases(iid, [{"case_ref": f"B{n:04d}", "facts": FACTS,
                                     "office": "Benchmark office"}
                                    for n in range(assessors * cases_each)])
    paths = []
    for a in range(assessors):
        ws = Workspace.create(base / f"assessor{a:02d}", PASSPHRASE,
                              owner_name=f"Assessor {a:02d}", role="assessor")
        try:
            mid = contacts.enrol_member(lead, iid, contacts.my_card(ws),
                                        ws.identity.public.fingerprint, role="assessor")
            mine = case_ids[a * cases_each:(a + 1) * cases_each]
            for cid in mine:
                lead.assign(cid, mid)
            pack = packs.make_pack(lead, iid, mid, bundles / f"assessor{a:02d}.hmippack")
            service.import_file(ws, pack, lead_fingerprint=lead.identity.public.fingerprint)
            answer_everything(ws, mine, fw, rng)
            paths.append(export_assessments(ws, iid, bundles / f"assessor{a:02d}.hmipb"))
        finally:
            ws.close()
    identity = lead.identity
    lead._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lead.close()
    size = sum(p.stat().st_size for p in paths)
    print(f"set-up: {assessors} assessors × {cases_each} cases × {ANSWERS_PER_CASE} answers; "
          f"{len(paths)} bundles, {size / 1024:.0f} KB in all; built in "
          f"{time.perf_counter() - t:.1f} s")
    return base / "lead", paths, identity


def fresh_lead(template: Path, folder: Path) -> Workspace:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy2(template / DB_NAME, folder / DB_NAME)
    return Workspace.open(folder, PASSPHRASE)


def import_all(ws: Workspace, paths: list[Path], receipts: Path | None) -> int:
    applied = 0
    for p in paths:
        if receipts is None:
            report = service.import_bytes(ws, p.read_bytes())
        else:
            report = service.import_file(ws, p, receipt_out=receipts / (p.stem + ".hmiprcpt"))
            assert report.receipt is not None
        assert not report.stale and not report.up_to_date
        applied += len(report.applied)
    return applied


def rows_of(paths: list[Path], lead: PrivateIdentity, trusted: dict[bytes, Any]) -> list[
        tuple[list[tuple[str, str, str]], list[tuple[Any, ...]]]]:
    """Per bundle, the item rows and audit rows it carries (what the baseline inserts)."""
    out = []
    for p in paths:
        header, raw = open_sealed(p.read_bytes(), my_key_id=lead.public.key_id,
                                  my_private_key=lead.receiving_key(), trusted_senders=trusted)
        items, audit = [], []
        for name, value in parse(raw):
            if name.startswith("cases/"):
                cid = value["case_id"]
                items += [(cid, k, v) for k, v in value["items"].items()]
                audit += [(cid, header.sender_key_id, *(e[k] for k in AUDIT))
                          for e in value["audit"]]
        out.append((items, audit))
    return out


def plain_inserts(path: Path, batches: list[tuple[list[tuple[str, str, str]],
                                                  list[tuple[Any, ...]]]]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(PLAIN_DDL)
    t = time.perf_counter()
    for items, audit in batches:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO items (case_id, item, value) VALUES (?,?,?)", items)
        conn.executemany("INSERT INTO received_audit (case_id, origin_key_id, seq, at, actor,"
                         " action, item, old, new, revision, hash)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?)", audit)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--profile", action="store_true", help="also profile one import")
    args = parser.parse_args()
    assessors, cases_each, repeats = (10, 10, 1) if args.quick else (20, 20, 3)
    base = Path(tempfile.mkdtemp(prefix="tmp-import-", dir=ROOT / "benchmarks"))
    try:
        import cryptography  # noqa: PLC0415

        describe_machine(base, holds="workspaces",
                         extra=f"; cryptography {cryptography.__version__}")
        template, paths, lead = build(base, assessors, cases_each)
        with Workspace.open(template, PASSPHRASE) as ws:
            trusted = {bytes(k): v for k, v in contacts.trusted_senders(
                ws, ws.inspections()[0]["id"]).items()}
        batches = rows_of(paths, lead, trusted)
        n_items = sum(len(i) for i, _a in batches)
        n_audit = sum(len(a) for _i, a in batches)
        print(f"each run: {len(paths)} bundles, {n_items:,} item rows, {n_audit:,} audit rows")
        runs: dict[str, list[float]] = {k: [] for k in (
            "import", "import without receipts", "plain sqlite3", "crypto alone")}
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
            plain = base / f"plain-{rep}.db"
            runs["plain sqlite3"].append(plain_inserts(plain, batches))
            runs["crypto alone"].append(crypto_alone(paths, lead, trusted))
            print(f"run {rep + 1}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in runs.items()))
        med = {k: statistics.median(v) for k, v in runs.items()}
        baseline = med["plain sqlite3"] + med["crypto alone"]
        print(f"\nmedians of {repeats}: import {med['import']:.3f} s "
              f"({med['import'] / len(paths) * 1000:.0f} ms a bundle); "
              f"without receipts {med['import without receipts']:.3f} s; "
              f"plain sqlite3 {med['plain sqlite3']:.3f} s + crypto alone "
              f"{med['crypto alone']:.3f} s = baseline {baseline:.3f} s")
        for k in ("import", "import without receipts"):
            ratio = med[k] / baseline
            print(f"ratio, {k}: {ratio:.2f}× (target ≤ 2: {'met' if ratio <= 2 else 'MISSED'})")
        if args.profile:
            profile(template, paths, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
