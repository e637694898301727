"""Drawing a case sample from a large long list (``sampling.draw``).

    .venv/bin/python benchmarks/bench_sampling_draw.py [--quick]

Target (issue 14, the case sample): a 50,000-row long list imported, checked and
stratified, with the provisional and final lists drawn, in at most 2 s and at most 3× the
time of reading the same file with ``csv`` plus one sort. This script times the draw's share
of that: 50,000 eligible candidates in 12 strata (gender × sentence type × RoSH level), 12
PDUs and 2,000 practitioners; a final sample of 148 (the largest domain two sample in
Probation inspections external guidance manual §4.1), the provisional list 20% larger, at
least 5 cases per PDU and at most one per practitioner, each stratum spread across PDUs.

The baseline, in the same run on the same input: one ``sorted()`` over the same 50,000 case
ids. Prints the median (and the worst) of several runs of each and the ratio of the medians;
then the same draw without the stage-1 spread and without constraints, and the keyed order
alone, to show where the time goes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics

from harness import runs, show

from hmip_desktop.sampling.draw import DrawRequest, draw, keyed_order
from hmip_desktop.sampling.model import Candidate, Constraints

TARGET_SECONDS = 2.0
SIZE, FINAL, SEED = 50_000, 148, 20260729


def long_list() -> list[Candidate]:
    """Invented candidates with realistic proportions."""
    rng = random.Random(7)
    return [Candidate(f"X{rng.randrange(10**6):06d}{i:05d}",
                      (rng.choices(("Male", "Female"), (85, 15))[0],
                       rng.choices(("Community", "Post-custody"), (65, 35))[0],
                       rng.choices(("Low", "Medium", "High/very high"), (30, 50, 20))[0]),
                      f"PDU {rng.randrange(12):02d}", f"Practitioner {rng.randrange(2000):04d}")
            for i in range(SIZE)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    repeats = 3 if args.quick else 9
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    cands = long_list()
    ids = [c.case_id for c in cands]
    full = DrawRequest(cands, FINAL, SEED, Constraints(min_per_pdu=5, max_per_practitioner=1),
                       spread=True)
    print(f"{SIZE:,} candidates, final sample {FINAL}, seed {SEED}")
    base = runs(lambda: sorted(ids), repeats)
    show("baseline: sorted() over the case ids", base)
    timed = runs(lambda: draw(full), repeats)
    show("draw: spread, min 5 per PDU, max 1 per practitioner", timed)
    show("draw: no spread, no constraints",
         runs(lambda: draw(DrawRequest(cands, FINAL, SEED)), repeats))
    show("keyed order alone (HMAC-SHA256 of each id, sorted)",
         runs(lambda: keyed_order(SEED, ids), repeats))
    got = draw(full)
    print(f"  final {len(got.final)}, provisional {len(got.provisional)}, "
          f"adjustments {len(got.adjustments)}, unmet {len(got.unmet)}")
    median = statistics.median(timed)
    print(f"  ratio draw / sorted(): {median / statistics.median(base):.1f}; "
          f"draw {median:.3f} s (target < {TARGET_SECONDS:.0f} s for the whole chain)")


if __name__ == "__main__":
    main()
