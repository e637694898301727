"""Values shared by the long-list reader and the draw.

A long-list row becomes a ``Candidate`` once it is eligible and not excluded; the draw sees
only candidates, so it can be tested and re-run without any file or rule in sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Candidate(NamedTuple):
    """One eligible case on a long list, as the draw needs it.

    A named tuple: tens of thousands are built at once.
    """

    case_id: str
    stratum: tuple[str, ...]  # one value per stratification variable, in the rules' order
    pdu: str = ""  # the site, team or PDU the constraints and stage 1 spread over ("" if none)
    practitioner: str = ""  # who holds the case ("" if the long list does not say)


@dataclass(frozen=True, slots=True)
class Constraints:
    """Limits a draw must meet, from the rules' ``constraints``."""

    min_per_pdu: int = 0
    max_per_practitioner: int = 0  # 0: no limit


class SamplingError(ValueError):
    """Input the draw cannot use; the message is one line for an inspector."""


@dataclass(frozen=True, slots=True)
class Split:
    """A fixed split of the sample between named parts of one stratification variable.

    The youth sample is 60% post-court and 40% out-of-court (Youth offending service
    inspections external guidance manual, §4.1): ``Split((("post-court", 60),
    ("out-of-court", 40)))``. Shares are whole-number weights, so the arithmetic is exact.
    """

    parts: tuple[tuple[str, int], ...]
    variable: int = 0  # which entry of ``Candidate.stratum`` names the part


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One case taken out of the sample and one put in its place, and why."""

    out_case: str
    in_case: str
    stratum: tuple[str, ...]  # the stratum of the case that went out
    reason: str


@dataclass(frozen=True, slots=True)
class Returned:
    """What the organisation said about one case on the returned provisional list."""

    available: bool = True  # the practitioner can be interviewed at fieldwork
    consent: bool = True  # the person on probation agreed to be contacted
    late_exclusion: str = ""  # an exclusion found since the long list, in the organisation's words


@dataclass(frozen=True, slots=True)
class Draw:
    """A drawn sample: the provisional list, the final cases within it, and the reserves.

    ``provisional``, ``final`` and ``reserves`` are in stratum order and, within a stratum, in
    drawn order; ``allocation`` is the number of final cases each stratum should hold.
    """

    seed: int
    target: int
    allocation: dict[tuple[str, ...], int]
    provisional: tuple[Candidate, ...]
    final: tuple[Candidate, ...]
    reserves: tuple[Candidate, ...]
    constraints: Constraints = Constraints()
    adjustments: tuple[Adjustment, ...] = ()
    unmet: tuple[str, ...] = ()  # each constraint or quota not met, and why
