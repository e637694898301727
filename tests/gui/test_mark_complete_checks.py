"""Mark complete refuses what the QA partner's sign-off would refuse, in the form's words, and
warns of an open query before completing."""

from __future__ import annotations

import pytest

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.qa import readiness
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui
REASON = "record:rosh_difference_reason"


class Boxes:
    """Every message box shown, answered with the button named (or Yes)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, press: str = "&Yes") -> None:
        self.shown: list[tuple[str, str]] = []
        self.press = press

        def fake_exec(box: QtWidgets.QMessageBox) -> int:
            self.shown.append((box.text(), box.informativeText()))
            for b in box.buttons():
                if b.text().replace("&", "") == self.press.replace("&", ""):
                    b.click()
                    break
            return 0

        monkeypatch.setattr(QtWidgets.QMessageBox, "exec", fake_exec)


def _reopened_without_reason(window: MainWindow, boxes: Boxes) -> str:
    """DEMO-NPS-001, complete but with an unexplained RoSH difference, reopened for editing."""
    open_case(window, "DEMO-NPS-001")
    form = window.form
    assert form is not None and window.ws is not None
    assert form.a.status == "complete" and not form.a.items.get(REASON)
    note = "note:2.1.1"
    form.save(note, (form.a.items.get(note) or "") + " Checked again.")  # Yes: reopened
    assert window.ws.read_assessment(form.case_id).status == "in_progress"
    boxes.shown.clear()
    return form.case_id


def test_a_must_fix_finding_stops_mark_complete_and_is_named_in_words(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = Boxes(monkeypatch)
    case_id = _reopened_without_reason(window, boxes)
    form = window.form
    assert form is not None and window.ws is not None
    boxes.press = "Go to the first"
    form.mark_complete()
    assert window.ws.read_assessment(case_id).status == "in_progress"
    (text, info), = boxes.shown
    assert "1 thing to put right" in text and "still to do" not in text
    assert "The QA partner could not sign it off" in info
    fw = form.fw
    rosh = fw.qa.rosh_pairs[0].question
    assert fw.fields_by_id[rosh].label[-30:] in info  # the question's words …
    assert f"case:{rosh}" not in info and "rosh_difference_unexplained" not in info  # … no keys
    focused = QtWidgets.QApplication.focusWidget()
    assert getattr(focused, "item", None) == f"case:{rosh}"  # Go to the first

    form.save(REASON, "The recorded level predates the latest police information.")
    boxes.shown.clear()
    form.mark_complete()
    assert window.ws.read_assessment(case_id).status == "complete"
    assert not boxes.shown


def test_an_open_query_is_warned_of_and_no_keeps_the_case_in_progress(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = Boxes(monkeypatch)
    case_id = _reopened_without_reason(window, boxes)
    form = window.form
    assert form is not None and window.ws is not None
    form.save(REASON, "The recorded level predates the latest police information.")
    monkeypatch.setattr(readiness, "open_query_counts", lambda _ws: {case_id: 1})
    boxes.shown.clear()
    boxes.press = "&No"
    form.mark_complete()
    assert window.ws.read_assessment(case_id).status == "in_progress"
    (text, info), = boxes.shown
    assert "1 query from the QA partner is still open" in text
    assert "cannot sign the case off" in info
    boxes.press = "&Yes"
    form.mark_complete()
    assert window.ws.read_assessment(case_id).status == "complete"

