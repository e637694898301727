"""Raise alert on the assessor's form offers to write the alert bundle at once, and does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.gui.assessor.case_form import CASE_PAGE
from hmip_desktop.gui.assessor.case_section import AlertDialog
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.team.alert_tracking import tracked_alert
from tests.exchange.conftest import Env, answered_env, ready_env, stages  # noqa: F401
from tests.gui.conftest import open_case


def test_raise_alert_writes_its_bundle_to_the_chosen_folder(
        qtbot: Any, ready_env: Env, tmp_path: Path,  # noqa: F811 - the fixture
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fill_and_accept(dialog: AlertDialog) -> int:
        dialog.fields["what_might_happen"].setPlainText("Contact with the victim.")
        dialog.fields["how_serious"].setPlainText("Serious harm is likely.")
        dialog.fields["how_imminent"].setPlainText("Within days.")
        dialog.fields["action_asked"].setPlainText("Tell the police today.")
        dialog._accept()
        return int(dialog.result())

    stick = tmp_path / "stick"
    stick.mkdir()
    told: list[str] = []
    monkeypatch.setattr(AlertDialog, "exec", fill_and_accept)
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: QtWidgets.QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(stick))
    monkeypatch.setattr(QtWidgets.QMessageBox, "information",
                        lambda _parent, _title, text: told.append(text))
    a1 = ready_env.ws("a1")
    window = MainWindow(a1, ready_env.folder("a1"))
    qtbot.addWidget(window)
    window.show()
    open_case(window, "RT-101")
    window.form.show_page(CASE_PAGE)
    qtbot.mouseClick(window.form.page.alert_button, Qt.MouseButton.LeftButton)
    (written,) = stick.iterdir()
    assert written.name.startswith("alert-RT-101-") and written.suffix == ".hmipalert"
    assert told == [f"The alert for the lead and the deputy lead is written to {written}."]
    lead = ready_env.ws("lead")
    service.import_file(lead, written)
    (alert,) = a1.alerts(a1.find_case("RT-101").id)
    assert tracked_alert(lead, alert.id).state == "raised"
    window.close()
