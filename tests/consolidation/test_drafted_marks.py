"""Key questions the product drafted are marked in the exports and the printed tables."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from openpyxl import load_workbook

from hmip_desktop.consolidation.export import write_csv, write_workbook
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.consolidation.text import consolidation_text
from hmip_desktop.frameworks import load_framework
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, generated_cases

WORDS = "Drafted for this product — check against the current CARaG"


def youth(ws: Workspace) -> str:
    fw = load_framework("youth-2019-20")
    return add_inspection(ws, fw.id, generated_cases(fw, random.Random(12), 20),
                          title="Demo Shire YOS").iid


def drafted_kqs() -> dict[str, bool]:
    fw = load_framework("youth-2019-20")
    return {k.id: k.drafted for k in fw.case_key_questions()}


def test_csv_has_a_drafted_column_with_the_words(ws: Workspace, tmp_path: Path) -> None:
    iid = youth(ws)
    rows = list(csv.DictReader(io.StringIO(
        write_csv(ws, iid, tmp_path / "kq.csv").read_text("utf-8-sig"))))
    flags = drafted_kqs()
    assert any(flags.values()) and not all(flags.values())
    assert {r["kq_id"]: r["drafted"] for r in rows} == {
        k: WORDS if d else "" for k, d in flags.items()}


def test_workbook_key_questions_sheet_marks_drafted_text(ws: Workspace, tmp_path: Path) -> None:
    iid = youth(ws)
    out = write_workbook(ws, iid, tmp_path / "book.xlsx")
    wb = load_workbook(out)
    try:
        rows = [list(r) for r in wb["Key questions"].iter_rows(values_only=True)]
    finally:
        wb.close()
    column = rows[0].index("Drafted text")
    assert {r[2]: r[column] for r in rows[1:]} == {
        k: WORDS if d else None for k, d in drafted_kqs().items()}


def test_printed_tables_mark_drafted_key_questions(ws: Workspace) -> None:
    iid = youth(ws)
    lines = consolidation_text(consolidate(ws, iid)).splitlines()
    for kq_id, drafted in drafted_kqs().items():
        at = next(i for i, ln in enumerate(lines) if ln.startswith(f"  {kq_id} "))
        block = [lines[at]]  # the question, with the lines it wraps onto
        for ln in lines[at + 1:]:
            if not ln.startswith(" " * 8):
                break
            block.append(ln)
        assert ("[drafted]" in " ".join(block)) == drafted, block
    assert f"[drafted] {WORDS}" in lines
