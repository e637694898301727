"""The lead's workspace at 1×, 4× and 16× an inspection: what grows faster than the work.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_scale.py [--quick]
        [--sizes 1,4,16] [--repeats 5] [--no-startup]

One inspection is 150 cases of 80 answers each. At each size n the lead's workspace holds one
NPS inspection of 150 × n cases, sent by 10 assessors in bundles of 15 cases (10 × n bundles,
received round by round as through a week; set-up as ``bench_import.py``, not timed). Then, each
the median of ``--repeats`` runs, with the load average beside it:

- import: every bundle imported with its receipt (``service.import_file``) into a fresh copy
  of the lead's workspace; per case, and per bundle for the first and the last tenth of the
  bundles (flat: the last tenth within 1.2× of the first at 16×);
- the encrypted floor of the same imports (``bench_import.encrypted_floor`` plus the crypto
  alone, same run) and the import's ratio to it;
- consolidation: ``consolidate`` of the inspection with cases in progress counted (none is
  marked complete), on the workspace the import left;
- QA: ``workspace_findings`` over every case of the workspace;
- start-up: ``harness.window_shown`` (process start to the lead's window shown) against
  ``harness.empty_window_shown`` (an empty ``QMainWindow``), same run.

Last, each figure's growth exponent: the slope of log(time) against log(size) over the sizes
(1 is linear in the work; a per-case figure's exponent is that minus 1, and a start-up's should
be near 0). ``--quick``: sizes 1 and 4, 3 repetitions. Files go in a temporary folder under
benchmarks/ (the repository's disk), removed at the end.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_import import (
    PASSPHRASE,
    build,
    crypto_alone,
    encrypted_floor,
    fresh_lead,
    import_all,
    rows_of,
    spread,
    trusted_of,
)
from harness import describe_machine, empty_window_shown, load_average, window_shown

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.qa.service import workspace_findings

ROOT = Path(__file__).resolve().parents[1]
CASES_PER_INSPECTION = 150
ASSESSORS = 10
CASES_PER_BUNDLE = 15


def exponent(sizes: list[int], values: list[float]) -> float:
    """The least-squares slope of log(value) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(v) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def tenths(per_bundle: list[list[float]]) -> tuple[float, float]:
    """Mean seconds of the first and the last tenth of the bundles (each bundle's median)."""
    medians = [statistics.median(times) for times in zip(*per_bundle, strict=True)]
    k = max(1, len(medians) // 10)
    return statistics.fmean(medians[:k]), statistics.fmean(medians[-k:])


def timed(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


def measure(base: Path, n: int, repeats: int, startup: bool) -> dict[str, float]:
    folder = base / f"x{n}"
    template, paths, lead = build(folder, ASSESSORS, CASES_PER_INSPECTION * n // ASSESSORS,
                                  bundles_each=n * CASES_PER_INSPECTION // ASSESSORS
                                  // CASES_PER_BUNDLE)
    cases = CASES_PER_INSPECTION * n
    trusted = trusted_of(template)
    batches = rows_of(paths, lead, trusted)
    imports: list[float] = []
    floors: list[float] = []
    ratios: list[float] = []
    per_bundle: list[list[float]] = []
    floor_bundle: list[list[float]] = []
    for _rep in range(repeats):
        ws = fresh_lead(template, folder / "run")
        receipts = folder / "receipts"
        shutil.rmtree(receipts, ignore_errors=True)
        receipts.mkdir()
        each: list[float] = []
        t = time.perf_counter()
        assert import_all(ws, paths, receipts, each) == cases
        imports.append(time.perf_counter() - t)
        ws.close()
        per_bundle.append(each)
        each = []
        floor = encrypted_floor(template, folder / "floor", batches, each)
        floor += crypto_alone(paths, lead, trusted)
        floor_bundle.append(each)
        floors.append(floor)
        ratios.append(imports[-1] / floor)
    first, last = tenths(per_bundle)
    f_first, f_last = tenths(floor_bundle)
    out = {"import": statistics.median(imports), "floor": statistics.median(floors)}
    print(f"{n:>2}× ({cases:,} cases, {len(paths)} bundles; load {load_average()})")
    print(f"    import {out['import']:.2f} s, {out['import'] / cases * 1000:.1f} ms a case; "
          f"floor {out['floor']:.2f} s; ratio min/median/max {spread(ratios)}×")
    print(f"    per bundle: first tenth {first * 1000:.0f} ms, last tenth {last * 1000:.0f} ms "
          f"({last / first:.2f}×); the floor's {f_first * 1000:.0f} → {f_last * 1000:.0f} ms "
          f"({f_last / f_first:.2f}×)")
    out["flatness"] = last / first
    with fresh_lead(template, folder / "run") as ws:
        import_all(ws, paths, None)
        iid = ws.inspections()[0]["id"]
        cons = [timed(lambda: consolidate(ws, iid, rule=PROVISIONAL)) for _ in range(repeats)]
        qa = [timed(lambda: workspace_findings(ws)) for _ in range(repeats)]
    out["consolidation"], out["qa"] = statistics.median(cons), statistics.median(qa)
    print(f"    consolidation {out['consolidation'] * 1000:.0f} ms ({spread(cons)} s); "
          f"QA checks {out['qa'] * 1000:.0f} ms ({spread(qa)} s)")
    if startup:
        window_shown(folder / "run", PASSPHRASE)  # the file cache warmed once
        shown, empty = [], []
        for _ in range(repeats):
            shown.append(window_shown(folder / "run", PASSPHRASE))
            empty.append(empty_window_shown())
        out["start-up"] = statistics.median(shown)
        ratio = [s / e for s, e in zip(shown, empty, strict=True)]
        print(f"    start-up {out['start-up']:.2f} s ({spread(shown)} s); an empty "
              f"QMainWindow {statistics.median(empty):.2f} s; ratio {spread(ratio)}×")
    shutil.rmtree(folder)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1 and 4, 3 repetitions")
    parser.add_argument("--sizes", default="", help="comma-separated multiples (1,4,16)")
    parser.add_argument("--repeats", type=int, default=0, help="repetitions (default 5)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up figure")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("1,4" if args.quick else "1,4,16")).split(",")]
    repeats = args.repeats or (3 if args.quick else 5)
    base = Path(tempfile.mkdtemp(prefix="tmp-scale-", dir=ROOT / "benchmarks"))
    try:
        describe_machine(base, holds="workspaces")
        print(f"load average at start: {load_average()}; {repeats} runs at each size")
        results = {n: measure(base, n, repeats, not args.no_startup) for n in sizes}
        if len(sizes) > 1:
            print("growth exponents (time against size; 1 = linear, 0 = flat):")
            for key in ("import", "floor", "consolidation", "qa", "start-up"):
                if all(key in r for r in results.values()):
                    e = exponent(sizes, [results[n][key] for n in sizes])
                    print(f"    {key}: {e:.2f}" + (f" (per case {e - 1:+.2f})"
                                                   if key in ("import", "floor") else ""))
        print(f"load average at end: {load_average()}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
