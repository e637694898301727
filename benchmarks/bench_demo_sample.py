"""The lead's demo with its case sample, against the same demo without it.

    .venv/bin/python benchmarks/bench_demo_sample.py [--repeats N]

``hmip-desktop demo --role lead`` makes a whole demo team by a real exchange
(``exchange/demo_team.py``); the lead's workspace also gets a generated long list imported and
a provisional list drawn (``sampling/demo_sample.py``). Timed: ``create_team_demo`` as the
command runs it, alternately with the case sample and with it left out (the baseline, in the
same run), each in a fresh folder. Target (issue 14): the case sample adds at most 1 s.
Wall-clock and CPU (user + system) medians, since the machine may be shared; and the step
alone, timed inside the demo (the difference of two whole demos is within their noise).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from harness import describe_machine

from hmip_desktop.exchange import demo_team
from hmip_desktop.sampling import demo_sample

PASSPHRASE = "benchmark demo passphrase, invented"  # noqa: S105 - synthetic demo data


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


STEP: list[float] = []  # the case sample step alone, inside each demo that has it


def _timed_step(*args: object) -> object:
    start = time.perf_counter()
    try:
        return demo_sample.draw_demo_sample(*args)  # type: ignore[arg-type]
    finally:
        STEP.append(time.perf_counter() - start)


def _once(folder: Path, with_sample: bool) -> tuple[float, float]:
    demo_team.draw_demo_sample = (  # type: ignore[assignment]
        _timed_step if with_sample else (lambda *_a: None))
    wall, cpu = time.perf_counter(), _cpu()
    demo_team.create_team_demo(folder, PASSPHRASE)
    return time.perf_counter() - wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    root = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    describe_machine(root)
    try:
        for n in range(args.repeats):
            for with_sample in (False, True):
                times[with_sample].append(_once(root / f"{n}-{with_sample}", with_sample))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for with_sample, label in ((False, "demo without the case sample (baseline)"),
                               (True, "demo with the case sample")):
        wall = statistics.median(t[0] for t in times[with_sample])
        cpu = statistics.median(t[1] for t in times[with_sample])
        print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    extra_wall = (statistics.median(t[0] for t in times[True])
                  - statistics.median(t[0] for t in times[False]))
    extra_cpu = (statistics.median(t[1] for t in times[True])
                 - statistics.median(t[1] for t in times[False]))
    ratio = statistics.median(t[0] for t in times[True]) / statistics.median(
        t[0] for t in times[False])
    print(f"the case sample step alone (long list generated, imported, drawn): "
          f"{statistics.median(STEP):.2f} s")
    print(f"the case sample adds {extra_wall:+.2f} s wall, {extra_cpu:+.2f} s CPU "
          f"(ratio {ratio:.2f} x); target: at most +1 s")


if __name__ == "__main__":
    main()
