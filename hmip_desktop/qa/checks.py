"""The lunchtime quality assurance checks on one case's assessment form, as pure functions.

The supporting inspector checks "that the case assessment forms are fully completed, that the
summary judgements are consistent with the answers to the underpinning questions" (000_ §3.10),
so that inspectors "form similar judgements in similar cases" (003_ §4.12). Each check has a
stable snake_case name and one severity:

``must_fix`` — the form is wrong or incomplete by the framework's rules and must change;
``worth_a_look`` — it may be right, but the QA partner should talk it through.

=============================  ============  ===================================================
check                          severity      finds
=============================  ============  ===================================================
conflict_of_interest           must_fix      a conflict of interest is declared (the form is
                                             blocked; no other item check runs)
excluded_without_reason        must_fix      'should have been excluded' is yes, with no reason
no_interview_record            must_fix      ``record:interview_mode`` is not recorded
interview_record_incomplete    must_fix      the interview record names a substitute, a
                                             second person at feedback or a file read without
                                             the details that go with it (who, why)
interview_record_inconsistent  must_fix      the interview record contradicts the manuals
                                             (000_ §6.6; 002_ §6.6): feedback to a substitute
                                             who is not the line manager, a second person
                                             present at feedback, feedback on a file read
required_item_unanswered       must_fix      an item a complete form needs is empty, one
                                             finding per item (``required_items``, so
                                             applicability and hurdles are applied)
na_not_allowed                 must_fix      'na' stored on an applicable prompt or key
                                             question whose framework entry has no
                                             ``allow_na`` (imports, framework changes)
rosh_difference_unexplained    must_fix      the inspector's judgement (a case question named
                                             in the framework's ``qa.rosh_pairs``) differs from
                                             the recorded level (the paired case fact) and
                                             ``record:rosh_difference_reason`` is empty
hurdle_not_applied             must_fix      a hurdle's condition holds (e.g. its prompt is
                                             'no') but the judgement is not what it forces
yes_despite_most_prompts_no    worth_a_look  judged 'yes' while more than ``qa.majority_no_share``
                                             of the applicable answered prompts are 'no'
no_despite_all_prompts_yes     worth_a_look  judged 'no' while every applicable prompt is
                                             answered and none is 'no' (at least one 'yes')
note_too_short_for_no          must_fix      judged 'no' with an evidence note shorter than
                                             ``qa.min_feedback_chars``: a negative judgement
                                             is fed back to the organisation and the
                                             practitioner, so its reasons must be written down
judgement_without_note         worth_a_look  judged 'yes' or 'na' with no evidence note (or
                                             'no' with none when the minimum length is 0)
alert_not_acknowledged         worth_a_look  an alert on the case is not yet acknowledged
complete_with_open_queries     must_fix      marked complete or signed off while queries on
                                             the case are still open; worded by when they
                                             were raised: before the case was completed (the
                                             assessor completed it with them open) or after
                                             (they wait for the assessor's answer)
=============================  ============  ===================================================

Scope: a case with nothing recorded yet gets only the alert and query checks (the case list
already shows it as not started); a case marked 'should have been excluded' gets only
``excluded_without_reason`` and those two, because its answers do not count. Key-question
checks look only at applicable, case-answered key questions; a judgement fixed by a hurdle is
not also tested against its prompts. Every missing item is reported once, by the most specific
check (``no_interview_record``, ``interview_record_incomplete`` and
``excluded_without_reason`` rather than
``required_item_unanswered``). Messages are one line and name no one: the case reference is
the only identifying detail a finding carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from hmip_desktop.assessment import interview
from hmip_desktop.assessment.completeness import referred_values, required_items
from hmip_desktop.assessment.items import CASE, NOTE, RECORD, RECORD_BY_KEY, item_label
from hmip_desktop.frameworks.conditions import CaseRules, evaluate, evaluate_case, refs
from hmip_desktop.frameworks.model import (
    Framework,
    KeyQuestion,
)
from hmip_desktop.i18n import _, current_language

Severity = Literal["must_fix", "worth_a_look"]
MUST_FIX: Severity = "must_fix"
WORTH_A_LOOK: Severity = "worth_a_look"

INTERVIEW = RECORD + "interview_mode"
EXCLUDED = RECORD + "excluded"
EXCLUDED_REASON = RECORD + "excluded_reason"
CONFLICT = RECORD + "conflict_declared"
ROSH_REASON = RECORD + "rosh_difference_reason"
COMPLETE_STATUSES = ("complete", "signed_off")


@dataclass(frozen=True)
class Check:
    name: str
    severity: Severity
    summary: str


UNANSWERED = "required_item_unanswered"  # the check screens fold when a form is half done

CHECKS: tuple[Check, ...] = (
    Check("conflict_of_interest", MUST_FIX, "a conflict of interest is declared"),
    Check("excluded_without_reason", MUST_FIX,
          "'should have been excluded' is yes with no reason"),
    Check("no_interview_record", MUST_FIX, "the practitioner interview is not recorded"),
    Check("interview_record_incomplete", MUST_FIX,
          "the interview record lacks who attended or why"),
    Check("interview_record_inconsistent", MUST_FIX,
          "the interview record contradicts the manuals"),
    Check(UNANSWERED, MUST_FIX, "an item a complete form needs is empty"),
    Check("na_not_allowed", MUST_FIX, "'not applicable' where the framework does not allow it"),
    Check("rosh_difference_unexplained", MUST_FIX,
          "the inspector's level differs from the recorded one with no reason"),
    Check("hurdle_not_applied", MUST_FIX, "a judgement differs from what a hurdle forces"),
    Check("yes_despite_most_prompts_no", WORTH_A_LOOK,
          "judged yes while most answered prompts are no"),
    Check("no_despite_all_prompts_yes", WORTH_A_LOOK, "judged no while every prompt is yes"),
    Check("note_too_short_for_no", MUST_FIX, "a 'no' judgement with too short an evidence note"),
    Check("judgement_without_note", WORTH_A_LOOK, "a judgement with no evidence note"),
    Check("alert_not_acknowledged", WORTH_A_LOOK, "an alert is not yet acknowledged"),
    Check("complete_with_open_queries", MUST_FIX,
          "a complete or signed-off case has a query still open"),
)
CHECKS_BY_NAME: Mapping[str, Check] = {c.name: c for c in CHECKS}


@dataclass(frozen=True)
class Finding:
    """One thing the QA partner should raise with the assessor about one case."""

    case_id: str
    case_ref: str
    item: str
    """The item key to look at (``2.1.1``, ``note:2.1.1``, ``record:…``, ``case:…``), or
    ``alert:<id>`` for an alert and ``status`` for the case's status."""
    check: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"case_id": self.case_id, "case_ref": self.case_ref, "item": self.item,
                "check": self.check, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class AlertState:
    id: str
    raised_at: str
    acknowledged: bool


@dataclass(frozen=True)
class CaseForQa:
    """Everything the checks read about one case; no database needed."""

    framework: Framework
    case_id: str
    case_ref: str
    facts: Mapping[str, str]
    items: Mapping[str, str]
    status: str = "in_progress"
    alerts: tuple[AlertState, ...] = ()
    open_queries: int = 0
    """Queries raised on the case and not yet resolved (the store will supply them)."""
    open_queries_before: int = 0
    """Of those, the ones raised before the case reached its status (complete): the assessor
    completed the case with them open. The rest were raised afterwards and wait for an
    answer, which is nobody's fault yet."""


def run_checks(case: CaseForQa) -> list[Finding]:
    """Every finding for one case.

    The form's gaps in form order, then each key question's findings in framework order, then
    alerts and open queries.
    """
    return list(_Run(case).findings())


def run_checks_many(cases: Iterable[CaseForQa]) -> list[Finding]:
    return [f for case in cases for f in run_checks(case)]


# "Not answered: …" for each item, per framework and language: the same few dozen messages
# come up for most cases of an inspection, so each is worded once.
_SAID: dict[tuple[str, str], dict[str, str]] = {}


def _said(framework: Framework) -> dict[str, str]:
    key = (framework.hash, current_language())
    held = _SAID.get(key)
    if held is None:
        if len(_SAID) > 16:
            _SAID.clear()
        held = _SAID[key] = {}
    return held


class _Run:
    def __init__(self, case: CaseForQa) -> None:
        self.case = case
        self.fw = case.framework
        self.items = case.items
        # Only the values the rules read: the rules and the hurdles' messages use no other.
        self.values = referred_values(self.fw, case.facts, case.items)
        self.rules: CaseRules = evaluate_case(self.fw, self.values)

    def finding(self, check: str, item: str, message: str) -> Finding:
        return Finding(self.case.case_id, self.case.case_ref, item, check,
                       CHECKS_BY_NAME[check].severity, message)

    def findings(self) -> Iterator[Finding]:
        if any(self.items.values()):
            if self.items.get(CONFLICT) == "yes":
                yield self.finding("conflict_of_interest", CONFLICT, _(
                    "A conflict of interest is declared: the lead must re-allocate the case "
                    "before it is assessed."))
            elif self.items.get(EXCLUDED) == "yes":
                if not self.items.get(EXCLUDED_REASON, "").strip():
                    yield self.finding("excluded_without_reason", EXCLUDED_REASON, _(
                        "The case is marked 'should have been excluded' with no reason given."))
            else:
                yield from self.form()
        yield from self.alerts()
        yield from self.queries()

    # -- the form ---------------------------------------------------------------------------

    def form(self) -> Iterator[Finding]:
        items = self.items
        if not items.get(INTERVIEW):
            yield self.finding("no_interview_record", INTERVIEW, _(
                "The practitioner interview is not recorded: choose in person, phone, "
                "substitute or file read."))
        details = set(interview.required(items))
        unanswered = [i for i in required_items(self.fw, self.rules, items)
                      if not items.get(i)]
        if unanswered:
            said = _said(self.fw)
        for item in unanswered:
            if item in details:
                yield self.finding("interview_record_incomplete", item, _(
                    "The interview record is incomplete: answer '{what}'.").format(
                        what=item_label(self.fw, item)))
            elif item != INTERVIEW:
                message = said.get(item)
                if message is None:
                    what = item_label(self.fw, item)
                    message = said[item] = _("Not answered: {what}").format(what=what) + (
                        "" if what.endswith("?") else ".")
                yield self.finding(UNANSWERED, item, message)
        for problem in interview.problems(items):
            yield self.finding("interview_record_inconsistent", problem.item, problem.message)
        yield from self.rosh_pairs()
        na = self.rules.not_applicable
        any_na = "na" in items.values()  # else a key question not judged has nothing to find
        for kq in self.fw.case_key_questions():
            if kq.id not in na and (any_na or items.get(kq.id)):
                yield from self.key_question(kq)

    def rosh_pairs(self) -> Iterator[Finding]:
        if self.items.get(ROSH_REASON, "").strip():
            return
        for pair in self.fw.qa.rosh_pairs:
            judged = self.items.get(CASE + pair.question)
            recorded = self.case.facts.get(pair.fact)
            if judged and recorded and judged != recorded:
                q = self.fw.fields_by_id[pair.question]
                f = self.fw.fields_by_id[pair.fact]
                yield self.finding("rosh_difference_unexplained", CASE + pair.question, _(
                    "{fact} is {recorded} but the inspector's judgement is {judged}, with no "
                    "reason under '{reason}'.").format(
                        fact=f.label, recorded=f.label_of(recorded), judged=q.label_of(judged),
                        reason=RECORD_BY_KEY[ROSH_REASON].label))

    def key_question(self, kq: KeyQuestion) -> Iterator[Finding]:
        na, items = self.rules.not_applicable, self.items
        prompts = [p for p in kq.prompts if p.id not in na] if na else kq.prompts
        answers = [items.get(p.id) for p in prompts]
        if "na" in answers:
            for p, answer in zip(prompts, answers, strict=True):
                if answer == "na" and not p.allow_na:
                    yield self.finding("na_not_allowed", p.id, _(
                        "Prompt {id} is answered 'not applicable', which the framework does "
                        "not allow for it: answer yes or no.").format(id=p.id))
        judgement = items.get(kq.id)
        if not judgement:
            return
        if judgement == "na" and not kq.allow_na:
            yield self.finding("na_not_allowed", kq.id, _(
                "Key question {id} is judged 'not applicable', which the framework does not "
                "allow for it: judge it yes or no.").format(id=kq.id))
        forced = self.rules.forced.get(kq.id)
        if forced is not None:
            if judgement != forced[0]:
                yield self.finding("hurdle_not_applied", kq.id, self.hurdle_message(
                    kq.id, judgement, forced[0]))
        else:
            yes = answers.count("yes")
            no = answers.count("no")
            share = self.fw.qa.majority_no_share
            if judgement == "yes" and no and no / (yes + no) > share:
                yield self.finding("yes_despite_most_prompts_no", kq.id, _(
                    "Key question {id} is judged yes but {no} of its {n} answered prompts are "
                    "no: check the judgement follows the evidence.").format(
                        id=kq.id, no=no, n=yes + no))
            if (judgement == "no" and yes and not no and all(answers)):
                yield self.finding("no_despite_all_prompts_yes", kq.id, _(
                    "Key question {id} is judged no but none of its prompts is no: check the "
                    "judgement or the prompts.").format(id=kq.id))
        note = self.items.get(NOTE + kq.id, "").strip()
        minimum = self.fw.qa.min_feedback_chars
        if judgement == "no" and len(note) < minimum:
            yield self.finding("note_too_short_for_no", NOTE + kq.id, _(
                "Key question {id} is judged no with {have} (at least {minimum} characters "
                "are needed to explain it).").format(
                    id=kq.id, minimum=minimum,
                    have=_("an evidence note of {n} characters").format(n=len(note))
                    if note else _("no evidence note")))
        elif not note:
            yield self.finding("judgement_without_note", NOTE + kq.id, _(
                "Key question {id} is judged {judgement} with no evidence note.").format(
                    id=kq.id, judgement=_("not applicable") if judgement == "na" else judgement))

    def hurdle_message(self, kq_id: str, judgement: str, forced: str) -> str:
        causes: list[str] = []
        for h in self.fw.hurdles:
            if h.item == kq_id and evaluate(h.when, self.values):
                causes = [f"{r.ref} is {self.values[r.ref]}" for r in refs(h.when)
                          if r.ref in self.fw.prompts_by_id
                          and self.values.get(r.ref) in r.values]
                break
        because = _(", so a hurdle makes it {forced}").format(forced=forced)
        if causes:
            because = _(" but prompt {causes}").format(causes=", ".join(causes)) + because
        return _("Key question {id} is judged {judgement}{because}.").format(
            id=kq_id, judgement=judgement, because=because)

    # -- the case ---------------------------------------------------------------------------

    def alerts(self) -> Iterator[Finding]:
        for a in self.case.alerts:
            if not a.acknowledged:
                yield self.finding("alert_not_acknowledged", f"alert:{a.id}", _(
                    "An alert raised on {day} is not yet acknowledged: check the deputy lead "
                    "has it in hand.").format(day=a.raised_at[:10]))

    def queries(self) -> Iterator[Finding]:
        n = self.case.open_queries
        if n <= 0 or self.case.status not in COMPLETE_STATUSES:
            return
        before = min(self.case.open_queries_before, n)
        if self.case.status == "signed_off":  # a sign-off is refused while one is open
            message = (_("A query raised after the sign-off is still open: settle it with the "
                         "assessor.") if n == 1 else
                       _("{n} queries raised after the sign-off are still open: settle them "
                         "with the assessor.").format(n=n))
        elif before:  # the assessor completed the case with these open
            message = (_("Marked complete while a query raised earlier was still open: read "
                         "the assessor's reply, then close the query or ask again.")
                       if before == 1 else
                       _("Marked complete while {n} queries raised earlier were still open: "
                         "read the assessor's replies, then close each or ask again.")
                       .format(n=before))
        else:  # raised on the completed case: the assessor has not had the chance to answer
            message = (_("Waiting for the assessor's answer: a query raised after the case was "
                         "marked complete is still open, so it cannot be signed off yet.")
                       if n == 1 else
                       _("Waiting for the assessor's answers: {n} queries raised after the "
                         "case was marked complete are still open, so it cannot be signed off "
                         "yet.").format(n=n))
        yield self.finding("complete_with_open_queries", "status", message)
