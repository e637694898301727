"""The refusal table of docs/bundle-format.md is the code's word for word.

The test reads the table from the document, and for each row makes a bundle that the row
describes: the error must be the class the row names and its message must be the row's
message (``…`` standing for the part that varies). A row with no bundle here, or a bundle
here for a message the table lacks, fails too, so the table cannot drift from the code.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hmip_desktop.bundles import (
    KIND_PACK,
    KIND_RECEIPT,
    BundleError,
    open_sealed,
    read_header,
    seal,
)
from tests.bundles import ALICE, BOB, LEAD, Person

DOC = Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md"
ID_LENGTH = 122  # offset of the inspection id's length byte
MIB = 1024 * 1024


def documented() -> list[tuple[str, str]]:
    """(error class, message) for each row of the "Refusals" table."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("\n## Refusals\n"):]
    section = section[: section.index("\n## ", 1)]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        error = re.match(r"`(\w+)`", cells[0])
        message = re.match(r"`([^`]+)`", cells[2])
        assert error and message, line
        rows.append((error.group(1), message.group(1)))
    return rows


def make(*, to: tuple[Person, ...] = (ALICE,), kind: int = KIND_PACK) -> bytes:
    return seal(kind, b"a small payload", sender=LEAD.sender,
                recipients=[p.recipient for p in to], inspection_id="NPS-2025-Leeds_01",
                sequence=7)


def patched(data: bytes, fmt: str, offset: int, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def resigned(data: bytes | bytearray) -> bytes:
    body = bytes(data[:-64])
    return body + LEAD.signing_key.sign(body)


def opened(data: bytes, who: Person = ALICE, **kwargs: object) -> None:
    trusted = kwargs.pop("trusted", LEAD.trust())
    open_sealed(data, my_key_id=who.key_id, my_private_key=who.kem_key,
                trusted_senders=trusted, **kwargs)  # type: ignore[arg-type]


def declares_too_much() -> None:
    payload = 200 * MIB
    data = patched(make(), ">Q", 70, payload)
    opened(patched(data, ">Q", 78, payload + 16 * (payload // 65536)))


def duplicate_recipient() -> None:
    data = bytearray(make(to=(ALICE, BOB)))
    first = ID_LENGTH + 1 + data[ID_LENGTH] + 1
    data[first + 96 : first + 96 + 16] = data[first : first + 16]
    opened(bytes(data))


def another_key_for_bob() -> None:
    data = bytearray(make(to=(ALICE, BOB)))
    prefix_end = read_header(bytes(data)).header_size - 2 * 96
    info = (b"hmip-desktop bundle v1 content key"
            + hashlib.sha256(data[:prefix_end]).digest() + BOB.key_id)
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    entry = prefix_end + 96
    data[entry + 16 : entry + 96] = suite.encrypt(
        AESGCM.generate_key(bit_length=256), BOB.kem_key.public_key(), info=info)
    opened(resigned(data), BOB)


def a_chunk_changed_and_re_signed() -> None:
    data = bytearray(make())
    data[read_header(bytes(data)).header_size + 2] ^= 1
    opened(resigned(data))


def flipped(at: int) -> bytes:
    data = bytearray(make())
    data[at] ^= 1
    return bytes(data)


CASES: dict[str, Callable[[], None]] = {
    "the bundle is larger than the 200 MB limit": declares_too_much,
    "the file is empty, not a hmip-desktop bundle": lambda: opened(b""),
    "not a hmip-desktop bundle": lambda: opened(b"PK\x03\x04" + make()[4:]),
    "the bundle was made by a newer version of hmip-desktop (format …)":
        lambda: opened(patched(make(), ">B", 8, 2)),
    "the bundle is of a kind this version of hmip-desktop cannot read (or damaged)":
        lambda: opened(patched(make(), ">B", 9, 255)),
    "the bundle is cut short": lambda: opened(make()[:-1]),
    "the bundle is damaged: its format version is not valid":
        lambda: opened(patched(make(), ">B", 8, 0)),
    "the bundle is damaged: the header size is not valid":
        lambda: opened(patched(make(), ">I", 10, 400)),
    "the bundle is damaged: the chunk size is not valid":
        lambda: opened(patched(make(), ">I", 86, 4096)),
    "the bundle is damaged: the sequence number is not valid":
        lambda: opened(patched(make(), ">Q", 62, 0)),
    "the bundle is damaged: the sizes in the header disagree":
        lambda: opened(patched(make(), ">Q", 78, 12345)),
    "the bundle is damaged: the inspection id is not valid":
        lambda: opened(patched(make(), ">B", ID_LENGTH + 1, ord(" "))),
    "the bundle is damaged: the number of recipients is not valid":
        lambda: opened(patched(make(), ">B", ID_LENGTH + 1 + make()[ID_LENGTH], 0)),
    "the bundle is damaged: there are extra bytes after the signature":
        lambda: opened(make() + b"\x00"),
    "the bundle is damaged: two recipients share a key id": duplicate_recipient,
    "the file is …, not …": lambda: opened(make(), expected_kind=KIND_RECEIPT),
    "the bundle is signed by a key this workspace does not know":
        lambda: opened(make(), trusted={}),
    "the bundle is damaged or was changed after it was signed":
        lambda: opened(flipped(len(make()) - 70)),
    "the bundle is not addressed to you": lambda: opened(make(), BOB),
    "the bundle's key for you does not open with your private key":
        lambda: open_sealed(make(), my_key_id=ALICE.key_id, my_private_key=BOB.kem_key,
                            trusted_senders=LEAD.trust()),
    "the bundle is damaged: the key for you is not the key it was sealed with":
        another_key_for_bob,
    "the bundle is damaged: its content fails to decrypt": a_chunk_changed_and_re_signed,
}


def test_every_row_of_the_table_has_a_bundle_here_and_no_more() -> None:
    assert sorted(message for _error, message in documented()) == sorted(CASES)


@pytest.mark.parametrize(("error", "message"), documented(), ids=[m for _e, m in documented()])
def test_the_documented_message_is_the_codes(error: str, message: str) -> None:
    with pytest.raises(BundleError) as refused:
        CASES[message]()
    assert type(refused.value).__name__ == error
    pattern = re.escape(message).replace(re.escape("…"), ".+")
    assert re.fullmatch(pattern, str(refused.value)), str(refused.value)
