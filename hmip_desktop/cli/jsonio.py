"""Reading JSON input files and writing JSON output, with one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.user_files import JSON_INPUT_MAX, read_user_json


def read_json_file(path: str) -> Any:
    """A JSON input a person named: capped (``JSON_INPUT_MAX``) and decoded strictly."""
    return read_user_json(Path(path), max_size=JSON_INPUT_MAX)


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
