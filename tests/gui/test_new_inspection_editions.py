"""The new-inspection dialog offers the current editions first; a superseded one last, marked."""

from __future__ import annotations

from typing import Any

import pytest

from hmip_desktop.gui.lead.setup_window import NewInspectionDialog

pytestmark = pytest.mark.gui


def test_the_current_editions_come_first_and_a_superseded_one_is_marked(qtbot: Any) -> None:
    dialog = NewInspectionDialog()
    qtbot.addWidget(dialog)
    combo = dialog.framework
    offered = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    assert [fid for fid, _text in offered] == [
        "crc-2019-20", "dipp-2025", "nps-2019-20", "youth-2019-20", "crc-2017", "nps-2017"]
    assert offered[-1][1] == "Probation inspection: NPS division (2017 standards) (superseded)"
    assert offered[2][1] == "Probation inspection: NPS division (2019-20)"
    assert dialog.values()["framework"] == "crc-2019-20"  # a current edition is chosen already
    combo.setCurrentIndex(combo.count() - 1)
    assert dialog.values()["framework"] == "nps-2017"  # and a superseded one can still be
