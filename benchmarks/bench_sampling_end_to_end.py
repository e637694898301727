"""The case sample end to end on a 50,000-case long list, against ``csv`` plus one sort.

    .venv/bin/python benchmarks/bench_sampling_end_to_end.py [--rows N] [--repeats N] [--profile]

Set-up (not timed): a generated NPS primary long list of 50,000 invented cases as CSV
(``tests/sampling/longlists.py``), and a lead's workspace with an inspection whose size table
row is 100 cases, copied and unlocked afresh for each repetition.

Timed, as ``hmip-desktop sample …`` runs them (``hmip_desktop.sampling.service``):

- import: ``import_longlist``: read the file, check every row (columns, types, window,
  repeats, inconsistencies), flag exclusions, stratify, and store every row (one transaction,
  audited);
- provisional: ``draw_provisional``: read the stored list back, apply the exclusions, allocate
  to strata, the keyed order, constraints, the provisional list 20% larger, stored;
- final: ``finalise`` from a returned list (imported untimed): the final sample and reserves,
  stored, and the final cases added to the inspection.

Baseline, in the same run: ``csv.reader`` over the same file, every row kept, and one
``sorted`` of the rows by case reference; also the same with the cyclic garbage collector
paused, as the service pauses it while a whole long list is in memory. Targets (issue 14): end
to end ≤ 2 s and ≤ 3 × the baseline.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import describe_machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the generator lives in tests/

from hmip_desktop.sampling import provisional_file, service  # noqa: E402
from hmip_desktop.shipped_files import resource  # noqa: E402
from hmip_desktop.store.workspace import Workspace  # noqa: E402
from tests.sampling.longlists import FIELDWORK, generate, kind_of, write_csv  # noqa: E402

PASSPHRASE = "benchmark passphrase for sampling"  # noqa: S105 - invented, throwaway files
KIND = "primary"


def baseline(path: Path, *, paused: bool = False) -> float:
    """``csv.reader`` over the file, every row kept, one sort; ``paused``: the cyclic garbage
    collector off meanwhile, as the service pauses it for a whole long list."""
    if paused:
        gc.disable()
    try:
        t = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        sorted(rows[1:], key=lambda r: r[0])
        return time.perf_counter() - t
    finally:
        gc.enable()


def returned(exported: Path, out: Path) -> Path:
    import openpyxl  # noqa: PLC0415

    book = openpyxl.load_workbook(exported)
    sheet = book.worksheets[0]
    head = [c.value for c in sheet[1]]
    for n in range(2, sheet.max_row + 1):
        sheet.cell(n, head.index(provisional_file.AVAILABLE) + 1, "no" if n % 9 == 0 else "yes")
        sheet.cell(n, head.index(provisional_file.CONSENT) + 1, "yes")
    book.save(out)
    return out


def one_run(template: Path, work: Path, longlist: Path, n: int) -> dict[str, float]:
    folder = work / f"run{n}"
    shutil.copytree(template, folder)
    out: dict[str, float] = {}
    with Workspace.open(folder, PASSPHRASE) as ws:
        iid = ws.inspections()[0]["id"]
        t = time.perf_counter()
        service.import_longlist(ws, iid, KIND, longlist)
        out["import"] = time.perf_counter() - t
        t = time.perf_counter()
        service.draw_provisional(ws, iid, KIND, "20260907")
        out["provisional"] = time.perf_counter() - t
        exported = service.export_provisional(ws, iid, KIND, work / f"prov{n}.xlsx")
        service.import_returned(ws, iid, KIND, returned(exported, work / f"back{n}.xlsx"))
        t = time.perf_counter()
        service.finalise(ws, iid, KIND)
        out["final"] = time.perf_counter() - t
    shutil.rmtree(folder)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        work = Path(tmp)
        describe_machine(work, holds="workspaces and the long list")
        longlist = write_csv(generate(kind_of("nps-2019-20", KIND), args.rows),
                             work / "longlist.csv")
        print(f"long list: {args.rows:,} cases, {longlist.stat().st_size / 1e6:.1f} MB CSV")
        template = work / "template"
        with Workspace.create(template, PASSPHRASE, owner_name="Jules Pennyfold",
                              role="lead") as ws:
            ws.create_inspection(
                title="Benchmark", organisation="Wales",
                framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes(),
                fieldwork_start=FIELDWORK.isoformat())
        totals, bases, paused, phases = [], [], [], []
        for n in range(args.repeats):
            bases.append(baseline(longlist))
            paused.append(baseline(longlist, paused=True))
            phase = one_run(template, work, longlist, n)
            phases.append(phase)
            totals.append(sum(phase.values()))
        def spread(values: list[float]) -> str:
            return (f"median {statistics.median(values):6.2f} s "
                    f"(min {min(values):.2f}, max {max(values):.2f})")

        for name in ("import", "provisional", "final"):
            print(f"  {name:<12} {spread([p[name] for p in phases])}")
        total, base = statistics.median(totals), statistics.median(bases)
        print(f"  end to end   {spread(totals)} (target ≤ 2 s)")
        quiet = statistics.median(paused)
        print(f"  baseline     {spread(bases)} (csv.reader, every row, one sort)")
        print(f"  baseline     {spread(paused)} (the same, garbage collector paused)")
        print(f"  ratio {total / base:.1f} × the baseline, {total / quiet:.1f} × the paused one "
              "(target ≤ 3 ×); each run against its own baseline: "
              f"{min(t / b for t, b in zip(totals, bases, strict=True)):.1f}–"
              f"{max(t / b for t, b in zip(totals, bases, strict=True)):.1f} ×")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            one_run(template, work, longlist, args.repeats)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
