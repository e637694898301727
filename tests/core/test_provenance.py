"""Whose words a text is: drafted marks and guidance attribution, from the file to the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.frameworks import FrameworkError, available_frameworks, load_framework
from hmip_desktop.frameworks.provenance import (
    drafted_count,
    drafted_words,
    guidance_attribution,
    guidance_heading,
)
from tests.core.framework_fixture import tiny_framework, tiny_framework_data

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "frameworks"
WORDS = "Drafted for this product — check against the current CARaG"
FILE_PREFIX = re.compile(r"\b\d{3}_")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def raw_items(fw_id: str) -> list[dict[str, Any]]:
    """Every key question and prompt of a shipped file, read straight from the JSON."""
    data = json.loads((SHIPPED / f"{fw_id}.json").read_text("utf-8"))
    return [item for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
            for item in (k, *k["prompts"])]


def test_the_words_are_the_ones_the_inspectors_are_promised() -> None:
    assert drafted_words() == WORDS


@pytest.mark.parametrize("fw_id", [fw.id for fw in available_frameworks()])
def test_drafted_count_matches_the_flags_in_the_file(fw_id: str) -> None:
    items = raw_items(fw_id)
    count = drafted_count(load_framework(fw_id))
    assert count.items == len(items)
    assert count.drafted == sum(1 for i in items if i.get("drafted") is True)


def test_youth_and_dipp_are_mostly_drafted() -> None:
    assert drafted_count(load_framework("youth-2019-20")).percent == 62
    assert drafted_count(load_framework("dipp-2025")).percent == 64


@pytest.mark.parametrize("fw_id", [fw.id for fw in available_frameworks()])
def test_shipped_guidance_says_it_was_written_for_the_product_citing_the_manual(
        fw_id: str) -> None:
    fw = load_framework(fw_id)
    k = fw.case_key_questions()[0]
    for item in (k, k.prompts[0], *fw.case_questions):
        assert guidance_heading(item) == "Guidance written for this product"
        words = guidance_attribution(fw, item)
        assert words.startswith("Guidance written for this product, summarising the CARaG — "
                                "check against the current CARaG (")
        assert "guidance manual" in words and "§6.2" in words
        assert not FILE_PREFIX.search(words), words  # a manual by title, never a file name


def test_guidance_the_file_marks_as_the_inspectorates_own_is_attributed_to_the_carag() -> None:
    data = tiny_framework_data()
    kq = data["domains"][1]["standards"][0]["key_questions"][0]
    kq["guidance_drafted"] = False
    data["source"]["guidance_reference"] = "Example guidance manual, v1, §6.2"
    fw = tiny_framework(data)
    k = fw.key_questions_by_id[kq["id"]]
    assert k.guidance_drafted is False and k.prompts[0].guidance_drafted is True
    assert guidance_heading(k) == "Guidance from the CARaG"
    assert "Example guidance manual, v1, §6.2" in guidance_attribution(fw, k)
    assert guidance_attribution(fw, k.prompts[0]).startswith("Guidance written for this product")


@pytest.mark.parametrize(("where", "value", "fault"), [
    ("kq", "no", r"key_questions\[0\]\.guidance_drafted: expected true or false"),
    ("prompt", 0, r"prompts\[0\]\.guidance_drafted: expected true or false"),
    ("source", "", r"source\.guidance_reference: must not be empty"),
    ("source", 7, r"source\.guidance_reference: expected text"),
])
def test_a_bad_provenance_field_is_refused_with_its_place(where: str, value: Any,
                                                           fault: str) -> None:
    data = tiny_framework_data()
    kq = data["domains"][1]["standards"][0]["key_questions"][0]
    if where == "kq":
        kq["guidance_drafted"] = value
    elif where == "prompt":
        kq["prompts"][0]["guidance_drafted"] = value
    else:
        data["source"]["guidance_reference"] = value
    with pytest.raises(FrameworkError, match=fault):
        tiny_framework(data)


def test_frameworks_list_shows_the_drafted_count(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks")
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("youth-2019-20"))
    assert "122 of 196 drafted" in line
    code, out, _ = run(capsys, "frameworks", "--json")
    listed = {f["id"]: f for f in json.loads(out)}
    assert (listed["dipp-2025"]["drafted_items"], listed["dipp-2025"]["items"]) == (80, 125)


def test_frameworks_show_json_flags_every_text_and_gives_the_source(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "--show", "youth-2019-20", "--json")
    assert code == 0
    fw = json.loads(out)
    shown = {item["id"]: item["drafted"] for d in fw["domains"] for s in d["standards"]
             for k in s["key_questions"] for item in (k, *k["prompts"])}
    assert shown == {i["id"]: bool(i.get("drafted")) for i in raw_items("youth-2019-20")}
    assert all(isinstance(v, bool) for v in shown.values())
    raw = json.loads((SHIPPED / "youth-2019-20.json").read_text("utf-8"))["source"]
    assert fw["source"]["documents"] == raw["documents"]
    assert fw["source"]["notes"] == raw["notes"]
    assert fw["source"]["guidance_reference"] == raw["guidance_reference"]


def test_frameworks_show_text_marks_each_drafted_text_and_says_what_the_mark_means(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "--show", "youth-2019-20")
    assert code == 0
    fw = load_framework("youth-2019-20")
    lines = {ln.split()[0]: ln for ln in out.splitlines()[1:] if ln.startswith("    ")}
    for item in (*fw.key_questions_by_id.values(), *fw.prompts_by_id.values()):
        assert ("[drafted]" in lines[item.id]) == item.drafted, lines[item.id]
    assert out.rstrip().endswith(f"[drafted] {WORDS}")
