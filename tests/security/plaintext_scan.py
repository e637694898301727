"""Looks through files for case markers, in the forms they take on disk.

A marker is looked for as UTF-8 and UTF-16 (Qt's settings and Windows write the latter), inside
zip members (XLSX, DOCX) and inside a PDF's compressed streams. Besides, any PDF, zip or
unencrypted SQLite database is a finding unless it is an allowed export, whatever it says: a
PDF lays text out as glyph numbers, which no search for words finds.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

READABLE_KINDS = {b"%PDF": "a PDF", b"PK\x03\x04": "a zip (XLSX)",
                  b"SQLite format 3\x00": "an unencrypted SQLite database"}
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def forms(marker: str) -> list[bytes]:
    return [marker.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def readable_parts(data: bytes) -> list[bytes]:
    """The file's bytes, and what it holds compressed: zip members, PDF streams."""
    parts = [data]
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                parts += [z.read(name) for name in z.namelist()]
        except (zipfile.BadZipFile, OSError):
            pass
    if data.startswith(b"%PDF"):
        for stream in _STREAM.findall(data):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream))
    return parts


def findings(folders: Iterable[Path], markers: Sequence[str],
             allowed: Iterable[Path] = ()) -> dict[str, list[str]]:
    """Each file (but the allowed ones) that holds a marker or is a readable kind, and why."""
    allowed_set = {p.resolve() for p in allowed}
    wanted = [(m, f) for m in markers for f in forms(m)]
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.resolve() in allowed_set:
                continue
            data = path.read_bytes()
            why = [kind for magic, kind in READABLE_KINDS.items() if data.startswith(magic)]
            parts = readable_parts(data)
            why += sorted({m for m, f in wanted if any(f in part for part in parts)})
            if why:
                found[str(path)] = why
    return found
