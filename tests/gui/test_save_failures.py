"""Nothing fails silently in the window: a failed save is marked on the form, shown and logged,
and the answer stays there to be saved again."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop import error_log
from hmip_desktop.errors import UserError
from hmip_desktop.gui.assessor.case_form import CASE_PAGE, CaseForm
from hmip_desktop.gui.assessor.kq_page import KqPage
from hmip_desktop.gui.common import crash
from hmip_desktop.gui.common.qt import QObject, Qt, QtWidgets, Signal
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store import failures
from hmip_desktop.store.workspace import Workspace
from tests.gui.conftest import open_case

pytestmark = pytest.mark.gui

CASE_WORDS = "Alex Invented told me about the burglary"  # stands for case data in a message


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, str]]:
    """Record the dialogs instead of blocking on them; the log goes under tmp_path."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(crash, "show_dialog",
                        lambda _parent, title, text, _icon: shown.append((title, text)))
    monkeypatch.setattr(error_log, "log_folder", lambda: tmp_path / "log")
    return shown


def fail_once(monkeypatch: pytest.MonkeyPatch, ws: Workspace) -> list[str]:
    """Make the workspace's next save raise an unexpected error carrying case text."""
    calls: list[str] = []
    real = ws.save_item

    def save_item(case_id: str, item: str, value: str) -> Any:
        calls.append(item)
        if len(calls) == 1:
            raise RuntimeError(f"{CASE_WORDS}: {value}")
        return real(case_id, item, value)

    monkeypatch.setattr(ws, "save_item", save_item)
    return calls


def form_of(window: MainWindow) -> CaseForm:
    assert window.form is not None
    return window.form


def stored(window: MainWindow, item: str) -> str | None:
    assert window.ws is not None
    return window.ws.read_assessment(form_of(window).case_id).items.get(item)


def log_text(tmp_path: Path) -> str:
    return (tmp_path / "log" / error_log.LOG_NAME).read_text(encoding="utf-8")


def test_a_failed_answer_is_marked_kept_shown_logged_and_saved_on_retry(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        dialogs: list[tuple[str, str]], tmp_path: Path) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.go_to_item("2.1.1")
    kq = form.page
    assert isinstance(kq, KqPage)
    row = kq.rows[0]
    assert window.ws is not None
    fail_once(monkeypatch, window.ws)
    qtbot.mouseClick(row.buttons["yes"], Qt.MouseButton.LeftButton)

    assert stored(window, row.item) is None
    assert row.note.isVisible() and row.note.text().startswith("Not saved")
    assert row.buttons["yes"].isChecked()  # the answer is still there to retry
    assert "Saved" not in form.status_line.text()
    assert form.status_line.text().startswith("Not saved")
    assert form.retry_button.isVisible()
    assert len(dialogs) == 1
    title, text = dialogs[0]
    assert title == "Something went wrong" and "last “Saved”" in text and "Try again" in text
    log = tmp_path / "log" / error_log.LOG_NAME
    assert str(log) in text
    record = log_text(tmp_path)
    assert "builtins.RuntimeError" in record and "save_item" in record
    assert "Alex Invented" not in record and "burglary" not in record

    qtbot.mouseClick(form.retry_button, Qt.MouseButton.LeftButton)
    assert stored(window, row.item) == "yes"
    row = form.page.rows[0]  # type: ignore[union-attr]
    assert not row.note.isVisible()
    assert form.status_line.text().startswith("Saved")
    assert not form.retry_button.isVisible()
    assert len(dialogs) == 1


def test_a_failed_note_keeps_its_words_and_leaving_the_box_saves_them(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        dialogs: list[tuple[str, str]]) -> None:
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.show_page(CASE_PAGE)
    section = form.page
    text = section.texts["record:interview_notes"]  # type: ignore[union-attr]
    assert window.ws is not None
    fail_once(monkeypatch, window.ws)
    text.setFocus()
    qtbot.waitUntil(text.hasFocus, timeout=2000)
    qtbot.keyClicks(text, "Spoke with the practitioner.")
    text.flush()
    note = section.unsaved_notes["record:interview_notes"]  # type: ignore[union-attr]
    assert note.isVisible() and note.text().startswith("Not saved")
    assert text.toPlainText() == "Spoke with the practitioner."
    assert stored(window, "record:interview_notes") is None
    assert dialogs
    # Another answer saved meanwhile does not wipe the unsaved words.
    combo = section.combos["record:interview_mode"]  # type: ignore[union-attr]
    combo.setCurrentIndex(combo.findData("in_person"))
    combo.activated.emit(combo.currentIndex())
    assert stored(window, "record:interview_mode") == "in_person"
    assert "not saved yet" in form.status_line.text()
    assert text.toPlainText() == "Spoke with the practitioner."
    text.flush()  # what leaving the box or a pause in typing does
    assert stored(window, "record:interview_notes") == "Spoke with the practitioner."
    assert not note.isVisible()


def test_a_refusal_is_one_line_not_a_crash(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        dialogs: list[tuple[str, str]], tmp_path: Path) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    assert window.ws is not None

    def refuse(*_a: Any) -> Any:
        raise UserError("that answer is not allowed here")

    monkeypatch.setattr(window.ws, "save_item", refuse)
    form.go_to_item("2.1.1")
    qtbot.mouseClick(form.page.rows[0].buttons["yes"],  # type: ignore[union-attr]
                     Qt.MouseButton.LeftButton)
    assert warnings == ["that answer is not allowed here"]
    assert form.status_line.text().startswith("Not saved")
    assert not dialogs and not (tmp_path / "log").exists()


class _Emitter(QObject):
    fire = Signal()


def test_the_installed_hooks_show_and_log_every_uncaught_error(
        qtbot: Any, qapp: QtWidgets.QApplication, dialogs: list[tuple[str, str]],
        tmp_path: Path) -> None:
    hooks = crash.install()
    try:
        # An exception raised in a slot reaches sys.excepthook (PySide6 routes it there).
        emitter = _Emitter()

        def slot() -> None:
            raise KeyError(CASE_WORDS)

        emitter.fire.connect(slot)
        emitter.fire.emit()
        assert len(dialogs) == 1 and dialogs[0][0] == "Something went wrong"
        assert "builtins.KeyError" in log_text(tmp_path)
        # A UserError is its one line, not a crash, and is not logged.
        try:
            raise UserError("the stick was removed")
        except UserError:
            sys.excepthook(*sys.exc_info())
        assert dialogs[1] == ("hmip-desktop", "the stick was removed")
        assert log_text(tmp_path).count("===") == 1
        # An error in another thread is logged there and shown on the GUI thread.
        worker = threading.Thread(target=lambda: 1 / 0, name="worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(dialogs) == 3, timeout=5000)
        assert "builtins.ZeroDivisionError" in log_text(tmp_path)
        assert "thread worker" in log_text(tmp_path)
        assert CASE_WORDS not in log_text(tmp_path)
    finally:
        hooks.uninstall()
    assert sys.excepthook is not hooks._excepthook


def test_an_unexpected_error_while_opening_is_shown_logged_and_the_hooks_removed(
        qapp: QtWidgets.QApplication, monkeypatch: pytest.MonkeyPatch,
        dialogs: list[tuple[str, str]], tmp_path: Path) -> None:
    from hmip_desktop.gui import app as gui_app  # noqa: PLC0415

    def broken(_folder: Path, _passphrase: str | None) -> None:
        raise AttributeError(CASE_WORDS)

    monkeypatch.setattr(gui_app, "open_main_window", broken)
    before = sys.excepthook
    assert gui_app.run(tmp_path / "ws", passphrase="x") == 1
    assert [t for t, _text in dialogs] == ["Something went wrong"]
    assert "builtins.AttributeError" in log_text(tmp_path)
    assert CASE_WORDS not in log_text(tmp_path)
    assert sys.excepthook is before


def test_a_full_disk_keeps_the_typed_words_on_the_form_to_save_again(
        qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        dialogs: list[tuple[str, str]], tmp_path: Path) -> None:
    """A storage failure is no refusal of the answer: the words stay, marked, and save later."""
    warnings: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    open_case(window, "DEMO-NPS-004")
    form = form_of(window)
    form.show_page(CASE_PAGE)
    section = form.page
    text = section.texts["record:interview_notes"]  # type: ignore[union-attr]
    assert window.ws is not None
    real = window.ws.save_item
    full = [True]

    def save_item(case_id: str, item: str, value: str) -> Any:
        if full[0]:
            raise failures.disk_full(tmp_path / "workspace.hmip")
        return real(case_id, item, value)

    monkeypatch.setattr(window.ws, "save_item", save_item)
    text.setFocus()
    qtbot.waitUntil(text.hasFocus, timeout=2000)
    qtbot.keyClicks(text, "Spoke with the practitioner.")
    text.flush()

    assert text.toPlainText() == "Spoke with the practitioner."
    note = section.unsaved_notes["record:interview_notes"]  # type: ignore[union-attr]
    assert note.isVisible() and "the disk is full" in note.text()
    assert form.status_line.text().startswith("Not saved")
    assert form.retry_button.isVisible()
    assert len(warnings) == 1 and "the disk is full" in warnings[0]
    assert not dialogs  # a storage failure is explained, not reported as a crash
    assert not (tmp_path / "log" / error_log.LOG_NAME).exists()
    assert stored(window, "record:interview_notes") is None

    full[0] = False  # space freed
    qtbot.mouseClick(form.retry_button, Qt.MouseButton.LeftButton)
    assert stored(window, "record:interview_notes") == "Spoke with the practitioner."
    assert not note.isVisible()
    assert not form.retry_button.isVisible()
