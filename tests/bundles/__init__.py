"""Test people with fixed keys, shared by the bundle tests (fixed so frozen vectors stay valid)."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hmip_desktop.bundles import Recipient, Sender, key_id


@dataclass(frozen=True)
class Person:
    signing_key: Ed25519PrivateKey
    kem_key: X25519PrivateKey

    @property
    def sign_pub(self) -> bytes:
        return self.signing_key.public_key().public_bytes_raw()

    @property
    def key_id(self) -> bytes:
        return key_id(self.sign_pub, self.kem_key.public_key().public_bytes_raw())

    @property
    def sender(self) -> Sender:
        return Sender(self.key_id, self.signing_key)

    @property
    def recipient(self) -> Recipient:
        return Recipient(self.key_id, self.kem_key.public_key())

    def trust(self) -> dict[bytes, Ed25519PublicKey]:
        return {self.key_id: self.signing_key.public_key()}


def person(seed: int) -> Person:
    """A person whose keys come from ``seed`` (test keys only, never for real data)."""
    return Person(
        Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32),
        X25519PrivateKey.from_private_bytes(bytes([seed + 100]) * 32),
    )


LEAD, ALICE, BOB, CAROL, MALLORY = (person(n) for n in (1, 2, 3, 4, 5))
