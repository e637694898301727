"""The key-question table per PDU with the region (issue 19 point 4): each PDU's column is the
tables filtered to that PDU, the region's is the unfiltered tables, cell by cell; a case with no
PDU has a column of its own; ``pdu-tables`` prints the same."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.pdu_tables import NOT_RECORDED, pdu_tables
from hmip_desktop.consolidation.tables import Filters, consolidate
from hmip_desktop.frameworks import load_framework
from tests.cli_helpers import run_cli
from tests.consolidation.builders import (
    PASSPHRASE,
    add_inspection,
    generated_cases,
    lead_workspace,
)


def _rows(c: object) -> list[tuple[str, int, int, int]]:
    return [(r.kq_id, r.yes, r.no, r.na) for t in c.tables for r in t.rows]  # type: ignore[attr-defined]


def _column(t: object, i: int) -> list[tuple[str, int, int, int]]:
    return [(r.kq_id, r.cells[i].yes, r.cells[i].no, r.cells[i].na) for r in t.rows]  # type: ignore[attr-defined]


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 40), rule=st.sampled_from([None, PROVISIONAL]))
def test_each_pdu_column_is_the_tables_filtered_to_it_and_the_region_is_all(
        tmp_path_factory: pytest.TempPathFactory, seed: int, n: int, rule: object) -> None:
    ws = lead_workspace(tmp_path_factory.mktemp("lead"))
    try:
        fw = load_framework("dipp-2025")
        b = add_inspection(ws, "dipp-2025", generated_cases(fw, random.Random(seed), n))
        kwargs = {"rule": rule} if rule is not None else {}
        t = pdu_tables(ws, b.iid, **kwargs)  # type: ignore[arg-type]
        whole = consolidate(ws, b.iid, None, **kwargs)  # type: ignore[arg-type]
        assert list(t.pdus) == sorted(t.pdus)
        assert _column(t, len(t.pdus)) == _rows(whole)
        assert t.cases[-1] == whole.cases == sum(t.cases[:-1])
        for i, pdu in enumerate(t.pdus):
            part = consolidate(ws, b.iid, Filters(pdu=pdu), **kwargs)  # type: ignore[arg-type]
            assert _column(t, i) == _rows(part), pdu
            assert t.cases[i] == part.cases
        assert t.provisional_mark == whole.provisional_mark
    finally:
        ws.close()


def test_a_case_without_its_pdu_is_counted_under_pdu_not_recorded(tmp_path: Path) -> None:
    fw = load_framework("dipp-2025")
    cases = generated_cases(fw, random.Random(3), 30)
    for c in cases[:4]:
        c.pdu = ""
    ws = lead_workspace(tmp_path / "lead")
    b = add_inspection(ws, "dipp-2025", cases)
    t = pdu_tables(ws, b.iid, PROVISIONAL)
    assert t.pdus[-1] == NOT_RECORDED and t.pdus[:-1] == tuple(sorted(t.pdus[:-1]))
    assert t.cases[-1] == sum(t.cases[:-1])
    ws.close()


def test_the_cli_prints_the_pdus_side_by_side_with_the_region(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    fw = load_framework("dipp-2025")
    ws = lead_workspace(tmp_path / "lead")
    b = add_inspection(ws, "dipp-2025", generated_cases(fw, random.Random(5), 40))
    expected = pdu_tables(ws, b.iid)
    ws.close()
    code, out, err = run_cli(capsys, "pdu-tables", "--json", "--workspace", str(tmp_path / "lead"))
    assert code == 0, err
    got = json.loads(out)
    assert got["pdus"] == list(expected.pdus) and got["cases"] == list(expected.cases)
    first = got["rows"][0]
    assert first["key_question"] == "2.1.1"
    assert [c["yes"] for c in first["cells"]] == [c.yes for c in expected.rows[0].cells]
    code, out, err = run_cli(capsys, "pdu-tables", "--workspace", str(tmp_path / "lead"))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Counted cases: East PDU ") and "; Region " in lines[0]
    assert lines[1].startswith("2.1.1 Does assessment focus sufficiently on keeping other")
    cell = expected.rows[0].cells[-1]
    assert lines[1 + len(expected.columns)] == (
        f"  Region: {cell.percent}% ({cell.yes} of {cell.n})")


def test_an_unknown_inspection_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws = lead_workspace(tmp_path / "lead")
    add_inspection(ws, "dipp-2025", [])
    ws.close()
    code, out, err = run_cli(capsys, "pdu-tables", "--inspection", "nope", "--workspace",
                             str(tmp_path / "lead"))
    assert code != 0 and out == "" and err.count("\n") == 1, err
