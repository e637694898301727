"""The link to the case data (issue 19 point 3): each organisational key question's linked case
key questions and prompts carry the consolidation's own figures over the counted cases only;
``finding links`` and ``finding report`` print them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from hmip_desktop.consolidation.drilldown import prompt_counts
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.findings.case_links import linked_case_data
from hmip_desktop.findings.items import organisational_key_questions
from hmip_desktop.findings.service import add_document, add_finding
from hmip_desktop.frameworks import load_framework
from tests.cli_helpers import run_cli
from tests.consolidation.builders import (
    PASSPHRASE,
    add_inspection,
    generated_cases,
    lead_workspace,
)


@pytest.mark.parametrize("framework_id", ["nps-2019-20", "dipp-2025", "youth-2019-20"])
def test_every_linked_figure_is_the_consolidations_own(tmp_path: Path,
                                                       framework_id: str) -> None:
    fw = load_framework(framework_id)
    ws = lead_workspace(tmp_path / "lead")
    b = add_inspection(ws, framework_id, generated_cases(fw, random.Random(19), 40))
    links = linked_case_data(ws, b.iid)
    c = consolidate(ws, b.iid)  # cases marked complete only: those in progress are not counted
    prompts = {p.prompt_id: p for rows in prompt_counts(ws, c).values() for p in rows}
    kqs = {r.kq_id: r for t in c.tables for r in t.rows}
    assert links.cases == c.cases and 0 < c.cases < 40
    assert [k.key_question for k in links.links] == [
        k.id for k in organisational_key_questions(fw)]
    for link in links.links:
        assert [f.item for f in link.figures] == list(
            fw.key_questions_by_id[link.key_question].informed_by)
        for f in link.figures:
            held = kqs[f.item] if f.item in kqs else prompts[f.item]
            assert (f.yes, f.no, f.na) == (held.yes, held.no, held.na)
            assert f.percent == held.percent
    ws.close()


def test_the_cli_gives_the_links_and_the_findings_per_question(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    fw = load_framework("dipp-2025")
    ws = lead_workspace(tmp_path / "lead")
    b = add_inspection(ws, "dipp-2025", generated_cases(fw, random.Random(7), 30))
    n = add_document(ws, b.iid, title="Management oversight audit", dated="2026-09-01",
                     items=["1.2.3"], location="Sent before fieldwork")
    add_finding(ws, b.iid, "1.2.3.b", "improvement",
                "Decisions to suspend contact were rarely countersigned.", documents=[n],
                cases=["Few suspensions showed a manager's view"])
    add_finding(ws, b.iid, "1.2.3", "strength", "Supervision is regular.",
                meetings=["Middle managers"])
    expected = linked_case_data(ws, b.iid)
    ws.close()
    at = ("--workspace", str(tmp_path / "lead"))

    code, out, err = run_cli(capsys, "finding", "links", "--json", *at)
    assert code == 0, err
    rows = json.loads(out)
    oversight = [r for r in rows if r["key_question"] == "1.2.3"]
    assert [r["item"] for r in oversight] == list(fw.key_questions_by_id["1.2.3"].informed_by)
    figure = expected.of("1.2.3").figures[0]  # type: ignore[union-attr]
    assert (oversight[0]["yes"], oversight[0]["no"], oversight[0]["percent"]) == (
        figure.yes, figure.no, figure.percent)
    assert {r["cases"] for r in rows} == {expected.cases}

    code, out, err = run_cli(capsys, "finding", "links", *at)
    assert code == 0, err
    assert out.startswith(f"Case data over {expected.cases} counted cases")
    assert "  2.2.3.c Was the decision subject to appropriate management oversight?: " in out

    code, out, err = run_cli(capsys, "finding", "report", *at)
    assert code == 0, err
    block = out.split("1.2.3 Does management oversight support")[1].split("\n\n")[0]
    assert "  Strengths:\n  - Supervision is regular. [meeting: Middle managers]" in block
    assert ("  - (prompt b) Decisions to suspend contact were rarely countersigned. [document 1, "
            "Management oversight audit; case data: Few suspensions showed a manager's view]"
            ) in block
    assert "1.1.1 Is there a clear vision" in out and "Strengths: none recorded" in out

    code, out, err = run_cli(capsys, "finding", "report", "--json", *at)
    assert code == 0, err
    report = {q["key_question"]: q for q in json.loads(out)}
    assert [f["text"] for f in report["1.2.3"]["improvements"]] == [
        "Decisions to suspend contact were rarely countersigned."]
    assert report["1.1.1"]["strengths"] == []

    code, out, err = run_cli(capsys, "finding", "links", "extra", *at)
    assert code == 2 and "links takes no values" in err
