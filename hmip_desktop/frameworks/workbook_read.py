"""Read a framework workbook's cells, refusing it whole before anything is inflated.

The file's size is checked before it is read, the sizes its zip directory declares before
openpyxl opens it (``workbook_limits.check_workbook``: a zip bomb is refused unopened), and
then openpyxl streams the sheets in read-only mode. A formula is never evaluated: its saved
value is read only to show it in the fault.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.workbook_layout import (
    MAX_FILE_BYTES,
    MAX_ID,
    MAX_INFLATED_BYTES,
    MAX_PART_BYTES,
    MAX_ROWS,
    MAX_TEXT,
    OPTIONAL_COLUMNS,
    SECTION_COLUMNS,
    SECTIONS,
    SHORT_COLUMNS,
    TABLES,
)
from hmip_desktop.i18n import _
from hmip_desktop.user_files import describe_size, read_user_file
from hmip_desktop.workbook_limits import check_workbook


class WorkbookFaults(UserError):
    """One or more faults, one line each, naming the sheet, the row, the column and the problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class Cell:
    value: Any
    sheet: str
    row: int
    column: str  # its heading
    faulted: bool = False  # a formula or an over-long text, already listed among the faults


@dataclass
class SheetRows:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)


class WorkbookCells(dict[str, SheetRows]):
    """Every sheet's rows, and the faults of single cells (formulas, over-long texts).

    Those cells are marked ``faulted`` so that building lists every other fault beside them.
    """

    def __init__(self, sheets: dict[str, SheetRows], faults: list[str]) -> None:
        super().__init__(sheets)
        self.faults = faults


def fault(sheet: str, row: int | None, column: str | None, problem: str,
          columns: tuple[str, ...] = ()) -> str:
    """One fault line: ``Prompts sheet, row 12, column C (text): problem``."""
    where = _("{sheet} sheet").format(sheet=sheet)
    if row is not None:
        where += _(", row {row}").format(row=row)
    if column is not None:
        from openpyxl.utils import get_column_letter  # noqa: PLC0415 - openpyxl on demand

        letter = (f"{get_column_letter(columns.index(column) + 1)} "
                  if column in columns else "")
        where += _(", column {letter}({column})").format(letter=letter, column=column)
    return _("{where}: {problem}").format(where=where, problem=problem)


def _refuse(message: str) -> UserError:
    return WorkbookFaults([message])


def read_workbook(path: Path) -> WorkbookCells:
    """Every sheet's rows by heading, with the faults of single cells.

    WorkbookFaults when the file cannot be read or a sheet or heading is missing.
    """
    data = read_user_file(path, max_size=MAX_FILE_BYTES, error=_refuse,
                          too_large=lambda: _refuse(
                              _("{name}: larger than {size}; a framework workbook is far "
                                "smaller").format(name=path.name,
                                                  size=describe_size(MAX_FILE_BYTES))))
    return read_workbook_bytes(data, path.name)


def read_workbook_bytes(data: bytes, name: str = "workbook") -> WorkbookCells:
    def error(message: str) -> UserError:
        return _refuse(_("{name}: {message}").format(name=name, message=message))

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise error(_("not a workbook (.xlsx)")) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise error(_("not a workbook (.xlsx)"))
    check_workbook(data, error, inflated_max=MAX_INFLATED_BYTES, part_max=MAX_PART_BYTES)
    import openpyxl  # noqa: PLC0415 - on demand: most commands read no workbook

    faults: list[str] = []  # a missing sheet or heading: nothing can be built
    cell_faults: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, keep_links=False)
            try:
                sheets, formulas = _read_sheets(book, faults, cell_faults)
            finally:
                book.close()
            if formulas:
                _flag_formulas(data, formulas, cell_faults)
    except WorkbookFaults:
        raise
    except Exception:  # a malformed workbook can fail anywhere inside openpyxl
        raise error(_("the workbook cannot be read: open it in Excel and save it "
                      "again")) from None
    if faults:
        raise WorkbookFaults(faults + cell_faults)
    return WorkbookCells(sheets, cell_faults)


def _read_sheets(book: Any, faults: list[str], cell_faults: list[str]
                 ) -> tuple[dict[str, SheetRows], list[Cell]]:
    sheets: dict[str, SheetRows] = {}
    formulas: list[Cell] = []
    present = set(book.sheetnames)
    for name, columns in ({k: SECTION_COLUMNS for k in SECTIONS} | TABLES).items():
        if name not in present:
            faults.append(fault(name, None, None, _("the sheet is missing (every sheet of the "
                                  "template must be there, even if empty)")))
            continue
        rows = book[name].iter_rows(max_col=len(columns) + 20)
        header = next(rows, ())
        headings = [str(c.value).strip() if c.value is not None else "" for c in header]
        index: dict[str, int] = {}
        for col in columns:
            if col in headings:
                index[col] = headings.index(col)
            elif col not in OPTIONAL_COLUMNS:
                faults.append(fault(name, 1, col, _("this heading is missing from row 1"),
                                    columns))
        sheet = SheetRows(name, columns)
        sheets[name] = sheet
        for row_no, cells in enumerate(rows, start=2):
            if row_no > MAX_ROWS + 1:
                cell_faults.append(fault(name, row_no, None,
                                         _("more than {n:,} rows").format(n=MAX_ROWS)))
                break
            values = {col: Cell(None, name, row_no, col) for col in columns
                      if col not in index}  # an optional column the workbook lacks: empty
            for col, i in index.items():
                c = cells[i] if i < len(cells) else None
                value = getattr(c, "value", None)
                cell = Cell(value, name, row_no, col)
                if getattr(c, "data_type", None) == "f":
                    cell.faulted = True
                    formulas.append(cell)
                elif value is not None:
                    _check_length(cell, columns, cell_faults)
                values[col] = cell
            if any(c.value is not None and c.value != "" for c in values.values()):
                sheet.rows.append((row_no, values))
    return sheets, formulas


def _check_length(cell: Cell, columns: tuple[str, ...], faults: list[str]) -> None:
    if not isinstance(cell.value, str):
        return
    cap = MAX_ID if cell.column in SHORT_COLUMNS else MAX_TEXT
    if len(cell.value) > cap:
        cell.faulted = True
        faults.append(fault(cell.sheet, cell.row, cell.column,
                            _("{n:,} characters; at most {cap:,}").format(
                                n=len(cell.value), cap=cap), columns))


def _flag_formulas(data: bytes, formulas: list[Cell], faults: list[str]) -> None:
    """Read the values the spreadsheet saved for its formulas, to name them in each fault."""
    import openpyxl  # noqa: PLC0415 - on demand

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                  keep_links=False)
    try:
        by_sheet: dict[str, list[Cell]] = {}
        for cell in formulas:
            by_sheet.setdefault(cell.sheet, []).append(cell)
        for name, cells in by_sheet.items():
            columns = TABLES.get(name, SECTION_COLUMNS)
            ws = book[name]
            rows = list(ws.iter_rows(min_row=1, max_row=max(c.row for c in cells),
                                     values_only=True))
            headings = [str(v).strip() if v is not None else "" for v in rows[0]]
            for cell in cells:
                saved = rows[cell.row - 1][headings.index(cell.column)]
                shown = _("nothing saved") if saved is None else repr(str(saved)[:60])
                faults.append(fault(name, cell.row, cell.column,
                                    _("holds a formula ({formula}); its saved value is {shown}. "
                                      "Formulas are never worked out here: type the value "
                                      "instead").format(formula=str(cell.value)[:40],
                                                        shown=shown), columns))
    finally:
        book.close()
