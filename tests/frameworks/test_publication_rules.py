"""The framework's publication rules: reportable sub-groups and the suppression threshold."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.frameworks import available_frameworks
from hmip_desktop.frameworks.loader import FrameworkError, load_framework_bytes
from hmip_desktop.frameworks.model import NOT_RECORDED
from tests.frameworks.workbook_helpers import shipped_data

PROTECTED = ("age_band", "ethnicity_group", "disability", "religion")


@pytest.mark.parametrize("fw", available_frameworks(), ids=lambda f: f.id)
def test_every_shipped_framework_records_the_protected_characteristics(fw: object) -> None:
    facts = fw.fields_by_id  # type: ignore[attr-defined]
    for fid in PROTECTED:
        assert facts[fid].optional and facts[fid].values[-1] == NOT_RECORDED
        assert all(fw.in_welsh(c.label) for c in facts[fid].choices)  # type: ignore[attr-defined]
    assert fw.publication.sub_groups[:3] == ("gender", "age_band", "ethnicity_group")  # type: ignore[attr-defined]
    assert fw.publication.threshold == 5  # type: ignore[attr-defined]


@pytest.mark.parametrize("threshold", [0, -3])
def test_a_threshold_below_one_is_refused_in_one_line(threshold: int) -> None:
    data = shipped_data("dipp-2025")
    data["publication"]["suppression"]["threshold"] = threshold
    with pytest.raises(FrameworkError) as e:
        load_framework_bytes(json.dumps(data).encode(), "dipp.json")
    assert str(e.value) == (
        f"dipp.json at publication.suppression.threshold: a suppression threshold below 1 "
        f"({threshold}) would publish cells of any size: give 1 or more")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(("groups", "problem"), [
    (["gender", "eye_colour"], "'eye_colour' is not a case fact of this framework"),
    (["gender", "gender"], "'gender' is named twice"),
])
def test_a_sub_group_must_be_a_case_fact_named_once(groups: list[str], problem: str) -> None:
    data = shipped_data("nps-2019-20")
    data["publication"]["sub_groups"] = groups
    with pytest.raises(FrameworkError, match=problem):
        load_framework_bytes(json.dumps(data).encode(), "nps.json")


def test_a_file_without_the_section_reports_no_sub_groups_and_suppresses_under_five() -> None:
    data = shipped_data("nps-2019-20")
    del data["publication"]
    fw = load_framework_bytes(json.dumps(data).encode(), "nps.json")
    assert fw.publication.sub_groups == () and fw.publication.threshold == 5
