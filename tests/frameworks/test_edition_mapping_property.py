"""Properties of the mapping from one edition to the next, over generated pairs of editions.

Moving a case to a new edition carries each answer along the mapping, so nothing may fall
between the two: every old item is carried on or listed as removed (its answers kept in the
case history), every new item carries an old one or is listed as new; a note goes where its
key question goes; and consolidation counts two editions' answers in one table only where a
key question and all its prompts map one to one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.frameworks import Framework
from hmip_desktop.frameworks.edition_mapping import (
    CASE_PREFIX,
    NOTE_PREFIX,
    EditionMapping,
    MappingError,
    edition_mapping,
    mapping_faults,
)
from hmip_desktop.frameworks.model import NO_PREDECESSOR
from tests.frameworks.edition_helpers import Shape, edition

KQ_IDS = ["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2"]


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    kqs = draw(st.lists(st.sampled_from(KQ_IDS), min_size=1, max_size=4, unique=True))
    return {k: sorted(draw(st.sets(st.sampled_from("abcd"), max_size=3)))
            for k in sorted(kqs)}


def ids(shape: Shape) -> dict[str, str]:
    """Every item id of a shape → its kind, in form order."""
    out = {}
    for k, letters in shape.items():
        out[k] = "kq"
        out.update({f"{k}.{x}": "prompt" for x in letters})
    return out


@st.composite
def sound_pairs(draw: st.DrawFn) -> tuple[Framework, Framework]:
    """An old edition and a new one whose mapping fits it: each new item continues an old item
    of its kind or none, said as the format says it (shared where two continue one)."""
    old_shape, new_shape = draw(shapes()), draw(shapes())
    old_ids, new_ids = ids(old_shape), ids(new_shape)
    target: dict[str, str | None] = {}
    for i, kind in new_ids.items():
        same_kind = [o for o, k in old_ids.items() if k == kind]
        target[i] = draw(st.one_of(st.none(), st.sampled_from(same_kind))) if same_kind else None
    uses = Counter(t for t in target.values() if t is not None)
    continues: dict[str, dict[str, Any]] = {}
    for i, t in target.items():
        if t is None:
            # Said where an old item of its id and kind would otherwise be continued.
            if old_ids.get(i) == new_ids[i] or draw(st.booleans()):
                continues[i] = {"continues": NO_PREDECESSOR}
        elif uses[t] > 1:
            continues[i] = {"continues": t, "continues_shared": True}
        elif t != i or draw(st.booleans()):
            continues[i] = {"continues": t}
    return edition(old_shape, "1"), edition(new_shape, "2", "1", continues)


@st.composite
def any_pairs(draw: st.DrawFn) -> tuple[Framework, Framework]:
    """An old and a new edition whose items say anything the format allows, faults and all."""
    old_shape, new_shape = draw(shapes()), draw(shapes())
    pointable = [*ids(old_shape), *ids(new_shape), "9.9.9", "9.9.9.z"]
    continues: dict[str, dict[str, Any]] = {}
    for i in ids(new_shape):
        said = draw(st.one_of(st.none(), st.just(NO_PREDECESSOR), st.sampled_from(pointable)))
        if said is not None:
            shared = said != NO_PREDECESSOR and draw(st.booleans())
            continues[i] = {"continues": said, **({"continues_shared": True} if shared else {})}
    return edition(old_shape, "1"), edition(new_shape, "2", "1", continues)


def kqs(fw: Framework) -> dict[str, tuple[str, ...]]:
    return {k.id: tuple(p.id for p in k.prompts)
            for d in fw.domains for s in d.standards for k in s.key_questions}


def items(fw: Framework) -> list[str]:
    return [i for k, ps in kqs(fw).items() for i in (k, *ps)]


def check_properties(old: Framework, new: Framework, m: EditionMapping) -> None:
    old_items, new_items = items(old), items(new)
    continued = set(m.carried.values())
    # Every old item is carried to at least one new item, or removed; never both.
    for o in old_items:
        assert (o in continued) != (o in m.removed), o
    assert set(m.removed) <= set(old_items)
    # Every new item carries an old one, or is new in this edition; never both.
    for n in new_items:
        assert (n in m.carried) != (n in m.new_items), n
    assert set(m.carried) <= set(new_items) and continued <= set(old_items)
    # Carried only to an item of the same kind.
    old_kqs, new_kqs = kqs(old), kqs(new)
    assert all((n in new_kqs) == (o in old_kqs) for n, o in m.carried.items())
    # Each answer and each note goes where the mapping says, and nowhere else.
    for o in old_items:
        to = tuple(n for n in new_items if m.carried.get(n) == o)
        assert m.new_key(o) == to
    for k in old_kqs:
        assert m.new_key(NOTE_PREFIX + k) == tuple(NOTE_PREFIX + n for n in m.new_key(k))
    assert m.new_key(CASE_PREFIX + "inspector_view") == (CASE_PREFIX + "inspector_view",)
    assert m.new_key(CASE_PREFIX + "gone") == ()
    # Two new items carry one old item's answers only where each says so.
    shared = {i.id for k in (k for d in new.domains for s in d.standards for k in s.key_questions)
              for i in (k, *k.prompts) if i.continues_shared}
    for o in continued:
        carriers = [n for n, x in m.carried.items() if x == o]
        assert len(carriers) == 1 or set(carriers) <= shared, (o, carriers)
    # Counted alike exactly where the key question and all its prompts map one to one.
    successors = Counter(m.carried.values())
    one_to_one = set()
    for k, prompts in new_kqs.items():
        o = m.carried.get(k)
        olds = [m.carried.get(p) for p in prompts]
        if (o is not None and successors[o] == 1 and None not in olds
                and all(successors[x] == 1 for x in olds if x is not None)
                and sorted(x for x in olds if x is not None) == sorted(old_kqs[o])):
            one_to_one.add(k)
    assert m.same_key_questions() == one_to_one


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sound_pairs())
def test_a_sound_mapping_carries_every_item_or_says_where_it_went(
        pair: tuple[Framework, Framework]) -> None:
    old, new = pair
    assert mapping_faults(old, new) == []
    m = edition_mapping(old, new)
    check_properties(old, new, m)
    # What each item said is what it carries.
    old_kinds = {i: ("kq" if i in kqs(old) else "prompt") for i in items(old)}
    for kq in (k for d in new.domains for s in d.standards for k in s.key_questions):
        for item, kind in ((kq, "kq"), *((p, "prompt") for p in kq.prompts)):
            if item.continues == NO_PREDECESSOR:
                assert item.id in m.new_items
            elif item.continues is not None:
                assert m.carried[item.id] == item.continues
            else:
                assert m.carried.get(item.id) == (item.id if old_kinds.get(item.id) == kind
                                                  else None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_pairs())
def test_any_mapping_is_either_refused_in_one_line_each_or_sound(
        pair: tuple[Framework, Framework]) -> None:
    old, new = pair
    faults = mapping_faults(old, new)
    if faults:
        assert all(f and "\n" not in f for f in faults)
        with pytest.raises(MappingError) as e:
            edition_mapping(old, new)
        assert str(e.value) == faults[0]
        return
    check_properties(old, new, edition_mapping(old, new))


def test_an_edition_superseding_another_is_refused_against_the_wrong_one() -> None:
    old = edition({"1.1.1": ["a"]}, "1")
    new = edition({"1.1.1": ["a"]}, "3", "2")
    assert mapping_faults(old, new) == ["mapped edition 3 does not supersede mapped edition 1"]
    with pytest.raises(MappingError):
        edition_mapping(old, new)
