"""QA over a real encrypted workspace: the service and ``hmip-desktop qa``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.qa.checks import CHECKS_BY_NAME, Finding, run_checks
from hmip_desktop.qa.service import (
    assessment_input,
    case_findings,
    findings_by_assessor,
    unallocated,
    workspace_findings,
)
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.qa.builders import build, facts_for

PASSPHRASE = "qa-service-lantern-heron-42"
FINDING_KEYS = {"case_id", "case_ref", "item", "check", "severity", "message"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two inspections; NPS: a clean case, a faulty one, an untouched one; youth: one case."""
    folder = tmp_path_factory.mktemp("qa") / "ws"
    with Workspace.create(folder, PASSPHRASE, owner_name="Qa Partner", role="qa") as ws:
        nps = ws.create_inspection(title="NPS", organisation="Demo division",
                                   framework_bytes=resource("frameworks", "nps-2019-20.json")
                                   .read_bytes(), inspection_id="nps")
        youth = ws.create_inspection(title="Youth", organisation="Demo YOT",
                                     framework_bytes=resource(
                                         "frameworks", "youth-2019-20.json").read_bytes(),
                                     inspection_id="youth")
        fw = ws.inspection_framework(nps)
        facts = facts_for(fw, sample="supervision", sentence_type="community", rosh="high")
        ann = ws.add_member(nps, name="Ann Assessor", role="assessor")
        bob = ws.add_member(nps, name="bob Assessor", role="assessor")
        clean, faulty, _untouched = (ws.add_case(nps, case_ref=ref, facts=facts)
                                     for ref in ("NPS-1", "NPS-2", "NPS-3"))
        ws.assign(clean, ann)
        ws.assign(faulty, bob)
        good = build(fw, facts)
        ws.bulk_load_items((cid, k, v) for cid in (clean, faulty) for k, v in good.items.items())
        ws.set_status(clean, "complete")
        ws.save_item(faulty, "note:2.1.1", "")
        ws.save_item(faulty, "2.1.3.d", "no")  # the hurdle sets 2.1.3 to no …
        ws.save_item(faulty, "record:interview_mode", "")
        ws.raise_alert(faulty, what_might_happen="Harm.", how_serious="Serious.",
                       how_imminent="Days.", action_asked="Act.")
        yfw = ws.inspection_framework(youth)
        ycase = ws.add_case(youth, case_ref="YOT-1", facts=facts_for(yfw, sample="post_court"))
        ws.save_item(ycase, "record:conflict_declared", "yes")
    return folder


@pytest.fixture
def ws(folder: Path) -> Iterator[Workspace]:
    with Workspace.open(folder, PASSPHRASE) as w:
        yield w


EXPECTED = [
    ("NPS-2", "no_interview_record", "record:interview_mode"),
    # … with NOTE_YES, long enough for a no: only the missing note and the alert remain
    ("NPS-2", "judgement_without_note", "note:2.1.1"),
    ("NPS-2", "alert_not_acknowledged", "alert:"),
    ("YOT-1", "conflict_of_interest", "record:conflict_declared"),
]


def _triples(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.case_ref, f.check, f.item if not f.item.startswith("alert:") else "alert:")
            for f in findings]


def test_workspace_findings_reads_every_case(ws: Workspace) -> None:
    findings = workspace_findings(ws)
    assert sorted(_triples(findings)) == sorted(EXPECTED)
    assert all(f.severity == CHECKS_BY_NAME[f.check].severity for f in findings)


def test_the_batched_read_agrees_with_reading_case_by_case(ws: Workspace) -> None:
    per_case = [f for s in ws.list_cases()
                for f in run_checks(assessment_input(ws.read_assessment(s.case.id)))]
    assert workspace_findings(ws) == per_case
    assert case_findings(ws, "NPS-2") == [f for f in per_case if f.case_ref == "NPS-2"]


def test_one_inspection_and_open_queries(ws: Workspace) -> None:
    assert [f.case_ref for f in workspace_findings(ws, "youth")] == ["YOT-1"]
    clean = ws.find_case("NPS-1").id
    findings = workspace_findings(ws, "nps", open_queries={clean: 2})
    assert ("NPS-1", "complete_with_open_queries", "status") in _triples(findings)
    assert "YOT-1" not in {f.case_ref for f in findings}


def test_findings_by_assessor_for_the_qa_partner(ws: Workspace) -> None:
    groups = findings_by_assessor(ws)
    assert list(groups) == ["Ann Assessor", "bob Assessor", unallocated()]
    assert groups["Ann Assessor"] == []
    assert {f.case_ref for f in groups["bob Assessor"]} == {"NPS-2"}
    assert {f.case_ref for f in groups[unallocated()]} == {"YOT-1"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_lists_every_finding(folder: Path, ws: Workspace,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code, out, err = _run(capsys, "qa", "--workspace", str(folder), "--json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert all(set(f) == FINDING_KEYS and all(isinstance(v, str) for v in f.values())
               for f in listed)
    assert sorted(listed, key=json.dumps) == sorted(
        (f.as_dict() for f in workspace_findings(ws)), key=json.dumps)


def test_cli_text_groups_by_assessor_and_case(folder: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code, out, _err = _run(capsys, "qa", "--workspace", str(folder), "--inspection", "nps")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Ann Assessor: nothing to raise"
    assert lines[1] == "bob Assessor: 1 must fix, 2 worth a look"
    assert lines[2] == "  NPS-2"
    # each item in the form's words, never its stored key (the JSON keeps the keys)
    assert lines[3].split()[:4] == ["must", "fix", "Practitioner", "interview"], lines[3]
    assert not re.search(r"\b(record|note|case|alert):[\w.]", out), out
    assert lines[-1] == "3 findings in 1 case: 1 must fix, 2 worth a look"


def test_cli_unknown_inspection_is_one_line(folder: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code, out, err = _run(capsys, "qa", "--workspace", str(folder), "--inspection", "nope")
    assert (code, out) == (1, "")
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1


def test_cli_on_the_demo_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    demo = tmp_path / "demo"
    assert _run(capsys, "demo", "--workspace", str(demo))[0] == 0
    code, out, err = _run(capsys, "qa", "--workspace", str(demo), "--json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert listed, "the demo has half-done forms and an alert"
    assert {f["check"] for f in listed} <= set(CHECKS_BY_NAME)
    assert all(f["case_ref"].startswith("DEMO-") and set(f) == FINDING_KEYS for f in listed)
    assert "alert_not_acknowledged" in {f["check"] for f in listed}
