"""Importing the selected case sample: clean files in, every problem out, nothing half-done."""

from __future__ import annotations

import csv
import inspect
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.loader import load_framework
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.setup.sample_import import (
    MAX_ROWS,
    SampleError,
    SampleRow,
    read_sample,
    read_sample_bytes,
    sample_advisories,
)
from hmip_desktop.store.workspace import Workspace

UNRECORDED = dict.fromkeys(("age_band", "ethnicity_group", "disability", "religion"),
                          "not_recorded")
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
NPS = load_framework("nps-2019-20")
YOUTH = load_framework("youth-2019-20")
DIPP = load_framework("dipp-2025")
HEAD = ["case_ref", "person_name", "office", "practitioner", "sample", "gender",
        "sentence_type", "rosh"]


def good(ref: str = "X1", **over: str) -> list[str]:
    row = {"case_ref": ref, "person_name": "Alex Example", "office": "Northtown",
           "practitioner": "Pat Sample", "sample": "supervision", "gender": "male",
           "sentence_type": "community", "rosh": "low", **over}
    return [row[h] for h in HEAD]


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]], *, sheet: str = "Sheet",
               before: str = "") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if before:
        ws.title = before
        ws["A1"] = "notes, not the sample"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def refused(data: bytes, fw: Framework = NPS) -> SampleError:
    with pytest.raises(SampleError) as info:
        read_sample_bytes(data, fw)
    err = info.value
    assert isinstance(err, UserError)
    assert len(str(err).splitlines()) == 1
    return err


# -- good files ------------------------------------------------------------------------------

def test_csv_with_aliases_and_labels_is_normalised_to_values() -> None:
    rows = read_sample(SAMPLES / "nps_sample.csv", NPS)
    assert [r.row for r in rows] == [2, 3, 4, 5]
    assert rows[0] == SampleRow(
        row=2, case_ref="X900001",
        facts={"sample": "supervision", "gender": "male", "sentence_type": "community",
               "rosh": "low", **UNRECORDED},
        person_name="Alex Example", pdu="North PDU", team="Team A", office="Northtown",
        practitioner="Pat Sample")
    # labels, in any case, become values
    assert rows[1].facts == {"sample": "supervision", "gender": "female",
                             "sentence_type": "post_custody", "rosh": "very_high",
                             **UNRECORDED}
    assert rows[2].facts["sentence_type"] == "pre_sentence"
    assert rows[3].facts["rosh"] == "high"


def test_an_optional_fact_may_be_left_out_or_empty_and_is_then_not_recorded() -> None:
    head = [*HEAD, "Ethnicity", "Age group", "Religion or belief"]
    data = csv_bytes([head, [*good("A1"), "White", "25 to 34", ""],
                      [*good("A2"), "", "", "Sikh"]])
    rows = read_sample_bytes(data, NPS)
    assert rows[0].facts["ethnicity_group"] == "white"
    assert rows[0].facts["age_band"] == "age_25_to_34"
    assert rows[0].facts["religion"] == rows[0].facts["disability"] == "not_recorded"
    assert rows[1].facts["ethnicity_group"] == rows[1].facts["age_band"] == "not_recorded"
    assert rows[1].facts["religion"] == "sikh"


def test_an_unknown_value_of_an_optional_fact_is_still_refused() -> None:
    data = csv_bytes([[*HEAD, "ethnicity"], [*good("A1"), "Martian"]])
    with pytest.raises(SampleError, match="ethnicity_group 'Martian' is not one of"):
        read_sample_bytes(data, NPS)


def test_semicolon_csv_with_bom() -> None:
    rows = read_sample(SAMPLES / "youth_sample_semicolon_bom.csv", YOUTH)
    assert [r.case_ref for r in rows] == ["Y800001", "Y800002", "Y800003"]
    assert [r.facts["sample"] for r in rows] == ["post_court", "out_of_court", "out_of_court"]
    assert rows[0].facts["disposal_type"] == "referral_order"
    assert rows[2].facts["disposal_type"] == "community_resolution"
    assert rows[1].practitioner == "Lee Invented"  # "case_manager" heading


def test_excel_sep_line_is_used_and_not_counted() -> None:
    data = b"sep=;\r\n" + csv_bytes([HEAD, good("A1")], delimiter=";")
    assert [(r.row, r.case_ref) for r in read_sample_bytes(data, NPS)] == [(2, "A1")]


def test_headings_ignore_case_and_punctuation() -> None:
    head = ["Case Ref.", "PERSON-NAME", "Office", "Responsible Officer", "Case sample",
            "Gender", "Sentence type", "Recorded risk of serious harm level"]
    rows = read_sample_bytes(csv_bytes([head, good("A1")]), NPS)
    assert rows[0].practitioner == "Pat Sample"
    assert rows[0].facts["rosh"] == "low"


def test_add_case_kwargs_match_workspace_add_case() -> None:
    row = read_sample(SAMPLES / "nps_sample.csv", NPS)[0]
    params = inspect.signature(Workspace.add_case).parameters
    assert set(row.add_case_kwargs()) <= set(params)
    assert {"case_ref", "facts", "person_name", "practitioner"} <= set(row.add_case_kwargs())


def test_xlsx_first_sheet() -> None:
    rows = read_sample_bytes(xlsx_bytes([HEAD, good("A1"), [12345, *good()[1:]]]), NPS)
    assert [(r.row, r.case_ref) for r in rows] == [(2, "A1"), (3, "12345")]


def test_xlsx_sheet_named_sample_wins_and_blank_rows_keep_numbers() -> None:
    data = xlsx_bytes([HEAD, good("A1"), [], good("A2", gender="Female")],
                      sheet="Sample", before="Read me")
    rows = read_sample_bytes(data, NPS)
    assert [(r.row, r.case_ref, r.facts["gender"]) for r in rows] == [
        (2, "A1", "male"), (4, "A2", "female")]


def test_xlsx_is_recognised_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    path.write_bytes(xlsx_bytes([HEAD, good("A1")]))
    assert read_sample(path, NPS)[0].case_ref == "A1"


def _with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """Give a formula cell the saved value Excel would have written (openpyxl writes none)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                text, n = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                                  rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v>', text)
                assert n == 1
                body = text.encode()
            dst.writestr(item, body)
    return out.getvalue()


def test_xlsx_formula_with_a_saved_value_is_read_as_that_value() -> None:
    data = xlsx_bytes([HEAD, ['="A"&"1"', *good()[1:]]])
    rows = read_sample_bytes(_with_cached_value(data, "A2", "A1"), NPS)
    assert rows[0].case_ref == "A1"


# -- refusals, each with its row -------------------------------------------------------------

def test_bad_rows_are_all_listed_in_one_line_and_nothing_is_returned() -> None:
    with pytest.raises(SampleError) as info:
        read_sample(SAMPLES / "nps_bad_rows.csv", NPS)
    err = info.value
    assert err.problems == [
        (3, "gender 'x' is not one of male, female"),
        (4, "case_ref is empty"),
        (5, "case_ref repeats row 2"),
        (6, "sentence_type 'somewhere' is not one of community, post_custody, custody, "
            "pre_sentence"),
        (6, "rosh is empty"),
    ]
    assert str(err) == (
        "4 rows have problems; nothing imported: row 3: gender 'x' is not one of male, female; "
        "row 4: case_ref is empty; row 5: case_ref repeats row 2; row 6: sentence_type "
        "'somewhere' is not one of community, post_custody, custody, pre_sentence; "
        "row 6: rosh is empty")


def test_message_names_no_case_reference_or_person() -> None:
    long_name = "Zed Privatename " * 15
    err = refused(csv_bytes([HEAD, good("SECRET1"), good("secret1"),
                             good("X2", person_name=long_name)]))
    assert err.problems == [(3, "case_ref repeats row 2"),
                            (4, "person_name is longer than 200 characters")]
    assert "SECRET1".casefold() not in str(err).casefold()
    assert "Privatename" not in str(err)


def test_more_problems_than_shown_are_counted_and_all_kept() -> None:
    rows = [HEAD, *(good(f"A{i}", gender="?") for i in range(8))]
    err = refused(csv_bytes(rows))
    assert len(err.problems) == 8
    assert [r for r, _p in err.problems] == list(range(2, 10))
    assert str(err).startswith("8 rows have problems; nothing imported: row 2: gender '?'")
    assert str(err).endswith("; and 3 more")


def test_missing_unknown_and_repeated_columns_are_row_one() -> None:
    head = ["case_ref", "crn", "Gendr", "sample", "sentence_type", "rosh"]
    err = refused(csv_bytes([head, ["A1", "A1", "male", "supervision", "community", "low"]]))
    assert err.problems[0] == (1, "columns A and B are both case_ref")
    assert err.problems[1][0] == 1
    assert err.problems[1][1].startswith("column C heading 'Gendr' is not a known column (")
    assert err.problems[2] == (1, "missing column gender")
    assert len(err.problems) == 3
    assert str(err).startswith("1 row has problems; nothing imported: row 1: columns A and B")


def test_a_value_under_no_heading_is_refused() -> None:
    head = [*HEAD[:2], "", *HEAD[2:]]
    rows = [head, [*good("A1")[:2], "", *good("A1")[2:]],
            [*good("A2")[:2], "stray", *good("A2")[2:]],
            [*good("A3")[:2], "", *good("A3")[2:], "", "extra"]]
    err = refused(csv_bytes(rows))
    assert err.problems == [(3, "column C has a value but no heading"),
                            (4, "column K has a value but no heading")]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty"),
    (b"  \r\n\r\n", "the file is empty"),
    (b"\xef\xbb\xbf", "the file has no heading row: it holds no text"),
    (b",,,\r\n,\r\n", "the file has no heading row: it holds no text"),
    (b"case_ref,sample,gender,sentence_type,rosh\r\n", "the file has a heading row but no cases"),
])
def test_empty_files(data: bytes, reason: str) -> None:
    err = refused(data)
    assert err.problems == [(0, reason)]
    assert str(err) == f"nothing imported: {reason}"


def test_too_many_rows() -> None:
    err = refused(csv_bytes([HEAD, *(good(f"A{i}") for i in range(MAX_ROWS + 1))]))
    assert err.problems == [(0, "the file has 2,001 cases; at most 2,000 can be imported at once")]


def test_too_large_a_file() -> None:
    assert refused(b"x" * (10 * 1024 * 1024 + 1)).problems == [
        (0, "the file is larger than 10 MB: is it the selected sample?")]


def test_exactly_the_maximum_is_accepted() -> None:
    assert len(read_sample_bytes(csv_bytes([HEAD, *(good(f"A{i}") for i in range(MAX_ROWS))]),
                                 NPS)) == MAX_ROWS


def test_too_many_columns() -> None:
    wide = [*HEAD, *(f"extra{i}" for i in range(60))]
    assert refused(csv_bytes([wide, good("A1")])).problems == [
        (0, "the file has more than 60 columns")]
    assert refused(xlsx_bytes([HEAD, [*good("A1"), *([""] * 52), "far out"]])).problems == [
        (0, "the file has more than 60 columns")]


def test_long_cells_control_characters_and_leading_equals() -> None:
    rows = [HEAD, good("A1", office="x" * 201), good("A2", person_name="Al\x07ex"),
            good("=HYPERLINK(1)"), good("A4", practitioner="x" * 200)]
    err = refused(csv_bytes(rows))
    assert err.problems == [(2, "office is longer than 200 characters"),
                            (3, "person_name contains control characters"),
                            (4, "case_ref starts with '=' (a formula?)")]


def test_xlsx_formula_without_saved_value_is_refused() -> None:
    err = refused(xlsx_bytes([HEAD, good("A1"), ["=A2", *good()[1:]], good("A3", rosh="=B1")]))
    assert err.problems == [
        (3, "case_ref is a formula with no saved value (save the file in Excel, or paste values)"),
        (4, "rosh is a formula with no saved value (save the file in Excel, or paste values)"),
    ]


def test_csv_that_is_not_utf8() -> None:
    data = "case_ref,person_name\r\nX1,Zoë\r\n".encode("cp1252")
    err = refused(data)
    assert err.problems[0][0] == 0
    assert "not UTF-8" in str(err)


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,  # an old .xls
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"PK\x03\x04 not really a zip",
    b"case_ref,sample\x00\r\n",
])
def test_not_csv_or_xlsx_by_content(data: bytes) -> None:
    err = refused(data)
    assert "neither a CSV nor an XLSX" in str(err)


def test_zip_that_is_not_a_workbook() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<office:document/>")  # an .ods, say
    assert "neither a CSV nor an XLSX" in str(refused(buf.getvalue()))


def test_broken_workbook_is_a_sample_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<not-a-workbook")
    assert "workbook cannot be read" in str(refused(buf.getvalue()))


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(SampleError, match=r"missing\.csv: no such file"):
        read_sample(tmp_path / "missing.csv", NPS)


# -- DIPP sample rules (002 §4.1) are advice, not refusal -------------------------------------

def test_dipp_advisories() -> None:
    head = ["case_ref", "pdu", "practitioner", "sample", "gender", "rosh", "reset_impact",
            "pre_sentence_report"]
    facts = ["community", "male", "low", "not_applied", "none"]
    rows = [head, *(["N" + str(i), "North", f"P{i}", *facts] for i in range(5)),
            ["S1", "South", "P1", *facts], ["S2", "South", "Q", *facts]]
    got = read_sample_bytes(csv_bytes(rows), DIPP)
    assert sample_advisories(got, DIPP) == [
        "PDU South has 2 cases; DIPP samples at least five from each PDU",
        "rows 3, 7 have the same practitioner; DIPP samples at most one case each",
    ]
    assert sample_advisories(read_sample(SAMPLES / "nps_sample.csv", NPS), NPS) == []


# -- never anything but rows or SampleError --------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_rows_or_sample_error(text: str) -> None:
    try:
        read_sample_bytes(text.encode("utf-8"), NPS)
    except SampleError as e:
        assert len(str(e).splitlines()) == 1


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_are_rows_or_sample_error(data: bytes) -> None:
    try:
        read_sample_bytes(data, NPS)
    except SampleError as e:
        assert len(str(e).splitlines()) == 1


CELLS = st.one_of(st.sampled_from(["", "male", "Female", "low", "Very high", "community",
                                   "supervision", "=1", "x" * 201, "A1"]), st.text(max_size=8))


@settings(max_examples=200, deadline=None)
@given(head=st.lists(st.one_of(st.sampled_from([*HEAD, "crn", "Gender", "notes"]),
                               st.text(max_size=6)), min_size=0, max_size=10),
       body=st.lists(st.lists(CELLS, max_size=10), max_size=6),
       delimiter=st.sampled_from([",", ";"]), bom=st.booleans())
def test_any_table_is_clean_rows_or_sample_error(head: list[str], body: list[list[str]],
                                                 delimiter: str, bom: bool) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + csv_bytes([head, *body], delimiter)
    try:
        rows = read_sample_bytes(data, NPS)
    except SampleError as e:
        assert e.problems
        assert len(str(e).splitlines()) == 1
        return
    assert len({r.case_ref.casefold() for r in rows}) == len(rows)
    for r in rows:
        assert r.case_ref
        assert set(r.facts) == {f.id for f in NPS.case_facts}
        assert all(v in NPS.fields_by_id[k].values for k, v in r.facts.items())
