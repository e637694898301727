"""Long-term keys of a workspace and the member cards that carry their public halves.

Each workspace has an Ed25519 key for signing and an X25519 key for receiving, created once
and kept in the encrypted store. A *member card* (``.hmipid``) is a self-signed statement of
name, role and both public keys. Self-signing only proves the card's maker holds the signing
key; what makes a card trusted is the lead comparing its *fingerprint*, read aloud, with the
one the member's own app shows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from hmip_desktop.bundles.container import key_id
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.text_rules import text_fault

CARD_MAGIC = b"HMIPCARD"
CARD_VERSION = 1
MAX_CARD_BYTES = 4096
ROLES = ("assessor", "qa", "lead")


class CardError(UserError):
    """A member card that cannot be read or whose signature fails."""


@dataclass(frozen=True)
class PublicIdentity:
    name: str
    role: str
    sign_public: bytes  # raw 32 bytes
    kem_public: bytes  # raw 32 bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.sign_public, self.kem_public)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.kem_public)

    def verify_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.sign_public)

    def receive_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.kem_public)


@dataclass(frozen=True)
class PrivateIdentity:
    public: PublicIdentity
    sign_private: bytes
    kem_private: bytes

    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.sign_private)

    def receiving_key(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self.kem_private)


def fingerprint(sign_public: bytes, kem_public: bytes) -> str:
    """160 bits as eight groups of four base32 characters, for reading aloud."""
    digest = hashlib.sha256(b"hmip-fingerprint-v1" + sign_public + kem_public).digest()[:20]
    text = base64.b32encode(digest).decode("ascii")
    return " ".join(text[i:i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    compact = "".join(text.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def new_identity(name: str, role: str) -> PrivateIdentity:
    from cryptography.hazmat.primitives import serialization as ser  # noqa: PLC0415

    sign = Ed25519PrivateKey.generate()
    kem = X25519PrivateKey.generate()
    raw = ser.Encoding.Raw
    public = PublicIdentity(
        name=name, role=role,
        sign_public=sign.public_key().public_bytes(raw, ser.PublicFormat.Raw),
        kem_public=kem.public_key().public_bytes(raw, ser.PublicFormat.Raw),
    )
    return PrivateIdentity(
        public=public,
        sign_private=sign.private_bytes(raw, ser.PrivateFormat.Raw, ser.NoEncryption()),
        kem_private=kem.private_bytes(raw, ser.PrivateFormat.Raw, ser.NoEncryption()),
    )


def _card_body(public: PublicIdentity) -> bytes:
    return json.dumps({
        "format": CARD_VERSION,
        "name": public.name,
        "role": public.role,
        "sign_public": base64.b64encode(public.sign_public).decode("ascii"),
        "kem_public": base64.b64encode(public.kem_public).decode("ascii"),
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def make_card(identity: PrivateIdentity) -> bytes:
    """``HMIPCARD`` | version (1 byte) | body length (u32 BE) | JSON body | Ed25519 signature."""
    body = _card_body(identity.public)
    head = CARD_MAGIC + bytes([CARD_VERSION]) + struct.pack(">I", len(body))
    return head + body + identity.signing_key().sign(head + body)


def read_card(data: bytes) -> PublicIdentity:
    if len(data) > MAX_CARD_BYTES:
        raise CardError(_("not a member card: the file is too large"))
    if not data.startswith(CARD_MAGIC) or len(data) < len(CARD_MAGIC) + 5 + 64:
        raise CardError(_("not a hmip-desktop member card"))
    if data[8] != CARD_VERSION:
        raise CardError(_("member card format {data} is not supported").format(data=data[8]))
    (n,) = struct.unpack(">I", data[9:13])
    if 13 + n + 64 != len(data):
        raise CardError(_("the member card is damaged (wrong length)"))
    body, signature = data[13:13 + n], data[13 + n:]
    try:
        fields = json.loads(body.decode("utf-8"))
        if not isinstance(fields, dict) or set(fields) != {
                "format", "name", "role", "sign_public", "kem_public"}:
            raise ValueError("fields")
        public = PublicIdentity(
            name=str(fields["name"]), role=str(fields["role"]),
            sign_public=base64.b64decode(fields["sign_public"], validate=True),
            kem_public=base64.b64decode(fields["kem_public"], validate=True),
        )
        if len(public.sign_public) != 32 or len(public.kem_public) != 32:
            raise ValueError("key length")
        if public.role not in ROLES or not public.name.strip() or len(public.name) > 200:
            raise ValueError("name or role")
        if body != _card_body(public):
            raise ValueError("not canonical")
        public.verify_key().verify(signature, data[:13 + n])
    except InvalidSignature:
        raise CardError(_("the member card's signature does not match: it was altered")) from None
    except (ValueError, UnicodeDecodeError, TypeError, KeyError):
        raise CardError(_("the member card is damaged (its contents cannot be read)")) from None
    # A self-signed card proves only who holds the key: its text is the sender's to choose,
    # so it must not be able to disguise itself on a terminal or a screen.
    fault = text_fault(public.name)
    if fault is not None:
        raise CardError(_("refused: the member card's name {fault}: ask the member to make "
                          "their card again").format(fault=fault))
    return public
