"""The fieldwork week of an inspection, built from its framework's ``schedule`` section.

Pure functions over plain records: each member's diary (``Entry``: an interview, a fixed event
such as the local assessor's observation, a QA lunchtime or the Friday debrief, or a domain-one
meeting), and the checks a diary must pass. ``setup/schedule_service.py`` reads and writes the
workspace.

- The days are Monday to Friday of each week of the section, or to the week's own last day
  (a week marked for joint inspections only is added when the inspection is joint; an off-site
  review week has no days and moves the later weeks on by one, so youth's second joint week
  follows a week after the first and ends on Thursday evening, 001 §2.4, §6.9); the first day
  starts and the last day ends at the week's own times, so fieldwork that starts on Monday
  afternoon has no Monday morning (000 §6.10; 002 §2.4).
- Fixed events go into the diary of every member holding one of their roles. An event with an
  interview (the observation, 000 §3.10) holds that role's first interview at its start, and
  the other roles watch it.
- Interviews are placed by ``allocation.schedule_slots``, clear of each member's fixed events,
  within the hours of the weeks that have interviews, at the length the section gives for the
  case's sample (60 minutes; 45 for a youth out-of-court case, 001 §5.1).
- A fixed domain-one meeting goes at its day and time into the diary of every member holding
  it; any other one at the earliest time in its week when all of them are free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.setup.allocation import Allocation, Schedule, WeekHooks, schedule_slots
from hmip_desktop.setup.week_rules import ScheduleRules, Week, clock_text

INTERVIEW, EVENT, MEETING = "interview", "event", "meeting"


class ScheduleError(UserError):
    """A diary entry breaks the week's rules (one line saying why)."""


@dataclass(frozen=True, order=True)
class Entry:
    day: date
    start: int  # minutes after midnight
    member_id: str
    minutes: int
    kind: str  # INTERVIEW, EVENT or MEETING
    label: str  # the case reference for an interview
    detail: str = ""  # a meeting's attendees

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def when(self) -> str:
        return f"{self.day.isoformat()} {clock_text(self.start)}–{clock_text(self.end)}"


@dataclass(frozen=True)
class FieldworkDay:
    day: date
    week: Week
    week_no: int  # 1-based
    start: int
    end: int


@dataclass(frozen=True)
class WeekPlan:
    days: tuple[FieldworkDay, ...]
    entries: tuple[Entry, ...]  # in time order
    file_reads: tuple[str, ...] = ()
    unscheduled: tuple[str, ...] = ()  # one line each: a case or meeting with no time

    def of(self, member_id: str) -> list[Entry]:
        return [e for e in self.entries if e.member_id == member_id]


def fieldwork_days(rules: ScheduleRules, first_monday: date, *,
                   joint: bool = False) -> list[FieldworkDay]:
    """Monday to Friday of each week, with the day's working hours."""
    monday = first_monday - timedelta(days=first_monday.weekday())
    out = []
    for n, week in enumerate(rules.weeks, start=1):
        if (week.joint_only and not joint) or week.off_site:
            continue
        for d in range(week.last_day + 1):
            out.append(FieldworkDay(monday + timedelta(days=7 * (n - 1) + d), week, n,
                                    week.first_day_start if d == 0 else rules.day_start,
                                    week.last_day_end if d == week.last_day
                                    else rules.day_end))
    return out


def fixed_entries(rules: ScheduleRules, members: Iterable[tuple[str, str]],
                  days: Sequence[FieldworkDay]) -> list[Entry]:
    """Each member's fixed events and fixed meetings; ``members`` are (id, role) pairs."""
    by_week = {(d.week_no, d.day.weekday()): d.day for d in days}
    joint = any(d.week.joint_only for d in days)
    out = []
    for mid, role in members:
        for e in rules.events:
            for wd in e.days:
                if role in e.roles and (e.week, wd) in by_week:
                    out.append(Entry(by_week[e.week, wd], e.start, mid, e.minutes, EVENT,
                                     e.label))
        for m in rules.meetings:
            if m.day is not None and m.start is not None and role in m.held_by \
                    and (m.week, m.day) in by_week and not (joint and m.single_only):
                out.append(Entry(by_week[m.week, m.day], m.start, mid, m.minutes, MEETING,
                                 m.label, m.attendees))
    return out


def plan_week(rules: ScheduleRules, allocation: Allocation, first_monday: date, *,
              joint: bool = False, interviews: Iterable[Entry] | None = None,
              say: Callable[[str], str] = str) -> WeekPlan:
    """Every member's diary.

    ``say`` gives a label of the framework's week in the language in use, for the lines of
    what found no time; the entries keep the file's labels.

    With ``interviews`` (times already set) those are kept as they are; otherwise every
    interviewed case of ``allocation`` is given a time.
    """
    days = fieldwork_days(rules, first_monday, joint=joint)
    roles = [(m.id, m.role) for m in allocation.members]
    fixed = fixed_entries(rules, roles, days)
    if interviews is None:
        schedule = schedule_slots(allocation, [d.day for d in days if d.week.interviews],
                                  per_day=rules.interviews_per_day,
                                  gap_minutes=rules.gap_minutes,
                                  week=week_hooks(rules, days, roles, fixed))
        placed = [Entry(date.fromisoformat(s.start[:10]), _minutes(s.start[11:]), s.member_id,
                        s.minutes, INTERVIEW, s.case_ref) for s in schedule.slots]
    else:
        schedule = Schedule((), (), ())
        placed = list(interviews)
    entries = fixed + placed
    unscheduled = [_("{ref}: {why}").format(ref=u.case_ref, why=u.reason)
                   for u in schedule.unscheduled]
    for m in rules.meetings:
        if m.fixed or (joint and m.single_only):
            continue
        holders = [mid for mid, role in roles if role in m.held_by]
        if not holders:
            continue
        at = _first_common(days, m.week, m.minutes, holders, entries)
        if at is None:
            unscheduled.append(_("{meeting}: no time when everyone holding it is free")
                               .format(meeting=say(m.label)))
            continue
        entries += [Entry(at[0], at[1], mid, m.minutes, MEETING, m.label, m.attendees)
                    for mid in holders]
    return WeekPlan(tuple(days), tuple(sorted(entries)), schedule.file_reads,
                    tuple(unscheduled))


def week_hooks(rules: ScheduleRules, days: Sequence[FieldworkDay],
               members: Sequence[tuple[str, str]], fixed: Iterable[Entry]) -> WeekHooks:
    """What ``schedule_slots`` needs to place interviews within this week's rules."""
    role = dict(members)
    watched = {(e.label, e.with_interview) for e in rules.events if e.with_interview}
    first: dict[str, tuple[date, int]] = {}
    busy: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    watchers = {(e.label, r) for e in rules.events if e.with_interview for r in e.roles
                if r != e.with_interview}
    fixed = list(fixed)
    interviewing = {e.member_id for e in fixed if e.kind == INTERVIEW}  # times already set
    for e in fixed:
        if (e.label, role[e.member_id]) in watched and e.member_id not in interviewing:
            first.setdefault(e.member_id, (e.day, e.start))  # their interview is the event
        if (e.label, role[e.member_id]) in watchers:  # they watch before they interview
            busy[e.member_id, e.day].append((0, e.end))
        else:
            busy[e.member_id, e.day].append((e.start, e.end))
    return WeekHooks(hours={d.day: (d.start, d.end) for d in days if d.week.interviews},
                     fixed=busy, first_interview=first,
                     minutes=lambda c: rules.minutes_for(c.facts))


def check_week(rules: ScheduleRules, days: Sequence[FieldworkDay], entries: Sequence[Entry],
                  names: Mapping[str, str], say: Callable[[str], str] = str) -> list[str]:
    """One line per broken rule; ``say`` as for ``plan_week``.

    A time outside fieldwork hours, an interview where the week has none or before fieldwork
    starts, two entries of one member at once.
    """
    by_day = {d.day: d for d in days}

    def label(e: Entry) -> str:
        return e.label if e.kind == INTERVIEW else say(e.label)

    out = []
    mine: dict[tuple[str, date], list[Entry]] = defaultdict(list)
    for e in sorted(entries):
        who = names.get(e.member_id, _("someone not in the team"))
        d = by_day.get(e.day)
        if d is None:
            out.append(_("{who}: {label} on {when} is not on a fieldwork day").format(
                who=who, label=label(e), when=e.when))
            continue
        if e.kind == INTERVIEW and not d.week.interviews:
            out.append(_("{who}: the {week} has no interviews ({label}, {when})").format(
                who=who, week=say(d.week.label).lower(), label=label(e), when=e.when))
        elif e.start < d.start and d.day.weekday() == 0 and d.start > rules.day_start:
            out.append(_("{who}: {label} on {when} is before fieldwork starts at {start} on "
                         "the Monday").format(who=who, label=label(e), when=e.when,
                                              start=clock_text(d.start)))
        elif e.start < d.start or e.end > d.end:
            out.append(_("{who}: {label} on {when} is outside fieldwork hours "
                         "({start}–{end})").format(who=who, label=label(e), when=e.when,
                                                    start=clock_text(d.start),
                                                    end=clock_text(d.end)))
        for other in mine[e.member_id, e.day]:
            if e.start < other.end and other.start < e.end and not _watched(rules, e, other):
                out.append(_("{who}: {label} on {when} overlaps {other} ({at})").format(
                    who=who, label=label(e), when=e.when, other=label(other),
                    at=other.when))
                break
        mine[e.member_id, e.day].append(e)
    return out


def _watched(rules: ScheduleRules, a: Entry, b: Entry) -> bool:
    """An interview held within the event that watches it (the observation) is no clash."""
    kinds = {a.kind, b.kind}
    if kinds != {INTERVIEW, EVENT}:
        return False
    event = a if a.kind == EVENT else b
    return any(e.label == event.label and e.with_interview for e in rules.events)


def interview_entry(case_ref: str, member_id: str, when: str, minutes: int) -> Entry:
    """An interview at ``when`` ('YYYY-MM-DD HH:MM' or with a 'T'), or ``ScheduleError``."""
    text = when.strip().replace("T", " ")
    try:
        day = date.fromisoformat(text[:10])
        start = _minutes(text[11:])
    except ValueError:
        raise ScheduleError(_("{when!r} is not a date and time like 2026-11-24 10:00")
                            .format(when=when)) from None
    if len(text) != 16:
        raise ScheduleError(_("{when!r} is not a date and time like 2026-11-24 10:00")
                            .format(when=when))
    return Entry(day, start, member_id, minutes, INTERVIEW, case_ref)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    if len(h) != 2 or len(m) != 2 or not (0 <= int(h) < 24 and 0 <= int(m) < 60):
        raise ValueError(hhmm)
    return int(h) * 60 + int(m)


def _first_common(days: Sequence[FieldworkDay], week_no: int, minutes: int,
                  holders: Sequence[str], entries: Sequence[Entry]) -> tuple[date, int] | None:
    taken: dict[date, list[tuple[int, int]]] = defaultdict(list)
    meetings: dict[date, int] = defaultdict(int)
    wanted = set(holders)
    for e in entries:
        if e.member_id in wanted:
            taken[e.day].append((e.start, e.end))
            meetings[e.day] += e.kind == MEETING
    # the day with the fewest meetings first, so that they spread over the week
    for d in sorted((d for d in days if d.week_no == week_no),
                    key=lambda d: (meetings[d.day], d.day)):
        s = d.start
        while s + minutes <= d.end:
            clash = [b for a, b in taken[d.day] if s < b and a < s + minutes]
            if not clash:
                return d.day, s
            s = max(clash)
    return None

