"""The forgotten-passphrase route from the unlock window, and the home screen's notice that
the recovery key has not yet gone to the lead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.demo_team import PEOPLE, create_team_demo
from hmip_desktop.exchange.recovery_files import issue_recovery_file
from hmip_desktop.gui.common.qt import QTimer, QtWidgets
from hmip_desktop.gui.common.recovery_dialog import RecoveryDialog
from hmip_desktop.gui.common.unlock import Lockout, UnlockDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import Workspace

pytestmark = pytest.mark.gui
PASSPHRASE = "demo team passphrase for the recovery tests"
NEW = "juniper kettle harbour slate"
ROBIN = PEOPLE["assessor-1"][0]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    create_team_demo(folder, PASSPHRASE)
    return folder


def _recovery_file(team: Path) -> Path:
    with Workspace.open(team / "lead", PASSPHRASE) as lead:
        return issue_recovery_file(lead, ROBIN, team / "files" / "robin.hmiprecovery")


def _fill(path: Path, first: str, second: str) -> None:
    dialog = next(d for d in QtWidgets.QApplication.topLevelWidgets()
                  if isinstance(d, RecoveryDialog) and d.isVisible())
    dialog.file.setText(str(path))
    dialog.pass1.setText(first)
    dialog.pass2.setText(second)
    dialog.recover()


def test_forgotten_passphrase_sets_a_new_one_and_the_home_screen_asks_for_escrow(
        qtbot: Any, team: Path, tmp_path: Path) -> None:
    recovery = _recovery_file(team)
    folder = team / "assessor-1"
    unlock = UnlockDialog(folder, Lockout())
    qtbot.addWidget(unlock)
    unlock.show()
    QTimer.singleShot(50, lambda: _fill(recovery, NEW, NEW))
    unlock.forgotten.click()
    qtbot.waitUntil(lambda: unlock.workspace is not None, timeout=20000)
    ws = unlock.workspace
    assert ws is not None
    w = MainWindow(ws, folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    # A fresh recovery key replaced the one used: it has not reached the lead yet.
    assert w.escrow_notice.isVisible()
    assert "recovery key has not gone to your lead" in w.escrow_notice.text()
    w.grab().save(str(tmp_path / "home-escrow-notice.png"))
    iid = ws.inspections()[0]["id"]
    export_assessments(ws, iid, tmp_path / "next.hmipb")
    w.reload_cases()
    assert not w.escrow_notice.isVisible()
    w.close()
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, PASSPHRASE)
    Workspace.open(folder, NEW).close()


def test_a_used_recovery_file_is_refused_in_the_dialog_in_one_line(
        qtbot: Any, team: Path) -> None:
    recovery = _recovery_file(team)
    folder = team / "assessor-1"
    dialog = RecoveryDialog(folder)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.setText(str(recovery))
    dialog.pass1.setText(NEW)
    dialog.pass2.setText(NEW)
    dialog.recover()
    qtbot.waitUntil(lambda: dialog.workspace is not None, timeout=20000)
    assert dialog.workspace is not None
    dialog.workspace.close()
    again = RecoveryDialog(folder)
    qtbot.addWidget(again)
    again.show()
    again.file.setText(str(recovery))
    again.pass1.setText("another passphrase again here")
    again.pass2.setText("another passphrase again here")
    again.recover()
    qtbot.waitUntil(lambda: bool(again.message.text()), timeout=20000)
    assert "already used" in again.message.text() and "\n" not in again.message.text()
    assert again.workspace is None
    Workspace.open(folder, NEW).close()


def test_the_home_screen_has_no_notice_once_the_key_is_with_the_lead(
        qtbot: Any, team: Path) -> None:
    """The demo team's assessor sent bundles to the lead: their key went with the first."""
    w = MainWindow(Workspace.open(team / "assessor-1", PASSPHRASE), team / "assessor-1")
    qtbot.addWidget(w)
    w.show()
    assert not w.escrow_notice.isVisible()
    w.close()
