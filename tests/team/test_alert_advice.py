"""Advice below the alert threshold only where the framework's manual describes it (DIPP
§6.7); on a probation or youth inspection it is refused in one line and nothing is written."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.frameworks import load_framework
from hmip_desktop.store.tables import connection
from hmip_desktop.team.alert_tracking import take_step, tracked_alert
from tests.cli_helpers import run_cli as run
from tests.consolidation.builders import LEAD, add_inspection, generated_cases, lead_workspace
from tests.consolidation.builders import PASSPHRASE as LEAD_PASSPHRASE
from tests.exchange.conftest import PASSPHRASE, Env

REFUSED = ("This inspection's manual gives no advice below the alert threshold: "
           "track the alert to closed instead.")
RISK = {"what_might_happen": "A missed home visit", "how_serious": "Below the threshold",
        "how_imminent": "Not imminent", "action_asked": "Advice to the practitioner"}


def _lead_with_the_alert(env: Env) -> str:
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    (alert_id,) = [str(r[0]) for r in connection(lead).execute("SELECT id FROM alerts")]
    return alert_id


def test_a_probation_inspection_refuses_advice_and_writes_nothing(answered_env: Env) -> None:
    alert_id = _lead_with_the_alert(answered_env)
    lead = answered_env.ws("lead")
    assert tracked_alert(lead, alert_id).next_steps == ("acknowledged",)
    before = len(lead.history(None))
    with pytest.raises(UserError) as refused:
        take_step(lead, alert_id, "advice", "Advice given to the practitioner")
    assert str(refused.value) == REFUSED
    assert len(lead.history(None)) == before
    assert tracked_alert(lead, alert_id).state == "raised"
    take_step(lead, alert_id, "acknowledged")
    assert tracked_alert(lead, alert_id).next_steps == ("assurance",)
    with pytest.raises(UserError, match="gives no advice below the alert threshold"):
        take_step(lead, alert_id, "advice", "Advice given to the practitioner")


def test_the_cli_refuses_advice_on_a_probation_inspection(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    alert_id = _lead_with_the_alert(answered_env)
    answered_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws_arg = ("--workspace", str(answered_env.folder("lead")))
    code, out, err = run(capsys, "alert", "step", alert_id, "advice", "--note",
                         "Advice given to the practitioner", *ws_arg)
    assert (code, out) == (1, "") and err.count("\n") == 1 and REFUSED in err
    assert tracked_alert(answered_env.ws("lead"), alert_id).state == "raised"


def test_a_dipp_inspection_records_advice_needing_no_follow_up(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws = lead_workspace(tmp_path / "lead")
    built = add_inspection(ws, "dipp-2025",
                           generated_cases(load_framework("dipp-2025"), random.Random(4), 3))
    first = ws.raise_alert(built.case_ids[0], **RISK)
    second = ws.raise_alert(built.case_ids[1], **RISK)
    assert tracked_alert(ws, first.id).next_steps == ("acknowledged", "advice")
    take_step(ws, first.id, "advice", "Advice given to the practitioner; below the threshold")
    t = tracked_alert(ws, first.id)
    assert (t.state_words, t.next_steps) == (
        "Advice below the alert threshold: no follow-up needed", ())
    with pytest.raises(UserError, match="cannot be marked 'Assurance sought' now"):
        take_step(ws, first.id, "assurance", "More")
    ws.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", LEAD_PASSPHRASE)
    code, out, _err = run(capsys, "alert", "step", second.id, "advice", "--note",
                          "Advice given; no feedback is required",
                          "--workspace", str(tmp_path / "lead"))
    assert (code, out) == (0, "alert marked 'Advice below the alert threshold: no follow-up "
                              f"needed' by {LEAD}\n")
