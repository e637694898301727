"""The practitioner interview record: who attended, feedback, or why it was a file read.

The manuals (000_ §6.6; 002_ §6.6; 001_ §6.6) ask the inspector to interview the practitioner
alone. Where the practitioner is not available a suitable substitute may attend (normally the
line manager or supervisor, sometimes a colleague who knows the case); if no one can, the case
is a file read. A second person may join the practitioner for one of three reasons, and leaves
before feedback is given. Feedback goes to the practitioner, or to a substitute who is the
line manager or supervisor; a substitute who is not gets none.

The record is a handful of ``record:`` items (``assessment/items.py``). This module holds its
rules as pure functions: which details a mode needs (``required``), what contradicts the
manuals (``problems``, in inspectors' words) and a one-line summary for the QA partner and the
lead. The details are optional for an interview recorded before they existed: nothing new is
required unless the record names a substitute, a second person or a file read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hmip_desktop.assessment.items import RECORD, RECORD_BY_KEY
from hmip_desktop.i18n import _

MODE = RECORD + "interview_mode"
SUBSTITUTE_ROLE = RECORD + "interview_substitute_role"
SUBSTITUTE_REASON = RECORD + "interview_substitute_reason"
SECOND_PERSON = RECORD + "interview_second_person"
SECOND_PERSON_LEFT = RECORD + "interview_second_person_left"
FEEDBACK = RECORD + "interview_feedback"
FILE_READ_REASON = RECORD + "file_read_reason"
NOTES = RECORD + "interview_notes"

FIELDS: tuple[str, ...] = (MODE, SUBSTITUTE_ROLE, SUBSTITUTE_REASON, SECOND_PERSON,
                           SECOND_PERSON_LEFT, FEEDBACK, FILE_READ_REASON, NOTES)
"""The interview record's items in the order the form shows them."""

_MANUAL = _("Probation inspections external guidance manual, section 6.6")


@dataclass(frozen=True)
class Problem:
    """One contradiction in the record: the item to change and the reason, in words."""

    item: str
    message: str


def _second_person(items: Mapping[str, str]) -> bool:
    return items.get(SECOND_PERSON, "") not in ("", "none")


def _feedback_given(items: Mapping[str, str]) -> bool:
    return items.get(FEEDBACK, "") not in ("", "none")


def required(items: Mapping[str, str]) -> list[str]:
    """The interview details the record still needs, given what it says so far."""
    mode = items.get(MODE, "")
    out: list[str] = []
    if mode == "substitute":
        out += [SUBSTITUTE_ROLE, SUBSTITUTE_REASON]
    if mode == "file_read":
        out.append(FILE_READ_REASON)
    if _second_person(items) and _feedback_given(items):
        out.append(SECOND_PERSON_LEFT)
    return out


def problems(items: Mapping[str, str]) -> list[Problem]:
    """Every way the record contradicts itself or the manuals; empty when it is consistent."""
    mode = items.get(MODE, "")
    feedback = items.get(FEEDBACK, "")
    out: list[Problem] = []
    if mode == "file_read":
        if _feedback_given(items):
            out.append(Problem(FEEDBACK, _(
                "The case is recorded as a file read, yet feedback is recorded as given: "
                "with no interview there is no one to give it to.")))
        if _second_person(items):
            out.append(Problem(SECOND_PERSON, _(
                "The case is recorded as a file read, yet a second person is recorded as "
                "attending the interview.")))
    if feedback == "substitute":
        if mode and mode != "substitute":
            out.append(Problem(FEEDBACK, _(
                "Feedback is recorded as given to a substitute, but the practitioner was "
                "interviewed, not a substitute.")))
        elif items.get(SUBSTITUTE_ROLE) == "colleague":
            out.append(Problem(FEEDBACK, _(
                "Feedback is recorded as given to a substitute who is not the practitioner's "
                "line manager or supervisor: no feedback is given to such a substitute "
                "({manual}).").format(manual=_MANUAL)))
    if feedback == "practitioner" and mode == "substitute":
        out.append(Problem(FEEDBACK, _(
            "Feedback is recorded as given to the practitioner, but a substitute attended in "
            "the practitioner's place.")))
    if (_second_person(items) and _feedback_given(items)
            and items.get(SECOND_PERSON_LEFT) == "no"):
        out.append(Problem(SECOND_PERSON_LEFT, _(
            "The second person stayed while feedback was given: they should leave the "
            "interview first ({manual}).").format(manual=_MANUAL)))
    return out


def _choice_label(item: str, value: str, *, first: bool = False) -> str:
    label = dict(RECORD_BY_KEY[item].choices).get(value, value)
    return label if first else label[:1].lower() + label[1:]


def summary(items: Mapping[str, str]) -> str:
    """The record in one line for the QA partner and the lead ('' when nothing is recorded)."""
    mode = items.get(MODE, "")
    if not mode:
        return ""
    parts = [_choice_label(MODE, mode, first=True)]
    if mode == "substitute" and items.get(SUBSTITUTE_ROLE):
        parts.append(_choice_label(SUBSTITUTE_ROLE, items[SUBSTITUTE_ROLE]))
    if mode == "file_read" and items.get(FILE_READ_REASON):
        parts.append(items[FILE_READ_REASON].splitlines()[0])
    if _second_person(items):
        parts.append(_choice_label(SECOND_PERSON, items[SECOND_PERSON]))
    if items.get(FEEDBACK):
        parts.append(_choice_label(FEEDBACK, items[FEEDBACK]))
    if problems(items):
        parts.append(_("the record needs checking"))
    return "; ".join(parts)
