"""``answer --from`` with 500 answers against the same saves through the service API.

    .venv/bin/python benchmarks/bench_answer_batch.py [--runs N]

Issue 22's targets: the whole command, as its own process (start, unlock, 500 answers, the
commit), ≤ 2 s, and ≤ 3× the baseline: one process that opens the same workspace and calls
``Workspace.save_item`` for the same 500 answers (each its own durable transaction, as the
form saves). Both start from a fresh copy of the same demo workspace in the same folder, with
the product's own connection (same cache, PRAGMAs and key derivation); they alternate, so both
see the same disk and load. Also printed: ``apply_batch`` in-process (the batch without the
process start and the unlock), and the old way for comparison, a few single ``answer``
processes, scaled to 500.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, describe_machine

from hmip_desktop.assessment.batch import apply_batch
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "benchmark passphrase for answers"  # noqa: S105 - invented, for a throwaway file
ANSWERS = 500
CLI = [sys.executable, "-m", "hmip_desktop"]


def make_template(base: Path) -> tuple[Path, list[dict[str, str]]]:
    """The demo workspace, and 500 answers to its not-started cases' prompts ('yes')."""
    template = base / "template"
    env = {**os.environ, "HMIP_PASSPHRASE": PASSPHRASE}
    subprocess.run([*CLI, "demo", "--workspace", str(template)], check=True, env=env,
                   capture_output=True)
    answers: list[dict[str, str]] = []
    with Workspace.open(template, PASSPHRASE) as ws:
        for insp in ws.inspections():
            fw = ws.inspection_framework(insp["id"])
            prompts = [p for p in fw.prompts_by_id if p.startswith("2.")]
            for summary in ws.list_cases(insp["id"]):
                if summary.completeness.answered:
                    continue
                answers += [{"case": summary.case.case_ref, "item": p, "value": "yes"}
                            for p in prompts]
    if len(answers) < ANSWERS:
        raise SystemExit(f"the demo has only {len(answers)} answers to give")
    return template, answers[:ANSWERS]


def fresh(template: Path, base: Path, name: str) -> Path:
    folder = base / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template, folder)
    return folder


def command(folder: Path, batch: Path) -> float:
    env = {**os.environ, "HMIP_PASSPHRASE": PASSPHRASE}
    t = time.perf_counter()
    subprocess.run([*CLI, "answer", "--workspace", str(folder), "--from", str(batch)],
                   check=True, env=env, capture_output=True)
    return time.perf_counter() - t


def service_saves(folder: Path, answers: list[dict[str, str]]) -> float:
    t = time.perf_counter()
    with Workspace.open(folder, PASSPHRASE) as ws:
        ids = {a["case"]: ws.find_case(a["case"]).id for a in answers}
        for a in answers:
            ws.save_item(ids[a["case"]], a["item"], a["value"])
    return time.perf_counter() - t


def in_process(folder: Path, text: str) -> float:
    with Workspace.open(folder, PASSPHRASE) as ws:
        t = time.perf_counter()
        result = apply_batch(ws, text)
        dt = time.perf_counter() - t
    assert result.changed == ANSWERS
    return dt


def single_processes(folder: Path, answers: list[dict[str, str]], n: int) -> float:
    env = {**os.environ, "HMIP_PASSPHRASE": PASSPHRASE}
    t = time.perf_counter()
    for a in answers[:n]:
        subprocess.run([*CLI, "answer", "--workspace", str(folder), a["case"], a["item"],
                        a["value"]], check=True, env=env, capture_output=True)
    return (time.perf_counter() - t) / n * ANSWERS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        base = Path(tmp)
        describe_machine(base)
        template, answers = make_template(base)
        batch = base / "answers.jsonl"
        text = "".join(json.dumps(a) + "\n" for a in answers)
        batch.write_text(text, encoding="utf-8")
        cmd: list[float] = []
        svc: list[float] = []
        inproc: list[float] = []
        for _ in range(runs):
            cmd.append(command(fresh(template, base, "cmd"), batch))
            svc.append(service_saves(fresh(template, base, "svc"), answers))
            inproc.append(in_process(fresh(template, base, "inproc"), text))
        singles = single_processes(fresh(template, base, "single"), answers, 5)
        ratios = sorted(c / s for c, s in zip(cmd, svc, strict=True))
        print(f"\n{ANSWERS} answers, {runs} alternating runs (load average "
              f"{os.getloadavg()[0]:.1f}):")
        print(f"  answer --from, whole process  min {min(cmd):.2f} s  median "
              f"{statistics.median(cmd):.2f} s  max {max(cmd):.2f} s  (target <= 2 s)")
        print(f"  baseline: open + {ANSWERS} save_item  min {min(svc):.2f} s  median "
              f"{statistics.median(svc):.2f} s  max {max(svc):.2f} s")
        print(f"  ratio min {ratios[0]:.2f}x  median {statistics.median(ratios):.2f}x  "
              f"max {ratios[-1]:.2f}x  (target <= 3x)")
        print(f"  apply_batch in-process (no start, no unlock)  median "
              f"{statistics.median(inproc):.2f} s")
        print(f"  the old way: {ANSWERS} single answer processes  about {singles:.0f} s "
              "(5 timed, scaled)")


if __name__ == "__main__":
    main()
