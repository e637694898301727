"""``answer`` and ``complete`` for a script (docs/cli.md): a warning, or with ``--strict`` a
refusal, for an item that does not apply to the case; ``complete --json`` listing every
missing item with the key to set and the QA check that names it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.assessment.applicability import save_answer
from hmip_desktop.cli.main import main
from hmip_desktop.store.workspace import Workspace
from tests.cli.test_workspace_commands import CASE, PASSPHRASE, run, snapshot

COURT_PROMPT = "3.1.1.a"  # standard 3.1 is for the court report sample; CASE is supervision


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("HMIP_WORKSPACE", raising=False)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "demo"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HMIP_PASSPHRASE", PASSPHRASE)
        assert main(["demo", "--workspace", str(folder)]) == 0
    return folder


@pytest.fixture
def workspace(demo_template: Path, tmp_path: Path) -> str:
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    return str(folder)


# -- answer: items that do not apply ---------------------------------------------------------


def test_an_answer_that_does_not_apply_is_saved_with_a_warning_and_a_json_field(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "answer", CASE, COURT_PROMPT, "yes", "--json",
                         "--workspace", workspace)
    assert code == 0
    change = json.loads(out)
    assert change["new"] == "yes" and change["revision"] == 1
    assert change["does_not_apply"] == ("Court reports and case allocation are inspected only "
                                        "in the court report sample.")
    assert err.splitlines() == [
        f"hmip-desktop: warning: {COURT_PROMPT} does not apply to case {CASE} (Court reports "
        "and case allocation are inspected only in the court report sample); saved, but "
        "consolidation does not count it"]
    assert snapshot(workspace)[2] == {COURT_PROMPT: "yes"}
    # An item that applies: no warning, and the field is null.
    code, out, err = run(capsys, "answer", CASE, "2.1.1.a", "yes", "--json",
                         "--workspace", workspace)
    assert (code, err) == (0, "") and json.loads(out)["does_not_apply"] is None
    # Clearing the answer that does not apply is what the warning asks for: no warning.
    code, out, err = run(capsys, "answer", CASE, COURT_PROMPT, "", "--workspace", workspace)
    assert (code, err) == (0, "") and out.startswith(f"cleared {COURT_PROMPT}")


def test_strict_refuses_an_answer_or_note_that_does_not_apply_and_saves_nothing(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(workspace)
    code, out, err = run(capsys, "answer", CASE, COURT_PROMPT, "yes", "--strict",
                         "--workspace", workspace)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"hmip-desktop: refused: {COURT_PROMPT} does not apply to case {CASE} (Court reports "
        "and case allocation are inspected only in the court report sample); nothing saved"]
    assert snapshot(workspace) == before
    code, out, err = run(capsys, "note", CASE, "3.1.1", "Seen in the court report.",
                         "--strict", "--workspace", workspace)
    assert code == 1 and "refused: note:3.1.1 does not apply" in err
    assert snapshot(workspace) == before
    code, _out, err = run(capsys, "answer", CASE, "2.1.1.a", "yes", "--strict",
                          "--workspace", workspace)
    assert (code, err) == (0, "")


def test_applicability_is_judged_on_the_case_as_the_save_leaves_it(workspace: str) -> None:
    """Judged 'low' RoSH, the case leaves the keeping-safe sub-sample (2.2.3 and others)."""
    with Workspace.open(Path(workspace), PASSPHRASE) as ws:
        assert save_answer(ws, CASE, "2.2.3", "yes").does_not_apply is None
        assert save_answer(ws, CASE, "case:inspector_rosh", "low").does_not_apply is None
        done = save_answer(ws, CASE, "2.2.3", "no")
        assert done.does_not_apply is not None and "risk of serious harm" in done.does_not_apply
        assert done.change.new == "no"  # saved all the same


# -- complete --json -------------------------------------------------------------------------


def _complete(capsys: pytest.CaptureFixture[str], workspace: str) -> tuple[int, dict[str, Any],
                                                                           str]:
    code, out, err = run(capsys, "complete", CASE, "--json", "--workspace", workspace)
    return code, json.loads(out), err


def _value(item: dict[str, Any], framework_values: dict[str, list[str]]) -> str:
    key = item["item"]
    if key in ("record:conflict_declared", "record:excluded"):
        return "no"
    if key == "record:interview_mode":
        return "in_person"
    if key in framework_values:
        return framework_values[key][-1]
    return "yes"


def test_complete_json_lists_every_missing_item_until_a_script_has_set_them_all(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(Path(workspace), PASSPHRASE) as ws:
        a = ws.read_assessment(CASE)
        required = a.completeness.required
        values = {f"case:{q.id}": list(q.values) for q in a.framework.case_questions}
    code, first, err = _complete(capsys, workspace)
    assert code == 1 and len(err.splitlines()) == 1
    assert (first["completed"], first["status"], first["revision"]) == (False, "not_started", 0)
    assert first["refused"] in err
    assert len(first["missing"]) == required  # every one, not the first five
    by_item = {m["item"]: m for m in first["missing"]}
    assert by_item["record:interview_mode"]["check"] == "no_interview_record"
    assert by_item["2.1.1.a"]["check"] == "required_item_unanswered"
    assert by_item["2.1.1.a"]["text"].startswith("2.1.1 a) ")  # the form's words
    asked = 0
    for _round in range(6):  # answers can bring sub-samples in: ask again until none is left
        code, shown, err = _complete(capsys, workspace)
        asked += 1
        if code == 0:
            break
        # The keys as given, saved in one unlock (the CLI's answer saves the same way).
        with Workspace.open(Path(workspace), PASSPHRASE) as ws:
            for m in shown["missing"]:
                ws.save_item(shown["case_id"], m["item"], _value(m, values))
            for m in shown["must_fix"]:  # the inspector's RoSH level differs from the record's
                assert m["check"] == "rosh_difference_unexplained", m
                ws.save_item(shown["case_id"], "record:rosh_difference_reason",
                             "Recent threats to a former partner.")
    assert (code, err) == (0, "") and asked > 1
    assert (shown["completed"], shown["status"], shown["refused"]) == (True, "complete", None)
    assert shown["missing"] == shown["must_fix"] == []


def test_the_qa_check_and_complete_name_the_same_item_for_the_missing_interview_record(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "answer", CASE, "2.1.1.a", "yes", "--workspace", workspace)[0] == 0
    code, out, _err = run(capsys, "qa", "--json", "--workspace", workspace)
    assert code == 0
    (finding,) = [f for f in json.loads(out)
                  if f["case_ref"] == CASE and f["check"] == "no_interview_record"]
    _code, shown, _err = _complete(capsys, workspace)
    (missing,) = [m for m in shown["missing"] if m["check"] == "no_interview_record"]
    assert missing["item"] == finding["item"] == "record:interview_mode"
    # Setting that key is what clears the finding.
    assert run(capsys, "answer", CASE, missing["item"], "phone", "--workspace",
               workspace)[0] == 0
    code, out, _err = run(capsys, "qa", "--json", "--workspace", workspace)
    assert not [f for f in json.loads(out)
                if f["case_ref"] == CASE and f["check"] == "no_interview_record"]


# -- complete with several cases: one unlock, all or none --------------------------------------


def _fill(workspace: str, case: str) -> None:
    """Every item the case needs, saved through the service as a script's answers would be."""
    with Workspace.open(Path(workspace), PASSPHRASE) as ws:
        case_id = ws.find_case(case).id
        for _round in range(6):
            a = ws.read_assessment(case_id)
            if not a.completeness.missing:
                break
            values = {f"case:{q.id}": list(q.values) for q in a.framework.case_questions}
            for m in a.completeness.missing:
                ws.save_item(case_id, m.item, _value({"item": m.item}, values))
            if a.case.facts.get("rosh") != ws.read_assessment(case_id).items.get(
                    "case:inspector_rosh"):
                ws.save_item(case_id, "record:rosh_difference_reason",
                             "Recent threats to a former partner.")


def _statuses(workspace: str, *cases: str) -> list[str]:
    with Workspace.open(Path(workspace), PASSPHRASE) as ws:
        return [ws.read_assessment(ws.find_case(c).id).status for c in cases]


OTHER = "DEMO-NPS-005"


def test_complete_with_several_cases_marks_none_when_one_is_refused(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(workspace, CASE)
    before = _statuses(workspace, CASE, OTHER)
    code, out, err = run(capsys, "complete", CASE, OTHER, "--workspace", workspace)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"hmip-desktop: nothing marked complete: {OTHER}: cannot mark complete")
    assert _statuses(workspace, CASE, OTHER) == before  # the ready case was not marked either
    code, out, err = run(capsys, "complete", CASE, OTHER, "--json", "--workspace", workspace)
    shown = json.loads(out)
    assert code == 1 and [s["case_ref"] for s in shown] == [CASE, OTHER]
    assert (shown[0]["completed"], shown[0]["refused"], shown[0]["missing"]) == (False, None, [])
    assert shown[1]["completed"] is False and shown[1]["refused"] in err
    assert shown[1]["missing"]


def test_complete_with_several_ready_cases_marks_each_in_one_go(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(workspace, CASE)
    _fill(workspace, OTHER)
    code, out, err = run(capsys, "complete", CASE, OTHER, "--json", "--workspace", workspace)
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert [(s["case_ref"], s["completed"], s["status"]) for s in shown] == [
        (CASE, True, "complete"), (OTHER, True, "complete")]
    assert _statuses(workspace, CASE, OTHER) == ["complete", "complete"]
    code, out, _err = run(capsys, "complete", OTHER, CASE, "--workspace", workspace)
    assert code == 0 and [line.split()[:3] for line in out.splitlines()] == [
        [OTHER, "marked", "complete"], [CASE, "marked", "complete"]]
