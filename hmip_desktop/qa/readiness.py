"""The assessor's own run of the QA checks: on marking complete, and in "Check my cases".

Before the lunchtime meeting, and before a case is marked complete.

The checks are the QA partner's (``qa/checks.py``), run the same way (``qa/service.py``), so
the assessor learns of a *must fix* before the QA partner raises it. Marking complete follows
the sign-off (``qa/signoff.py``): a case the QA partner could not sign off for its answers —
an item still empty, or a must-fix finding on the form — is not marked complete; an open query
(which only the QA partner closes) is a warning the assessor confirms.

Every item is named in the form's words (``item_words``): the question's text, not its key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from hmip_desktop.assessment import interview
from hmip_desktop.assessment.items import CASE, NOTE, RECORD_BY_KEY
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.qa.checks import (
    EXCLUDED,
    EXCLUDED_REASON,
    INTERVIEW,
    MUST_FIX,
    UNANSWERED,
    Finding,
    run_checks,
)
from hmip_desktop.qa.queries import open_query_counts
from hmip_desktop.qa.service import assessment_input, workspace_inputs
from hmip_desktop.store.records import CaseSummary, Change
from hmip_desktop.store.workspace import Workspace

BLANK_CHECKS = (UNANSWERED, "no_interview_record")
"""Checks that report an empty item: a form still being filled in has many, so screens fold
them into one line."""


class NotReadyError(UserError):
    """Marking complete refused: what the QA partner's sign-off would refuse is still there."""


def item_words(fw: Framework, item: str) -> str:
    """An item as the form shows it: its number and text, or its label."""
    if item in fw.prompts_by_id:
        p = fw.prompts_by_id[item]
        kq_id, _sep, letter = p.id.rpartition(".")
        return _("{kq} {letter}) {text}").format(kq=kq_id, letter=letter, text=p.text)
    if item in fw.key_questions_by_id:
        kq = fw.key_questions_by_id[item]
        return _("Judgement on {id} {text}").format(id=kq.id, text=kq.text)
    if item.startswith(NOTE) and item[len(NOTE):] in fw.key_questions_by_id:
        kq = fw.key_questions_by_id[item[len(NOTE):]]
        return _("Evidence note for {id} {text}").format(id=kq.id, text=kq.text)
    if item.startswith(CASE) and item[len(CASE):] in fw.fields_by_id:
        return fw.fields_by_id[item[len(CASE):]].label
    if item in RECORD_BY_KEY:
        return RECORD_BY_KEY[item].label
    if item.startswith("alert:"):
        return _("An alert on the case")
    if item == "status":
        return _("The case's status")
    return _("The case")


@dataclass(frozen=True)
class Point:
    """One thing to put right or look at, in the form's words."""

    item: str
    where: str
    message: str
    severity: str
    check: str = ""
    """The QA check that reports it (``qa/checks.py``): for an empty item, the one the QA
    partner's list would name it under (``no_interview_record`` for the interview record)."""


@dataclass(frozen=True)
class Readiness:
    """What stands between a case and the QA partner's sign-off, were it marked complete now."""

    case_id: str
    case_ref: str
    blocked: str | None
    """Why the form cannot be completed at all (a declared conflict of interest)."""
    blanks: tuple[Point, ...]
    must_fix: tuple[Point, ...]
    worth_a_look: tuple[Point, ...]
    open_queries: int

    @property
    def refused(self) -> bool:
        """Marking complete is refused, as the sign-off would be."""
        return self.blocked is not None or bool(self.blanks) or bool(self.must_fix)


def _point(fw: Framework, f: Finding) -> Point:
    return Point(f.item, item_words(fw, f.item), f.message, f.severity, f.check)


def blank_check(item: str, items: Mapping[str, str]) -> str:
    """The QA check that reports ``item`` while it is empty (``qa/checks.py``, the form).

    The most specific one: the interview record's mode, its details, the reason a case
    should have been excluded; every other item is ``required_item_unanswered``.
    """
    if item == INTERVIEW:
        return "no_interview_record"
    if item in interview.required(items):
        return "interview_record_incomplete"
    if item == EXCLUDED_REASON and items.get(EXCLUDED) == "yes":
        return "excluded_without_reason"
    return UNANSWERED


def completion_readiness(ws: Workspace, case_id: str) -> Readiness:
    """The case as the sign-off would judge it once marked complete."""
    a = ws.read_assessment(case_id)
    fw = a.framework
    comp = a.completeness
    blanks = tuple(Point(m.item, item_words(fw, m.item), _("Not answered yet."), MUST_FIX,
                         blank_check(m.item, a.items))
                   for m in comp.missing)
    empty = {p.item for p in blanks}
    # Checked as the complete case the QA partner would see; open queries are counted apart.
    findings = run_checks(replace(assessment_input(a), status="complete"))
    must = tuple(_point(fw, f) for f in findings if f.severity == MUST_FIX
                 and f.item not in empty and f.check not in BLANK_CHECKS
                 and f.check != "conflict_of_interest")
    look = tuple(_point(fw, f) for f in findings if f.severity != MUST_FIX)
    return Readiness(a.case.id, a.case.case_ref, comp.blocked, blanks, must, look,
                     open_query_counts(ws).get(a.case.id, 0))


def mark_complete_checked(ws: Workspace, case_id: str) -> tuple[Change, Readiness]:
    """Mark the case complete unless the sign-off would refuse it for its answers.

    Blank items are refused by ``Workspace.mark_complete`` (``IncompleteError``); a must-fix
    finding raises ``NotReadyError`` naming each in words. Open queries do not stop it: the
    caller warns (the returned readiness counts them).
    """
    r = completion_readiness(ws, case_id)
    # Not this workspace's case, blanks or a conflict: mark_complete says so, as it always has.
    if r.must_fix and not r.blanks and r.blocked is None and ws.ownership(r.case_id).mine:
        raise NotReadyError(_("cannot mark {ref} complete: the QA partner could not sign it off "
                              "until {n} thing(s) are put right: {what}").format(
            ref=r.case_ref, n=len(r.must_fix),
            what="; ".join(f"{p.where} — {p.message}" for p in r.must_fix)))
    return ws.mark_complete(r.case_id), r


@dataclass(frozen=True)
class CaseCheck:
    """One of the assessor's cases with what the QA checks find on it."""

    summary: CaseSummary
    blanks: tuple[Point, ...]
    """Items still empty (folded into one line on screen)."""
    points: tuple[Point, ...]
    """Every other finding, must fix first."""

    @property
    def must_fix(self) -> int:
        return sum(p.severity == MUST_FIX for p in self.points)

    @property
    def worth_a_look(self) -> int:
        return sum(p.severity != MUST_FIX for p in self.points)


def check_my_cases(ws: Workspace) -> list[CaseCheck]:
    """The QA checks on every case this workspace owns, in case-list order.

    The same findings the QA partner's view gives for these cases (``workspace_inputs`` and
    ``run_checks``), so nothing at the meeting comes as a surprise.
    """
    out = []
    for summary, case in workspace_inputs(ws):
        if not ws.ownership(summary.case.id).mine:
            continue  # reassigned away: no longer this assessor's to put right
        fw = case.framework
        findings = run_checks(case)
        blanks = tuple(_point(fw, f) for f in findings if f.check in BLANK_CHECKS)
        points = [_point(fw, f) for f in findings if f.check not in BLANK_CHECKS]
        points.sort(key=lambda p: p.severity != MUST_FIX)
        out.append(CaseCheck(summary, blanks, tuple(points)))
    return out
