"""Refusing a workbook (XLSX) a person named before openpyxl inflates it.

An XLSX is a zip of XML parts, and a small file can inflate a thousandfold. openpyxl's
read-only mode streams a sheet row by row, but it holds a whole row (however many cells it has),
every shared string and the whole style sheet in memory at once. So before openpyxl sees the
file: the sizes the zip declares are checked (in all, and for each part: ``zipfile`` never
inflates past a part's declared size), then each sheet is streamed through expat, refusing a
row with more cells than Excel allows (16,384) or a text longer than a cell may hold (32,767
characters). A part with a DOCTYPE (no workbook has one; it is how entity bombs start) is
not scanned past it: openpyxl, through defusedxml, refuses it.
Together with element counts for the shared strings and the other parts (the styles), this
keeps the memory of reading, or refusing, any workbook within about 100 MB.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.user_files import XLSX_INFLATED_MAX, XLSX_PART_MAX

MAX_ROW_CELLS = 16_384  # Excel's last column, XFD
MAX_TEXT = 32_767  # the most characters Excel keeps in a cell
MAX_SHARED_ELEMENTS = 200_000  # the shared strings: about 100,000 strings, all held in memory
MAX_PART_ELEMENTS = 20_000  # any other part but a sheet (the styles: each one an object)
_SHEET = re.compile(r"xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml")
_CHUNK = 64 * 1024


class _Refused(Exception):
    pass


class _Doctype(Exception):
    pass


def too_complex() -> str:
    return _("the workbook is too large or too complex to read: copy the rows you need into a "
             "new workbook, or save the sheet as CSV UTF-8")


def check_workbook(data: bytes, error: Callable[[str], UserError]) -> None:
    """Raise ``error`` with one line if the workbook would inflate or parse beyond the caps.

    Only size and shape are checked; whether it is a readable workbook is openpyxl's to say.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > XLSX_INFLATED_MAX \
                    or any(i.file_size > XLSX_PART_MAX for i in infos
                           if not i.filename.startswith("xl/media/")):
                raise error(too_complex())
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with z.open(info) as part:
                        _scan(part, sheet=bool(_SHEET.fullmatch(info.filename)),
                              shared=info.filename == "xl/sharedStrings.xml")
    except _Refused:
        raise error(too_complex()) from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError,
            EOFError, RuntimeError):
        return  # not a readable zip, or an encrypted part: openpyxl refuses it in its own words


def _scan(part: Any, *, sheet: bool, shared: bool) -> None:
    """Stream one XML part: a sheet's cells per row, another part's elements, each text."""
    parser = expat.ParserCreate()
    most = MAX_SHARED_ELEMENTS if shared else MAX_PART_ELEMENTS
    count = 0  # cells in this row of a sheet; elements in another part
    length = 0  # of the text since the last tag

    def start(name: str, _attrs: Any) -> None:
        nonlocal count, length
        length = 0
        if sheet:
            local = name.rpartition(":")[2]
            if local == "row":
                count = 0
            elif local == "c":
                count += 1
                if count > MAX_ROW_CELLS:
                    raise _Refused
        else:
            count += 1
            if count > most:
                raise _Refused

    def end(_name: str) -> None:
        nonlocal length
        length = 0

    def chars(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > MAX_TEXT:
            raise _Refused

    def doctype(*_args: Any) -> None:
        raise _Doctype

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        while chunk := part.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, _Doctype):
        return  # malformed XML, or entities: openpyxl refuses it in its own words
