"""Suppression: no hidden cell can be worked out from the totals and the cells shown.

The reader is given what a published line shows: each shown count, the total (or "<5" where it
is small), and each hidden cell's mark — "<5" meaning 1 to 4 cases, "[withheld]" beside a small
cell meaning a count the rule did not need to hide for itself (so 5 or more), and a line with
every group withheld meaning nothing beyond the total. Every filling of the hidden cells that
agrees with all of that is found by brute force; each hidden cell must take two values or more.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.consolidation.suppression import (
    SECONDARY,
    SMALL,
    WHOLE_LINE,
    reason_text,
    suppress_line,
)


def readings(shown: list[int | None], marks: list[str | None], total: int | None,
             total_mark: str | None, t: int) -> list[tuple[int, ...]]:
    """Every line of counts a reader could believe, from what is published."""
    totals = range(1, t) if total_mark == SMALL else [total]
    out = []
    for tot in totals:
        assert tot is not None
        choices = []
        for value, m in zip(shown, marks, strict=True):
            if m is None:
                choices.append([value])
            elif m == SMALL:
                choices.append(list(range(1, t)))
            elif m == SECONDARY:
                choices.append(list(range(t, tot + 1)))
            else:
                choices.append(list(range(tot + 1)))
        out += [combo for combo in itertools.product(*choices) if sum(combo) == tot]
    return out


lines = st.tuples(st.integers(min_value=3, max_value=6),
                  st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5))


@settings(max_examples=400, deadline=None)
@given(lines)
def test_no_hidden_cell_can_be_recovered_from_the_total(case: tuple[int, list[int]]) -> None:
    t, counts = case
    line = suppress_line(counts, t)
    shown = [v if r is None else None for v, r in zip(counts, line.reasons, strict=True)]
    total = None if line.total_reason else line.total
    possible = readings(shown, list(line.reasons), total, line.total_reason, t)
    assert tuple(counts) in possible  # the truth is among the readings
    for i, reason in enumerate(line.reasons):
        if reason is not None:
            assert len({p[i] for p in possible}) >= 2, (counts, t, line.reasons)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_every_small_cell_is_hidden_and_every_hidden_cell_says_why(
        case: tuple[int, list[int]]) -> None:
    t, counts = case
    line = suppress_line(counts, t)
    for v, reason in zip(counts, line.reasons, strict=True):
        if 0 < v < t:
            assert reason is not None
        if reason is not None:
            assert reason_text(reason, t)
    if not any(0 < v < t for v in counts):
        assert line.reasons == (None,) * len(counts)  # nothing hidden that need not be


def test_a_lone_small_group_takes_a_second_with_it() -> None:
    line = suppress_line([30, 12, 2], 5)
    assert line.reasons == (None, SECONDARY, SMALL)
    assert "fewer than 5" in reason_text(SECONDARY, 5)


def test_where_no_second_cell_hides_it_every_group_is_withheld() -> None:
    line = suppress_line([1, 5], 5)  # 1 and 5 of 6: "<5" and a withheld 5 would still pin it
    assert line.reasons == (WHOLE_LINE, WHOLE_LINE)
    assert line.total_reason is None


def test_a_small_total_hides_the_whole_line() -> None:
    line = suppress_line([3, 0, 1], 5)
    assert line.total_reason == SMALL and set(line.reasons) == {WHOLE_LINE}
