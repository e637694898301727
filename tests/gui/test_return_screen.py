"""Ready to return: the page from the assessor's main window, and Prepare for return."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.gui.common.qt import Qt
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.laptop_return.exports import list_exports, record_export
from hmip_desktop.store.workspace import Workspace

pytestmark = pytest.mark.gui


def tree_lines(window: MainWindow) -> list[str]:
    tree = window.return_view.tree
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        out.append(top.text(0))
        out += ["  " + top.child(j).text(0) for j in range(top.childCount())]  # type: ignore[union-attr]
    return out


def test_the_page_lists_what_is_left_and_confirms_a_file(window: MainWindow, tmp_path: Path,
                                                         qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.ws is not None
    sheet = tmp_path / "schedule.pdf"
    sheet.write_bytes(b"%PDF-1.4 invented")
    record_export(window.ws, sheet, "schedule")
    window.return_action.trigger()
    view = window.return_view
    assert window.stack.currentWidget() is view
    assert view.status.text().startswith("Not ready to return yet")
    assert not view.prepare_button.isEnabled()
    lines = tree_lines(window)
    assert any(line.startswith("Cases not yet delivered to the lead") for line in lines)
    assert "  DEMO-NPS-001" in lines
    assert "Alerts the lead has not yet acknowledged: 2" in lines
    assert "  DEMO-NPS-002: 1 alert" in lines
    assert any(str(sheet) in line for line in lines)
    shots = tmp_path / "shots"
    shots.mkdir()
    assert window.grab().save(str(shots / "ready-to-return.png"))

    files = next(view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())
                 if view.tree.topLevelItem(i).text(0).startswith("Files written"))  # type: ignore[union-attr]
    view.tree.setCurrentItem(files.child(0))  # type: ignore[union-attr]
    assert view.removed_button.isEnabled()
    qtbot.mouseClick(view.removed_button, Qt.MouseButton.LeftButton)
    assert "still on disk" in view.message.text()
    assert list_exports(window.ws)[0].confirmed is None
    sheet.unlink()
    view.tree.setCurrentItem(next(
        view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())
        if view.tree.topLevelItem(i).text(0).startswith("Files written")).child(0))  # type: ignore[union-attr]
    qtbot.mouseClick(view.removed_button, Qt.MouseButton.LeftButton)
    assert list_exports(window.ws)[0].confirmed == "removed"
    assert any(line == "Files written by the app, not confirmed as removed or handed over: "
               "none" for line in tree_lines(window))


def test_an_unused_laptop_is_prepared_for_return_from_the_page(qtbot, qapp,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "spare"
    ws = Workspace.create(folder, "spare laptop passphrase, invented",
                          owner_name="Avery Pinecroft", role="assessor")
    window = MainWindow(ws, folder)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_return()
    view = window.return_view
    assert view.status.text().startswith("Ready to return")
    assert view.prepare_button.isEnabled()
    assert view.prepare(None, "remove it") is None
    assert "Nothing was removed" in view.message.text()
    assert folder.exists()
    result = view.prepare(None, "Remove this workspace")
    assert result is not None
    assert not folder.exists()
    assert window.ws is None
    assert not window.return_action.isEnabled()
    assert "has been removed" in window.wiped_page.text()
    assert window.grab().save(str(tmp_path / "wiped.png"))
    window.close()
