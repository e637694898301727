"""The CLI's ``reassign`` and its refusal of a change to a case the workspace does not own."""

from __future__ import annotations

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import NAMES, PASSPHRASE, Env


def refused(code: int, out: str, err: str, *words: str) -> None:
    assert code == 1 and out == "", (code, out, err)
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err
    assert all(w in err for w in words), err


def test_answer_note_and_complete_on_a_case_not_owned_are_refused_naming_the_owner(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    lead = answered_env.ws("lead")
    service.import_file(lead, answered_env.bundle("a1-1.hmipb"))
    before = _held(lead, answered_env.team.case_ids["RT-101"])
    answered_env.close("lead")
    folder = str(answered_env.folder("lead"))
    for argv in (("answer", "RT-101", "2.1.1", "no"), ("note", "RT-101", "2.1.1", "edited"),
                 ("complete", "RT-101")):
        refused(*run(capsys, *argv, "--workspace", folder), "RT-101", NAMES["a1"])
    assert _held(answered_env.ws("lead"), answered_env.team.case_ids["RT-101"]) == before


def _held(ws: Workspace, case_id: str) -> tuple[object, ...]:
    a = ws.read_assessment(case_id)
    return a.revision, a.status, a.items, len(ws.history())


def test_reassign_gives_the_case_to_the_new_owner_and_refuses_bad_input(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    folder = str(answered_env.folder("lead"))
    base = ("reassign", "RT-101", "--workspace", folder)
    refused(*run(capsys, *base, "--to", "Nobody Known", "--reason", "ill"), "Nobody Known")
    refused(*run(capsys, *base, "--to", NAMES["a1"], "--reason", "ill"), "already")
    refused(*run(capsys, *base, "--to", NAMES["a2"], "--reason", " "), "reason")
    refused(*run(capsys, "reassign", "RT-102", "--workspace", str(answered_env.folder("a2")),
                 "--to", NAMES["a2"], "--reason", "ill"), "lead")
    code, out, err = run(capsys, *base, "--to", NAMES["a2"], "--reason", "Robin is ill")
    assert (code, err) == (0, "")
    assert out.startswith(f"reassigned RT-101 to {NAMES['a2']} on ")
    lead = answered_env.ws("lead")
    assert lead.ownership(answered_env.team.case_ids["RT-101"]).owner == NAMES["a2"]
