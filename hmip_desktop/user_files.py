"""Reading a file a person named (a bundle, a previous export, a ratings input).

One place turns the ways such a read fails — no file, a folder, no permission, too large —
into a one-line refusal of the caller's kind, so no command or screen shows a traceback for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _


def read_user_file(path: Path, *, max_size: int | None = None,
                   too_large: Callable[[], UserError] | None = None,
                   error: Callable[[str], UserError] = UserError) -> bytes:
    """The file's bytes, or ``error`` with one line saying why not.

    With ``max_size`` the size is checked before anything is read (``too_large`` says how to
    refuse it), and never more than ``max_size + 1`` bytes are read, so a file that grows
    meanwhile is still caught by the caller's own length check.
    """
    if path.is_dir():
        raise error(_("{path}: is a folder, not a file").format(path=path))
    try:
        if max_size is not None and path.stat().st_size > max_size:
            raise too_large() if too_large else error(_("{path}: larger than {mb} MB").format(
                path=path, mb=max_size // (1024 * 1024)))
        with path.open("rb") as f:
            return f.read() if max_size is None else f.read(max_size + 1)
    except FileNotFoundError:
        raise error(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise error(_("{path}: is a folder, not a file").format(path=path)) from None
    except OSError as e:
        raise error(_("{path}: cannot read ({why})").format(path=path, why=e.strerror)) \
            from None
