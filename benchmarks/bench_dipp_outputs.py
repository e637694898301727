"""The DIPP outputs for 400 cases: the key-question table per PDU with the region. Target ≤ 0.3 s.

    .venv/bin/python benchmarks/bench_dipp_outputs.py [--quick]

Builds an encrypted lead workspace holding one DIPP inspection of 400 cases in eight PDUs (the
tests' generated cases: most complete, some in progress, excluded, conflicted or untouched),
then prints, each the median (and the worst) of several runs on the open workspace:

- ``pdu_tables``: cases read, the items that matter read, the rules evaluated, the counts per
  PDU and for the region (what the Tables tab's By PDU view and ``pdu-tables`` show);
- the baseline in the same run: ``SELECT c.pdu, i.item, i.value, count(*) … GROUP BY c.pdu,
  i.item, i.value`` over the same inspection's key-question answers, nothing worked out;
- the linked case data (``linked_case_data``: a consolidation and its prompt counts), and the
  findings per question (``report_lines``), which the window computes in the same job;

and the ratio of ``pdu_tables`` to the baseline, paired run by run, with the load average.
The workspace lives in a temporary folder under benchmarks/ and is removed at the end.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' case builders

from hmip_desktop.consolidation.pdu_tables import pdu_tables  # noqa: E402
from hmip_desktop.findings.case_links import linked_case_data  # noqa: E402
from hmip_desktop.findings.report import report_lines  # noqa: E402
from hmip_desktop.frameworks import load_framework  # noqa: E402
from hmip_desktop.store.workspace import Workspace  # noqa: E402
from tests.consolidation.builders import (  # noqa: E402
    PASSPHRASE,
    add_inspection,
    generated_cases,
    lead_workspace,
)

CASES = 400
PDUS = [f"PDU {name}" for name in ("Ashford", "Brindle", "Cobb", "Dove", "Elm", "Fern",
                                   "Gorse", "Holt")]


def build(folder: Path) -> tuple[Workspace, str]:
    fw = load_framework("dipp-2025")
    rng = random.Random(2025)
    cases = generated_cases(fw, rng, CASES)
    for i, c in enumerate(cases):
        c.pdu = PDUS[i % len(PDUS)]
    ws = lead_workspace(folder)
    iid = add_inspection(ws, fw.id, cases, title="Benchmark region").iid
    ws.close()
    return Workspace.open(folder, PASSPHRASE), iid


def group_by(ws: Workspace, iid: str, kqs: tuple[str, ...]) -> int:
    total = 0
    for _pdu, _item, _value, n in ws._conn.execute(
            "SELECT c.pdu, i.item, i.value, count(*) FROM cases c JOIN items i"
            " ON i.case_id = c.id WHERE c.inspection_id = ?"
            f" AND i.item IN ({','.join('?' * len(kqs))}) GROUP BY c.pdu, i.item, i.value",
            (iid, *kqs)):
        total += n
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    repeats = 5 if parser.parse_args().quick else 15
    folder = Path(tempfile.mkdtemp(prefix="bench-dipp-", dir=ROOT / "benchmarks"))
    try:
        describe_machine(folder, holds="the workspace")
        ws, iid = build(folder / "lead")
        kqs = tuple(k.id for k in load_framework("dipp-2025").case_key_questions())
        with ws:
            pdu_tables(ws, iid)  # the first call parses the stored framework
            print(f"{CASES} cases in {len(PDUS)} PDUs; load average before: {load_average()}")
            tables_t, base_t = [], []
            for _ in range(repeats):  # paired, run by run
                tables_t += runs(lambda: pdu_tables(ws, iid), 1)
                base_t += runs(lambda: group_by(ws, iid, kqs), 1)
            show("pdu_tables (per PDU and the region)", tables_t)
            show("baseline: SQL GROUP BY pdu, item, value", base_t)
            show("linked case data (consolidate + prompt counts)",
                 runs(lambda: linked_case_data(ws, iid), repeats))
            show("findings per question (report_lines)", runs(lambda: report_lines(ws, iid),
                                                              repeats))
            ratio = statistics.median(t / b for t, b in zip(tables_t, base_t, strict=True))
            median = statistics.median(tables_t)
            print(f"pdu_tables median {median * 1000:.0f} ms (target <= 300 ms: "
                  f"{'met' if median <= 0.3 else 'NOT met'}); ratio to the GROUP BY baseline "
                  f"{ratio:.2f}; load average after: {load_average()}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
