"""The lead's archive of a 400-case inspection (issue 21 point 4). Target: under 2 s.

    .venv/bin/python benchmarks/bench_archive.py [--quick]

Builds an encrypted lead workspace holding one NPS inspection of 400 invented cases with
realistic answers (``tests/consolidation/builders.py``: complete, in progress, never started,
excluded), one history row per answer in the case's audit chain and as many received from the
assessors' bundles, and every standard decided by the ratings panel. Each run works on a fresh
copy of that file and times, on the open workspace:

- ``archive_inspection`` end to end, as ``hmip-desktop archive`` and the Retention dialog run
  it: the final consolidation, the figures kept, every DELETE in one transaction with its audit
  row, and the ``VACUUM`` after;
- the baseline, on another fresh copy in the same run: the same DELETE statements alone
  (``store.retention.ARCHIVE_REMOVES``) in one transaction, nothing counted, kept or compacted;

and prints the medians, the parts (consolidation and figures; the DELETEs; the VACUUM), the
ratio archive / baseline run by run, and the load average beside them (the machine is shared).
The files live in a temporary folder under benchmarks/ and are removed at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import describe_machine, load_average

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hmip_desktop.consolidation.panel import (  # noqa: E402 - after the path is set
    record_panel_decision,
    set_lead_rating,
)
from hmip_desktop.consolidation.tables import consolidate  # noqa: E402
from hmip_desktop.frameworks import load_framework  # noqa: E402
from hmip_desktop.retention.figures import kept_figures  # noqa: E402
from hmip_desktop.retention.service import archive_inspection  # noqa: E402
from hmip_desktop.store import retention as store_retention  # noqa: E402
from hmip_desktop.store.tables import connection  # noqa: E402
from hmip_desktop.store.workspace import DB_NAME, Workspace  # noqa: E402
from tests.consolidation.builders import (  # noqa: E402
    PASSPHRASE,
    add_inspection,
    generated_cases,
    lead_workspace,
)

CASES = 400
TITLE = "Benchmark inspection"
REASON = "QA was done on paper for the remaining cases"


def build(folder: Path) -> str:
    ws = lead_workspace(folder)
    fw = load_framework("nps-2019-20")
    b = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(21), CASES),
                       title=TITLE)
    conn = connection(ws)
    with ws.transaction():  # each answer's history, kept and received, as saves would leave
        items = conn.execute("SELECT case_id, item, value FROM items").fetchall()
        conn.executemany(
            "INSERT INTO audit (case_id, at, actor, action, item, old, new, revision, hash)"
            " VALUES (?, '2026-11-24T10:00:00', 'Ola Brent', 'set', ?, NULL, ?, 1, 'x')", items)
        conn.executemany(
            "INSERT INTO received_audit (case_id, origin_key_id, seq, at, actor, action, item,"
            " old, new, revision, hash) VALUES (?, x'00', ?, '2026-11-24T10:00:00', 'Ola Brent',"
            " 'set', ?, NULL, ?, 1, 'x')",
            [(cid, n, item, value) for n, (cid, item, value) in enumerate(items)])
    for s in fw.standards:
        if s.rated_by == "lead":
            set_lead_rating(ws, b.iid, s.id, "good", evidence="A clear vision, shared widely.")
    for s in fw.standards:
        record_panel_decision(ws, b.iid, s.id, decision="confirm")
    print(f"built: {CASES} cases, {len(items)} answers, {2 * len(items)} history rows")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return b.iid


def fresh(template: Path, dest: Path) -> Workspace:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copy2(template / DB_NAME, dest / DB_NAME)
    return Workspace.open(dest, PASSPHRASE)


def plain_deletes(ws: Workspace, iid: str) -> None:
    conn = connection(ws)
    params = {"iid": iid}
    with ws.transaction():
        conn.execute("INSERT INTO retention_removals (inspection_id) VALUES (:iid)", params)
        for table, where in store_retention.ARCHIVE_REMOVES:
            conn.execute(f"DELETE FROM {table} WHERE {where}", params)
        conn.execute("DELETE FROM retention_removals WHERE inspection_id = :iid", params)


def parts(ws: Workspace, iid: str) -> tuple[float, float, float]:
    """Consolidation and figures; the DELETEs with the archive row; the VACUUM."""
    t0 = time.perf_counter()
    c = consolidate(ws, iid)
    figures = kept_figures(ws, c)
    t1 = time.perf_counter()
    store_retention.remove_case_data(ws, iid, figures=figures, cases=CASES, override=REASON,
                                     audit_text="benchmark")
    t2 = time.perf_counter()
    store_retention.compact(ws)
    return t1 - t0, t2 - t1, time.perf_counter() - t2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs")
    args = ap.parse_args()
    repeats = 3 if args.quick else 7
    base = Path(tempfile.mkdtemp(prefix="bench-archive-", dir=ROOT / "benchmarks"))
    try:
        describe_machine(base)
        template = base / "template"
        iid = build(template)
        archive, baseline, ratios, split = [], [], [], []
        for _ in range(repeats):
            ws = fresh(template, base / "run")
            t = time.perf_counter()
            plain_deletes(ws, iid)
            baseline.append(time.perf_counter() - t)
            ws.close()
            ws = fresh(template, base / "run")
            t = time.perf_counter()
            archive_inspection(ws, iid, confirm=TITLE, override=REASON)
            archive.append(time.perf_counter() - t)
            ws.close()
            ratios.append(archive[-1] / baseline[-1])
            ws = fresh(template, base / "run")
            split.append(parts(ws, iid))
            ws.close()
        size = (template / DB_NAME).stat().st_size / 1e6
        print(f"workspace before archive: {size:.1f} MB; load average {load_average()}")
        print(f"  archive_inspection (end to end)   median {statistics.median(archive):.3f} s,"
              f" worst {max(archive):.3f} s ({repeats} runs); target 2 s")
        print(f"  baseline: the same DELETEs alone  median {statistics.median(baseline):.3f} s,"
              f" worst {max(baseline):.3f} s")
        print(f"  ratio archive / baseline, run by run: median {statistics.median(ratios):.2f}x"
              f" ({', '.join(f'{r:.2f}' for r in ratios)})")
        for name, i in (("consolidation and figures kept", 0), ("DELETEs with the archive row", 1),
                        ("VACUUM", 2)):
            print(f"    {name:<32} median {statistics.median(s[i] for s in split):.3f} s")
        print(f"load average after: {load_average()}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
