"""The local error log: what went wrong in the program, never what the case says.

The windowed app has no console, so an unexpected error is written here (and shown in a
dialog, ``gui/common/crash.py``). A record holds the time, the app and Python versions, the thread,
and for the exception and each one it was raised from or during: its type, and each frame's
file, line, function and source line. It never holds an exception's message or arguments, nor
any value: those can carry case text (``KeyError('case:…')``, an answer in a ``ValueError``).
Only the error's code is kept where it is a plain number or name (``errno`` of an ``OSError``,
``sqlite_errorname`` of a database error). The log is capped: past ``MAX_BYTES`` it is moved to
``errors.log.1`` (replacing the older one) and a new one is begun.
"""

from __future__ import annotations

import errno as errno_names
import linecache
import os
import platform
import threading
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from hmip_desktop import __version__
from hmip_desktop.paths import log_folder

LOG_NAME = "errors.log"
MAX_BYTES = 512 * 1024
MAX_FRAMES = 60
MAX_CHAIN = 5


def _code(exc: BaseException) -> str:
    """A plain error code that names no file and no value, or ''."""
    if isinstance(exc, OSError) and isinstance(exc.errno, int):
        return errno_names.errorcode.get(exc.errno, str(exc.errno))
    name = getattr(exc, "sqlite_errorname", None)
    return name if isinstance(name, str) and name.isidentifier() else ""


def _short_path(filename: str) -> str:
    """The path from the package folder on (no user's home folder in the log)."""
    parts = Path(filename).parts
    for anchor in ("hmip_desktop", "site-packages", "lib"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i + (anchor != "hmip_desktop"):])
    return Path(filename).name


def _exception_lines(exc: BaseException) -> list[str]:
    kind = type(exc)
    code = _code(exc)
    lines = [f"{kind.__module__}.{kind.__qualname__}" + (f" [{code}]" if code else "")]
    frames = list(traceback.extract_tb(exc.__traceback__))
    if len(frames) > MAX_FRAMES:
        lines.append(f"  … {len(frames) - MAX_FRAMES} earlier frames left out")
        frames = frames[-MAX_FRAMES:]
    for f in frames:
        lines.append(f"  {_short_path(f.filename)}:{f.lineno} in {f.name}")
        source = (f.line or linecache.getline(f.filename, f.lineno or 0)).strip()
        if source:
            lines.append(f"    {source}")
    return lines


def format_record(exc: BaseException, *, when: datetime | None = None) -> str:
    """One log record for ``exc``: types and frames of it and its chain, no message."""
    at = (when or datetime.now(UTC)).isoformat(timespec="seconds")
    head = [f"=== {at} hmip-desktop {__version__} · Python {platform.python_version()} · "
            f"{platform.system()} {platform.release()} · thread {threading.current_thread().name}"]
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < MAX_CHAIN:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (None if current.__suppress_context__
                                         else current.__context__)
    body: list[str] = []
    for i, e in enumerate(reversed(chain)):
        if i:
            body.append("then, while handling it:")
        body.extend(_exception_lines(e))
    return "\n".join([*head, *body]) + "\n"


def log_path() -> Path:
    """The log file, in the platform's user log folder (``platformdirs``)."""
    return log_folder() / LOG_NAME


def write_error(exc: BaseException, path: Path | None = None) -> Path | None:
    """Append ``exc``'s record to the log; the log's path, or None if it could not be written.

    Never raises: the error being reported matters more than the log.
    """
    path = path or log_path()
    record = format_record(exc).encode("utf-8", "replace")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size and size + len(record) > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, record[:MAX_BYTES])
        finally:
            os.close(fd)
    except OSError:
        return None
    return path


def exception_of(kind: type[BaseException], value: BaseException | None,
                 tb: TracebackType | None) -> BaseException:
    """The exception an ``excepthook`` was given, with its traceback attached."""
    exc = value if value is not None else kind()
    if tb is not None and exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    return exc


