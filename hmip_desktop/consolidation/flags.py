"""Plain sentences saying why the panel must consider discretion (000_ §7.2).

The flags themselves come from ``rules.ratings.discretion_flags``; this only explains them
with the figures of the key question that raised them, rounded as the tables show them
(``whole_percent``: "73%", never "72.7%"), so the reason and the table read the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _, rating_label
from hmip_desktop.rules.ratings import (
    KeyQuestionResult,
    band_for,
    discretion_flags,
    exact_percent,
    whole_percent,
)


def _label(fw: Framework, band: str) -> str:
    """A band by the rating it gives (bands are named after ratings: 000_ §7.1)."""
    return rating_label(band)


def flag_reasons(fw: Framework, flag: str, kq: KeyQuestionResult) -> list[str]:
    """Sentences for one flag of one key question (empty if the flag is not its own)."""
    t = kq.tally
    if t.n == 0 or flag not in discretion_flags(fw, t):
        return []
    exact = exact_percent(t.yes, t.n)
    share = _("{kq} is {pct}% ({yes} of {n})").format(
        kq=kq.kq_id, pct=whole_percent(t.yes, t.n), yes=t.yes, n=t.n)
    margin = fw.discretion.margin_points
    if flag == f"within_{margin}_points":
        out = []
        for lower, upper in zip(fw.rating_bands, fw.rating_bands[1:], strict=False):
            if abs(exact - upper.min_percent) <= margin:
                out.append(_("{share}, within {m} percentage points of the {b}% boundary between"
                             " {lo} and {hi}").format(share=share, m=margin, b=upper.min_percent,
                                                      lo=_label(fw, lower.band),
                                                      hi=_label(fw, upper.band)))
        return out
    if flag == "one_case_changes_band":
        here = band_for(whole_percent(t.yes, t.n), fw.rating_bands)
        out = []
        for other, change in ((t.yes + 1, _("one more 'yes'")), (t.yes - 1, _("one more 'no'"))):
            if 0 <= other <= t.n:
                pct = whole_percent(other, t.n)
                band = band_for(pct, fw.rating_bands)
                if band != here:
                    out.append(_("{share}: {change} would make it {pct}%, {band}").format(
                        share=share, change=change, pct=pct, band=_label(fw, band)))
        return out
    if flag == "five_or_fewer_cases":
        return [_("{kq} rests on {n} cases ({max} or fewer)").format(
            kq=kq.kq_id, n=t.n, max=fw.discretion.small_sample_max)]
    return []


def explain(fw: Framework, flags: Sequence[str], lowest: Sequence[str],
            results: Mapping[str, KeyQuestionResult]) -> tuple[tuple[str, str], ...]:
    """(flag, reason) for each flag of a standard, from its lowest key questions."""
    out = []
    for flag in flags:
        reasons = [s for k in lowest if k in results for s in flag_reasons(fw, flag, results[k])]
        out.append((flag, "; ".join(reasons) or flag))
    return tuple(out)
