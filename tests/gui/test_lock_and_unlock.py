"""Idle lock, unlocking with a growing delay after wrong tries, and the first-run choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.common.qt import Qt, QTimer, QtWidgets
from hmip_desktop.gui.common.unlock import FREE_TRIES, Lockout, UnlockDialog, WelcomeDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.workspace import Workspace
from tests.gui.conftest import PASSPHRASE, open_case

pytestmark = pytest.mark.gui


def test_idle_window_locks_hides_data_and_unlocks_back_to_the_case(
        qtbot: Any, demo_folder: Path) -> None:
    ws = Workspace.open(demo_folder, PASSPHRASE)
    w = MainWindow(ws, demo_folder, idle_minutes=0.002)  # 120 ms
    qtbot.addWidget(w)
    w.show()
    open_case(w, "DEMO-NPS-002")
    case_id = w.form.case_id if w.form else ""
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.locked, timeout=3000)
    assert w.ws is None and w.form is None
    assert w.cases.model.rowCount() == 0
    assert ws._conn is not None
    with pytest.raises(Exception, match="closed"):
        ws._conn.execute("SELECT 1")

    def type_passphrase() -> None:
        dialog = next(d for d in QtWidgets.QApplication.topLevelWidgets()
                      if isinstance(d, UnlockDialog) and d.isVisible())
        dialog.passphrase.setText(PASSPHRASE)
        dialog.try_unlock()

    w.set_idle_minutes(10)
    QTimer.singleShot(50, type_passphrase)
    assert w.unlock()
    assert w.ws is not None
    assert w.form is not None and w.form.case_id == case_id
    assert w.cases.model.rowCount() == 24
    w.close()


def test_the_lock_waits_for_a_running_job_then_closes_the_workspace(
        qtbot: Any, demo_folder: Path) -> None:
    """An import or a consolidation runs off the GUI thread on the open database: locking
    under it would pull the database away, so the lock waits for the job and its result."""
    import threading  # noqa: PLC0415

    from hmip_desktop.gui.common.jobs import run_job  # noqa: PLC0415

    ws = Workspace.open(demo_folder, PASSPHRASE)
    w = MainWindow(ws, demo_folder)
    qtbot.addWidget(w)
    w.show()
    release = threading.Event()
    seen: list[int] = []

    def work() -> int:
        release.wait(5)
        return len(ws.list_cases())  # the database is still open while the job runs

    run_job(w, "Working…", work, seen.append, lambda e: seen.append(-1))
    w.lock()
    assert w.ws is ws and w.stack.currentWidget() is not w.locked
    assert "Locking as soon as" in w.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.locked, timeout=5000)
    assert seen == [24] and w.ws is None
    w.close()


def test_activity_postpones_the_idle_lock(qtbot: Any, window: MainWindow) -> None:
    """A key press or a click starts the idle countdown again from its full length; the
    countdown running out locks. (The countdown's state is read from the timer, and its end
    is its timeout signal, so nothing here depends on how fast the machine is.)"""
    window.idle.setTimerType(Qt.TimerType.PreciseTimer)  # its remaining time to the ms
    window.set_idle_minutes(10)
    full = window.idle.interval()
    assert window.idle.isActive()
    for activity in (lambda: qtbot.keyClick(window.cases.table, "j"),
                     lambda: qtbot.mouseClick(window.cases.table.viewport(),
                                              Qt.MouseButton.LeftButton)):
        left = window.idle.remainingTime()
        qtbot.waitUntil(lambda left=left: window.idle.remainingTime() < left - 20, timeout=5000)
        counted_down = window.idle.remainingTime()
        activity()
        assert window.idle.isActive() and window.ws is not None
        assert counted_down < window.idle.remainingTime() <= full
    with qtbot.waitSignal(window.idle.timeout, timeout=1000):
        window.idle.start(1)  # the countdown runs out
    assert window.ws is None and window.stack.currentWidget() is window.locked
    assert not window.idle.isActive()
    qtbot.keyClick(window.locked, "j")  # activity while locked does not restart it
    assert not window.idle.isActive()


def test_wrong_passphrases_then_a_growing_wait(qtbot: Any, demo_folder: Path) -> None:
    lockout = Lockout()
    dialog = UnlockDialog(demo_folder, lockout)
    qtbot.addWidget(dialog)
    for attempt in range(FREE_TRIES):
        dialog.passphrase.setText(f"wrong passphrase {attempt}")
        dialog.try_unlock()
        qtbot.waitUntil(dialog.passphrase.isEnabled, timeout=5000)
        assert "rong passphrase" in dialog.message.text()
    assert lockout.failures == FREE_TRIES
    assert lockout.seconds_left() >= 1
    assert not dialog.unlock_button.isEnabled()
    assert "try again in" in dialog.message.text()
    first_wait = lockout.wait_until
    lockout.wait_until = 0  # as if the wait had passed
    dialog._update_wait()
    dialog.passphrase.setText("wrong again")
    dialog.try_unlock()
    qtbot.waitUntil(dialog.passphrase.isEnabled, timeout=5000)
    assert lockout.seconds_left() > 2  # the second wait is longer than the first (2 s)
    assert first_wait > 0
    lockout.wait_until = 0
    dialog._update_wait()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.try_unlock()
    qtbot.waitUntil(lambda: dialog.workspace is not None, timeout=5000)
    assert lockout.failures == 0
    dialog.workspace.close()


def test_first_run_creates_a_workspace_with_a_checked_passphrase(qtbot: Any,
                                                                 tmp_path: Path) -> None:
    dialog = WelcomeDialog(tmp_path / "mine", tmp_path / "demo")
    qtbot.addWidget(dialog)
    dialog.name.setText("Casey Example")
    dialog.pass1.setText("short")
    dialog.pass2.setText("short")
    dialog.create_workspace()
    qtbot.waitUntil(lambda: "12 characters" in dialog.message.text(), timeout=5000)
    assert not Workspace.exists(tmp_path / "mine")
    dialog.pass1.setText("amber kestrel willow quarry")
    dialog.pass2.setText("amber kestrel willow quarry")
    dialog.create_workspace()
    qtbot.waitUntil(lambda: dialog.workspace is not None, timeout=5000)
    assert dialog.workspace is not None and dialog.workspace.owner_name == "Casey Example"
    dialog.workspace.close()


def test_first_run_can_open_the_demo(qtbot: Any, tmp_path: Path) -> None:
    dialog = WelcomeDialog(tmp_path / "mine", tmp_path / "demo")
    qtbot.addWidget(dialog)
    dialog.open_demo()
    qtbot.waitUntil(lambda: dialog.workspace is not None, timeout=20000)
    assert dialog.workspace is not None
    assert len(dialog.workspace.list_cases()) == 24
    assert (tmp_path / "demo" / "DEMO-PASSPHRASE.txt").read_text().strip() == \
        dialog.demo_passphrase
    dialog.workspace.close()


def test_a_demo_passphrase_note_over_its_cap_is_refused_in_one_line(qtbot: Any,
                                                                    tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    Workspace.create(demo, PASSPHRASE, owner_name="Casey Example", role="assessor").close()
    (demo / "DEMO-PASSPHRASE.txt").write_text("x" * 5000 + "\n")  # not a passphrase note
    dialog = WelcomeDialog(tmp_path / "mine", demo)
    qtbot.addWidget(dialog)
    dialog.open_demo()
    qtbot.waitUntil(lambda: "larger than 4,096 bytes" in dialog.message.text(), timeout=5000)
    assert dialog.workspace is None
    assert "\n" not in dialog.message.text()
