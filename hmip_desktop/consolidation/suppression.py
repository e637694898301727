"""Suppression of small cells in published tables, so that no one is identifiable from them.

A published cell is a count of cases (an inspection's, a sub-group's, a PDU's). Under the
framework's rule (``Framework.publication.threshold``, 5 where the file names none):

- **primary:** a cell of at least one case and fewer than the threshold is shown as "<5";
- **secondary:** a line of cells published with its total (the groups of one key question and
  "All cases") must not let a reader work a suppressed cell out from the total and the cells
  shown. Knowing that a "<5" cell holds 1 to 4 cases and that a cell withheld beside it holds
  at least 5 (else it would be "<5"), the reader can narrow each suppressed cell to a range;
  cells are withheld, smallest first, until every suppressed cell's range holds two values or
  more. Where even that fails, every group of the line is withheld, zeros included, so that
  only the total is known.

A total itself under the threshold is "<5", with every group of its line withheld. A zero is
shown: it names no one. The internal view (the lead's tables, the full workbook) is never
suppressed; every publishable output is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hmip_desktop.i18n import _

SMALL = "small"
"""Fewer cases than the threshold (and at least one): shown as "<5"."""
SECONDARY = "secondary"
"""Withheld so that a small cell cannot be worked out from the total."""
WHOLE_LINE = "whole_line"
"""Every group of the line withheld: none could be shown without revealing a small one."""
REASONS = (SMALL, SECONDARY, WHOLE_LINE)


@dataclass(frozen=True)
class SuppressedLine:
    """One line's cells as published: each cell's reason for being hidden, None when shown."""

    counts: tuple[int, ...]
    total: int
    reasons: tuple[str | None, ...]
    total_reason: str | None
    threshold: int

    def shown(self, i: int) -> bool:
        return self.reasons[i] is None

    @property
    def suppressed(self) -> int:
        """How many cells (the total included) are hidden."""
        return sum(r is not None for r in self.reasons) + (self.total_reason is not None)


def suppress_line(counts: Sequence[int], threshold: int) -> SuppressedLine:
    """Which cells of a line (published with its total) to hide, and why."""
    values = tuple(int(c) for c in counts)
    if any(v < 0 for v in values):
        raise ValueError("a count is never negative")
    total = sum(values)
    t = threshold
    if 0 < total < t:
        return SuppressedLine(values, total, (WHOLE_LINE,) * len(values), SMALL, t)
    reasons: list[str | None] = [SMALL if 0 < v < t else None for v in values]
    if SMALL not in reasons:
        return SuppressedLine(values, total, tuple(reasons), None, t)
    while not _safe(values, reasons, total, t):
        hidden_next = [i for i, v in enumerate(values) if reasons[i] is None and v > 0]
        if not hidden_next:
            reasons = [WHOLE_LINE] * len(values)
            break
        reasons[min(hidden_next, key=lambda i: (values[i], i))] = SECONDARY
    return SuppressedLine(values, total, tuple(reasons), None, t)


def bounds(reason: str | None, value: int, total: int, threshold: int) -> tuple[int, int]:
    """What a reader knows of a cell from its mark alone: the range of counts it may hold."""
    if reason is None:
        return value, value
    if reason == SMALL:
        return 1, threshold - 1
    if reason == SECONDARY:
        return threshold, total
    return 0, total


def _safe(values: tuple[int, ...], reasons: Sequence[str | None], total: int, t: int) -> bool:
    """True when every hidden cell may hold two counts or more, given the total and marks."""
    hidden = [i for i, r in enumerate(reasons) if r is not None]
    rest = total - sum(v for i, v in enumerate(values) if reasons[i] is None)
    ranges = [bounds(reasons[i], values[i], total, t) for i in hidden]
    low_sum = sum(lo for lo, _hi in ranges)
    high_sum = sum(hi for _lo, hi in ranges)
    for lo, hi in ranges:
        least = max(lo, rest - (high_sum - hi))
        most = min(hi, rest - (low_sum - lo))
        if most <= least:
            return False
    return True


def mark(reason: str, threshold: int) -> str:
    """What a hidden cell shows: "<5" for a small cell, "[withheld]" for the others."""
    if reason == SMALL:
        return f"<{threshold}"
    return _("[withheld]")


def reason_text(reason: str, threshold: int) -> str:
    """Why a cell is hidden, in plain words (each hidden cell's note)."""
    if reason == SMALL:
        return _("Fewer than {n} cases: not shown, so that no one can be identified").format(
            n=threshold)
    if reason == SECONDARY:
        return _("Withheld so that a group of fewer than {n} cases cannot be worked out from "
                 "the total").format(n=threshold)
    return _("Every group withheld: none could be shown without revealing a group of fewer "
             "than {n} cases").format(n=threshold)


def legend(threshold: int) -> list[str]:
    """The rule, in plain words, for the head of a published table."""
    return [
        _("Cells of fewer than {n} cases (but at least one) are shown as <{n}.").format(
            n=threshold),
        _("Where a total would let a reader work such a cell out, another cell is withheld "
          "as well ([withheld]); each hidden cell's note says why."),
        _("A zero is shown: it names no one."),
    ]
