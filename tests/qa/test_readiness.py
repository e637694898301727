"""The assessor's own run of the QA checks: the same findings the QA partner gets, in the
form's words, and marking complete refused as the sign-off would be."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop.assessment.items import CASE, NOTE, RECORD_FIELDS
from hmip_desktop.frameworks.loader import available_frameworks
from hmip_desktop.qa.readiness import (
    NotReadyError,
    check_my_cases,
    completion_readiness,
    item_words,
    mark_complete_checked,
)
from hmip_desktop.qa.service import workspace_findings
from hmip_desktop.store.demo import create_demo
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "readiness heron pebble 42"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    with create_demo(tmp_path / "demo", PASSPHRASE) as ws:
        yield ws


def test_check_my_cases_finds_exactly_what_the_qa_partner_would(demo: Workspace) -> None:
    checked = check_my_cases(demo)
    assert [c.summary.case.id for c in checked] == [s.case.id for s in demo.list_cases()]
    mine = {(c.summary.case.id, p.item, p.message) for c in checked
            for p in (*c.blanks, *c.points)}
    theirs = {(f.case_id, f.item, f.message) for f in workspace_findings(demo)}
    assert mine == theirs and mine
    for c in checked:
        severities = [p.severity for p in c.points]
        assert severities == sorted(severities, key=lambda s: s != "must_fix")  # must fix first


def test_a_must_fix_stops_completion_and_is_named_in_words(demo: Workspace) -> None:
    case = demo.find_case("DEMO-NPS-001")  # complete, its RoSH difference not explained
    ready = completion_readiness(demo, case.id)
    assert ready.refused and not ready.blanks and ready.blocked is None
    (point,) = ready.must_fix
    fw = demo.read_assessment(case.id).framework
    assert point.where == fw.fields_by_id[point.item.removeprefix(CASE)].label
    demo.save_item(case.id, "note:2.1.1", "Read again.")  # reopened
    with pytest.raises(NotReadyError) as caught:
        mark_complete_checked(demo, case.id)
    assert point.where in str(caught.value) and point.item not in str(caught.value)
    assert demo.read_assessment(case.id).status == "in_progress"
    demo.save_item(case.id, "record:rosh_difference_reason", "Newer police information.")
    change, ready = mark_complete_checked(demo, case.id)
    assert change.status == "complete" and not ready.refused


KEY = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(case|note|record|alert):")


def test_every_item_is_worded_without_its_key() -> None:
    for fw in available_frameworks():
        items = [*(f.key for f in RECORD_FIELDS), *(CASE + q.id for q in fw.case_questions)]
        for kq in fw.case_key_questions():
            items += [*(p.id for p in kq.prompts), kq.id, NOTE + kq.id]
        for item in items:
            words = item_words(fw, item)
            assert not KEY.search(words), (fw.id, item, words)
            assert words[0].isupper() or words[0].isdigit(), words
