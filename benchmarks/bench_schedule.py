"""Allocating and scheduling a large case sample within the framework's week.

    .venv/bin/python benchmarks/bench_schedule.py [--quick]

Target (issue 15, "Speed"): allocating and scheduling 400 cases for 20 members, with all the
checks, takes at most 1 s. The week is the NPS framework's (Monday-afternoon start, the
observation, the QA lunchtimes, the Friday debrief, the domain-one meetings), with five
interviews a day allowed so that 22 cases a member fit into one week (the lead and deputy take
four each, 000 §5.1); a third of the cases are court reports read from file. "All the checks"
means the allocation's (own office, declared connections, capacity, repeated practitioners) and
the week's (fieldwork hours, the Monday morning, one member in two places at once) on the
result.

The baseline, measured in the same run on the same input, is the even split alone
(``even_split``, no week): the ratio says what the week costs on top of the allocation. The
processor time of the full run is printed too, with the load average, because on a shared
machine the wall-clock time says more about the other processes than about this one.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time
from datetime import date

from harness import runs, show

from hmip_desktop.frameworks import load_framework
from hmip_desktop.setup.allocation import Case, Member, check_allocation, even_split
from hmip_desktop.setup.week import check_week, plan_week

TARGET_SECONDS = 1.0
MONDAY = date(2026, 11, 23)


def sample() -> tuple[list[Case], list[Member], list[tuple[str, str]]]:
    members = [*(Member(f"a{i}", f"Assessor {i}", "assessor", f"O{i % 5}", capacity=22)
                 for i in range(12)),
               *(Member(f"q{i}", f"Inspector {i}", "qa", f"O{i % 5}", capacity=22)
                 for i in range(6)),
               Member("lead", "Lead", "lead"), Member("dep", "Deputy", "deputy")]
    cases = [Case(f"C{i:03d}", f"O{i % 7}", f"P{i % 150}",
                  {"sample": "court_report" if i % 3 == 2 else "supervision"})
             for i in range(400)]
    return cases, members, [(m.id, c.case_ref) for m in members[:3] for c in cases[:5]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    repeats = 3 if args.quick else 11
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    rules = load_framework("nps-2019-20").schedule
    assert rules is not None
    rules = dataclasses.replace(rules, interviews_per_day=5)
    cases, members, links = sample()
    names = {m.id: m.name for m in members}
    capacities = {"deputy": 4}

    def split_only() -> object:
        return even_split(cases, members, links, capacities=capacities)

    def allocate_and_schedule() -> tuple[int, int, int]:
        allocation = even_split(cases, members, links, capacities=capacities)
        hard = [v for v in check_allocation(allocation, links, capacities=capacities)
                if not v.soft]
        plan = plan_week(rules, allocation, MONDAY)
        problems = check_week(rules, plan.days, plan.entries, names)
        return len(hard), len(problems), len(plan.unscheduled)

    print(f"{len(cases)} cases, {len(members)} members, {len(links)} connections")
    base = runs(split_only, repeats)
    show("baseline: even_split alone", base)
    full = runs(allocate_and_schedule, repeats)
    show("even_split + checks + the week (interviews, events, meetings)", full)
    hard, problems, unscheduled = allocate_and_schedule()
    assert hard == problems == unscheduled == 0, (hard, problems, unscheduled)
    cpu = []
    for _k in range(repeats):
        t = time.process_time()
        allocate_and_schedule()
        cpu.append(time.process_time() - t)
    print(f"  processor time of the full run: median {statistics.median(cpu) * 1000:.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    median = statistics.median(full)
    print(f"  ratio with the week / even_split alone: {median / statistics.median(base):.2f}; "
          f"with the week {median:.3f} s (target <= {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
