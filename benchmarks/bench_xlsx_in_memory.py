"""Writing a workbook from memory against openpyxl's own save through temporary files.

    .venv/bin/python benchmarks/bench_xlsx_in_memory.py [--quick]

The workbooks the app writes are zipped from memory (``hmip_desktop/xlsx_in_memory.py``) so that
no sheet's cells pass through the temporary folder (docs/security.md, "No stray plaintext").
The baseline, in the same run on the same rows, is openpyxl's ``save`` of a write-only workbook,
which streams each sheet to a temporary file and zips it from there. The rows are the size of
the data workbook's answers sheet at the lead's scale: 400 cases of 150 cells. The ratio says
what keeping the sheet in memory costs or saves; the peak memory of each is printed too.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tracemalloc
from pathlib import Path

from harness import load_average, runs, show

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook

from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes

CASES, CELLS = 400, 150


def _rows() -> list[list[object]]:
    rng = random.Random(7)
    return [[f"DEMO-NPS-{i:03d}"] + [rng.choice(("yes", "no", "not applicable", 3, 1.5))
                                     for _ in range(CELLS - 1)] for i in range(CASES)]


def through_temporary_files(rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Answers")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def from_memory(rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = memory_sheet(book, "Answers")
    for row in rows:
        sheet.append(row)
    return xlsx_bytes(book)


def peak_mb(fn: object, rows: list[list[object]]) -> float:
    tracemalloc.start()
    fn(rows)  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    repeats = 3 if parser.parse_args().quick else 9
    rows = _rows()
    print(f"{CASES} rows of {CELLS} cells, {repeats} runs each, load average {load_average()}")
    base, mine = [], []
    for _ in range(repeats):  # interleaved, so both see the same load
        base += runs(lambda: through_temporary_files(rows), 1)
        mine += runs(lambda: from_memory(rows), 1)
    show("openpyxl save, through temporary files (baseline)", base)
    show("zipped from memory (xlsx_bytes)", mine)
    print(f"  ratio, median: {statistics.median(mine) / statistics.median(base):.2f}x the baseline")
    print(f"  peak Python memory: baseline {peak_mb(through_temporary_files, rows):.1f} MB, "
          f"from memory {peak_mb(from_memory, rows):.1f} MB")
    print(f"  load average after: {load_average()}")


if __name__ == "__main__":
    main()
