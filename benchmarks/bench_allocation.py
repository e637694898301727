"""Allocating a case sample to the inspection team (``setup.allocation.even_split``).

    .venv/bin/python benchmarks/bench_allocation.py [--quick]

Target (issue: the lead's case sample and allocation): a realistic sample — 250 cases from
seven offices and 90 practitioners, a team of 12 local assessors, 8 assistant inspectors and
the lead and deputy, 15 declared connections — is split in well under 5 s on 2 cores, so the
lead never waits on the allocation screen. A larger sample (1,000 cases, 60 members) shows how
it grows.

A third line is the fieldwork team's case (issue: the fieldwork team and its week): 400 cases
to 20 members with every conflict check on (own office, declared connections, and the same or
a similar name for the practitioner and the person on probation, some of which hit), target
≤ 1 s for the whole allocation. A fourth line is the same team in Wales: a fifth of the
members inspect in Welsh and a tenth of the cases need it, which only they may take.

The baseline, measured in the same run on the same input: a plain greedy allocation that
obeys the same hard rules (no own office, no declared connection, at most each member's
capacity), giving each case in turn to the least busy member who may take it. It is what a
lead would get without the even split's maximum flow: fast, but it may leave cases unplaced
that could have been placed and does not avoid repeated practitioners. Prints the median (and
the worst) of several runs of each and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
from collections import Counter
from dataclasses import replace

from harness import runs, show

from hmip_desktop.setup.allocation import (
    Case,
    Connection,
    Member,
    capacity_of,
    check_allocation,
    default_capacities,
    even_split,
)

TARGET_SECONDS = 5.0
TEAM_TARGET_SECONDS = 1.0
FIRST = ("Alex", "Bailey", "Casey", "Dana", "Eden", "Frankie", "Glen", "Harper", "Indy", "Jules")
SURNAME = ("Quillfeather", "Marrowby", "Thistlecombe", "Pennyfold", "Dovecote", "Ashwillow",
           "Brindlemoor", "Cobblethwaite", "Fernsworth", "Gorseby", "Hollowmere")


def realistic() -> tuple[list[Case], list[Member], list[Connection]]:
    """The sample the allocation test uses (tests/setup/test_allocation.py)."""
    members = [*(Member(f"a{i}", f"A{i}", "assessor", f"O{i % 5}") for i in range(12)),
               *(Member(f"q{i}", f"Q{i}", "qa", f"O{i % 5}", capacity=12) for i in range(8)),
               Member("lead", "Lead", "lead"), Member("dep", "Deputy", "lead")]
    cases = [Case(f"C{i:03d}", f"O{i % 7}", f"P{i % 90}") for i in range(250)]
    return cases, members, [(m.id, c.case_ref) for m in members[:3] for c in cases[:5]]


def large() -> tuple[list[Case], list[Member], list[Connection]]:
    """Four times the cases, three times the team, room for every case."""
    members = [*(Member(f"a{i}", f"A{i}", "assessor", f"O{i % 9}", capacity=16)
                 for i in range(40)),
               *(Member(f"q{i}", f"Q{i}", "qa", f"O{i % 9}", capacity=20) for i in range(18)),
               Member("lead", "Lead", "lead"), Member("dep", "Deputy", "lead")]
    cases = [Case(f"C{i:04d}", f"O{i % 11}", f"P{i % 300}") for i in range(1000)]
    return cases, members, [(m.id, c.case_ref) for m in members[:10] for c in cases[:20]]


def team_of_twenty() -> tuple[list[Case], list[Member], list[Connection]]:
    """400 cases, 20 members with invented names; some practitioners and people share them."""
    members = [Member(f"m{i:02d}", f"{FIRST[i % 10]} {SURNAME[i % 11]}",
                      "assessor" if i < 12 else "qa", f"O{i % 6}", capacity=22)
               for i in range(20)]
    cases = [Case(f"C{i:03d}", f"O{i % 8}", f"{FIRST[i % 10][0]}. {SURNAME[i % 11]}",
                  person_name=f"{FIRST[(i * 7) % 10]} {SURNAME[(i * 3) % 11]}")
             for i in range(400)]
    return cases, members, [(m.id, c.case_ref) for m in members[:4] for c in cases[:10]]


def team_in_wales() -> tuple[list[Case], list[Member], list[Connection]]:
    """The team of 20 where a fifth of the members inspect in Welsh and a tenth of the cases
    need it (Dynamic inspection of public protection guidance manual §5.1)."""
    cases, members, links = team_of_twenty()
    members = [replace(m, languages=("en", "cy")) if i % 5 == 0 else m
               for i, m in enumerate(members)]
    cases = [replace(c, language="cy") if i % 10 == 0 else c for i, c in enumerate(cases)]
    return cases, members, links


def greedy(cases: list[Case], members: list[Member], connections: list[Connection]) -> int:
    """The baseline: each case to the least busy member the hard rules allow; cases placed."""
    table = default_capacities()
    caps = {m.id: capacity_of(m, table) for m in members}
    linked = set(connections)
    load: Counter[str] = Counter()
    placed = 0
    for c in cases:
        able = [m for m in members if load[m.id] < caps[m.id]
                and not (m.office and m.office == c.office) and (m.id, c.case_ref) not in linked
                and c.language in m.languages]
        if able:
            load[min(able, key=lambda m: (load[m.id], m.id)).id] += 1
            placed += 1
    return placed


def measure(name: str, sample: tuple[list[Case], list[Member], list[Connection]],
            repeats: int, target: float = TARGET_SECONDS) -> None:
    cases, members, links = sample
    print(f"{name}: {len(cases)} cases, {len(members)} members, {len(links)} connections")
    base = runs(lambda: greedy(cases, members, links), repeats)
    show("baseline: greedy, least busy member first", base)
    split = runs(lambda: even_split(cases, members, links), repeats)
    show("even_split (maximum flow, even, fewest repeats)", split)
    got = even_split(cases, members, links)
    hard = [v for v in check_allocation(got, links) if not v.soft and v.kind != "unallocated"]
    assert not hard, hard  # a fast answer that broke a rule would prove nothing
    repeats_left = sum(v.soft for v in check_allocation(got, links))
    median = statistics.median(split)
    print(f"  placed: even_split {len(got.assignments)}, greedy {greedy(cases, members, links)}"
          f"; repeated practitioners left: {repeats_left}; conflict hits shown: "
          f"{len(got.conflicts)}")
    print(f"  ratio even_split / greedy: {median / statistics.median(base):.1f}; "
          f"even_split {median:.3f} s (target ≤ {target:g} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    repeats = 3 if args.quick else 11
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    measure("realistic sample", realistic(), repeats)
    measure("large sample", large(), max(3, repeats // 3))
    measure("team of 20, every conflict check", team_of_twenty(), repeats, TEAM_TARGET_SECONDS)
    measure("team of 20 in Wales, every check and Welsh cases", team_in_wales(), repeats,
            TEAM_TARGET_SECONDS)


if __name__ == "__main__":
    main()
