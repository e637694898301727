"""The framework's ``alerts`` section: whether advice below the alert threshold may be
recorded, as data with its source, refused with its place if wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import FrameworkError, load_framework_file
from hmip_desktop.frameworks.loader import load_framework
from tests.core.framework_fixture import tiny_framework_data


def test_only_dipp_among_the_shipped_frameworks_allows_advice() -> None:
    allowed = {fid: load_framework(fid).alerts.advice_below_threshold
               for fid in ("crc-2019-20", "nps-2019-20", "youth-2019-20", "dipp-2025")}
    assert allowed == {"crc-2019-20": False, "nps-2019-20": False, "youth-2019-20": False,
                       "dipp-2025": True}
    dipp = load_framework("dipp-2025").alerts.source
    assert "§6.7" in dipp and "no feedback is required" in dipp
    assert "Youth offending service inspections" in load_framework("youth-2019-20").alerts.source


def test_a_file_without_the_section_allows_no_advice_and_one_with_it_reads_it(
        tmp_path: Path) -> None:
    data = tiny_framework_data()
    f = tmp_path / "t.json"
    f.write_text(json.dumps(data))
    assert load_framework_file(f).alerts.advice_below_threshold is False
    data["alerts"] = {"advice_below_threshold": True, "source": "A manual, section 6.7"}
    f.write_text(json.dumps(data))
    assert load_framework_file(f).alerts.advice_below_threshold is True


@pytest.mark.parametrize(("alerts", "place", "fault"), [
    ({"advice_below_threshold": "yes", "source": "x"}, "alerts.advice_below_threshold",
     "expected true or false"),
    ({"advice_below_threshold": True}, "alerts", "missing key 'source'"),
    ({"advice_below_threshold": True, "source": " "}, "alerts.source", "must not be empty"),
    ({"advice_below_threshold": True, "source": "x", "follow_up": 1}, "alerts",
     "unknown key 'follow_up'"),
    ([], "alerts", "expected an object"),
])
def test_a_broken_alerts_section_names_file_place_and_fault(
        tmp_path: Path, alerts: Any, place: str, fault: str) -> None:
    data = tiny_framework_data()
    data["alerts"] = alerts
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(data))
    with pytest.raises(FrameworkError) as info:
        load_framework_file(f)
    message = str(info.value)
    assert message.startswith("broken.json") and place in message and fault in message
    assert "\n" not in message
