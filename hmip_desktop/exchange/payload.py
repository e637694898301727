"""The plaintext inside a bundle: a small zip archive of JSON documents, read strictly.

A zip keeps each part (manifest, framework, one file per case, alerts) separately readable and
lets the alerts travel first. Nothing is ever extracted to disk; even so every entry name must
match a strict pattern (no folders outside the known ones, no ``..``, no absolute paths), and
sizes are capped before anything is decompressed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.strict_json import JsonError, parse_json
from hmip_desktop.text_rules import plain_json

MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # a zip bomb inflates far more than JSON does
_NAME = re.compile(r"^(?:[a-z_]+/)?[A-Za-z0-9_.-]{1,80}\.json$")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


class PayloadError(UserError):
    """The decrypted contents do not have the shape a bundle must have."""


@dataclass(frozen=True)
class Entry:
    """An entry a manifest lists: its name, and whether a bundle may leave it out."""

    name: str
    optional: bool = False


def check_entries(names: Sequence[str], listed: Sequence[Entry]) -> None:
    """The archive holds exactly the listed entries, in the listed order, each once.

    ``names`` are the archive's entry names in order (``parse`` has refused two with one
    name). Refused, with one line: an entry not listed, a listed entry missing (unless it
    is optional), and entries out of order.
    """
    wanted = [e.name for e in listed]
    if len(set(wanted)) != len(wanted):
        raise PayloadError(_("the bundle's manifest lists an entry twice"))
    if any(n not in wanted for n in names):
        raise PayloadError(_("the bundle holds entries its manifest does not list"))
    missing = next((e.name for e in listed if not e.optional and e.name not in names), None)
    if missing is not None:
        raise PayloadError(_("the bundle lacks an entry its manifest lists ({name})").format(
            name=missing[:60]))
    if list(names) != [n for n in wanted if n in names]:
        raise PayloadError(_("the bundle's entries are not in the order its manifest "
                             "lists them"))


def build(entries: Sequence[tuple[str, Any]]) -> bytes:
    """Zip the (name, JSON value) pairs in the order given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, value in entries:
            if not _NAME.match(name) or ".." in name:
                raise ValueError(f"bad entry name {name!r}")
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return buf.getvalue()


class Deferred:
    """An entry read (every check on its bytes made) with all the others, decoded on ``load``.

    A large bundle's cases are then decoded one at a time and each dropped once checked,
    rather than all held at once. Its bytes are inflated again for each ``load``.
    """

    __slots__ = ("_info", "_zf", "plain")

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        raw = _read_raw(zf, info)  # a damaged or lying entry is refused now, in archive order
        self._zf, self._info = zf, info
        self.plain = plain_json(raw)
        """True when no text of the entry can break the text rule (``text_rules.plain_json``)."""

    def load(self) -> Any:
        return _read_entry(self._zf, self._info)


def parse(data: bytes, deferred: Callable[[str], bool] | None = None,
          plain: set[str] | None = None) -> list[tuple[str, Any]]:
    """The (name, value) pairs in archive order, or PayloadError saying what is wrong.

    The value of an entry whose name ``deferred`` accepts is a ``Deferred``: decoding it (and
    any refusal of its JSON) waits for its ``load``. Every other check is made here. ``plain``
    gets the names of the other entries none of whose texts can break the text rule
    (``text_rules.plain_json``: one search over the entry's bytes), whose texts the caller
    need not look at one by one.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        raise PayloadError(_("the bundle's contents are not a readable archive")) from None
    try:
        infos = _checked_infos(zf)
        return [(info.filename, Deferred(zf, info) if deferred and deferred(info.filename)
                 else _read_entry(zf, info, plain)) for info in infos]
    finally:
        if deferred is None:
            zf.close()


def _checked_infos(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PayloadError(_("the bundle holds more than {max_entries} entries").format(
                               max_entries=MAX_ENTRIES))
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if not _NAME.match(name) or ".." in name or name.startswith("/") or "\\" in name:
            raise PayloadError(_("the bundle has an entry with a path outside its folder "
                                 "({name!r})").format(name=name[:60]))
        if name in seen:
            raise PayloadError(_("the bundle has two entries named {name!r}").format(name=name))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                or info.flag_bits & 0x1:  # other methods, or encrypted: never written
            raise PayloadError(_("entry {name!r} is stored in a way bundles never use").format(
                                   name=name))
        seen.add(name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise PayloadError(_("entry {name!r} is larger than allowed").format(name=name))
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise PayloadError(_("entry {name!r} inflates suspiciously (a zip bomb?)").format(
                                   name=name))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PayloadError(_("the bundle's contents are larger than allowed"))
    return infos


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, plain: set[str] | None = None,
                ) -> Any:
    raw = _read_raw(zf, info)
    if plain is not None and plain_json(raw):
        plain.add(info.filename)
    try:
        return parse_json(raw)
    except JsonError:
        raise PayloadError(_("entry {filename!r} is not valid JSON").format(
                               filename=info.filename)) from None


def _read_raw(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with zf.open(info) as f:
            raw = f.read(MAX_ENTRY_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError,
            zlib.error):
        raise PayloadError(_("entry {filename!r} cannot be read").format(
                               filename=info.filename)) from None
    if len(raw) != info.file_size:
        raise PayloadError(_("entry {filename!r} is not the size it claims").format(
                               filename=info.filename))
    return raw
