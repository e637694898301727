"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 released ``None`` once too often on every call of a method returning nothing:
a few hundred clicks in the case form took ``None``'s count to zero and the app aborted
("Fatal Python error: none_dealloc"). pyproject.toml excludes that release.

Two guards, so that one holds on every Python ``requires-python`` allows: the binding in use
must be one the pin allows, and the pin must exclude 6.12.0 (on any Python); and, where
``None``'s count can move at all (Python 3.11; from 3.12 ``None`` is immortal and its count is
fixed, so an over-release can no longer reach zero), thousands of void calls must leave it
where it was.
"""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from hmip_desktop.gui.common.qt import QtWidgets

pytestmark = pytest.mark.gui
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
BAD_RELEASE = Version("6.12.0")


def binding_requirement() -> Requirement:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    [req] = [Requirement(r) for r in project["dependencies"]
             if Requirement(r).name.lower() in ("pyside6", "pyside6-essentials")]
    return req


def none_is_immortal() -> bool:
    """True where taking references to ``None`` does not change its count (3.12 and later)."""
    before = sys.getrefcount(None)
    held = [None] * 1000
    moved = sys.getrefcount(None) != before
    del held
    return not moved


def void_calls(n: int) -> None:
    label = QtWidgets.QLabel("x")
    item = QtWidgets.QTreeWidgetItem(["x"])
    for i in range(n):
        label.setText(str(i))
        item.setText(0, str(i))
        label.setToolTip("")
    label.deleteLater()


def test_the_pin_excludes_the_release_that_over_releases_none() -> None:
    assert BAD_RELEASE not in binding_requirement().specifier


def test_the_binding_in_use_is_one_the_pin_allows() -> None:
    installed = Version(importlib.metadata.version("PySide6-Essentials"))
    imported = Version(sys.modules["PySide6"].__version__)
    assert imported == installed  # the one imported is the one installed
    assert installed in binding_requirement().specifier
    assert installed != BAD_RELEASE


def test_void_calls_leave_none_refcount_alone(qtbot: Any) -> None:
    void_calls(10)  # anything created once (caches, type objects) is created before counting
    before = sys.getrefcount(None)
    void_calls(2000)  # 6,000 void calls: the faulty binding took the count down by 6,000
    after = sys.getrefcount(None)
    if none_is_immortal():
        assert after == before  # fixed: an over-release cannot free None here
    else:
        assert abs(after - before) < 50
