"""A workbook the app exports is made in memory: no sheet of it passes through a temporary file."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest

from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes

ROWS = [["DEMO-NPS-001", "Wren Halloway-Pike", "=not a formula"], ["DEMO-NPS-002", "Ida Coombe", 3]]


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _read(data: bytes) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_openpyxl_alone_would_put_the_sheet_in_the_temporary_folder(temp_folder: Path) -> None:
    """Why the module exists: a plain write-only sheet streams its rows to a temporary file."""
    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("Cases").append(ROWS[0])
    assert [p.name.startswith("openpyxl.") for p in temp_folder.iterdir()] == [True]
    book.save(io.BytesIO())
    assert list(temp_folder.iterdir()) == []  # deleted after, not overwritten


def test_a_write_only_workbook_is_zipped_from_memory(temp_folder: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    for title in ("Cases", "Totals"):
        sheet = memory_sheet(book, title)
        for row in ROWS:
            sheet.append(row)
            assert list(temp_folder.iterdir()) == []
    data = xlsx_bytes(book)
    assert list(temp_folder.iterdir()) == []
    assert _read(data) == {"Cases": ROWS, "Totals": ROWS}


def test_an_ordinary_workbook_is_zipped_from_memory(temp_folder: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = tempfile.NamedTemporaryFile

    def watched(*args: object, **kwargs: object) -> object:
        made.append("temporary file")
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", watched)
    monkeypatch.setattr("openpyxl.worksheet._writer.NamedTemporaryFile", watched)
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    data = xlsx_bytes(book)
    assert made == []
    assert _read(data)["Sheet"] == ROWS


def test_a_write_only_sheet_made_the_usual_way_is_refused(temp_folder: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("Cases").append(ROWS[0])
    with pytest.raises(TypeError, match="memory_sheet"):
        xlsx_bytes(book)
    book.worksheets[0].close()  # openpyxl's own end of the sheet, and of its temporary file
    book.worksheets[0]._writer.cleanup()
