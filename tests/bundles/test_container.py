"""The bundle container: round trips, and every kind of bad input refused with the right error."""

from __future__ import annotations

import hashlib
import random
import struct
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hmip_desktop.bundles import (
    KIND_ASSESSMENTS,
    KIND_PACK,
    KIND_QA,
    KIND_RECEIPT,
    BadSignatureError,
    BundleError,
    DamagedError,
    Header,
    NotABundleError,
    NotForMeError,
    Recipient,
    TooLargeError,
    TooNewError,
    TruncatedError,
    UnknownSenderError,
    WrongKindError,
    key_id,
    open_sealed,
    read_header,
    seal,
    stream,
    verify,
)
from tests.bundles import ALICE, BOB, CAROL, LEAD, MALLORY, Person

CHUNK = 65536
SENDER_ID = slice(14, 30)
SIGN_PUB = slice(30, 62)
COMMITMENT = slice(90, 122)
ID_LENGTH = 122


def make(
    payload: bytes = b"a small payload",
    *,
    to: tuple[Person, ...] = (ALICE,),
    sender: Person = LEAD,
    kind: int = KIND_PACK,
    inspection_id: str = "NPS-2025-Leeds_01",
    sequence: int = 7,
) -> bytes:
    return seal(
        kind, payload, sender=sender.sender, recipients=[p.recipient for p in to],
        inspection_id=inspection_id, sequence=sequence,
    )


def open_as(data: bytes, who: Person = ALICE, **kwargs: Any) -> tuple[Header, bytes]:
    trusted = kwargs.pop("trusted", LEAD.trust())
    return open_sealed(
        data, my_key_id=who.key_id, my_private_key=who.kem_key, trusted_senders=trusted, **kwargs
    )


def refused(data: bytes, error: type[BundleError], who: Person = ALICE, **kwargs: Any) -> str:
    with pytest.raises(error) as caught:
        open_as(data, who, **kwargs)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


def resign(data: bytes, signer: Person) -> bytes:
    body = data[:-64]
    return body + signer.signing_key.sign(body)


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5])
@pytest.mark.parametrize("to", [(ALICE,), (ALICE, BOB, CAROL)], ids=["one", "three"])
def test_every_recipient_opens_what_was_sealed(size: int, to: tuple[Person, ...]) -> None:
    payload = random.Random(size).randbytes(size)
    data = make(payload, to=to, kind=KIND_ASSESSMENTS, sequence=size + 1)
    for who in to:
        header, opened = open_as(data, who, expected_kind=KIND_ASSESSMENTS)
        assert opened == payload
    assert header.payload_size == size
    assert header.ciphertext_size == size + 16 * max(1, -(-size // CHUNK))
    assert len(data) == header.header_size + header.ciphertext_size + 64
    assert header.chunk_size == CHUNK and header.format_version == 1
    assert header.sequence == size + 1 and header.inspection_id == "NPS-2025-Leeds_01"
    assert header.sender_key_id == LEAD.key_id and header.sender_sign_pub == LEAD.sign_pub
    assert [e.key_id for e in header.recipients] == [p.key_id for p in to]
    assert read_header(data) == header == verify(data) == verify(data, LEAD.sign_pub)
    refused(data, NotForMeError, MALLORY)


def test_each_seal_uses_a_fresh_content_key() -> None:
    assert make(b"same") != make(b"same")


def test_trusted_senders_may_be_a_lookup_function() -> None:
    data = make(b"x", kind=KIND_QA)
    calls: list[bytes] = []

    def lookup(kid: bytes) -> Ed25519PublicKey | None:
        calls.append(kid)
        return LEAD.signing_key.public_key() if kid == LEAD.key_id else None

    assert open_as(data, trusted=lookup)[1] == b"x"
    assert calls == [LEAD.key_id]


def test_key_id_is_the_documented_hash() -> None:
    kem_pub = ALICE.kem_key.public_key().public_bytes_raw()
    expected = hashlib.sha256(b"hmip-key-id-v1" + ALICE.sign_pub + kem_pub).digest()[:16]
    assert key_id(ALICE.sign_pub, kem_pub) == expected == ALICE.key_id
    with pytest.raises(ValueError):
        key_id(b"short", kem_pub)


def test_the_caps_themselves_are_allowed() -> None:
    others = [Recipient(bytes([n]) * 16, BOB.kem_key.public_key()) for n in range(31)]
    data = seal(
        KIND_RECEIPT, b"r", sender=LEAD.sender, recipients=[ALICE.recipient, *others],
        inspection_id="x" * 100, sequence=2**53,
    )
    header, payload = open_as(data)
    assert payload == b"r" and len(header.recipients) == 32 and header.sequence == 2**53
    assert len(header.inspection_id) == 100


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"kind": 200}, "kind"),
        ({"recipients": []}, "recipients"),
        ({"recipients": [ALICE.recipient] * 2}, "share"),
        ({"inspection_id": ""}, "inspection"),
        ({"inspection_id": "x" * 101}, "inspection"),
        ({"inspection_id": "has space"}, "inspection"),
        ({"inspection_id": "café"}, "inspection"),
        ({"sequence": 0}, "sequence"),
        ({"sequence": 2**53 + 1}, "sequence"),
    ],
)
def test_seal_rejects_bad_arguments_as_bugs(change: dict[str, object], problem: str) -> None:
    arguments: dict[str, object] = {
        "kind": KIND_PACK, "payload": b"p", "sender": LEAD.sender,
        "recipients": [ALICE.recipient], "inspection_id": "I-1", "sequence": 1,
    }
    arguments.update(change)
    with pytest.raises(ValueError, match=problem):
        seal(**arguments)


def test_seal_refuses_a_payload_over_the_limit() -> None:
    with pytest.raises(TooLargeError, match="larger than the"):
        seal(
            KIND_PACK, bytes(5000), sender=LEAD.sender, recipients=[ALICE.recipient],
            inspection_id="I", sequence=1, max_size=4096,
        )


def test_recipient_and_sender_key_ids_are_16_bytes() -> None:
    with pytest.raises(ValueError):
        Recipient(b"short", ALICE.kem_key.public_key())


# --- refusals -----------------------------------------------------------------------------


def test_empty_file_and_random_bytes_are_not_bundles() -> None:
    refused(b"", NotABundleError)
    rng = random.Random(1)
    for size in (1, 7, 8, 100, 5000):
        message = refused(rng.randbytes(size), NotABundleError)
    assert message == "not a hmip-desktop bundle"
    refused(b"HMIPBNDX" + make()[8:], NotABundleError)


def test_every_cut_of_a_small_bundle_is_cut_short() -> None:
    data = make()
    for end in range(1, len(data)):
        assert refused(data[:end], TruncatedError) == "the bundle is cut short"


def test_cuts_of_a_multi_chunk_bundle_at_and_around_chunk_boundaries() -> None:
    data = make(random.Random(3).randbytes(3 * CHUNK + 5))
    header = read_header(data)
    h, step = header.header_size, CHUNK + 16
    ends = {h - 1, h, h + header.ciphertext_size, len(data) - 1}
    for k in range(1, 4):
        ends |= {h + k * step - 1, h + k * step, h + k * step + 1}
    ends |= set(random.Random(4).sample(range(1, len(data)), 100))
    for end in sorted(ends):
        refused(data[:end], TruncatedError)
    # The final chunk taken out, the signature kept: still refused.
    without_last = data[: h + 3 * step] + data[-64:]
    refused(without_last, TruncatedError)


def test_stream_catches_a_dropped_last_chunk_on_its_own() -> None:
    key, aad = bytes(range(32)), b"header hash"
    for size in (CHUNK * 2, CHUNK * 2 + 1, CHUNK * 3 - 1):
        sealed = bytearray()
        stream.encrypt(key, bytes(size), aad, sealed)
        assert stream.decrypt(key, memoryview(sealed), size, aad) == bytes(size)
        kept = 2 * CHUNK if size > 2 * CHUNK else CHUNK
        cut = memoryview(sealed)[: stream.ciphertext_size(kept)]
        with pytest.raises(InvalidTag):
            stream.decrypt(key, cut, kept, aad)
        with pytest.raises(InvalidTag):
            stream.decrypt(key, memoryview(sealed), size, b"another header")


def test_extra_bytes_after_the_signature_are_damage() -> None:
    data = make()
    message = refused(data + b"\x00", DamagedError)
    assert "extra bytes" in message
    with pytest.raises(DamagedError):
        read_header(data + data)


def test_every_single_bit_flip_is_refused() -> None:
    data = make(b"sixteen bytes!!!", to=(ALICE, BOB))
    h = read_header(data).header_size
    seen: set[type[BundleError]] = set()
    for at in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[at] ^= 1 << bit
            with pytest.raises(BundleError) as caught:
                open_as(bytes(flipped))
            error, message = type(caught.value), str(caught.value)
            assert message and "\n" not in message
            seen.add(error)
            if at < 8:
                assert error is NotABundleError
            elif SENDER_ID.start <= at < SIGN_PUB.stop:
                assert error is UnknownSenderError
            elif at >= h:
                assert error is BadSignatureError
            else:
                assert error in {TooNewError, DamagedError, TruncatedError, BadSignatureError}
    assert seen == {
        NotABundleError, TooNewError, DamagedError, UnknownSenderError, BadSignatureError
    }


def test_a_bundle_re_signed_by_an_attacker_is_refused() -> None:
    data = make()
    # The attacker embeds their own key (and key id) and signs: not a key we trust.
    theirs = bytearray(data)
    theirs[SIGN_PUB] = MALLORY.sign_pub
    refused(resign(bytes(theirs), MALLORY), UnknownSenderError)
    theirs[SENDER_ID] = MALLORY.key_id
    refused(resign(bytes(theirs), MALLORY), UnknownSenderError)
    # The attacker keeps the lead's key id and key but signs with their own key.
    refused(resign(data, MALLORY), BadSignatureError)
    with pytest.raises(BadSignatureError):
        verify(resign(data, MALLORY))
    with pytest.raises(UnknownSenderError):
        verify(resign(bytes(theirs), MALLORY), LEAD.sign_pub)
    # Even if the workspace trusts the attacker, it trusts them only under their own key id.
    both = LEAD.trust() | MALLORY.trust()
    refused(resign(data, MALLORY), BadSignatureError, trusted=both)


def test_sender_must_be_known_and_match_the_trusted_key() -> None:
    data = make()
    refused(data, UnknownSenderError, trusted={})
    refused(data, UnknownSenderError, trusted={LEAD.key_id: MALLORY.signing_key.public_key()})
    message = refused(data, UnknownSenderError, trusted=lambda kid: None)
    assert message == "the bundle is signed by a key this workspace does not know"


def test_trust_and_signature_are_checked_before_the_recipient() -> None:
    data = make()
    refused(data, UnknownSenderError, MALLORY, trusted={})
    tampered = bytearray(data)
    tampered[-100] ^= 1
    refused(bytes(tampered), BadSignatureError, MALLORY)
    assert refused(data, NotForMeError, MALLORY) == "the bundle is not addressed to you"


def test_wrong_kind() -> None:
    message = refused(make(kind=KIND_PACK), WrongKindError, expected_kind=KIND_RECEIPT)
    assert message == "the file is a pack, not a receipt"


def test_size_limit_comes_first() -> None:
    data = make(bytes(5000))
    message = refused(data, TooLargeError, max_size=4096)
    assert message == "the bundle is larger than the 4096 bytes limit"
    assert "200 MB" in refused(bytes(200 * 1024 * 1024 + 1), TooLargeError)
    # Cut below the limit, but the header still declares more than it.
    with pytest.raises(TooLargeError):
        read_header(data[:1000], max_size=len(data) - 1)


def test_newer_versions_and_unknown_kinds() -> None:
    data = make()
    assert "newer version" in refused(data[:8] + b"\x02" + data[9:], TooNewError)
    refused(data[:9] + b"\xff" + data[10:], TooNewError)
    refused(data[:8] + b"\x00" + data[9:], DamagedError)


def _with_field(data: bytes, fmt: str, offset: int, value: int) -> bytes:
    patched = bytearray(data)
    struct.pack_into(fmt, patched, offset, value)
    return bytes(patched)


@pytest.mark.parametrize(
    ("fmt", "offset", "value", "problem"),
    [
        (">I", 10, 0, "header size"),
        (">I", 10, 64 * 1024 + 1, "header size"),
        (">I", 10, 400, "header size"),
        (">Q", 62, 0, "sequence"),
        (">Q", 62, 2**53 + 1, "sequence"),
        (">Q", 70, 99, "disagree"),
        (">Q", 78, 12345, "disagree"),
        (">I", 86, 4096, "chunk size"),
        (">B", ID_LENGTH, 0, "inspection id"),
        (">B", ID_LENGTH, 101, "inspection id"),
        (">B", ID_LENGTH + 1, ord(" "), "inspection id"),
    ],
)
def test_structure_is_checked_strictly(fmt: str, offset: int, value: int, problem: str) -> None:
    message = refused(_with_field(make(), fmt, offset, value), DamagedError)
    assert problem in message


def test_recipient_count_and_duplicates() -> None:
    data = make(to=(ALICE, BOB))
    count_at = ID_LENGTH + 1 + data[ID_LENGTH]
    assert "recipients" in refused(_with_field(data, ">B", count_at, 0), DamagedError)
    assert "recipients" in refused(_with_field(data, ">B", count_at, 33), DamagedError)
    assert "header size" in refused(_with_field(data, ">B", count_at, 1), DamagedError)
    duplicate = bytearray(data)
    first = count_at + 1
    duplicate[first + 96 : first + 96 + 16] = duplicate[first : first + 16]
    assert "share a key id" in refused(bytes(duplicate), DamagedError)


def test_a_key_id_that_does_not_match_the_private_key() -> None:
    with pytest.raises(DamagedError, match="does not open with your private key"):
        open_sealed(
            make(), my_key_id=ALICE.key_id, my_private_key=BOB.kem_key,
            trusted_senders=LEAD.trust(),
        )


def test_every_recipient_must_get_the_key_the_header_commits_to() -> None:
    # A malicious (trusted) sender wraps another key for Bob, hoping to show Bob other content
    # than Alice under one signature. AES-GCM alone would not stop a crafted ciphertext doing
    # that; the signed key commitment does.
    data = bytearray(make(to=(ALICE, BOB)))
    header = read_header(bytes(data))
    prefix_end = header.header_size - 2 * 96
    info = (
        b"hmip-desktop bundle v1 content key"
        + hashlib.sha256(data[:prefix_end]).digest() + BOB.key_id
    )
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    other_key = AESGCM.generate_key(bit_length=256)
    bob_entry = prefix_end + 96
    data[bob_entry + 16 : bob_entry + 96] = suite.encrypt(
        other_key, BOB.kem_key.public_key(), info=info
    )
    forged = resign(bytes(data), LEAD)
    assert "not the key it was sealed with" in refused(forged, DamagedError, BOB)
    assert "fails to decrypt" in refused(forged, DamagedError, ALICE)
    assert header.key_commitment == bytes(data[COMMITMENT])


def test_content_that_fails_after_a_good_signature_is_damage() -> None:
    # Only a trusted sender can do this (a bug or a malicious colleague): it must still fail.
    data = bytearray(make())
    h = read_header(bytes(data)).header_size
    data[h] ^= 1
    message = refused(resign(bytes(data), LEAD), DamagedError)
    assert "fails to decrypt" in message


def test_all_kinds_round_trip() -> None:
    for kind in (KIND_PACK, KIND_ASSESSMENTS, KIND_RECEIPT, KIND_QA):
        header, payload = open_as(make(b"k", kind=kind), expected_kind=kind)
        assert header.kind == kind and payload == b"k"
