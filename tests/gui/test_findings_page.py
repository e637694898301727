"""The Findings and evidence tab: a DIPP lead registers documents, records findings with their
evidence and a narrative, sees the coverage flag key questions with none, and is never asked
for a rating; an NPS lead sees the findings beside the rating on the Domain one tab. The pages
are rendered to PNG files and their words scanned for internal names."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.findings.coverage import coverage
from hmip_desktop.findings.service import MAX_STORED_BYTES, documents, findings, narratives
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, lead_workspace
from tests.gui.visible_text import internal_names, visible_texts

pytestmark = pytest.mark.gui


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Workspace]:
    ws = lead_workspace(tmp_path / "lead")
    yield ws
    ws.close()


def _window(qtbot: Any, ws: Workspace) -> ConsolidationWindow:
    win = ConsolidationWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
    return win


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("HMIP_SCREENSHOTS", tmp_path / "shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_a_dipp_lead_records_findings_and_evidence_with_no_rating(
        qtbot: Any, lead: Workspace, tmp_path: Path) -> None:
    b = add_inspection(lead, "dipp-2025", [], title="Demo region public protection")
    win = _window(qtbot, lead)
    win.tabs.setCurrentWidget(win.findings)
    page = win.findings
    assert "not rated" in page.note.text() and "no rating is asked for" in page.note.text()
    assert not [w for w in page.findChildren(QtWidgets.QComboBox)
                if w.isVisibleTo(page) and w.findText("Good") >= 0]  # nothing asks for a rating

    # The register: a document with no key question is refused in one line, nothing written.
    reg = page.register
    page.tabs.setCurrentWidget(reg)
    reg.title.setText("Regional public protection strategy")
    reg.add()
    assert "at least one key question or prompt" in page.message.text()
    assert documents(lead, b.iid) == []
    big = tmp_path / "large scan.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_STORED_BYTES + 1)
    reg.tick("1.1.1")
    reg.set_copy(big)
    reg.add()
    assert "at most 10 MB" in page.message.text() and documents(lead, b.iid) == []
    reg.set_copy(None)
    reg.tick("1.1.1.b")
    reg.where.setText("Sent by email before fieldwork")
    reg.add()
    [doc] = documents(lead, b.iid)
    assert doc.items == ("1.1.1", "1.1.1.b") and page.message.text().startswith("Document 1")
    assert reg.rows.text(0, 3) == "1.1.1, 1.1.1 b)"

    # A finding on the first key question, resting on the document and a meeting.
    tab = page.findings
    page.tabs.setCurrentWidget(tab)
    assert tab.title.text().startswith("1.1.1 Is there a clear vision")
    tab.kind.setCurrentIndex(tab.kind.findData("improvement"))
    tab.about.setCurrentIndex(tab.about.findData("1.1.1.b"))
    tab.text.setPlainText("Practitioners could not say what the priorities were.")
    tab.documents.item(0).setCheckState(Qt.CheckState.Checked)
    tab.meetings.setText("Practitioners' focus group; Middle managers")
    tab.cases.setText("Few plans named the priorities")
    tab.add()
    assert page.message.text().startswith("Finding 1"), page.message.text()
    [f] = findings(lead, b.iid)
    assert (f.item, f.kind, f.documents, f.meetings) == (
        "1.1.1.b", "improvement", (1,), ("Practitioners' focus group", "Middle managers"))
    assert tab.rows.text(0, 0) == "Area for improvement" and tab.rows.text(0, 1) == "Prompt b"
    assert "Document 1: Regional public protection strategy" in tab.rows.text(0, 3)

    # The narrative: over 300 words is refused; within it is saved.
    tab.narrative.setPlainText("word " * 301)
    assert tab.words.text() == "301 of 300 words"
    tab.save_narrative()
    assert "at most 300" in page.message.text() and narratives(lead, b.iid) == {}
    tab.narrative.setPlainText("Our strategy was refreshed in the spring.")
    tab.save_narrative()
    assert narratives(lead, b.iid)["1.1.1"].text.startswith("Our strategy")

    # The coverage: 1.1.1 has evidence; the others are flagged.
    page.tabs.setCurrentWidget(page.coverage)
    rows = page.coverage.rows
    assert rows.text(0, 2) == "1" and rows.text(0, 3) == "2" and rows.text(0, 8) == ""
    assert rows.text(1, 8) == "No evidence yet"
    assert sum(c.none for c in coverage(lead, b.iid)) == rows.rowCount() - 1

    shots = _shots(tmp_path)
    texts: list[str] = []
    for sub, name in ((tab, "findings"), (reg, "register"), (page.coverage, "coverage")):
        page.tabs.setCurrentWidget(sub)
        assert win.grab().save(str(shots / f"lead-findings-dipp-{name}.png"))
        texts += visible_texts(win)
    assert internal_names(texts) == []


def test_an_nps_lead_sees_the_findings_where_they_rate(qtbot: Any, lead: Workspace,
                                                       tmp_path: Path) -> None:
    b = add_inspection(lead, "nps-2019-20", [], title="Demo Shire probation")
    win = _window(qtbot, lead)
    win.tabs.setCurrentWidget(win.findings)
    tab = win.findings.findings
    tab.questions.setCurrentRow(1)  # 1.1.2
    tab.text.setPlainText("Risks to the quality of work are escalated quickly.")
    tab.meetings.setText("Senior leaders")
    tab.add()
    assert [f.item for f in findings(lead, b.iid)] == ["1.1.2"]

    win.tabs.setCurrentWidget(win.domain_one)
    said = win.domain_one.findings_said.toPlainText()
    assert said.startswith("Findings on this standard's key questions (1):")
    assert "Strength on 1.1.2: Risks to the quality of work are escalated quickly. — " \
           "Meeting: Senior leaders" in said
    win.domain_one.select_standard("1.2")
    assert win.domain_one.findings_said.toPlainText().startswith("No findings on this standard")
    win.domain_one.select_standard("1.1")
    assert win.grab().save(str(_shots(tmp_path) / "lead-domain-one-with-findings.png"))
    assert internal_names(visible_texts(win)) == []
