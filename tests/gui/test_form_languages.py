"""The form in the user's language, and the framework's other language beside it.

Issue 18 point 2: the form shows each text in the interface's language; a toggle shows the other
language beside it, as bilingual inspectors compare wordings; a text with no Welsh is shown in
English, marked "(English only)".
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

import pytest

from hmip_desktop import i18n
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.main_window import MainWindow
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    yield
    i18n.install("en")


def _page(window: MainWindow, ref: str, kq: str) -> KqPage:
    open_case(window, ref)
    assert window.form is not None
    window.form.go_to_item(kq)
    page = window.form.page
    assert isinstance(page, KqPage)
    return page


def test_both_languages_shows_the_welsh_beneath_each_question(window: MainWindow) -> None:
    page = _page(window, "DEMO-YOUTH-001", "2.1.1")
    fw, prompt = page.framework, page.kq.prompts[0]
    welsh = fw.in_welsh(prompt.text)
    assert welsh
    form = window.form
    assert form is not None and form.beside.isVisibleTo(form)
    row = page.rows[0]
    assert welsh not in row.label.text()
    form.beside.setChecked(True)
    assert escape(welsh, quote=False) in row.label.text()
    assert escape(fw.in_welsh(page.kq.text) or "-", quote=False) in page.title.text()
    form.show_guidance(prompt.id)
    assert (fw.in_welsh(prompt.guidance) or "-") in form.guidance.toPlainText()
    form.beside.setChecked(False)
    assert welsh not in row.label.text()


@pytest.fixture
def no_welsh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A framework with no Welsh, as a workspace made before its Welsh was written holds."""
    monkeypatch.setattr(Framework, "in_welsh", lambda _self, _english: None)
    monkeypatch.setattr("hmip_desktop.gui.assessor.case_form.has_welsh", lambda _fw: False)


def test_a_framework_without_welsh_offers_no_second_language(
        window: MainWindow, no_welsh: None) -> None:
    _page(window, "DEMO-NPS-001", "2.1.1")
    assert window.form is not None and not window.form.beside.isVisibleTo(window.form)


def test_a_welsh_window_marks_a_text_the_framework_has_no_welsh_for(
        window: MainWindow, english_afterwards: None, no_welsh: None) -> None:
    i18n.install("cy")
    page = _page(window, "DEMO-NPS-001", "2.1.1")
    marker = i18n._("(English only)")
    assert marker != "(English only)"
    assert page.title.text().endswith(marker)
    assert marker in page.rows[0].label.text()


def _nav_texts(window: MainWindow) -> list[str]:
    form = window.form
    assert form is not None
    out = []
    for i in range(form.nav.topLevelItemCount()):
        top = form.nav.topLevelItem(i)
        assert top is not None
        out.append(top.text(0))
        out += [top.child(j).text(0) for j in range(top.childCount())]  # type: ignore[union-attr]
    return out


def test_a_welsh_window_names_the_sections_and_case_details_in_welsh(
        window: MainWindow, english_afterwards: None) -> None:
    """The navigation tree and the case details page speak the framework's Welsh."""
    from hmip_desktop.gui.assessor.case_form import CASE_PAGE  # noqa: PLC0415
    from hmip_desktop.gui.assessor.case_section import CaseSection  # noqa: PLC0415

    i18n.install("cy")
    page = _page(window, "DEMO-YOUTH-001", "2.1.1")
    fw, form = page.framework, window.form
    assert form is not None
    standard = fw.standards_by_id[fw.parent_of[page.kq.id]]
    nav = "\n".join(_nav_texts(window))
    assert standard.title not in nav and (fw.in_welsh(standard.title) or "-") in nav
    assert i18n._("(English only)") not in nav

    form.show_page(CASE_PAGE)
    section = form.page
    assert isinstance(section, CaseSection)
    labels = [w.text() for w in section.findChildren(type(page.title))]
    fact = next(f for f in fw.case_facts if f.id in section_facts(window))
    assert any((fw.in_welsh(fact.label) or "-") in t for t in labels)
    assert not any(t.startswith(fact.label + ":") for t in labels)
    form.beside.setChecked(True)  # both languages: the English beneath the Welsh label
    section = form.page
    assert isinstance(section, CaseSection)
    labels = [w.text() for w in section.findChildren(type(page.title))]
    assert any((fw.in_welsh(fact.label) or "-") in t and fact.label in t for t in labels)


def section_facts(window: MainWindow) -> dict[str, str]:
    form = window.form
    assert form is not None
    return dict(form.a.case.facts)


def test_a_welsh_window_marks_nav_titles_with_no_welsh(
        window: MainWindow, english_afterwards: None, no_welsh: None) -> None:
    i18n.install("cy")
    _page(window, "DEMO-NPS-001", "2.1.1")
    marker = i18n._("(English only)")
    texts = _nav_texts(window)
    assert sum(marker in t for t in texts) > 3
