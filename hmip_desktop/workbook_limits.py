"""Refusing a workbook (XLSX) a person named before openpyxl inflates it.

An XLSX is a zip of XML parts, and a small file can inflate a thousandfold. openpyxl's
read-only mode streams a sheet row by row, but it holds a whole row (however many cells it has),
every shared string and the whole style sheet in memory at once. So before openpyxl sees the
file, ``check_workbook`` checks the sizes the zip declares, in all and for each part
(``zipfile`` never inflates a part past its declared size: one that lies fails its CRC), then
streams every XML part openpyxl would parse through expat, refusing a sheet row with more cells
than Excel allows, a text longer than a cell may hold, too many shared strings, or too many
elements in the other parts together (the styles above all). This keeps the memory of reading,
or refusing, any workbook within about 100 MB (``tests/setup/test_workbook_bombs.py``).
A part with a DOCTYPE (no workbook has one; it is how entity bombs start) is not scanned past
it: openpyxl, through defusedxml, refuses it in its own words.
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
MAX_OTHER_ELEMENTS = 30_000  # all the other parts read (the styles: each one an object)
# Parts openpyxl's read-only mode never parses (the readers pass keep_links=False, so external
# links are not read either): only their declared sizes count.
_NOT_PARSED = ("xl/pivotCache/", "xl/pivotTables/", "xl/comments", "xl/threadedComments/",
               "xl/persons/", "xl/tables/", "xl/externalLinks/", "customXml/", "xl/media/")
_SHEET = re.compile(r"xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml")
_CHUNK = 64 * 1024


class _Refused(Exception):
    pass


class _Doctype(Exception):
    pass


def too_complex() -> str:
    return _("the workbook is too large or too complex to read: copy the rows you need into a "
             "new workbook, or save the sheet as CSV UTF-8")


def check_workbook(data: bytes, error: Callable[[str], UserError], *,
                   inflated_max: int = XLSX_INFLATED_MAX, part_max: int = XLSX_PART_MAX,
                   shared_max: int = MAX_SHARED_ELEMENTS) -> None:
    """Raise ``error`` with one line if the workbook would inflate or parse beyond the caps.

    Only size and shape are checked; whether it is a readable workbook is openpyxl's to say.
    A long list (``sampling.longlist``) passes its own, larger caps.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > inflated_max \
                    or any(i.file_size > part_max for i in infos
                           if not i.filename.startswith("xl/media/")):
                raise error(too_complex())
            others = [0]  # elements so far in the parts that are neither sheets nor strings
            for info in infos:
                name = info.filename
                if name.endswith((".xml", ".rels")) and not name.startswith(_NOT_PARSED):
                    with z.open(info) as part:
                        _scan(part, sheet=bool(_SHEET.fullmatch(name)),
                              shared=name == "xl/sharedStrings.xml", others=others,
                              shared_max=shared_max)
    except _Refused:
        raise error(too_complex()) from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError,
            EOFError, RuntimeError):
        return  # not a readable zip, or an encrypted part: openpyxl refuses it in its own words


def _scan(part: Any, *, sheet: bool, shared: bool, others: list[int],
          shared_max: int = MAX_SHARED_ELEMENTS) -> None:
    """Stream one XML part, counting what openpyxl would hold in memory at once.

    In a sheet, the cells of each row; in the shared strings, their elements; in any other
    part, the elements of all such parts together (``others``); everywhere, each text's length.
    """
    parser = expat.ParserCreate()
    count = 0  # cells in this row of a sheet; elements of the shared strings
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
        elif shared:
            count += 1
            if count > shared_max:
                raise _Refused
        else:
            others[0] += 1
            if others[0] > MAX_OTHER_ELEMENTS:
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
