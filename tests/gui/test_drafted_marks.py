"""Text the product drafted is marked on screen, and the guidance pane says whose text it is.

Driven through the real widgets: the assessor's form (youth, where most text is drafted), the
QA partner's read-only form, and the lead's tables.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.frameworks import load_framework
from hmip_desktop.gui.assessor.case_form import CaseForm
from hmip_desktop.gui.assessor.case_section import CaseSection
from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.lead.window import ConsolidationWindow
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import add_inspection, generated_cases, lead_workspace
from tests.exchange import conftest as exchange
from tests.exchange.conftest import Env
from tests.gui.conftest import open_case
from tests.gui.test_lead_consolidation import settle
from tests.gui.test_qa_view import _fill_complete, _import, _qa_window, _select, quiet_dialogs

pytestmark = pytest.mark.gui
stages = exchange.stages
answered_env = exchange.answered_env
__all__ = ["quiet_dialogs"]  # import summaries and message boxes are recorded, not shown

WORDS = "Drafted for this product — check against the current CARaG"
YOUTH = load_framework("youth-2019-20")


def form_of(window: MainWindow) -> CaseForm:
    assert window.form is not None
    return window.form


def kq_page(form: CaseForm, kq_id: str) -> KqPage:
    form.show_page(kq_id)
    assert isinstance(form.page, KqPage)
    return form.page


def pane(form: CaseForm) -> str:
    return form.guidance.toPlainText()


def test_a_drafted_key_question_and_its_prompts_carry_the_mark(qtbot: Any,
                                                              window: MainWindow) -> None:
    open_case(window, "DEMO-YOUTH-001")
    form = form_of(window)
    drafted = next(k for k in YOUTH.case_key_questions() if k.drafted)
    page = kq_page(form, drafted.id)
    assert page.title.text().endswith("[drafted]")
    assert page.title.toolTip() == WORDS
    assert page.drafted_note.isVisible() and WORDS in page.drafted_note.text()
    for row in page.rows[:-1]:  # the prompts; the last row is the summary judgement
        prompt = YOUTH.prompts_by_id[row.item]
        assert ("drafted" in row.label.text()) == prompt.drafted, row.item
        assert (row.label.toolTip() == WORDS) == prompt.drafted
        assert (WORDS in row.accessibleName()) == prompt.drafted


def test_a_published_key_question_is_not_marked_but_its_drafted_prompts_are(
        qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-YOUTH-001")
    form = form_of(window)
    kq = next(k for k in YOUTH.case_key_questions()
              if not k.drafted and any(p.drafted for p in k.prompts)
              and any(not p.drafted for p in k.prompts))
    page = kq_page(form, kq.id)
    assert "[drafted]" not in page.title.text()
    assert page.drafted_note.isVisible()  # says what the mark on its prompts means
    marked = {r.item for r in page.rows if "drafted" in r.label.text()}
    assert marked == {p.id for p in kq.prompts if p.drafted}


def test_the_guidance_pane_says_whose_text_it_is(qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-YOUTH-001")
    form = form_of(window)
    kq = next(k for k in YOUTH.case_key_questions()
              if any(p.drafted for p in k.prompts) and any(not p.drafted for p in k.prompts))
    kq_page(form, kq.id)
    drafted = next(p for p in kq.prompts if p.drafted)
    published = next(p for p in kq.prompts if not p.drafted)
    form.show_guidance(drafted.id)
    text = pane(form)
    assert text.startswith("Guidance written for this product")
    assert WORDS in text and "drafted" in text
    assert ("Guidance written for this product, summarising the CARaG — check against the "
            "current CARaG (Youth offending service inspections external guidance manual, "
            "v4.5, February 2020, §6.2") in text
    form.show_guidance(published.id)
    text = pane(form)
    assert text.startswith("Guidance written for this product")  # all guidance is drafted
    assert WORDS not in text  # but the prompt's own words are the inspectorate's
    assert "summarising the CARaG" in text


def test_the_case_section_marks_drafted_case_questions(qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-YOUTH-001")
    form = form_of(window)
    assert isinstance(form.page, CaseSection)  # a case opens on its details
    section = form.page
    drafted = [q for q in YOUTH.case_questions if q.drafted]
    assert drafted and section.drafted_note.isVisible()
    labels = [w.text() for w in section.findChildren(type(section.drafted_note))]
    for q in YOUTH.case_questions:
        assert (f"{q.label} [drafted]:" in labels) == q.drafted, q.id
    form.show_guidance(f"case:{drafted[0].id}")
    assert WORDS in pane(form)
    form.show_guidance("record:interview_mode")
    assert "Written for this product to explain the form" in pane(form)


def test_the_qa_partners_read_only_form_shows_the_mark(qtbot: Any, answered_env: Env,
                                                       tmp_path: Path) -> None:
    env = answered_env
    a1 = env.ws("a1")
    _fill_complete(a1, "RT-101")
    bundle = export_assessments(a1, env.team.iid, tmp_path / "a1.hmipb")
    w, view = _qa_window(qtbot, env)
    _import(qtbot, w, bundle)
    _select(view, "RT-101")
    view.open_selected()
    form = w.form
    assert form is not None and form.read_only
    nps = form.fw
    prompt = next(p for p in nps.prompts_by_id.values()
                  if p.drafted and nps.is_case_answered(nps.key_questions_by_id[p.id[:-2]]))
    form.go_to_item(prompt.id)
    assert isinstance(form.page, KqPage)
    row = next(r for r in form.page.rows if r.item == prompt.id)
    assert "drafted" in row.label.text() and row.label.toolTip() == WORDS
    assert form.page.drafted_note.isVisible()
    form.show_guidance(prompt.id)
    assert WORDS in pane(form)
    assert "Probation inspections external guidance manual, v6.3, February 2020, §6.2" \
        in pane(form)


@pytest.fixture
def youth_lead(tmp_path: Path) -> Iterator[Workspace]:
    ws = lead_workspace(tmp_path / "lead")
    add_inspection(ws, YOUTH.id, generated_cases(YOUTH, random.Random(6), 30),
                   title="Demo Shire YOS")
    yield ws
    ws.close()


def test_the_leads_tables_mark_drafted_key_questions(qtbot: Any, youth_lead: Workspace) -> None:
    win = ConsolidationWindow(youth_lead)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    settle(qtbot, win)
    win.tabs.setCurrentWidget(win.tables)
    tables = win.tables
    seen = {True: 0, False: 0}
    for i in range(tables.standards.count()):
        tables.standards.setCurrentRow(i)
        model = tables.model
        shown = False
        for line in range(model.rowCount()):
            if model.lines[line].kind != "kq":
                continue
            kq = YOUTH.key_questions_by_id[model.lines[line].row.kq_id]
            text = model.text(line, 1)
            tip = model.data(model.index(line, 1), Qt.ItemDataRole.ToolTipRole)
            assert text.endswith("[drafted]") == kq.drafted, kq.id
            assert (tip == WORDS) == kq.drafted
            seen[kq.drafted] += 1
            shown = shown or kq.drafted
        assert tables.drafted_note.isVisible() == shown
    assert seen[True] and seen[False]


def test_the_case_section_marks_drafted_case_facts(qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-001")
    form = form_of(window)
    assert isinstance(form.page, CaseSection)
    section = form.page
    fw = form.fw
    shown = [f for f in fw.case_facts if f.id in form.a.case.facts]
    assert any(f.drafted for f in shown)
    assert section.facts_drafted_note.isVisible()
    labels = [w.text() for w in section.findChildren(type(section.drafted_note))]
    for f in shown:
        assert (f"{f.label} [drafted]:" in labels) == f.drafted, f.id
