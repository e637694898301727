"""A training event end to end: benchmark, packs, three trainees, their bundles, comparison."""

from __future__ import annotations

from fractions import Fraction

from hmip_desktop.training.service import comparison
from tests.exchange.conftest import Env
from tests.training.conftest import CASES, FLIPS, TRAINEE_NOTE


def test_the_comparison_shows_each_trainee_s_agreement_with_the_benchmark(event: Env) -> None:
    c = comparison(event.ws("lead"), event.team.iid)
    by_name = {t.name: t for t in c.trainees}
    assert set(by_name) == {"Ash Brindlecombe", "Sam Orrinwell", "Kit Dunmorrow"}
    per_case = len(c.items) // len(CASES)
    for who, name in (("t1", "Ash Brindlecombe"), ("t2", "Sam Orrinwell"),
                      ("t3", "Kit Dunmorrow")):
        t = by_name[name]
        assert t.total == len(c.items)
        assert t.agreed == len(c.items) - FLIPS[who] * len(CASES)
        assert [x.agreed for x in t.cases] == [per_case - FLIPS[who]] * len(CASES)
    assert by_name["Ash Brindlecombe"].kappa == 1.0
    assert by_name["Ash Brindlecombe"].share == Fraction(1)
    kappas = [by_name[n].kappa for n in ("Ash Brindlecombe", "Sam Orrinwell", "Kit Dunmorrow")]
    assert kappas == sorted(kappas, key=lambda k: -(k or 0))
    assert not c.benchmark_changed and c.benchmark_version == 1


def test_notes_are_side_by_side_and_the_group_view_puts_the_worst_items_first(
        event: Env) -> None:
    c = comparison(event.ws("lead"), event.team.iid)
    kit = next(t for t in c.trainees if t.name == "Kit Dunmorrow")
    notes = kit.cases[0].notes
    assert notes and all(n.trainee == TRAINEE_NOTE and n.benchmark for n in notes)
    wrong = c.went_wrong()
    assert [len(x.differed) for x in wrong] == sorted((len(x.differed) for x in wrong),
                                                      reverse=True)
    assert len(wrong[0].differed) == 2  # the items both Sam and Kit answered differently
    assert len(wrong) == FLIPS["t3"] * len(CASES)
