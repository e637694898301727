"""The lead's dashboard counts an alert that arrived on its own, ahead of its case's work, in
the case's open alerts: once, also after the case's bundle brings the same alert."""

from __future__ import annotations

from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.exchange import service
from hmip_desktop.exchange.alert_bundles import export_alert
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.team.alert_tracking import take_step
from tests.exchange.conftest import Env

HARM = {"what_might_happen": "Harm to a child at home", "how_serious": "Serious",
        "how_imminent": "Within days", "action_asked": "Tell the manager today"}


def _open_alerts(env: Env) -> dict[str, int]:
    return {r.case_ref: r.open_alerts for r in dashboard(env.ws("lead"), env.team.iid)}


def test_an_alert_on_its_own_counts_once_before_and_after_its_case_arrives(
        ready_env: Env) -> None:
    a1, lead = ready_env.ws("a1"), ready_env.ws("lead")
    case_id = ready_env.team.cases_of("a1")[0]
    ref = a1.find_case(case_id).case_ref
    assert _open_alerts(ready_env)[ref] == 0
    alert = a1.raise_alert(case_id, **HARM)
    service.import_file(lead, export_alert(a1, alert.id, ready_env.bundle("alert.hmipalert")))
    counts = _open_alerts(ready_env)
    assert counts[ref] == 1 and sum(counts.values()) == 1
    export_assessments(a1, ready_env.team.iid, ready_env.bundle("a1-1.hmipb"))
    service.import_file(lead, ready_env.bundle("a1-1.hmipb"))
    counts = _open_alerts(ready_env)
    assert counts[ref] == 1 and sum(counts.values()) == 1  # the same alert, not a second
    take_step(lead, alert.id, "acknowledged")
    assert _open_alerts(ready_env)[ref] == 0


def test_an_alert_on_its_own_acknowledged_before_its_case_arrives_stays_acknowledged(
        ready_env: Env) -> None:
    a1, lead = ready_env.ws("a1"), ready_env.ws("lead")
    case_id = ready_env.team.cases_of("a1")[0]
    ref = a1.find_case(case_id).case_ref
    alert = a1.raise_alert(case_id, **HARM)
    service.import_file(lead, export_alert(a1, alert.id, ready_env.bundle("alert.hmipalert")))
    take_step(lead, alert.id, "acknowledged")
    assert _open_alerts(ready_env)[ref] == 0
    export_assessments(a1, ready_env.team.iid, ready_env.bundle("a1-1.hmipb"))
    service.import_file(lead, ready_env.bundle("a1-1.hmipb"))
    assert _open_alerts(ready_env)[ref] == 0
