"""A workbook (XLSX) made in memory, with no temporary file on the way.

openpyxl's own ``save`` writes each sheet's XML to a temporary file in the system's temporary
folder (a write-only sheet streams its rows there as they are appended), zips them, then
deletes them. Those files are the sheet's cells in plaintext — case references and names — on
the disk outside any workspace, left behind if the process dies, and only unlinked, not
overwritten, when it does not. Here a write-only sheet made by ``memory_sheet`` keeps its rows
in memory and ``xlsx_bytes`` zips every sheet from memory; the caller then writes the bytes
to the one place the user chose (``write_atomic``). docs/security.md, "No stray plaintext".
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


def memory_sheet(book: Workbook, title: str) -> Any:
    """A new sheet of the write-only ``book`` whose rows are kept in memory, not on disk."""
    sheet = book.create_sheet(title)
    writer = WorksheetWriter(sheet, out=io.BytesIO())
    writer.write_top()
    sheet._writer = writer  # in place of openpyxl's temporary file
    return sheet


class _InMemoryWriter(ExcelWriter):  # type: ignore[misc]  # openpyxl ships no types
    """openpyxl's writer, taking each sheet's XML from memory instead of a temporary file."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()  # as ExcelWriter.write_worksheet
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if self.workbook.write_only:
            writer = ws._writer
            if not isinstance(getattr(writer, "out", None), io.BytesIO):
                raise TypeError(f"sheet {ws.title!r} was not made with memory_sheet")
            if not ws.closed:
                ws.close()
        else:
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)


def xlsx_bytes(book: Workbook) -> bytes:
    """The XLSX file of ``book``, as openpyxl's ``save`` would write it."""
    buffer = io.BytesIO()
    book.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        _InMemoryWriter(book, archive).save()
    return buffer.getvalue()
