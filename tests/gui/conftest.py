"""GUI test fixtures: a demo workspace built once, copied fresh for every test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop import error_log
from hmip_desktop.gui.app import application
from hmip_desktop.gui.common import crash
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.store.demo import create_demo
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "demo passphrase for gui tests"


@pytest.fixture(scope="session")
def qapp() -> QtWidgets.QApplication:
    """The app as hmip-desktop sets it up (style sheet, scaling policy)."""
    return application()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "demo"
    with create_demo(folder, PASSPHRASE) as ws:
        ws._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder


@pytest.fixture
def demo_folder(demo_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    return folder


@pytest.fixture
def window(qtbot, demo_folder: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    ws = Workspace.open(demo_folder, PASSPHRASE)
    w = MainWindow(ws, demo_folder)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    w.close()


def open_case(window: MainWindow, ref: str) -> None:
    assert window.ws is not None
    window.open_case(window.ws.find_case(ref).id)


@pytest.fixture(autouse=True)
def unexpected_errors_fail_the_test(monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> Iterator[None]:
    """An error the app reports through gui/common/crash.py (a failed save, say) fails the test,
    rather than waiting for a click on its dialog; its log goes under tmp_path."""
    shown: list[str] = []
    monkeypatch.setattr(crash, "show_dialog",
                        lambda _parent, title, text, _icon: shown.append(f"{title}: {text}"))
    monkeypatch.setattr(error_log, "log_folder", lambda: tmp_path / "error-log")
    yield
    assert not shown, shown
