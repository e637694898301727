"""Parse and check the input of ``hmip-desktop ratings`` (the JSON contract in docs/cli.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import Tally, tally_cases
from hmip_desktop.rules.scale import RATINGS


class RatingsInputError(UserError):
    """The ratings input does not fit the contract or the framework."""


@dataclass(frozen=True)
class RatingsRequest:
    tallies: Mapping[str, Tally]
    lead_ratings: Mapping[str, str]
    adjustments: Mapping[str, int]
    case_count: int


def parse_ratings_request(framework: Framework, data: Any) -> RatingsRequest:
    if not isinstance(data, dict):
        raise RatingsInputError(_("the input must be a JSON object with a 'cases' list"))
    unknown = sorted(set(data) - {"cases", "lead_ratings", "adjustments"})
    if unknown:
        raise RatingsInputError(_("unknown key {unknown!r} in the input").format(
                                    unknown=unknown[0]))
    cases = data.get("cases", [])
    if not isinstance(cases, list):
        raise RatingsInputError(_("'cases' must be a list"))
    answer_maps: list[dict[str, str]] = []
    seen_ids: set[str] = set()
    for i, case in enumerate(cases):
        answer_maps.append(_case_answers(framework, case, i, seen_ids))
    lead = _mapping(data.get("lead_ratings", {}), "lead_ratings")
    for sid, rating in lead.items():
        standard = framework.standards_by_id.get(sid)
        if standard is None:
            raise RatingsInputError(_("lead_ratings: unknown standard {sid!r}").format(sid=sid))
        if standard.rated_by != "lead":
            raise RatingsInputError(
                _("lead_ratings: standard {sid} is rated from case answers, not by the "
                  "lead").format(sid=sid)
            )
        if rating not in RATINGS:
            raise RatingsInputError(
                _("lead_ratings: {rating!r} for {sid} is not one of {ratings}").format(
                    rating=rating, sid=sid, ratings=', '.join(RATINGS))
            )
    adjustments = _mapping(data.get("adjustments", {}), "adjustments")
    for sid, adj in adjustments.items():
        standard = framework.standards_by_id.get(sid)
        if standard is None:
            raise RatingsInputError(_("adjustments: unknown standard {sid!r}").format(sid=sid))
        if not standard.adjustable:
            raise RatingsInputError(_("adjustments: standard {sid} cannot be adjusted by the "
                                      "lead").format(sid=sid))
        if not isinstance(adj, int) or isinstance(adj, bool) or adj not in (-1, 0, 1):
            raise RatingsInputError(_("adjustments: {adj!r} for {sid} is not -1, 0 or 1").format(
                                        adj=adj, sid=sid))
    if not framework.rated and (lead or any(adjustments.values())):
        raise RatingsInputError(_("framework {id} is not rated: no ratings to give").format(
                                    id=framework.id))
    return RatingsRequest(tally_cases(answer_maps), lead, adjustments, len(answer_maps))


def _mapping(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RatingsInputError(_("'{name}' must be an object").format(name=name))
    return value


def _case_answers(framework: Framework, case: Any, i: int, seen: set[str]) -> dict[str, str]:
    where = f"cases[{i}]"
    if not isinstance(case, dict):
        raise RatingsInputError(_("{where} must be an object with 'case_id' and 'answers'").format(
                                    where=where))
    unknown = sorted(set(case) - {"case_id", "answers"})
    if unknown:
        raise RatingsInputError(_("{where}: unknown key {unknown!r}").format(
                                    where=where, unknown=unknown[0]))
    case_id = case.get("case_id")
    if not isinstance(case_id, str) or not case_id:
        raise RatingsInputError(_("{where}: 'case_id' must be non-empty text").format(where=where))
    if case_id in seen:
        raise RatingsInputError(_("{where}: case {case_id!r} appears twice").format(
                                    where=where, case_id=case_id))
    seen.add(case_id)
    answers = case.get("answers")
    if not isinstance(answers, dict):
        raise RatingsInputError(_("case {case_id}: 'answers' must be an object").format(
                                    case_id=case_id))
    for kq_id, value in answers.items():
        kq = framework.key_questions_by_id.get(kq_id)
        if kq is None:
            raise RatingsInputError(
                _("case {case_id}: {kq_id!r} is not a key question of {id}").format(
                    case_id=case_id, kq_id=kq_id, id=framework.id)
            )
        if not framework.is_case_answered(kq):
            raise RatingsInputError(
                _("case {case_id}: key question {kq_id} is judged qualitatively, not "
                  "per case").format(case_id=case_id, kq_id=kq_id)
            )
        if value not in ("yes", "no", "na"):
            raise RatingsInputError(
                _("case {case_id}: answer {value!r} to {kq_id} is not yes, no or na").format(
                    case_id=case_id, value=value, kq_id=kq_id)
            )
    return dict(answers)
