"""The fixed four-point rating scale shared by every rated framework (003_ §4.1, §4.22)."""

from __future__ import annotations

RATINGS: tuple[str, ...] = ("inadequate", "requires_improvement", "good", "outstanding")
SCORE: dict[str, int] = {name: i for i, name in enumerate(RATINGS)}


def shift(rating: str, steps: int) -> str:
    """Move a rating up or down the scale, clamped at either end."""
    return RATINGS[max(0, min(len(RATINGS) - 1, SCORE[rating] + steps))]
