"""The stratified draw: allocation, the keyed order, constraints, provisional, final, reserves.

Long lists here are generated (invented case references, PDUs and practitioners); the
properties are the ones the manuals ask of a sample: proportionate strata, a re-runnable draw,
at least so many cases per PDU and at most so many per practitioner, the youth 60/40 split.
"""

from __future__ import annotations

import hmac
import random
from collections import Counter
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.sampling.draw import (
    DrawRequest,
    allocate,
    draw,
    final_from_returned,
    keyed_order,
    provisional_size,
    swap_for_reserve,
)
from hmip_desktop.sampling.model import Candidate, Constraints, Returned, SamplingError, Split

QUICK = settings(deadline=None, max_examples=60)

GENDERS, SENTENCES, ROSH = ("Female", "Male"), ("Community", "Custody"), ("Low", "Medium", "High")


def long_list(n: int, seed: int, *, pdus: int = 6, practitioners: int = 200,
              parts: tuple[str, ...] = SENTENCES) -> list[Candidate]:
    rng = random.Random(seed)
    return [Candidate(f"CRN{i:06d}",
                      (rng.choice(parts), rng.choices(GENDERS, (1, 5))[0],
                       rng.choices(ROSH, (3, 5, 2))[0]),
                      f"PDU {rng.randrange(pdus)}", f"Officer {rng.randrange(practitioners)}")
            for i in range(n)]


def per_stratum(cases: tuple[Candidate, ...] | list[Candidate]) -> Counter[tuple[str, ...]]:
    return Counter(c.stratum for c in cases)


counts = st.dictionaries(st.tuples(st.sampled_from(GENDERS), st.sampled_from(ROSH)),
                         st.integers(0, 400), min_size=1)


@QUICK
@given(counts, st.data())
def test_allocation_sums_to_the_target_and_each_stratum_is_within_one_of_its_quota(
        strata: dict[tuple[str, ...], int], data: st.DataObject) -> None:
    total = sum(strata.values())
    target = data.draw(st.integers(0, total))
    got = allocate(strata, target)
    assert sum(got.values()) == target
    for s, n in strata.items():
        exact = Fraction(target * n, total) if total else Fraction(0)
        assert abs(got[s] - exact) < 1
        assert 0 <= got[s] <= n


def test_allocation_breaks_equal_remainders_towards_the_larger_then_the_first_stratum() -> None:
    assert allocate({("a",): 1, ("b",): 1, ("c",): 1}, 2) == {("a",): 1, ("b",): 1, ("c",): 0}
    assert allocate({("a",): 2, ("b",): 4, ("c",): 2}, 2) == {("a",): 1, ("b",): 1, ("c",): 0}
    assert allocate({("a",): 1, ("b",): 3}, 2) == {("a",): 0, ("b",): 2}
    assert allocate({("x",): 3, ("y",): 5}, 50) == {("x",): 3, ("y",): 5}  # all it holds


def test_the_keyed_order_is_the_documented_hmac_so_another_language_can_rerun_it() -> None:
    ids = [f"CRN{i:04d}" for i in range(50)]
    by_hand = sorted(ids, key=lambda c: hmac.new(b"2026", c.encode(), "sha256").hexdigest())
    assert keyed_order(2026, ids) == by_hand
    assert keyed_order("2026", ids) == by_hand  # the seed as typed on the command line
    # The check values in docs/sampling.md, for anyone re-implementing the draw.
    assert hmac.new(b"2026", b"CRN0001", "sha256").hexdigest().startswith("2c0cdfd3de8ea7e2")
    assert keyed_order(2026, ["CRN0004", "CRN0003", "CRN0002", "CRN0001"]) == [
        "CRN0001", "CRN0002", "CRN0004", "CRN0003"]
    assert keyed_order("007", ids) == keyed_order(7, ids)


@given(st.integers(0, 10**12), st.lists(st.text(st.characters(exclude_categories=("Cs",)),
                                                min_size=1, max_size=8), unique=True,
                                        max_size=40))
def test_the_keyed_order_is_the_order_of_the_digest_then_the_id_for_any_ids(
        seed: int, ids: list[str]) -> None:
    """The draw sorts by one key, the digest followed by the id's UTF-8 bytes: the order of
    the (digest, id) pairs the documentation gives, for ids in any script."""
    key = str(seed).encode("ascii")
    assert keyed_order(seed, ids) == sorted(
        ids, key=lambda c: (hmac.digest(key, c.encode("utf-8"), "sha256"), c))
    # equal digests (which do not happen) would fall back to the ids' UTF-8 bytes: the same
    # order as the ids themselves
    assert sorted(ids, key=lambda c: c.encode("utf-8")) == sorted(ids)


@pytest.mark.parametrize("seed", [-1, "12a", "", "1.5", 2.0, True, None, "١٢"])
def test_a_seed_that_is_not_a_whole_number_is_refused_with_one_line(seed: object) -> None:
    with pytest.raises(SamplingError, match="whole number") as e:
        keyed_order(seed, ["A"])
    assert "\n" not in str(e.value)
    with pytest.raises(SamplingError):
        draw(DrawRequest(long_list(20, 1), 5, seed))  # type: ignore[arg-type]


@QUICK
@given(st.integers(0, 10**12), st.integers(0, 1000))
def test_the_same_seed_draws_the_same_cases_and_another_seed_others(seed: int, shape: int) -> None:
    cands = long_list(300, shape)
    request = DrawRequest(cands, 40, seed, Constraints(min_per_pdu=3, max_per_practitioner=1))
    first = draw(request)
    again = draw(DrawRequest(list(reversed(cands)), 40, str(seed), request.constraints))
    assert again.final == first.final and again.provisional == first.provisional
    assert again.adjustments == first.adjustments
    other = draw(DrawRequest(cands, 40, seed + 1, request.constraints))
    assert {c.case_id for c in other.final} != {c.case_id for c in first.final}


@QUICK
@given(st.integers(0, 10**6), st.integers(1, 120), st.integers(150, 600))
def test_proportions_match_the_population_within_one_case_per_stratum(
        seed: int, target: int, size: int) -> None:
    cands = long_list(size, seed)
    d = draw(DrawRequest(cands, target, seed))
    population = per_stratum(cands)
    sample = per_stratum(d.final)
    assert len(d.final) == target and not d.adjustments and not d.unmet
    for s, n in population.items():
        assert abs(sample[s] - Fraction(target * n, size)) < 1


@QUICK
@given(st.integers(0, 10**6), st.integers(1, 5), st.integers(1, 2), st.integers(40, 200))
def test_constraints_are_met_or_reported_unmet(seed: int, least: int, most: int,
                                               practitioners: int) -> None:
    cands = long_list(400, seed, pdus=9, practitioners=practitioners)
    # One small PDU of three cases, two of them with the same practitioner.
    cands += [Candidate(f"SML{i}", ("Custody", "Male", "High"), "PDU small", f"Small {i % 2}")
              for i in range(3)]
    limits = Constraints(min_per_pdu=least, max_per_practitioner=most)
    d = draw(DrawRequest(cands, 60, seed, limits))
    assert len(d.final) == 60
    by_pdu = Counter(c.pdu for c in d.final)
    by_officer = Counter(c.practitioner for c in d.final)
    for pdu in {c.pdu for c in cands}:
        if by_pdu[pdu] < least:
            assert any(pdu in line for line in d.unmet), (pdu, d.unmet)
    for officer, n in by_officer.items():
        if n > most:
            assert any(officer in line for line in d.unmet), (officer, d.unmet)
    # The recorded adjustments turn the plain draw into this one, one swap at a time.
    replayed = {c.case_id for c in draw(DrawRequest(cands, 60, seed)).final}
    for a in d.adjustments:
        assert a.reason and a.out_case in replayed and a.in_case not in replayed
        replayed = (replayed - {a.out_case}) | {a.in_case}
    assert replayed == {c.case_id for c in d.final}


def test_a_pdu_below_the_minimum_gains_cases_and_each_swap_is_recorded() -> None:
    cands = long_list(500, 7, pdus=4, practitioners=400)
    cands += [Candidate(f"RUR{i}", ("Community", "Male", "Medium"), "PDU rural", f"Rural {i}")
              for i in range(6)]
    d = draw(DrawRequest(cands, 50, 11, Constraints(min_per_pdu=5)))
    assert Counter(c.pdu for c in d.final)["PDU rural"] == 5
    assert len(d.final) == 50 and not d.unmet
    assert sum("PDU rural had" in a.reason for a in d.adjustments) >= 4
    pdus_out = Counter(c.pdu for c in d.final)
    assert all(n >= 5 for n in pdus_out.values())


def test_a_pdu_too_small_for_the_minimum_is_explained_not_refused() -> None:
    cands = [*long_list(200, 3, pdus=3),
             Candidate("TINY1", ("Custody", "Male", "Low"), "PDU tiny", "Kit Marlow")]
    d = draw(DrawRequest(cands, 30, 5, Constraints(min_per_pdu=5)))
    assert [line for line in d.unmet if "PDU tiny" in line] == [
        "At least 5 cases from each PDU: PDU tiny has 1 in the sample, as it has only "
        "1 eligible case."]


@QUICK
@given(st.integers(0, 10**6), st.integers(10, 80))
def test_the_youth_sample_is_split_60_40_and_each_part_proportionate(seed: int,
                                                                    target: int) -> None:
    cands = long_list(500, seed, parts=("post-court", "out-of-court"))
    split = Split((("post-court", 60), ("out-of-court", 40)))
    d = draw(DrawRequest(cands, target, seed, split=split))
    parts = Counter(c.stratum[0] for c in d.final)
    assert abs(parts["post-court"] - Fraction(60 * target, 100)) < 1
    assert parts["post-court"] + parts["out-of-court"] == target
    for part in ("post-court", "out-of-court"):
        population = per_stratum([c for c in cands if c.stratum[0] == part])
        held = sum(population.values())
        for s, n in population.items():
            assert abs(per_stratum(d.final)[s] - Fraction(parts[part] * n, held)) < 1


def test_a_part_of_the_split_with_too_few_cases_is_taken_whole_and_reported() -> None:
    cands = long_list(300, 2, parts=("post-court",)) + [
        Candidate(f"OOC{i}", ("out-of-court", "Male", "Low")) for i in range(5)]
    d = draw(DrawRequest(cands, 50, 9, split=Split((("post-court", 60), ("out-of-court", 40)))))
    assert Counter(c.stratum[0] for c in d.final) == {"post-court": 30, "out-of-court": 5}
    assert d.unmet == ("out-of-court: 20 cases wanted but the long list holds only 5; "
                       "all are taken.",)


@QUICK
@given(st.integers(0, 10**6), st.integers(5, 100))
def test_the_provisional_list_is_20_percent_larger_and_holds_the_final_and_reserves(
        seed: int, target: int) -> None:
    cands = long_list(600, seed)
    limits = Constraints(min_per_pdu=4, max_per_practitioner=2)
    d = draw(DrawRequest(cands, target, seed, limits, spread=True))
    assert len(d.provisional) == provisional_size(target, 20)
    final, reserves = set(d.final), set(d.reserves)
    assert final | reserves == set(d.provisional) and not final & reserves
    for s, n in per_stratum(d.provisional).items():  # the final is the head of each stratum
        in_order = [c for c in d.provisional if c.stratum == s]
        assert set(in_order[:per_stratum(d.final)[s]]) == {c for c in d.final if c.stratum == s}
        assert n >= d.allocation[s]


def test_stage_one_spreads_each_strata_across_pdus() -> None:
    cands = [Candidate(f"C{i:04d}", ("All",), f"Site {i % 4}") for i in range(400)]
    d = draw(DrawRequest(cands, 40, 77, spread=True))
    assert Counter(c.pdu for c in d.final) == {f"Site {i}": 10 for i in range(4)}


def test_the_final_skips_cases_the_organisation_cannot_offer_and_keeps_the_strata() -> None:
    d = draw(DrawRequest(long_list(500, 4), 60, 31, Constraints(max_per_practitioner=1)))
    with_reserves = {c.stratum for c in d.reserves}
    gone = [next(c for c in d.final if c.stratum == s) for s in sorted(with_reserves)][:4]
    assert len(gone) == 4
    returned = {c.case_id: Returned() for c in d.provisional}
    returned[gone[0].case_id] = Returned(available=False)
    returned[gone[1].case_id] = Returned(consent=False)
    returned[gone[2].case_id] = Returned(late_exclusion="serious further offence review")
    del returned[gone[3].case_id]
    final = final_from_returned(d, returned)
    assert per_stratum(final.final) == per_stratum(d.final) and not final.unmet
    assert not {c.case_id for c in gone} & {c.case_id for c in final.final}
    assert not set(final.final) & set(final.reserves)
    assert set(final.final) | set(final.reserves) == set(d.provisional) - set(gone)
    reasons = [a.reason for a in final.adjustments[-4:]]
    assert reasons[2].startswith("Excluded since the long list: serious further offence review")
    assert reasons[3].startswith("The organisation did not return it")
    assert max(Counter(c.practitioner for c in final.final).values()) == 1


def test_a_final_case_with_no_usable_reserve_in_its_stratum_is_reported() -> None:
    cands = [Candidate(f"G{i}", ("Female",)) for i in range(2)] + [
        Candidate(f"B{i}", ("Male",)) for i in range(20)]
    d = draw(DrawRequest(cands, 11, 4))
    girl = next(c.case_id for c in d.provisional if c.stratum == ("Female",))
    returned = {c.case_id: Returned() for c in d.provisional} | {girl: Returned(consent=False)}
    final = final_from_returned(d, returned)
    assert len(final.final) == 10
    assert final.unmet == (f"Case {girl} cannot be inspected (the person on probation did not "
                           "consent to contact) and no usable case is left in the group Female.",)


def test_a_returned_list_with_a_case_not_on_the_provisional_list_is_refused() -> None:
    d = draw(DrawRequest(long_list(100, 4), 10, 31))
    with pytest.raises(SamplingError, match="Case XYZ999 on the returned list was not on the"):
        final_from_returned(d, {"XYZ999": Returned()})


def test_an_ineligible_case_is_swapped_for_a_reserve_of_the_same_stratum() -> None:
    d = draw(DrawRequest(long_list(500, 5), 40, 8, reserves_per_stratum=2))
    assert all(per_stratum(d.reserves)[s] >= 2 for s in per_stratum(d.final))
    out = d.final[0]
    first_reserve = next(c for c in d.reserves if c.stratum == out.stratum)
    after, swap = swap_for_reserve(d, out.case_id, "Found at fieldwork to be held by a YOT")
    assert (swap.out_case, swap.in_case, swap.stratum) == (
        out.case_id, first_reserve.case_id, out.stratum)
    assert swap.reason == "Found at fieldwork to be held by a YOT"
    assert first_reserve in after.final and out not in after.final
    assert first_reserve not in after.reserves and len(after.final) == 40
    assert after.adjustments[-1] == swap


def test_a_stratum_with_no_reserve_left_says_so_and_changes_nothing() -> None:
    cands = [Candidate(f"G{i}", ("Female",)) for i in range(2)] + [
        Candidate(f"B{i}", ("Male",)) for i in range(20)]
    d = draw(DrawRequest(cands, 11, 3, margin_percent=0))
    girl = next(c for c in d.final if c.stratum == ("Female",))
    with pytest.raises(SamplingError, match="No reserve is left in the group Female"):
        swap_for_reserve(d, girl.case_id, "Moved out of the area")
    with pytest.raises(SamplingError, match="Give the reason"):
        swap_for_reserve(d, girl.case_id, "  ")
    with pytest.raises(SamplingError, match="not in the final sample"):
        swap_for_reserve(d, "NOPE", "Moved")


def test_reserves_all_held_by_full_practitioners_are_named_as_the_reason() -> None:
    """Reserves exist, but each would give a practitioner a second case: that is the reason."""
    girls = [Candidate(f"G{i}", ("Female",), "North", f"Officer {i % 2}") for i in range(4)]
    d = draw(DrawRequest(girls, 2, 3, constraints=Constraints(max_per_practitioner=1),
                         margin_percent=100))
    held = {c.practitioner for c in d.final}
    assert held == {"Officer 0", "Officer 1"}
    # the one reserve left is held by the other final case's practitioner
    out = d.final[0]
    other = next(c for c in d.final if c is not out)
    d = replace(d, reserves=tuple(c for c in girls
                                  if c not in d.final and c.practitioner == other.practitioner))
    assert d.reserves
    with pytest.raises(SamplingError, match=(
            "Every reserve left in the group Female is held by a practitioner who already has "
            "one case in the sample, the most allowed per practitioner: case G")):
        swap_for_reserve(d, out.case_id, "Moved out of the area")


def test_the_rules_reserve_count_lengthens_a_provisional_list_the_margin_leaves_short() -> None:
    cands = long_list(500, 6)
    small = draw(DrawRequest(cands, 10, 5, margin_percent=20, reserves=5))
    assert (len(small.final), len(small.reserves), len(small.provisional)) == (10, 5, 15)
    plain = draw(DrawRequest(cands, 10, 5, margin_percent=20))
    assert len(plain.reserves) == 2 and plain.final == small.final
    large = draw(DrawRequest(cands, 100, 5, margin_percent=20, reserves=5))
    assert len(large.reserves) == 20  # the margin already gives more than 5
    short = draw(DrawRequest(cands[:12], 10, 5, margin_percent=20, reserves=5))
    assert len(short.provisional) == 12  # never more than the cases held


def test_a_case_listed_twice_is_refused_naming_it() -> None:
    cands = [*long_list(10, 1), Candidate("CRN000003", ("Custody", "Male", "Low"))]
    with pytest.raises(SamplingError, match="Case CRN000003 is on the list more than once"):
        draw(DrawRequest(cands, 5, 1))
