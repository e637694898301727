"""The payload encryption of a bundle: AES-256-GCM in 64 KiB chunks, the STREAM construction.

This is the chunking the ``age`` file format uses (Hoang, Reyhanitabar, Rogaway and Vizár's
STREAM): chunk *i* is sealed with one content key under the 12-byte nonce
``i as 11 bytes big-endian || 0x01 if it is the last chunk else 0x00``, so chunks cannot be
reordered, dropped or duplicated, and cutting the stream short at a chunk boundary is caught
because the new last chunk was not sealed as last. Every chunk is full except the last; an empty
payload is one empty last chunk. Each chunk also carries the same associated data (the bundle
container passes the SHA-256 of its header), which ties the ciphertext to that header.

The content key is random and used for one payload only, so the counter nonces never repeat.
Failures surface as ``cryptography.exceptions.InvalidTag``; the container maps them to its own
errors. See docs/bundle-format.md.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
KEY_SIZE = 32
_COUNTER_BYTES = 11


def chunk_count(payload_size: int) -> int:
    """How many chunks a payload of this size makes (an empty payload is one empty chunk)."""
    return max(1, -(-payload_size // CHUNK_SIZE))


def ciphertext_size(payload_size: int) -> int:
    """Bytes of the sealed stream: the payload plus one 16-byte tag per chunk."""
    return payload_size + TAG_SIZE * chunk_count(payload_size)


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(_COUNTER_BYTES, "big") + (b"\x01" if last else b"\x00")


def encrypt(key: bytes, payload: bytes, aad: bytes, out: bytearray) -> None:
    """Append ``payload`` sealed as a STREAM of AES-256-GCM chunks, each bound to ``aad``.

    Appending to the caller's buffer saves a copy of the whole ciphertext.
    """
    aes = AESGCM(key)
    view = memoryview(payload)
    count = chunk_count(len(payload))
    for i in range(count):
        out += aes.encrypt(
            _nonce(i, i == count - 1), view[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE], aad
        )


def decrypt(key: bytes, ciphertext: memoryview, payload_size: int, aad: bytes) -> bytes:
    """Open a STREAM made by :func:`encrypt`; raises ``InvalidTag`` if any chunk fails.

    ``payload_size`` comes from the (already checked) header and fixes where the last chunk is;
    ``len(ciphertext)`` must equal ``ciphertext_size(payload_size)``.
    """
    if len(ciphertext) != ciphertext_size(payload_size):
        raise ValueError("ciphertext length does not match the payload size")
    aes = AESGCM(key)
    count = chunk_count(payload_size)
    step = CHUNK_SIZE + TAG_SIZE
    parts = [
        aes.decrypt(_nonce(i, i == count - 1), ciphertext[i * step : (i + 1) * step], aad)
        for i in range(count)
    ]
    return b"".join(parts)
