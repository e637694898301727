"""The fieldwork week: the framework's schedule section, the interviews placed around its fixed
events, the domain-one meetings, and the lead's interview time checked against it."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks.loader import FrameworkError, parse_framework
from hmip_desktop.setup.allocation import Case, Member, even_split
from hmip_desktop.setup.apply import allocate_evenly
from hmip_desktop.setup.schedule_service import (
    inspection_week,
    member_schedule_html,
    schedule_json,
    set_interview_time,
)
from hmip_desktop.setup.week import EVENT, INTERVIEW, MEETING, ScheduleError, plan_week
from hmip_desktop.setup.week_rules import ScheduleRules
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.store.helpers import PASSPHRASE, assert_one_line, db_digests

MONDAY = date(2026, 11, 23)
SUPERVISION = {"sample": "supervision", "gender": "female", "sentence_type": "community",
               "rosh": "high"}


def shipped(name: str) -> dict[str, Any]:
    return json.loads(resource("frameworks", f"{name}.json").read_bytes())


def rules_of(name: str) -> ScheduleRules:
    rules = parse_framework(shipped(name), name).schedule
    assert rules is not None
    return rules


def team() -> tuple[Member, ...]:
    return (Member("a1", "Ann Local", "assessor"), Member("q1", "Quinn Support", "qa"),
            Member("l1", "Lee Lead", "lead"))


def adult_plan(n_cases: int = 8):  # type: ignore[no-untyped-def]
    cases = [Case(f"C{i:02d}", "", f"Practitioner {i}", SUPERVISION) for i in range(n_cases)]
    return plan_week(rules_of("nps-2019-20"), even_split(cases, team()[:2]) , MONDAY)


# -- the section in the framework file ------------------------------------------------------

def test_every_shipped_framework_has_a_week() -> None:
    assert [len(rules_of(n).weeks) for n in ("nps-2019-20", "crc-2019-20", "dipp-2025",
                                               "youth-2019-20")] == [1, 1, 2, 3]
    dipp = rules_of("dipp-2025")
    assert [w.kind for w in dipp.weeks] == ["remote", "on_site"]
    assert [w.interviews for w in dipp.weeks] == [True, False]
    rpd = next(m for m in dipp.meetings if m.fixed)
    assert (rpd.week, rpd.day) == (2, 0)  # the RPD on the on-site Monday
    youth = rules_of("youth-2019-20")
    assert youth.minutes_for({"sample": "out_of_court"}) == 45
    assert youth.minutes_for({"sample": "post_court"}) == 60
    assert [w.joint_only for w in youth.weeks] == [False, True, True]
    assert rules_of("nps-2019-20").minutes_for({"sample": "court_report"}) is None


@pytest.mark.parametrize(("change", "fault"), [
    (lambda s: s["hours"].update(start="9am"), "schedule.hours.start"),
    (lambda s: s["events"][0].update(days=["sunday"]), "schedule.events[0].days[0]"),
    (lambda s: s["meetings"][1]["group"].update(most=12), "schedule.meetings[1].group.most"),
    (lambda s: s["meetings"][0].pop("start"), "schedule.meetings[0]"),
    (lambda s: s["events"][0].update(week=3), "schedule.events[0].week"),
    (lambda s: s["weeks"][0].update(first_day_start="07:00"), "schedule.weeks[0]"),
    (lambda s: s["interviews"].update(minutes=5), "schedule.interviews.minutes"),
    (lambda s: s["weeks"][0].update(last_day="thursday"), "schedule.events[2]"),
    (lambda s: s["weeks"][0].update(last_day="sunday"), "schedule.weeks[0].last_day"),
    (lambda s: s["meetings"][0].update(single_only="yes"), "schedule.meetings[0].single_only"),
    (lambda s: s.update(colour="red"), "schedule"),
])
def test_a_bad_schedule_section_is_refused_with_its_path(change: Any, fault: str) -> None:
    data = copy.deepcopy(shipped("nps-2019-20"))
    change(data["schedule"])
    with pytest.raises(FrameworkError) as e:
        parse_framework(data, "nps.json")
    assert fault in str(e.value)
    assert_one_line(e.value)


def test_a_framework_without_a_week_still_loads() -> None:
    data = shipped("nps-2019-20")
    del data["schedule"]
    assert parse_framework(data, "nps.json").schedule is None


# -- the week built from it -----------------------------------------------------------------

def test_adult_week_starts_monday_afternoon_with_the_observation() -> None:
    plan = adult_plan()
    interviews = [e for e in plan.entries if e.kind == INTERVIEW]
    monday = [e for e in interviews if e.day == MONDAY]
    assert monday and all(e.start >= 13 * 60 for e in monday)
    observed = next(e for e in plan.of("q1") if e.kind == INTERVIEW)
    observation = next(e for e in plan.of("a1") if e.label.startswith("Observation"))
    assert (observed.day, observed.start) == (observation.day, observation.start)
    first_own = min(e for e in plan.of("a1") if e.kind == INTERVIEW)
    assert (first_own.day, first_own.start) >= (observation.day, observation.end)


def test_no_interview_over_a_qa_lunchtime_and_the_debrief_on_friday() -> None:
    plan = adult_plan(12)
    lunches = [e for e in plan.of("a1") if e.label.startswith("Lunchtime")]
    assert [e.day.weekday() for e in lunches] == [1, 2, 3]
    for lunch in lunches:
        assert not [e for e in plan.of("a1") if e.kind == INTERVIEW and e.day == lunch.day
                    and e.start < lunch.end and lunch.start < e.end]
    debrief = [e for e in plan.of("a1") if e.kind == EVENT and "debrief" in e.label]
    assert [e.day.weekday() for e in debrief] == [4]
    assert not plan.unscheduled


def test_domain_one_meetings_are_placed_and_the_fixed_one_keeps_its_time() -> None:
    rules = rules_of("dipp-2025")
    plan = plan_week(rules, even_split([], team()), MONDAY)
    meetings = plan.of("l1")
    assert {m.label for m in rules.meetings} == {e.label for e in meetings if e.kind == MEETING}
    rpd = next(e for e in meetings if e.label.startswith("Regional probation director"))
    assert (rpd.day, rpd.start) == (date(2026, 11, 30), 14 * 60)
    assert all(e.day >= date(2026, 11, 30) for e in meetings if e.kind == MEETING)
    assert not [e for e in plan.of("a1") if e.kind == MEETING]


def test_youth_out_of_court_interviews_take_45_minutes() -> None:
    cases = [Case("Y1", facts={"sample": "out_of_court"}), Case("Y2", facts={"sample":
                                                                              "post_court"})]
    plan = plan_week(rules_of("youth-2019-20"), even_split(cases, team()[:1]), MONDAY)
    assert {e.label: e.minutes for e in plan.entries if e.kind == INTERVIEW} == {"Y1": 45,
                                                                                 "Y2": 60}
    joint = plan_week(rules_of("youth-2019-20"), even_split(cases, team()[:1]), MONDAY,
                      joint=True)
    assert len(joint.days) == 9 and len(plan.days) == 5


def test_youth_joint_second_week_follows_a_review_week_and_ends_thursday_evening() -> None:
    """Youth offending service inspections external guidance manual, §2.4: the first fieldwork
    week "is followed by an off-site review week and then a second fieldwork week"; §6.9: "For
    joint inspections, the second week of fieldwork concludes on Thursday evening", with the
    final meeting with the head of service "on the Thursday morning of the second week";
    §5.3: in that week "team meetings are held daily"."""
    lead = (Member("l1", "Lee Lead", "lead"),)
    rules = rules_of("youth-2019-20")
    joint = plan_week(rules, even_split([], lead), MONDAY, joint=True)
    second = [d for d in joint.days if d.week.joint_only]
    assert [d.day for d in second] == [MONDAY + timedelta(days=14 + n) for n in range(4)]
    assert second[-1].day.strftime("%A") == "Thursday" and second[-1].end == 17 * 60 + 30
    assert not [d for d in joint.days if MONDAY + timedelta(days=7) <= d.day
                < MONDAY + timedelta(days=14)]  # the review week is off site
    final = [e for e in joint.of("l1") if e.label.startswith("Final meeting")]
    assert [(e.day, e.start) for e in final] == [(MONDAY + timedelta(days=17), 10 * 60)]
    team = [e.day for e in joint.of("l1") if e.label == "Inspection team meeting"]
    assert [d for d in team if d >= second[0].day] == [d.day for d in second]
    single = plan_week(rules, even_split([], lead), MONDAY)
    assert single.days[-1].day.strftime("%A") == "Friday" and single.days[-1].end == 13 * 60
    assert [e.day for e in single.of("l1") if e.label.startswith("Final meeting")] == \
        [MONDAY + timedelta(days=3)]


# -- the workspace: allocation, the lead's interview time, the printable schedule ----------

@pytest.fixture
def lead(tmp_path: Path) -> tuple[Workspace, str, dict[str, str]]:
    ws = Workspace.create(tmp_path / "lead", PASSPHRASE, owner_name="Lee Lead", role="lead")
    iid = ws.create_inspection(title="Week test", organisation="Test division",
                               framework_bytes=resource("frameworks",
                                                        "nps-2019-20.json").read_bytes(),
                               fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
    ids = {"ann": ws.add_member(iid, name="Ann Local", role="assessor"),
           "quinn": ws.add_member(iid, name="Quinn Support", role="qa"),
           "lee": ws.add_member(iid, name="Lee Lead", role="lead")}
    for n in range(8):
        ws.add_case(iid, case_ref=f"WK-{n:02d}", facts=SUPERVISION,
                    practitioner=f"Practitioner {n}")
    allocate_evenly(ws, iid, [MONDAY.replace(day=23 + d) for d in range(5)])
    return ws, iid, ids


def test_allocation_keeps_the_week_and_the_lead_sees_every_diary(
        lead: tuple[Workspace, str, dict[str, str]]) -> None:
    ws, iid, ids = lead
    week = inspection_week(ws, iid)
    times = [c["interview_at"] for c in ws.allocations(iid) if c["interview_at"]]
    assert len(times) == 8
    assert not [t for t in times if t.startswith("2026-11-23T") and t < "2026-11-23T13:00"]
    labels = {e.label for e in week.plan.of(ids["ann"])}
    assert any(x.startswith("Observation") for x in labels)
    assert any(x.startswith("Lunchtime") for x in labels)
    assert {e.kind for e in week.plan.of(ids["lee"])} == {MEETING}
    data = schedule_json(week, ids["ann"])
    assert data["members"][0]["name"] == "Ann Local"
    html = member_schedule_html(week, ids["ann"])
    assert "Schedule for Ann Local" in html and "Monday 23 November 2026" in html
    assert ids["ann"] not in html  # no internal ids on paper


@pytest.mark.parametrize(("when", "words"), [
    ("2026-11-23 10:00", "before fieldwork starts at 13:00 on the Monday"),
    ("2026-11-24 12:45", "overlaps Lunchtime quality assurance"),
    ("2026-11-25 18:00", "outside fieldwork hours"),
    ("2026-11-30 10:00", "not on a fieldwork day"),
    ("24/11/2026 10:00", "not a date and time"),
])
def test_a_bad_interview_time_is_refused_in_one_line_and_nothing_written(
        lead: tuple[Workspace, str, dict[str, str]], when: str, words: str) -> None:
    ws, iid, ids = lead
    case = next(c for c in ws.allocations(iid) if c["member_id"] == ids["ann"])
    before = db_digests(ws.folder), ws.allocations(iid)
    with pytest.raises(ScheduleError) as e:
        set_interview_time(ws, case["id"], ids["ann"], when)
    assert words in str(e.value)
    assert_one_line(e.value)
    assert (db_digests(ws.folder), ws.allocations(iid)) == before


def test_an_interview_over_another_of_the_same_member_is_refused(
        lead: tuple[Workspace, str, dict[str, str]]) -> None:
    ws, iid, ids = lead
    mine = [c for c in ws.allocations(iid) if c["member_id"] == ids["ann"]]
    other = mine[1]["interview_at"].replace("T", " ")
    with pytest.raises(ScheduleError, match="overlaps"):
        set_interview_time(ws, mine[0]["id"], ids["ann"], other)


def test_a_good_interview_time_is_kept(lead: tuple[Workspace, str, dict[str, str]]) -> None:
    ws, iid, ids = lead
    case = next(c for c in ws.allocations(iid) if c["member_id"] == ids["ann"])
    set_interview_time(ws, case["id"], ids["ann"], "2026-11-26 16:00")
    assert ws.find_case(case["id"]).interview_at == "2026-11-26T16:00"
    assert ws.find_case(case["id"]).interview_minutes == 60


def test_a_second_allocation_keeps_clear_of_the_interviews_already_set(lead) -> None:
    """Cases added after the first allocation never double-book a member's interview time."""
    ws, iid, _ids = lead
    for n in range(8, 14):
        ws.add_case(iid, case_ref=f"WK-{n:02d}", facts=SUPERVISION,
                    practitioner=f"Practitioner {n}")
    allocate_evenly(ws, iid, [MONDAY.replace(day=23 + d) for d in range(5)])
    times: dict[str, list[datetime]] = {}
    for row in ws.allocations(iid):
        if row["interview_at"]:
            at = datetime.fromisoformat(row["interview_at"].replace(" ", "T"))
            times.setdefault(row["member_id"], []).append(at)
    assert sum(len(t) for t in times.values()) > 8  # the new cases were given times too
    for member, starts in times.items():
        starts.sort()
        for a, b in pairwise(starts):  # an interview is an hour (NPS): none may overlap
            assert a.date() != b.date() or b - a >= timedelta(minutes=60), (member, a, b)
