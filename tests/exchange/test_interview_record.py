"""The practitioner interview record: contradictions refused at completion (as the QA
partner's sign-off would refuse them), and the record travels to the lead in the assessor's
bundle."""

from __future__ import annotations

import pytest

from hmip_desktop.assessment import interview
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.qa.readiness import NotReadyError, completion_readiness, mark_complete_checked
from tests.exchange.conftest import Env, assert_one_line

SUBSTITUTE = {
    interview.MODE: "substitute",
    interview.SUBSTITUTE_ROLE: "colleague",
    interview.SUBSTITUTE_REASON: "The practitioner is on long-term leave.",
    interview.SECOND_PERSON: "none",
    interview.FEEDBACK: "substitute",
}


def test_feedback_to_a_colleague_substitute_is_refused_then_the_record_reaches_the_lead(
        ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    a1 = env.ws("a1")
    cid = team.cases_of("a1")[0]
    a = a1.read_assessment(cid)
    for item in a.completeness.missing:  # everything else the form needs
        if item.item not in SUBSTITUTE:
            a1.save_item(cid, item.item, {"record:conflict_declared": "no",
                                          "record:excluded": "no",
                                          "case:inspector_rosh": "high"}.get(item.item, "yes"))
    for item, value in SUBSTITUTE.items():
        a1.save_item(cid, item, value)

    with pytest.raises(NotReadyError) as refused:
        mark_complete_checked(a1, cid)
    assert_one_line(refused.value)
    assert "not the practitioner's line manager or supervisor" in str(refused.value)
    assert a1.read_assessment(cid).status == "in_progress"

    a1.save_item(cid, interview.FEEDBACK, "none")  # no feedback to such a substitute
    mark_complete_checked(a1, cid)

    bundle = env.bundle("a1-interview.hmipb")
    export_assessments(a1, team.iid, bundle)
    lead = env.ws("lead")
    service.import_file(lead, bundle)
    held = lead.read_assessment(cid)
    assert {k: held.items.get(k) for k in SUBSTITUTE} == {**SUBSTITUTE, interview.FEEDBACK: "none"}
    assert interview.summary(held.items) == (
        "A suitable substitute interviewed; another colleague who knows the case; "
        "no feedback given")


def test_a_second_person_needs_to_have_left_before_feedback(ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    a1 = env.ws("a1")
    cid = team.cases_of("a1")[0]
    a1.save_item(cid, interview.MODE, "in_person")
    a1.save_item(cid, interview.SECOND_PERSON, "support")
    a1.save_item(cid, interview.FEEDBACK, "practitioner")
    a = a1.read_assessment(cid)
    assert interview.SECOND_PERSON_LEFT in [m.item for m in a.completeness.missing]
    a1.save_item(cid, interview.SECOND_PERSON_LEFT, "no")
    ready = completion_readiness(a1, cid)
    assert [p.message for p in ready.must_fix if "second person" in p.message] == [
        "The second person stayed while feedback was given: they should leave the interview "
        "first (Probation inspections external guidance manual, section 6.6)."]
    a1.save_item(cid, interview.SECOND_PERSON_LEFT, "yes")
    assert not [p for p in completion_readiness(a1, cid).must_fix
                if "second person" in p.message]


def test_a_file_read_needs_its_reason(ready_env: Env) -> None:
    a1 = ready_env.ws("a1")
    cid = ready_env.team.cases_of("a1")[0]
    a1.save_item(cid, interview.MODE, "file_read")
    missing = [m for m in a1.read_assessment(cid).completeness.missing
               if m.item == interview.FILE_READ_REASON]
    assert [m.label for m in missing] == ["Why no interview was possible"]
