"""Turn consolidated key-question counts into bands, standard ratings and the overall rating.

Pure functions over plain numbers and a ``Framework``; no I/O. The rules are those of
000_ §7.1-7.2, 001_ §7.1-7.2 and 003_ §4, with every threshold read from the framework file.
Percentages are computed exactly with ``Fraction`` so that rounding and the discretion margins
never suffer from binary floating point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from hmip_desktop.frameworks.model import Framework, RatingBand, Standard
from hmip_desktop.rules.scale import SCORE, shift

DISCRETION_FLAGS = ("five_or_fewer_cases", "one_case_changes_band", "within_5_points")


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    na: int = 0

    @property
    def n(self) -> int:
        return self.yes + self.no

    def add(self, answer: str) -> Tally:
        return Tally(
            self.yes + (answer == "yes"), self.no + (answer == "no"), self.na + (answer == "na")
        )


def exact_percent(yes: int, n: int) -> Fraction:
    return Fraction(100 * yes, n)


def whole_percent(yes: int, n: int) -> int:
    """100·yes/n rounded half up, in integers: floor((200·yes + n) / 2n)."""
    return (200 * yes + n) // (2 * n)


def band_for(percent: int, bands: Sequence[RatingBand]) -> str:
    chosen = bands[0].band
    for b in bands:
        if percent >= b.min_percent:
            chosen = b.band
    return chosen


@dataclass(frozen=True)
class KeyQuestionResult:
    kq_id: str
    tally: Tally
    exact: Fraction | None
    percent: int | None
    band: str | None

    @property
    def no_percent(self) -> int | None:
        return None if self.tally.n == 0 else whole_percent(self.tally.no, self.tally.n)


def key_question_result(framework: Framework, kq_id: str, tally: Tally) -> KeyQuestionResult:
    if tally.n == 0:
        return KeyQuestionResult(kq_id, tally, None, None, None)
    pct = whole_percent(tally.yes, tally.n)
    band = band_for(pct, framework.rating_bands) if framework.rated else None
    return KeyQuestionResult(kq_id, tally, exact_percent(tally.yes, tally.n), pct, band)


def discretion_flags(framework: Framework, tally: Tally) -> set[str]:
    """The panel's professional-discretion triggers for one key question (000_ §7.2)."""
    n, yes = tally.n, tally.yes
    if n == 0:
        return set()
    flags: set[str] = set()
    margin = framework.discretion.margin_points
    exact = exact_percent(yes, n)
    boundaries = [b.min_percent for b in framework.rating_bands[1:]]
    if any(abs(exact - b) <= margin for b in boundaries):
        flags.add(f"within_{margin}_points")
    band = band_for(whole_percent(yes, n), framework.rating_bands)
    # "a differing judgement in one case": one case's yes turned to no, or a no to yes.
    for other in (yes - 1, yes + 1):
        if 0 <= other <= n and band_for(whole_percent(other, n), framework.rating_bands) != band:
            flags.add("one_case_changes_band")
    if n <= framework.discretion.small_sample_max:
        flags.add("five_or_fewer_cases")
    return flags


@dataclass(frozen=True)
class StandardResult:
    standard_id: str
    rating: str | None
    provisional_rating: str | None
    lowest_key_questions: tuple[str, ...] = ()
    discretion: tuple[str, ...] = ()
    adjustment: int = 0


def rate_standard(
    framework: Framework,
    standard: Standard,
    results: Mapping[str, KeyQuestionResult],
    lead_rating: str | None = None,
    adjustment: int = 0,
) -> StandardResult:
    if standard.rated_by == "lead":
        return StandardResult(standard.id, lead_rating, lead_rating)
    scored = [
        results[k.id] for k in standard.key_questions
        if framework.is_case_answered(k) and k.id in results and results[k.id].exact is not None
    ]
    if not scored:
        return StandardResult(standard.id, None, None, adjustment=adjustment)
    lowest_exact = min(r.exact for r in scored if r.exact is not None)
    lowest = [r for r in scored if r.exact == lowest_exact]
    provisional = min((r.band for r in scored if r.band), key=SCORE.__getitem__)
    flags: set[str] = set()
    for r in lowest:
        flags |= discretion_flags(framework, r.tally)
    rating = shift(provisional, adjustment) if standard.adjustable else provisional
    return StandardResult(
        standard.id, rating, provisional, tuple(r.kq_id for r in lowest), tuple(sorted(flags)),
        adjustment if standard.adjustable else 0,
    )


@dataclass(frozen=True)
class OverallResult:
    score: int | None
    max: int | None
    rating: str | None
    reason: str | None


def overall_rating(framework: Framework, standards: Sequence[StandardResult]) -> OverallResult:
    if not framework.rated:
        return OverallResult(None, None, None, "this framework is not rated")
    top = 3 * len(framework.standards)
    missing = [s.standard_id for s in standards if s.rating is None]
    if missing:
        what = "standard" if len(missing) == 1 else "standards"
        return OverallResult(None, top, None, f"no rating yet for {what} {', '.join(missing)}")
    score = sum(SCORE[s.rating] for s in standards if s.rating is not None)
    for band in framework.overall_bands:
        if band.min_score <= score <= band.max_score:
            return OverallResult(score, top, band.rating, None)
    raise AssertionError(f"score {score} outside the framework's overall bands")  # pragma: no cover


@dataclass(frozen=True)
class RatingsResult:
    framework: Framework
    key_questions: Mapping[str, KeyQuestionResult]
    standards: Mapping[str, StandardResult]
    overall: OverallResult
    na_used: frozenset[str] = field(default_factory=frozenset)


def rate(
    framework: Framework,
    tallies: Mapping[str, Tally],
    lead_ratings: Mapping[str, str] | None = None,
    adjustments: Mapping[str, int] | None = None,
) -> RatingsResult:
    """Apply every rule to consolidated tallies (key question id → yes/no/na counts)."""
    lead_ratings = lead_ratings or {}
    adjustments = adjustments or {}
    kq_results = {
        k.id: key_question_result(framework, k.id, tallies.get(k.id, Tally()))
        for k in framework.case_key_questions()
    }
    standards: dict[str, StandardResult] = {}
    if framework.rated:
        for s in framework.standards:
            standards[s.id] = rate_standard(
                framework, s, kq_results, lead_ratings.get(s.id), adjustments.get(s.id, 0)
            )
    return RatingsResult(
        framework=framework,
        key_questions=kq_results,
        standards=standards,
        overall=overall_rating(framework, list(standards.values())),
        na_used=frozenset(k for k, t in tallies.items() if t.na > 0),
    )


def tally_cases(cases: Sequence[Mapping[str, str]]) -> dict[str, Tally]:
    """Count yes/no/na per key question over case answer maps."""
    out: dict[str, Tally] = {}
    for answers in cases:
        for kq_id, value in answers.items():
            out[kq_id] = out.get(kq_id, Tally()).add(value)
    return out
