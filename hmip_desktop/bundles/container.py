"""Sealed bundles: bytes signed by one sender and encrypted for one or more recipients.

``seal`` turns a payload into the bytes of a bundle file and ``open_sealed`` checks and opens
one. The container does not know what the payload means: packs, assessments, receipts and QA
files are built on top of it. Files travel between laptops on USB sticks, so a bundle must be
readable only by its recipients, show who made it, and be refused whole if any byte changed.

It is composed only of standard constructions, all from ``cryptography``:

- HPKE base mode (RFC 9180; DHKEM X25519, HKDF-SHA256, AES-256-GCM) wraps one random 32-byte
  content key for each recipient;
- the payload is encrypted once under that key, in 64 KiB AES-256-GCM chunks with the STREAM
  nonces the ``age`` format uses (``stream.py``), each chunk bound to the SHA-256 of the header;
- a SHA-256 commitment to the content key sits in the header, so every recipient provably gets
  the same key and so the same plaintext (AES-GCM alone is not key-committing);
- Ed25519 signs every byte before the signature.

``open_sealed`` checks in this order and decrypts nothing before the signature holds: size limit
and strict structure, the kind asked for, a trusted sender, the signature, an entry for this
reader, the unwrapped key against its commitment, then the chunks. Layout: docs/bundle-format.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hmip_desktop.bundles import stream
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _

KIND_PACK, KIND_ASSESSMENTS, KIND_RECEIPT, KIND_QA, KIND_ALERT = 1, 2, 3, 4, 5
KIND_ALERT_STATE = 6  # an alert's tracking state, back to the member who raised it
KIND_REVIEW = 7  # the partner inspector's review: cases out, comments back
KIND_DEBRIEF = 8  # the QA partner's debrief on their local assessors, for the lead only
KIND_RELEASE = 10  # the lead's signed release of named cases a member's laptop no longer needs
KIND_WIPE_CERTIFICATE = 11  # a member's signed certificate that its workspace was wiped
KIND_RECOVERY = 9  # the lead's one-time recovery file for one member's workspace
KIND_TRAINING_PACK = 12  # a training event's pack: lead → one trainee, never the benchmark
KIND_TRAINING = 13  # a trainee's answers on the training cases, for the lead alone
KIND_SECOND = 14  # a second assessor's answers on double-assessed cases, for the lead alone

MAGIC = b"HMIPBNDL"
FORMAT_VERSION = 1
DEFAULT_MAX_SIZE = 200 * 1024 * 1024
MAX_RECIPIENTS = 32
MAX_HEADER_SIZE = 64 * 1024
MAX_SEQUENCE = 2**53
KEY_ID_SIZE = 16
SIGNATURE_SIZE = 64
KEY_INFO_LABEL = b"hmip-desktop bundle v1 content key"
KEY_COMMITMENT_LABEL = b"hmip-desktop bundle v1 key commitment"

# magic, version, kind, header size, sender key id, sender Ed25519 key, sequence, payload size,
# ciphertext size, chunk size, key commitment, inspection id length: 123 bytes, big-endian.
_FIXED = struct.Struct(">8sBBI16s32sQQQI32sB")
_ENTRY_SIZE = KEY_ID_SIZE + 32 + 48  # key id, HPKE enc, wrapped content key (32 + 16-byte tag)
_INSPECTION_ID = re.compile(rb"[A-Za-z0-9_-]{1,100}")
_HPKE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class BundleError(UserError):
    """Base of every reason a bundle is refused; the message is one plain line."""


class NotABundleError(BundleError):
    """The file does not start with the bundle magic."""


class TooLargeError(BundleError):
    """The file (or the size its header declares) is over the size limit."""


class TooNewError(BundleError):
    """A format version or kind this version of hmip-desktop cannot read."""


class DamagedError(BundleError):
    """Bad structure, inconsistent lengths, extra bytes, or content that fails to decrypt."""


class TruncatedError(DamagedError):
    """The file ends before the end its header declares."""


class UnknownSenderError(BundleError):
    """The signing key is not one the caller trusts."""


class BadSignatureError(BundleError):
    """The signature does not verify: the bytes changed after signing, or it was forged."""


class NotForMeError(BundleError):
    """No recipient entry carries the reader's key id."""


class WrongKindError(BundleError):
    """A well-formed bundle of another kind than the caller expects."""


@dataclass(frozen=True)
class Recipient:
    key_id: bytes
    public_key: X25519PublicKey

    def __post_init__(self) -> None:
        if len(self.key_id) != KEY_ID_SIZE:
            raise ValueError("a recipient key id is 16 bytes")


@dataclass(frozen=True)
class Sender:
    key_id: bytes
    signing_key: Ed25519PrivateKey

    def __post_init__(self) -> None:
        if len(self.key_id) != KEY_ID_SIZE:
            raise ValueError("a sender key id is 16 bytes")


@dataclass(frozen=True)
class RecipientEntry:
    """One recipient's slot in the header: whose it is and the content key wrapped for them."""

    key_id: bytes
    enc: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class Header:
    """Everything before the ciphertext, parsed and checked for structure (not for trust)."""

    format_version: int
    kind: int
    header_size: int
    sender_key_id: bytes
    sender_sign_pub: bytes
    sequence: int
    payload_size: int
    ciphertext_size: int
    chunk_size: int
    key_commitment: bytes
    inspection_id: str
    recipients: tuple[RecipientEntry, ...]


def key_id(sign_pub_raw: bytes, kem_pub_raw: bytes) -> bytes:
    """The 16-byte id of a person's key pair: a hash of both raw public keys."""
    if len(sign_pub_raw) != 32 or len(kem_pub_raw) != 32:
        raise ValueError("raw Ed25519 and X25519 public keys are 32 bytes each")
    return hashlib.sha256(b"hmip-key-id-v1" + sign_pub_raw + kem_pub_raw).digest()[:KEY_ID_SIZE]


def kind_name(kind: int) -> str:
    names = {
        KIND_PACK: _("a pack"),
        KIND_ASSESSMENTS: _("an assessments bundle"),
        KIND_RECEIPT: _("a receipt"),
        KIND_QA: _("a QA bundle"),
        KIND_ALERT: _("an alert bundle"),
        KIND_ALERT_STATE: _("an alert-state bundle"),
        KIND_REVIEW: _("a review bundle"),
        KIND_DEBRIEF: _("a debrief bundle"),
        KIND_RELEASE: _("a release from the lead"),
        KIND_WIPE_CERTIFICATE: _("a wipe certificate"),
        KIND_RECOVERY: _("a recovery file"),
        KIND_TRAINING_PACK: _("a training pack"),
        KIND_TRAINING: _("a training bundle"),
        KIND_SECOND: _("a second-assessment bundle"),
    }
    return names.get(kind, _("an unknown kind of bundle"))


def _size_text(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MB" if size % mib == 0 else _("{n} bytes").format(n=size)


def _too_large(max_size: int) -> TooLargeError:
    return TooLargeError(
        _("the bundle is larger than the {limit} limit").format(limit=_size_text(max_size))
    )


def _key_info(header_prefix_hash: bytes, recipient_key_id: bytes) -> bytes:
    return KEY_INFO_LABEL + header_prefix_hash + recipient_key_id


def _key_commitment(content_key: bytes) -> bytes:
    return hashlib.sha256(KEY_COMMITMENT_LABEL + content_key).digest()


def seal(
    kind: int,
    payload: bytes,
    *,
    sender: Sender,
    recipients: Sequence[Recipient],
    inspection_id: str,
    sequence: int,
    max_size: int = DEFAULT_MAX_SIZE,
) -> bytes:
    """The bytes of a bundle holding ``payload``, signed by ``sender``, for ``recipients``.

    Bad arguments are bugs in the caller (``ValueError``); a payload that would make a file over
    ``max_size`` raises ``TooLargeError``.
    """
    if kind not in (KIND_PACK, KIND_ASSESSMENTS, KIND_RECEIPT, KIND_QA, KIND_ALERT,
                 KIND_REVIEW, KIND_DEBRIEF, KIND_ALERT_STATE, KIND_RELEASE,
                 KIND_WIPE_CERTIFICATE, KIND_RECOVERY, KIND_TRAINING_PACK,
                 KIND_TRAINING, KIND_SECOND):
        raise ValueError(f"unknown bundle kind {kind}")
    if not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise ValueError(f"a bundle has 1 to {MAX_RECIPIENTS} recipients")
    if len({r.key_id for r in recipients}) != len(recipients):
        raise ValueError("two recipients share a key id")
    id_raw = inspection_id.encode("utf-8")
    if not _INSPECTION_ID.fullmatch(id_raw):
        raise ValueError("an inspection id is 1 to 100 characters of A-Z, a-z, 0-9, _ and -")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError("the sequence number is 1 to 2**53")
    body_size = stream.ciphertext_size(len(payload))
    header_size = _FIXED.size + len(id_raw) + 1 + _ENTRY_SIZE * len(recipients)
    if header_size + body_size + SIGNATURE_SIZE > max_size:
        raise _too_large(max_size)

    content_key = AESGCM.generate_key(bit_length=256)
    prefix = _FIXED.pack(
        MAGIC, FORMAT_VERSION, kind, header_size, sender.key_id,
        sender.signing_key.public_key().public_bytes_raw(), sequence, len(payload), body_size,
        stream.CHUNK_SIZE, _key_commitment(content_key), len(id_raw),
    ) + id_raw + bytes([len(recipients)])
    prefix_hash = hashlib.sha256(prefix).digest()
    out = bytearray(prefix)
    for r in recipients:
        info = _key_info(prefix_hash, r.key_id)
        out += r.key_id + _HPKE.encrypt(content_key, r.public_key, info=info)
    stream.encrypt(content_key, payload, hashlib.sha256(out).digest(), out)
    out += sender.signing_key.sign(out)
    return bytes(out)


def read_header(data: bytes, *, max_size: int = DEFAULT_MAX_SIZE) -> Header:
    """Parse and check the structure of a bundle, with no cryptography; raises ``BundleError``.

    Checks the size limit, the magic, version and kind, every length and cap, and that the file
    ends exactly where its header says (signature included).
    """
    size = len(data)
    if size > max_size:
        raise _too_large(max_size)
    if size == 0:
        raise NotABundleError(_("the file is empty, not a hmip-desktop bundle"))
    if bytes(data[: len(MAGIC)]) != MAGIC[: min(size, len(MAGIC))]:
        raise NotABundleError(_("not a hmip-desktop bundle"))
    cut_short = TruncatedError(_("the bundle is cut short"))
    if size <= len(MAGIC):
        raise cut_short
    version = data[8]
    if version > FORMAT_VERSION:
        raise TooNewError(
            _("the bundle was made by a newer version of hmip-desktop (format {v})").format(
                v=version
            )
        )
    if version != FORMAT_VERSION:
        raise DamagedError(_("the bundle is damaged: its format version is not valid"))
    if size <= 9:
        raise cut_short
    if data[9] not in (KIND_PACK, KIND_ASSESSMENTS, KIND_RECEIPT, KIND_QA, KIND_ALERT,
                 KIND_REVIEW, KIND_DEBRIEF, KIND_ALERT_STATE, KIND_RELEASE,
                 KIND_WIPE_CERTIFICATE, KIND_RECOVERY, KIND_TRAINING_PACK,
                 KIND_TRAINING, KIND_SECOND):
        raise TooNewError(
            _("the bundle is of a kind this version of hmip-desktop cannot read (or damaged)")
        )
    if size < _FIXED.size:
        raise cut_short
    (_magic, _version, kind, header_size, sender_key_id, sender_sign_pub, sequence, payload_size,
     body_size, chunk_size, commitment, id_len) = _FIXED.unpack_from(data)

    def damaged(what: str) -> DamagedError:
        return DamagedError(_("the bundle is damaged: {what}").format(what=what))

    if not _FIXED.size < header_size <= MAX_HEADER_SIZE:
        raise damaged(_("the header size is not valid"))
    if chunk_size != stream.CHUNK_SIZE:
        raise damaged(_("the chunk size is not valid"))
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise damaged(_("the sequence number is not valid"))
    if body_size != stream.ciphertext_size(payload_size):
        raise damaged(_("the sizes in the header disagree"))
    if not 1 <= id_len <= 100:
        raise damaged(_("the inspection id is not valid"))
    if size < _FIXED.size + id_len + 1:
        raise cut_short
    id_raw = bytes(data[_FIXED.size : _FIXED.size + id_len])
    if not _INSPECTION_ID.fullmatch(id_raw):
        raise damaged(_("the inspection id is not valid"))
    count = data[_FIXED.size + id_len]
    if not 1 <= count <= MAX_RECIPIENTS:
        raise damaged(_("the number of recipients is not valid"))
    if header_size != _FIXED.size + id_len + 1 + count * _ENTRY_SIZE:
        raise damaged(_("the header size is not valid"))
    total = header_size + body_size + SIGNATURE_SIZE
    if total > max_size:
        raise _too_large(max_size)
    if size < total:
        raise cut_short
    if size > total:
        raise damaged(_("there are extra bytes after the signature"))

    entries = []
    for at in range(header_size - count * _ENTRY_SIZE, header_size, _ENTRY_SIZE):
        raw = bytes(data[at : at + _ENTRY_SIZE])
        entries.append(RecipientEntry(raw[:16], raw[16:48], raw[48:]))
    if len({e.key_id for e in entries}) != count:
        raise damaged(_("two recipients share a key id"))
    return Header(
        format_version=version, kind=kind, header_size=header_size,
        sender_key_id=sender_key_id, sender_sign_pub=sender_sign_pub, sequence=sequence,
        payload_size=payload_size, ciphertext_size=body_size, chunk_size=chunk_size,
        key_commitment=commitment, inspection_id=id_raw.decode("ascii"), recipients=tuple(entries),
    )


def _check_signature(data: bytes, public_key: Ed25519PublicKey) -> None:
    signed = memoryview(data)[: len(data) - SIGNATURE_SIZE]
    try:
        public_key.verify(bytes(data[len(data) - SIGNATURE_SIZE :]), signed)
    except InvalidSignature:
        raise BadSignatureError(
            _("the bundle is damaged or was changed after it was signed")
        ) from None


def _unknown_sender() -> UnknownSenderError:
    return UnknownSenderError(_("the bundle is signed by a key this workspace does not know"))


def verify(
    data: bytes, expected_sign_pub: bytes | None = None, *, max_size: int = DEFAULT_MAX_SIZE
) -> Header:
    """Check structure and signature, with the embedded key or the one the caller expects.

    Without ``expected_sign_pub`` this proves only that the bytes are as their (embedded) signer
    made them; whether to trust that signer is the caller's decision.
    """
    header = read_header(data, max_size=max_size)
    if expected_sign_pub is not None and expected_sign_pub != header.sender_sign_pub:
        raise _unknown_sender()
    try:
        embedded = Ed25519PublicKey.from_public_bytes(header.sender_sign_pub)
    except ValueError:
        raise BadSignatureError(_("the bundle's signing key is not valid")) from None
    _check_signature(data, embedded)
    return header


def open_sealed(
    data: bytes,
    *,
    my_key_id: bytes,
    my_private_key: X25519PrivateKey,
    trusted_senders: Callable[[bytes], Ed25519PublicKey | None] | Mapping[bytes, Ed25519PublicKey],
    expected_kind: int | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> tuple[Header, bytes]:
    """Check a bundle and return its header and payload; raises ``BundleError`` if refused.

    ``trusted_senders`` maps a sender key id to the Ed25519 key this workspace trusts for it.
    """
    header = read_header(data, max_size=max_size)
    if expected_kind is not None and header.kind != expected_kind:
        raise WrongKindError(
            _("the file is {found}, not {wanted}").format(
                found=kind_name(header.kind), wanted=kind_name(expected_kind)
            )
        )
    if isinstance(trusted_senders, Mapping):
        trusted = trusted_senders.get(header.sender_key_id)
    else:
        trusted = trusted_senders(header.sender_key_id)
    if trusted is None or trusted.public_bytes_raw() != header.sender_sign_pub:
        raise _unknown_sender()
    _check_signature(data, trusted)

    entry = next((e for e in header.recipients if e.key_id == my_key_id), None)
    if entry is None:
        raise NotForMeError(_("the bundle is not addressed to you"))
    view = memoryview(data)
    prefix_size = header.header_size - len(header.recipients) * _ENTRY_SIZE
    prefix_hash = hashlib.sha256(view[:prefix_size]).digest()
    try:
        content_key = _HPKE.decrypt(
            entry.enc + entry.wrapped_key, my_private_key, info=_key_info(prefix_hash, my_key_id)
        )
    except (InvalidTag, ValueError):
        raise DamagedError(
            _("the bundle's key for you does not open with your private key")
        ) from None
    if not hmac.compare_digest(_key_commitment(content_key), header.key_commitment):
        raise DamagedError(
            _("the bundle is damaged: the key for you is not the key it was sealed with")
        )
    header_hash = hashlib.sha256(view[: header.header_size]).digest()
    body = view[header.header_size : header.header_size + header.ciphertext_size]
    try:
        payload = stream.decrypt(content_key, body, header.payload_size, header_hash)
    except (InvalidTag, ValueError):
        raise DamagedError(_("the bundle is damaged: its content fails to decrypt")) from None
    return header, payload
