"""Sub-group tables and the publishable workbook: aggregates only, small cells suppressed."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from hmip_desktop.consolidation.export import PERSONAL_DATA, write_workbook
from hmip_desktop.consolidation.publication import SHEETS, write_publishable_workbook
from hmip_desktop.consolidation.subgroups import subgroup_tables
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.frameworks import load_framework
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.demo import optional_facts
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import generated_cases

NOTE = "Practitioner missed the safeguarding referral on the home visit"
FIRST = ("Ottoline", "Barnaby", "Wilhelmina", "Peregrine", "Clementine", "Ambrose")
LAST = ("Quarrington", "Fettiplace", "Worsborough", "Tangmere", "Ullathorne")
ETHNIC = ("white", "white", "white", "black", "asian", "mixed", "other", "not_recorded")


Rows = list[dict[str, object]]


def _inspection(ws: Workspace, framework: str, n: int, seed: int) -> tuple[str, Rows]:
    rng = random.Random(seed)
    raw = resource("frameworks", f"{framework}.json").read_bytes()
    iid = ws.create_inspection(title="Publication test", organisation="Demo Region",
                               framework_bytes=raw, fieldwork_start="2026-11-23",
                               fieldwork_end="2026-11-27")
    fw = ws.inspection_framework(iid)
    cases = generated_cases(fw, rng, n)
    rows = []
    for i, c in enumerate(cases):
        facts = dict(c.facts)
        facts["ethnicity_group"] = rng.choice(ETHNIC)
        rows.append({"case_ref": f"PUB{i:05d}", "facts": facts, "pdu": c.pdu, "team": c.team,
                     "person_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                     "practitioner": f"{rng.choice(FIRST)} {rng.choice(LAST)}-Officer",
                     "office": "Kestrel House"})
    ids = ws.add_cases(iid, rows)
    kq = fw.case_key_questions()[0].id
    ws.bulk_load_items(
        [(cid, k, v) for cid, c in zip(ids, cases, strict=True) for k, v in c.items.items()]
        + [(cid, f"note:{kq}", f"{NOTE} ({i})") for i, cid in enumerate(ids)])
    with ws.transaction():
        ws._conn.executemany(
            "UPDATE assessments SET status = ?, revision = 1 WHERE case_id = ?",
            [(c.status, cid) for cid, c in zip(ids, cases, strict=True) if c.items])
    return iid, rows


@pytest.fixture(scope="module")
def dipp(ws: Workspace) -> tuple[str, Rows]:
    return _inspection(ws, "dipp-2025", 90, 19)


def test_sub_groups_count_the_counted_cases_and_add_up_to_all_cases(
        ws: Workspace, dipp: tuple[str, Rows]) -> None:
    iid, _rows = dipp
    c = consolidate(ws, iid)
    tables = subgroup_tables(ws, c)
    assert [t.fact_id for t in tables] == ["gender", "age_band", "ethnicity_group", "disability"]
    kq_table = {r.kq_id: r for t in c.tables for r in t.rows}
    for table in tables:
        assert table.counted == c.cases
        assert table.groups[-1][0] == "not_recorded"
        for row in table.rows:
            assert sum(cell.n for cell in row.cells) == row.total.n == kq_table[row.kq_id].n
            assert sum(cell.yes for cell in row.cells) == row.total.yes \
                == kq_table[row.kq_id].yes


def test_the_publishable_workbook_holds_no_case_reference_name_or_note(
        tmp_path: Path, ws: Workspace, dipp: tuple[str, Rows]) -> None:
    iid, rows = dipp
    written = write_publishable_workbook(ws, iid, tmp_path / "published.xlsx")
    book = openpyxl.load_workbook(written.path)
    assert book.sheetnames == [*SHEETS, "PDUs"]  # the generated cases carry their PDUs
    cells = [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    text = "\n".join(cells).casefold()
    forbidden = {str(r["case_ref"]) for r in rows} | {"pub0"}
    forbidden |= {part for r in rows for key in ("person_name", "practitioner")
                  for part in str(r[key]).split()}
    # A PDU's name is the organisation's and is published (the table per PDU); a team's is not.
    forbidden |= {"kestrel house", NOTE, "team a", "lena ashgrove"}
    for word in forbidden:
        assert word.casefold() not in text, word
    assert written.suppressed > 0  # small ethnic groups among 90 cases
    assert "<5" in cells and "[withheld]" in cells
    assert any("fewer than 5 cases" in c for c in cells)


def test_every_hidden_cell_in_the_workbook_carries_its_reason(
        tmp_path: Path, ws: Workspace, dipp: tuple[str, Rows]) -> None:
    iid, _rows = dipp
    book = openpyxl.load_workbook(write_publishable_workbook(ws, iid, tmp_path / "p.xlsx").path)
    for name in ("Key questions", "Prompts", "Sub-groups", "PDUs"):
        rows = list(book[name].iter_rows(values_only=True))
        note = list(rows[0]).index("Note")
        for row in rows[1:]:
            hidden = any(v in ("<5", "[withheld]") for v in row)
            assert bool(row[note]) == hidden, row
    sub = list(book["Sub-groups"].iter_rows(values_only=True))
    shown = [r for r in sub[1:] if isinstance(r[4], int) and r[4] > 0]
    assert all(r[4] >= 5 for r in shown)  # no group of 1 to 4 cases is shown


def test_the_full_workbook_says_it_holds_personal_data_and_shows_every_sub_group(
        tmp_path: Path, ws: Workspace, dipp: tuple[str, Rows]) -> None:
    iid, _rows = dipp
    book = openpyxl.load_workbook(write_workbook(ws, iid, tmp_path / "full.xlsx"))
    first = next(book["Inspection"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first == ("Personal data", PERSONAL_DATA)
    sub = list(book["Sub-groups"].iter_rows(values_only=True))
    assert any(isinstance(r[4], int) and 0 < r[4] < 5 for r in sub[1:])  # nothing hidden


def test_the_demo_fills_the_protected_characteristics_plausibly() -> None:
    fw = load_framework("nps-2019-20")
    rng = random.Random(3)
    drawn = [optional_facts(fw, rng) for _ in range(400)]
    for fid in ("age_band", "ethnicity_group", "disability", "religion"):
        seen = [d[fid] for d in drawn]
        assert "not_recorded" in seen and set(seen) <= set(fw.fields_by_id[fid].values)
    ethnic = [d["ethnicity_group"] for d in drawn]
    assert ethnic.count("white") > len(ethnic) / 2 > ethnic.count("not_recorded")
