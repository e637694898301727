"""Cohen's kappa between two raters, and what a value means in plain words.

kappa = (po − pe) / (1 − pe), where po is the share of items on which the two agree and pe the
share they would agree on by chance, given how often each used each answer: the sum over the
answers of (share of items rater A gave it) × (share rater B gave it). It is undefined with no
items, or when chance alone already gives full agreement (pe = 1: both gave one and the same
answer to every item). The bands are Landis and Koch's (1977), the ones most often quoted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from hmip_desktop.i18n import N_, _

# (lowest kappa of the band, its words), highest band first.
BANDS: tuple[tuple[float, str], ...] = (
    (0.81, N_("almost perfect agreement")),
    (0.61, N_("substantial agreement")),
    (0.41, N_("moderate agreement")),
    (0.21, N_("fair agreement")),
    (0.0, N_("slight agreement")),
)


def agreement(pairs: Sequence[tuple[str, str]]) -> Fraction | None:
    """The share of pairs that match exactly (None with no pairs)."""
    if not pairs:
        return None
    return Fraction(sum(a == b for a, b in pairs), len(pairs))


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa over (rater A, rater B) pairs; None where it is not defined."""
    n = len(pairs)
    if n == 0:
        return None
    po = Fraction(sum(a == b for a, b in pairs), n)
    first = Counter(a for a, _b in pairs)
    second = Counter(b for _a, b in pairs)
    pe = sum((Fraction(first[k] * second[k], n * n) for k in first), Fraction(0))
    if pe == 1:
        return None
    return float((po - pe) / (1 - pe))


def kappa_band(kappa: float | None) -> str:
    """The band's words: 'substantial agreement', or why there is no figure."""
    if kappa is None:
        return _("not defined")
    if kappa < 0:
        return _("less agreement than chance would give")
    for lowest, words in BANDS:
        if round(kappa, 2) >= lowest:
            return _(words)
    return _(BANDS[-1][1])


def kappa_explained() -> str:
    """What kappa measures, once for a whole report."""
    return _("Kappa measures how far a trainee agreed with the benchmark beyond the agreement "
             "that answering by chance alone would give: 1 is full agreement, 0 is no better "
             "than chance, below 0 worse than chance. The words beside it are the usual reading "
             "of the figure (Landis and Koch).")


def kappa_meaning(kappa: float | None) -> str:
    """One sentence for a trainer: the figure, its band, and what kappa measures."""
    if kappa is None:
        return _("Kappa is not defined here: the benchmark and the trainee gave one and the same "
                 "answer to every item, or there was nothing to compare, so agreement beyond "
                 "chance cannot be measured; read the share agreed instead.")
    figure = f"{kappa:.2f}"
    return _("Kappa {kappa}: {band}. Kappa measures how far the trainee agreed with the "
             "benchmark beyond the agreement that answering by chance alone would give: 1 is "
             "full agreement, 0 is no better than chance, below 0 worse than chance.").format(
                 kappa=figure, band=kappa_band(kappa))
