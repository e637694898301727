"""An alert tracked to closed at the lead's or a deputy's machine; anyone else is refused."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.store.tables import connection
from hmip_desktop.team.alert_tracking import (
    alerts_by_kind_and_state,
    take_step,
    tracked_alert,
)
from hmip_desktop.team.alerts import raise_organisational_alert
from hmip_desktop.team.roles import grant_role, withdraw_role
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import PASSPHRASE, Env
from tests.team.test_organisational_alerts import SYSTEMIC


def _lead_with_the_alert(env: Env) -> str:
    """The lead imports the first assessor's bundle, which carries one alert; its id."""
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    (alert_id,) = [str(r[0]) for r in connection(lead).execute("SELECT id FROM alerts")]
    return alert_id


def test_the_lead_tracks_a_case_alert_to_closed_with_who_when_and_notes(
        answered_env: Env) -> None:
    alert_id = _lead_with_the_alert(answered_env)
    lead = answered_env.ws("lead")
    take_step(lead, alert_id, "acknowledged")
    assert dashboard(lead, answered_env.team.iid)[0].open_alerts == 0
    take_step(lead, alert_id, "assurance", "Asked the head of service for a safety plan")
    take_step(lead, alert_id, "evidence", "Safety plan received, dated today")
    take_step(lead, alert_id, "closed", "Risk contained; recorded for the findings")
    t = tracked_alert(lead, alert_id)
    assert (t.kind, t.state, t.state_words) == ("individual", "closed", "Closed")
    assert [(s.step, s.taken_by) for s in t.steps] == [
        ("acknowledged", "Jules Pennyfold"), ("assurance", "Jules Pennyfold"),
        ("evidence", "Jules Pennyfold"), ("closed", "Jules Pennyfold")]
    assert t.steps[2].note == "Safety plan received, dated today"
    steps = [e for e in lead.history(None) if e.action == "alert_step"]
    assert [(e.old, e.new.split(":")[0]) for e in steps] == [
        ("raised", "acknowledged"), ("acknowledged", "assurance"), ("assurance", "evidence"),
        ("evidence", "closed")]
    assert alerts_by_kind_and_state(lead, answered_env.team.iid) == [("individual", "closed", 1)]


def test_steps_out_of_order_or_without_a_note_are_refused_and_write_nothing(
        answered_env: Env) -> None:
    alert_id = _lead_with_the_alert(answered_env)
    lead = answered_env.ws("lead")
    before = len(lead.history(None))
    with pytest.raises(UserError, match="cannot be marked 'Closed' now"):
        take_step(lead, alert_id, "closed", "Done")
    with pytest.raises(UserError, match="needs a note"):
        take_step(lead, alert_id, "assurance", "  ")
    with pytest.raises(UserError, match="Unknown step"):
        take_step(lead, alert_id, "forgotten")
    with pytest.raises(UserError, match="No such alert"):
        take_step(lead, "nope", "acknowledged")
    take_step(lead, alert_id, "acknowledged")
    with pytest.raises(UserError, match="cannot be marked 'Acknowledged' now"):
        take_step(lead, alert_id, "acknowledged")
    assert len(lead.history(None)) == before + 1
    assert tracked_alert(lead, alert_id).state == "acknowledged"


def test_only_the_lead_or_a_deputy_changes_an_alert_state(answered_env: Env) -> None:
    team = answered_env.team
    assessor = answered_env.ws("a1")
    (own,) = [str(r[0]) for r in connection(assessor).execute("SELECT id FROM alerts")]
    before = len(assessor.history(None))
    with pytest.raises(UserError, match="Only the lead or a deputy lead can change"):
        take_step(assessor, own, "acknowledged")  # the assessor's own alert
    assert len(assessor.history(None)) == before
    assert tracked_alert(assessor, own).state == "raised"
    qa = answered_env.ws("qa")
    grant_role(qa, team.iid, team.member_ids["qa"], "deputy")
    alert = raise_organisational_alert(qa, team.iid, **SYSTEMIC)
    take_step(qa, alert.alert_id, "acknowledged")
    take_step(qa, alert.alert_id, "assurance", "Wrote to the director")
    assert tracked_alert(qa, alert.alert_id).state == "assurance"
    withdraw_role(qa, team.iid, team.member_ids["qa"], "deputy")
    before = len(qa.history(None))
    with pytest.raises(UserError, match="Only the lead or a deputy lead can change"):
        take_step(qa, alert.alert_id, "evidence", "Letter received")
    assert len(qa.history(None)) == before
    assert tracked_alert(qa, alert.alert_id).state == "assurance"


def test_the_cli_steps_an_alert_and_shows_its_state_in_words(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    alert_id = _lead_with_the_alert(answered_env)
    answered_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    ws_arg = ("--workspace", str(answered_env.folder("lead")))
    assert run(capsys, "alert", "step", alert_id, "acknowledged", *ws_arg) == (
        0, "alert marked 'Acknowledged' by Jules Pennyfold\n", "")
    code, out, err = run(capsys, "alert", "step", alert_id, "closed", "--note", "x", *ws_arg)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert "it cannot be marked 'Closed' now" in err
    code, out, err = run(capsys, "alert", "step", alert_id, "assurance",
                         "--note", "Asked for a safety plan", *ws_arg)
    assert code == 0
    code, out, _err = run(capsys, "alerts", *ws_arg)
    assert "state: Assurance sought" in out
    assert "Assurance sought: Jules Pennyfold" in out and "Asked for a safety plan" in out
    code, out, _err = run(capsys, "alerts", "--json", *ws_arg)
    (listed,) = json.loads(out)
    assert listed["state"] == "assurance"
    assert [s["step"] for s in listed["steps"]] == ["acknowledged", "assurance"]
