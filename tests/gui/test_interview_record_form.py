"""The interview part of the case form: details open as the answers call for them, and a
contradiction is said in words under the record."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.gui.assessor.autosave import AutosaveCombo
from hmip_desktop.gui.assessor.case_form import CASE_PAGE
from hmip_desktop.gui.assessor.case_section import CaseSection
from hmip_desktop.gui.main_window import MainWindow
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui


def choose(combo: AutosaveCombo, value: str) -> None:
    """Pick a choice as a click does (``activated``), which saves it."""
    i = combo.findData(value)
    assert i > 0, value
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_a_substitute_opens_who_and_why_and_feedback_to_a_colleague_is_flagged(
        qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    assert window.form is not None and window.ws is not None
    window.form.show_page(CASE_PAGE)
    section = window.form.page
    assert isinstance(section, CaseSection)
    combos, texts = section.combos, section.texts
    assert not combos["record:interview_substitute_role"].isEnabled()
    assert not texts["record:file_read_reason"].isEnabled()

    choose(combos["record:interview_mode"], "substitute")
    assert combos["record:interview_substitute_role"].isEnabled()
    assert texts["record:interview_substitute_reason"].isEnabled()
    assert not texts["record:file_read_reason"].isEnabled()
    choose(combos["record:interview_substitute_role"], "colleague")
    choose(combos["record:interview_feedback"], "substitute")

    stored = window.ws.read_assessment(window.form.case_id).items
    assert stored["record:interview_feedback"] == "substitute"
    assert section.interview_problems.isVisible()
    assert "no feedback is given to such a substitute" in section.interview_problems.text()
    assert "record:" not in section.interview_problems.text()

    choose(combos["record:interview_feedback"], "none")
    assert not section.interview_problems.isVisible()


def test_a_second_person_asks_whether_they_left_before_feedback(
        qtbot: Any, window: MainWindow) -> None:
    open_case(window, "DEMO-NPS-004")
    assert window.form is not None
    window.form.show_page(CASE_PAGE)
    section = window.form.page
    assert isinstance(section, CaseSection)
    combos = section.combos
    choose(combos["record:interview_mode"], "in_person")
    assert not combos["record:interview_second_person_left"].isEnabled()
    choose(combos["record:interview_second_person"], "previous_practitioner")
    assert combos["record:interview_second_person_left"].isEnabled()
    choose(combos["record:interview_feedback"], "practitioner")
    choose(combos["record:interview_second_person_left"], "no")
    assert "should leave the interview first" in section.interview_problems.text()
