"""Start the desktop app: unlock or create a workspace, then show the main window."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

from hmip_desktop import __version__
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common import crash
from hmip_desktop.gui.common.qt import QtCore, QtGui, QTimer, QtWidgets
from hmip_desktop.gui.common.unlock import Lockout, UnlockDialog, WelcomeDialog
from hmip_desktop.gui.common.widgets import STYLE_SHEET
from hmip_desktop.gui.main_window import MainWindow
from hmip_desktop.memory_temp import temporary_files_in_memory
from hmip_desktop.paths import default_demo_workspace
from hmip_desktop.shipped_files import MissingResourceError, resource
from hmip_desktop.store.workspace import Workspace


def application() -> QtWidgets.QApplication:
    app = QtWidgets.QApplication.instance()
    if isinstance(app, QtWidgets.QApplication):
        return app
    QtWidgets.QApplication.setHighDpiScaleFactorRoundingPolicy(
        QtCore.Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("hmip-desktop")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(STYLE_SHEET)
    app.setWindowIcon(_app_icon())
    return app


def _app_icon() -> QtGui.QIcon:
    """The SVG from source; the PNG a frozen build renders from it (it leaves QtSvg out)."""
    for name in ("hmip-desktop.svg", "hmip-desktop-256.png"):
        try:
            icon = QtGui.QIcon(str(resource("icons", name)))
        except MissingResourceError:
            continue
        if not icon.pixmap(32, 32).isNull():
            return icon
    return QtGui.QIcon()


def open_main_window(folder: Path, passphrase: str | None) -> MainWindow | None:
    """Unlock (or create) the workspace and return the window, or None if the user gave up."""
    lockout = Lockout()
    ws: Workspace | None = None
    if passphrase is not None and Workspace.exists(folder):
        # Every page's HMAC is checked alongside while the window shows (store/page_check.py).
        ws = Workspace.open(folder, passphrase, pages_later=True)
    elif not Workspace.exists(folder):
        welcome = WelcomeDialog(folder, default_demo_workspace())
        if welcome.exec() and welcome.workspace is not None:
            ws = welcome.workspace
            if welcome.demo_passphrase:
                folder = default_demo_workspace()
    else:
        dialog = UnlockDialog(folder, lockout)
        if dialog.exec() and dialog.workspace is not None:
            ws = dialog.workspace
    if ws is None:
        return None
    minutes = float(os.environ.get("HMIP_IDLE_MINUTES", "10"))
    return MainWindow(ws, folder, idle_minutes=minutes, lockout=lockout)


def run(folder: Path, *, passphrase: str | None = None, screenshot: Path | None = None,
        import_path: Path | None = None) -> int:
    """Open the app; import ``import_path`` once the window shows (a file-manager double-click)."""
    app = application()
    # Here, not at import: tests keep pytest-qt's own hook. A screenshot run shows no dialog.
    hooks = crash.install(show=screenshot is None)
    try:
        with temporary_files_in_memory():  # a print job's spool file, for one
            return _run(app, folder, passphrase, screenshot, import_path)
    finally:
        hooks.uninstall()


def _run(app: QtWidgets.QApplication, folder: Path, passphrase: str | None,
         screenshot: Path | None, import_path: Path | None) -> int:
    try:
        window = open_main_window(folder, passphrase)
    except UserError as e:
        # One line, and in a dialog too: a double-clicked app has no terminal (a windowed
        # Windows build has no stderr at all). A damaged installation lands here as well.
        if sys.stderr is not None:
            sys.stderr.write(f"hmip-desktop: {e}\n")
        if screenshot is None:
            QtWidgets.QMessageBox.critical(None, "hmip-desktop", str(e))
        return 1
    except Exception as e:  # a bug while opening: shown and logged, not lost without a console
        crash.report(e, show=screenshot is None)
        return 1
    if window is None:
        return 1
    window.resize(1366, 768)
    window.show()
    if import_path is not None:
        QTimer.singleShot(0, partial(window.import_bundle, import_path))
    if screenshot is not None:
        app.processEvents()
        code = 0 if window.grab().save(str(screenshot)) else 1
        window.close()
    else:
        code = int(app.exec())
    # Tear Qt objects down while Python is still whole: letting interpreter shutdown collect
    # them in arbitrary order can crash PySide6.
    window.deleteLater()
    app.processEvents()
    del window
    return code
