"""Sample sizes, margins of error and the fairness table the sample report shows.

Probation inspections external guidance manual §4.1 and Youth offending service inspections
external guidance manual §4.1: sizes are chosen for a margin of error of 5 percentage points
at an 80% confidence level, for a simple random sample. Here that is the normal
approximation with the worst case p = 0.5 and the finite population correction; at 80% the
normal quantile z is 1.2816.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from hmip_desktop.i18n import _
from hmip_desktop.sampling.model import SamplingError


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise SamplingError(_("The confidence level must be between 0 and 1, not "
                              "{confidence}.").format(confidence=confidence))
    return NormalDist().inv_cdf((1 + confidence) / 2)


def margin_of_error(n: int, population: int, confidence: float = 0.80) -> float:
    """The margin of error (as a fraction, 0.05 for 5 points) of a sample of ``n``.

    ``z × √(0.25 / n) × √((N − n) / (N − 1))`` for a population of N (Probation inspections
    external guidance manual §4.1); 0 when the whole population is inspected.
    """
    z = _z(confidence)
    if n <= 0 or population <= 0 or n > population:
        raise SamplingError(_("A sample of {n} cannot be drawn from {population} cases.").format(
                                n=n, population=population))
    if population == 1:
        return 0.0
    return z * math.sqrt(0.25 / n) * math.sqrt((population - n) / (population - 1))


def size_for(population: int, margin: float = 0.05, confidence: float = 0.80) -> int:
    """The smallest sample whose margin of error is at most ``margin`` (§4.1 of both manuals).

    ``n0 = z² × 0.25 / margin²`` for an unlimited population, then corrected for a population
    of N as ``n0 / (1 + (n0 − 1) / N)``, rounded up; never more than the population.
    """
    z = _z(confidence)
    if population < 0:
        raise SamplingError(_("A population cannot hold {population} cases.").format(
                                population=population))
    if not 0 < margin < 1:
        raise SamplingError(_("The margin of error must be between 0 and 1, not {margin}.").format(
                                margin=margin))
    if population == 0:
        return 0
    n0 = z * z * 0.25 / (margin * margin)
    n = min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))
    while n < population and margin_of_error(n, population, confidence) > margin:
        n += 1  # guards the rounding of the closed form
    return n


@dataclass(frozen=True, slots=True)
class Share:
    """One value of one stratification variable: its share of the population and the sample."""

    variable: str
    value: str
    population: int
    population_percent: float
    sample: int
    sample_percent: float


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def fairness(population: Mapping[tuple[str, ...], int], sample: Mapping[tuple[str, ...], int],
             names: Sequence[str] = ()) -> list[Share]:
    """Per stratification variable and value, population % against sample %.

    The evidence that the sample matches the eligible population (Probation inspections
    external guidance manual §4.2). ``names`` names the variables in stratum order; a variable
    without a name is called "Variable 1", "Variable 2" and so on. Rows come in variable order,
    then value order.
    """
    width = max((len(s) for s in (*population, *sample)), default=0)
    pop_total, sample_total = sum(population.values()), sum(sample.values())
    rows = []
    for i in range(width):
        name = names[i] if i < len(names) else f"Variable {i + 1}"
        pop_by, sample_by = _by_value(population, i), _by_value(sample, i)
        for value in sorted(set(pop_by) | set(sample_by)):
            p, s = pop_by.get(value, 0), sample_by.get(value, 0)
            rows.append(Share(name, value, p, _percent(p, pop_total),
                              s, _percent(s, sample_total)))
    return rows


def _by_value(counts: Mapping[tuple[str, ...], int], i: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for stratum, n in counts.items():
        if i < len(stratum):
            out[stratum[i]] = out.get(stratum[i], 0) + n
    return out
