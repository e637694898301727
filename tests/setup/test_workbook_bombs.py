"""Workbooks that inflate far beyond their size are refused in one line, in bounded memory.

Each reader runs in a child process (allowed 2 GiB of address space, so a reader that inflates
the file fails here rather than fill the machine), which reports the growth of its peak memory
while reading: refusing such a file must stay well under 100 MB.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.user_files import XLSX_PART_MAX
from hmip_desktop.workbook_limits import (
    MAX_OTHER_ELEMENTS,
    MAX_ROW_CELLS,
    MAX_SHARED_ELEMENTS,
    MAX_TEXT,
    check_workbook,
)

SHEET = "xl/worksheets/sheet1.xml"
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = "</sheetData></worksheet>"
CELL = '<c t="inlineStr"><is><t>x</t></is></c>'


def workbook_parts() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sample"
    sheet.append(["case_ref", "office"])
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_workbook(path: Path, sheet_chunks: object) -> Path:
    """A workbook whose first sheet is the chunks given, deflated as they are written."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in workbook_parts().items():
            if name != SHEET:
                z.writestr(name, data)
        with z.open(SHEET, "w", force_zip64=True) as f:
            for chunk in sheet_chunks:  # type: ignore[attr-defined]
                f.write(chunk)
    return path


def one_row_bomb(path: Path, inflated: int) -> Path:
    """One row of identical cells, ``inflated`` bytes of XML: a few hundred KB on disk."""
    block = (CELL * 10_000).encode()
    n = (inflated - len(HEAD) - len(TAIL) - 11) // len(block)
    return write_workbook(path, [HEAD.encode(), b"<row>", *([block] * n), b"</row>",
                                 TAIL.encode()])


CHILD = """
import resource, sys
from pathlib import Path
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks import load_framework
from hmip_desktop.setup.sample_import import read_sample
from hmip_desktop.consolidation.counts_files import read_counts
fw = load_framework("nps-2019-20")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    read_sample(Path(sys.argv[2]), fw) if sys.argv[1] == "sample" else read_counts(sys.argv[2])
    message = "accepted"
except UserError as e:
    message = str(e)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(message)
print(grown // 1024)
"""


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def read_in_child(reader: str, path: Path) -> tuple[str, int]:
    """The reader's one-line message and how many MB its peak memory grew by."""
    done = subprocess.run([sys.executable, "-c", CHILD, reader, str(path)], capture_output=True,
                          text=True, preexec_fn=limit_memory, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    message, grown = done.stdout.splitlines()
    return message, int(grown)


def test_a_sample_inflating_200_times_its_size_is_refused_in_bounded_memory(
        tmp_path: Path) -> None:
    bomb = one_row_bomb(tmp_path / "sample.xlsx", 199 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    message, grown = read_in_child("sample", bomb)
    assert message == ("nothing imported: the workbook is too large to be the selected sample")
    assert grown < 100


def test_a_sample_within_the_caps_but_with_a_row_too_wide_is_refused_before_openpyxl(
        tmp_path: Path) -> None:
    bomb = one_row_bomb(tmp_path / "sample.xlsx", 9 * 1024 * 1024)  # under every size cap
    message, grown = read_in_child("sample", bomb)
    assert message == ("nothing imported: the workbook is too large or too complex to read: "
                       "copy the rows you need into a new workbook, or save the sheet as "
                       "CSV UTF-8")
    assert grown < 100


def test_a_previous_export_that_is_a_workbook_bomb_is_refused_in_bounded_memory(
        tmp_path: Path) -> None:
    bomb = one_row_bomb(tmp_path / "previous.xlsx", 199 * 1024 * 1024)
    message, grown = read_in_child("counts", bomb)
    assert message.startswith("previous.xlsx: the workbook is too large or too complex to read")
    assert grown < 100


def at_every_cap(path: Path) -> Path:
    """Shared strings, styles and a sheet each just under their caps: the most a workbook
    that passes the checks can make openpyxl hold."""
    parts = workbook_parts()
    n = MAX_SHARED_ELEMENTS // 2 - 1  # <sst> and then <si><t> for each string
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{i}</t></si>" for i in range(n)) + "</sst>").encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
        b'formats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    head, tag, tail = parts["xl/styles.xml"].partition(b"<cellXfs")
    end = tail.index(b">") + 1
    parts["xl/styles.xml"] = head + tag + tail[:end] + xf * (MAX_OTHER_ELEMENTS - 1000) \
        + tail[end:]
    row = ('<row><c t="inlineStr"><is><t>' + "x" * 100 + "</t></is></c></row>").encode()
    rows = (XLSX_PART_MAX - len(HEAD) - len(TAIL)) // len(row)
    parts[SHEET] = HEAD.encode() + row * rows + TAIL.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_sample_at_every_cap_at_once_is_read_in_bounded_memory(tmp_path: Path) -> None:
    message, grown = read_in_child("sample", at_every_cap(tmp_path / "sample.xlsx"))
    assert message == "nothing imported: the file has more than 50,000 rows"
    assert grown < 100


class Refused(UserError):
    pass


def sheet(body: str) -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, [(HEAD + body + TAIL).encode()])  # type: ignore[arg-type]
    return buf.getvalue()


@pytest.mark.parametrize(("body", "refused"), [
    ("<row>" + CELL * MAX_ROW_CELLS + "</row>", False),
    ("<row>" + CELL * (MAX_ROW_CELLS + 1) + "</row>", True),
    ("<row>" + CELL * 10_000 + "</row><row>" + CELL * 10_000 + "</row>", False),
    ('<row><c t="inlineStr"><is><t>' + "x" * MAX_TEXT + "</t></is></c></row>", False),
    ('<row><c t="inlineStr"><is><t>' + "x" * (MAX_TEXT + 1) + "</t></is></c></row>", True),
])
def test_what_excel_could_have_saved_passes_and_nothing_more(body: str, refused: bool) -> None:
    data = sheet(body)
    if refused:
        with pytest.raises(Refused, match="too large or too complex"):
            check_workbook(data, Refused)
    else:
        check_workbook(data, Refused)
