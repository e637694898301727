"""Change per key question against the previous inspection or an aggregate (000_ §7.3).

For each key question: the previous and current percentages, the change in points, and a
two-proportion z-test of the difference (pooled standard error, two-sided p value). The
report marks a change as significant at p < 0.1, as the manual says.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hmip_desktop.consolidation.counts_files import CountsFile, from_contract, read_counts
from hmip_desktop.consolidation.records import ConsolidationError, archived_figures
from hmip_desktop.consolidation.tables import Consolidation, consolidate
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import whole_percent
from hmip_desktop.store.workspace import Workspace

SIGNIFICANCE = 0.1


@dataclass(frozen=True)
class Comparison:
    kq_id: str
    text: str
    previous_yes: int | None
    previous_n: int | None
    previous_percent: int | None
    current_yes: int
    current_n: int
    current_percent: int | None
    change: int | None
    """Current minus previous percentage, in whole points."""
    z: float | None
    p_value: float | None
    flagged: bool
    """The change is significant at p < 0.1."""


def two_proportion_test(yes1: int, n1: int, yes2: int, n2: int) -> tuple[float, float]:
    """(z, two-sided p) for the difference of yes1/n1 and yes2/n2, pooled standard error."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both samples need cases")
    pooled = (yes1 + yes2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (yes1 / n1 - yes2 / n2) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def _current(current: Consolidation | Mapping[str, Any]) -> list[tuple[str, str, int, int]]:
    if isinstance(current, Consolidation):
        return [(r.kq_id, r.text, r.yes, r.n) for t in current.tables for r in t.rows]
    kqs = current.get("key_questions")
    if not isinstance(kqs, Mapping):
        raise ConsolidationError(_("the current figures are not a ratings export"))
    return [(k, "", int(v["yes"]), int(v["yes"]) + int(v["no"])) for k, v in kqs.items()]


def _previous(previous: Path | str | CountsFile | Mapping[str, Any]
              ) -> dict[str, tuple[int, int, int]]:
    if isinstance(previous, CountsFile):
        return previous.totals()
    if isinstance(previous, Mapping):
        c = from_contract(previous, Path("previous"), "previous")
        return {k: (v[0], v[1], v[2]) for k, v in c.counts.items()}
    return read_counts(previous).totals()


def compare(current: Consolidation | Mapping[str, Any],
            previous: Path | str | CountsFile | Mapping[str, Any]) -> list[Comparison]:
    """Compare with a previous export or an aggregate file (or their parsed contents)."""
    rows = _current(current)
    before = _previous(previous)
    if not set(before) & {k for k, _t, _y, _n in rows}:
        raise ConsolidationError(
            _("the previous figures share no key question with this inspection"))
    out = []
    for kq_id, text, yes, n in rows:
        p_yes, p_no, _na = before.get(kq_id, (0, 0, 0))
        p_n = p_yes + p_no
        cur = whole_percent(yes, n) if n else None
        prev = whole_percent(p_yes, p_n) if p_n else None
        z = p = None
        if n and p_n:
            z, p = two_proportion_test(yes, n, p_yes, p_n)
        out.append(Comparison(
            kq_id, text, p_yes if kq_id in before else None, p_n if kq_id in before else None,
            prev, yes, n, cur, None if cur is None or prev is None else cur - prev, z, p,
            p is not None and p < SIGNIFICANCE))
    return out


def compare_inspection(ws: Workspace, inspection_id: str,
                       previous: Path | str | CountsFile | Mapping[str, Any]) -> list[Comparison]:
    """Compare an inspection of the workspace with previous figures.

    An archived inspection compares the ratings kept when it was archived (its cases are gone).
    """
    kept = archived_figures(ws, inspection_id)
    return compare(kept["ratings"] if kept is not None else consolidate(ws, inspection_id),
                   previous)
