"""The workspace commands of the CLI contract (docs/cli.md), run through ``main``.

The demo workspace is built once per module (about 1.5 s) and copied for each test that
changes it; every test reads its effects back through a fresh ``Workspace.open``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.assessment.completeness import required_items
from hmip_desktop.cli.main import main
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.store.records import STATUSES
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "orchard-heron-lantern-42"
NEW_PASSPHRASE = "kestrel-upland-valley-7"
CASE = "DEMO-NPS-004"  # a not-started probation case in the supervision sample
CASE_FIELDS = {"id", "case_ref", "inspection_id", "assessor", "practitioner", "office",
               "interview_at", "status", "revision", "facts", "completeness", "alerts",
               "open_alerts", "training"}
AUDIT_FIELDS = {"seq", "case_id", "at", "actor", "action", "item", "old", "new", "revision",
                "hash"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse usage errors
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str, message: str) -> None:
    assert code == 1
    assert out == ""
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert message in err


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("HMIP_NEW_PASSPHRASE", raising=False)
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
    """A private copy of the demo workspace, for a test that changes it."""
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    return str(folder)


@pytest.fixture(scope="module")
def untouched(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy shared by tests that must change nothing (they check that they did not)."""
    folder = tmp_path_factory.mktemp("shared") / "ws"
    shutil.copytree(demo_template, folder)
    yield str(folder)


@pytest.fixture(scope="module")
def untouched_state(untouched: str) -> tuple[int, str, dict[str, str], int]:
    return snapshot(untouched)


def snapshot(folder: str, case: str = CASE) -> tuple[int, str, dict[str, str], int]:
    """(revision, status, items, number of audit rows), read through a fresh open."""
    with Workspace.open(Path(folder), PASSPHRASE) as ws:
        a = ws.read_assessment(case)
        return a.revision, a.status, dict(a.items), len(ws.history())


def cases_json(capsys: pytest.CaptureFixture[str], folder: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "cases", "--workspace", folder, "--json")
    assert code == 0, err
    listed: list[dict[str, Any]] = json.loads(out)
    return listed


# -- init and demo ---------------------------------------------------------------------------


def test_init_creates_an_empty_workspace_and_refuses_an_existing_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "new"
    code, out, err = run(capsys, "init", "--workspace", str(folder), "--name", "Test Assessor",
                         "--role", "assessor")
    assert (code, err) == (0, "")
    assert out == f"created workspace {folder}\n"
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert (ws.owner_name, ws.owner_role) == ("Test Assessor", "assessor")
        assert ws.list_cases() == []
    assert cases_json(capsys, str(folder)) == []

    code, out, err = run(capsys, "init", "--workspace", str(folder), "--name", "Someone Else",
                         "--role", "lead")
    assert_one_line_error(code, out, err, "a workspace already exists here")
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert ws.owner_name == "Test Assessor"


def test_init_refuses_a_weak_passphrase_and_a_bad_role(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "weak"
    monkeypatch.setenv("HMIP_PASSPHRASE", "short")
    code, out, err = run(capsys, "init", "--workspace", str(folder), "--name", "Test Assessor",
                         "--role", "assessor")
    assert_one_line_error(code, out, err, "at least 12 characters")
    assert not Workspace.exists(folder)
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code, _, _ = run(capsys, "init", "--workspace", str(folder), "--name", "Test Assessor",
                     "--role", "boss")
    assert code == 2  # a usage error, from argparse
    assert not Workspace.exists(folder)


def test_demo_creates_24_invented_cases_and_will_not_overwrite(
        demo_template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = cases_json(capsys, str(demo_template))
    assert len(listed) == 24
    assert all(c["case_ref"].startswith("DEMO-") for c in listed)
    assert len({c["inspection_id"] for c in listed}) == 4  # one per shipped framework
    # The passphrase came from HMIP_PASSPHRASE, so none is written beside the demo.
    assert not (demo_template / "DEMO-PASSPHRASE.txt").exists()
    code, out, err = run(capsys, "demo", "--workspace", str(demo_template))
    assert_one_line_error(code, out, err, "a workspace already exists here")


# -- cases ----------------------------------------------------------------------------------


def test_cases_json_has_the_documented_fields(untouched: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    listed = cases_json(capsys, untouched)
    for c in listed:
        assert set(c) == CASE_FIELDS
        assert set(c["completeness"]) == {"required", "answered", "percent"}
        assert c["status"] in STATUSES
        assert isinstance(c["revision"], int) and c["revision"] >= 0
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in c["facts"].items())
        done = c["completeness"]
        assert 0 <= done["answered"] <= done["required"]
        assert done["percent"] == (100 * done["answered"]) // done["required"]
        assert 0 <= c["open_alerts"] <= c["alerts"]
    mine = next(c for c in listed if c["case_ref"] == CASE)
    assert (mine["status"], mine["revision"], mine["completeness"]["answered"]) == (
        "not_started", 0, 0)
    assert any(c["status"] == "complete" for c in listed)
    assert any(c["alerts"] for c in listed)


def test_workspace_comes_from_hmip_workspace_when_not_given(
        untouched: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_WORKSPACE", untouched)
    code, out, err = run(capsys, "cases", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 24


# -- answer and note ------------------------------------------------------------------------


def test_answer_saves_durably_and_the_revision_rises(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "answer", CASE, "record:interview_mode", "in_person",
                         "--workspace", workspace, "--json")
    assert code == 0, err
    change = json.loads(out)
    assert change == {"case_id": change["case_id"], "item": "record:interview_mode",
                      "old": None, "new": "in_person", "revision": 1,
                      "status": "in_progress", "also_changed": {},
                      "status_before": "not_started", "does_not_apply": None}
    revision, status, items, _ = snapshot(workspace)
    assert (revision, status, items) == (1, "in_progress",
                                         {"record:interview_mode": "in_person"})

    code, out, _ = run(capsys, "answer", CASE, "2.1.1.a", "yes", "--workspace", workspace)
    assert (code, out) == (0, "saved 2.1.1.a = 'yes' (revision 2, in_progress)\n")
    assert snapshot(workspace)[2]["2.1.1.a"] == "yes"

    # Saving the same value again is not a change: the revision stays.
    code, out, _ = run(capsys, "answer", CASE, "2.1.1.a", "yes", "--workspace", workspace)
    assert (code, out) == (0, "2.1.1.a unchanged (revision 2)\n")
    # An empty value clears the item.
    code, _, _ = run(capsys, "answer", CASE, "2.1.1.a", "", "--workspace", workspace)
    assert code == 0
    revision, _, items, _ = snapshot(workspace)
    assert revision == 3 and "2.1.1.a" not in items


@pytest.mark.parametrize(("item", "value", "message"), [
    ("2.1.1.a", "maybe", "2.1.1.a: 'maybe' is not one of yes, no"),
    ("2.1.1", "na", "2.1.1: 'na' is not one of yes, no"),
    ("9.9.9", "yes", "'9.9.9' is not an item of framework nps-2019-20"),
    ("1.1.1", "yes", "key question 1.1.1 is judged qualitatively, not per case"),
    ("record:interview_mode", "banana", "is not one of in_person, phone, substitute, file_read"),
    ("record:nope", "x", "'record:nope' is not an item of framework nps-2019-20"),
    ("case:nope", "x", "'case:nope' is not a case question of nps-2019-20"),
    ("case:inspector_rosh", "huge", "is not one of low, medium, high, very_high"),
    ("note:9.9", "text", "'9.9' is not a key question of nps-2019-20"),
])
def test_a_bad_answer_is_one_line_and_changes_nothing(
        untouched: str, untouched_state: tuple[Any, ...], capsys: pytest.CaptureFixture[str],
        item: str, value: str, message: str) -> None:
    code, out, err = run(capsys, "answer", CASE, item, value, "--workspace", untouched)
    assert_one_line_error(code, out, err, message)
    assert snapshot(untouched) == untouched_state


def test_an_unknown_case_is_one_line_and_changes_nothing(
        untouched: str, untouched_state: tuple[Any, ...],
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "answer", "DEMO-NOPE", "2.1.1.a", "yes",
                         "--workspace", untouched)
    assert_one_line_error(code, out, err, "no case 'DEMO-NOPE' in this workspace")
    assert snapshot(untouched) == untouched_state


def test_note_saves_the_evidence_note_trimmed(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "note", CASE, "2.1.1", "Seen in the OASys review.  \n",
                         "--workspace", workspace)
    assert code == 0, err
    assert out.startswith("saved note:2.1.1 = 'Seen in the OASys review.' (revision 1,")
    assert snapshot(workspace)[2]["note:2.1.1"] == "Seen in the OASys review."
    code, out, err = run(capsys, "note", CASE, "9.9.9", "text", "--workspace", workspace)
    assert_one_line_error(code, out, err, "'9.9.9' is not a key question")
    code, _, _ = run(capsys, "note", CASE, "2.1.1", "", "--workspace", workspace)
    assert code == 0
    revision, _, items, _ = snapshot(workspace)
    assert revision == 2 and "note:2.1.1" not in items


def test_a_hurdle_sets_the_judgement_in_the_same_save_and_locks_it(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "answer", CASE, "2.1.3.d", "no", "--workspace", workspace,
                         "--json")
    assert code == 0, err
    change = json.loads(out)
    assert (change["revision"], change["also_changed"]) == (1, {"2.1.3": [None, "no"]})
    before = snapshot(workspace)
    assert before[2]["2.1.3"] == "no"
    code, out, err = run(capsys, "answer", CASE, "2.1.3", "yes", "--workspace", workspace)
    assert_one_line_error(code, out, err, "2.1.3 is set to 'no' by a hurdle")
    assert snapshot(workspace) == before


# -- complete ---------------------------------------------------------------------------------


def _value_for(framework: Framework, item: str) -> str:
    if item in ("record:conflict_declared", "record:excluded"):
        return "no"
    if item == "record:interview_mode":
        return "in_person"
    if item.startswith("case:"):
        return framework.fields_by_id[item.removeprefix("case:")].values[-1]
    return "yes"


def fill_required(folder: str, case: str) -> None:
    """Answer every required item through the Workspace API, as the form would, and say why
    the inspector's RoSH judgement differs from the recorded one (a must fix for QA)."""
    with Workspace.open(Path(folder), PASSPHRASE) as ws:
        case_id = ws.find_case(case).id
        for _ in range(500):
            a = ws.read_assessment(case_id)
            todo = [i for i in required_items(a.framework, a.rules, a.items)
                    if not a.items.get(i)]
            if not todo:
                ws.save_item(case_id, "record:rosh_difference_reason",
                             "Recent threats to a former partner.")
                return
            ws.save_item(case_id, todo[0], _value_for(a.framework, todo[0]))
    raise AssertionError("the required items never ran out")


def test_complete_is_refused_with_the_missing_count_then_accepted(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(Path(workspace), PASSPHRASE) as ws:
        a = ws.read_assessment(CASE)
        missing = len(a.completeness.missing)
    assert missing == a.completeness.required > 0
    before = snapshot(workspace)
    code, out, err = run(capsys, "complete", CASE, "--workspace", workspace)
    assert_one_line_error(code, out, err,
                          f"cannot mark complete: {missing} item(s) missing (")
    assert snapshot(workspace) == before

    fill_required(workspace, CASE)
    revision = snapshot(workspace)[0]
    code, out, err = run(capsys, "complete", CASE, "--workspace", workspace)
    assert (code, err) == (0, "")
    assert out == f"{CASE} marked complete (revision {revision + 1})\n"
    mine = next(c for c in cases_json(capsys, workspace) if c["case_ref"] == CASE)
    assert mine["status"] == "complete" and mine["completeness"]["percent"] == 100

    # Any later change puts the case back in progress.
    code, out, _ = run(capsys, "note", CASE, "2.1.1", "Added after completion.",
                       "--workspace", workspace)
    assert code == 0 and out.endswith("in_progress)\n")


def test_complete_is_refused_while_a_conflict_of_interest_is_declared(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    fill_required(workspace, CASE)
    run(capsys, "answer", CASE, "record:conflict_declared", "yes", "--workspace", workspace)
    code, out, err = run(capsys, "complete", CASE, "--workspace", workspace)
    assert_one_line_error(code, out, err, "a conflict of interest is declared")
    code, out, err = run(capsys, "answer", CASE, "2.1.1.a", "no", "--workspace", workspace)
    assert_one_line_error(code, out, err, "the form is blocked")


# -- history ----------------------------------------------------------------------------------


def chain(entries: list[dict[str, Any]]) -> bool:
    """Recompute the hash chain exactly as docs/data-model.md states it."""
    prev = ""
    for e in entries:
        row = [prev, e["case_id"], e["at"], e["actor"], e["action"], e["item"], e["old"],
               e["new"], e["revision"]]
        payload = json.dumps(row, separators=(",", ":"), ensure_ascii=False)
        if hashlib.sha256(payload.encode("utf-8")).hexdigest() != e["hash"]:
            return False
        prev = e["hash"]
    return True


def test_history_json_lists_every_change_in_a_hash_chain(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("answer", CASE, "record:interview_mode", "phone"),
                 ("answer", CASE, "2.1.1.a", "yes"),
                 ("answer", CASE, "2.1.1.a", "no"),
                 ("note", CASE, "2.1.1", "Évidence – “quoted”")):
        assert run(capsys, *argv, "--workspace", workspace)[0] == 0
    code, out, err = run(capsys, "history", CASE, "--workspace", workspace, "--json")
    assert code == 0, err
    entries = json.loads(out)
    assert all(set(e) == AUDIT_FIELDS for e in entries)
    assert [e["action"] for e in entries[:2]] == ["add_case", "assign"]
    assert [(e["action"], e["item"], e["old"], e["new"], e["revision"])
            for e in entries[2:]] == [
        ("set", "record:interview_mode", None, "phone", 1),
        ("status", "status", "not_started", "in_progress", 1),
        ("set", "2.1.1.a", None, "yes", 2),
        ("set", "2.1.1.a", "yes", "no", 3),
        ("set", "note:2.1.1", None, "Évidence – “quoted”", 4),
    ]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert {e["actor"] for e in entries} == {"Robin Demo-Assessor"}
    assert chain(entries)
    with Workspace.open(Path(workspace), PASSPHRASE) as ws:
        assert ws.verify_history(entries[0]["case_id"])

    code, out, _ = run(capsys, "history", CASE, "2.1.1.a", "--workspace", workspace, "--json")
    assert code == 0
    assert [(e["old"], e["new"]) for e in json.loads(out)] == [(None, "yes"), ("yes", "no")]

    code, out, _ = run(capsys, "history", CASE, "--workspace", workspace)
    assert code == 0 and len(out.splitlines()) == len(entries)


# -- passphrase and opening failures ---------------------------------------------------------


def test_passphrase_change_re_keys_the_workspace(
        workspace: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_NEW_PASSPHRASE", "password1234")
    code, out, err = run(capsys, "passphrase", "change", "--workspace", workspace)
    assert_one_line_error(code, out, err, "that passphrase is too common")
    assert len(cases_json(capsys, workspace)) == 24  # the old one still opens it

    monkeypatch.setenv("HMIP_NEW_PASSPHRASE", NEW_PASSPHRASE)
    code, out, err = run(capsys, "passphrase", "change", "--workspace", workspace)
    assert (code, out, err) == (0, "passphrase changed\n", "")

    code, out, err = run(capsys, "cases", "--workspace", workspace, "--json")
    assert_one_line_error(code, out, err, "wrong passphrase")
    monkeypatch.setenv("HMIP_PASSPHRASE", NEW_PASSPHRASE)
    assert len(cases_json(capsys, workspace)) == 24


def test_a_wrong_passphrase_is_one_line_without_a_traceback(
        untouched: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", "not-the-passphrase")
    code, out, err = run(capsys, "cases", "--workspace", untouched)
    assert_one_line_error(code, out, err, "wrong passphrase")
    code, out, err = run(capsys, "answer", CASE, "2.1.1.a", "yes", "--workspace", untouched)
    assert_one_line_error(code, out, err, "wrong passphrase")
    assert sorted(Path(untouched).iterdir()) == [Path(untouched) / "workspace.hmip",
                                                 Path(untouched) / "workspace.hmipkey"]


def test_no_passphrase_and_no_terminal_is_one_line(
        untouched: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HMIP_PASSPHRASE")
    code, out, err = run(capsys, "cases", "--workspace", untouched)
    assert_one_line_error(code, out, err, "no passphrase: set HMIP_PASSPHRASE")


def test_a_missing_or_empty_workspace_folder_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = run(capsys, "cases", "--workspace", str(missing))
    assert_one_line_error(code, out, err, f"{missing}: no such folder")
    assert not missing.exists()
    code, out, err = run(capsys, "history", CASE, "--workspace", str(tmp_path))
    assert_one_line_error(code, out, err, "not a hmip-desktop workspace")


def test_complete_is_refused_with_what_the_qa_sign_off_would_refuse(
        workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    fill_required(workspace, CASE)
    for command in (("note", CASE, "2.1.1", "Thin."), ("answer", CASE, "2.1.1", "no")):
        assert run(capsys, *command, "--workspace", workspace)[0] == 0
    before = snapshot(workspace)
    code, out, err = run(capsys, "complete", CASE, "--workspace", workspace)
    assert_one_line_error(code, out, err, "the QA partner could not sign it off")
    assert "Evidence note for 2.1.1 Does assessment" in err  # the item's words, not its key
    assert "note:2.1.1" not in err
    assert snapshot(workspace) == before
    run(capsys, "note", CASE, "2.1.1", "The assessment did not draw on the police "
        "information about domestic abuse.", "--workspace", workspace)
    code, out, err = run(capsys, "complete", CASE, "--workspace", workspace)
    assert code == 0 and "marked complete" in out
