"""The schedule model of a framework file (its optional ``schedule`` section), typed and checked.

The fieldwork weeks (on site, remote, or only for joint inspections), the hours of a fieldwork
day and the time the first day starts and the last day ends, the fixed events each role keeps
(the local assessor's observation, the QA lunchtimes, the Friday debrief), the interview lengths
per case sample, and the domain-one meetings with their attendee group, length and whether they
are fixed. A new way of running the week is a new framework file, not new code
(docs/framework-format.md, "Schedule").

Parsing is strict like the rest of the framework file: unknown keys, wrong types, a time that is
not a time of day, a day that is not a weekday, a week that does not exist, or a group of more
than ten people are refused with the JSON path and the fault. A week's, event's or
meeting's ``label_cy`` and a meeting's ``attendees_cy`` give the Welsh beside the text; the
loader keeps it with the framework's other Welsh (``Framework.in_welsh``), so the week itself
stays in the file's English and the schedules translate each text as they show it. This module
imports nothing from the framework model; the loader turns a ``ScheduleRulesError`` into its
own one-line refusal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from hmip_desktop.i18n import _

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
WEEK_KINDS = ("on_site", "remote", "review")
GROUP_LARGEST = 10  # "ideally six to ten people" (000 §6.8; 001 §6.8; 002 §5.2)
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class ScheduleRulesError(ValueError):
    """The ``schedule`` section is not valid; ``path`` is the JSON path of the fault."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class Week:
    """One week, Monday to its last day; interviews only where ``interviews``.

    A ``review`` week is spent off site (youth joint inspections, 001 §2.4): it has no
    fieldwork days and only moves the weeks after it on by one.
    """

    label: str
    kind: str  # one of WEEK_KINDS
    interviews: bool
    first_day_start: int  # minutes after midnight on the Monday
    last_day_end: int  # on the last day
    joint_only: bool = False
    last_day: int = 4  # 0 = Monday; Friday unless the week ends sooner

    @property
    def off_site(self) -> bool:
        return self.kind == "review"


@dataclass(frozen=True, slots=True)
class Event:
    """A fixed event in the diary of every member holding one of ``roles``."""

    label: str
    roles: tuple[str, ...]
    week: int  # 1-based
    days: tuple[int, ...]  # 0 = Monday
    start: int
    minutes: int
    with_interview: str = ""  # a role whose member's first interview is held in this event


@dataclass(frozen=True, slots=True)
class Meeting:
    """A domain-one meeting: who attends from the inspected body, and who holds it."""

    label: str
    attendees: str
    group: tuple[int, int] | None  # (fewest, most) people; None for one person
    minutes: int
    held_by: tuple[str, ...]  # roles in the inspection team
    week: int
    day: int | None = None  # fixed meetings only
    start: int | None = None
    single_only: bool = False  # held in this week only when the inspection is not joint

    @property
    def fixed(self) -> bool:
        return self.day is not None


@dataclass(frozen=True, slots=True)
class ScheduleRules:
    weeks: tuple[Week, ...]
    day_start: int
    day_end: int
    interview_minutes: int
    minutes_by_sample: Mapping[str, int]  # a case sample with its own length (youth: 45)
    file_read_samples: frozenset[str]  # samples read from file, with no interview
    interviews_per_day: int
    gap_minutes: int
    events: tuple[Event, ...]
    meetings: tuple[Meeting, ...]
    sources: tuple[str, ...]

    def weeks_for(self, *, joint: bool = False) -> tuple[Week, ...]:
        return tuple(w for w in self.weeks if joint or not w.joint_only)

    def minutes_for(self, facts: Mapping[str, str]) -> int | None:
        """The interview's length for a case's facts, or None for a file read."""
        sample = facts.get("sample", "")
        if sample in self.file_read_samples:
            return None
        return self.minutes_by_sample.get(sample, self.interview_minutes)


def clock(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:])


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_schedule(data: Any) -> ScheduleRules:
    """The ``schedule`` section of a framework file, or ``ScheduleRulesError``."""
    p = _Parser()
    top = p.obj(data, "schedule", {"weeks", "hours", "interviews", "events", "meetings",
                                   "sources"}, set())
    hours = p.obj(top["hours"], "schedule.hours", {"start", "end"}, set())
    day_start, day_end = p.clock(hours, "start", "schedule.hours"), p.clock(hours, "end",
                                                                            "schedule.hours")
    if day_start >= day_end:
        p.fail("schedule.hours", _("the day must start before it ends"))
    weeks = tuple(p.week(v, f"schedule.weeks[{i}]", day_start, day_end)
                  for i, v in enumerate(p.list_(top, "weeks", "schedule", empty=False)))
    if weeks[0].joint_only:
        p.fail("schedule.weeks[0]", _("the first week cannot be for joint inspections only"))
    iv = p.obj(top["interviews"], "schedule.interviews",
               {"minutes", "per_day", "gap_minutes"}, {"minutes_by_sample", "file_read_samples"})
    path = "schedule.interviews"
    by_sample = iv.get("minutes_by_sample", {})
    if not isinstance(by_sample, dict):
        p.fail(f"{path}.minutes_by_sample", _("must be an object"))
    reads = p.list_(iv, "file_read_samples", path) if "file_read_samples" in iv else []
    events = tuple(p.event(v, f"schedule.events[{i}]", len(weeks))
                   for i, v in enumerate(p.list_(top, "events", "schedule")))
    meetings = tuple(p.meeting(v, f"schedule.meetings[{i}]", len(weeks))
                     for i, v in enumerate(p.list_(top, "meetings", "schedule")))
    for i, s in enumerate(reads):
        p.snake(s, f"{path}.file_read_samples[{i}]")
    placed = [(f"schedule.events[{i}]", e.week, e.days) for i, e in enumerate(events)]
    placed += [(f"schedule.meetings[{i}]", m.week, () if m.day is None else (m.day,))
               for i, m in enumerate(meetings)]
    for where, week_no, days in placed:
        week = weeks[week_no - 1]
        if week.off_site or any(d > week.last_day for d in days):
            p.fail(where, _("{label} has no such fieldwork day").format(label=week.label))
    return ScheduleRules(
        weeks=weeks, day_start=day_start, day_end=day_end,
        interview_minutes=p.minutes(iv, "minutes", path),
        minutes_by_sample={p.snake(k, f"{path}.minutes_by_sample"):
                           p.minutes(by_sample, k, f"{path}.minutes_by_sample")
                           for k in by_sample},
        file_read_samples=frozenset(reads),
        interviews_per_day=p.int_(iv, "per_day", path, 1, 8),
        gap_minutes=p.int_(iv, "gap_minutes", path, 0, 240),
        events=events, meetings=meetings,
        sources=tuple(p.text(v, f"schedule.sources[{i}]")
                      for i, v in enumerate(p.list_(top, "sources", "schedule", empty=False))))


class _Parser:
    @staticmethod
    def fail(path: str, message: str) -> NoReturn:
        raise ScheduleRulesError(path, message)

    def obj(self, v: Any, path: str, required: set[str], optional: set[str]) -> dict[str, Any]:
        if not isinstance(v, dict):
            self.fail(path, _("must be an object"))
        missing = sorted(required - set(v))
        if missing:
            self.fail(path, _("missing {missing}").format(missing=', '.join(missing)))
        unknown = sorted(set(v) - required - optional)
        if unknown:
            self.fail(path, _("unknown key {unknown!r}").format(unknown=unknown[0]))
        return v

    def list_(self, d: dict[str, Any], key: str, path: str, *, empty: bool = True) -> list[Any]:
        v = d[key]
        if not isinstance(v, list):
            self.fail(f"{path}.{key}", _("must be a list"))
        if not v and not empty:
            self.fail(f"{path}.{key}", _("must not be empty"))
        return v

    def text(self, v: Any, path: str) -> str:
        if not isinstance(v, str) or not v.strip():
            self.fail(path, _("must be non-empty text"))
        return v.strip()

    def welsh(self, d: dict[str, Any], path: str, *keys: str) -> None:
        """The optional Welsh beside a text (``label_cy``): non-empty text where given."""
        for key in keys:
            if f"{key}_cy" in d:
                self.text(d[f"{key}_cy"], f"{path}.{key}_cy")

    def snake(self, v: Any, path: str) -> str:
        if not isinstance(v, str) or not _SNAKE.match(v):
            self.fail(path, _("{value!r} is not a name like out_of_court").format(value=v))
        return v

    def int_(self, d: dict[str, Any], key: str, path: str, low: int, high: int) -> int:
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
            self.fail(f"{path}.{key}", _("must be a whole number from {low} to {high}").format(
                                           low=low, high=high))
        return v

    def minutes(self, d: dict[str, Any], key: str, path: str) -> int:
        return self.int_(d, key, path, 15, 240)

    def clock(self, d: dict[str, Any], key: str, path: str) -> int:
        v = d[key]
        if not isinstance(v, str) or not _CLOCK.match(v):
            self.fail(f"{path}.{key}",
                      _("{value!r} is not a time of day like 09:30").format(value=v))
        return clock(v)

    def day(self, v: Any, path: str) -> int:
        if v not in WEEKDAYS:
            self.fail(path, _("{value!r} is not one of {choices}").format(
                                value=v, choices=', '.join(WEEKDAYS)))
        return WEEKDAYS.index(v)

    def roles(self, d: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        return tuple(self.snake(r, f"{path}.{key}[{i}]")
                     for i, r in enumerate(self.list_(d, key, path, empty=False)))

    def week_no(self, d: dict[str, Any], path: str, weeks: int) -> int:
        return self.int_(d, "week", path, 1, weeks) if "week" in d else 1

    def week(self, v: Any, path: str, day_start: int, day_end: int) -> Week:
        d = self.obj(v, path, {"label", "kind", "interviews", "first_day_start",
                               "last_day_end"}, {"joint_only", "last_day", "label_cy"})
        self.welsh(d, path, "label")
        if d["kind"] not in WEEK_KINDS:
            self.fail(f"{path}.kind", _("{value!r} is not one of {choices}").format(
                                          value=d["kind"], choices=', '.join(WEEK_KINDS)))
        for key in ("interviews", "joint_only"):
            if key in d and not isinstance(d[key], bool):
                self.fail(f"{path}.{key}", _("must be true or false"))
        start, end = self.clock(d, "first_day_start", path), self.clock(d, "last_day_end", path)
        if not day_start <= start < day_end or not day_start < end <= day_end:
            self.fail(path, _("the first day's start and the last day's end must be within the "
                              "day's hours"))
        last_day = self.day(d["last_day"], f"{path}.last_day") if "last_day" in d else 4
        if d["kind"] == "review" and d["interviews"]:
            self.fail(f"{path}.interviews", _("a review week is off site and has no interviews"))
        return Week(self.text(d["label"], f"{path}.label"), d["kind"], d["interviews"],
                    start, end, d.get("joint_only", False), last_day)

    def event(self, v: Any, path: str, weeks: int) -> Event:
        d = self.obj(v, path, {"label", "roles", "days", "start", "minutes"},
                     {"week", "with_interview", "label_cy"})
        self.welsh(d, path, "label")
        days = tuple(self.day(x, f"{path}.days[{i}]")
                     for i, x in enumerate(self.list_(d, "days", path, empty=False)))
        roles = self.roles(d, "roles", path)
        with_interview = self.snake(d["with_interview"], f"{path}.with_interview") \
            if "with_interview" in d else ""
        if with_interview and with_interview not in roles:
            self.fail(f"{path}.with_interview", _("must be one of the event's roles"))
        return Event(self.text(d["label"], f"{path}.label"), roles, self.week_no(d, path, weeks),
                     days, self.clock(d, "start", path), self.minutes(d, "minutes", path),
                     with_interview)

    def meeting(self, v: Any, path: str, weeks: int) -> Meeting:
        d = self.obj(v, path, {"label", "attendees", "minutes", "held_by"},
                     {"group", "week", "day", "start", "single_only", "label_cy",
                      "attendees_cy"})
        self.welsh(d, path, "label", "attendees")
        group = None
        if "group" in d:
            g = self.obj(d["group"], f"{path}.group", {"fewest", "most"}, set())
            fewest = self.int_(g, "fewest", f"{path}.group", 2, GROUP_LARGEST)
            most = self.int_(g, "most", f"{path}.group", fewest, GROUP_LARGEST)
            group = (fewest, most)
        if ("day" in d) != ("start" in d):
            self.fail(path, _("a fixed meeting has both a day and a start; a free one has neither"))
        if "single_only" in d and not isinstance(d["single_only"], bool):
            self.fail(f"{path}.single_only", _("must be true or false"))
        return Meeting(self.text(d["label"], f"{path}.label"),
                       self.text(d["attendees"], f"{path}.attendees"), group,
                       self.minutes(d, "minutes", path), self.roles(d, "held_by", path),
                       self.week_no(d, path, weeks),
                       self.day(d["day"], f"{path}.day") if "day" in d else None,
                       self.clock(d, "start", path) if "start" in d else None,
                       d.get("single_only", False))
