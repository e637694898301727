"""Saving an answer with the check that its item applies to the case (``answer`` on the CLI).

    .venv/bin/python benchmarks/bench_answer.py [--quick]

Issue 22 point 6: ``answer`` warns when an item does not apply to the case, or with
``--strict`` refuses it; ``assessment.applicability.save_answer`` reads the case and judges
its applicability before the save. The baseline, in the same run on the same demo workspace:
``Workspace.save_item``, the save alone, which the form and the earlier ``answer`` used. Each
round saves the same prompts of one case (yes, then no, so every save is a change) through
each path, alternately, on two cases of the same sample. Prints the median time per save of
each path, their ratio and the load average beside them (the machine is shared).

The ratio is what a batch of answers would pay for the check in one process; a single
``answer`` command also derives the workspace key (0.1–0.15 s of CPU), beside which the check
is lost.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from harness import describe_machine, load_average

from hmip_desktop.assessment.applicability import save_answer
from hmip_desktop.store.demo import create_demo

PASSPHRASE = "bench answer passphrase, invented"  # noqa: S105 - invented, throwaway
CASES = ("DEMO-NPS-004", "DEMO-NPS-005")  # not started, supervision sample


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    rounds = 3 if args.quick else 9
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        describe_machine(Path(tmp), holds="the demo workspace")
        with create_demo(folder, PASSPHRASE) as ws:
            fw = ws.read_assessment(CASES[0]).framework
            prompts = [p.id for kq in fw.case_key_questions() for p in kq.prompts
                       if not p.id.startswith("3.")][:40]
            ids = [ws.find_case(ref).id for ref in CASES]
            plain: list[float] = []
            checked: list[float] = []
            for n in range(rounds):
                value = "yes" if n % 2 == 0 else "no"
                t = time.perf_counter()
                for item in prompts:
                    ws.save_item(ids[0], item, value)
                plain.append((time.perf_counter() - t) / len(prompts))
                t = time.perf_counter()
                for item in prompts:
                    save_answer(ws, CASES[1], item, value)
                checked.append((time.perf_counter() - t) / len(prompts))
    base, mine = statistics.median(plain), statistics.median(checked)
    print(f"{len(prompts)} saves a round, {rounds} rounds; load average {load_average()}")
    print(f"  baseline: Workspace.save_item            median {base * 1000:6.2f} ms a save")
    print(f"  save_answer (applicability checked)      median {mine * 1000:6.2f} ms a save")
    print(f"  ratio {mine / base:.2f}x the save alone")


if __name__ == "__main__":
    main()
