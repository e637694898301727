"""Nothing fails silently in the window: unexpected errors are shown and logged.

``install()`` (called by ``app.run`` at start-up, not at import, so that pytest-qt's own hook
stays in charge during tests) sets ``sys.excepthook`` — which PySide6 also calls for an
exception raised in a slot or an overridden event handler — and ``threading.excepthook``.
``report(exc)`` is the one path: a ``UserError`` is shown as its one line; anything else is
written to the local error log (``error_log.py``: types and frames, no case data) and shown in
a dialog that says the work up to the last "Saved" is safe and where the log is. An error in
another thread is logged there and shown once it reaches the GUI thread. The case form calls
``report`` itself when a save fails, after marking the item not saved.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from hmip_desktop import error_log
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import QObject, Qt, QtWidgets, Signal
from hmip_desktop.i18n import _

_showing: list[bool] = []  # non-empty while the dialog is open: a further error is logged only


def unexpected_text(log: Path | None, *, saving: bool = False) -> str:
    """What an inspector is told about an unexpected error (``saving``: in a save)."""
    where = (_("The details are in the error log, which holds no case data:\n{path}").format(
        path=log) if log is not None else _("The error log could not be written."))
    return "\n\n".join((
        _("hmip-desktop met a problem it did not expect, and the last thing you did may not "
          "have been saved."),
        _("Your work up to the last “Saved” message is safe. Your answer is still on the "
          "form, marked “Not saved”: press Try again.") if saving else
        _("Your work up to the last “Saved” message is safe. Check what you were doing, "
          "and try again."),
        _("If it happens again, close and reopen hmip-desktop, and report the problem to "
          "your IT support, with the error log."),
        where))


def show_dialog(parent: QtWidgets.QWidget | None, title: str, text: str,
                icon: QtWidgets.QMessageBox.Icon) -> None:
    """Show the message modally (tests replace this to record rather than block)."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a refusal may quote a name from a card
    box.setText(text)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path
    box.exec()


def report(exc: BaseException, parent: QtWidgets.QWidget | None = None, *,
           log: Path | None = None, logged: bool = False, show: bool = True,
           saving: bool = False) -> Path | None:
    """Show ``exc`` to the person; log it first unless it is a ``UserError``.

    Returns the log's path (None for a ``UserError`` or if the log could not be written).
    ``logged``: the record was already written (by ``threading.excepthook``). ``show=False``
    (a screenshot run, nobody to click) logs and writes the line to stderr only. ``saving``:
    the error stopped a save, whose value the form keeps marked "Not saved".
    """
    if not isinstance(exc, UserError):
        from hmip_desktop.store.failures import storage_failure  # noqa: PLC0415

        # A read that met a damaged page (while every page's HMAC is still being checked
        # alongside, store/page_check.py), a full disk, a busy file: the store's one line.
        exc = storage_failure(exc, None) or exc
    if isinstance(exc, UserError):
        path = None
        title, text, icon = "hmip-desktop", str(exc), QtWidgets.QMessageBox.Icon.Warning
    else:
        path = log if logged else error_log.write_error(exc, log)
        title, text, icon = (_("Something went wrong"), unexpected_text(path, saving=saving),
                             QtWidgets.QMessageBox.Icon.Critical)
    if sys.stderr is not None and not isinstance(exc, UserError):
        sys.stderr.write(f"hmip-desktop: unexpected {type(exc).__name__}; details in "
                         f"{path or 'no log'}\n")
    if isinstance(exc, UserError) and sys.stderr is not None and not show:
        sys.stderr.write(f"hmip-desktop: {exc}\n")
    if not show or _showing or QtWidgets.QApplication.instance() is None:
        return path
    _showing.append(True)
    try:
        show_dialog(parent or QtWidgets.QApplication.activeWindow(), title, text, icon)
    finally:
        _showing.clear()
    return path


class _ToGuiThread(QObject):
    """Carries an error from another thread to the GUI thread (a queued signal)."""

    raised = Signal(object, object)  # exception, log path

    def __init__(self, show: bool) -> None:
        super().__init__()
        self.raised.connect(lambda exc, path: report(exc, log=path, logged=True, show=show))


class Installed:
    """The hooks in place; ``uninstall()`` puts the previous ones back."""

    def __init__(self, log: Path | None = None, *, show: bool = True) -> None:
        self.log = log
        self.show = show
        self._previous: tuple[Callable[..., object], Callable[..., object]] = (
            sys.excepthook, threading.excepthook)
        self._carrier = _ToGuiThread(show)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def _excepthook(self, kind: type[BaseException], value: BaseException | None,
                    tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, value, tb)
            return
        report(error_log.exception_of(kind, value, tb), log=self.log, show=self.show)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        exc = error_log.exception_of(args.exc_type, args.exc_value, args.exc_traceback)
        path = None if isinstance(exc, UserError) else error_log.write_error(exc, self.log)
        self._carrier.raised.emit(exc, path)

    def uninstall(self) -> None:
        if sys.excepthook == self._excepthook:
            sys.excepthook = self._previous[0]
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous[1]


def install(log: Path | None = None, *, show: bool = True) -> Installed:
    """Route every uncaught exception in the app to ``report``."""
    return Installed(log, show=show)
