"""The lead's dashboard and alerts inbox, after real bundles were imported."""

from __future__ import annotations

import pytest

from hmip_desktop.consolidation.dashboard import alerts_inbox, dashboard, note_alert_action
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from tests.exchange.conftest import NAMES, Env


def test_the_dashboard_shows_what_arrived_and_what_did_not(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    rows = {r.case_ref: r for r in dashboard(lead, team.iid)}
    assert set(rows) == {"RT-101", "RT-102", "RT-201", "RT-202", "RT-301", "RT-401"}
    got = rows["RT-101"]
    assert (got.member, got.delivered, got.receipt_sent, got.qa_state) == (
        NAMES["a1"], True, True, "none")
    assert got.revision_received == got.revision > 0
    assert got.sender_fingerprint == team.fingerprint("a1")
    assert got.open_alerts == 1
    assert got.status == "in_progress"
    waiting = rows["RT-201"]
    assert (waiting.member, waiting.delivered, waiting.revision_received) == (
        NAMES["a2"], False, None)
    assert rows["RT-401"].member == ""
    # A QA sign-off of a newer revision than the one held: the lead is behind.
    with lead.transaction():
        lead._conn.execute("INSERT INTO signoffs VALUES (?, ?, 'QA', '2026-11-25T12:00')",
                          (team.case_ids["RT-102"], rows["RT-102"].revision + 3))
    behind = {r.case_ref: r for r in dashboard(lead, team.iid)}["RT-102"]
    assert (behind.qa_state, behind.revision_expected, behind.behind) == (
        "signed_off_newer", rows["RT-102"].revision + 3, True)
    # ... and of an older one: the case changed after it was signed off
    with lead.transaction():
        lead._conn.execute("UPDATE signoffs SET revision = ? WHERE case_id = ?",
                          (rows["RT-102"].revision - 1, team.case_ids["RT-102"]))
    older = {r.case_ref: r for r in dashboard(lead, team.iid)}["RT-102"]
    assert (older.qa_state, older.revision_expected) == ("lapsed", None)
    with lead.transaction():
        lead._conn.execute("UPDATE signoffs SET revision = ? WHERE case_id = ?",
                          (rows["RT-102"].revision, team.case_ids["RT-102"]))
    signed = {r.case_ref: r for r in dashboard(lead, team.iid)}["RT-102"]
    assert (signed.qa_state, signed.qa_signed_off, signed.behind) == ("signed_off", True, False)


def test_the_inbox_puts_unacknowledged_alerts_first_with_action_notes(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    (alert,) = alerts_inbox(lead, team.iid)
    assert (alert.case_ref, alert.member, alert.acknowledged, alert.action_note) == (
        "RT-101", NAMES["a1"], False, None)
    assert alert.what_might_happen == "Harm to a child"
    # A second alert, raised by the case's owner and imported (the lead cannot raise one on
    # an assessor's case: only the owner's workspace changes it).
    second = env.ws("a2").raise_alert(team.case_ids["RT-201"],
                                      what_might_happen="Harm to a partner",
                                      how_serious="Serious", how_imminent="Today",
                                      action_asked="Call the manager")
    export_assessments(env.ws("a2"), team.iid, env.bundle("a2-alert.hmipb"))
    service.import_file(lead, env.bundle("a2-alert.hmipb"))
    lead.acknowledge_alert(alert.alert_id)
    assert [a.alert_id for a in alerts_inbox(lead, team.iid)] == [second.id, alert.alert_id]
    note_alert_action(lead, alert.alert_id, "  Rang the SPO at 14:10; visit booked.  ")
    got = {a.alert_id: a for a in alerts_inbox(lead, team.iid)}[alert.alert_id]
    assert (got.action_note, got.noted_by) == ("Rang the SPO at 14:10; visit booked.",
                                               NAMES["lead"])
    history = lead.history(team.case_ids["RT-101"], f"alert:{alert.alert_id}")
    assert [(h.action, h.old, h.new) for h in history][-1] == (
        "alert_action", None, "Rang the SPO at 14:10; visit booked.")
    assert lead.verify_history(team.case_ids["RT-101"])
    note_alert_action(lead, alert.alert_id, "Visit done.")
    last = lead.history(team.case_ids["RT-101"], f"alert:{alert.alert_id}")[-1]
    assert (last.old, last.new) == ("Rang the SPO at 14:10; visit booked.", "Visit done.")
    with pytest.raises(ConsolidationError, match="must not be empty"):
        note_alert_action(lead, alert.alert_id, "  ")
    with pytest.raises(ConsolidationError, match="no alert 'nope'"):
        note_alert_action(lead, "nope", "x")
