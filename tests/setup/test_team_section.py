"""The framework's ``team`` section: cases per role, as data, refused with its place if wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import FrameworkError, load_framework_file
from hmip_desktop.frameworks.loader import load_framework
from tests.core.framework_fixture import tiny_framework_data

GOOD = {"cases_per_role": {"assessor": 5, "lead": 2}, "source": "A manual, section 5.1"}


def test_each_shipped_framework_gives_cases_per_role() -> None:
    nps, youth = load_framework("nps-2019-20"), load_framework("youth-2019-20")
    assert nps.team is not None and youth.team is not None
    assert dict(nps.team.cases_per_role) == {"assessor": 6, "qa": 8, "lead": 4, "deputy": 4}
    assert youth.team.cases_per_role["deputy"] == 3
    assert "§5.1" in nps.team.source


def test_a_file_with_a_team_section_reads_it_and_one_without_has_none(tmp_path: Path) -> None:
    data = tiny_framework_data()
    f = tmp_path / "t.json"
    f.write_text(json.dumps(data))
    assert load_framework_file(f).team is None
    data["team"] = GOOD
    f.write_text(json.dumps(data))
    team = load_framework_file(f).team
    assert team is not None and dict(team.cases_per_role) == {"assessor": 5, "lead": 2}


@pytest.mark.parametrize(("team", "place", "fault"), [
    ({"cases_per_role": {"partner": 2}, "source": "x"}, "team.cases_per_role.partner",
     "is not one of assessor, qa, lead, deputy"),
    ({"cases_per_role": {"assessor": -1}, "source": "x"}, "team.cases_per_role.assessor",
     "whole number"),
    ({"cases_per_role": {"assessor": 41}, "source": "x"}, "team.cases_per_role.assessor",
     "more than anyone inspects in a week"),
    ({"cases_per_role": [], "source": "x"}, "team.cases_per_role", "expected an object"),
    ({"cases_per_role": {"assessor": 6}}, "team", "source"),
])
def test_a_broken_team_section_names_file_place_and_fault(
        tmp_path: Path, team: dict[str, Any], place: str, fault: str) -> None:
    data = tiny_framework_data()
    data["team"] = team
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(data))
    with pytest.raises(FrameworkError) as info:
        load_framework_file(f)
    message = str(info.value)
    assert message.startswith("broken.json") and place in message and fault in message
    assert "\n" not in message
