"""The sampling section of a framework file: loaded as typed rules, or refused with its place."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import FrameworkError, load_framework, load_framework_file
from hmip_desktop.frameworks.loader import content_hash, parse_framework
from hmip_desktop.sampling.longlist import eligibility_window
from hmip_desktop.sampling.rules import OrganisationTable, PopulationDriven, SplitRatio

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "frameworks"


def _data(name: str) -> dict[str, Any]:
    return json.loads((SHIPPED / f"{name}.json").read_text("utf-8"))


def test_the_manuals_numbers_are_in_the_rules() -> None:
    crc = load_framework("crc-2019-20").sampling
    assert crc is not None
    d2 = crc.kind("domain_two")
    assert isinstance(d2.size, OrganisationTable)
    assert d2.size.sizes["London CRC"] == 145 and crc.organisations["London CRC"] == "G"
    assert crc.kind("unpaid_work").size.sizes["Essex CRC"] == 40  # type: ignore[union-attr]
    assert d2.provisional_margin_percent == 20
    assert d2.stratification.variables == ("gender", "sentence_type", "rosh")
    youth = load_framework("youth-2019-20").sampling
    assert youth is not None
    shares = [k.size.share_percent for k in youth.kinds if isinstance(k.size, SplitRatio)]
    assert shares == [60, 40]
    assert len(youth.kind("post_court").stratification.groups) == 4
    dipp = load_framework("dipp-2025").sampling
    assert dipp is not None
    k = dipp.kind("dipp")
    assert (k.min_per_pdu, k.max_per_practitioner) == (5, 1)
    assert k.size == PopulationDriven(confidence_percent=80, margin_points=5)


def test_the_adult_samples_spread_across_pdus_and_every_kind_keeps_five_reserves() -> None:
    """Stage 1 of 000_ §4.2 (cases spread between LDUs or teams, after the stratification)."""
    for name, spread in (("crc-2019-20", True), ("nps-2019-20", True),
                         ("youth-2019-20", False), ("dipp-2025", False)):
        rules = load_framework(name).sampling
        assert rules is not None
        assert {(k.spread, k.reserves) for k in rules.kinds} == {(spread, 5)}, name


def test_the_dipp_window_is_the_two_weeks_29_to_30_weeks_before_fieldwork() -> None:
    dipp = load_framework("dipp-2025").sampling
    assert dipp is not None
    assert eligibility_window(dipp.kind("dipp"), date(2026, 9, 7)) == (
        date(2026, 2, 9), date(2026, 2, 23))


def test_a_file_without_the_section_still_loads_and_keeps_its_hash() -> None:
    data = _data("crc-2019-20")
    old = copy.deepcopy(data)
    del old["sampling"]
    fw_old = parse_framework(old, "crc-2019-20.json")
    assert fw_old.sampling is None
    assert fw_old.hash == content_hash(old)
    assert parse_framework(data, "crc-2019-20.json").hash != fw_old.hash  # new inspections only


@pytest.mark.parametrize(("change", "where", "fault"), [
    (lambda k: k["exclusions"][0]["when"].update(column="nope"),
     "sampling.kinds[0].exclusions[0].when.column", "'nope' is not a column"),
    (lambda k: k["window"].update(end_before=40),
     "sampling.kinds[0].window", "start_before must be further"),
    (lambda k: k["columns"][2].update(type="colour"),
     "sampling.kinds[0].columns[2].type", "'colour' is not one of"),
    (lambda k: k["exclusions"][0]["when"].update({"in": ["sometimes"]}),
     "sampling.kinds[0].exclusions[0].when.in[0]", "'sometimes' is not a value"),
    (lambda k: k["size"].update(sizes={"Atlantis CRC": 100}),
     "sampling.kinds[0].size.sizes", "'Atlantis CRC' is not in sampling.organisations"),
    (lambda k: k.update(surprise=1), "sampling.kinds[0]", "unknown key 'surprise'"),
    (lambda k: k["exclusions"][0].update(words="<b>any</b> case"),
     "sampling.kinds[0].exclusions[0].words", "contains markup"),
    (lambda k: k["stratification"].update(variables=["shoe_size"]),
     "sampling.kinds[0].stratification.variables[0]", "'shoe_size' is not a column"),
    (lambda k: k.update(spread="yes"), "sampling.kinds[0].spread", "expected true or false"),
    (lambda k: k.pop("pdu_column"), "sampling.kinds[0].spread", "needs a pdu_column"),
])
def test_a_bad_sampling_section_is_refused_with_file_place_and_fault(
        change: Any, where: str, fault: str, tmp_path: Path) -> None:
    data = _data("crc-2019-20")
    change(data["sampling"]["kinds"][0])
    path = tmp_path / "crc-2019-20.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(FrameworkError) as e:
        load_framework_file(path)
    assert str(e.value).startswith(f"crc-2019-20.json at {where}: ")
    assert fault in str(e.value)


def test_dipp_constraints_need_their_columns(tmp_path: Path) -> None:
    data = _data("dipp-2025")
    del data["sampling"]["kinds"][0]["practitioner_column"]
    path = tmp_path / "dipp-2025.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(FrameworkError, match="needs a practitioner_column"):
        load_framework_file(path)
