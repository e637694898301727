"""The debrief page: the lead writes one record per local assessor, a refusal is one line,
and the supporting inspector sees only the assessors they partner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.debrief import debriefs
from hmip_desktop.exchange.contacts import set_qa_partner
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.lead.debrief import DebriefDialog
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import PASSPHRASE, add_inspection, lead_workspace
from tests.consolidation.test_which_cases_count import _cases

pytestmark = pytest.mark.gui


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Workspace]:
    ws = lead_workspace(tmp_path / "lead")
    built = add_inspection(ws, "nps-2019-20", _cases(), title="Demo Shire NPS division")
    ws.add_member(built.iid, name="Robin Example", role="assessor")
    ws.add_member(built.iid, name="Sam Invented", role="assessor")
    ws.add_member(built.iid, name="Quinn Checker", role="qa")
    yield ws
    ws.close()


def test_the_lead_writes_a_debrief_on_the_debriefs_tab(qtbot: Any, lead: Workspace) -> None:
    win = ConsolidationWindow(lead)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    win.tabs.setCurrentWidget(win.debrief)
    page = win.debrief
    names = [page.assessors.item(r).text() for r in range(page.assessors.count())]
    assert names == ["Robin Example", "Sam Invented"]  # assessors only, not the QA partner
    assert page.written.text() == "Not written yet."

    page.save()  # nothing typed: refused in words, nothing written
    assert "the debrief is empty" in page.message.text().lower()
    iid = page.iid
    assert iid is not None and debriefs(lead, iid) == []

    qtbot.keyClicks(page.fields["observation"], "Watched the interview closely.")
    qtbot.keyClicks(page.fields["overall"], "A careful assessor.")
    page.fields["overall"].setFocus()
    qtbot.keyClick(page.fields["overall"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    [held] = debriefs(lead, iid)
    assert (held.assessor, held.observation, held.qa_meetings, held.overall) == (
        "Robin Example", "Watched the interview closely.", "", "A careful assessor.")
    assert page.message.text() == "Debrief on Robin Example saved."
    assert page.written.text().startswith("Last saved ")

    page.assessors.setCurrentRow(1)  # another assessor: their own (empty) record
    assert page.fields["observation"].toPlainText() == ""
    page.assessors.setCurrentRow(0)  # back: what was saved
    assert page.fields["overall"].toPlainText() == "A careful assessor."


def test_the_supporting_inspector_sees_only_their_assessors(qtbot: Any, tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "qa", PASSPHRASE, owner_name="Quinn Checker", role="qa")
    try:
        built = add_inspection(ws, "nps-2019-20", _cases())
        robin = ws.add_member(built.iid, name="Robin Example", role="assessor")
        ws.add_member(built.iid, name="Sam Invented", role="assessor")
        quinn = ws.add_member(built.iid, name="Quinn Checker", role="qa")
        set_qa_partner(ws, robin, quinn)
        dialog = DebriefDialog(ws, built.iid)
        qtbot.addWidget(dialog)
        page = dialog.page
        assert [page.assessors.item(r).text() for r in range(page.assessors.count())] == [
            "Robin Example"]
        qtbot.keyClicks(page.fields["qa_meetings"], "Forms complete by Wednesday.")
        page.save()
        [held] = debriefs(ws, built.iid)
        assert (held.author, held.author_role, held.qa_meetings) == (
            "Quinn Checker", "qa", "Forms complete by Wednesday.")
    finally:
        ws.close()


def test_choosing_another_inspection_shows_its_own_assessors(qtbot: Any, lead: Workspace) -> None:
    """A lead of two inspections moves from one to the other: the page lists the second's
    assessors (none here), with nothing of the first's record left on it."""
    other = add_inspection(lead, "dipp-2025", [], title="Demo Region public protection")
    win = ConsolidationWindow(lead)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    page = win.debrief
    win.tabs.setCurrentWidget(page)
    qtbot.keyClicks(page.fields["overall"], "Typed on the first inspection.")
    win.select_inspection(other.iid)
    qtbot.waitUntil(lambda: page.iid == other.iid, timeout=5000)
    assert page.assessors.count() == 0
    assert page.title.text() == "No local assessor on this inspection yet."
    assert page.fields["overall"].toPlainText() == ""
    assert not page.save_button.isEnabled()
