"""Sub-group tables and the publishable workbook for an inspection of 400 cases.

    .venv/bin/python benchmarks/bench_publication.py [--quick]

Targets (issue 19, "Speed"): the sub-group tables for 400 cases in at most 0.3 s; the
publishable workbook written in at most 2 s. Each is read against a baseline measured in the
same run on the same workspace:

- sub-groups: ``subgroup_tables`` on a consolidation the Tables tab already holds (what the
  window adds to each consolidation), and against it a plain SQL ``GROUP BY`` of the same cases'
  key-question judgements by one fact's value (``json_extract`` of the facts), once per
  reportable fact;
- the workbook: ``write_publishable_workbook`` (consolidate, prompt counts, sub-groups,
  suppression, XLSX in memory, atomic write), and against it openpyxl writing the same cells
  (the rows ``publishable_sheets`` gives) in write-only mode to a file.

The workspace (one DIPP inspection of 400 generated cases, all four reportable facts filled)
lives in a temporary folder under benchmarks/ and is removed at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from harness import describe_machine, load_average, runs, show

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hmip_desktop.consolidation.publication import (
    publishable_sheets,
    write_publishable_workbook,
)
from hmip_desktop.consolidation.subgroups import subgroup_tables
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.store.demo import optional_facts
from hmip_desktop.store.tables import connection
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace

CASES = 400


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    repeats = 5 if parser.parse_args().quick else 15
    folder = Path(tempfile.mkdtemp(prefix="bench-publication-", dir=Path(__file__).parent))
    try:
        describe_machine(folder)
        ws = lead_workspace(folder / "lead")
        fw_name = "dipp-2025"
        from hmip_desktop.frameworks import load_framework  # noqa: PLC0415

        fw = load_framework(fw_name)
        rng = random.Random(19)
        cases = generated_cases(fw, rng, CASES)
        for c in cases:
            c.facts = {**c.facts, **optional_facts(fw, rng)}
        built = add_inspection(ws, fw_name, cases, title="Benchmark region")
        c = consolidate(ws, built.iid)
        print(f"load average {load_average()}; {c.cases} of {CASES} cases counted")

        kq_ids = [r.kq_id for t in c.tables for r in t.rows]
        marks = ",".join("?" * len(kq_ids))

        def group_by() -> None:
            for fact in fw.publication.sub_groups:
                connection(ws).execute(
                    f"SELECT json_extract(c.facts, '$.{fact}'), i.item, i.value, count(*)"
                    " FROM cases c JOIN items i ON i.case_id = c.id"
                    f" WHERE c.inspection_id = ? AND i.item IN ({marks})"
                    " GROUP BY 1, 2, 3", (built.iid, *kq_ids)).fetchall()

        base = runs(group_by, repeats)
        groups = runs(lambda: subgroup_tables(ws, c), repeats)
        show("baseline: GROUP BY fact value, item, value (4 facts)", base)
        show("subgroup_tables (4 facts, every key question)", groups)
        print(f"  ratio sub-groups / GROUP BY: "
              f"{statistics.median(groups) / statistics.median(base):.2f}")

        sheets = publishable_sheets(ws, c)
        out = folder / "out"
        out.mkdir()

        def openpyxl_same_cells() -> None:
            from openpyxl import Workbook  # noqa: PLC0415

            wb = Workbook(write_only=True)
            for title, (header, rows) in sheets.items():
                sheet = wb.create_sheet(title)
                sheet.append(list(header))
                for row in rows:
                    sheet.append(list(row))
            wb.save(out / "plain.xlsx")

        plain = runs(openpyxl_same_cells, repeats)
        book = runs(lambda: write_publishable_workbook(ws, built.iid, out / "published.xlsx"),
                    repeats)
        show("baseline: openpyxl writing the same cells", plain)
        show("write_publishable_workbook (from the store)", book)
        print(f"  ratio publishable workbook / openpyxl: "
              f"{statistics.median(book) / statistics.median(plain):.2f}")
        print(f"  targets: sub-groups {statistics.median(groups):.3f} s (≤ 0.3 s), "
              f"workbook {statistics.median(book):.3f} s (≤ 2 s); load average {load_average()}")
        ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
