"""The framework's ``qa`` section: parsed strictly, every fault named with file and place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import FrameworkError, available_frameworks, load_framework_file
from hmip_desktop.frameworks.loader import content_hash, parse_framework
from hmip_desktop.frameworks.model import QaParams, RoshPair
from tests.core.framework_fixture import tiny_framework, tiny_framework_data


def test_every_shipped_framework_has_its_qa_section() -> None:
    pairs = {fw.id: fw.qa.rosh_pairs for fw in available_frameworks()}
    rosh = RoshPair("inspector_rosh", "rosh")
    assert pairs == {
        "crc-2017": (rosh,), "crc-2019-20": (rosh,), "dipp-2025": (rosh,),
        "nps-2017": (rosh,), "nps-2019-20": (rosh,),
        "youth-2019-20": (rosh, RoshPair("inspector_safety_wellbeing", "safety_wellbeing")),
    }
    for fw in available_frameworks():
        assert fw.qa.majority_no_share == 0.5
        assert fw.qa.min_feedback_chars == 40


def test_the_fixture_reads_its_qa_section() -> None:
    assert tiny_framework().qa == QaParams(0.5, 40, (RoshPair("inspector_rosh", "rosh"),))


def test_a_file_without_qa_gets_the_defaults_and_no_pairs() -> None:
    """Frameworks stored in workspaces before the section existed still open."""
    data = tiny_framework_data()
    del data["qa"]
    assert parse_framework(data, "old.json").qa == QaParams(0.5, 40, ())


def test_the_hash_covers_the_qa_section() -> None:
    data = tiny_framework_data()
    before = parse_framework(data, "a.json").hash
    data["qa"]["min_feedback_chars"] = 41
    after = parse_framework(data, "a.json")
    assert after.hash != before
    assert after.hash == content_hash(data)


@pytest.mark.parametrize(("change", "place", "fault"), [
    ({"qa": []}, "at qa:", "expected an object"),
    ({"qa": {"majority_no_share": 0.5, "min_feedback_chars": 40}}, "at qa:",
     "missing key 'rosh_pairs'"),
    ({"qa.colour": "red"}, "at qa:", "unknown key 'colour'"),
    ({"qa.majority_no_share": 1}, "qa.majority_no_share", "from 0.5 up to (not including) 1"),
    ({"qa.majority_no_share": 0.4}, "qa.majority_no_share", "found 0.4"),
    ({"qa.majority_no_share": "half"}, "qa.majority_no_share", "found text"),
    ({"qa.majority_no_share": True}, "qa.majority_no_share", "found true/false"),
    ({"qa.majority_no_share": None}, "qa.majority_no_share", "found nothing"),
    ({"qa.min_feedback_chars": -1}, "qa.min_feedback_chars", "whole number"),
    ({"qa.min_feedback_chars": 12.5}, "qa.min_feedback_chars", "whole number"),
    ({"qa.min_feedback_chars": 20_001}, "qa.min_feedback_chars", "longer than a note may be"),
    ({"qa.rosh_pairs": ["inspector_rosh", "rosh"]}, "qa.rosh_pairs", "expected an object"),
    ({"qa.rosh_pairs": {"inspector_risk": "rosh"}}, "qa.rosh_pairs.inspector_risk",
     "'inspector_risk' is not a case question"),
    ({"qa.rosh_pairs": {"rosh": "rosh"}}, "qa.rosh_pairs.rosh", "not a case question"),
    ({"qa.rosh_pairs": {"inspector_rosh": "inspector_rosh"}}, "qa.rosh_pairs.inspector_rosh",
     "'inspector_rosh' is not a case fact"),
    ({"qa.rosh_pairs": {"inspector_rosh": 3}}, "qa.rosh_pairs.inspector_rosh",
     "expected a case fact id"),
    ({"qa.rosh_pairs": {"inspector_rosh": "sentence_type"}}, "qa.rosh_pairs.inspector_rosh",
     "the fact 'sentence_type' has the value 'community', which the question"),
])
def test_a_broken_qa_section_names_file_place_and_fault(
        tmp_path: Path, change: dict[str, Any], place: str, fault: str) -> None:
    data = tiny_framework_data()
    for key, value in change.items():
        if key.startswith("qa."):
            data["qa"][key[3:]] = value
        else:
            data[key] = value
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(data))
    with pytest.raises(FrameworkError) as info:
        load_framework_file(f)
    message = str(info.value)
    assert message.startswith("broken.json")
    assert place in message
    assert fault in message
    assert "\n" not in message


def test_a_question_may_offer_more_levels_than_the_fact_records() -> None:
    """Youth: the inspector may judge 'none', which the recorded level never is."""
    data = tiny_framework_data()
    data["case_questions"][0]["choices"].insert(0, {"value": "none", "label": "None"})
    assert parse_framework(data, "t.json").qa.rosh_pairs == (RoshPair("inspector_rosh", "rosh"),)
