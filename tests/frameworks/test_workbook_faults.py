"""Bad workbooks: each fault is one line naming sheet, row, column and problem; nothing written."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks.workbook_build import build_framework_file
from hmip_desktop.frameworks.workbook_layout import MAX_TEXT
from hmip_desktop.frameworks.workbook_read import WorkbookFaults
from tests.frameworks.workbook_helpers import column, edit, exported, find_row

OLD = b'{"an": "earlier file"}\n'


def refused(book: Path, tmp_path: Path) -> list[str]:
    """Build ``book`` over an existing file; assert it is untouched and return the faults."""
    out = tmp_path / "out.json"
    out.write_bytes(OLD)
    with pytest.raises(WorkbookFaults) as e:
        build_framework_file(book, out)
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    for line in e.value.lines:
        assert "\n" not in line
    return e.value.lines


def set_cell(sheet: str, key_heading: str, key: str, heading: str, value: Any):  # type: ignore[no-untyped-def]
    def change(book: Any) -> None:
        ws = book[sheet]
        ws.cell(find_row(ws, key_heading, key), column(sheet, heading)).value = value
    return change


def test_a_missing_sheet_is_named(tmp_path: Path) -> None:
    book = edit(exported(tmp_path), lambda b: b.remove(b["Hurdles"]))
    assert refused(book, tmp_path) == [
        "Hurdles sheet: the sheet is missing (every sheet of the template must be there, "
        "even if empty)"]


def test_a_duplicate_prompt_id_names_its_row(tmp_path: Path) -> None:
    book = edit(exported(tmp_path), set_cell("Prompts", "id", "2.1.1.b", "id", "2.1.1.a"))
    lines = refused(book, tmp_path)
    assert lines[0] == "Prompts sheet, row 75, column A (id): duplicate prompt id '2.1.1.a'"
    # and the guidance of the prompt renamed away now belongs to nothing
    assert lines[1].endswith("column A (item): '2.1.1.b' is not a key question, prompt, "
                             "case fact or case question of this workbook")


def test_a_prompt_under_a_key_question_that_does_not_exist(tmp_path: Path) -> None:
    book = edit(exported(tmp_path),
                set_cell("Prompts", "id", "2.1.1.a", "key question", "2.1.9"))
    [line] = refused(book, tmp_path)
    assert line == ("Prompts sheet, row 74, column B (key question): '2.1.9' is not a key "
                    "question on the Key questions sheet")


def test_a_condition_naming_an_unknown_case_fact(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        ws = book["Conditions"]
        col = column("Conditions", "refers to")
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == "sample")
        ws.cell(row, col).value = "sentence_lenght"
    lines = refused(edit(exported(tmp_path), change), tmp_path)
    assert any(line.startswith("Conditions sheet, row ") and "column D (refers to): "
               "'sentence_lenght' is not a case fact, case question or prompt" in line
               for line in lines)


def test_a_hurdle_on_a_missing_prompt(tmp_path: Path) -> None:
    book = edit(exported(tmp_path),
                set_cell("Hurdles", "key question", "2.1.3", "key question", "2.1.3.z"))
    [line] = refused(book, tmp_path)
    assert line == ("Hurdles sheet, row 2, column B (key question): '2.1.3.z' is not a key "
                    "question on the Key questions sheet")


def test_a_formula_is_flagged_with_its_saved_value_never_worked_out(tmp_path: Path) -> None:
    book = exported(tmp_path)
    edit(book, set_cell("Prompts", "id", "2.1.1.a", "text", '="Was the "&"assessment"'))
    # A spreadsheet saves the value it worked out beside the formula: write one in.
    raw = io.BytesIO()
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(raw, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if b"<f>" in data:
                data = re.sub(rb'(<c r="C74"[^>]*)>(<f>.*?</f>)<v ?/>',
                              rb'\1 t="str">\2<v>Was the assessment</v>', data)
            dst.writestr(info, data)
    book.write_bytes(raw.getvalue())
    [line] = refused(book, tmp_path)
    assert line.startswith("Prompts sheet, row 74, column C (text): holds a formula "
                           "(=\"Was the \"&\"assessment\"); its saved value is "
                           "'Was the assessment'")


def test_text_over_the_cap_is_refused_with_its_length(tmp_path: Path) -> None:
    book = edit(exported(tmp_path), set_cell("Guidance", "item", "2.1.1", "guidance",
                                             "word " * (MAX_TEXT // 5 + 1)))
    [line] = refused(book, tmp_path)
    assert line.startswith("Guidance sheet, row ")
    assert line.endswith(f"column B (guidance): {MAX_TEXT + 5:,} characters; at most "
                         f"{MAX_TEXT:,}")


def test_markup_in_a_welsh_text_is_refused_by_the_loader_at_its_cell(tmp_path: Path) -> None:
    book = edit(exported(tmp_path), set_cell("Standards", "id", "2.1", "text (Welsh)",
                                             "Asesu <b>da</b>"))
    [line] = refused(book, tmp_path)
    assert line.startswith("Standards sheet, row 6, column F (text (Welsh)): contains markup")


def test_a_hundred_megabyte_workbook_is_refused_from_its_size(tmp_path: Path) -> None:
    book = tmp_path / "huge.xlsx"
    with book.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: refused before a byte is read
    [line] = refused(book, tmp_path)
    assert line == "huge.xlsx: larger than 10 MB; a framework workbook is far smaller"


def test_a_zip_bomb_inside_the_workbook_is_refused_unopened(tmp_path: Path) -> None:
    book = exported(tmp_path)
    raw = io.BytesIO(book.read_bytes())
    with zipfile.ZipFile(raw, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (64 * 1024 * 1024))
    book.write_bytes(raw.getvalue())
    assert book.stat().st_size < 1024 * 1024  # small on disk, 64 MB inflated
    [line] = refused(book, tmp_path)
    assert line.startswith("nps-2019-20.xlsx: the workbook is too large or too complex")


def test_not_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "notes.xlsx"
    book.write_text("standards, prompts", encoding="utf-8")
    assert refused(book, tmp_path) == ["notes.xlsx: not a workbook (.xlsx)"]


def test_every_fault_is_listed_not_only_the_first(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        set_cell("Prompts", "id", "2.1.1.a", "key question", "2.1.9")(book)
        set_cell("Standards", "id", "2.2", "adjustable", "maybe")(book)
    lines = refused(edit(exported(tmp_path), change), tmp_path)
    assert lines[0] == ("Standards sheet, row 7, column H (adjustable): 'maybe' is not 'yes' "
                        "(or empty)")
    assert lines[1].startswith("Prompts sheet, row 74, column B (key question): '2.1.9'")
    assert len(lines) == 2  # the prompt's guidance row is not faulted a second time


def test_an_id_a_spreadsheet_turned_into_a_number_is_refused(tmp_path: Path) -> None:
    book = edit(exported(tmp_path), set_cell("Key questions", "id", "2.1.1", "standard", 2.1))
    lines = refused(book, tmp_path)
    assert lines[0].startswith("Key questions sheet, row ")
    assert lines[0].endswith("column B (standard): expected text, found 2.1: type it as text")
