"""Building the largest shipped framework from its workbook.

    .venv/bin/python benchmarks/bench_framework_build.py [--quick]

Target (issue 17, "Speed"): building the largest framework from its workbook takes at most
1 s. The largest framework is the one whose file is largest (CRC). Its workbook is written by
``framework export`` once; each run then does what ``framework build`` does, short of writing
the file: check the file's size and its zip directory, read every sheet with openpyxl in
read-only mode, check every cell, build the framework file's content and validate it with the
loader.

A third timing builds the same framework as a new edition superseding the shipped one (the
Framework sheet's edition and supersedes rows added, every item continuing the old item of its
id), as ``build`` does when the old edition is at hand: the mapping is checked too
(``edition_mapping.mapping_faults``, each fault named by its cell).

The baseline, measured in the same run on the same workbook, is openpyxl alone reading every
cell of every sheet in read-only mode: the ratio says what the checks and the building cost on
top of reading the workbook at all. The load average is printed beside the times, because the
machine is shared.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import tempfile
import time
from pathlib import Path

import openpyxl
from harness import runs, show

from hmip_desktop.frameworks import available_frameworks
from hmip_desktop.frameworks.edition_mapping import shipped_edition
from hmip_desktop.frameworks.workbook_build import build_framework_data
from hmip_desktop.frameworks.workbook_read import read_workbook
from hmip_desktop.frameworks.workbook_write import write_framework_workbook
from hmip_desktop.shipped_files import resource
from hmip_desktop.strict_json import parse_json

TARGET_SECONDS = 1.0


def openpyxl_alone(path: Path) -> int:
    """Every cell of every sheet, read the way the builder reads them: the baseline."""
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True,
                                  keep_links=False)
    n = 0
    try:
        for ws in book.worksheets:
            for row in ws.iter_rows():
                n += sum(1 for c in row if getattr(c, "value", None) is not None)
    finally:
        book.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    repeats = 3 if args.quick else 11
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    largest = max(available_frameworks(),
                  key=lambda fw: len(resource("frameworks", f"{fw.id}.json").read_bytes()))
    data = parse_json(resource("frameworks", f"{largest.id}.json").read_bytes())
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / f"{largest.id}.xlsx"
        write_framework_workbook(data, book)
        _built, fw = build_framework_data(read_workbook(book))
        assert fw.hash == largest.hash, "the workbook must build the same framework"
        edition = Path(folder) / f"{largest.id}-next.xlsx"
        write_framework_workbook({**data, "edition": "next", "supersedes": {
            "id": largest.id, "edition": largest.edition}}, edition)
        _built, next_fw = build_framework_data(read_workbook(edition), shipped_edition)
        assert next_fw.supersedes is not None and shipped_edition(next_fw.supersedes) is largest
        cells = openpyxl_alone(book)
        print(f"framework: {largest.id} ({len(largest.prompts_by_id)} prompts, "
              f"{len(largest.key_questions_by_id)} key questions); workbook "
              f"{book.stat().st_size / 1024:.0f} KB, {cells:,} filled cells")
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        cpu = time.process_time()
        base, build, mapped = [], [], []
        for _ in range(repeats):  # interleaved, so all see the same load
            base += runs(lambda: openpyxl_alone(book), 1)
            build += runs(lambda: build_framework_data(read_workbook(book)), 1)
            mapped += runs(lambda: build_framework_data(read_workbook(edition),
                                                        shipped_edition), 1)
        cpu = time.process_time() - cpu
        show("baseline: openpyxl alone reading every cell", base)
        show("framework build (read, check, build, validate)", build)
        show("framework build of a new edition, mapping checked", mapped)
        ratio = sorted(build)[len(build) // 2] / sorted(base)[len(base) // 2]
        median = max(sorted(build)[len(build) // 2], sorted(mapped)[len(mapped) // 2])
        print(f"ratio build / openpyxl alone: {ratio:.2f}")
        print(f"ratio new edition's build / openpyxl alone: "
              f"{sorted(mapped)[len(mapped) // 2] / sorted(base)[len(base) // 2]:.2f}")
        print(f"processor time of all runs: {cpu:.2f} s; load average after: "
              f"{os.getloadavg()[0]:.1f}")
        print(f"target ≤ {TARGET_SECONDS:.1f} s: "
              f"{'met' if median <= TARGET_SECONDS else 'NOT met'} ({median * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
