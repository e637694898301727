"""A second reader written from docs/bundle-format.md alone opens what ``seal`` makes.

``independent_open`` uses only ``cryptography``, ``hashlib`` and ``struct`` — nothing from
hmip_desktop — so the format document, not the code, is what it checks. The tests use
hmip_desktop only to make bundles. A frozen version-1 bundle also proves that files made today
stay readable by both readers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import struct

import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hmip_desktop.bundles import KIND_ASSESSMENTS, KIND_RECEIPT, open_sealed, seal
from tests.bundles import ALICE, BOB, CAROL, LEAD

# ---------------------------------------------------------------- the independent reader ----


class RefusedError(Exception):
    """The independent reader refuses the file."""


FIXED = struct.Struct(">8sBBI16s32sQQQI32sB")  # the 123 bytes at offsets 0..122
ID_CHARACTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def documented_key_id(sign_pub: bytes, kem_pub: bytes) -> bytes:
    return hashlib.sha256(b"hmip-key-id-v1" + sign_pub + kem_pub).digest()[:16]


def independent_open(
    data: bytes, *, my_key_id: bytes, my_private_key: X25519PrivateKey, sender_sign_pub: bytes
) -> tuple[dict[str, object], bytes]:
    """Verify and decrypt a version-1 bundle exactly as docs/bundle-format.md describes."""

    def require(condition: bool, why: str) -> None:
        if not condition:
            raise RefusedError(why)

    require(len(data) >= FIXED.size, "too short")
    (magic, version, kind, h, sender_kid, sign_pub, sequence, p, c, chunk, commitment,
     id_len) = FIXED.unpack_from(data, 0)
    require(magic == b"HMIPBNDL" and version == 1 and kind in (1, 2, 3, 4), "magic/version/kind")
    require(chunk == 65536, "chunk size")
    n = max(1, -(-p // chunk))
    require(c == p + 16 * n, "ciphertext size")
    require(1 <= sequence <= 2**53, "sequence")
    require(1 <= id_len <= 100 and len(data) > 123 + id_len, "inspection id length")
    inspection_id = data[123 : 123 + id_len]
    require(set(inspection_id) <= ID_CHARACTERS, "inspection id characters")
    r = data[123 + id_len]
    require(1 <= r <= 32 and h == 124 + id_len + 96 * r, "recipients / header size")
    require(len(data) == h + c + 64, "file length")

    # The signature, by the key the caller trusts, over every byte before it.
    require(sign_pub == sender_sign_pub, "not the expected signer")
    Ed25519PublicKey.from_public_bytes(sign_pub).verify(data[h + c :], data[: h + c])

    # Find my entry and unwrap the content key with HPKE base mode.
    prefix_end = 124 + id_len
    entries = [data[at : at + 96] for at in range(prefix_end, h, 96)]
    mine = [e for e in entries if e[:16] == my_key_id]
    require(len(mine) == 1, "not addressed to me")
    info = (
        b"hmip-desktop bundle v1 content key"
        + hashlib.sha256(data[:prefix_end]).digest()
        + my_key_id
    )
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    content_key = suite.decrypt(mine[0][16:96], my_private_key, info=info)
    expected = hashlib.sha256(b"hmip-desktop bundle v1 key commitment" + content_key).digest()
    require(expected == commitment, "key commitment")

    # STREAM: chunk i under nonce i (11 bytes BE) || last flag, AAD = SHA-256(header).
    aad = hashlib.sha256(data[:h]).digest()
    aes = AESGCM(content_key)
    plain, at = [], h
    for i in range(n):
        last = i == n - 1
        size = (p - chunk * (n - 1) if last else chunk) + 16
        nonce = i.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        plain.append(aes.decrypt(nonce, data[at : at + size], aad))
        at += size
    require(at == h + c, "chunks do not fill the ciphertext")
    fields: dict[str, object] = {
        "kind": kind, "sender_key_id": sender_kid, "sequence": sequence,
        "inspection_id": inspection_id.decode("ascii"), "payload_size": p,
        "recipients": [e[:16] for e in entries],
    }
    payload = b"".join(plain)
    require(len(payload) == p, "payload size")
    return fields, payload


# ------------------------------------------------------------------------------ the tests ----

LEAD_SIGN_PUB = Ed25519PrivateKey.from_private_bytes(bytes([1]) * 32).public_key()
LEAD_SIGN_PUB_RAW = LEAD_SIGN_PUB.public_bytes_raw()


def _x25519(seed: int) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(bytes([seed + 100]) * 32)


def _independent_key_id(seed: int) -> bytes:
    sign_pub = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32).public_key()
    return documented_key_id(
        sign_pub.public_bytes_raw(), _x25519(seed).public_key().public_bytes_raw()
    )


def test_the_reader_uses_nothing_from_hmip_desktop() -> None:
    def names(code: object) -> set[str]:
        found = set(code.co_names)  # type: ignore[attr-defined]
        for const in code.co_consts:  # type: ignore[attr-defined]
            if hasattr(const, "co_names"):
                found |= names(const)
        return found

    for name in (names(independent_open.__code__) | names(_independent_key_id.__code__)
                 | names(independent_card.__code__)):
        value = globals().get(name)
        module = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        assert not module.startswith("hmip_desktop") and module != "tests.bundles", name


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 65536 + 5])
def test_independent_reader_opens_what_seal_makes(size: int) -> None:
    payload = random.Random(size).randbytes(size)
    people = {2: ALICE, 3: BOB, 4: CAROL}
    data = seal(
        KIND_ASSESSMENTS, payload, sender=LEAD.sender,
        recipients=[p.recipient for p in people.values()], inspection_id="CRC-2025_x", sequence=9,
    )
    for seed in people:
        fields, opened = independent_open(
            data, my_key_id=_independent_key_id(seed), my_private_key=_x25519(seed),
            sender_sign_pub=LEAD_SIGN_PUB_RAW,
        )
        assert opened == payload
    assert fields["kind"] == KIND_ASSESSMENTS and fields["sequence"] == 9
    assert fields["inspection_id"] == "CRC-2025_x" and fields["payload_size"] == size
    assert fields["recipients"] == [_independent_key_id(s) for s in people]
    assert fields["sender_key_id"] == LEAD.key_id


def test_independent_reader_refuses_changes() -> None:
    data = seal(
        KIND_RECEIPT, b"receipt", sender=LEAD.sender, recipients=[ALICE.recipient],
        inspection_id="I1", sequence=1,
    )
    for at in range(0, len(data), 7):
        changed = bytearray(data)
        changed[at] ^= 0x40
        with pytest.raises((RefusedError, InvalidSignature, InvalidTag)):
            independent_open(
                bytes(changed), my_key_id=_independent_key_id(2), my_private_key=_x25519(2),
                sender_sign_pub=LEAD_SIGN_PUB_RAW,
            )


# Made by seal() at format version 1 (lead -> Alice and Bob, the fixed test keys). If this
# stops opening, the format changed: bump the version byte rather than edit this vector.
FROZEN_V1 = bytes.fromhex(
    "484d4950424e444c01020000014bef16b86faa5ad51b9857f990ebe1e4748a88e3dd7409f195fd52db2d3cba5d72"
    "ca6709bf1d94121bf3748801b40f6f5c000000000000002a000000000000002c000000000000003c00010000e4a1"
    "fbc9ea18ae2067c313e6e32200d487f1b89051f13eee8988e6898a138ff30f594a2d323032352d43617264696666"
    "0244b06be4b30a58408e254f5e427de3d13d773c39bcb005253756b0070386adabe63ff05debf2c7e7f337e9a221"
    "b607011f56ca25628475ef2db1964d5ced3ba6b874e789157b222dcd7dc5f95a193d7c5b60cae5a685d5ec00524f"
    "b26a21fb6895d18527ccd36e5e1ad0d164cd013f70c6af387609b48ce0d25757d401a4fa1121e7150823c2283322"
    "76c4f5039a2306533a6bfb85fc31a8570d0554ee9e77a546e53ca1c364a76c31728150141fc1161bd8fef324a8b1"
    "6cac187fe1313710e3ecca779c236a73207d9a612ce76ebd3429fbaa1bfe53eabe082bb9ae80f9d13f0d99d5c19f"
    "ab09cd5fe6450b4aceb0767a0c538a3d7ed30f76d1b00e2b4705610081158567f9ac18d029f7abd1c76e41ceb170"
    "cf5de6c942b6c38b47f4382ced2a9361e026901421248f49471c6ac6fbb3891991ec443f6e45be4c0d"
)
FROZEN_PAYLOAD = b'{"case": "C-001", "answers": {"1.1": "yes"}}'


@pytest.mark.parametrize("seed", [2, 3])
def test_a_frozen_version_1_bundle_opens_with_both_readers(seed: int) -> None:
    fields, payload = independent_open(
        FROZEN_V1, my_key_id=_independent_key_id(seed), my_private_key=_x25519(seed),
        sender_sign_pub=LEAD_SIGN_PUB_RAW,
    )
    assert payload == FROZEN_PAYLOAD
    assert fields["inspection_id"] == "YJ-2025-Cardiff" and fields["sequence"] == 42
    who = {2: ALICE, 3: BOB}[seed]
    header, opened = open_sealed(
        FROZEN_V1, my_key_id=who.key_id, my_private_key=who.kem_key,
        trusted_senders=LEAD.trust(), expected_kind=KIND_ASSESSMENTS,
    )
    assert opened == FROZEN_PAYLOAD and header.header_size == 124 + 15 + 2 * 96


# ------------------------------------------- member cards and fingerprints, from the document --


def independent_card(data: bytes) -> dict[str, object]:
    """Read a member card as docs/bundle-format.md ("Member cards") lays it out."""
    if len(data) > 4096 or data[:8] != b"HMIPCARD" or len(data) < 77 or data[8] != 1:
        raise RefusedError("not a version-1 card")
    (n,) = struct.unpack(">I", data[9:13])
    if 13 + n + 64 != len(data):
        raise RefusedError("length")
    body = json.loads(data[13 : 13 + n].decode("utf-8"))
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if set(body) != {"format", "name", "role", "sign_public", "kem_public"} \
            or canonical.encode("utf-8") != data[13 : 13 + n]:
        raise RefusedError("body")
    sign_pub = base64.b64decode(body["sign_public"], validate=True)
    kem_pub = base64.b64decode(body["kem_public"], validate=True)
    Ed25519PublicKey.from_public_bytes(sign_pub).verify(data[13 + n :], data[: 13 + n])
    return {**body, "key_id": documented_key_id(sign_pub, kem_pub),
            "fingerprint": documented_fingerprint(sign_pub, kem_pub)}


def documented_fingerprint(sign_pub: bytes, kem_pub: bytes) -> str:
    kept = hashlib.sha256(b"hmip-fingerprint-v1" + sign_pub + kem_pub).digest()[:20]
    text = base64.b32encode(kept).decode("ascii")
    assert len(text) == 32 and "=" not in text
    return " ".join(text[i : i + 4] for i in range(0, 32, 4))


@pytest.mark.parametrize("name", ["Robin Quillfeather", "Siân Ó Briain-Llewellyn"])
def test_the_documented_card_and_fingerprint_are_what_the_app_makes(name: str) -> None:
    from hmip_desktop.exchange.identity import make_card, new_identity  # noqa: PLC0415

    identity = new_identity(name, "assessor")
    card = independent_card(make_card(identity))
    assert card["name"] == name and card["role"] == "assessor" and card["format"] == 1
    assert card["key_id"] == identity.public.key_id
    assert card["fingerprint"] == identity.public.fingerprint


def test_the_independent_card_reader_refuses_a_changed_byte() -> None:
    from hmip_desktop.exchange.identity import make_card, new_identity  # noqa: PLC0415

    card = bytearray(make_card(new_identity("Robin Quillfeather", "qa")))
    card[20] ^= 1
    with pytest.raises((RefusedError, InvalidSignature, ValueError)):
        independent_card(bytes(card))
