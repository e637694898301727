"""The main screens in Welsh at 1366×768: every text fits where it is shown (issue 18, "Layout
holds in Welsh"), as it does in English.

Welsh strings are often longer than English ones. Each screen of ``tests.gui.screens`` is
rendered in a process of its own with the Welsh catalogue installed before the app's modules
load (``tests.gui.screens_in``), and every label, button, tab, toolbar action and table heading
is measured against the room it has (``screens._clipped``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.frameworks import load_framework
from tests.gui.conftest import PASSPHRASE
from tests.gui.screens import SIZE, Shot, read_described, shots_folder

ROOT = Path(__file__).resolve().parents[2]



def _in_welsh(args: list[str], out: Path) -> list[Shot]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "tests.gui.screens_in", "cy", *args, str(out),
                           "-cy"], env=env, check=True, cwd=ROOT, timeout=300,
                          capture_output=True, text=True)
    shots = read_described(done.stdout)
    assert shots, done.stderr[-2000:]
    return shots


def _check(shots: list[Shot], welsh_words: str) -> None:
    for shot in shots:
        assert shot.size == SIZE or shot.size[0] <= SIZE[0], shot.name
        assert shot.clipped == [], f"{shot.name}: cut off in Welsh: {shot.clipped}"
    assert any(welsh_words in " ".join(s.texts) for s in shots), welsh_words


def test_the_assessors_screens_fit_in_welsh(demo_folder: Path, tmp_path: Path) -> None:
    shots = _in_welsh([str(demo_folder), PASSPHRASE], shots_folder(tmp_path))
    assert len(shots) >= 10
    _check(shots, "Fy achosion")
    # The form's navigation and case details speak the framework's Welsh, nothing marked
    # English only (every shipped framework has its Welsh).
    fw = load_framework("nps-2019-20")
    details = next(s for s in shots if s.name.startswith("case-details-both"))
    standard = fw.standards_by_id[fw.parent_of["2.1.1"]].title
    assert any((fw.in_welsh(standard) or "-") in t for t in details.texts)
    fact = next(f for f in fw.case_facts if f.choices)
    assert any((fw.in_welsh(fact.label) or "-") in t and fact.label in t for t in details.texts)
    assert not any("(Saesneg yn unig)" in t for s in shots for t in s.texts)


def test_the_leads_screens_fit_in_welsh(tmp_path: Path) -> None:
    shots = _in_welsh(["--lead", str(tmp_path / "lead")], shots_folder(tmp_path))
    assert len(shots) == 5
    _check(shots, "Arolygiad")


def test_the_qa_round_fits_in_welsh(tmp_path: Path) -> None:
    shots = _in_welsh(["--qa", str(tmp_path / "qa-round")], shots_folder(tmp_path))
    assert len(shots) == 6
    _check(shots, "Ymholiad")
    sheet = next(s for s in shots if s.name.startswith("qa-sheet"))
    assert "Iaith y ddogfen:" in sheet.texts  # the language of the document, chosen at export


def test_a_cut_off_label_is_seen(qtbot: Any) -> None:
    """The measure can fail: a label narrower than its text is reported."""
    from hmip_desktop.gui.common.qt import QtWidgets  # noqa: PLC0415
    from tests.gui.screens import _clipped  # noqa: PLC0415

    box = QtWidgets.QWidget()
    label = QtWidgets.QLabel("Cyfrinymadrodd newydd ar gyfer y gweithle hwn", box)
    label.setFixedWidth(60)
    fits = QtWidgets.QLabel("Da", box)
    fits.move(0, 30)
    box.show()
    assert _clipped(box) == ["Cyfrinymadrodd newydd ar gyfer y gweithle hwn"]
