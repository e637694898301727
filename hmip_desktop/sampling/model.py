"""Values shared by the long-list reader and the draw.

A long-list row becomes a ``Candidate`` once it is eligible and not excluded; the draw sees
only candidates, so it can be tested and re-run without any file or rule in sight.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """One eligible case on a long list, as the draw needs it."""

    case_id: str
    stratum: tuple[str, ...]  # one value per stratification variable, in the rules' order
    pdu: str = ""  # the site, team or PDU the constraints and stage 1 spread over ("" if none)
    practitioner: str = ""  # who holds the case ("" if the long list does not say)


@dataclass(frozen=True, slots=True)
class Constraints:
    """Limits a draw must meet, from the rules' ``constraints``."""

    min_per_pdu: int = 0
    max_per_practitioner: int = 0  # 0: no limit
