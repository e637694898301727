"""A bundle's JSON entries are decoded by the app's one strict decoder."""

from __future__ import annotations

import io
import zipfile

import pytest

from hmip_desktop.exchange.payload import PayloadError, parse


def archive(entry: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", b'{"format": 1}')
        z.writestr("cases/c1.json", entry)
    return buf.getvalue()


@pytest.mark.parametrize("entry", [
    b'{"revision": 1, "revision": 99}',  # which one counts would depend on the reader
    b'{"score": NaN}',
    b'{"score": 1e999}',
    b'{"revision": ' + b"7" * 4301 + b"}",
    b'{"text": "\\udc80"}',
])
def test_an_entry_that_is_not_strict_json_refuses_the_bundle(entry: bytes) -> None:
    with pytest.raises(PayloadError) as e:
        parse(archive(entry))
    assert str(e.value) == "entry 'cases/c1.json' is not valid JSON"


def test_strict_json_entries_are_read_in_order() -> None:
    assert parse(archive(b'{"revision": 3, "text": "caf\\u00e9"}')) == [
        ("manifest.json", {"format": 1}), ("cases/c1.json", {"revision": 3, "text": "café"})]
