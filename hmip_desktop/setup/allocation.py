"""Allocate the sample's cases to the inspection team, and give each interview a time.

Pure functions over plain records (no database, no Qt): the caller reads cases and members from
the Workspace, shows the result to the lead, and applies it with ``Workspace.assign``.

The rules, and where they come from (the HMIP guidance manuals, cited by file and section:
000 probation v6.3, 001 youth v4.5, 002 DIPP v1.0):

- Nobody inspects a case from their own office, or one where they declared a connection: local
  assessors work "in a location other than their normal place of work (or any other place where
  they may have a conflict of interest)" and check their schedule for any case "where they have
  a prior or current connection" (000 §3.10). These are hard rules; an empty office never
  conflicts, since an office that is not known cannot be avoided.
- Nobody inspects a case whose practitioner or person on probation may have their name
  (``conflict_names.may_be_same``: case, accents, punctuation and titles ignored, the same
  surname, the same first name or its initial). These are hard rules too, unless the lead
  overrides one hit with a reason (``overrides=``, a (member id, case reference) pair): every
  hit is kept in ``Allocation.conflicts`` with its reason, and the overridden ones in
  ``Allocation.overridden``, so the lead sees what was avoided and what was allowed.
- Language: a case whose records and interview are in Welsh goes only to a member who works
  in Welsh ("Welsh-speaking local assessors", 002 §5.1; ``setup/languages.py``). English is
  every member's and every case's unless set otherwise. This is a hard rule that no override
  lifts: a case nobody can take in its language is returned, unplaced, saying so.
- Workload: at most a member's capacity, which is ``Member.capacity`` if set, otherwise the
  default for the role (``DEFAULT_CAPACITY``, overridable per role with ``capacities=``). The
  defaults count cases for one allocation, meaning one case-inspection week; a framework's
  ``team`` section (``docs/framework-format.md``) sets them per programme, as data:

  * ``assessor`` 6: "Each local assessor works on-site over five days and inspects six cases"
    (000 §3.10). Its "between four and six" counts local assessors per inspection, not cases.
  * ``qa`` 8: supporting assistant inspectors. The manuals give no number, only that "a team of
    assistant inspectors undertake most case inspections" (000 §5.1, 001 §5.1) while also
    holding the QA meetings and supporting their local assessors (000 §3.10); 8 is a judgement
    (more than a local assessor, less than two a day), to be set per inspection.
  * ``lead`` and ``deputy`` 4: "the lead and deputy inspectors each inspect four, domain two
    cases" (000 §5.1) and spend the rest of the weeks on domain one meetings; 3 for youth,
    where they "are each allocated two or three cases" (001 §5.1).

- Within those limits the split is even: the number of cases per member differs by at most one,
  unless a rule stops a case moving from a busier member to a less busy one. Then, only where
  it costs no evenness, a member gets no two cases of the same practitioner, so that each
  practitioner's work is seen by more than one inspector and their interviews are not all in one
  diary (DIPP samples one case per practitioner in any case, 002 §4.1).
- As many cases as the rules allow are placed; a case that cannot be is returned with a reason,
  never dropped.

``even_split`` gets all of this at once from a min-cost max-flow (cases → member, through a
(member, practitioner) node that charges for a repeat → sink, with the k-th case of a member
costing ``k·W``, W larger than every repeat charge together): a maximum flow places as many cases
as possible, the convex cost makes it as even as the rules allow, and the repeat charge breaks
ties. Cases with the same eligible members and practitioner are one node, so the graph stays
small. Members are sorted by name, role and office (their id, which differs on every
enrolment, only between two otherwise alike) and cases by reference, so the same team and
sample give the same split on every run; ``seed`` shuffles that order reproducibly, so another
seed may break the ties another way (the same seed always the same way).

Interviews (``schedule_slots``): where the framework has a ``schedule`` section, its week
(``setup/week.py``) gives the hours of each day, each member's fixed events and the interview
lengths, through ``WeekHooks``; the rules below are for a framework without one. 60 minutes
(000 §5.1, 002 §5.1), 45 for a youth out-of-court case (001 §5.1: "45 minutes for a domain
three case"). Probation domain three cases (court
reports, victim work, unpaid work, Through the Gate) are file reads with no interview (000 §5.1,
§6.1), so they get no slot. Lunch is kept free every day (local assessors meet their supporting
inspector for QA "on Tuesday, Wednesday and Thursday lunchtimes", 000 §3.10); one member's
interviews are ``gap_minutes`` apart and at most ``per_day`` a day (two: six cases over the
Tuesday to Thursday of a local assessor's week, 000 §3.10); and one practitioner is never in two
interviews at once.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.setup.conflict_names import may_be_same
from hmip_desktop.setup.languages import language_name

ROLES = ("assessor", "qa", "lead", "deputy")
DEFAULT_CAPACITY: Mapping[str, int] = MappingProxyType({"assessor": 6, "qa": 8, "lead": 4,
                                                        "deputy": 4})
YOUTH_LEAD_CAPACITY = 3
FILE_READ_SAMPLES = frozenset({"court_report", "victim", "unpaid_work", "through_the_gate"})
INTERVIEW_MINUTES = 60
YOUTH_OUT_OF_COURT_MINUTES = 45
SOFT_KINDS = frozenset({"same_practitioner"})

Connection = tuple[str, str]  # (member id, case reference), from a conflict-of-interest form


class AllocationError(UserError):
    """The input cannot be allocated or scheduled as given (one line saying why)."""


@dataclass(frozen=True)
class Case:
    case_ref: str
    office: str = ""
    practitioner: str = ""
    facts: Mapping[str, str] = field(default_factory=dict)
    person_name: str = ""  # the person on probation
    language: str = "en"  # of its records and interview (setup/languages.py)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str  # one of ROLES
    office: str = ""
    capacity: int | None = None  # most cases; None: the role's default
    languages: Collection[str] = ("en",)  # the languages they can inspect a case in


UNPLACED_KINDS = ("caps", "conflicts", "no_eligible_member")
"""Why a case was left unplaced, for scripts: everyone who could take it is full; conflict
checks (office, declared connection, name) keep off everyone else; nobody in the team could
take it at all (none, none in its language, none who takes cases)."""


@dataclass(frozen=True)
class Unplaced:
    case_ref: str
    reason: str
    kind: str = ""  # one of UNPLACED_KINDS for a case ``even_split`` left out; "" otherwise


@dataclass(frozen=True)
class Allocation:
    """Who inspects which case: ``assignments`` maps case reference to member id."""

    cases: tuple[Case, ...]
    members: tuple[Member, ...]
    assignments: Mapping[str, str]
    unplaced: tuple[Unplaced, ...] = ()
    conflicts: tuple[Violation, ...] = ()  # every hit that kept a member off a case
    overridden: tuple[Violation, ...] = ()  # hits the lead allowed, with the check's reason

    def cases_of(self, member_id: str) -> list[str]:
        return [ref for ref, mid in self.assignments.items() if mid == member_id]

    def loads(self) -> dict[str, int]:
        counts = Counter(self.assignments.values())
        return {m.id: counts[m.id] for m in self.members}


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``soft`` ones (a repeated practitioner) may be unavoidable."""

    kind: str  # unknown_case, unknown_member, own_office, connection, practitioner_name,
    #            person_name, language, unallocated, over_capacity, same_practitioner
    reason: str
    case_ref: str = ""
    member_id: str = ""

    @property
    def soft(self) -> bool:
        return self.kind in SOFT_KINDS


@dataclass(frozen=True)
class Slot:
    case_ref: str
    member_id: str
    start: str  # 'YYYY-MM-DDTHH:MM', local time
    minutes: int


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]  # in time order
    file_reads: tuple[str, ...]  # cases inspected without an interview
    unscheduled: tuple[Unplaced, ...]


def default_capacities(programme: str = "") -> dict[str, int]:
    table = dict(DEFAULT_CAPACITY)
    if programme == "youth":
        table["lead"] = table["deputy"] = YOUTH_LEAD_CAPACITY
    return table


def capacity_of(member: Member, table: Mapping[str, int]) -> int:
    if member.capacity is not None:
        return max(member.capacity, 0)
    if member.role not in table:
        raise AllocationError(_("{name} has the role {role!r}, which is not one of {roles}")
                              .format(name=member.name, role=member.role, roles=", ".join(ROLES)))
    return table[member.role]


def even_split(cases: Iterable[Case], members: Iterable[Member],
               connections: Iterable[Connection] = (), *, programme: str = "",
               capacities: Mapping[str, int] | None = None,
               overrides: Iterable[Connection] = (), seed: int | None = None) -> Allocation:
    """Place as many cases as the rules allow, as evenly as they allow; see the module doc.

    Ties are broken by the input's content, or (``seed``) by that order shuffled with the seed.
    """
    ordered_cases = sorted(cases, key=lambda c: c.case_ref)
    ordered = sorted(members, key=lambda m: (m.name, m.role, m.office, m.id))
    _unique([c.case_ref for c in ordered_cases], _("case reference"))
    _unique([m.id for m in ordered], _("member id"))
    cs, ms = list(ordered_cases), list(ordered)
    if seed is not None:
        rng = random.Random(seed)  # noqa: S311 - a repeatable order for ties, not a secret
        rng.shuffle(ms)
        rng.shuffle(cs)
    table = {**default_capacities(programme), **(capacities or {})}
    caps = [capacity_of(m, table) for m in ms]
    linked = set(connections)
    allowed = set(overrides)
    hits: list[Violation] = []
    kept: list[Violation] = []
    shared = Counter(_key(c.practitioner) for c in cs if c.practitioner.strip())
    groups: dict[tuple[tuple[int, ...], str], list[Case]] = defaultdict(list)
    for c in cs:
        able_list = []
        for i, m in enumerate(ms):
            if c.language not in m.languages:
                continue  # never a case in a language they do not work in, whatever the override
            found = [_hit(kind, m, c) for kind in _conflicts(m, c, linked)]
            (kept if (m.id, c.case_ref) in allowed else hits).extend(found)
            if caps[i] > 0 and (not found or (m.id, c.case_ref) in allowed):
                able_list.append(i)
        able = tuple(able_list)
        who = _key(c.practitioner)
        groups[able, who if shared[who] > 1 else ""].append(c)

    n = len(cs)
    flow = _Flow()
    source, sink = flow.node(), flow.node()
    member_node = [flow.node() for _m in ms]
    for i, node in enumerate(member_node):
        if caps[i] > 0:  # convex: the k-th case of a member costs k·W, W = n + 1 > every repeat
            flow.edge(node, sink, min(caps[i], n), n + 1, step=n + 1)
    pair_node: dict[tuple[int, str], int] = {}
    routes: list[tuple[list[Case], list[tuple[int, int]]]] = []
    for (able, who), group in groups.items():
        g = flow.node()
        flow.edge(source, g, len(group), 0)
        edges = []
        for i in able:
            target = member_node[i]
            if who:
                if (i, who) not in pair_node:
                    pair_node[i, who] = p = flow.node()
                    flow.edge(p, member_node[i], 1, 0)  # the first case of a practitioner is free
                    flow.edge(p, member_node[i], n, 1)  # each repeat costs 1
                target = pair_node[i, who]
            edges.append((flow.edge(g, target, len(group), 0), i))
        routes.append((group, edges))
    flow.run(source, sink)

    given: dict[str, str] = {}
    left: list[Case] = []
    for group, edges in routes:
        rest = iter(group)
        for e, i in edges:
            for _k in range(flow.flow_on(e)):
                given[next(rest).case_ref] = ms[i].id
        left += rest
    loads = Counter(given.values())
    unplaced = tuple(_why_unplaced(c, ms, caps, linked, loads, allowed)
                     for c in sorted(left, key=lambda c: c.case_ref))
    assignments = {c.case_ref: given[c.case_ref] for c in ordered_cases
                   if c.case_ref in given}
    by_case = {c.case_ref: i for i, c in enumerate(ordered_cases)}
    by_member = {m.id: i for i, m in enumerate(ordered)}

    def in_order(hit: Violation) -> tuple[int, int]:
        return by_case[hit.case_ref], by_member[hit.member_id]

    return Allocation(tuple(ordered_cases), tuple(ordered), assignments, unplaced,
                      tuple(sorted(hits, key=in_order)), tuple(sorted(kept, key=in_order)))


def check_allocation(allocation: Allocation, connections: Iterable[Connection] = (), *,
                     programme: str = "",
                     capacities: Mapping[str, int] | None = None,
                     overrides: Iterable[Connection] = ()) -> list[Violation]:
    """Every rule a (hand-made) allocation breaks, in case order, then per member."""
    table = {**default_capacities(programme), **(capacities or {})}
    cases = {c.case_ref: c for c in allocation.cases}
    members = {m.id: m for m in allocation.members}
    linked = set(connections)
    allowed = set(overrides)
    out: list[Violation] = []
    mine: dict[str, list[Case]] = defaultdict(list)
    for ref, mid in allocation.assignments.items():
        case, member = cases.get(ref), members.get(mid)
        if case is None:
            out.append(Violation("unknown_case", _("the allocation names a case that is not "
                                                   "in the sample"), ref, mid))
            continue
        if member is None:
            out.append(Violation("unknown_member", _("the case is allocated to someone who is "
                                                     "not in the team"), ref, mid))
            continue
        mine[mid].append(case)
        if case.language not in member.languages:
            out.append(_language_hit(member, case))
        if (mid, ref) not in allowed:
            out += [_hit(kind, member, case) for kind in _conflicts(member, case, linked)]
    out += [Violation("unallocated", _("the case is not allocated to anyone"), c.case_ref)
            for c in allocation.cases if c.case_ref not in allocation.assignments]
    for m in allocation.members:
        cap = capacity_of(m, table)
        if len(mine[m.id]) > cap:
            out.append(Violation("over_capacity", _("{name} has {n} cases; the most for them is "
                                                    "{cap}").format(name=m.name,
                                                                    n=len(mine[m.id]), cap=cap),
                                 member_id=m.id))
        seen: set[str] = set()
        for c in sorted(mine[m.id], key=lambda c: c.case_ref):
            who = _key(c.practitioner)
            if who and who in seen:
                out.append(Violation("same_practitioner", _(
                    "{name} has another case of the same practitioner: move one if someone "
                    "else can take it").format(name=m.name), c.case_ref, m.id))
            seen.add(who)
    return out


def interview_minutes(programme: str, facts: Mapping[str, str], *,
                      file_read_samples: Collection[str] = FILE_READ_SAMPLES) -> int | None:
    """The interview's length for a case, or None for a file read (no interview)."""
    sample = facts.get("sample", "")
    if programme == "youth" and sample == "out_of_court":
        return YOUTH_OUT_OF_COURT_MINUTES
    if sample in file_read_samples:
        return None
    return INTERVIEW_MINUTES


def schedule_slots(allocation: Allocation, days: Sequence[date], start: str = "09:30", *,
                   end: str = "17:00", programme: str = "",
                   lunch: tuple[str, str] = ("12:30", "13:30"), gap_minutes: int = 60,
                   per_day: int = 2,
                   file_read_samples: Collection[str] = FILE_READ_SAMPLES,
                   week: WeekHooks | None = None) -> Schedule:
    """Give each interviewed case the earliest time that keeps every rule in the module doc.

    With ``week`` (from a framework's schedule, ``setup/week.py``) the hours of each day, the
    interview lengths and each member's fixed events come from that, not from the arguments.
    """
    t0, t1 = _clock(start), _clock(end)
    l0, l1 = _clock(lunch[0]), _clock(lunch[1])
    if t0 >= t1 or l0 > l1 or per_day < 1 or gap_minutes < 0:
        raise AllocationError(_("the interview day must start before it ends, lunch must end "
                                "after it starts, and at least one interview a day is needed"))
    cases = {c.case_ref: c for c in allocation.cases}
    order = {m.id: i for i, m in enumerate(allocation.members)}
    busy: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)  # member, day
    seeing: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)  # practitioner
    slots: list[tuple[date, int, int, Slot]] = []
    file_reads: list[str] = []
    unscheduled: list[Unplaced] = []
    first_done: set[str] = set()
    for ref, mid in sorted(allocation.assignments.items(),
                           key=lambda a: (order.get(a[1], len(order)), a[1], a[0])):
        case = cases.get(ref)
        if case is None:
            unscheduled.append(Unplaced(ref, _("the case is not in the sample")))
            continue
        minutes = (week.minutes(case) if week else
                   interview_minutes(programme, case.facts, file_read_samples=file_read_samples))
        if minutes is None:
            file_reads.append(ref)
            continue
        who = _key(case.practitioner)
        wanted = week.first_interview.get(mid) if week and mid not in first_done else None
        first_done.add(mid)
        for day in ([wanted[0]] if wanted else []) + sorted(set(days)):
            mine = busy[mid, day]
            if len(mine) >= per_day:
                continue
            theirs = seeing[who, day] if who else []
            if week:
                hours = week.hours.get(day)
                if hours is None:
                    continue
                a0, a1 = hours
                fixed = [(a, b, 0) for a, b in week.fixed.get((mid, day), ())]
                if wanted and day == wanted[0]:  # held in the event that watches it
                    a0, wanted = wanted[1], None
                    fixed = [f for f in fixed if not f[0] <= a0 < f[1]]
            else:
                a0, a1, fixed = t0, t1, [(l0, l1, 0)]
            s = _first_free(a0, a1, minutes, [*fixed, *((a, b, gap_minutes) for a, b in mine),
                                              *((a, b, 0) for a, b in theirs)])
            if s is not None:
                mine.append((s, s + minutes))
                if who:
                    theirs.append((s, s + minutes))
                slot = Slot(ref, mid, f"{day.isoformat()}T{s // 60:02d}:{s % 60:02d}", minutes)
                slots.append((day, s, order.get(mid, len(order)), slot))
                break
        else:
            unscheduled.append(Unplaced(ref, _(
                "no free interview time on the days given: add a day or allow more interviews "
                "a day")))
    return Schedule(tuple(s for *_k, s in sorted(slots, key=lambda x: x[:3])),
                    tuple(file_reads), tuple(unscheduled))


@dataclass(frozen=True)
class WeekHooks:
    """What a framework's schedule tells ``schedule_slots`` (built by ``setup/week.py``).

    ``hours``: the interview hours of each day that has interviews; ``fixed``: each member's
    fixed events by day, kept free; ``first_interview``: a member's first interview held at a
    given day and time (the observed one); ``minutes``: a case's interview length, or None for
    a file read.
    """

    hours: Mapping[date, tuple[int, int]]
    fixed: Mapping[tuple[str, date], Sequence[tuple[int, int]]]
    first_interview: Mapping[str, tuple[date, int]]
    minutes: Callable[[Case], int | None]


# -- helpers ---------------------------------------------------------------------------------

def _first_free(t0: int, t1: int, minutes: int,
                taken: list[tuple[int, int, int]]) -> int | None:
    """The earliest start in [t0, t1 - minutes] clear of each (begin, end, margin) interval."""
    s = t0
    while s + minutes <= t1:
        for a, b, margin in taken:
            if s < b + margin and s + minutes + margin > a:
                s = b + margin  # every start before this one clashes with the same interval
                break
        else:
            return s
    return None


def _conflicts(member: Member, case: Case, linked: set[Connection]) -> list[str]:
    out = []
    if _key(member.office) and _key(member.office) == _key(case.office):
        out.append("own_office")
    if (member.id, case.case_ref) in linked:
        out.append("connection")
    if case.practitioner and may_be_same(member.name, case.practitioner):
        out.append("practitioner_name")
    if case.person_name and may_be_same(member.name, case.person_name):
        out.append("person_name")
    return out


def conflicts_of(member: Member, case: Case) -> list[Violation]:
    """The conflict checks one member hits on one case, each with its reason in words.

    Office and names only: declared connections are given per allocation.
    """
    return [_hit(kind, member, case) for kind in _conflicts(member, case, set())]


def language_hit(member: Member, case: Case) -> Violation | None:
    """Why ``member`` cannot take ``case`` for its language, or None when they can."""
    return None if case.language in member.languages else _language_hit(member, case)


def _language_hit(member: Member, case: Case) -> Violation:
    return Violation("language", _("{name} does not inspect in {language}, the language of "
                                   "the case's records and interview").format(
        name=member.name, language=language_name(case.language)), case.case_ref, member.id)


def _hit(kind: str, member: Member, case: Case) -> Violation:
    """One conflict of interest between a member and a case, with the reason in words."""
    reason = {
        "own_office": _("{name} works in the case's office ({office})"),
        "connection": _("{name} declared a connection to the case"),
        "practitioner_name": _("the case's practitioner, {other}, may be {name}: the same or a "
                               "similar name"),
        "person_name": _("the person on probation, {other}, may be {name}: the same or a "
                         "similar name"),
    }[kind]
    other = case.practitioner if kind == "practitioner_name" else case.person_name
    return Violation(kind, reason.format(name=member.name, office=case.office, other=other),
                     case.case_ref, member.id)


def _why_unplaced(case: Case, members: Sequence[Member], caps: Sequence[int],
                  linked: set[Connection], loads: Mapping[str, int],
                  allowed: Collection[Connection] = ()) -> Unplaced:
    """The case left out, with the reason in words and its kind (``UNPLACED_KINDS``)."""
    if not members:
        return Unplaced(case.case_ref, _("there is nobody in the team to allocate it to"),
                        "no_eligible_member")
    speakers = [m for m in members if case.language in m.languages]
    if not speakers:
        return Unplaced(case.case_ref, _(
            "nobody in the team inspects in {language}, the language of its records and "
            "interview: record a member who does").format(
            language=language_name(case.language)), "no_eligible_member")
    cap_of = {m.id: cap for m, cap in zip(members, caps, strict=True)}
    hits = {m.id: _conflicts(m, case, linked) for m in speakers}  # once per member
    able = [m for m in speakers if cap_of[m.id] > 0
            and ((m.id, case.case_ref) in allowed or not hits[m.id])]
    if able:
        full = ", ".join(_("{name} has {n}").format(name=m.name, n=loads[m.id])
                         for m in sorted(able, key=lambda m: (m.name, m.id)))
        return Unplaced(case.case_ref, _(
            "everyone who could take it is full ({full}), and none of their cases can move to "
            "someone else").format(full=full), "caps")
    parts = []
    mute = len(members) - len(speakers)
    own = sum("own_office" in hits[m.id] for m in speakers)
    tied = sum("connection" in hits[m.id] for m in speakers)
    named = sum(bool({"practitioner_name", "person_name"} & set(hits[m.id])) for m in speakers)
    idle = sum(cap_of[m.id] <= 0 and not hits[m.id] for m in speakers)
    if mute:
        parts.append(_("{n} do not inspect in {language}").format(
            n=mute, language=language_name(case.language)))
    if own:
        parts.append(_("{n} work in its office ({office})").format(n=own, office=case.office))
    if tied:
        parts.append(_("{n} declared a connection to it").format(n=tied))
    if named:
        parts.append(_("{n} share a name with its practitioner or person on probation")
                     .format(n=named))
    if idle:
        parts.append(_("{n} take no cases").format(n=idle))
    kind = "conflicts" if own or tied or named else "no_eligible_member"
    return Unplaced(case.case_ref, _("nobody can take it: {why}").format(why="; ".join(parts)),
                    kind)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _clock(hhmm: str) -> int:
    try:
        h, m = (int(part) for part in hhmm.split(":"))
    except ValueError:
        h = m = -1
    if len(hhmm) != 5 or not (0 <= h < 24 and 0 <= m < 60):
        raise AllocationError(_("{t!r} is not a time of day like 09:30").format(t=hhmm))
    return h * 60 + m


def _unique(values: list[str], what: str) -> None:
    repeated = sorted(v for v, k in Counter(values).items() if k > 1)
    if repeated:
        raise AllocationError(_("each {what} must be unique; {n} repeat").format(
            what=what, n=len(repeated)))


class _Flow:
    """Min-cost max-flow by successive shortest paths (Dijkstra with potentials).

    An edge into the sink may have a ``step``: each unit through it costs ``step`` more than
    the one before (a convex cost, without one parallel edge per unit). That is sound because
    a path never leaves the sink, so such an edge's flow only grows and its cost only rises,
    which keeps every reduced cost non-negative.
    """

    def __init__(self) -> None:
        self.adj: list[list[int]] = []
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self.step: dict[int, int] = {}

    def node(self) -> int:
        self.adj.append([])
        return len(self.adj) - 1

    def edge(self, u: int, v: int, cap: int, cost: int, *, step: int = 0) -> int:
        e = len(self.to)
        self.to += [v, u]
        self.cap += [cap, 0]
        self.cost += [cost, -cost]
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        if step:
            self.step[e] = step
        return e

    def flow_on(self, e: int) -> int:
        return self.cap[e ^ 1]

    def run(self, s: int, t: int) -> None:
        potential = [0] * len(self.adj)
        while True:
            dist: dict[int, int] = {s: 0}
            via: dict[int, int] = {}
            settled: list[int] = []
            heap = [(0, s)]
            while heap:
                d, u = heapq.heappop(heap)
                if d > dist[u]:
                    continue
                settled.append(u)
                if u == t:
                    break  # what is not settled yet is at least as far as t
                for e in self.adj[u]:
                    if self.cap[e] > 0:
                        v = self.to[e]
                        nd = d + self.cost[e] + potential[u] - potential[v]
                        if v not in dist or nd < dist[v]:
                            dist[v], via[v] = nd, e
                            heapq.heappush(heap, (nd, v))
            if not settled or settled[-1] != t:
                return
            for v in settled:  # keeps every reduced cost non-negative (as in AtCoder's library)
                potential[v] += dist[v] - dist[t]
            push, v = self.cap[via[t]], t
            while v != s:
                push = min(push, 1 if via[v] in self.step else self.cap[via[v]])
                v = self.to[via[v] ^ 1]
            v = t
            while v != s:
                e = via[v]
                self.cap[e] -= push
                self.cap[e ^ 1] += push
                if e in self.step:
                    self.cost[e] += self.step[e]
                v = self.to[e ^ 1]
