"""The workspace's key file: the random database key, wrapped twice.

The database key is wrapped by the passphrase and by the recovery key (docs/security.md,
"The database key and the key file").

``workspace.hmipkey`` sits beside ``workspace.hmip``. It holds no key in the clear:

- the 32-byte SQLCipher key (and the 16-byte salt SQLCipher keeps at the start of the file)
  wrapped with AES-256-GCM under a key derived from the passphrase with PBKDF2-HMAC-SHA512,
  256,000 iterations (SQLCipher 4's own key derivation and cost);
- the same key wrapped with AES-256-GCM under HKDF-SHA256 of the random 32-byte recovery key;
- the recovery key, wrapped under HKDF-SHA256 of the database key, so an unlocked workspace can
  send it to the lead;
- the X25519 key pair a recovery file is sealed to (its private half in the clear: it opens a
  recovery file and nothing else).

Every wrap binds the workspace id and the wrap's purpose as associated data. The file is
written atomically: a temporary file in the folder, fsynced, renamed over, the folder fsynced.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from hmip_desktop.i18n import _
from hmip_desktop.store.errors import DamagedWorkspaceError, WrongPassphraseError

KEY_FILE_NAME = "workspace.hmipkey"
FORMAT = 1
PBKDF2_ITERATIONS = 256_000  # SQLCipher 4's default for PBKDF2-HMAC-SHA512
MAX_KEY_FILE_BYTES = 8192
_LABEL = b"hmip-desktop key file v1 "
WRONG = "wrong passphrase, or the file is not a hmip-desktop workspace"


@dataclass(frozen=True)
class WorkspaceKeys:
    """What an unlocked workspace knows: the database key, its salt and the recovery key."""

    database_key: bytes  # 32 bytes, SQLCipher's raw key
    database_salt: bytes  # 16 bytes, the first 16 bytes of workspace.hmip
    recovery_key: bytes  # 32 bytes

    def sql_key(self) -> str:
        """The PRAGMA key literal: a raw key with its explicit salt (no key derivation)."""
        return f"\"x'{(self.database_key + self.database_salt).hex()}'\""

    @property
    def recovery_id(self) -> str:
        return recovery_id(self.recovery_key)


def recovery_id(recovery_key: bytes) -> str:
    """A public name for a recovery key: which one a recovery file was made with."""
    return hashlib.sha256(_LABEL + b"recovery id" + recovery_key).hexdigest()[:32]


@dataclass(frozen=True)
class KeyFile:
    workspace_id: str
    database_salt: bytes
    iterations: int
    passphrase_salt: bytes
    passphrase_wrap: bytes  # nonce + AES-GCM(database key)
    recovery_id: str
    recovery_salt: bytes
    recovery_wrap: bytes  # nonce + AES-GCM(database key)
    escrow_wrap: bytes  # nonce + AES-GCM(recovery key) under the database key
    recovery_private: bytes  # X25519, opens recovery files only

    @property
    def recovery_public(self) -> bytes:
        return X25519PrivateKey.from_private_bytes(self.recovery_private).public_key() \
            .public_bytes_raw()

    def unlock(self, passphrase: str) -> WorkspaceKeys:
        """The keys, with the passphrase; ``WrongPassphraseError`` if it does not unwrap."""
        kek = _passphrase_kek(passphrase, self.passphrase_salt, self.iterations)
        db_key = _unwrap(kek, self.passphrase_wrap, self._aad("passphrase"))
        return self._keys(db_key)

    def unlock_with_recovery(self, recovery_key: bytes) -> WorkspaceKeys:
        kek = _hkdf(recovery_key, self.recovery_salt, b"recovery wrap")
        db_key = _unwrap(kek, self.recovery_wrap, self._aad("recovery"))
        return self._keys(db_key)

    def _keys(self, db_key: bytes) -> WorkspaceKeys:
        kek = _hkdf(db_key, self.database_salt, b"escrow wrap")
        try:
            recovery = _unwrap(kek, self.escrow_wrap, self._aad("escrow"))
        except WrongPassphraseError:
            raise DamagedWorkspaceError(
                _("{key_file_name}: the key file is damaged; restore the workspace folder from "
                  "a backup").format(key_file_name=KEY_FILE_NAME)) from None
        return WorkspaceKeys(db_key, self.database_salt, recovery)

    def _aad(self, purpose: str) -> bytes:
        return _LABEL + purpose.encode() + b"\x00" + self.workspace_id.encode("utf-8")

    def with_passphrase(self, passphrase: str, db_key: bytes) -> KeyFile:
        """The same keys, the passphrase's wrap replaced (a passphrase change)."""
        salt = secrets.token_bytes(16)
        kek = _passphrase_kek(passphrase, salt, PBKDF2_ITERATIONS)
        return replace(self, iterations=PBKDF2_ITERATIONS, passphrase_salt=salt,
                       passphrase_wrap=_wrap(kek, db_key, self._aad("passphrase")))

    def with_recovery_key(self, db_key: bytes, recovery_key: bytes) -> KeyFile:
        """The recovery key's wraps replaced by a new recovery key's (after a recovery)."""
        salt = secrets.token_bytes(16)
        kek = _hkdf(recovery_key, salt, b"recovery wrap")
        escrow_kek = _hkdf(db_key, self.database_salt, b"escrow wrap")
        return replace(
            self, recovery_id=recovery_id(recovery_key), recovery_salt=salt,
            recovery_wrap=_wrap(kek, db_key, self._aad("recovery")),
            escrow_wrap=_wrap(escrow_kek, recovery_key, self._aad("escrow")),
            recovery_private=_new_private())

    def to_bytes(self) -> bytes:
        b = _b64
        return json.dumps({
            "format": FORMAT, "workspace_id": self.workspace_id,
            "database_salt": b(self.database_salt),
            "passphrase": {"kdf": "PBKDF2-HMAC-SHA512", "iterations": self.iterations,
                           "salt": b(self.passphrase_salt), "wrap": b(self.passphrase_wrap)},
            "recovery": {"id": self.recovery_id, "kdf": "HKDF-SHA256",
                         "salt": b(self.recovery_salt), "wrap": b(self.recovery_wrap),
                         "escrow_wrap": b(self.escrow_wrap),
                         "file_key": b(self.recovery_private)},
        }, indent=1, sort_keys=True).encode("ascii") + b"\n"


def new_key_file(workspace_id: str, passphrase: str) -> tuple[KeyFile, WorkspaceKeys]:
    """Fresh random keys for a workspace, wrapped by the passphrase and a new recovery key."""
    db_key, salt = secrets.token_bytes(32), secrets.token_bytes(16)
    base = KeyFile(workspace_id, salt, PBKDF2_ITERATIONS, b"", b"", "", b"", b"", b"", b"")
    recovery = secrets.token_bytes(32)
    kf = base.with_passphrase(passphrase, db_key).with_recovery_key(db_key, recovery)
    return kf, WorkspaceKeys(db_key, salt, recovery)


def sql_key_for(folder: Path, passphrase: str) -> str:
    """The PRAGMA key literal that opens the folder's database (for tools and tests)."""
    kf = read_key_file(folder)
    if kf is None:
        raise WrongPassphraseError(WRONG)
    return kf.unlock(passphrase).sql_key()


def read_key_file(folder: Path) -> KeyFile | None:
    """The folder's key file; None if there is none. A damaged one is refused."""
    path = folder / KEY_FILE_NAME
    try:
        with path.open("rb") as f:
            data = f.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    try:
        if len(data) > MAX_KEY_FILE_BYTES:
            raise ValueError("too large")
        d = json.loads(data.decode("ascii"))
        p, r = d["passphrase"], d["recovery"]
        if d["format"] != FORMAT or p["kdf"] != "PBKDF2-HMAC-SHA512" \
                or r["kdf"] != "HKDF-SHA256":
            raise ValueError("format")
        kf = KeyFile(
            workspace_id=str(d["workspace_id"]), database_salt=_unb64(d["database_salt"], 16),
            iterations=int(p["iterations"]), passphrase_salt=_unb64(p["salt"], 16),
            passphrase_wrap=_unb64(p["wrap"], 60), recovery_id=str(r["id"]),
            recovery_salt=_unb64(r["salt"], 16), recovery_wrap=_unb64(r["wrap"], 60),
            escrow_wrap=_unb64(r["escrow_wrap"], 60), recovery_private=_unb64(r["file_key"], 32))
        if not PBKDF2_ITERATIONS <= kf.iterations <= 100 * PBKDF2_ITERATIONS:
            raise ValueError("iterations")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise DamagedWorkspaceError(
            _("{path}: the key file is damaged; restore the workspace folder from a backup").format(
                path=path)
        ) from None
    return kf


def write_key_file(folder: Path, kf: KeyFile) -> None:
    """Temporary file in the folder, fsync, rename over the key file, fsync the folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{KEY_FILE_NAME}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(kf.to_bytes())
            f.flush()
            os.fsync(f.fileno())
        if os.name != "nt":
            os.chmod(tmp, 0o600)
        os.replace(tmp, folder / KEY_FILE_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def passphrase_kek(passphrase: str, salt: bytes, iterations: int) -> bytes:
    """PBKDF2-HMAC-SHA512 of the passphrase: the key its wrap of the database key is under.

    OpenSSL's, which lets other Python threads run meanwhile (``derive_ahead``).
    """
    kdf = PBKDF2HMAC(algorithm=hashes.SHA512(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(passphrase.encode("utf-8"))


def _passphrase_kek(passphrase: str, salt: bytes, iterations: int) -> bytes:
    """The key, taken from a derivation started ahead for the same inputs, else derived now."""
    from hmip_desktop.store import derive_ahead  # noqa: PLC0415 - it imports this module

    ahead = derive_ahead.take(passphrase, salt, iterations)
    return ahead if ahead is not None else passphrase_kek(passphrase, salt, iterations)


def _hkdf(secret: bytes, salt: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=_LABEL + purpose).derive(secret)


def _wrap(kek: bytes, secret: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(kek).encrypt(nonce, secret, aad)


def _unwrap(kek: bytes, wrapped: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], aad)
    except InvalidTag:
        raise WrongPassphraseError(WRONG) from None


def _new_private() -> bytes:
    return X25519PrivateKey.generate().private_bytes_raw()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, size: int) -> bytes:
    raw = base64.b64decode(str(text), validate=True)
    if len(raw) != size:
        raise ValueError("length")
    return raw
