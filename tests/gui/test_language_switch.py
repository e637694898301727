"""The toolbar's language switch keeps Welsh (or English) for this workspace from the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6 import QtWidgets

from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.language_choice import language_for, stored_choice


def test_the_switch_keeps_welsh_for_this_workspace_and_says_when_in_both_languages(
        window: MainWindow, demo_folder: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    said: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information",
                        lambda _parent, _title, text: said.append(text))
    action = window.language_action
    assert action.text() == "Cymraeg"  # named in the language it switches to
    action.trigger()
    assert stored_choice(demo_folder) == "cy" and language_for(demo_folder) == "cy"
    assert said == ["Bydd yr ap yn Gymraeg y tro nesaf y bydd yn dechrau.\n"
                    "The app will be in Welsh the next time it starts."]
    assert action.text() == "English"  # pressed again, it goes back
    action.trigger()
    assert stored_choice(demo_folder) == "en"
    assert stored_choice(tmp_path / "another") is None
