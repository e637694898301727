"""Write a framework (or the empty template) as a workbook, atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.frameworks.workbook_layout import (
    INSTRUCTIONS,
    INSTRUCTIONS_TEXT,
    SECTION_COLUMNS,
    SECTIONS,
    TABLES,
    TEXT_COLUMNS,
)
from hmip_desktop.frameworks.workbook_rows import Row, framework_rows

_WIDE = 60
_NARROW = 16


def workbook_bytes(rows: dict[str, list[Row]] | None) -> bytes:
    """The workbook: the instructions, then every sheet with its headings and ``rows``."""
    # On demand: openpyxl is a tenth of a second of every command's start otherwise.
    import openpyxl  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    from hmip_desktop.xlsx_in_memory import xlsx_bytes  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = INSTRUCTIONS
    sheet.column_dimensions["A"].width = 120
    for line in INSTRUCTIONS_TEXT:
        sheet.append([_cell(line)])
    sheet["A1"].font = Font(bold=True, size=14)
    for name, columns in ({k: SECTION_COLUMNS for k in SECTIONS} | TABLES).items():
        ws = book.create_sheet(name)
        ws.append(list(columns))
        for i, heading in enumerate(columns, start=1):
            ws.cell(1, i).font = Font(bold=True)
            letter = ws.cell(1, i).column_letter
            ws.column_dimensions[letter].width = _WIDE if heading in TEXT_COLUMNS else _NARROW
        ws.freeze_panes = "A2"
        for row in (rows or {}).get(name, []):
            ws.append([_cell(v) for v in row])
        for cells in ws.iter_rows(min_row=2):
            for c in cells:
                if isinstance(c.value, str):
                    c.data_type = "s"  # a text starting with '=' stays text, never a formula
                    c.alignment = Alignment(wrap_text=True, vertical="top")
    return xlsx_bytes(book)


def _cell(v: Any) -> Any:
    return None if v == "" else v


def write_template(out: Path) -> Path:
    """The empty template: the instructions and every sheet's headings."""
    return write_atomic(out, workbook_bytes(None))


def write_framework_workbook(data: dict[str, Any], out: Path) -> Path:
    """A framework file's content (its parsed JSON) as a workbook."""
    return write_atomic(out, workbook_bytes(framework_rows(data)))
