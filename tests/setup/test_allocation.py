"""Allocating cases and scheduling interviews: the rules always hold, the split is even."""

from __future__ import annotations

import itertools
import random
import uuid
from collections import Counter
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.errors import UserError
from hmip_desktop.setup.allocation import (
    DEFAULT_CAPACITY,
    Allocation,
    AllocationError,
    Case,
    Member,
    Unplaced,
    capacity_of,
    check_allocation,
    default_capacities,
    even_split,
    interview_minutes,
    schedule_slots,
)

TUE, WED, THU = date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)


def team(*offices: str, role: str = "assessor") -> list[Member]:
    return [Member(f"m{i}", f"Member {i}", role, office) for i, office in enumerate(offices)]


def cases(n: int, office: str = "Hub", practitioner: str = "", **facts: str) -> list[Case]:
    return [Case(f"C{i:03d}", office, practitioner or f"P{i}", dict(facts)) for i in range(n)]


# -- even_split: examples --------------------------------------------------------------------

def test_defaults_follow_the_manuals() -> None:
    assert dict(DEFAULT_CAPACITY) == {"assessor": 6, "qa": 8, "lead": 4, "deputy": 4}
    assert default_capacities("youth")["lead"] == default_capacities("youth")["deputy"] == 3
    assert default_capacities("probation") == dict(DEFAULT_CAPACITY)
    lead = Member("l", "Lead", "lead")
    assert capacity_of(lead, default_capacities()) == 4
    assert capacity_of(Member("l", "Lead", "lead", capacity=0), default_capacities()) == 0


def test_even_split_balances_within_one() -> None:
    got = even_split(cases(10), team("A", "B", "C"))
    assert sorted(got.loads().values()) == [3, 3, 4]
    assert got.unplaced == ()
    assert set(got.assignments) == {c.case_ref for c in cases(10)}


def test_capacity_per_role_and_member_and_the_rest_reported() -> None:
    members = [Member("a", "Ann", "assessor"), Member("l", "Lee", "lead"),
               Member("q", "Quinn", "qa", capacity=2)]
    got = even_split(cases(20), members)
    assert got.loads() == {"a": 6, "l": 4, "q": 2}
    assert len(got.unplaced) == 8
    assert all(u.reason.startswith("everyone who could take it is full") for u in got.unplaced)
    more = even_split(cases(20), members, capacities={"assessor": 10})
    assert more.loads() == {"a": 10, "l": 4, "q": 2}


def test_youth_lead_takes_three() -> None:
    got = even_split(cases(9), [Member("l", "Lee", "lead"), *team("X")], programme="youth")
    assert got.loads() == {"l": 3, "m0": 6}


def test_never_own_office_never_connected() -> None:
    members = team("North", "South")
    cs = [Case("N1", "North"), Case("N2", "north "), Case("S1", "South"), Case("E1", "East")]
    got = even_split(cs, members, [("m1", "N1"), ("m1", "E1")])
    assert got.assignments == {"E1": "m0", "N2": "m1", "S1": "m0"}
    assert got.unplaced == (Unplaced("N1", "nobody can take it: 1 work in its office (North); "
                                            "1 declared a connection to it", "conflicts"),)


def test_unplaced_reasons() -> None:
    nobody = even_split(cases(1), []).unplaced[0]
    assert (nobody.reason, nobody.kind) == (
        "there is nobody in the team to allocate it to", "no_eligible_member")
    idle = [Member("l", "Lee", "lead", "Hub"), Member("z", "Zoe", "qa", capacity=0)]
    office = even_split(cases(1), idle).unplaced[0]
    assert (office.reason, office.kind) == (
        "nobody can take it: 1 work in its office (Hub); 1 take no cases", "conflicts")
    only_idle = even_split(cases(1), [Member("z", "Zoe", "qa", capacity=0)]).unplaced[0]
    assert (only_idle.reason, only_idle.kind) == (
        "nobody can take it: 1 take no cases", "no_eligible_member")
    full = even_split(cases(2), [Member("a", "Ann", "qa", capacity=1)])
    assert full.unplaced == (Unplaced("C001", "everyone who could take it is full (Ann has 1), "
                                              "and none of their cases can move to someone "
                                              "else", "caps"),)


def test_full_members_are_balanced_by_moving_cases_elsewhere() -> None:
    # m0 alone can take the North cases; the others must go to m1 so that every case fits.
    members = [Member("m0", "A", "assessor", "South", capacity=3),
               Member("m1", "B", "assessor", "North", capacity=3)]
    cs = [Case(f"N{i}", "North") for i in range(3)] + [Case(f"S{i}", "East") for i in range(3)]
    got = even_split(cs, members)
    assert got.unplaced == ()
    assert got.cases_of("m0") == ["N0", "N1", "N2"]


def test_each_practitioners_cases_are_spread() -> None:
    cs = [Case(f"C{i}", "Hub", practitioner) for i, practitioner in
          enumerate(["Pat", "Pat", "Sam", "Sam", "Kim", "Kim"])]
    got = even_split(cs, team("A", "B", "C"))
    for m in got.members:
        mine = [c.practitioner for c in cs if got.assignments[c.case_ref] == m.id]
        assert len(mine) == len(set(mine)) == 2
    assert not [v for v in check_allocation(got) if v.soft]


def test_deterministic_and_order_free() -> None:
    rng = random.Random(7)
    members = [Member(f"m{i}", f"M{i}", rng.choice(["assessor", "qa", "lead"]),
                      rng.choice(["A", "B", "C"])) for i in range(6)]
    cs = [Case(f"C{i}", rng.choice(["A", "B", "C"]), rng.choice(["P1", "P2", "P3", "P4"]))
          for i in range(40)]
    links = [("m1", "C3"), ("m2", "C3"), ("m4", "C10")]
    first = even_split(cs, members, links)
    assert even_split(cs, members, links) == first
    assert even_split(cs[::-1], members[::-1], links[::-1]) == first


def test_the_same_team_enrolled_again_gets_the_same_split() -> None:
    """Member ids differ on every enrolment; the split follows the team, not the ids."""
    names = [("Robin Quillfeather", "assessor", "North"), ("Casey Marrowby", "assessor", ""),
             ("Morgan Thistlecombe", "qa", "")]
    cs = [Case(f"C{i:02d}", "Hub", f"P{i % 5}") for i in range(12)]

    def split(ids: list[str]) -> dict[str, str]:
        members = [Member(i, n, r, o) for i, (n, r, o) in zip(ids, names, strict=True)]
        got = even_split(cs, members)
        by_id = {m.id: m.name for m in members}
        return {ref: by_id[mid] for ref, mid in got.assignments.items()}

    first = split([uuid.uuid4().hex for _n in names])
    assert split([uuid.uuid4().hex for _n in names]) == first
    assert split(["z", "y", "x"]) == split(["a", "b", "c"]) == first


def test_a_seed_breaks_ties_reproducibly_and_another_seed_may_differ() -> None:
    members = team("", "", "")
    cs = cases(9)

    def split(seed: int | None) -> dict[str, str]:
        return dict(even_split(cs, members, seed=seed).assignments)

    assert split(11) == split(11) and split(None) == split(None)
    splits = {tuple(sorted(split(seed).items())) for seed in range(12)}
    assert len(splits) > 1, "no seed broke the ties another way"
    for seed in range(12):  # whatever the seed, the rules and the evenness hold
        got = even_split(cs, members, seed=seed)
        assert sorted(got.loads().values()) == [3, 3, 3]
        assert got.members == even_split(cs, members).members  # listed in the team's order


def test_bad_input_is_a_user_error() -> None:
    with pytest.raises(AllocationError, match="not one of assessor, qa, lead"):
        even_split(cases(1), [Member("x", "X", "boss")])
    with pytest.raises(AllocationError, match="case reference must be unique"):
        even_split([Case("A"), Case("A")], team("B"))
    with pytest.raises(UserError, match="member id must be unique"):
        even_split(cases(1), [Member("x", "X", "qa"), Member("x", "Y", "qa")])


def test_a_realistic_sample_fills_the_team_and_breaks_no_rule() -> None:
    """250 cases for 22 people who can take 176: everyone is full, nobody inspects their own
    office or a case they declared, no practitioner is seen twice by one member, and every
    case left over says why. (How long it takes: benchmarks/bench_allocation.py.)"""
    members = [*(Member(f"a{i}", f"A{i}", "assessor", f"O{i % 5}") for i in range(12)),
               *(Member(f"q{i}", f"Q{i}", "qa", f"O{i % 5}", capacity=12) for i in range(8)),
               Member("lead", "Lead", "lead"), Member("dep", "Deputy", "lead")]
    cs = [Case(f"C{i:03d}", f"O{i % 7}", f"P{i % 90}") for i in range(250)]
    links = [(m.id, c.case_ref) for m in members[:3] for c in cs[:5]]
    got = even_split(cs, members, links)
    assert len(got.assignments) == 12 * 6 + 8 * 12 + 2 * 4
    assert got.loads() == {m.id: 12 if m.role == "qa" else 6 if m.role == "assessor" else 4
                           for m in members}
    unplaced = {u.case_ref for u in got.unplaced}
    assert unplaced == {c.case_ref for c in cs} - set(got.assignments)
    assert all("full" in u.reason for u in got.unplaced)
    assert [(v.kind, v.case_ref) for v in check_allocation(got, links)] == [
        ("unallocated", ref) for ref in sorted(unplaced)]


# -- even_split: properties ------------------------------------------------------------------

OFFICES = ["", "North", "South", "East"]


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[Case], list[Member], list[tuple[str, str]]]:
    ms = [Member(f"m{i}", f"M{i}", draw(st.sampled_from(["assessor", "qa", "lead"])),
                 draw(st.sampled_from(OFFICES)), draw(st.none() | st.integers(0, 5)))
          for i in range(draw(st.integers(0, 6)))]
    cs = [Case(f"C{i:02d}", draw(st.sampled_from(OFFICES)),
               draw(st.sampled_from(["", "P1", "P2", "P3"])))
          for i in range(draw(st.integers(0, 25)))]
    links = draw(st.lists(st.tuples(st.sampled_from([m.id for m in ms] or ["m0"]),
                                    st.sampled_from([c.case_ref for c in cs] or ["C00"])),
                          max_size=12))
    return cs, ms, links


def _able(m: Member, c: Case, links: set[tuple[str, str]], cap: int) -> bool:
    own = bool(m.office) and m.office == c.office
    return cap > 0 and not own and (m.id, c.case_ref) not in links


def _max_placeable(cs: list[Case], ms: list[Member], links: set[tuple[str, str]],
                   caps: dict[str, int]) -> int:
    """An independent maximum b-matching (Kuhn's augmenting paths) to compare against."""
    owner: dict[str, str] = {}
    load: Counter[str] = Counter()

    def place(c: Case, seen: set[str]) -> bool:
        for m in ms:
            if m.id in seen or not _able(m, c, links, caps[m.id]):
                continue
            seen.add(m.id)
            if load[m.id] < caps[m.id]:
                owner[c.case_ref], load[m.id] = m.id, load[m.id] + 1
                return True
            for other in [x for x in cs if owner.get(x.case_ref) == m.id]:
                if place(other, seen):
                    load[m.id] -= 1
                    owner[c.case_ref], load[m.id] = m.id, load[m.id] + 1
                    return True
        return False

    return sum(place(c, set()) for c in cs)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_rules_always_hold_and_the_split_is_as_even_as_they_allow(
        problem: tuple[list[Case], list[Member], list[tuple[str, str]]]) -> None:
    cs, ms, links = problem
    got = even_split(cs, ms, links)
    caps = {m.id: capacity_of(m, default_capacities()) for m in ms}
    by_ref = {c.case_ref: c for c in cs}
    by_id = {m.id: m for m in ms}
    linked = set(links)
    loads = got.loads()
    # every case is placed or reported, never both, never lost
    assert set(got.assignments) | {u.case_ref for u in got.unplaced} == set(by_ref)
    assert not set(got.assignments) & {u.case_ref for u in got.unplaced}
    assert all(u.reason for u in got.unplaced)
    # the hard rules
    for ref, mid in got.assignments.items():
        assert _able(by_id[mid], by_ref[ref], linked, caps[mid])
    assert all(loads[m] <= caps[m] for m in caps)
    assert [v for v in check_allocation(got, links) if v.kind != "unallocated" and not v.soft] \
        == []
    # as many placed as possible
    assert len(got.assignments) == _max_placeable(cs, ms, linked, caps)
    # nothing left that a member with room could take
    for u in got.unplaced:
        assert not [m for m in ms if loads[m.id] < caps[m.id]
                    and _able(m, by_ref[u.case_ref], linked, caps[m.id])]
    # even: no case could move from a member to one with two fewer cases and room
    for ref, mid in got.assignments.items():
        for b in ms:
            if loads[b.id] <= loads[mid] - 2 and loads[b.id] < caps[b.id]:
                assert not _able(b, by_ref[ref], linked, caps[b.id])
    # spread: a repeated practitioner does not stay where a move would cost no evenness
    for m in ms:
        mine = [by_ref[r] for r in got.cases_of(m.id)]
        for c in mine:
            if c.practitioner and sum(x.practitioner == c.practitioner for x in mine) > 1:
                for b in ms:
                    theirs = {by_ref[r].practitioner for r in got.cases_of(b.id)}
                    free = loads[b.id] < caps[b.id] and loads[b.id] <= loads[m.id] - 1
                    assert not (b.id != m.id and free and c.practitioner not in theirs
                                and _able(b, c, linked, caps[b.id]))


# -- check_allocation ------------------------------------------------------------------------

def test_check_allocation_finds_each_violation() -> None:
    members = [Member("a", "Ann", "assessor", "North", capacity=1), Member("b", "Bob", "qa")]
    cs = [Case("N1", "North", "Pat"), Case("S1", "South", "Pat"), Case("S2", "South", "Pat"),
          Case("S3", "South"), Case("S4", "South")]
    hand = Allocation(tuple(cs), tuple(members), {
        "N1": "a", "S1": "a", "S2": "b", "S3": "b", "X9": "b", "S4": "ghost"})
    got = [(v.kind, v.case_ref, v.member_id, v.reason)
           for v in check_allocation(hand, [("b", "S3")])]
    assert got == [
        ("own_office", "N1", "a", "Ann works in the case's office (North)"),
        ("connection", "S3", "b", "Bob declared a connection to the case"),
        ("unknown_case", "X9", "b", "the allocation names a case that is not in the sample"),
        ("unknown_member", "S4", "ghost",
         "the case is allocated to someone who is not in the team"),
        ("over_capacity", "", "a", "Ann has 2 cases; the most for them is 1"),
        ("same_practitioner", "S1", "a", "Ann has another case of the same practitioner: "
                                         "move one if someone else can take it"),
    ]
    unallocated = Allocation(tuple(cs[:2]), tuple(members), {"S1": "b"})
    assert [(v.kind, v.case_ref, v.soft) for v in check_allocation(unallocated)] == [
        ("unallocated", "N1", False)]
    assert check_allocation(Allocation(tuple(cs[1:2]), tuple(members), {"S1": "b"})) == []


def test_check_allocation_uses_programme_and_role_capacities() -> None:
    lead = Member("l", "Lee", "lead")
    hand = Allocation(tuple(cases(4)), (lead,), {f"C{i:03d}": "l" for i in range(4)})
    assert check_allocation(hand) == []
    assert [v.kind for v in check_allocation(hand, programme="youth")] == ["over_capacity"]
    assert check_allocation(hand, programme="youth", capacities={"lead": 4}) == []


# -- interview slots -------------------------------------------------------------------------

def _minutes(iso: str) -> int:
    t = datetime.fromisoformat(iso)
    return t.hour * 60 + t.minute


def test_interview_lengths_and_file_reads() -> None:
    assert interview_minutes("probation", {"sample": "supervision"}) == 60
    assert interview_minutes("youth", {"sample": "post_court"}) == 60
    assert interview_minutes("youth", {"sample": "out_of_court"}) == 45
    assert interview_minutes("probation", {"sample": "out_of_court"}) == 60
    assert interview_minutes("public_protection", {"sample": "licence"}) == 60
    for sample in ("court_report", "victim", "unpaid_work", "through_the_gate"):
        assert interview_minutes("probation", {"sample": sample}) is None
        assert interview_minutes("probation", {"sample": sample}, file_read_samples=()) == 60


def test_slots_for_one_member() -> None:
    cs = [Case("A", "Hub", "P1", {"sample": "post_court"}),
          Case("B", "Hub", "P2", {"sample": "out_of_court"}),
          Case("C", "Hub", "P3", {"sample": "out_of_court"})]
    alloc = even_split(cs, team("Far"))
    got = schedule_slots(alloc, [WED, TUE], programme="youth")
    assert [(s.case_ref, s.start, s.minutes) for s in got.slots] == [
        ("A", "2026-03-03T09:30", 60), ("B", "2026-03-03T11:30", 45),
        ("C", "2026-03-04T09:30", 45)]
    assert got.file_reads == ()
    assert got.unscheduled == ()


def test_lunch_is_kept_free_and_the_day_ends_on_time() -> None:
    alloc = even_split(cases(3), team("Far"))
    got = schedule_slots(alloc, [TUE], "11:00", end="15:00", per_day=3, gap_minutes=0)
    assert [s.start[11:] for s in got.slots] == ["11:00", "13:30"]
    assert got.unscheduled == (Unplaced("C002", "no free interview time on the days given: add "
                                                "a day or allow more interviews a day"),)


def test_one_practitioner_is_never_in_two_interviews_at_once() -> None:
    alloc = even_split(cases(2, practitioner="Pat"), team("X", "Y"))
    assert sorted(alloc.loads().values()) == [1, 1]
    got = schedule_slots(alloc, [TUE])
    assert [s.start[11:] for s in got.slots] == ["09:30", "10:30"]


def test_file_reads_get_no_slot() -> None:
    cs = [*cases(2, sample="court_report"), Case("V1", "Hub", "P", {"sample": "supervision"})]
    got = schedule_slots(even_split(cs, team("X")), [TUE], programme="probation")
    assert got.file_reads == ("C000", "C001")
    assert [s.case_ref for s in got.slots] == ["V1"]


def test_bad_times_are_user_errors() -> None:
    alloc = even_split(cases(1), team("X"))
    for bad in ("9:30", "25:00", "09:60", "noon"):
        with pytest.raises(AllocationError, match="not a time of day"):
            schedule_slots(alloc, [TUE], bad)
    with pytest.raises(AllocationError, match="must start before it ends"):
        schedule_slots(alloc, [TUE], "17:00", end="09:00")
    assert schedule_slots(alloc, []).unscheduled[0].case_ref == "C000"


@settings(max_examples=150, deadline=None)
@given(problem=problems(), n_days=st.integers(0, 3), per_day=st.integers(1, 3),
       gap=st.sampled_from([0, 15, 60]), samples=st.lists(st.sampled_from(
           ["post_court", "out_of_court"]), min_size=25, max_size=25))
def test_slots_never_overlap_and_keep_lunch(
        problem: tuple[list[Case], list[Member], list[tuple[str, str]]], n_days: int,
        per_day: int, gap: int, samples: list[str]) -> None:
    cs, ms, links = problem
    cs = [Case(c.case_ref, c.office, c.practitioner, {"sample": s}) for c, s in zip(cs, samples,
                                                                                    strict=False)]
    alloc = even_split(cs, ms, links)
    days = [TUE, WED, THU][:n_days]
    got = schedule_slots(alloc, days, programme="youth", per_day=per_day, gap_minutes=gap)
    facts = {c.case_ref: c for c in cs}
    assert sorted([s.case_ref for s in got.slots] + [u.case_ref for u in got.unscheduled]) \
        == sorted(alloc.assignments)
    per_member: dict[tuple[str, str], list[tuple[int, int]]] = {}
    per_practitioner: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for s in got.slots:
        assert s.member_id == alloc.assignments[s.case_ref]
        assert s.minutes == (45 if facts[s.case_ref].facts["sample"] == "out_of_court" else 60)
        begin = _minutes(s.start)
        span = (begin, begin + s.minutes)
        assert span[0] >= 9 * 60 + 30 and span[1] <= 17 * 60
        assert span[1] <= 12 * 60 + 30 or span[0] >= 13 * 60 + 30  # lunch kept free
        day = s.start[:10]
        per_member.setdefault((s.member_id, day), []).append(span)
        if facts[s.case_ref].practitioner:
            per_practitioner.setdefault((facts[s.case_ref].practitioner, day), []).append(span)
    for spans in per_member.values():
        assert len(spans) <= per_day
        spans.sort()
        assert all(a[1] + gap <= b[0] for a, b in itertools.pairwise(spans))
    for spans in per_practitioner.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
