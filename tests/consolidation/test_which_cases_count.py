"""Which cases count is a rule you can see; the drill-down from a figure to its cases.

By default only cases marked complete and not excluded count, everywhere; the provisional
rule counts cases in progress too and everything made with it says so; the panel summary and
the workbook refuse it. Every count says what was left out and why, and how many counted
cases the QA partner has signed off.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hmip_desktop import i18n
from hmip_desktop.cli.commands_consolidation import drill_down_json, drill_down_text
from hmip_desktop.consolidation.counting import FINAL, PROVISIONAL
from hmip_desktop.consolidation.drilldown import drill_down, prompt_counts
from hmip_desktop.consolidation.export import SHEETS, write_csv, write_workbook
from hmip_desktop.consolidation.national import combine
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.summary import panel_summary_html
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.consolidation.text import consolidation_text
from hmip_desktop.frameworks import available_frameworks
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli as _run
from tests.consolidation.builders import (
    PASSPHRASE,
    Case,
    add_inspection,
    generated_cases,
    lead_workspace,
)
from tests.consolidation.test_tables import NPS_SUPERVISION

FRAMEWORKS = available_frameworks()

BASE = {"record:conflict_declared": "no", "record:excluded": "no",
        "case:inspector_rosh": "high"}


def _cases() -> list[Case]:
    yes = {**BASE, "2.3.3": "yes", "2.3.3.a": "yes", "2.3.3.b": "yes", "2.3.3.c": "na",
           "note:2.3.3": "Services matched the plan throughout.", "2.1.1": "yes",
           "record:interview_mode": "substitute",
           "record:interview_substitute_role": "line_manager",
           "record:interview_substitute_reason": "The practitioner is on leave.",
           "record:interview_feedback": "substitute"}
    no = {**BASE, "2.3.3": "no", "2.3.3.a": "no", "2.3.3.b": "yes",
          "note:2.3.3": "No work on accommodation.", "2.1.1": "yes"}
    return [
        Case(NPS_SUPERVISION, yes),                                          # C0000
        Case(NPS_SUPERVISION, no),                                           # C0001
        Case(NPS_SUPERVISION, {**no, "note:2.3.3": "Still writing."},
             status="in_progress"),                                          # C0002
        Case(NPS_SUPERVISION, {**yes, "record:excluded": "yes",
                               "record:excluded_reason": "Sentence ended before sampling"}),
        Case(NPS_SUPERVISION, {**BASE, "case:inspector_rosh": "low", "2.1.1": "no"}),  # C0004
    ]


@pytest.fixture(scope="module")
def built(ws: Workspace) -> tuple[str, list[str]]:
    b = add_inspection(ws, "nps-2019-20", _cases())
    robin = ws.add_member(b.iid, name="Robin Example", role="assessor")
    sam = ws.add_member(b.iid, name="Sam Invented", role="assessor")
    for cid, who in zip(b.case_ids, (robin, sam, sam, robin, robin), strict=True):
        ws.assign(cid, who)
    with ws.transaction():
        # C0000 signed off at its revision; C0001's sign-off has lapsed (an older revision).
        ws._conn.execute("UPDATE assessments SET revision = 2 WHERE case_id = ?",
                        (b.case_ids[1],))
        ws._conn.executemany(
            "INSERT INTO signoffs (case_id, revision, signed_by, signed_at) VALUES (?,?,?,?)",
            [(b.case_ids[0], 1, "Quinn Checker", "2026-11-25T10:00:00Z"),
             (b.case_ids[1], 1, "Quinn Checker", "2026-11-25T10:00:00Z"),
             (b.case_ids[4], 1, "Quinn Checker", "2026-11-25T10:00:00Z")])
    return b.iid, b.case_ids


def test_only_complete_cases_count_and_each_left_out_case_has_its_reason(
        ws: Workspace, built: tuple[str, list[str]]) -> None:
    iid, ids = built
    c = consolidate(ws, iid)
    assert c.rule == FINAL and not c.provisional and c.provisional_mark == ""
    assert set(c.counted_case_ids) == {ids[0], ids[1], ids[4]}
    assert {k: v for k, v in c.left_out.items() if v} == {"in_progress": 1, "excluded": 1}
    assert c.left_out_cases == {ids[2]: "in_progress", ids[3]: "excluded"}
    assert c.excluded_reasons == (("C0003", "Sentence ended before sampling"),)
    row = next(r for r in c.table("2.3").rows if r.kq_id == "2.3.3")
    assert (row.yes, row.no, row.na, row.percent) == (1, 1, 1, 50)
    text = consolidation_text(c)
    assert "3 cases counted; 2 of 3 counted cases signed off." in text
    assert ("Left out: 1 in progress (not yet marked complete), 1 should have been excluded "
            "(C0003: Sentence ended before sampling).") in text
    assert "1 counted cases not applicable to this question" in text
    assert "provisional" not in text.lower().replace("provisional rating", "")


def test_the_provisional_rule_counts_cases_in_progress_and_says_so(
        ws: Workspace, built: tuple[str, list[str]], tmp_path: Path) -> None:
    iid, ids = built
    c = consolidate(ws, iid, rule=PROVISIONAL)
    assert set(c.counted_case_ids) == {ids[0], ids[1], ids[2], ids[4]}
    assert c.provisional_mark == "provisional: includes 1 case in progress"
    row = next(r for r in c.table("2.3").rows if r.kq_id == "2.3.3")
    assert (row.yes, row.no, row.percent) == (1, 2, 33)
    assert consolidation_text(c).splitlines()[2] == "PROVISIONAL: INCLUDES 1 CASE IN PROGRESS"
    path = write_csv(ws, iid, tmp_path / "live.csv", PROVISIONAL)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert rows and {r["provisional"] for r in rows} == {c.provisional_mark}
    final = list(csv.DictReader(io.StringIO(
        write_csv(ws, iid, tmp_path / "final.csv").read_bytes().decode("utf-8-sig"))))
    assert {r["provisional"] for r in final} == {""}


def test_the_panel_summary_and_workbook_refuse_to_be_provisional(
        ws: Workspace, built: tuple[str, list[str]], tmp_path: Path) -> None:
    iid, _ids = built
    with pytest.raises(ConsolidationError, match="cannot be made provisional"):
        panel_summary_html(ws, iid, PROVISIONAL)
    with pytest.raises(ConsolidationError, match="cannot be made provisional"):
        write_workbook(ws, iid, tmp_path / "w.xlsx", PROVISIONAL)
    assert not (tmp_path / "w.xlsx").exists()


def test_every_standard_says_how_many_counted_cases_are_signed_off(
        ws: Workspace, built: tuple[str, list[str]]) -> None:
    iid, _ids = built
    c = consolidate(ws, iid)
    assert c.signed_off == 2  # C0000 and C0004; C0001's sign-off lapsed
    t21, t23 = c.table("2.1"), c.table("2.3")
    assert (t21.cases, t21.signed_off) == (3, 2)
    assert (t23.cases, t23.signed_off) == (2, 1)  # C0004 is outside 2.3.3's sub-sample
    html = panel_summary_html(ws, iid)
    assert "3 cases counted; 2 of 3 counted cases signed off." in html
    assert "Left out: 1 in progress (not yet marked complete)" in html
    assert "Standards resting on cases not yet signed off:" in html
    assert "2.3 Implementation and delivery: 1 of 2 signed off" in html


def test_drill_down_lists_the_cases_behind_each_answer(
        ws: Workspace, built: tuple[str, list[str]]) -> None:
    iid, _ids = built
    d = drill_down(ws, consolidate(ws, iid), "2.3.3")
    assert [e.case_ref for e in d.cases["yes"]] == ["C0000"]
    assert [e.case_ref for e in d.cases["no"]] == ["C0001"]
    assert [e.case_ref for e in d.cases["na"]] == ["C0004"]
    yes = d.cases["yes"][0]
    assert (yes.owner, yes.evidence, yes.signed_off) == (
        "Robin Example", "Services matched the plan throughout.", True)
    assert yes.prompts == (("2.3.3.a", "yes"), ("2.3.3.b", "yes"), ("2.3.3.c", "na"),
                           ("2.3.3.d", None))
    assert d.cases["no"][0].owner == "Sam Invented"
    assert yes.interview == ("A suitable substitute interviewed; the practitioner's line "
                             "manager or supervisor; feedback given to the substitute (line "
                             "manager or supervisor)")
    assert d.cases["no"][0].interview == ""  # none recorded
    assert [(p.prompt_id, p.yes, p.no, p.na, p.percent) for p in d.prompts] == [
        ("2.3.3.a", 1, 1, 0, 50), ("2.3.3.b", 2, 0, 0, 100), ("2.3.3.c", 0, 0, 1, None),
        ("2.3.3.d", 0, 0, 0, None)]
    live = drill_down(ws, consolidate(ws, iid, rule=PROVISIONAL), "2.3.3")
    assert [e.case_ref for e in live.cases["no"]] == ["C0001", "C0002"]
    assert live.provisional_mark == "provisional: includes 1 case in progress"
    assert prompt_counts(ws, consolidate(ws, iid))["2.3.3"] == d.prompts


def test_the_drill_down_says_which_texts_were_drafted(
        ws: Workspace, built: tuple[str, list[str]]) -> None:
    iid, _ids = built
    d = drill_down(ws, consolidate(ws, iid), "2.1.3")  # its prompt 2.1.3.d was drafted
    fw = ws.inspection_framework(iid)
    assert d.drafted == fw.key_questions_by_id["2.1.3"].drafted
    assert any(p.drafted for p in d.prompts) and not all(p.drafted for p in d.prompts)
    assert [p.drafted for p in d.prompts] == [
        fw.prompts_by_id[p.prompt_id].drafted for p in d.prompts]
    # A drafted prompt is marked where the figures are printed.
    text = drill_down_text(d)
    for p in d.prompts:
        assert (f"{p.text} [drafted]" in text) == p.drafted
    assert [q["drafted"] for q in drill_down_json(d)["prompts"]] == [p.drafted for p in d.prompts]


def test_drill_down_of_an_unknown_key_question_is_refused(
        ws: Workspace, built: tuple[str, list[str]]) -> None:
    iid, _ids = built
    with pytest.raises(ConsolidationError, match=r"'9\.9\.9' is not a key question"):
        drill_down(ws, consolidate(ws, iid), "9.9.9")
    with pytest.raises(ConsolidationError, match="not judged case by case"):
        drill_down(ws, consolidate(ws, iid), "1.1.1")


def test_the_workbook_counts_by_the_rule_and_has_the_prompt_counts(
        ws: Workspace, built: tuple[str, list[str]], tmp_path: Path) -> None:
    iid, _ids = built
    path = write_workbook(ws, iid, tmp_path / "w.xlsx")
    wb = load_workbook(path)
    try:
        assert wb.sheetnames == list(SHEETS)
        facts = {r[0]: r[1] for r in wb["Inspection"].iter_rows(values_only=True)}
        prompts = [r for r in wb["Prompts"].iter_rows(values_only=True)]
        answers = [r for r in wb["Answers"].iter_rows(values_only=True)]
    finally:
        wb.close()
    assert facts["Cases counted"] == 3
    assert facts["Counted cases signed off"] == 2
    assert facts["Left out: in progress (not yet marked complete)"] == 1
    row = next(r for r in prompts if r[2] == "2.3.3.a")
    assert (row[0], row[1], *row[4:]) == ("2.3", "2.3.3", 1, 1, 0, 2, 50)
    at = answers[0].index("Counted")
    counted = {r[0]: r[at] for r in answers[1:]}
    assert counted["C0002"] == "no: in progress (not yet marked complete)"
    assert counted["C0003"] == "no: should have been excluded"




@pytest.fixture(scope="module")
def folder_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("count-cli") / "lead"
    w = lead_workspace(folder)
    add_inspection(w, "nps-2019-20", _cases(), inspection_id="insp-1")
    w.close()
    return folder


@pytest.fixture
def folder(folder_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    shutil.copytree(folder_template, tmp_path / "lead")
    return str(tmp_path / "lead")


def test_cli_consolidate_provisional_and_drill_down(folder: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "consolidate", "--workspace", folder, "--json")
    got = json.loads(out)
    assert code == 0 and got["provisional"] is None and got["cases"] == 3
    assert got["left_out"]["in_progress"] == 1
    assert got["excluded_reasons"] == [{"case_ref": "C0003",
                                        "reason": "Sentence ended before sampling"}]
    row = next(r for t in got["tables"] for r in t["rows"] if r["kq_id"] == "2.3.3")
    assert row["prompts"][0] == {"prompt_id": "2.3.3.a", "text": row["prompts"][0]["text"],
                                 "drafted": False, "yes": 1, "no": 1, "na": 0, "n": 2,
                                 "percent": 50}
    code, out, _err = _run(capsys, "consolidate", "--workspace", folder, "--provisional", "--json")
    got = json.loads(out)
    assert (code, got["cases"], got["provisional"]) == (
        0, 4, "provisional: includes 1 case in progress")
    code, out, _err = _run(capsys, "consolidate", "--workspace", folder, "--kq", "2.3.3", "--json")
    d = json.loads(out)
    assert code == 0
    assert [c["case_ref"] for c in d["cases"]["no"]] == ["C0001"]
    assert d["cases"]["yes"][0]["evidence"] == "Services matched the plan throughout."
    code, out, _err = _run(capsys, "consolidate", "--workspace", folder, "--kq", "2.3.3")
    assert code == 0 and "Not applicable: 1 cases" in out and "C0004" in out


def test_cli_refuses_a_provisional_workbook_or_panel_summary(
        folder: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("workbook", "--workspace", folder, "--out", str(tmp_path / "w.xlsx"),
                  "--provisional"),
                 ("panel-summary", "--workspace", folder, "--out", str(tmp_path / "s.html"),
                  "--provisional"),
                 ("consolidate", "--workspace", folder, "--kq", "9.9.9")):
        code, out, err = _run(capsys, *argv)
        assert (code, out) == (1, "") and err.count("\n") == 1, err
    assert not list(tmp_path.glob("w.xlsx")) and not list(tmp_path.glob("s.html"))


def test_a_provisional_csv_cannot_be_combined_or_compared(
        ws: Workspace, built: tuple[str, list[str]], tmp_path: Path) -> None:
    iid, _ids = built
    live = write_csv(ws, iid, tmp_path / "live.csv", PROVISIONAL)
    with pytest.raises(ConsolidationError, match="a provisional export"):
        combine([live])
    assert combine([write_csv(ws, iid, tmp_path / "final.csv")]).sources


@pytest.mark.parametrize("seed", range(4))
def test_the_drill_down_adds_up_to_every_table_row(ws: Workspace, seed: int) -> None:
    """On generated inspections of every framework, under either rule: the cases behind each
    key question are exactly its Yes, No and Not applicable counts, and each prompt's counts
    are those of its counted cases' answers."""
    rng = random.Random(300 + seed)
    fw = FRAMEWORKS[seed % len(FRAMEWORKS)]
    cases = generated_cases(fw, rng, 40)
    built = add_inspection(ws, fw.id, cases)
    by_id = dict(zip(built.case_ids, cases, strict=True))
    for rule in (FINAL, PROVISIONAL):
        c = consolidate(ws, built.iid, rule=rule)
        for t in c.tables:
            for row in t.rows:
                d = drill_down(ws, c, row.kq_id)
                assert (len(d.cases["yes"]), len(d.cases["no"]), len(d.cases["na"])) == (
                    row.yes, row.no, row.na)
                behind = [by_id[e.case_id] for g in ("yes", "no") for e in d.cases[g]]
                behind += [by_id[cid] for cid in c.counted_case_ids
                           if c.judgements[cid].get(row.kq_id) is None]
                for p in d.prompts:
                    answers = [x.items.get(p.prompt_id) for x in behind]
                    assert (p.yes, p.no, p.na) == (answers.count("yes"), answers.count("no"),
                                                   answers.count("na"))


def test_a_welsh_workbook_says_counted_or_why_not_in_welsh(
        ws: Workspace, built: tuple[str, list[str]], tmp_path: Path) -> None:
    iid, _ids = built
    with i18n.speaking("cy"):
        path = write_workbook(ws, iid, tmp_path / "w.xlsx")
    wb = load_workbook(path)
    try:
        answers = list(wb.worksheets[SHEETS.index("Answers")].iter_rows(values_only=True))
    finally:
        wb.close()
    with i18n.speaking("cy"):
        at = answers[0].index(i18n._("Counted"))
        waiting = i18n._("in progress (not yet marked complete)")
    counted = {r[0]: r[at] for r in answers[1:]}
    assert counted["C0002"] == f"na: {waiting}"
    assert "ie" in counted.values() and "yes" not in counted.values()
