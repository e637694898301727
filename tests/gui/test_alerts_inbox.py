"""The alerts inbox of the lead and of a deputy lead: every alert with its kind and state in
words, each step taken through its button reaching the store, a refused step (empty note, out
of order) changing nothing and saying why, an organisational alert raised from the screen, and
the deputy's alerts page offered only to a member who holds the role."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.alert_bundles import export_alert
from hmip_desktop.gui.common import jobs
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.alert_dialogs import OrganisationalAlertDialog, StepNoteDialog
from hmip_desktop.gui.lead.dashboard import DashboardScreen
from hmip_desktop.gui.lead.window import LEAD_STYLE
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import take_step, tracked_alert, tracked_alerts
from hmip_desktop.team.alerts import organisational_alerts
from hmip_desktop.team.roles import grant_role, withdraw_role
from tests.exchange.conftest import Env, answered_env, ready_env, stages  # noqa: F401
from tests.gui.visible_text import internal_names, visible_texts

pytestmark = pytest.mark.gui
RISK = {"what_might_happen": "Harm to the partner at home", "how_serious": "Serious harm",
        "how_imminent": "This week", "action_asked": "Review the risk plan today"}
ORGANISATIONAL = {"what_might_happen": "Warnings of violence go unread across the division",
                  "how_serious": "People at risk are not protected",
                  "how_imminent": "Now: the backlog grows daily",
                  "action_asked": "Clear the backlog and report back by Friday"}


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HMIP_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _deputy_is_qa(env: Env) -> None:
    """Every laptop of the team knows the QA inspector is also the deputy lead."""
    for who in ("lead", "a1", "a2", "qa"):
        grant_role(env.ws(who), env.team.iid, env.team.member_ids["qa"], "deputy")


def _alert_bundle(env: Env, who: str, ref: str) -> Path:
    """An alert raised on ``who``'s laptop and written at once as its own bundle."""
    ws = env.ws(who)
    alert = ws.raise_alert(ws.find_case(ref).id, **RISK)
    return export_alert(ws, alert.id, env.bundle(f"alert-{ref}.hmipalert"))


def _note(monkeypatch: pytest.MonkeyPatch, text: str, seen: list[StepNoteDialog]) -> None:
    """The step's dialog, answered with ``text`` and its Record button pressed."""
    def answer(dialog: StepNoteDialog) -> int:
        dialog.show()
        dialog.note.setPlainText(text)
        seen.append(dialog)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(StepNoteDialog, "exec", answer)


def _steps(ws: Workspace, iid: str) -> dict[str, tuple[str, ...]]:
    return {t.alert_id: tuple(s.step for s in t.steps) for t in tracked_alerts(ws, iid)}


def _visible_steps(dash: DashboardScreen) -> list[str]:
    return [s for s, b in dash.inbox.step_buttons.items() if b.isVisibleTo(dash.inbox)]


def test_the_lead_tracks_every_kind_of_alert_through_the_buttons(
        qtbot: Any, answered_env: Env, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        tmp_path: Path) -> None:
    env, iid = answered_env, answered_env.team.iid
    lead = env.ws("lead")
    service.import_file(lead, env.bundle("a1-1.hmipb"))  # a case's alert, with its work
    service.import_file(lead, _alert_bundle(env, "a2", "RT-201"))  # on its own
    dash = DashboardScreen(lead)
    dash.setStyleSheet(LEAD_STYLE)
    qtbot.addWidget(dash)
    dash.resize(1366, 768)
    dash.show()
    dash.set_inspection(iid)
    inbox = dash.inbox
    shots = _shots(tmp_path)
    # The alert that arrived on its own counts on its case's row, ahead of the case's work.
    open_alerts = {r.case_ref: r.open_alerts for r in dash.shown_cases()}
    assert (open_alerts["RT-101"], open_alerts["RT-201"]) == (1, 1)

    # An organisational alert, raised from the screen: an unanswered question is refused first.
    def fill(dialog: OrganisationalAlertDialog) -> int:
        dialog.show()
        dialog._accept()
        assert dialog.error.text() == "An alert needs an answer to 'what might happen'."
        assert not organisational_alerts(lead, iid)
        for key, text in ORGANISATIONAL.items():
            dialog.fields[key].setPlainText(text)
        dialog.grab().save(str(shots / "organisational-alert-dialog.png"))
        assert not internal_names(visible_texts(dialog))
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(OrganisationalAlertDialog, "exec", fill)
    assert inbox.raise_button.isVisibleTo(inbox)
    qtbot.mouseClick(inbox.raise_button, Qt.MouseButton.LeftButton)
    (org,) = organisational_alerts(lead, iid)
    assert org.what_might_happen == ORGANISATIONAL["what_might_happen"]
    assert inbox.message.text() == "Organisational alert raised; it is flagged for the report."

    # Every alert, each kind and state in words; none acknowledged yet, so all in red.
    listed = {(r.kind_short, r.about, r.state_words) for r in inbox.rows()}
    assert listed == {("Individual", "RT-101", "Raised, not yet acknowledged"),
                      ("Individual", "RT-201", "Raised, not yet acknowledged"),
                      ("Organisational", "The organisation", "Raised, not yet acknowledged")}
    assert inbox.proxy.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() \
        == "#d4351c"
    assert "3 alerts not yet acknowledged" in dash.banner.text.text()
    pane = inbox.text.toPlainText()
    assert "Organisational (flagged for the report)" in pane
    assert "published inspection report says" in pane
    received = next(r for r in inbox.rows() if r.on_its_own)
    inbox.select_alert(received.alert_id)
    assert "Arrived on its own in an alert bundle" in inbox.text.toPlainText()
    assert _visible_steps(dash) == ["acknowledged"]  # no advice: the probation manual has none
    dash.grab().save(str(shots / "lead-alerts-inbox.png"))

    # Acknowledge (no note needed): the store has it, and the pane says who.
    qtbot.mouseClick(inbox.step_buttons["acknowledged"], Qt.MouseButton.LeftButton)
    assert tracked_alert(lead, received.alert_id).state == "acknowledged"
    assert inbox.current_alert().alert_id == received.alert_id
    assert f"Acknowledged by: {lead.owner_name}" in inbox.text.toPlainText()
    assert _visible_steps(dash) == ["assurance"]
    assert "2 alerts not yet acknowledged" in dash.banner.text.text()

    # Assurance sought with an empty note: refused, said why, nothing written.
    before = _steps(lead, iid)
    seen: list[StepNoteDialog] = []
    _note(monkeypatch, "   ", seen)
    qtbot.mouseClick(inbox.step_buttons["assurance"], Qt.MouseButton.LeftButton)
    why = "'Assurance sought' needs a note of what was done or received."
    assert seen[-1].error.text() == why and inbox.message.text() == why
    assert _steps(lead, iid) == before

    # ... then with a note, through evidence to closed: each step in the store with its note.
    for step, note in (("assurance", "Asked the head of service by phone at 11:00."),
                       ("evidence", "Revised risk plan received and read."),
                       ("closed", "The plan addresses the risk; no more follow-up.")):
        _note(monkeypatch, note, seen)
        qtbot.mouseClick(inbox.step_buttons[step], Qt.MouseButton.LeftButton)
        taken = tracked_alert(lead, received.alert_id).steps[-1]
        assert (taken.step, taken.note, taken.taken_by) == (step, note, lead.owner_name)
        assert note in inbox.text.toPlainText()
    assert _visible_steps(dash) == []
    assert inbox.nothing_next.text() == "Nothing more to do: the alert is closed."
    seen[-1].grab().save(str(shots / "step-note-dialog.png"))
    dash.grab().save(str(shots / "lead-alert-closed.png"))

    # Out of order: the screen still offers Acknowledge, but the CLI acknowledged it meanwhile.
    case_alert = next(r for r in inbox.rows() if r.about == "RT-101")
    inbox.select_alert(case_alert.alert_id)
    take_step(lead, case_alert.alert_id, "acknowledged")
    before = _steps(lead, iid)
    qtbot.mouseClick(inbox.step_buttons["acknowledged"], Qt.MouseButton.LeftButton)
    assert inbox.message.text() == ("This alert is 'Acknowledged': it cannot be marked "
                                    "'Acknowledged' now.")
    assert _steps(lead, iid) == before
    assert _visible_steps(dash) == ["assurance"]  # the screen caught up
    assert dash.current_alert() is not None

    # No advice below the threshold on a probation inspection: no button, and nothing to press.
    inbox.select_alert(org.alert_id)
    assert _visible_steps(dash) == ["acknowledged"]
    assert not inbox.step_buttons["advice"].isVisibleTo(inbox)
    assert not internal_names(visible_texts(dash) + visible_texts(seen[-1]))


def test_the_deputy_has_the_alerts_page_only_with_the_role(
        qtbot: Any, ready_env: Env, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        tmp_path: Path) -> None:
    env, iid = ready_env, ready_env.team.iid
    # Without the role: neither the QA partner nor an assessor is offered the page.
    for who in ("qa", "a2"):
        w = MainWindow(env.ws(who), env.folder(who))
        qtbot.addWidget(w)
        w.show()
        assert not w.alerts_action.isVisible()
        w.show_alerts()
        assert w.stack.currentWidget() is not w.alerts_page
        toolbar = w.findChild(QtWidgets.QToolBar, "mainToolbar")
        shown = [b.text() for b in toolbar.findChildren(QtWidgets.QToolButton)
                 if b.isVisibleTo(w)]
        assert "Import" in shown and not any(t.startswith("Alerts") for t in shown)
        w.ws = None  # closed by the fixture, not by the window
        w.close()

    _deputy_is_qa(env)
    qa = env.ws("qa")
    path = _alert_bundle(env, "a1", "RT-101")
    service.import_file(qa, path)
    alert_id = tracked_alerts(qa, iid)[0].alert_id
    w = MainWindow(qa, env.folder("qa"))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    assert w.alerts_action.isVisible()
    assert w.alerts_action.text() == "Alerts (1 not acknowledged)"
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    # From the keyboard: Ctrl+Shift+A opens the page with the list in focus, Alt+A acknowledges.
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=20_000)  # the QA checks read first
    qtbot.keyClick(w, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.alerts_page, timeout=20_000)
    inbox = w.alerts_page.inbox
    assert [(r.about, r.state_words) for r in inbox.rows()] == [
        ("RT-101", "Raised, not yet acknowledged")]
    assert inbox.view.hasFocus()
    assert inbox.raise_button.isVisibleTo(w.alerts_page)
    w.grab().save(str(_shots(tmp_path) / "deputy-alerts-page.png"))
    qtbot.keyClick(inbox.view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tracked_alert(qa, alert_id).state == "acknowledged")  # animated
    assert tracked_alert(qa, alert_id).steps[0].taken_by == qa.owner_name
    assert w.alerts_action.text() == "Alerts"
    seen: list[StepNoteDialog] = []
    _note(monkeypatch, "", seen)
    qtbot.mouseClick(inbox.step_buttons["assurance"], Qt.MouseButton.LeftButton)
    assert tracked_alert(qa, alert_id).state == "acknowledged"
    assert seen[-1].error.text() == ("'Assurance sought' needs a note of what was done or "
                                     "received.")
    assert not internal_names(visible_texts(w))
    qtbot.mouseClick(w.alerts_page.back_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.home

    # The role withdrawn (a later pack, say): the page is no longer offered.
    withdraw_role(qa, iid, env.team.member_ids["qa"], "deputy")
    w.reload_cases()
    assert not w.alerts_action.isVisible()
    w.ws = None
    w.close()
