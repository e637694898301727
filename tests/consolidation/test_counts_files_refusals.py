"""Malformed previous and aggregate files that used to escape as tracebacks: each is refused
with one line naming the file (compare and combine read them with ``read_counts``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from hmip_desktop.consolidation.counts_files import read_counts
from hmip_desktop.consolidation.national import combine
from hmip_desktop.consolidation.records import ConsolidationError


def _workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    facts = wb.active
    assert facts is not None
    facts.title = "Inspection"
    facts.append(["Inspection id", "aa" * 16])
    kqs = wb.create_sheet("Key questions")
    for row in rows:
        kqs.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cut_sheet(data: bytes) -> bytes:
    """The same workbook with its key-question sheet's XML cut in half."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                body = body[:len(body) // 2]
            zout.writestr(info, body)
    return out.getvalue()


GOOD = _workbook([["Key question", "Yes", "No"], ["2.3.1", 3, 4]])


@pytest.mark.parametrize(("name", "data", "message"), [
    ("superscript.csv", "kq_id,yes,no\n2.3.1,\u00b2,3\n".encode(),
     "row 2: '\u00b2' is not a whole number of cases"),
    ("long.csv", ("kq_id,yes,no\n2.3.1," + "9" * 5000 + ",3\n").encode(),
     "row 2: .* is not a whole number of cases"),
    ("long.json", ('{"framework": {"id": "nps-2019-20"}, "key_questions": {"2.3.1": {"yes": '
                   + "9" * 5000 + ', "no": 1}}}').encode(), "not valid JSON"),
    ("cut.xlsx", _cut_sheet(GOOD), "not a readable workbook"),
    ("two.xlsx", _workbook([["Key question", "Yes", "No", "inspection_id"],
                            ["2.3.1", 3, 4, "a"], ["2.3.1", 3, 4, "b"]]),
     "more than one inspection"),
])
def test_a_malformed_file_is_refused_in_one_line(tmp_path: Path, name: str, data: bytes,
                                                 message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for read in (read_counts, lambda p: combine([p])):
        with pytest.raises(ConsolidationError, match=message) as e:
            read(path)
        assert str(e.value).startswith(f"{name}: ")
        assert "\n" not in str(e.value)


def test_the_untouched_workbook_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "good.xlsx"
    path.write_bytes(GOOD)
    (ins,) = read_counts(path).inspections
    assert ins.inspection_id == "aa" * 16 and ins.counts == {"2.3.1": [3, 4, 0]}
