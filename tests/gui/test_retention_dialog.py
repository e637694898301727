"""The lead's retention dialog: archive only once the name is typed; the reminder; a refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.consolidation.export import write_csv
from hmip_desktop.gui.common.qt import Qt, QtCore, QTimer
from hmip_desktop.gui.lead.retention_dialog import RetentionDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.retention.reminders import retention
from hmip_desktop.retention.service import set_retention_date
from hmip_desktop.store.tables import connection
from tests.consolidation.builders import lead_workspace
from tests.gui.test_lead_consolidation import opened
from tests.retention.test_archive import REASON, TITLE, published

pytestmark = pytest.mark.gui


def test_the_lead_archives_once_the_name_is_typed(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        b = published(ws, n=30)
        before = write_csv(ws, b.iid, tmp_path / "before.csv").read_bytes()
        dialog = RetentionDialog(ws, b.iid)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.archive_choice.isChecked() and not dialog.go.isEnabled()
        dialog.confirm.setText("demo shire  probation inspection")
        assert dialog.go.isEnabled() and dialog.go.text() == "Archive"

        # cases not signed off and no reason: one line, nothing removed
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
        assert dialog.message.property("kind") == "refused"
        assert "not signed off" in dialog.message.text()
        assert "\n" not in dialog.message.text()
        assert connection(ws).execute("SELECT count(*) FROM cases").fetchone()[0] == 30

        dialog.override.setText(REASON)
        dialog.grab().save(str(tmp_path / "retention-dialog.png"))
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.done_removal is not None, timeout=10_000)
        assert dialog.done_removal is not None and dialog.done_removal.cases == 30
        assert connection(ws).execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert write_csv(ws, b.iid, tmp_path / "after.csv").read_bytes() == before
        assert (tmp_path / "retention-dialog.png").stat().st_size > 0
    finally:
        ws.close()


def test_the_date_is_moved_from_the_calendar(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        b = published(ws, n=5)
        dialog = RetentionDialog(ws, b.iid)
        qtbot.addWidget(dialog)
        dialog.retain_until.setDate(QtCore.QDate(2031, 1, 15))
        dialog.set_date()
        assert dialog.message.text() == "Kept until 2031-01-15."
        assert retention(ws)[0].retain_until == "2031-01-15"
        dialog.retain_until.setDate(QtCore.QDate(2020, 1, 15))
        dialog.set_date()
        assert dialog.message.property("kind") == "refused"
        assert retention(ws)[0].retain_until == "2031-01-15"
    finally:
        ws.close()


def test_the_window_reminds_and_then_shows_the_archive(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        b = published(ws, n=20)
        yesterday = date.fromordinal(date.today().toordinal() - 1).isoformat()
        with ws.transaction():  # a retention date that has come (the service refuses a past
            connection(ws).execute(  # date, so it is set as time would have left it)
                "UPDATE inspections SET retain_until = ?", (yesterday,))
        win = opened(qtbot, ws)
        assert not win.reminder.isHidden()
        assert f"The retention date of {TITLE}" in win.reminder.text()

        def archive_in_dialog() -> None:
            dialog = win.retention_dialog
            dialog.confirm.setText(TITLE)
            dialog.override.setText(REASON)
            qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, archive_in_dialog)
        qtbot.mouseClick(win.retention_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.message.text() == f"{TITLE}: archived, its published "
                                                  "figures kept.", timeout=10_000)
        assert "it is archived; purge it" in win.reminder.text()
        assert b.iid == win.iid()
    finally:
        ws.close()


def test_the_lead_home_reminds_when_the_date_has_come(qtbot: Any, tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    b = published(ws, n=5)
    win = MainWindow(ws, tmp_path / "lead")
    qtbot.addWidget(win)
    win.show()
    assert win.cases.retention_notice.isHidden()
    set_retention_date(ws, b.iid, date.today().isoformat())  # the date comes today
    win.reload_cases()
    assert not win.cases.retention_notice.isHidden()
    assert win.cases.retention_notice.text().startswith(f"The retention date of {TITLE}")
    win.lock()
