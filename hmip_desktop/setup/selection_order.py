"""Selected local assessors first, reserves as replacements (000_ §3.10).

After training the lead records each trainee as selected, reserve or not selected
(``training.selection``). Allocation then:

- leaves out every member recorded as not selected;
- splits the cases between the selected members and every member with no decision recorded
  (QA inspectors, and assessors who were not on a training event in this workspace), as
  before;
- only if that leaves cases unplaced, offers those cases to the reserves, split evenly
  between them: a reserve stands in for a selected assessor who is not there (not enrolled,
  full, or kept off the case by a conflict check).

Pure: the caller passes each member's decision (by member id) and the splitting function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hmip_desktop.setup.allocation import Allocation, Case, Member

Split = Callable[[Sequence[Case], Sequence[Member]], Allocation]


@dataclass(frozen=True)
class SelectionUse:
    """What the lead's selection did to an allocation (member ids)."""

    not_selected: tuple[str, ...] = ()  # left out
    reserves: tuple[str, ...] = ()  # held back as replacements
    reserves_called: tuple[str, ...] = ()  # reserves given at least one case


def split_by_selection(cases: Sequence[Case], members: Sequence[Member],
                       decisions: Mapping[str, str],
                       split: Split) -> tuple[Allocation, SelectionUse]:
    """Split ``cases`` over the selected first, then what is left over the reserves."""
    left_out = tuple(m.id for m in members if decisions.get(m.id) == "not_selected")
    reserves = [m for m in members if decisions.get(m.id) == "reserve"]
    first = [m for m in members if decisions.get(m.id) not in ("not_selected", "reserve")]
    use = SelectionUse(left_out, tuple(m.id for m in reserves))
    if not reserves:
        return split(cases, first), use
    if not first:
        done = split(cases, reserves)
        return done, SelectionUse(left_out, use.reserves, tuple(sorted(set(
            done.assignments.values()))))
    one = split(cases, first)
    if not one.unplaced:
        return one, use
    waiting = {u.case_ref for u in one.unplaced}
    two = split([c for c in cases if c.case_ref in waiting], reserves)
    merged = Allocation(
        cases=tuple(cases), members=(*one.members, *two.members),
        assignments={**one.assignments, **two.assignments}, unplaced=two.unplaced,
        conflicts=(*one.conflicts, *two.conflicts),
        overridden=(*one.overridden, *two.overridden))
    return merged, SelectionUse(left_out, use.reserves,
                                tuple(sorted(set(two.assignments.values()))))
