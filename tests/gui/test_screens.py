"""Every main screen rendered to PNG in screenshots/ (git-ignored) at 100 % and 200 %."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.gui.qt import QtGui
from tests.gui.conftest import PASSPHRASE
from tests.gui.screens import SIZE, render_all, render_lead, render_qa

pytestmark = pytest.mark.gui
OUT = Path(__file__).resolve().parents[2] / "screenshots"


def test_main_screens_render_at_1366x768(qtbot: Any, demo_folder: Path) -> None:
    shots = render_all(demo_folder, PASSPHRASE, OUT)
    assert len(shots) == 8
    cases = QtGui.QImage(str(OUT / "cases.png"))
    assert (cases.width(), cases.height()) == SIZE


@pytest.mark.slow
def test_main_screens_render_at_200_percent(demo_folder: Path) -> None:
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "tests.gui.screens", str(demo_folder), PASSPHRASE, str(OUT),
         "-200"], env=env, check=True, cwd=Path(__file__).resolve().parents[2], timeout=120)
    image = QtGui.QImage(str(OUT / "key-question-200.png"))
    assert (image.width(), image.height()) == (2 * SIZE[0], 2 * SIZE[1])


def test_lead_screens_render_at_1366x768(qtbot: Any, tmp_path: Path) -> None:
    shots = render_lead(tmp_path / "lead", OUT)
    assert [p.stem for p in shots] == ["lead-dashboard", "lead-tables", "lead-domain-one",
                                       "lead-panel", "lead-exports"]
    for shot in shots:
        image = QtGui.QImage(str(shot))
        assert (image.width(), image.height()) == SIZE


@pytest.mark.slow
def test_lead_screens_render_at_200_percent(tmp_path: Path) -> None:
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "tests.gui.screens", "--lead", str(tmp_path / "lead"), str(OUT),
         "-200"], env=env, check=True, cwd=Path(__file__).resolve().parents[2], timeout=180)
    image = QtGui.QImage(str(OUT / "lead-tables-200.png"))
    assert (image.width(), image.height()) == (2 * SIZE[0], 2 * SIZE[1])


QA_SHOTS = ["qa-view", "qa-sheet", "qa-case-read-only", "qa-add-query", "cases-with-queries",
            "assessor-query"]


def test_qa_screens_render_at_1366x768(qtbot: Any, tmp_path: Path) -> None:
    shots = render_qa(tmp_path / "qa-round", OUT)
    assert [p.stem for p in shots] == QA_SHOTS
    image = QtGui.QImage(str(OUT / "qa-view.png"))
    assert (image.width(), image.height()) == SIZE


@pytest.mark.slow
def test_qa_screens_render_at_200_percent(tmp_path: Path) -> None:
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "tests.gui.screens", "--qa", str(tmp_path / "qa-round"),
         str(OUT), "-200"], env=env, check=True, cwd=Path(__file__).resolve().parents[2],
        timeout=180)
    image = QtGui.QImage(str(OUT / "qa-case-read-only-200.png"))
    assert (image.width(), image.height()) == (2 * SIZE[0], 2 * SIZE[1])
