"""Render every main screen to PNG, for reviewers (run by tests/gui/test_screens.py).

Run directly to render at another scale: ``QT_SCALE_FACTOR=2 python -m tests.gui.screens
WORKSPACE PASSPHRASE OUT_DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hmip_desktop.gui.app import application
from hmip_desktop.gui.case_section import AlertDialog
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.gui.qt import QtWidgets
from hmip_desktop.gui.unlock import Lockout, UnlockDialog, WelcomeDialog
from hmip_desktop.store.workspace import Workspace

SIZE = (1366, 768)


def _save(widget: QtWidgets.QWidget, path: Path) -> Path:
    QtWidgets.QApplication.processEvents()
    assert widget.grab().save(str(path)), path
    return path


def render_all(folder: Path, passphrase: str, out: Path, suffix: str = "") -> list[Path]:
    application()
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    ws = Workspace.open(folder, passphrase)
    w = MainWindow(ws, folder)
    w.resize(*SIZE)
    w.show()
    shots.append(_save(w, out / f"cases{suffix}.png"))
    w.open_case(ws.find_case("DEMO-NPS-002").id)
    assert w.form is not None
    w.form.show_page("__case__")
    shots.append(_save(w, out / f"case-details{suffix}.png"))
    w.form.go_to_item("2.1.3")
    shots.append(_save(w, out / f"key-question{suffix}.png"))
    w.form.go_to_item("2.3.1.d")
    shots.append(_save(w, out / f"key-question-not-applicable{suffix}.png"))
    alert = AlertDialog(w)
    alert.show()
    shots.append(_save(alert, out / f"alert-dialog{suffix}.png"))
    alert.close()
    w.lock()
    shots.append(_save(w, out / f"locked{suffix}.png"))
    unlock = UnlockDialog(folder, Lockout())
    unlock.show()
    shots.append(_save(unlock, out / f"unlock{suffix}.png"))
    unlock.close()
    welcome = WelcomeDialog(folder.parent / "none", folder.parent / "demo-none")
    welcome.show()
    shots.append(_save(welcome, out / f"welcome{suffix}.png"))
    welcome.close()
    w.close()
    return shots


if __name__ == "__main__":
    render_all(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]),
               sys.argv[4] if len(sys.argv) > 4 else "")
