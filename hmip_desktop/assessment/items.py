"""The names and allowed values of everything recorded for a case.

Every per-case value lives under one *item key*:

- ``2.1.1.a`` a prompt answer, ``2.1.1`` a key-question judgement (framework ids);
- ``note:2.1.1`` the evidence note for a key question;
- ``case:inspector_rosh`` a case question the framework defines;
- ``record:<field>`` the case record every inspection keeps (interview: who attended, a
  substitute or second person and why, feedback and to whom, or why it was a file read, with
  its rules in ``assessment/interview.py``; the person on
  probation's telephone interview, conflict of interest, 'should have been excluded', why the
  inspector's RoSH judgement differs from the recorded level).

The case record fields come from the inspection method (000_ §6.1, §6.6), not from a
framework, so they are listed here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import N_, _
from hmip_desktop.text_rules import check_text

NOTE = "note:"
CASE = "case:"
RECORD = "record:"
MAX_TEXT = 20_000


@dataclass(frozen=True)
class RecordField:
    """A field of the case record; its words are kept in English and translated when read."""

    name: str
    english_label: str
    english_choices: tuple[tuple[str, str], ...] = ()  # empty: free text

    @property
    def key(self) -> str:
        return RECORD + self.name

    @property
    def label(self) -> str:
        return _(self.english_label)

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return tuple((value, _(label)) for value, label in self.english_choices)


RECORD_FIELDS: tuple[RecordField, ...] = (
    RecordField("interview_mode", N_("Practitioner interview"), (
        ("in_person", N_("Practitioner seen in person")),
        ("phone", N_("Practitioner interviewed by phone or video")),
        ("substitute", N_("A suitable substitute interviewed")),
        ("file_read", N_("File read only (no interview)")),
    )),
    RecordField("interview_substitute_role", N_("Who the substitute was"), (
        ("line_manager", N_("The practitioner's line manager or supervisor")),
        ("colleague", N_("Another colleague who knows the case")),
    )),
    RecordField("interview_substitute_reason", N_("Why the practitioner could not attend")),
    RecordField("interview_second_person", N_("A second person at the interview"), (
        ("none", N_("No: the practitioner alone")),
        ("previous_practitioner", N_("Yes: the previous practitioner, after a recent change")),
        ("intervention", N_("Yes: someone with a key role in delivering an intervention")),
        ("support", N_("Yes: a colleague supporting a practitioner new to the role")),
    )),
    RecordField("interview_second_person_left", N_("Did the second person leave before "
                                                    "feedback?"), (
        ("yes", N_("Yes: they left before feedback was given")),
        ("no", N_("No: they stayed for the feedback")),
    )),
    RecordField("interview_feedback", N_("Feedback given"), (
        ("practitioner", N_("Feedback given to the practitioner")),
        ("substitute", N_("Feedback given to the substitute (line manager or supervisor)")),
        ("none", N_("No feedback given")),
    )),
    RecordField("file_read_reason", N_("Why no interview was possible")),
    RecordField("interview_notes", N_("Interview record")),
    RecordField("pop_consent", N_("Person on probation: consent to a telephone interview"), (
        ("yes", N_("Consent given")), ("no", N_("Consent refused")),
        ("not_asked", N_("Not asked")),
    )),
    RecordField("pop_outcome", N_("Person on probation: telephone interview outcome"), (
        ("completed", N_("Interview completed")), ("declined", N_("Declined on the day")),
        ("no_contact", N_("Could not be contacted")), ("not_attempted", N_("Not attempted")),
    )),
    RecordField("pop_notes", N_("Person on probation: what they said")),
    RecordField("conflict_declared", N_("Conflict of interest"), (
        ("no", N_("No conflict of interest")),
        ("yes", N_("I know this person or practitioner, or have another conflict")),
    )),
    RecordField("conflict_reason", N_("Conflict of interest: details")),
    RecordField("excluded", N_("Should this case have been excluded?"), (
        ("no", N_("No")), ("yes", N_("Yes: it does not meet the sample specification")),
    )),
    RecordField("excluded_reason", N_("Why the case should have been excluded")),
    RecordField("rosh_difference_reason",
                N_("Why your RoSH judgement differs from the recorded level")),
)
RECORD_BY_KEY = {f.key: f for f in RECORD_FIELDS}


class ItemError(UserError):
    """An item key or value that does not fit; nothing is written."""


def item_label(framework: Framework, item: str) -> str:
    if item in framework.prompts_by_id:
        return _("prompt {id}").format(id=item)
    if item in framework.key_questions_by_id:
        return _("key question {id} judgement").format(id=item)
    if item.startswith(NOTE):
        return _("evidence note for {id}").format(id=item[len(NOTE):])
    if item.startswith(CASE):
        f = framework.fields_by_id.get(item[len(CASE):])
        return f.label if f else item
    if item in RECORD_BY_KEY:
        return RECORD_BY_KEY[item].label
    return item


def validate(framework: Framework, item: str, value: str) -> str:
    """Return the value to store (text trimmed of trailing space) or raise ItemError.

    An empty value means "clear the item".
    """
    if not isinstance(value, str):
        raise ItemError(_("{item}: the value must be text").format(item=item))
    if "\x00" in value:
        raise ItemError(_("{item}: the value contains a NUL character").format(item=item))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # e.g. a command-line argument holding bytes that are not UTF-8
        raise ItemError(_("{item}: the value is not valid text (it holds bytes that are not "
                          "UTF-8)").format(item=item)) from None
    if value == "":
        if not is_known(framework, item):
            raise ItemError(_("{item} is not an item of framework {framework}").format(
                item=repr(item), framework=framework.id))
        return value
    if item in framework.prompts_by_id:
        kq = framework.key_questions_by_id[framework.parent_of[item]]
        if not framework.is_case_answered(kq):
            raise ItemError(_("prompt {item} belongs to a key question judged qualitatively, "
                              "not per case").format(item=item))
        allowed = ("yes", "no", "na") if framework.prompts_by_id[item].allow_na else ("yes", "no")
        return _choice(item, value, allowed)
    if item in framework.key_questions_by_id:
        kq = framework.key_questions_by_id[item]
        if not framework.is_case_answered(kq):
            raise ItemError(_("key question {item} is judged qualitatively, not per case").format(
                item=item))
        return _choice(item, value, ("yes", "no", "na") if kq.allow_na else ("yes", "no"))
    if item.startswith(NOTE):
        kq_id = item[len(NOTE):]
        if kq_id not in framework.key_questions_by_id:
            raise ItemError(_("{item}: {key_question} is not a key question of {framework}").format(
                item=repr(item), key_question=repr(kq_id), framework=framework.id))
        if not framework.is_case_answered(framework.key_questions_by_id[kq_id]):
            raise ItemError(_("key question {item} is judged qualitatively, not per case").format(
                item=kq_id))
        return _text(item, value, item_label(framework, item))
    if item.startswith(CASE):
        f = framework.fields_by_id.get(item[len(CASE):])
        if f is None or f.kind != "question":
            raise ItemError(_("{item} is not a case question of {framework}").format(
                item=repr(item), framework=framework.id))
        return _choice(item, value, f.values)
    if item in RECORD_BY_KEY:
        field = RECORD_BY_KEY[item]
        if field.choices:
            return _choice(item, value, tuple(c for c, _label in field.choices))
        return _text(item, value, item_label(framework, item))
    raise ItemError(_("{item} is not an item of framework {framework}").format(
        item=repr(item), framework=framework.id))


def key_question_of(framework: Framework, item: str) -> str | None:
    """The key question an item belongs to (a prompt's, a judgement's, an evidence note's).

    None for the case's details and the record's fields.
    """
    if item.startswith(NOTE):
        kq_id = item[len(NOTE):]
    elif item in framework.prompts_by_id:
        kq_id = framework.parent_of[item]
    else:
        kq_id = item
    return kq_id if kq_id in framework.key_questions_by_id else None


def is_known(framework: Framework, item: str) -> bool:
    kq_id = key_question_of(framework, item)
    if kq_id is not None:
        return framework.is_case_answered(framework.key_questions_by_id[kq_id])
    return (
        (item.startswith(CASE) and item[len(CASE):] in framework.fields_by_id)
        or item in RECORD_BY_KEY
    )


def _choice(item: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ItemError(_("{item}: {value} is not one of {allowed}").format(
            item=item, value=repr(value), allowed=", ".join(allowed)))
    return value


def _text(item: str, value: str, label: str) -> str:
    value = value.rstrip()
    check_text(value, label, multiline=True, error=ItemError)
    if len(value) > MAX_TEXT:
        raise ItemError(_("{item}: the text is longer than {n} characters").format(
            item=item, n=f"{MAX_TEXT:,}"))
    return value
