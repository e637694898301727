"""Reading JSON input files and writing JSON output, with one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.user_files import read_user_file


def read_json_file(path: str) -> Any:
    raw = read_user_file(Path(path))
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise UserError(
            f"{path}: not valid JSON at line {e.lineno}, column {e.colno} ({e.msg})"
        ) from None
    except RecursionError:
        raise UserError(f"{path}: JSON nested too deeply") from None


def print_json(data: Any) -> None:
    r"""JSON on stdout; every character that is not printable is written as a ``\u`` escape.

    ``json`` escapes U+0000–U+001F itself, but not DEL, the C1 controls or the characters
    that reorder text: those are escaped here too, so the output is the same JSON value and
    safe to show on a terminal.
    """
    sys.stdout.write(json_text(data) + "\n")


def json_text(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n " else _json_escape(ch) for ch in text)


def _json_escape(ch: str) -> str:
    n = ord(ch)
    if n <= 0xFFFF:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"
