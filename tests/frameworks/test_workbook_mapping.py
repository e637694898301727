"""The workbook's continues columns: exported, built back, and checked against the old edition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hmip_desktop.frameworks import Framework
from hmip_desktop.frameworks.loader import FrameworkError, content_hash, parse_framework
from hmip_desktop.frameworks.model import Supersedes
from hmip_desktop.frameworks.workbook_build import build_framework_data, build_framework_file
from hmip_desktop.frameworks.workbook_layout import TABLES
from hmip_desktop.frameworks.workbook_read import WorkbookFaults, read_workbook_bytes
from hmip_desktop.frameworks.workbook_rows import framework_rows
from hmip_desktop.frameworks.workbook_write import workbook_bytes, write_framework_workbook
from tests.frameworks.edition_helpers import edition, edition_data

OLD_SHAPE = {"1.1.1": ["a", "b"], "1.1.2": ["a"]}
NEW_SHAPE = {"1.1.1": ["a", "b", "c"], "1.1.2": ["a"]}
OLD = edition(OLD_SHAPE, "1")


def built(data: dict[str, Any], old: Framework | None = None) -> tuple[dict[str, Any], Framework]:
    def superseded(_link: Supersedes | None) -> Framework | None:
        return old

    return build_framework_data(read_workbook_bytes(workbook_bytes(framework_rows(data))),
                                superseded if old is not None else None)


def test_continues_and_shared_go_out_and_come_back_with_the_same_hash() -> None:
    data = edition_data(NEW_SHAPE, "2", "1", {
        "1.1.1.a": {"continues": "1.1.1.b", "continues_shared": True},
        "1.1.1.c": {"continues": "1.1.1.b", "continues_shared": True},
        "1.1.1.b": {"continues": "none"},
        "1.1.2": {"continues": "1.1.2"}})
    rows = framework_rows(data)
    prompts = {r[0]: r for r in rows["Prompts"]}
    heading = TABLES["Prompts"]
    assert prompts["1.1.1.a"][heading.index("continues")] == "1.1.1.b"
    assert prompts["1.1.1.a"][heading.index("continues shared")] == "yes"
    assert prompts["1.1.1.b"][heading.index("continues")] == "none"

    back, fw = built(data, OLD)

    assert content_hash(back) == content_hash(data)
    by_id = fw.prompts_by_id
    assert (by_id["1.1.1.a"].continues, by_id["1.1.1.a"].continues_shared) == ("1.1.1.b", True)
    assert fw.key_questions_by_id["1.1.2"].continues == "1.1.2"


def _faults(data: dict[str, Any], old: Framework) -> list[str]:
    with pytest.raises(WorkbookFaults) as e:
        built(data, old)
    return e.value.lines


def test_an_item_continuing_nothing_in_the_old_edition_is_named_by_its_cell() -> None:
    data = edition_data(NEW_SHAPE, "2", "1", {"1.1.1.c": {"continues": "1.1.1.z"}})
    # Prompts sheet: row 2 is 1.1.1.a, so 1.1.1.c is row 4; continues is column G.
    assert _faults(data, OLD) == [
        "Prompts sheet, row 4, column G (continues): prompt 1.1.1.c continues 1.1.1.z, which "
        "1 does not have"]


def test_two_items_continuing_one_without_saying_so_are_one_fault_at_the_one_that_said_it(
        ) -> None:
    data = edition_data(NEW_SHAPE, "2", "1", {"1.1.1.c": {"continues": "1.1.1.a"}})
    assert _faults(data, OLD) == [
        "Prompts sheet, row 4, column H (continues shared): 1.1.1.a, 1.1.1.c all continue "
        "1.1.1.a; mark each continues_shared if that is meant, or say which is new (continues "
        "\"none\")"]


def test_a_key_question_continuing_a_prompt_is_named_on_the_key_questions_sheet() -> None:
    data = edition_data(NEW_SHAPE, "2", "1", {"1.1.2": {"continues": "1.1.1.a"}})
    assert _faults(data, OLD) == [
        "Key questions sheet, row 3, column H (continues): key question 1.1.2 continues "
        "1.1.1.a, which is a prompt"]


def test_an_old_edition_that_is_not_the_one_superseded_is_named_at_the_supersedes_row() -> None:
    data = edition_data(NEW_SHAPE, "2", "1")
    other = edition(OLD_SHAPE, "0")
    [line] = _faults(data, other)
    assert line.startswith("Framework sheet, row ")
    assert line.endswith(", column C (value): mapped edition 2 does not supersede mapped "
                         "edition 0")


def test_without_the_old_edition_the_mapping_is_not_checked() -> None:
    data = edition_data(NEW_SHAPE, "2", "1", {"1.1.1.c": {"continues": "1.1.1.z"}})
    _back, fw = built(data)  # nothing to check it against: built as the file says
    assert fw.prompts_by_id["1.1.1.c"].continues == "1.1.1.z"


def test_a_mapping_cell_the_loader_refuses_is_named_by_its_cell() -> None:
    first = edition_data(NEW_SHAPE, "1", None, {"1.1.1.c": {"continues": "1.1.1.a"}})
    with pytest.raises(WorkbookFaults) as e:
        built(first)
    assert e.value.lines == [
        "Prompts sheet, row 4, column G (continues): an edition that supersedes none cannot "
        "say which item it continues"]


def test_a_bad_mapping_writes_nothing(tmp_path: Path) -> None:
    book, out = tmp_path / "new.xlsx", tmp_path / "new.json"
    write_framework_workbook(edition_data(NEW_SHAPE, "2", "1",
                                          {"1.1.1.c": {"continues": "1.1.1.z"}}), book)
    with pytest.raises(WorkbookFaults):
        build_framework_file(book, out, lambda _link: OLD)
    assert not out.exists()


def test_a_workbook_made_before_the_continues_columns_still_builds(tmp_path: Path) -> None:
    data = edition_data(OLD_SHAPE, "1")
    book = tmp_path / "older.xlsx"
    write_framework_workbook(data, book)
    wb = openpyxl.load_workbook(book)
    for sheet in ("Key questions", "Prompts"):
        at = TABLES[sheet].index("continues") + 1
        wb[sheet].delete_cols(at, 2)
        assert "continues" not in [c.value for c in wb[sheet][1]]
    wb.save(book)
    fw = build_framework_file(book, tmp_path / "older.json")
    assert fw.hash == content_hash(data)


def test_a_case_fact_saying_what_it_continues_is_refused() -> None:
    # Only key questions and prompts are mapped; the workbook has no such column for facts.
    data = edition_data(OLD_SHAPE, "2", "1")
    data["case_questions"][0]["continues"] = "none"
    with pytest.raises(FrameworkError, match=r"case_questions\[0\].*continues"):
        parse_framework(data, "new.json")
