"""The shipped NPS and CRC editions: the 2017 standards and the 2019-20 edition that
supersedes them.

The difference between the two editions is a fixture (``tests/fixtures/editions/``, the output
of ``framework diff OLD NEW --json``): any change to either file shows here. Every item the
2019-20 edition adds or re-words is one the changes for 2019-20 name, and is marked drafted,
since those changes describe the new prompts without giving their published wording.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks import current_frameworks, load_framework, superseded_by
from hmip_desktop.frameworks.edition_mapping import edition_mapping, mapping_faults
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli
from tests.frameworks.workbook_helpers import shipped_data

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "editions"
PAIRS = [("nps-2017", "nps-2019-20"), ("crc-2017", "crc-2019-20")]

# What "Changes to inspections of probation services in 2019-2020" (Changes to our standards in
# detail) names, and the items of the 2019-20 edition that carry it.
DOMAIN_ONE = {
    "1.2.2.f": "diversity of the service's workforce",
    "1.2.5.f": "staff access to promotions and reward and recognition schemes",
    "1.3.2.f": "the way in which disproportionality is addressed in the delivery of services",
    "1.4.4.h": "learning from Serious Further Offence Reviews",
    "1.2.3.d": "a clearer link between management inputs and delivery outputs",
    "1.4.4.i": "data from case inspections ... may be used to influence judgements in domain one",
}
NAMED_BY_THE_CHANGES = {
    "nps-2019-20": {
        **DOMAIN_ONE,
        "3.1.1.a": "we will now specifically ask about safeguarding and domestic abuse checks",
        "3.2.2.d": "information sharing and ongoing communication with victims",
        "3.2.2.e": "procedural justice",
        "3.2.2.f": "the professionalisation of victims' services",
        "3.2.4.c": "multi-agency working",
    },
    "crc-2019-20": {
        **DOMAIN_ONE,
        "4.1.1.f": "a better link between the assessment of the individual and the delivery",
        "4.1.2.d": "a better link between the assessment of the individual and the delivery",
        "4.1.3.d": "pro-social modelling by supervisors",
        "4.1.3.e": "the types of opportunities available",
    },
}
# Guidance (the product's own summary) that differs beyond the items above: key question 1.4.4
# names learning from Serious Further Offence reviews only in 2019-20.
GUIDANCE_CHANGED = {"1.4.4"}


def _items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for d in data["domains"]:
        for s in d["standards"]:
            for k in s["key_questions"]:
                out[k["id"]] = k
                for p in k["prompts"]:
                    out[p["id"]] = p
    return out


def _fixture(old: str, new: str) -> Any:
    return json.loads((FIXTURES / f"{old}-to-{new.split('-', 1)[1]}.json").read_text(
        encoding="utf-8"))


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_the_diff_between_the_editions_is_the_fixture(capsys: pytest.CaptureFixture[str],
                                                      old: str, new: str) -> None:
    code, out, err = run_cli(capsys, "framework", "diff", old, new, "--json")
    assert code == 0, err
    assert json.loads(out) == _fixture(old, new)


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_every_item_added_or_reworded_is_named_by_the_changes_and_marked_drafted(
        old: str, new: str) -> None:
    diff = _fixture(old, new)
    changed = [i["id"] for i in diff["added"]] + [i["id"] for i in diff["reworded"]]
    assert sorted(changed) == sorted(NAMED_BY_THE_CHANGES[new])
    items = _items(shipped_data(new))
    assert all(items[i].get("drafted") is True for i in changed)
    # and nothing is taken away, moved, or ruled differently
    assert diff["removed"] == diff["renumbered"] == diff["rules"] == []


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_nothing_else_differs_between_the_editions(old: str, new: str) -> None:
    """Put back what the changes name, and the 2019-20 file is the 2017 file."""
    old_data, new_data = shipped_data(old), copy.deepcopy(shipped_data(new))
    old_items, named = _items(old_data), NAMED_BY_THE_CHANGES[new]
    for d in new_data["domains"]:
        for s in d["standards"]:
            for k in s["key_questions"]:
                k["prompts"] = [p for p in k["prompts"]
                                if p["id"] not in named or p["id"] in old_items]
    for item_id, item in _items(new_data).items():
        if item_id in named:
            item.clear()
            item.update(copy.deepcopy(old_items[item_id]))
        elif item_id in GUIDANCE_CHANGED:
            for key in ("guidance", "guidance_cy"):
                if key in old_items[item_id]:
                    item[key] = old_items[item_id][key]
    lineage = ("id", "version", "edition", "supersedes", "title", "title_cy", "source")
    assert {k: v for k, v in new_data.items() if k not in lineage} == {
        k: v for k, v in old_data.items() if k not in lineage}
    assert new_data["supersedes"] == {"id": old, "edition": old_data["edition"]}


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_the_mapping_carries_every_2017_answer_and_adds_only_the_new_prompts(
        old: str, new: str) -> None:
    old_fw, new_fw = load_framework(old), load_framework(new)
    assert mapping_faults(old_fw, new_fw) == []
    mapping = edition_mapping(old_fw, new_fw)
    assert mapping.removed == ()
    assert sorted(mapping.new_items) == sorted(i["id"] for i in _fixture(old, new)["added"])
    # the re-worded court-work prompt keeps its number, so its answer is carried
    assert all(mapping.carried[i] == i for i in _items(shipped_data(old)))


def test_the_2017_text_is_verbatim_where_2019_20_drafts() -> None:
    court = _items(shipped_data("nps-2017"))["3.1.1.a"]
    assert court["text"] == ("Does the advice to court draw sufficiently on available sources "
                             "of information?")
    assert "drafted" not in court
    for old, _new in PAIRS:
        drafted = [i for i, item in _items(shipped_data(old)).items() if item.get("drafted")]
        assert drafted == ["2.1.3.d"]  # the domain two hurdle's prompt, in both editions


def test_a_superseded_edition_still_loads_and_the_current_ones_are_known() -> None:
    assert [fw.id for fw in current_frameworks()] == [
        "crc-2019-20", "dipp-2025", "nps-2019-20", "youth-2019-20"]
    old = load_framework("nps-2017")
    newer = superseded_by(old)
    assert newer is not None and newer.id == "nps-2019-20"
    assert superseded_by(newer) is None


def test_the_frameworks_list_says_which_edition_supersedes_which(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "frameworks")
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["nps-2017"].endswith(
        "Probation inspection: NPS division (2017 standards) (edition 2017, superseded by "
        "nps-2019-20 edition 2019-20)")
    assert lines["crc-2019-20"].endswith(
        "Probation inspection: CRC (2019-20) (edition 2019-20, supersedes crc-2017 edition 2017)")
    assert "superseded" not in lines["youth-2019-20"]


def test_an_inspection_can_still_be_set_up_on_a_superseded_edition(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws", "a superseded edition's passphrase",
                          owner_name="Ann Inspector", role="assessor")
    with ws:
        iid = ws.create_inspection(
            title="Older standards", organisation="Test PDU",
            framework_bytes=resource("frameworks", "nps-2017.json").read_bytes())
        assert ws.inspection_framework(iid).hash == load_framework("nps-2017").hash
        case = ws.add_case(iid, case_ref="CASE-001", facts={
            "sample": "court_report", "gender": "female", "sentence_type": "pre_sentence",
            "rosh": "high"})
        ws.save_item(case, "3.1.1.a", "yes")  # the 2017 wording of the court-work prompt
        with pytest.raises(UserError, match=r"3\.2\.2\.d"):
            ws.save_item(case, "3.2.2.d", "yes")  # a 2019-20 prompt is not in this edition
