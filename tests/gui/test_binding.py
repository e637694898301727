"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 released ``None`` once too often on every call of a method returning nothing:
a few hundred clicks in the case form took ``None``'s count to zero and the app aborted
("Fatal Python error: none_dealloc"). pyproject.toml excludes that release; this test catches
any binding with the same fault before it reaches an assessor.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from hmip_desktop.gui.qt import QtWidgets

pytestmark = pytest.mark.gui


def test_void_calls_leave_none_refcount_alone(qtbot: Any) -> None:
    label = QtWidgets.QLabel("x")
    qtbot.addWidget(label)
    item = QtWidgets.QTreeWidgetItem(["x"])
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))
        item.setText(0, str(i))
        label.setToolTip("")
    assert sys.getrefcount(None) - before > -50
