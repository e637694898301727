"""Many generated assessments with many seeded faults: every fault found, nothing else.

Each case starts clean with a realistic mix of answers (tests/qa/builders.py) in any
framework, sample and recorded levels; then faults are seeded on distinct key questions and
at case level, each stating the findings it must produce. The checks must report exactly
those, no more and no fewer.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.frameworks import current_frameworks
from hmip_desktop.qa.checks import CHECKS, CHECKS_BY_NAME, run_checks, run_checks_many
from tests.qa.builders import Seeded, build, facts_for, seed_faults

FRAMEWORKS = current_frameworks()  # a superseded edition's checks are the same


def _seeded(seed: int, kq_faults: int, case_faults: int) -> Seeded:
    rng = random.Random(seed)
    fw = FRAMEWORKS[seed % len(FRAMEWORKS)]
    clean = build(fw, facts_for(fw, rng), rng, case_ref=f"GEN-{seed:06d}")
    assert run_checks(clean) == []
    return seed_faults(clean, rng, kq_faults=kq_faults, case_faults=case_faults)


CASE_LEVEL = ("alert_not_acknowledged", "complete_with_open_queries")


def _stopped(s: Seeded, seed: int) -> Seeded:
    """Every tenth case: a conflict or a 'should have been excluded' hides the form's faults."""
    if seed % 10 == 0:
        items = {**s.case.items, "record:conflict_declared": "yes"}
        first = ("conflict_of_interest", "record:conflict_declared")
    elif seed % 10 == 5:
        items = {**s.case.items, "record:excluded": "yes"}
        items.pop("record:excluded_reason", None)
        first = ("excluded_without_reason", "record:excluded_reason")
    else:
        return s
    return Seeded(replace(s.case, items=items),
                  [first, *(e for e in s.expected if e[0] in CASE_LEVEL)])


def test_a_large_seeded_batch_finds_every_fault_and_nothing_else() -> None:
    seen: Counter[str] = Counter()
    total = 0
    for seed in range(400):
        s = _stopped(_seeded(seed, kq_faults=random.Random(seed).randint(0, 8),
                             case_faults=seed % 5), seed)
        findings = run_checks(s.case)
        got = sorted((f.check, f.item) for f in findings)
        assert got == sorted(s.expected), f"seed {seed}"
        for f in findings:
            assert f.severity == CHECKS_BY_NAME[f.check].severity
            assert f.case_ref == s.case.case_ref
        seen.update(check for check, _item in s.expected)
        total += len(s.expected)
    assert total > 1000
    assert {c.name for c in CHECKS if seen[c.name] < 10} == set(), seen


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**31), kq_faults=st.integers(0, 12),
       case_faults=st.integers(0, 4))
def test_any_seeded_faults_are_found_exactly(seed: int, kq_faults: int,
                                             case_faults: int) -> None:
    s = _seeded(seed, kq_faults, case_faults)
    assert sorted((f.check, f.item) for f in run_checks(s.case)) == sorted(s.expected)


def test_checking_many_cases_is_checking_each() -> None:
    cases = [_seeded(seed, 4, 2).case for seed in range(20)]
    assert run_checks_many(cases) == [f for c in cases for f in run_checks(c)]
