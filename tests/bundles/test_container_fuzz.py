"""Property: whatever bytes arrive, ``open_sealed`` returns or raises ``BundleError``, never else.

Inputs are arbitrary bytes, bytes behind a valid magic, and mutations of a valid bundle (cuts,
overwrites, insertions, and header fields set to arbitrary integers). A mutated bundle that does
open must be byte-for-byte the original (Ed25519 signatures are not malleable).
"""

from __future__ import annotations

import struct

from hypothesis import event, given, settings
from hypothesis import strategies as st

from hmip_desktop.bundles import KIND_PACK, BundleError, Header, open_sealed, read_header, seal
from tests.bundles import ALICE, BOB, LEAD

PAYLOAD = bytes(range(256)) * 300  # two chunks, the second partial
VALID = seal(
    KIND_PACK, PAYLOAD, sender=LEAD.sender, recipients=[ALICE.recipient, BOB.recipient],
    inspection_id="fuzz-1", sequence=3,
)
SMALL = seal(
    KIND_PACK, b"tiny", sender=LEAD.sender, recipients=[ALICE.recipient],
    inspection_id="fuzz-2", sequence=4,
)
LIMIT = len(VALID) + 1024
FUZZ = settings(max_examples=500, deadline=None)


def open_or_refuse(data: bytes) -> tuple[Header, bytes] | None:
    try:
        return open_sealed(
            data, my_key_id=ALICE.key_id, my_private_key=ALICE.kem_key,
            trusted_senders=LEAD.trust(), max_size=LIMIT,
        )
    except BundleError as refused:
        event(type(refused).__name__)  # see them with --hypothesis-show-statistics
        message = str(refused)
        assert message and "\n" not in message
        return None


def check(data: bytes, original: bytes | None = None) -> None:
    opened = open_or_refuse(data)
    if opened is not None:
        assert data == original
        assert opened[1] == (PAYLOAD if original is VALID else b"tiny")


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.sampled_from([0, 1, 2, 3, 4, 5, 255]), st.sampled_from([0, 1, 2]), st.binary())
def test_bytes_behind_a_valid_magic(kind: int, version: int, rest: bytes) -> None:
    check(b"HMIPBNDL" + bytes([version, kind]) + rest)


ORIGINALS = {"two chunks, two recipients": VALID, "tiny": SMALL}
names = st.sampled_from(sorted(ORIGINALS))  # names, so a failure report stays short


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(names)
    original = ORIGINALS[name]
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["cut", "overwrite", "insert", "delete"]))
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):  # hypothesis favours small numbers: reach the tail as often
            at = len(data) - at
        if how == "cut":
            del data[at:]
        elif how == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(chunk)] = chunk
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at : at + draw(st.integers(1, 8))]
    return name, bytes(data)


@FUZZ
@given(mutated())
def test_mutations_of_a_valid_bundle(case: tuple[str, bytes]) -> None:
    name, data = case
    check(data, ORIGINALS[name])


# Fixed-layout integer fields: (struct format, offset).
FIELDS = [(">B", 8), (">B", 9), (">I", 10), (">Q", 62), (">Q", 70), (">Q", 78), (">I", 86),
          (">B", 122)]


@FUZZ
@given(names, st.sampled_from(FIELDS), st.integers(min_value=0), st.booleans())
def test_header_fields_set_to_arbitrary_values(
    name: str, field: tuple[str, int], value: int, small: bool
) -> None:
    fmt, offset = field
    value %= 2 ** (8 * struct.calcsize(fmt))
    if small:
        value %= 300
    original = ORIGINALS[name]
    data = bytearray(original)
    struct.pack_into(fmt, data, offset, value)
    check(bytes(data), original)


@FUZZ
@given(names, st.integers(0, 255))
def test_recipient_count_set_to_arbitrary_values(name: str, count: int) -> None:
    original = ORIGINALS[name]
    data = bytearray(original)
    data[123 + original[122]] = count
    check(bytes(data), original)


def test_the_unmutated_bundles_open() -> None:
    assert read_header(VALID, max_size=LIMIT).payload_size == len(PAYLOAD)
    check(VALID, VALID)
    check(SMALL, SMALL)
