"""An alert raised on an assessor's laptop reaches the lead and the deputy as its own bundle."""

from __future__ import annotations

import json

import pytest

from hmip_desktop.bundles import KIND_ALERT
from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.alert_bundles import export_alert
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.identity import new_identity
from hmip_desktop.team.alert_tracking import alerts_by_kind_and_state, take_step, tracked_alert
from hmip_desktop.team.roles import grant_role
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import PASSPHRASE, Env, count, digests
from tests.exchange.helpers import opened, reseal

HARM = {"what_might_happen": "Harm to a child at home", "how_serious": "Serious",
        "how_imminent": "Within days", "action_asked": "Tell the manager today"}


def _deputy_is_qa(env: Env) -> None:
    """Every laptop of the team knows the QA inspector is also the deputy lead."""
    for who in ("lead", "a1", "qa"):
        grant_role(env.ws(who), env.team.iid, env.team.member_ids["qa"], "deputy")


def test_the_alert_reaches_the_lead_and_the_deputy_and_is_tracked_once(ready_env: Env) -> None:
    _deputy_is_qa(ready_env)
    a1 = ready_env.ws("a1")
    alert = a1.raise_alert(ready_env.team.cases_of("a1")[0], **HARM)
    path = export_alert(a1, alert.id, ready_env.bundle("alert.hmipalert"))
    for who in ("lead", "qa"):
        report = service.import_file(ready_env.ws(who), path)
        assert report.lines() == ["Imported an alert from Robin Quillfeather",
                                  "  An alert on case RT-101: Harm to a child at home"]
        assert tracked_alert(ready_env.ws(who), alert.id).state == "raised"
    lead = ready_env.ws("lead")
    again = service.import_file(lead, path)
    assert again.already_imported
    take_step(ready_env.ws("qa"), alert.id, "acknowledged")
    take_step(lead, alert.id, "acknowledged")
    # The case's bundle brings the same alert later: still one alert, still acknowledged.
    export_assessments(a1, ready_env.team.iid, ready_env.bundle("a1-1.hmipb"))
    service.import_file(lead, ready_env.bundle("a1-1.hmipb"))
    assert alerts_by_kind_and_state(lead, ready_env.team.iid) == [
        ("individual", "acknowledged", 1)]


def test_an_alert_bundle_from_a_non_member_is_refused_and_writes_nothing(
        ready_env: Env) -> None:
    a1 = ready_env.ws("a1")
    alert = a1.raise_alert(ready_env.team.cases_of("a1")[0], **HARM)
    path = export_alert(a1, alert.id, ready_env.bundle("alert.hmipalert"))
    team = ready_env.team
    entries = opened(path.read_bytes(), team.identities["lead"], team.identities["a1"])
    outsider = new_identity("Ashley Nobody", "assessor")
    forged = ready_env.bundle("forged.hmipalert")
    forged.write_bytes(reseal(entries, sender=outsider, recipients=[team.identities["lead"]],
                              inspection_id=team.iid, sequence=9, kind=KIND_ALERT))
    ready_env.close()
    before = digests(ready_env.folder("lead"))
    lead = ready_env.ws("lead")
    with pytest.raises(UserError) as refused:
        service.import_file(lead, forged)
    assert "\n" not in str(refused.value)
    assert count(lead, "received_alerts") == 0
    ready_env.close()
    assert digests(ready_env.folder("lead")) == before


def test_the_cli_raises_and_writes_the_alert_bundle_at_once(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ready_env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    out = ready_env.bundle("now.hmipalert")
    code, printed, err = run(
        capsys, "alert", "raise", "--case", "RT-101", "--what", HARM["what_might_happen"],
        "--serious", HARM["how_serious"], "--imminent", HARM["how_imminent"],
        "--action-asked", HARM["action_asked"], "--out", str(out),
        "--workspace", str(ready_env.folder("a1")))
    assert (code, err) == (0, "")
    assert printed.splitlines()[1] == (
        f"alert bundle for the lead and the deputy lead written to {out}")
    lead_arg = ("--workspace", str(ready_env.folder("lead")))
    assert run(capsys, "import", str(out), *lead_arg)[0] == 0
    code, printed, _err = run(capsys, "alerts", "--json", *lead_arg)
    (listed,) = json.loads(printed)
    assert (listed["kind"], listed["case_ref"], listed["state"]) == ("received", "RT-101",
                                                                     "raised")
