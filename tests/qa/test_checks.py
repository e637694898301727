"""Each QA check finds exactly its own fault, and a clean complete form gives no finding."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest

from hmip_desktop.frameworks import available_frameworks, load_framework
from hmip_desktop.frameworks.loader import parse_framework
from hmip_desktop.qa.checks import CHECKS, CHECKS_BY_NAME, AlertState, CaseForQa, run_checks
from tests.core.framework_fixture import tiny_framework_data
from tests.qa.builders import NOTE_NO, NOTE_YES, build, facts_for

NPS = load_framework("nps-2019-20")
YOUTH = load_framework("youth-2019-20")
SUPERVISION = facts_for(NPS, sample="supervision", sentence_type="community", rosh="high")


def found(case: CaseForQa) -> list[tuple[str, str, str]]:
    return [(f.check, f.item, f.severity) for f in run_checks(case)]


def changed(changes: dict[str, str | None], case: CaseForQa | None = None,
            **other: Any) -> CaseForQa:
    case = case or CLEAN
    items = dict(case.items)
    for k, v in changes.items():
        if v is None:
            items.pop(k, None)
        else:
            items[k] = v
    return replace(case, items=items, **other)


# Every prompt yes, every judgement yes with a note; the inspector agrees the RoSH is high.
CLEAN = changed({"case:inspector_rosh": "high", "record:rosh_difference_reason": None},
                build(NPS, SUPERVISION))


def test_the_clean_case_is_complete_and_gives_no_finding() -> None:
    assert CLEAN.items["2.1.3.d"] == "yes"
    assert found(CLEAN) == []


@pytest.mark.parametrize("fw", available_frameworks(), ids=lambda fw: fw.id)
def test_clean_cases_of_every_framework_and_sample_give_no_finding(fw: Any) -> None:
    sample = fw.fields_by_id["sample"]
    rng = random.Random(fw.id)
    for value in sample.values:
        assert found(build(fw, facts_for(fw, sample=value))) == [], value
        for _ in range(20):  # a realistic mix of answers, judgements and levels
            case = build(fw, facts_for(fw, rng, sample=value), rng)
            assert found(case) == [], (value, case.items)


# (changes to the clean case, other changes, the one expected finding (check, item))
FAULTS: list[tuple[str, dict[str, str | None], dict[str, Any], tuple[str, str]]] = [
    ("conflict", {"record:conflict_declared": "yes", "2.1.1.a": None}, {},
     ("conflict_of_interest", "record:conflict_declared")),
    ("excluded", {"record:excluded": "yes", "2.1.1.a": None, "record:interview_mode": None}, {},
     ("excluded_without_reason", "record:excluded_reason")),
    ("excluded, blank reason", {"record:excluded": "yes", "record:excluded_reason": "  "}, {},
     ("excluded_without_reason", "record:excluded_reason")),
    ("no interview", {"record:interview_mode": None}, {},
     ("no_interview_record", "record:interview_mode")),
    ("substitute, not who", {"record:interview_mode": "substitute",
                             "record:interview_substitute_reason": "On leave."}, {},
     ("interview_record_incomplete", "record:interview_substitute_role")),
    ("substitute, not why", {"record:interview_mode": "substitute",
                             "record:interview_substitute_role": "line_manager"}, {},
     ("interview_record_incomplete", "record:interview_substitute_reason")),
    ("file read, not why", {"record:interview_mode": "file_read"}, {},
     ("interview_record_incomplete", "record:file_read_reason")),
    ("second person, stay not recorded",
     {"record:interview_second_person": "support", "record:interview_feedback": "practitioner"},
     {}, ("interview_record_incomplete", "record:interview_second_person_left")),
    ("feedback to a colleague substitute",
     {"record:interview_mode": "substitute", "record:interview_substitute_role": "colleague",
      "record:interview_substitute_reason": "Long-term sick leave.",
      "record:interview_feedback": "substitute"}, {},
     ("interview_record_inconsistent", "record:interview_feedback")),
    ("second person stayed for feedback",
     {"record:interview_second_person": "previous_practitioner",
      "record:interview_second_person_left": "no", "record:interview_feedback": "practitioner"},
     {}, ("interview_record_inconsistent", "record:interview_second_person_left")),
    ("feedback on a file read",
     {"record:interview_mode": "file_read", "record:file_read_reason": "Practitioner left.",
      "record:interview_feedback": "practitioner"}, {},
     ("interview_record_inconsistent", "record:interview_feedback")),
    ("prompt unanswered", {"2.1.1.a": None}, {}, ("required_item_unanswered", "2.1.1.a")),
    ("judgement unanswered", {"2.2.1": None}, {}, ("required_item_unanswered", "2.2.1")),
    ("case question unanswered", {"case:inspector_rosh": None}, {},
     ("required_item_unanswered", "case:inspector_rosh")),
    ("conflict question unanswered", {"record:conflict_declared": None}, {},
     ("required_item_unanswered", "record:conflict_declared")),
    ("na on a prompt", {"2.1.1.a": "na"}, {}, ("na_not_allowed", "2.1.1.a")),
    ("na on a key question", {"2.1.1": "na"}, {}, ("na_not_allowed", "2.1.1")),
    ("hurdle", {"2.1.3.d": "no"}, {}, ("hurdle_not_applied", "2.1.3")),
    ("yes, most prompts no", {"2.1.1.a": "no", "2.1.1.b": "no"}, {},
     ("yes_despite_most_prompts_no", "2.1.1")),
    ("no, all prompts yes", {"2.1.1": "no", "note:2.1.1": NOTE_NO}, {},
     ("no_despite_all_prompts_yes", "2.1.1")),
    ("no, short note", {"2.1.1.a": "no", "2.1.1": "no", "note:2.1.1": "Weak plan."}, {},
     ("note_too_short_for_no", "note:2.1.1")),
    ("no, no note", {"2.1.1.a": "no", "2.1.1": "no", "note:2.1.1": None}, {},
     ("note_too_short_for_no", "note:2.1.1")),
    ("yes, no note", {"note:2.1.1": None}, {}, ("judgement_without_note", "note:2.1.1")),
    ("yes, blank note", {"note:2.1.1": " \n "}, {}, ("judgement_without_note", "note:2.1.1")),
    ("alert", {}, {"alerts": (AlertState("a1", "2026-11-24T10:00:00.000+00:00", False),)},
     ("alert_not_acknowledged", "alert:a1")),
    ("complete with queries", {}, {"open_queries": 2},
     ("complete_with_open_queries", "status")),
    ("signed off with a query", {}, {"open_queries": 1, "status": "signed_off"},
     ("complete_with_open_queries", "status")),
    ("rosh differs", {"case:inspector_rosh": "very_high"}, {},
     ("rosh_difference_unexplained", "case:inspector_rosh")),
    ("rosh differs, blank reason",
     {"case:inspector_rosh": "medium", "record:rosh_difference_reason": " "}, {},
     ("rosh_difference_unexplained", "case:inspector_rosh")),
]


@pytest.mark.parametrize(("changes", "other", "expected"),
                         [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_each_seeded_fault_gives_exactly_its_finding(
        changes: dict[str, str | None], other: dict[str, Any], expected: tuple[str, str]) -> None:
    check, item = expected
    assert found(changed(changes, **other)) == [(check, item, CHECKS_BY_NAME[check].severity)]


def test_every_check_has_a_seeded_fault_test() -> None:
    assert {f[3][0] for f in FAULTS} == {c.name for c in CHECKS}


def test_severities_are_as_documented() -> None:
    assert {c.name: c.severity for c in CHECKS} == {
        "conflict_of_interest": "must_fix", "excluded_without_reason": "must_fix",
        "no_interview_record": "must_fix", "required_item_unanswered": "must_fix",
        "interview_record_incomplete": "must_fix", "interview_record_inconsistent": "must_fix",
        "na_not_allowed": "must_fix", "rosh_difference_unexplained": "must_fix",
        "hurdle_not_applied": "must_fix", "yes_despite_most_prompts_no": "worth_a_look",
        "no_despite_all_prompts_yes": "worth_a_look", "note_too_short_for_no": "must_fix",
        "judgement_without_note": "worth_a_look", "alert_not_acknowledged": "worth_a_look",
        "complete_with_open_queries": "must_fix",
    }


@pytest.mark.parametrize(("changes", "other"), [
    ({"record:excluded": "yes", "record:excluded_reason": "Sentenced outside the area."}, {}),
    ({"case:inspector_rosh": "medium", "record:rosh_difference_reason": "New police intel."},
     {}),
    ({}, {"alerts": (AlertState("a1", "2026-11-24T10:00:00.000+00:00", True),)}),
    ({}, {"open_queries": 3, "status": "in_progress"}),
    ({}, {"open_queries": 3, "status": "queried"}),
    ({"2.1.1.a": "no", "2.1.1": "no", "note:2.1.1": "x" * 40}, {}),  # exactly the minimum
    ({"2.1.1.a": "no", "2.1.1": "no", "note:2.1.1": "  " + "x" * 40 + "  "}, {}),
    ({"2.1.1.a": "no", "2.1.1": "yes"}, {}),  # 1 of 3 prompts no: a yes can stand
    ({"2.1.1.a": "no", "2.1.1.b": "no", "2.1.1": "no", "note:2.1.1": NOTE_NO}, {}),
    ({"2.1.3.d": "no", "2.1.3": "no", "note:2.1.3": NOTE_NO}, {}),  # the hurdle applied
    ({"2.1.3.d": "na"}, {}),  # allowed there
    # the inspector judges RoSH low: the keeping-safe key questions fall away, answered or not
    ({"case:inspector_rosh": "low", "record:rosh_difference_reason": "Old convictions only.",
      "2.2.3": None, "2.2.3.a": "na", "note:2.2.3": None}, {}),
])
def test_not_a_fault_gives_no_finding(changes: dict[str, str | None],
                                      other: dict[str, Any]) -> None:
    assert found(changed(changes, **other)) == []


def test_exactly_half_the_prompts_no_is_not_most() -> None:
    kq = next(k for k in NPS.case_key_questions() if len(k.prompts) == 4 and k.id != "2.1.3")
    half = {kq.prompts[0].id: "no", kq.prompts[1].id: "no"}
    assert found(changed(half)) == []
    more = {**half, kq.prompts[2].id: "no"}
    assert found(changed(more)) == [("yes_despite_most_prompts_no", kq.id, "worth_a_look")]


def test_the_share_and_the_note_length_come_from_the_framework() -> None:
    data = tiny_framework_data()
    data["qa"] = {"majority_no_share": 0.75, "min_feedback_chars": 10, "rosh_pairs": {}}
    fw = parse_framework(data, "tiny-test.json")
    case = build(fw, {"sentence_type": "post_custody", "rosh": "low"})
    prompts = [p.id for p in fw.key_questions_by_id["2.1.3"].prompts]  # four prompts
    three_no = changed({p: "no" for p in prompts[:3]}, case)
    assert found(three_no) == []  # 3 of 4 is not more than 0.75
    assert found(changed({"2.1.1.a": "no", "2.1.1.b": "no"}, case)) == [
        ("yes_despite_most_prompts_no", "2.1.1", "worth_a_look")]
    assert found(changed({"2.1.1.a": "no", "2.1.1": "no", "note:2.1.1": "Too short"},
                         case)) == [("note_too_short_for_no", "note:2.1.1", "must_fix")]
    assert found(changed({"2.1.1.a": "no", "2.1.1": "no", "note:2.1.1": "Ten chars."},
                         case)) == []
    # no rosh pairs: a level other than the recorded one needs no reason
    assert case.items["case:inspector_rosh"] != "medium"
    assert found(changed({"case:inspector_rosh": "medium"}, case)) == []


def test_youth_safety_and_wellbeing_is_paired_too() -> None:
    facts = facts_for(YOUTH, sample="post_court", rosh="medium", safety_wellbeing="low")
    case = build(YOUTH, facts)
    case = changed({"case:inspector_rosh": "medium", "case:inspector_safety_wellbeing": "low",
                    "record:rosh_difference_reason": None}, case)
    assert found(case) == []
    none = changed({"case:inspector_safety_wellbeing": "none"}, case)
    assert found(none) == [("rosh_difference_unexplained", "case:inspector_safety_wellbeing",
                            "must_fix")]
    both = changed({"case:inspector_rosh": "high"}, none)
    assert [f[1] for f in found(both)] == ["case:inspector_rosh",
                                          "case:inspector_safety_wellbeing"]
    assert found(changed({"record:rosh_difference_reason": "Both rose after May."}, both)) == []


def test_a_case_with_nothing_recorded_is_checked_only_for_alerts_and_queries() -> None:
    blank = replace(CLEAN, items={}, status="not_started")
    assert found(blank) == []
    alert = AlertState("a9", "2026-11-23T09:00:00.000+00:00", False)
    assert found(replace(blank, alerts=(alert,))) == [
        ("alert_not_acknowledged", "alert:a9", "worth_a_look")]


def test_a_partly_done_form_lists_each_missing_item_once_in_form_order() -> None:
    items = {"record:conflict_declared": "no", "record:excluded": "no"}
    findings = run_checks(replace(CLEAN, items=items, status="in_progress"))
    assert findings[0].check == "no_interview_record"
    rest = [f.item for f in findings[1:]]
    assert all(f.check == "required_item_unanswered" for f in findings[1:])
    assert rest[0] == "case:inspector_rosh"
    assert len(rest) == len(set(rest))
    assert "record:interview_mode" not in rest
    assert rest.index("2.1.1.a") < rest.index("2.1.1") < rest.index("2.1.2.a")


def test_messages_are_one_plain_line_naming_no_one() -> None:
    case = changed({"2.1.3.d": "no", "2.1.1": "no", "note:2.1.1": "short",
                    "record:excluded": None, "case:inspector_rosh": None, "2.2.1": None,
                    "2.2.1.a": "na"},
                   alerts=(AlertState("a1", "2026-11-24T10:00:00.000+00:00", False),),
                   open_queries=1, case_ref="CASE-042")
    findings = run_checks(case)
    assert len(findings) >= 5
    for f in findings:
        assert f.message and "\n" not in f.message and f.message.endswith((".", "?"))
        assert not f.message.endswith("?.")
        assert f.case_ref == "CASE-042"
        assert set(f.as_dict()) == {"case_id", "case_ref", "item", "check", "severity",
                                    "message"}
    by_check = {f.check: f.message for f in findings}
    assert by_check["hurdle_not_applied"] == (
        "Key question 2.1.3 is judged yes but prompt 2.1.3.d is no, so a hurdle makes it no.")
    assert by_check["note_too_short_for_no"] == (
        "Key question 2.1.1 is judged no with an evidence note of 5 characters (at least 40 "
        "characters are needed to explain it).")
    assert by_check["complete_with_open_queries"] == (
        "Waiting for the assessor's answer: a query raised after the case was marked complete "
        "is still open, so it cannot be signed off yet.")
    unanswered = [f.message for f in findings if f.check == "required_item_unanswered"]
    assert unanswered == ["Not answered: Should this case have been excluded?",
                          "Not answered: " + NPS.fields_by_id["inspector_rosh"].label,
                          "Not answered: key question 2.2.1 judgement."]
    rosh = run_checks(changed({"case:inspector_rosh": "medium"}))[0].message
    assert rosh == ("Recorded risk of serious harm level is High but the inspector's judgement "
                    "is Medium, with no reason under 'Why your RoSH judgement differs from the "
                    "recorded level'.")


def test_an_open_query_is_worded_by_when_it_was_raised() -> None:
    """Only a query open before the case was completed is put to the assessor's account."""
    def message(**changes: object) -> list[str]:
        case = replace(changed({}), **{"status": "complete", **changes})  # type: ignore[arg-type]
        return [f.message for f in run_checks(case) if f.check == "complete_with_open_queries"]

    assert message(open_queries=1) == [
        "Waiting for the assessor's answer: a query raised after the case was marked complete "
        "is still open, so it cannot be signed off yet."]
    assert message(open_queries=2, open_queries_before=1) == [
        "Marked complete while a query raised earlier was still open: read the assessor's "
        "reply, then close the query or ask again."]
    assert message(open_queries=3, open_queries_before=3) == [
        "Marked complete while 3 queries raised earlier were still open: read the assessor's "
        "replies, then close each or ask again."]
    assert message(open_queries=2, status="signed_off") == [
        "2 queries raised after the sign-off are still open: settle them with the assessor."]
    assert message(open_queries=1, status="in_progress") == []


NO_NOTES = [  # (evidence note on a 'no' judgement, whether it is long enough)
    ("x" * 39, False),
    ("x" * 40, True),
    ("  " + "x" * 39 + " \n", False),  # spaces at either end do not count
    ("Plan weak: no " + "x" * 26, True),  # spaces inside do
    ("", False),
    (NOTE_YES, True),  # the builders' notes: a clean case's 'yes' turned 'no' stays clean
    (NOTE_NO, True),
]


@pytest.mark.parametrize(("note", "enough"), NO_NOTES)
def test_a_no_judgement_needs_a_note_of_the_framework_minimum(note: str, enough: bool) -> None:
    assert NPS.qa.min_feedback_chars == 40
    case = changed({"2.1.1.a": "no", "2.1.1.b": "no", "2.1.1": "no", "note:2.1.1": note})
    expected = [] if enough else [("note_too_short_for_no", "note:2.1.1", "must_fix")]
    assert found(case) == expected
    # a 'yes' judgement asks only for a note, of any length
    as_yes = changed({"2.1.1": "yes", "note:2.1.1": note or None})
    assert found(as_yes) == ([] if note else [("judgement_without_note", "note:2.1.1",
                                               "worth_a_look")])


def test_a_full_interview_record_gives_no_finding_and_inconsistencies_are_worded() -> None:
    substitute = changed({"record:interview_mode": "substitute",
                          "record:interview_substitute_role": "line_manager",
                          "record:interview_substitute_reason": "The practitioner is on leave.",
                          "record:interview_second_person": "none",
                          "record:interview_feedback": "substitute"})
    assert found(substitute) == []
    to_colleague = changed({"record:interview_substitute_role": "colleague"}, substitute)
    [finding] = run_checks(to_colleague)
    assert "not the practitioner's line manager or supervisor" in finding.message
    assert "record:" not in finding.message
