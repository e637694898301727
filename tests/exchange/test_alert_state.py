"""An alert's state travels back: raised on the assessor's laptop, tracked by the deputy lead
to closed, and shown again where it was raised; the lead's tracking takes the deputy's steps."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from hmip_desktop.bundles import KIND_ALERT_STATE
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.alert_bundles import export_alert
from hmip_desktop.exchange.alert_states import export_alert_state
from hmip_desktop.exchange.identity import new_identity
from hmip_desktop.store.tables import connection
from hmip_desktop.team import alert_tracking
from hmip_desktop.team.alert_tracking import take_step, tracked_alert
from hmip_desktop.team.roles import grant_role
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import PASSPHRASE, Env, digests
from tests.exchange.helpers import opened, reseal

HARM = {"what_might_happen": "Harm to a child at home", "how_serious": "Serious",
        "how_imminent": "Within days", "action_asked": "Tell the manager today"}
NOTES = {"assurance": "Asked the manager to confirm a home visit",
         "evidence": "Visit record received from the manager",
         "closed": "Action confirmed by evidence"}


def _state_rows(env: Env, who: str) -> int:
    return int(connection(env.ws(who)).execute(
        "SELECT count(*) FROM alert_state_steps").fetchone()[0])


def _with_deputy(env: Env) -> None:
    """The lead makes the second assessor deputy lead and re-issues the two assessors' packs."""
    lead = env.ws("lead")
    grant_role(lead, env.team.iid, env.team.member_ids["a2"], "deputy")
    for who in ("a2", "a1"):
        path = packs.make_pack(lead, env.team.iid, env.team.member_ids[who],
                               env.bundle(f"{who}-again.hmippack"))
        service.import_file(env.ws(who), path)


def _raised_and_received(env: Env) -> str:
    a1 = env.ws("a1")
    alert = a1.raise_alert(env.team.cases_of("a1")[0], **HARM)
    path = export_alert(a1, alert.id, env.bundle("alert.hmipalert"))
    for who in ("a2", "lead"):
        service.import_file(env.ws(who), path)
    return alert.id


def test_the_deputys_steps_reach_the_assessor_and_the_lead(ready_env: Env) -> None:
    _with_deputy(ready_env)
    alert_id = _raised_and_received(ready_env)
    a2 = ready_env.ws("a2")
    take_step(a2, alert_id, "acknowledged")
    first = export_alert_state(a2, alert_id, ready_env.bundle("state-1.hmipstate"))
    report = service.import_file(ready_env.ws("a1"), first)
    assert report.lines() == ["Imported the state of an alert from Casey Marrowby",
                              "  The alert is now 'Acknowledged'",
                              "  Acknowledged: Casey Marrowby"]
    for step, note in NOTES.items():
        take_step(a2, alert_id, step, note)
    last = export_alert_state(a2, alert_id, ready_env.bundle("state-2.hmipstate"))
    service.import_file(ready_env.ws("a1"), last)
    seen = tracked_alert(ready_env.ws("a1"), alert_id)
    assert (seen.state_words, [s.step for s in seen.steps]) == (
        "Closed", ["acknowledged", "assurance", "evidence", "closed"])
    assert seen.steps[1].note == NOTES["assurance"]
    # The lead acknowledged too before the deputy's state came: no step twice, order kept.
    lead = ready_env.ws("lead")
    take_step(lead, alert_id, "acknowledged")
    service.import_file(lead, last)
    at_lead = tracked_alert(lead, alert_id)
    assert [(s.step, s.taken_by) for s in at_lead.steps] == [
        ("acknowledged", "Jules Pennyfold"), ("assurance", "Casey Marrowby"),
        ("evidence", "Casey Marrowby"), ("closed", "Casey Marrowby")]
    # The older state, arriving after the newer one, is ignored with a note; a replay too.
    older = service.import_file(lead, first)
    assert older.lines()[1] == ("  Ignored: an older state of this alert from Casey Marrowby; "
                                "the newer one already imported stands")
    assert len(tracked_alert(lead, alert_id).steps) == 4
    replay = service.import_file(ready_env.ws("a1"), first)
    assert replay.lines() == [
        "Already imported: this bundle from Casey Marrowby changed nothing"]
    assert _state_rows(ready_env, "a1") == 4


def _genuine(env: Env) -> tuple[str, Path]:
    _with_deputy(env)
    alert_id = _raised_and_received(env)
    take_step(env.ws("a2"), alert_id, "acknowledged")
    return alert_id, export_alert_state(env.ws("a2"), alert_id, env.bundle("s.hmipstate"))


def _refused(env: Env, forged: bytes) -> str:
    path = env.bundle("forged.hmipstate")
    path.write_bytes(forged)
    env.close()
    before = digests(env.folder("a1"))
    with pytest.raises(UserError) as refused:
        service.import_file(env.ws("a1"), path)
    env.close()
    assert digests(env.folder("a1")) == before
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_state_from_a_non_member_is_refused_and_writes_nothing(ready_env: Env) -> None:
    _alert_id, path = _genuine(ready_env)
    team = ready_env.team
    entries = opened(path.read_bytes(), team.identities["a1"], team.identities["a2"])
    outsider = new_identity("Ashley Nobody", "lead")
    message = _refused(ready_env, reseal(entries, sender=outsider,
                                         recipients=[team.identities["a1"]],
                                         inspection_id=team.iid, sequence=50,
                                         kind=KIND_ALERT_STATE))
    assert message == "the bundle is signed by a key this workspace does not know"


def test_a_state_from_a_member_who_is_not_lead_or_deputy_is_refused(ready_env: Env) -> None:
    _alert_id, path = _genuine(ready_env)
    team = ready_env.team
    entries = opened(path.read_bytes(), team.identities["a1"], team.identities["a2"])
    manifest = {**entries[0][1], "sender": {**entries[0][1]["sender"],
                                            "key_id": team.key_id("qa").hex()}}
    message = _refused(ready_env, reseal([("manifest.json", manifest), *entries[1:]],
                                         sender=team.identities["qa"],
                                         recipients=[team.identities["a1"]],
                                         inspection_id=team.iid, sequence=50,
                                         kind=KIND_ALERT_STATE))
    assert message == ("refused: Morgan Thistlecombe is neither the lead nor a deputy lead, "
                       "so cannot change an alert's state")


def test_a_state_about_an_alert_not_held_is_refused(ready_env: Env) -> None:
    _alert_id, path = _genuine(ready_env)
    team = ready_env.team
    entries = opened(path.read_bytes(), team.identities["a1"], team.identities["a2"])
    state = {**entries[1][1], "alert_id": uuid.uuid4().hex}
    message = _refused(ready_env, reseal([entries[0], ("alert_state.json", state)],
                                         sender=team.identities["a2"],
                                         recipients=[team.identities["a1"]],
                                         inspection_id=team.iid, sequence=50,
                                         kind=KIND_ALERT_STATE))
    assert message == ("refused: the alert-state bundle is about an alert this workspace does "
                       "not hold")


def test_only_the_lead_or_a_deputy_sends_a_state(ready_env: Env) -> None:
    _with_deputy(ready_env)
    alert_id = _raised_and_received(ready_env)
    with pytest.raises(UserError, match="Only the lead or a deputy lead"):
        export_alert_state(ready_env.ws("a1"), alert_id, ready_env.bundle("no.hmipstate"))
    assert not ready_env.bundle("no.hmipstate").exists()


def test_end_to_end_through_the_cli_with_three_workspaces(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Assessor (a1), deputy lead (a2) and lead, each a workspace of their own."""
    ready_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)

    def cli(who: str, *argv: str) -> str:
        code, out, err = run(capsys, *argv, "--workspace", str(ready_env.folder(who)))
        assert (code, err) == (0, ""), err
        return out

    cli("lead", "role", "grant", "Casey Marrowby", "deputy")
    for who, name in (("a2", "Casey Marrowby"), ("a1", "Robin Quillfeather")):
        pack = ready_env.bundle(f"{who}-again.hmippack")
        cli("lead", "pack", "--member", name, "--out", str(pack))
        cli(who, "import", str(pack))
    alert_file = ready_env.bundle("raised.hmipalert")
    out = cli("a1", "alert", "raise", "--case", "RT-101", "--what", HARM["what_might_happen"],
              "--serious", HARM["how_serious"], "--imminent", HARM["how_imminent"],
              "--action-asked", HARM["action_asked"], "--out", str(alert_file))
    alert_id = out.splitlines()[0].removeprefix("alert raised: ")
    cli("a2", "import", str(alert_file))
    cli("lead", "import", str(alert_file))
    states = []
    for n, (step, note) in enumerate([("acknowledged", ""), *NOTES.items()]):
        states.append(ready_env.bundle(f"state-{n}.hmipstate"))
        cli("a2", "alert", "step", alert_id, step, *(("--note", note) if note else ()),
            "--out", str(states[-1]))
    cli("a2", "alert", "send-state", alert_id, "--out",
        str(ready_env.bundle("again.hmipstate")))
    cli("a1", "import", str(ready_env.bundle("again.hmipstate")))
    shown = cli("a1", "alerts")
    assert "    state: Closed" in shown.splitlines()
    assert ("    Evidence of action received: Casey Marrowby" in shown
            and NOTES["evidence"] in shown)
    (mine,) = json.loads(cli("a1", "alerts", "--json"))
    assert (mine["alert_id"], mine["state"]) == (alert_id, "closed")
    cli("lead", "import", str(states[-1]))
    (at_lead,) = json.loads(cli("lead", "alerts", "--json"))
    assert at_lead["state"] == "closed"
    assert [(s["step"], s["taken_by"]) for s in at_lead["steps"]] == [
        ("acknowledged", "Casey Marrowby"), ("assurance", "Casey Marrowby"),
        ("evidence", "Casey Marrowby"), ("closed", "Casey Marrowby")]
    # An older state after the newer one: nothing applied, status 3 (not an error).
    code, older, err = run(capsys, "import", str(states[1]), "--workspace",
                           str(ready_env.folder("lead")))
    assert (code, err) == (3, "")
    assert "Ignored: an older state of this alert from Casey Marrowby" in older


def test_a_state_whose_note_reverses_text_is_refused(ready_env: Env) -> None:
    _alert_id, path = _genuine(ready_env)
    team = ready_env.team
    entries = opened(path.read_bytes(), team.identities["a1"], team.identities["a2"])
    state = entries[1][1]
    steps = [{**state["steps"][0], "note": "Seen \u202eyadot"}]
    message = _refused(ready_env, reseal([entries[0], ("alert_state.json",
                                                       {**state, "steps": steps})],
                                         sender=team.identities["a2"],
                                         recipients=[team.identities["a1"]],
                                         inspection_id=team.iid, sequence=50,
                                         kind=KIND_ALERT_STATE))
    assert message.startswith("refused: the alert's state: a note contains a character that "
                              "reverses the direction of text")


def test_steps_that_do_not_follow_the_leads_are_left_out_with_a_note(
        ready_env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    # Steps can only part ways through advice, which only the DIPP manual (§6.7) gives: this
    # team's inspection is allowed it here as a DIPP inspection would be.
    monkeypatch.setattr(alert_tracking, "advice_allowed", lambda _ws, _iid: True)
    _with_deputy(ready_env)
    alert_id = _raised_and_received(ready_env)
    lead, a2 = ready_env.ws("lead"), ready_env.ws("a2")
    take_step(lead, alert_id, "advice", "Below the threshold: advice given")
    take_step(a2, alert_id, "acknowledged")
    take_step(a2, alert_id, "assurance", NOTES["assurance"])
    report = service.import_file(lead, export_alert_state(a2, alert_id,
                                                          ready_env.bundle("s.hmipstate")))
    assert report.lines()[1:] == [
        "  The alert is now 'Advice below the alert threshold: no follow-up needed'",
        "  No new step to add",
        "  A step received does not follow the steps held here and was not added"]
    assert [s.step for s in tracked_alert(lead, alert_id).steps] == ["advice"]
