"""The workbook read back equals the data; formulas neutralised; CSV; the ratings JSON."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hmip_desktop.consolidation.cells import FORMULA_START, safe
from hmip_desktop.consolidation.export import (
    KQ_CSV_COLUMNS,
    SHEETS,
    ratings_json,
    write_csv,
    write_workbook,
)
from hmip_desktop.consolidation.panel import (
    add_recommendation,
    record_panel_decision,
    set_lead_rating,
    set_recommendation_progress,
)
from hmip_desktop.consolidation.summary import panel_summary_html
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import service
from hmip_desktop.frameworks import load_framework
from hmip_desktop.rules.ratings_report import flag_text
from hmip_desktop.rules.ratings_report import ratings_json as contract_json
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import capitalised
from tests.consolidation.builders import Case, add_inspection, generated_cases, worked_cases
from tests.consolidation.test_panel import SECOND
from tests.consolidation.test_tables import LOW_ROSH, NPS_SUPERVISION
from tests.exchange.conftest import NAMES, Env

NASTY = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
         "\t=1+1", "\r=cmd|' /C calc'!A0"]


def _sheet(path: Path, name: str) -> list[list[object]]:
    wb = load_workbook(path)
    try:
        return [list(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_safe_neutralises_each_formula_start() -> None:
    for text in NASTY:
        assert safe(text) == "'" + text
    assert safe("a = b") == "a = b"
    assert safe(-3) == -3
    assert safe(None) is None
    assert safe("bell\x07") == "bell"


def test_the_workbook_read_back_equals_the_data(ws: Workspace, tmp_path: Path) -> None:
    fw = load_framework("nps-2019-20")
    cases = generated_cases(fw, random.Random(11), 40)
    built = add_inspection(ws, fw.id, cases)
    set_lead_rating(ws, built.iid, "1.1", "good", evidence="Clear vision.",
                    characteristics=["open and transparent"])
    add_recommendation(ws, built.iid, "Improve risk assessments.")
    set_recommendation_progress(ws, built.iid, 1, "insufficient", "Little change.")
    c = consolidate(ws, built.iid)
    out = write_workbook(ws, built.iid, tmp_path / "data.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == list(SHEETS)
    wb.close()

    kq = _sheet(out, "Key questions")
    assert kq[0][:8] == ["Standard", "Standard title", "Key question", "Text", "Yes", "No",
                         "Not applicable", "Answered"]
    assert [(r[0], r[2], r[4], r[5], r[6], r[7], r[8], r[9]) for r in kq[1:]] == [
        (t.standard_id, r.kq_id, r.yes, r.no, r.na, r.n, r.percent, r.no_percent)
        for t in c.tables for r in t.rows]
    assert [r[11] for r in kq[1:]] == [
        "question not applicable for all cases" if r.subsample else None
        for t in c.tables for r in t.rows]

    answers = _sheet(out, "Answers")
    header = answers[0]
    by_ref = {r[0]: dict(zip(header, r, strict=True)) for r in answers[1:]}
    assert len(by_ref) == len(cases)
    for n, case in enumerate(cases):
        row = by_ref[f"C{n:04d}"]
        for key in header[header.index("Counted") + 1:]:
            assert row[key] == case.items.get(str(key)), (n, key)
        for f in fw.case_facts:
            assert row[f.id] == case.facts[f.id]
        assert (row["PDU"], row["Team"]) == (case.pdu, case.team)
    assert sum(1 for r in by_ref.values() if r["Counted"] == "yes") == c.cases

    ratings = _sheet(out, "Ratings")
    got = {r[0]: r for r in ratings[1:] if r and r[0] in fw.standards_by_id}
    for t in c.tables:
        assert got[t.standard_id][11] == (None if t.rating is None else
                                          {"good": "Good", "outstanding": "Outstanding",
                                           "inadequate": "Inadequate",
                                           "requires_improvement": "Requires improvement"}
                                          [t.rating])
        # the flags in words, never their keys
        assert got[t.standard_id][4] == ("; ".join(
            capitalised(flag_text(f)) for f, _w in t.discretion) or None)
        assert "_" not in (got[t.standard_id][4] or "")

    facts = dict((r[0], r[1]) for r in _sheet(out, "Inspection"))
    assert facts["Inspection id"] == built.iid
    assert facts["Framework hash"] == fw.hash
    assert facts["Cases counted"] == c.cases
    assert facts["Cases in the sample"] == len(cases)
    assert (facts["Panel sat on"], facts["Panel chair"], facts["Panel members"],
            facts["Panel note-taker"]) == ("2026-12-03", "Dana Whitlock",
                                           "Lena Ashgrove, Priya Okafor", "Sam Ellery")

    d1 = _sheet(out, "Domain one")
    assert d1[1][:4] == ["1.1", "Good", "Clear vision.", "open and transparent"]
    assert d1[2][:3] == ["Recommendation 1: Improve risk assessments.", "insufficient",
                         "Little change."]


def test_every_text_a_person_typed_is_neutralised(ws: Workspace, tmp_path: Path) -> None:
    items = {"record:conflict_declared": "no", "record:excluded": "no", "2.1.1": "yes"}
    cases = [Case(NPS_SUPERVISION, items, pdu=NASTY[1], team=NASTY[3])]
    built = add_inspection(ws, "nps-2019-20", cases, title=NASTY[0], organisation=NASTY[2])
    set_lead_rating(ws, built.iid, "1.1", "good", evidence="=1+2",
                    characteristics=["-solely reactive"])
    add_recommendation(ws, built.iid, "@recommendation")
    set_recommendation_progress(ws, built.iid, 1, "none", "+note")
    out = write_workbook(ws, built.iid, tmp_path / "nasty.xlsx")
    wb = load_workbook(out)
    seen = 0
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), cell.value
                    seen += cell.value.startswith("'")
    wb.close()
    assert seen >= 7  # title, organisation, PDU, team, evidence, characteristic, note
    facts = dict((r[0], r[1]) for r in _sheet(out, "Inspection"))
    assert facts["Title"] == "'" + NASTY[0]
    assert facts["Organisation"] == "'" + NASTY[2]
    text = (write_csv(ws, built.iid, tmp_path / "nasty.csv")).read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(KQ_CSV_COLUMNS)
    assert {r[1] for r in rows[1:]} == {"'" + NASTY[2]}
    html = panel_summary_html(ws, built.iid)
    assert "<script" not in html.lower()
    assert "HYPERLINK(&quot;http://example.invalid&quot;" in html


def test_csv_and_ratings_json_match_the_consolidation(ws: Workspace, tmp_path: Path) -> None:
    built = add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", SECOND,
                                                           NPS_SUPERVISION, LOW_ROSH))
    record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="good",
                          reason="Two cases short.")
    c = consolidate(ws, built.iid)
    data = ratings_json(ws, built.iid)
    assert data == contract_json(c.ratings)
    assert data["standards"]["2.3"]["rating"] == "good"
    assert data["standards"]["2.3"]["provisional_rating"] == "requires_improvement"
    assert json.loads(json.dumps(data)) == data
    rows = list(csv.DictReader(io.StringIO(
        write_csv(ws, built.iid, tmp_path / "kq.csv").read_text("utf-8-sig"))))
    assert [(r["kq_id"], int(r["yes"]), int(r["no"]), int(r["na"])) for r in rows] == [
        (r.kq_id, r.yes, r.no, r.na) for t in c.tables for r in t.rows]
    got = {r["kq_id"]: r for r in rows}
    assert (got["2.3.3"]["percent"], got["2.3.3"]["band"]) == ("63", "requires_improvement")
    assert got["2.1.1"]["percent"] == ""


def test_the_panel_summary_shows_decisions_flags_and_overall(ws: Workspace) -> None:
    built = add_inspection(ws, "nps-2019-20", worked_cases("nps-2019-20", SECOND,
                                                           NPS_SUPERVISION, LOW_ROSH))
    record_panel_decision(ws, built.iid, "2.3", decision="vary", rating="good",
                          reason="Shortfall of <two> cases & close to 65%.")
    add_recommendation(ws, built.iid, "Improve supervision.")
    html = panel_summary_html(ws, built.iid)
    assert "varied: Shortfall of &lt;two&gt; cases &amp; close to 65%." in html
    assert "2.3.3 is 63% (60 of 95), within 5 percentage points" in html
    assert "Overall rating: none yet (no rating yet for standards 1.1, 1.2, 1.3, 1.4, 2.1" in html
    assert "Improve supervision." in html and "not yet judged" in html
    assert "<script" not in html and "http" not in html


def test_provenance_lists_every_bundle_behind_the_figures(answered_env: Env,
                                                          tmp_path: Path) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    service.import_file(lead, env.bundle("a2-1.hmipb"))
    out = write_workbook(lead, team.iid, tmp_path / "prov.xlsx")
    rows = _sheet(out, "Provenance")
    header = rows[0]
    got = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    sources = {r[0]: r for r in lead._conn.execute(
        "SELECT c.case_ref, s.bundle_hash, s.sequence, s.revision, s.content_hash"
        " FROM case_sources s JOIN cases c ON c.id = s.case_id")}
    assert sorted(g["Case"] for g in got) == sorted(sources) == [
        "RT-101", "RT-102", "RT-201", "RT-202"]
    fw = lead.inspection_framework(team.iid)
    for g in got:
        _ref, bundle, seq, rev, digest = sources[str(g["Case"])]
        who = "a1" if str(g["Case"]).startswith("RT-1") else "a2"
        assert (g["Sender"], g["Sender fingerprint"], g["Bundle (SHA-256)"],
                g["Bundle sequence"], g["Revision"], g["Content hash"]) == (
            NAMES[who], team.fingerprint(who), bundle, seq, rev, digest)
        assert (g["QA state"], g["Framework version"], g["Framework hash"]) == (
            "none", fw.version, fw.hash)


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_exports_go_to_an_existing_folder_only(ws: Workspace, tmp_path: Path,
                                               name: str) -> None:
    built = add_inspection(ws, "nps-2019-20", [])
    from hmip_desktop.errors import UserError  # noqa: PLC0415

    with pytest.raises(UserError, match="no such folder"):
        (write_workbook if name.endswith("xlsx") else write_csv)(
            ws, built.iid, tmp_path / "missing" / name)
    assert not (tmp_path / "missing").exists()


def test_a_workbook_written_in_welsh_has_welsh_labels_and_combines_as_the_english_one(
        ws: Workspace, tmp_path: Path) -> None:
    """Issue 18: labels in the language chosen, data language-neutral, read back the same."""
    from hmip_desktop import i18n  # noqa: PLC0415
    from hmip_desktop.consolidation.counts_files import read_counts  # noqa: PLC0415

    fw = load_framework("nps-2019-20")
    built = add_inspection(ws, fw.id, generated_cases(fw, random.Random(12), 30))
    english = write_workbook(ws, built.iid, tmp_path / "data.xlsx")
    with i18n.speaking("cy") as language:
        assert language == "cy"
        welsh_names = [i18n._(name) for name in SHEETS]
        welsh = write_workbook(ws, built.iid, tmp_path / "data-cy.xlsx")
    wb = load_workbook(welsh)
    assert wb.sheetnames == welsh_names and "Cwestiynau allweddol" in welsh_names
    wb.close()
    assert _sheet(welsh, "Cwestiynau allweddol")[1][2] == _sheet(english, "Key questions")[1][2]
    facts = {r[0]: r[1] for r in _sheet(welsh, "Arolygiad")}
    assert built.iid in facts.values() and "Inspection id" not in facts
    read_en, read_cy = read_counts(english), read_counts(welsh)
    assert read_cy.totals() == read_en.totals() and read_cy.totals()
    (en,), (cy,) = read_en.inspections, read_cy.inspections
    assert (cy.inspection_id, cy.framework_hash, cy.organisation) == (
        en.inspection_id, en.framework_hash, en.organisation)
