"""The Findings and evidence tab: a DIPP lead registers documents, records findings with their
evidence and a narrative, sees the coverage flag key questions with none, and is never asked
for a rating; an NPS lead sees the findings beside the rating on the Domain one tab. The pages
are rendered to PNG files and their words scanned for internal names."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.panel import lead_ratings
from hmip_desktop.consolidation.pdu_tables import pdu_tables
from hmip_desktop.findings.case_links import linked_case_data
from hmip_desktop.findings.coverage import coverage
from hmip_desktop.findings.service import (
    MAX_STORED_BYTES,
    add_document,
    add_finding,
    documents,
    findings,
    narratives,
)
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace
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


def test_an_nps_lead_rates_domain_one_reading_findings_coverage_and_linked_case_data(
        qtbot: Any, lead: Workspace, tmp_path: Path) -> None:
    fw = load_framework("nps-2019-20")
    b = add_inspection(lead, fw.id, generated_cases(fw, random.Random(19), 40),
                       title="Demo Shire probation")
    add_document(lead, b.iid, title="Management oversight audit", dated="2026-09-01",
                 items=["1.2.3"], location="Sent before fieldwork")
    win = _window(qtbot, lead)
    win.tabs.setCurrentWidget(win.findings)
    tab = win.findings.findings
    tab.questions.setCurrentRow(next(i for i, k in enumerate(tab.key_questions)
                                     if k.id == "1.2.3"))
    expected = linked_case_data(lead, b.iid)
    # The Findings tab shows the key question's linked case data beside its findings.
    assert tab.case_data.rows.rowCount() == len(fw.key_questions_by_id["1.2.3"].informed_by)
    assert f"over {expected.cases} counted cases" in tab.case_data.caption.text()
    tab.kind.setCurrentIndex(tab.kind.findData("improvement"))
    tab.text.setPlainText("Oversight did not catch weak risk assessments.")
    tab.documents.item(0).setCheckState(Qt.CheckState.Checked)
    tab.cases.setText("Few assessments kept other people safe")
    tab.add()
    assert [f.item for f in findings(lead, b.iid)] == ["1.2.3"]

    win.tabs.setCurrentWidget(win.domain_one)
    page = win.domain_one
    page.select_standard("1.2")
    assert "Area for improvement on 1.2.3: Oversight did not catch" in \
        page.findings_said.toPlainText()
    # The linked case data of the standard's key questions, the consolidation's own figures.
    shown = page.case_data.rows
    wanted = [(k.key_question, f) for k in expected.of_standard("1.2") for f in k.figures]
    assert shown.rowCount() == len(wanted) > 0
    for row, (kq, f) in enumerate(wanted):
        assert shown.text(row, 0) == kq
        assert shown.text(row, 2) == (f"{f.percent}% ({f.yes} of {f.n})"
                                      if f.percent is not None else "–")
    assert "2.1.3 Does assessment focus sufficiently on keeping other people safe?" in [
        shown.text(r, 1) for r in range(shown.rowCount())]
    # The coverage counts the finding and the document on 1.2.3.
    [cov] = [c for c in coverage(lead, b.iid) if c.key_question == "1.2.3"]
    assert (cov.documents, cov.cases, cov.none) == (1, 1, False)

    # The lead's rating is recorded from this page.
    page.rating.setCurrentIndex(page.rating.findData("requires_improvement"))
    page.evidence.setPlainText("Oversight weak: see the case data on keeping people safe.")
    page.flush()
    assert lead_ratings(lead, b.iid)["1.2"].rating == "requires_improvement"
    assert win.grab().save(str(_shots(tmp_path) / "lead-domain-one-case-data.png"))
    # The framework's general rating characteristics are listed as the manual words them, some
    # starting in lower case: the one kind of finding the scan may make here.
    characteristics = {text for level in ("outstanding", "inadequate")
                       for text in getattr(fw.characteristics_of("1.2"), level)}
    assert [n for n in internal_names(visible_texts(win))
            if not (n.startswith("lower-case start: «")
                    and any(t.startswith(n[len("lower-case start: «"):-1])
                            for t in characteristics))] == []


def test_a_dipp_lead_sees_the_pdu_tables_and_the_findings_per_question(
        qtbot: Any, lead: Workspace, tmp_path: Path) -> None:
    fw = load_framework("dipp-2025")
    b = add_inspection(lead, fw.id, generated_cases(fw, random.Random(4), 45),
                       title="Demo region public protection")
    add_finding(lead, b.iid, "1.2.3.b", "improvement",
                "Decisions to suspend contact were rarely countersigned.",
                meetings=["Middle managers"])
    expected = pdu_tables(lead, b.iid)
    win = _window(qtbot, lead)
    win.tabs.setCurrentWidget(win.tables)
    tables = win.tables
    tables.views.setCurrentWidget(tables.pdu)
    model = tables.pdu.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[2:] == [f"{p}\n{n} cases" for p, n in zip(
        [*expected.pdus, "Region"], expected.cases, strict=True)]
    assert set(expected.pdus) == {"East PDU", "North PDU", "South PDU"}
    assert model.rowCount() == len(fw.case_key_questions())
    for row, r in enumerate(expected.rows):
        assert tables.pdu.text(row, 0) == r.kq_id
        for col, c in enumerate(r.cells):
            assert tables.pdu.text(row, 2 + col) == (
                f"{c.percent}% ({c.yes} of {c.n})" if c.percent is not None else "–")
    shots = _shots(tmp_path)
    assert win.grab().save(str(shots / "lead-tables-by-pdu.png"))
    texts = visible_texts(win)

    tables.views.setCurrentWidget(tables.report)
    report = tables.report.toPlainText()
    assert "1.2.3 Does management oversight support high-quality public protection work?" in \
        report
    assert "  - (prompt b) Decisions to suspend contact were rarely countersigned. " \
           "[meeting: Middle managers]" in report
    # A finding added on the Findings and evidence tab shows in the report at once.
    win.tabs.setCurrentWidget(win.findings)
    tab = win.findings.findings
    tab.text.setPlainText("The strategy names public protection first.")
    tab.add()
    win.tabs.setCurrentWidget(win.tables)
    assert "The strategy names public protection first." in tables.report.toPlainText()
    assert win.grab().save(str(shots / "lead-tables-findings-per-question.png"))
    texts += visible_texts(win)
    assert internal_names(texts) == []


def test_the_pdu_tables_follow_the_provisional_tick_box(
        qtbot: Any, lead: Workspace, tmp_path: Path) -> None:
    """Ticked, the table per PDU counts the cases in progress too and says so, as the tables
    per standard do; unticked, it is back to the cases marked complete."""
    fw = load_framework("dipp-2025")
    b = add_inspection(lead, fw.id, generated_cases(fw, random.Random(4), 45),
                       title="Demo region public protection")
    add_finding(lead, b.iid, "1.1.1", "strength", "Leaders set out a clear strategy.",
                meetings=["Senior leaders"])
    final, live = pdu_tables(lead, b.iid), pdu_tables(lead, b.iid, PROVISIONAL)
    assert live.cases[-1] > final.cases[-1]  # some cases are still in progress
    win = _window(qtbot, lead)
    win.tabs.setCurrentWidget(win.tables)
    tables = win.tables
    tables.views.setCurrentWidget(tables.pdu)
    view = tables.pdu

    def header_counts() -> list[str]:
        m = view.model
        return [m.headerData(i, Qt.Orientation.Horizontal) for i in range(2, m.columnCount())]

    def expected(t: Any) -> list[str]:
        return [f"{p}\n{n} cases" for p, n in zip([*t.pdus, "Region"], t.cases, strict=True)]

    assert header_counts() == expected(final) and not view.mark.isVisible()
    report = tables.report.toPlainText()
    tables.provisional.setChecked(True)
    qtbot.waitUntil(lambda: header_counts() == expected(live), timeout=20_000)
    qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
    assert view.mark.isVisible()
    assert view.mark.text() == live.provisional_mark[:1].upper() + live.provisional_mark[1:]
    assert "and those in progress" in view.caption.text()
    for row, r in enumerate(live.rows):
        for col, c in enumerate(r.cells):
            assert view.text(row, 2 + col) == (
                f"{c.percent}% ({c.yes} of {c.n})" if c.percent is not None else "–")
    assert tables.report.toPlainText() == report  # findings hold no case counts
    assert win.grab().save(str(_shots(tmp_path) / "lead-tables-by-pdu-provisional.png"))
    texts = visible_texts(win)

    tables.provisional.setChecked(False)
    qtbot.waitUntil(lambda: header_counts() == expected(final), timeout=20_000)
    qtbot.waitUntil(lambda: win.pending == 0, timeout=20_000)
    assert not view.mark.isVisible() and "in progress" not in view.caption.text()
    assert internal_names(texts) == []
