"""The link from an organisational key question to the case data (``informed_by``): loaded
from every shipped rated framework and DIPP, checked on load with one line naming the bad
reference, and carried through the framework workbook."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks import FrameworkError, available_frameworks, load_framework
from hmip_desktop.frameworks.loader import parse_framework
from tests.frameworks.test_workbook_faults import refused, set_cell
from tests.frameworks.workbook_helpers import edit, exported, shipped_data


def _kq(data: dict[str, Any], kq_id: str) -> dict[str, Any]:
    return next(k for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
                if k["id"] == kq_id)


@pytest.mark.parametrize("framework_id", [fw.id for fw in available_frameworks()])
def test_every_shipped_framework_links_its_organisational_questions_to_case_data(
        framework_id: str) -> None:
    fw = load_framework(framework_id)
    linked = [k for k in fw.key_questions_by_id.values() if k.informed_by]
    assert len(linked) >= 8
    for k in linked:
        assert not fw.is_case_answered(k)
        for item in k.informed_by:
            kq = fw.key_questions_by_id.get(item) or fw.key_questions_by_id[fw.parent_of[item]]
            assert fw.is_case_answered(kq)


def test_managers_oversight_is_read_with_the_case_level_oversight_prompt_in_dipp() -> None:
    fw = load_framework("dipp-2025")
    assert "2.2.3.c" in fw.key_questions_by_id["1.2.3"].informed_by
    assert "oversight" in fw.prompts_by_id["2.2.3.c"].text


@pytest.mark.parametrize(("bad", "why"), [
    ("2.9.9", "'2.9.9' is not a key question or prompt of this framework answered case by case"),
    ("1.1.1", "'1.1.1' is not a key question or prompt of this framework answered case by case"),
    ("1.1.1.a", "'1.1.1.a' is not a key question or prompt of this framework answered case "
                "by case"),
])
def test_a_link_naming_no_case_key_question_is_refused_on_one_line(bad: str, why: str) -> None:
    data = copy.deepcopy(shipped_data("nps-2019-20"))
    _kq(data, "1.2.3")["informed_by"] = ["2.1.3", bad]
    with pytest.raises(FrameworkError) as e:
        parse_framework(data, "nps-2019-20.json")
    assert str(e.value) == ("nps-2019-20.json at domains[0].standards[1].key_questions[2]."
                            f"informed_by[1]: {why}")


def test_a_case_answered_key_question_names_no_links_and_a_link_is_named_once() -> None:
    data = copy.deepcopy(shipped_data("nps-2019-20"))
    _kq(data, "2.1.1")["informed_by"] = ["2.1.2"]
    with pytest.raises(FrameworkError, match=r"2\.1\.1 is answered case by case"):
        parse_framework(data, "nps-2019-20.json")
    data = copy.deepcopy(shipped_data("nps-2019-20"))
    _kq(data, "1.2.3")["informed_by"] = ["2.1.3", "2.1.3"]
    with pytest.raises(FrameworkError, match=r"'2\.1\.3' is named twice"):
        parse_framework(data, "nps-2019-20.json")
    _kq(data, "1.2.3")["informed_by"] = []
    with pytest.raises(FrameworkError, match="informed_by: must not be empty"):
        parse_framework(data, "nps-2019-20.json")


def test_a_bad_link_in_the_workbook_names_its_cell(tmp_path: Path) -> None:
    book = edit(exported(tmp_path),
                set_cell("Key questions", "id", "1.2.3", "informed by", "2.1.3, 2.1.3.z"))
    [line] = refused(book, tmp_path)
    assert line.startswith("Key questions sheet, row ")
    assert line.endswith("(informed by): '2.1.3.z' is not a key question or prompt of this "
                         "framework answered case by case")
