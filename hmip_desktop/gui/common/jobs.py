"""Slow work (unlock, demo creation) runs off the GUI thread as a small job object.

A job's result or error comes back on the GUI thread through a signal. A progress dialog
appears only if the work takes longer than half a second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hmip_desktop.gui.common.qt import QObject, QRunnable, QThreadPool, QTimer, QtWidgets, Signal

PROGRESS_DELAY_MS = 500


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as e:
            self.signals.failed.emit(e)
        else:
            self.signals.done.emit(result)


_running: set[Job] = set()
_when_idle: list[Callable[[], object]] = []


def busy() -> bool:
    """Whether any job is still running."""
    return bool(_running)


def when_idle(callback: Callable[[], object]) -> None:
    """Call ``callback`` on the GUI thread once no job is running (now, if none is).

    The idle lock uses it: closing the workspace under a running job would pull the database
    from under it, so the lock waits for the job and its result to be shown first.
    """
    if _running:
        _when_idle.append(callback)
    else:
        callback()


def _drain() -> None:
    while _when_idle and not _running:
        _when_idle.pop(0)()


def run_job(
    parent: QtWidgets.QWidget | None,
    label: str,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> Job:
    """Run ``work`` in the thread pool; call back on the GUI thread."""
    job = Job(work)
    _running.add(job)
    dialog: list[QtWidgets.QProgressDialog] = []

    def show_progress() -> None:
        if job in _running:
            d = QtWidgets.QProgressDialog(label, "", 0, 0, parent)
            d.setCancelButton(None)
            d.setMinimumDuration(0)
            d.setWindowTitle("hmip-desktop")
            d.show()
            dialog.append(d)

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(show_progress)
    timer.start(PROGRESS_DELAY_MS)

    def finish() -> None:
        timer.stop()
        _running.discard(job)
        for d in dialog:
            d.close()
            d.deleteLater()

    def done(result: Any) -> None:
        finish()
        try:
            on_done(result)
        finally:
            _drain()

    def failed(error: BaseException) -> None:
        finish()
        try:
            on_error(error)
        finally:
            _drain()

    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    job._timer = timer  # type: ignore[attr-defined]  # keep the timer alive with the job
    QThreadPool.globalInstance().start(job)
    return job
