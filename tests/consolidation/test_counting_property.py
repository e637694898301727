"""Property: the bulk counting equals ``effective_judgements`` + ``tally_cases``, case by case.

Cases are drawn with any facts, any (or no) values for everything the framework's rules refer
to, any judgements including gaps and 'na', the two record flags and either status, so
sub-samples, hurdles, whole standards out of the sample, exclusions, conflicts and cases in
progress all occur; counted by either rule (only complete cases, or in progress too).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.assessment.completeness import effective_judgements
from hmip_desktop.consolidation.counting import FINAL, PROVISIONAL, CountRule, plan
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.frameworks import available_frameworks
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.rules.ratings import rate, tally_cases
from hmip_desktop.rules.ratings_report import ratings_json
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import Case, add_inspection

FRAMEWORKS = available_frameworks()


@st.composite
def cases(draw: Any, fw: Framework) -> Case:
    facts = {f.id: draw(st.sampled_from(f.values)) for f in fw.case_facts}
    p = plan(fw)
    items: dict[str, str] = {}
    for _ref, key in p.question_refs:
        q = fw.fields_by_id[key.split(":", 1)[1]]
        v = draw(st.sampled_from(("", *q.values)))
        if v:
            items[key] = v
    for pid in p.prompt_refs:
        v = draw(st.sampled_from(("", "yes", "no", "na")))
        if v:
            items[pid] = v
    for kq in p.kq_ids:
        v = draw(st.sampled_from(("", "yes", "no", "na", "yes", "no")))
        if v:
            items[kq] = v
    for flag in ("record:excluded", "record:conflict_declared"):
        if draw(st.integers(0, 9)) == 0:
            items[flag] = "yes"
    return Case(facts, items, draw(st.sampled_from(("complete", "in_progress"))))


@st.composite
def inspections(draw: Any) -> tuple[Framework, list[Case]]:
    fw = draw(st.sampled_from(FRAMEWORKS))
    return fw, draw(st.lists(cases(fw), max_size=14))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(inspections(), st.sampled_from((FINAL, PROVISIONAL)))
def test_bulk_counting_equals_the_case_by_case_rules(ws: Workspace,
                                                     drawn: tuple[Framework, list[Case]],
                                                     rule: CountRule) -> None:
    fw, drawn_cases = drawn
    built = add_inspection(ws, fw.id, drawn_cases)
    counted = [c for c in drawn_cases if c.items
               and c.items.get("record:excluded") != "yes"
               and c.items.get("record:conflict_declared") != "yes"
               and (c.status == "complete" or rule.include_in_progress)]
    expected = rate(fw, tally_cases([effective_judgements(fw, c.facts, c.items)
                                     for c in counted]))
    got = consolidate(ws, built.iid, rule=rule)
    assert got.cases == len(counted)
    assert got.incomplete == sum(c.status != "complete" for c in counted)
    assert sum(got.left_out.values()) == len(drawn_cases) - len(counted)
    assert ratings_json(got.ratings) == ratings_json(expected)
