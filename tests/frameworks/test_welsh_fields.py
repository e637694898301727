"""The framework format's optional Welsh beside each text, and the manual section of a text."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.frameworks import FrameworkError, load_framework
from hmip_desktop.frameworks.loader import content_hash, parse_framework
from tests.frameworks.workbook_helpers import shipped_data, without_welsh


def first_prompt(data: dict[str, Any]) -> dict[str, Any]:
    prompt: dict[str, Any] = data["domains"][1]["standards"][0]["key_questions"][0]["prompts"][0]
    return prompt


# The 2019-20 edition's hash as it was shipped before its Welsh was added: workspaces made then
# hold that file, and taking the Welsh out again (and what was added after it: the links to the
# case data, the optional diversity facts and the publication rules) must give exactly that
# file's hash back.
NPS_2019_20_ENGLISH_ONLY_HASH = "f09314feea8fa7e100dc53418931615d827531a2a706e8a4f7f58ca12f020758"
LATER_FACTS = ("age_band", "ethnicity_group", "disability", "religion")


def without_links(data: dict[str, Any]) -> dict[str, Any]:
    for d in data["domains"]:
        for s in d["standards"]:
            for k in s["key_questions"]:
                k.pop("informed_by", None)
    return data


def without_later_additions(data: dict[str, Any]) -> dict[str, Any]:
    data = without_links(data)
    data.pop("publication", None)
    data["case_facts"] = [f for f in data["case_facts"] if f["id"] not in LATER_FACTS]
    return data


def test_a_file_without_welsh_keeps_its_hash() -> None:
    data = without_later_additions(without_welsh(shipped_data("nps-2019-20")))
    assert parse_framework(data, "nps").hash == NPS_2019_20_ENGLISH_ONLY_HASH
    assert content_hash(data) == NPS_2019_20_ENGLISH_ONLY_HASH
    assert load_framework("nps-2019-20").hash != NPS_2019_20_ENGLISH_ONLY_HASH  # Welsh is hashed


def test_welsh_beside_each_kind_of_text_loads_and_is_hashed() -> None:
    data = without_welsh(shipped_data("nps-2019-20"))
    data["title_cy"] = "Arolygiad prawf"
    data["domains"][1]["title_cy"] = "Darparu"
    standard = data["domains"][1]["standards"][0]
    standard["title_cy"], standard["text_cy"] = "Asesu", "Mae asesu yn dda"
    first_prompt(data)["text_cy"] = "A oedd yr asesiad yn ddigonol?"
    first_prompt(data)["guidance_cy"] = "Chwiliwch am asesiad"
    data["case_facts"][0]["label_cy"] = "Sampl achosion"
    data["case_facts"][0]["choices"][0]["label_cy"] = "Goruchwyliaeth"
    data["applicability"][0]["reason_cy"] = "Rheswm"
    data["hurdles"][0]["reason_cy"] = "Rheswm"
    fw = parse_framework(data, "nps")
    assert fw.hash != load_framework("nps-2019-20").hash


@pytest.mark.parametrize(("value", "problem"), [
    ("", "expected non-empty text"),
    ("Asesu <b>da</b>", "contains markup"),
    (3, "expected non-empty text, found int"),
])
def test_a_bad_welsh_text_is_refused_with_its_place(value: Any, problem: str) -> None:
    data = shipped_data("nps-2019-20")
    first_prompt(data)["text_cy"] = value
    with pytest.raises(FrameworkError) as e:
        parse_framework(data, "nps.json")
    assert str(e.value).startswith(
        "nps.json at domains[1].standards[0].key_questions[0].prompts[0].text_cy: " + problem)


def test_welsh_is_refused_where_the_format_holds_none() -> None:
    data = shipped_data("nps-2019-20")
    data["version_cy"] = "2019.1"
    with pytest.raises(FrameworkError, match="unknown key 'version_cy'"):
        parse_framework(data, "nps.json")


def test_a_source_section_is_a_citation_without_spaces_at_its_ends() -> None:
    data = shipped_data("nps-2019-20")
    first_prompt(data)["source_section"] = "Annex F "
    with pytest.raises(FrameworkError) as e:
        parse_framework(data, "nps.json")
    assert str(e.value).endswith("prompts[0].source_section: a manual's section starts or ends "
                                 "with a space")
    first_prompt(data)["source_section"] = "Annex F"
    parse_framework(data, "nps.json")
