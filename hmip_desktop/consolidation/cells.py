"""Cell text made safe for spreadsheets: no formula can start from data a person typed.

Any text beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
programs skip before reading a formula) is prefixed with an apostrophe, so Excel and
LibreOffice show it as text and never evaluate it (the OWASP advice on CSV injection). Control
characters a workbook cannot hold are dropped. Numbers stay numbers.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | None


def safe(value: object) -> Cell:
    if value is None or isinstance(value, bool):
        return None if value is None else ("yes" if value else "no")
    if isinstance(value, int | float):
        return value
    text = _ILLEGAL.sub("", str(value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def safe_row(values: list[object] | tuple[object, ...]) -> list[Cell]:
    return [safe(v) for v in values]
