"""Reading a file a person named (a bundle, a card, a sample, a previous export, a JSON input).

One place turns the ways such a read fails — no file, a folder, no permission, too large —
into a one-line refusal of the caller's kind, so no command or screen shows a traceback for it;
and one place holds the size cap of every kind of file (documented in docs/security.md,
"Files a person names"). The cap is checked from the file's size before reading when the file
has one, and the read itself stops after ``cap + 1`` bytes, so a device (``/dev/zero``), a pipe
or a file that grows while it is read is refused without memory growing past the cap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.strict_json import JsonError, parse_json

MIB = 1024 * 1024

# -- the caps, one per kind of file ----------------------------------------------------------
JSON_INPUT_MAX = 64 * MIB
"""A JSON input file of a command (``ratings --input``)."""
COUNTS_FILE_MAX = 64 * MIB
"""A previous export or aggregate file (``compare``, ``combine``, Compare… in the app)."""
SAMPLE_FILE_MAX = 10 * MIB
"""The lead's case sample, CSV or XLSX (``sample``, Import sample… in the app)."""
LONGLIST_FILE_MAX = 32 * MIB
"""An organisation's long list for the case sample, CSV or XLSX (``sampling.longlist``)."""
LONGLIST_INFLATED_MAX = 256 * MIB
"""A long list's workbook: all its parts inflated (openpyxl streams the sheet row by row)."""
XLSX_INFLATED_MAX = 50 * MIB
"""A workbook (sample or previous export): all its parts inflated, from the sizes it declares."""
XLSX_PART_MAX = 10 * MIB
"""A workbook: any one XML part inflated (a sheet, the shared strings, the styles)."""
BUNDLE_FILE_MAX = 200 * MIB
"""A pack, bundle or receipt (``import``, Import… in the app); the container's own limit."""
CARD_FILE_MAX = 4096
"""A member card (``enrol``, Enrol member… in the app)."""
ANSWERS_FILE_MAX = 16 * MIB
"""A JSON Lines file of answers (``answer --from``): about 150,000 answers."""
PASSPHRASE_FILE_MAX = 4096
"""The demo's passphrase note, in the folder ``demo --workspace`` names."""

_CHUNK = MIB


def read_user_file(path: Path, *, max_size: int,
                   too_large: Callable[[], UserError] | None = None,
                   error: Callable[[str], UserError] = UserError) -> bytes:
    """The file's bytes, or ``error`` with one line saying why not.

    A file larger than ``max_size`` is refused by ``too_large`` (by default ``error`` with
    "larger than N MB"): from its size before anything is read when it is a regular file, and
    in any case once more than ``max_size`` bytes have come, reading in chunks.
    """
    def refuse() -> UserError:
        if too_large is not None:
            return too_large()
        return error(_("{path}: larger than {size}").format(path=path,
                                                            size=describe_size(max_size)))

    if path.is_dir():
        raise error(_("{path}: is a folder, not a file").format(path=path))
    try:
        if path.stat().st_size > max_size:  # a regular file: refused without opening it
            raise refuse()
        with path.open("rb") as f:  # a device or pipe has no size: the read stops at the cap
            chunks: list[bytes] = []
            got = 0
            while got <= max_size:
                chunk = f.read(min(_CHUNK, max_size + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
            if got > max_size:
                raise refuse()
            return b"".join(chunks)
    except FileNotFoundError:
        raise error(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise error(_("{path}: is a folder, not a file").format(path=path)) from None
    except OSError as e:
        raise error(_("{path}: cannot read ({why})").format(
            path=path, why=e.strerror or type(e).__name__)) from None


def read_user_json(path: Path, *, max_size: int = JSON_INPUT_MAX,
                   error: Callable[[str], UserError] = UserError) -> Any:
    """The value of the JSON file at ``path``, capped and decoded strictly (``strict_json``).

    Every failure is ``error`` with one line naming the file.
    """
    raw = read_user_file(path, max_size=max_size, error=error)
    try:
        return parse_json(raw)
    except JsonError as e:
        raise error(f"{path}: {e}") from None


def read_user_text(path: Path, *, max_size: int,
                   error: Callable[[str], UserError] = UserError) -> str:
    """The UTF-8 text of the file at ``path``, capped; every failure one line naming it."""
    raw = read_user_file(path, max_size=max_size, error=error)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(_("{path}: not UTF-8 text").format(path=path)) from None


def describe_size(n: int) -> str:
    """A cap as people read it: "64 MB", "4,096 bytes"."""
    if n >= MIB and n % MIB == 0:
        return _("{n} MB").format(n=n // MIB)
    return _("{n:,} bytes").format(n=n)
