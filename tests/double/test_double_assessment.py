"""Double assessment during fieldwork: independence, the comparison, refusals, the record."""

from __future__ import annotations

import pytest

from hmip_desktop.bundles import read_header
from hmip_desktop.consolidation.counting import FINAL, case_rows, count_cases
from hmip_desktop.consolidation.editions import counted_items
from hmip_desktop.double.compare import double_comparison
from hmip_desktop.double.records import DoubleError, assign_second, choose_record, double
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.second_bundles import export_second
from tests.double.conftest import CASE, FLIPS, Double
from tests.exchange.conftest import Env, assert_one_line, count


def _held(env: Env, who: str) -> dict[str, str]:
    return dict(env.ws(who).read_assessment(env.team.case_ids[CASE]).items)


def test_second_assessor_gets_the_case_without_the_first_answers(marked: Env) -> None:
    env = marked
    cid = env.team.case_ids[CASE]
    env.ws("a1").save_item(cid, "2.1.1.a", "yes")
    case = env.ws("a2").find_case(CASE)
    assert case.assessor == env.ws("a2").owner_name
    assert _held(env, "a2") == {}  # the case's facts only, none of a1's answers


def test_neither_assessor_receives_the_other(assessed: Double) -> None:
    env = assessed.env
    # a2's second assessment never goes into their ordinary bundle (for the lead and the
    # QA partner); the second-assessment bundle is sealed to the lead alone.
    env.ws("a2").save_item(env.team.case_ids["RT-201"], "2.1.1.a", "yes")
    path = export_assessments(env.ws("a2"), env.team.iid, env.bundle("a2-3.hmipb"))
    report = service.import_file(env.ws("lead"), path)
    listed = [r for r, _v in (*report.applied, *report.up_to_date, *report.conflicts)]
    assert CASE not in listed and "RT-201" in listed
    header = read_header(env.bundle("a2.hmipsecond").read_bytes())
    assert [r.key_id for r in header.recipients] == [env.team.key_id("lead")]
    # a1's copy stays a1's answers; the lead's case items stay a1's too.
    assert _held(env, "a1") == assessed.first
    assert _held(env, "lead") == assessed.first


def test_comparison_shows_agreement_per_item_and_notes(assessed: Double) -> None:
    env = assessed.env
    dc = double_comparison(env.ws("lead"), env.team.iid, CASE)
    c = dc.comparison
    (second,) = c.trainees
    assert second.name == env.ws("a2").owner_name
    assert second.total == len(c.items)
    assert second.total - second.agreed == FLIPS
    assert sorted(x.item for x in c.items if x.differed) == sorted(assessed.flipped)
    assert second.kappa is not None and 0 < second.kappa < 1
    assert all(k.trainees == 1 for k in c.key_questions)
    notes = second.cases[0].notes
    assert notes and all(n.benchmark == n.trainee for n in notes)


def test_comparison_and_record_wait_for_both(marked: Env) -> None:
    env = marked
    lead, iid = env.ws("lead"), env.team.iid
    before = count(lead, "audit")
    for attempt in (lambda: double_comparison(lead, iid, CASE),
                    lambda: choose_record(lead, iid, CASE, env.team.member_ids["a2"])):
        with pytest.raises(DoubleError) as e:
            attempt()
        assert_one_line(e.value)
        assert "both" in str(e.value)
    assert double(lead, iid, CASE).record_id is None
    assert count(lead, "audit") == before


@pytest.mark.parametrize(("case", "who", "words"), [
    (CASE, "a1", "already holds"),  # the allocated assessor
    (CASE, "a2", "already holds"),  # named already
    (CASE, "qa", "already has a second assessor"),
    ("RT-102", "qa", "QA partner"),  # a1's QA partner sees a1's cases
    ("RT-102", "lead", "lead"),
])
def test_refused_second_assessors(marked: Env, case: str, who: str, words: str) -> None:
    lead = marked.ws("lead")
    before = (count(lead, "double_assessments"), count(lead, "audit"))
    with pytest.raises(DoubleError) as e:
        assign_second(lead, marked.team.iid, case, marked.team.member_ids[who])
    assert_one_line(e.value)
    assert words in str(e.value)
    assert (count(lead, "double_assessments"), count(lead, "audit")) == before


def test_unallocated_case_and_second_only_to_lead_refused(marked: Env) -> None:
    lead = marked.ws("lead")
    with pytest.raises(DoubleError, match="not allocated"):
        assign_second(lead, marked.team.iid, "RT-401", marked.team.member_ids["a2"])
    with pytest.raises(DoubleError, match="nothing to send"):
        export_second(marked.ws("a1"), marked.team.iid, marked.bundle("a1.hmipsecond"))


def test_only_the_record_counts(assessed: Double) -> None:
    env = assessed.env
    lead, iid = env.ws("lead"), env.team.iid
    cid = env.team.case_ids[CASE]
    fw = lead.inspection_framework(iid)
    item = assessed.flipped[0]

    def counted() -> tuple[str, int]:
        n = count_cases(lead, iid, fw, case_rows(lead, iid), FINAL).counted.count(cid)
        return counted_items(lead, iid, fw, [item], [cid])[cid][item], n

    assert counted() == (assessed.first[item], 1)  # the allocated assessor's, until named
    d = choose_record(lead, iid, CASE, env.team.member_ids["a2"])
    assert d.record_name == env.ws("a2").owner_name
    assert counted() == (assessed.second[item], 1)  # the second's now, and the case once
    with pytest.raises(DoubleError, match="already the record"):
        choose_record(lead, iid, CASE, env.team.member_ids["a2"])
    choose_record(lead, iid, CASE, env.team.member_ids["a1"])
    assert counted() == (assessed.first[item], 1)
    with pytest.raises(DoubleError, match="one of the two"):
        choose_record(lead, iid, CASE, env.team.member_ids["qa"])


def test_later_first_bundles_still_apply(assessed: Double) -> None:
    """The double assessment leaves the case's own history alone: a1's next bundle applies."""
    env = assessed.env
    cid = env.team.case_ids[CASE]
    env.ws("a1").save_item(cid, "note:2.1.1", "A later, fuller note.")
    export_assessments(env.ws("a1"), env.team.iid, env.bundle("a1-3.hmipb"))
    report = service.import_file(env.ws("lead"), env.bundle("a1-3.hmipb"))
    assert [r for r, _v in report.applied] == [CASE]
    assert _held(env, "lead")["note:2.1.1"] == "A later, fuller note."

