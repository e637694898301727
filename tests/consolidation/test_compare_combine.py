"""Comparison with a previous inspection or an aggregate (000_ §7.3), and combine."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hmip_desktop.cli.main import main
from hmip_desktop.consolidation.compare import compare, two_proportion_test
from hmip_desktop.consolidation.counts_files import read_counts
from hmip_desktop.consolidation.export import ratings_json, write_csv, write_workbook
from hmip_desktop.consolidation.national import combine, write_national
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.suppression import REASONS, SMALL, reason_text
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, worked_cases
from tests.consolidation.test_suppression_property import readings
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION

NOW = {"2.3.1": (95, 35, 0), "2.3.2": (86, 44, 0), "2.3.3": (60, 35, 35)}
BEFORE = {"2.3.1": (70, 50, 0), "2.3.2": (86, 44, 0), "2.3.3": (50, 40, 40)}


def _nps(ws: Workspace, per_kq: dict[str, tuple[int, int, int]], org: str = "Demo PDU") -> str:
    return add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", per_kq,
                                                          NPS_SUPERVISION, LOW_ROSH),
                          organisation=org).iid


def test_the_z_test_matches_a_hand_computed_example() -> None:
    # 95 of 130 now, 70 of 120 before: pooled p = 165/250 = 0.66,
    # se = sqrt(0.66 × 0.34 × (1/130 + 1/120)) = 0.059968, z = (0.730769 − 0.583333) / se
    # = 2.4586, two-sided p = 2 × (1 − Φ(2.4586)) = 0.01395.
    z, p = two_proportion_test(95, 130, 70, 120)
    assert z == pytest.approx(2.4586, abs=1e-4)
    assert p == pytest.approx(0.01395, abs=1e-5)
    # 60 of 95 against 50 of 90: z = 1.0527, p = 0.2925 (not significant)
    z, p = two_proportion_test(60, 95, 50, 90)
    assert (round(z, 4), round(p, 4)) == (1.0527, 0.2925)
    assert two_proportion_test(5, 5, 7, 7) == (0.0, 1.0)
    assert two_proportion_test(40, 100, 60, 100)[0] < 0


@pytest.mark.parametrize("kind", ["json", "csv", "xlsx"])
def test_comparison_with_the_previous_inspections_own_export(ws: Workspace, tmp_path: Path,
                                                             kind: str) -> None:
    old, new = _nps(ws, BEFORE), _nps(ws, NOW)
    path = tmp_path / f"previous.{kind}"
    if kind == "json":
        path.write_text(json.dumps(ratings_json(ws, old)))
    elif kind == "csv":
        write_csv(ws, old, path)
    else:
        write_workbook(ws, old, path)
    rows = {r.kq_id: r for r in compare(consolidate(ws, new), path)}
    r = rows["2.3.1"]
    assert (r.previous_yes, r.previous_n, r.previous_percent, r.current_percent, r.change) == (
        70, 120, 58, 73, 15)
    assert r.p_value == pytest.approx(math.erfc(2.4586 / math.sqrt(2)), abs=1e-4)
    assert r.flagged
    same = rows["2.3.2"]
    assert (same.change, same.p_value, same.flagged) == (0, pytest.approx(1.0), False)
    sub = rows["2.3.3"]
    assert (sub.previous_percent, sub.current_percent, sub.flagged) == (56, 63, False)
    none = rows["2.1.1"]
    assert (none.previous_percent, none.current_percent, none.p_value, none.flagged) == (
        None, None, None, False)
    # the same with the contract dicts the GUI holds
    assert compare(ratings_json(ws, new), ratings_json(ws, old))[6].p_value == r.p_value


def test_comparison_with_an_aggregate_file(ws: Workspace, tmp_path: Path) -> None:
    new = _nps(ws, NOW)
    agg = tmp_path / "aggregate.csv"
    agg.write_text("kq_id,yes,no,note\n2.3.1,300,100,first round\n2.3.1,20,80,\n"
                   "2.3.3,500,500,\n", encoding="utf-8")
    rows = {r.kq_id: r for r in compare(consolidate(ws, new), agg)}
    assert (rows["2.3.1"].previous_yes, rows["2.3.1"].previous_n) == (320, 500)
    assert rows["2.3.1"].previous_percent == 64
    assert rows["2.3.3"].previous_percent == 50 and rows["2.3.3"].flagged  # 63% of 95 vs 50%
    assert rows["2.3.2"].previous_percent is None


@pytest.mark.parametrize(("content", "message"), [
    ("kq_id,yes\n2.3.1,4\n", "no 'no' column"),
    ("kq_id,yes,no\n2.3.1,four,1\n", "row 2: 'four' is not a whole number"),
    ("kq_id,yes,no\n2.3.1,-1,1\n", "row 2: '-1' is not a whole number"),
    ("kq_id,yes,no\n9.9.9,1,1\n", "share no key question"),
    ("{\"framework\": {}, \"key_questions\": []}", "not a ratings export"),
    ("{\"framework\": {}, \"key_questions\": {\"2.3.1\": {\"yes\": 1.5, \"no\": 0}}}",
     "key question 2.3.1: 1.5 is not a whole number"),
    ("{not json", "not valid JSON at line 1"),
    ("", "empty file"),
])
def test_a_malformed_previous_file_is_one_line(ws: Workspace, tmp_path: Path, content: str,
                                               message: str) -> None:
    new = consolidate(ws, _nps(ws, NOW))
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConsolidationError, match=message) as e:
        compare(new, path)
    assert "\n" not in str(e.value)


def test_a_file_that_is_not_there_or_not_text(ws: Workspace, tmp_path: Path) -> None:
    new = consolidate(ws, _nps(ws, NOW))
    with pytest.raises(ConsolidationError, match="no such file"):
        compare(new, tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConsolidationError, match="not UTF-8 text"):
        compare(new, tmp_path / "bin.csv")
    (tmp_path / "zip.xlsx").write_bytes(b"PK\x03\x04broken")
    with pytest.raises(ConsolidationError, match="not a readable workbook"):
        compare(new, tmp_path / "zip.xlsx")


def test_combine_merges_inspections_into_a_national_table(ws: Workspace, tmp_path: Path) -> None:
    a, b, c = (_nps(ws, NOW, "North division"), _nps(ws, BEFORE, "South division"),
               _nps(ws, NOW, "West division"))
    write_csv(ws, a, tmp_path / "a.csv")
    write_workbook(ws, b, tmp_path / "b.xlsx")
    (tmp_path / "c.json").write_text(json.dumps(ratings_json(ws, c)))
    table = combine([tmp_path / "a.csv", tmp_path / "b.xlsx", tmp_path / "c.json"])
    assert table.framework_id == "nps-2019-20"
    assert sorted(i for _f, i in table.sources) == sorted([a, b, "c"])
    totals = {r[2]: r for r in table.totals}
    assert totals["2.3.1"][4:] == (3, 95 + 70 + 95, 35 + 50 + 35, 0, 380, 68)
    assert totals["2.3.3"][5:8] == (60 + 50 + 60, 35 + 40 + 35, 35 + 40 + 35)  # 130 cases each
    out = write_national(table, tmp_path / "national.csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    north = {r["kq_id"]: r for r in rows if r["inspection_id"] == a}
    assert (north["2.3.1"]["organisation"], north["2.3.1"]["yes"], north["2.3.1"]["percent"]) == (
        "North division", "95", "73")
    # the national table is itself an aggregate file and can be combined again
    again = read_counts(out).totals()
    assert again["2.3.1"] == (260, 120, 0)
    xlsx = write_national(table, tmp_path / "national.xlsx")
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["National table", "Totals", "Sources"]
    wb.close()


def test_combine_refuses_duplicates_and_mixed_frameworks(ws: Workspace, tmp_path: Path) -> None:
    a = _nps(ws, NOW)
    write_csv(ws, a, tmp_path / "a.csv")
    write_csv(ws, a, tmp_path / "a-again.csv")
    with pytest.raises(ConsolidationError, match=f"inspection {a} is in both a.csv and "
                       "a-again.csv"):
        combine([tmp_path / "a.csv", tmp_path / "a-again.csv"])
    crc = add_inspection(ws, "crc-2019-20", worked_cases(
        "crc-2019-20", {"2.1.1": (3, 1, 0)}, {**NPS_SUPERVISION, "sentence_type": "community"},
        {})).iid
    write_csv(ws, crc, tmp_path / "crc.csv")
    with pytest.raises(ConsolidationError, match="different frameworks"):
        combine([tmp_path / "a.csv", tmp_path / "crc.csv"])
    with pytest.raises(ConsolidationError, match=r"as \.csv or \.xlsx"):
        write_national(combine([tmp_path / "a.csv"]), tmp_path / "out.txt")


def test_a_workbook_with_an_xml_bomb_is_refused_in_one_line(tmp_path: Path) -> None:
    """Workbooks from outside are parsed with defusedxml: entity expansion is refused."""
    import zipfile  # noqa: PLC0415

    from openpyxl import Workbook  # noqa: PLC0415

    plain = tmp_path / "plain.xlsx"
    book = Workbook()
    book.active.title = "Key questions"
    book.create_sheet("Inspection")
    book.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + ']>')
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.decode("utf-8")
                body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
                # declared, never used: well-formed XML that only defusedxml refuses
                data = (laughs + body).encode()
            dst.writestr(item, data)
    with pytest.raises(ConsolidationError) as info:
        read_counts(bomb)
    assert "not a readable workbook" in str(info.value) and "\n" not in str(info.value)


def test_combine_publishable_hides_small_cells_so_no_total_gives_them_away(
        ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The national table for publication: aggregates by organisation under the framework's
    rule; the internal table keeps every count. No hidden cell can be worked out from the
    total and the cells shown."""
    small = {"2.3.1": (3, 0, 0), "2.3.2": (2, 1, 0)}
    middle = {"2.3.1": (10, 6, 0), "2.3.2": (12, 4, 0)}
    large = {"2.3.1": (20, 5, 0), "2.3.2": (2, 2, 21)}
    ids = [_nps(ws, per_kq, org) for per_kq, org in ((small, "North division"),
                                                     (middle, "South division"),
                                                     (large, "West division"))]
    files = []
    for n, iid in enumerate(ids):
        write_csv(ws, iid, tmp_path / f"in-{n}.csv")
        files.append(str(tmp_path / f"in-{n}.csv"))
    internal = tmp_path / "internal.csv"
    assert main(["combine", *files, "--out", str(internal)]) == 0
    north = [r for r in csv.DictReader(io.StringIO(internal.read_text("utf-8-sig")))
             if r["organisation"] == "North division"]
    assert {r["kq_id"]: r["n"] for r in north}["2.3.1"] == "3"  # never suppressed
    capsys.readouterr()

    out = tmp_path / "published.csv"
    assert main(["combine", *files, "--out", str(out), "--publishable", "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["inspections"] == 3 and said["suppressed"] > 0
    text = out.read_text("utf-8-sig")
    assert not any(i in text for i in ids) and "in-0.csv" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    t = 5
    why = {reason_text(r, t): r for r in REASONS}  # each hidden cell's note says why
    for kq in ("2.3.1", "2.3.2"):
        line = [r for r in rows if r["Key question"] == kq]
        groups, total = line[:-1], line[-1]
        assert [r["Organisation"] for r in groups] == ["North division", "South division",
                                                       "West division"]
        assert total["Organisation"] == "All inspections" and total["Answered"].isdigit()
        shown = [int(r["Answered"]) if r["Answered"].isdigit() else None for r in groups]
        reasons = [None if r["Answered"].isdigit() else why[r["Note"]] for r in groups]
        assert SMALL in reasons  # North's three cases, or three answered of 2.3.2
        for r, reason in zip(groups, reasons, strict=True):
            if reason is None:
                assert r["Note"] == ""
            else:
                assert r["Yes"] == r["Answered"] == ("<5" if reason == SMALL else "[withheld]")
        possible = readings(shown, reasons, int(total["Answered"]), None, t)
        for i, reason in enumerate(reasons):
            if reason is not None:
                assert len({p[i] for p in possible}) >= 2, (kq, i)
    # 2.3.1: North's 3 is small, so South's 16 (the smallest other) is withheld with it
    first = {r["Organisation"]: r["Answered"] for r in rows if r["Key question"] == "2.3.1"}
    assert first == {"North division": "<5", "South division": "[withheld]",
                     "West division": "25", "All inspections": "44"}
    with pytest.raises(ConsolidationError):  # the published table is no input to combine
        combine([out])

    book = tmp_path / "published.xlsx"
    assert main(["combine", *files, "--out", str(book), "--publishable"]) == 0
    assert "cells suppressed" in capsys.readouterr().out
    wb = load_workbook(book, read_only=True)
    assert wb.sheetnames == ["About", "National table"]
    about = [str(v) for row in wb["About"].iter_rows(values_only=True) for v in row if v]
    assert any(v.startswith("Cells of fewer than 5 cases") for v in about)
    wb.close()
