"""The same-or-similar name rule, and the allocation keeping a member off such a case."""

from __future__ import annotations

import pytest

from hmip_desktop.setup.allocation import Case, Member, check_allocation, even_split
from hmip_desktop.setup.conflict_names import may_be_same


@pytest.mark.parametrize(("a", "b"), [
    ("Robin Ashwillow", "robin  ASHWILLOW"),
    ("Zoë O'Neil", "Zoe ONeil"),
    ("R. Ashwillow", "Robin Ashwillow"),
    ("Mr Robin Ashwillow", "Robin J. Ashwillow"),
    ("Robin Ashwillow-Dove", "Robin Ashwillow Dove"),
])
def test_names_that_may_be_the_same_person_match(a: str, b: str) -> None:
    assert may_be_same(a, b) and may_be_same(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("Robin Ashwillow", "Bailey Ashwillow"),   # another first name
    ("Robin Ashwillow", "Robin Marrowby"),     # another surname
    ("Robin", "Robin"),                        # no surname to compare
    ("B. Ashwillow", "Robin Ashwillow"),       # the initial does not fit
])
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert not may_be_same(a, b)


TEAM = [Member("m1", "Robin Ashwillow", "assessor"), Member("m2", "Casey Marrowby", "assessor")]


def test_a_member_never_gets_a_case_of_a_practitioner_or_person_with_their_name() -> None:
    cases = [Case("C1", practitioner="R. Ashwillow"), Case("C2", person_name="casey marrowby"),
             Case("C3"), Case("C4")]
    got = even_split(cases, TEAM)
    assert got.assignments["C1"] == "m2" and got.assignments["C2"] == "m1"
    reasons = {(v.case_ref, v.member_id): v.reason for v in got.conflicts}
    assert set(reasons) == {("C1", "m1"), ("C2", "m2")}
    assert "practitioner, R. Ashwillow, may be Robin Ashwillow" in reasons["C1", "m1"]
    assert "person on probation, casey marrowby, may be Casey Marrowby" in reasons["C2", "m2"]
    assert not got.overridden


def test_an_override_lets_the_member_take_the_case_and_is_reported() -> None:
    only = [TEAM[0]]
    cases = [Case("C1", practitioner="Robin Ashwillow")]
    blocked = even_split(cases, only)
    assert not blocked.assignments
    assert "share a name" in blocked.unplaced[0].reason
    allowed = even_split(cases, only, overrides=[("m1", "C1")])
    assert allowed.assignments == {"C1": "m1"}
    assert [v.kind for v in allowed.overridden] == ["practitioner_name"]
    assert not allowed.conflicts
    assert not check_allocation(allowed, overrides=[("m1", "C1")])
    assert [v.kind for v in check_allocation(allowed)] == ["practitioner_name"]

