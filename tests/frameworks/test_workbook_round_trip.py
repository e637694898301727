"""Every shipped framework exported to a workbook builds back to the same content hash."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from hmip_desktop.frameworks import available_frameworks, load_framework
from hmip_desktop.frameworks.loader import content_hash, load_framework_file
from hmip_desktop.frameworks.workbook_build import build_framework_file
from hmip_desktop.frameworks.workbook_layout import INSTRUCTIONS, SHEETS
from tests.frameworks.workbook_helpers import column, edit, exported, find_row, shipped_data

SHIPPED = [fw.id for fw in available_frameworks()]


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_export_then_build_gives_the_same_content_hash(tmp_path: Path,
                                                       framework_id: str) -> None:
    book = exported(tmp_path, framework_id)
    out = tmp_path / "built.json"
    fw = build_framework_file(book, out)
    assert fw.hash == load_framework(framework_id).hash
    assert load_framework_file(out).hash == load_framework(framework_id).hash
    assert content_hash(json.loads(out.read_bytes())) == content_hash(shipped_data(framework_id))


def test_the_workbook_has_the_instructions_first_and_every_sheet(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(exported(tmp_path))
    assert book.sheetnames == [INSTRUCTIONS, *SHEETS]
    assert "framework build" in " ".join(str(c.value) for c in book[INSTRUCTIONS]["A"])


def test_welsh_and_a_named_section_are_carried_beside_the_english(tmp_path: Path) -> None:
    def change(book: openpyxl.Workbook) -> None:
        ws = book["Prompts"]
        row = find_row(ws, "id", "2.1.1.a")
        ws.cell(row, column("Prompts", "text (Welsh)")).value = "A oedd yr asesiad yn ddigonol?"
        ws.cell(row, column("Prompts", "source")).value = "verbatim: Annex F, §2.1"
        ws = book["Domains"]
        ws.cell(find_row(ws, "id", "2"), column("Domains", "title (Welsh)")).value = "Darparu"

    book = edit(exported(tmp_path), change)
    out = tmp_path / "built.json"
    fw = build_framework_file(book, out)
    data = json.loads(out.read_bytes())
    prompt = data["domains"][1]["standards"][0]["key_questions"][0]["prompts"][0]
    assert prompt["text_cy"] == "A oedd yr asesiad yn ddigonol?"
    assert prompt["source_section"] == "Annex F, §2.1"
    assert data["domains"][1]["title_cy"] == "Darparu"
    assert fw.hash != load_framework("nps-2019-20").hash  # Welsh is content, so it is hashed
    assert load_framework_file(out).hash == fw.hash


def test_a_text_starting_with_equals_is_kept_as_text(tmp_path: Path) -> None:
    data = shipped_data("dipp-2025")
    data["domains"][0]["title"] = "=SUM(A1) is only words here"
    from hmip_desktop.frameworks.workbook_write import write_framework_workbook  # noqa: PLC0415
    book = tmp_path / "eq.xlsx"
    write_framework_workbook(data, book)
    fw = build_framework_file(book, tmp_path / "eq.json")
    assert fw.domains[0].title == "=SUM(A1) is only words here"


def test_welsh_rating_characteristics_travel_beside_the_english(tmp_path: Path) -> None:
    def change(book: openpyxl.Workbook) -> None:
        ws = book["Rating characteristics"]
        ws.cell(2, column("Rating characteristics", "text (Welsh)")).value = "Arloesol"

    book = edit(exported(tmp_path, "crc-2019-20"), change)
    out = tmp_path / "built.json"
    build_framework_file(book, out)
    data = json.loads(out.read_bytes())
    first = data["rating_characteristics"]
    shipped = shipped_data("crc-2019-20")["rating_characteristics"]
    assert first["outstanding_cy"][0] == "Arloesol"
    assert len(first["outstanding_cy"]) == len(first["outstanding"])
    # the other texts keep the shipped Welsh, each beside its own English
    assert first["outstanding_cy"][1:] == shipped["outstanding_cy"][1:]
    assert first["inadequate_cy"] == shipped["inadequate_cy"]
