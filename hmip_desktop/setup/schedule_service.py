"""The inspection's week read from the workspace, and each member's printable schedule.

Also the lead's "set interview time", with the week's checks (refused in one line, nothing
written).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from typing import Any

from hmip_desktop.day_names import long_day
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.languages import shown
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.setup.allocation import Allocation, Case, Member
from hmip_desktop.setup.languages import language_refusal
from hmip_desktop.setup.week import (
    INTERVIEW,
    Entry,
    ScheduleError,
    WeekPlan,
    check_week,
    interview_entry,
    plan_week,
)
from hmip_desktop.setup.week_rules import ScheduleRules, clock_text
from hmip_desktop.store.reads import assigned_interviews
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class InspectionWeek:
    title: str
    rules: ScheduleRules
    plan: WeekPlan
    names: dict[str, str]  # member id → name
    roles: dict[str, str]
    framework: Framework | None = None
    """Gives the Welsh of the week's labels; the plan itself keeps the file's English."""

    def said(self, english: str) -> str:
        """A label of the framework's week in the language in use ("(English only)" if none)."""
        if self.framework is None or not english:
            return english
        return shown(self.framework, english).marked()


def _rules(framework: Framework) -> ScheduleRules:
    rules = framework.schedule
    if rules is None:
        raise UserError(_("this inspection's framework has no fieldwork week"))
    return rules


def _first_monday(ws: Workspace, inspection_id: str) -> tuple[str, date]:
    row = next((i for i in ws.inspections() if i["id"] == inspection_id), None)
    if row is None:
        raise UserError(_("no such inspection"))
    try:
        return str(row["title"]), date.fromisoformat(row["fieldwork_start"] or "")
    except ValueError:
        raise UserError(_("set the inspection's fieldwork start first")) from None


def _members(ws: Workspace, inspection_id: str) -> list[Member]:
    return [Member(m["id"], m["name"], m["role"], m["office"] or "")
            for m in ws.members(inspection_id)]


def _interviews(ws: Workspace, inspection_id: str) -> tuple[list[Case], dict[str, str],
                                                             list[Entry]]:
    rows = assigned_interviews(ws, inspection_id)
    cases, given, entries = [], {}, []
    for ref, facts, practitioner, mid, at, minutes in rows:
        cases.append(Case(ref, practitioner=practitioner or "", facts=json.loads(facts)))
        given[ref] = mid
        if at:
            entries.append(interview_entry(ref, mid, at, minutes or 60))
    return cases, given, entries


def inspection_week(ws: Workspace, inspection_id: str, *, joint: bool = False) -> InspectionWeek:
    """Every member's diary: the interviews as set, the fixed events and the meetings."""
    framework = ws.inspection_framework(inspection_id)
    rules = _rules(framework)
    title, monday = _first_monday(ws, inspection_id)
    members = _members(ws, inspection_id)
    cases, given, entries = _interviews(ws, inspection_id)
    plan = plan_week(rules, Allocation(tuple(cases), tuple(members), given), monday,
                     joint=joint, interviews=entries, say=lambda t: shown(framework, t).marked())
    timed = {e.label for e in entries}
    plan = replace(plan, file_reads=tuple(ref for ref in given if ref not in timed))
    return InspectionWeek(title, rules, plan, {m.id: m.name for m in members},
                          {m.id: m.role for m in members}, framework)


def set_interview_time(ws: Workspace, case_id: str, member_id: str, when: str | None) -> None:
    """Give a case to a member with an interview at ``when`` (None or blank: no interview).

    The member must inspect in the case's language, and the time is checked against the week
    first; a refusal changes nothing.
    """
    case = ws.find_case(case_id)
    refused = language_refusal(ws, case.id, member_id)
    if refused:
        raise ScheduleError(refused)
    iid = case.inspection_id
    rules = ws.inspection_framework(iid).schedule
    if not (when or "").strip():
        ws.assign(case.id, member_id)
        return
    assert when is not None
    minutes = (rules.minutes_for(case.facts) if rules else None) or (
        rules.interview_minutes if rules else 60)
    if rules is None:
        ws.assign(case.id, member_id, interview_at=when.strip().replace(" ", "T"),
                  interview_minutes=minutes)
        return
    new = interview_entry(case.case_ref, member_id, when, minutes)
    week = inspection_week(ws, iid)
    others = [e for e in week.plan.entries if e.member_id == member_id
              and not (e.kind == INTERVIEW and e.label == case.case_ref)]
    problems = check_week(rules, week.plan.days, [*others, new], week.names, say=week.said)
    mine = [p for p in problems if case.case_ref in p]
    if mine:
        raise ScheduleError(mine[0])
    ws.assign(case.id, member_id, interview_at=f"{new.day.isoformat()}T{clock_text(new.start)}",
              interview_minutes=minutes)


def schedule_json(week: InspectionWeek, member_id: str | None = None) -> dict[str, Any]:
    ids = [member_id] if member_id else list(week.names)
    return {"inspection": week.title, "members": [
        {"name": week.names.get(mid, ""), "entries": [
            {"day": e.day.isoformat(), "start": clock_text(e.start), "end": clock_text(e.end),
             "kind": e.kind, "what": e.label, "attendees": e.detail}
            for e in week.plan.of(mid)]} for mid in ids]}


def member_schedule_html(week: InspectionWeek, member_id: str | None = None) -> str:
    """Each member's schedule (or one member's) as a printable document, one page each."""
    ids = [member_id] if member_id else list(week.names)
    if member_id and member_id not in week.names:
        raise UserError(_("no such member in this inspection"))
    parts = []
    for n, mid in enumerate(ids):
        brk = ' style="page-break-before: always"' if n else ""
        heading = _("Schedule for {name}").format(name=week.names[mid])
        parts.append(f"<h1{brk}>{escape(heading)}</h1><p>{escape(week.title)}</p>")
        parts.append("<p>" + escape(_(
            "Check it as soon as you receive it: tell the lead inspector at once of any case "
            "where you have a prior or current connection.")) + "</p>")
        by_day: dict[date, list[Entry]] = {}
        for e in week.plan.of(mid):
            by_day.setdefault(e.day, []).append(e)
        for d in week.plan.days:
            entries = by_day.get(d.day, [])
            parts.append(f"<h3>{escape(long_day(d.day))} — "
                         f"{escape(week.said(d.week.label))}, "
                         f"{clock_text(d.start)}–{clock_text(d.end)}</h3>")
            if not entries:
                parts.append("<p>" + escape(_("Nothing fixed.")) + "</p>")
                continue
            rows = "".join(
                f"<tr><td>{clock_text(e.start)}–{clock_text(e.end)}</td>"
                f"<td>{escape(entry_words(e, week))}</td>"
                f"<td>{escape(week.said(e.detail))}</td></tr>"
                for e in entries)
            heads = "".join(f"<th>{escape(h)}</th>" for h in (
                _("Time"), _("What"), _("Attending from the service")))
            parts.append('<table border="1" cellspacing="0" cellpadding="4" width="100%">'
                         f"<tr>{heads}</tr>{rows}</table>")
    return "<html><body>" + "".join(parts) + "</body></html>"


def entry_words(e: Entry, week: InspectionWeek | None = None) -> str:
    """What an entry is, in words; the framework's labels in the language in use."""
    if e.kind == INTERVIEW:
        return _("Interview, case {ref} ({n} minutes)").format(ref=e.label, n=e.minutes)
    label = week.said(e.label) if week is not None else e.label
    if e.kind == "meeting":
        return _("Meeting: {what}").format(what=label)
    return label
