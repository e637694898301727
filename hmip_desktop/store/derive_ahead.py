"""The passphrase's key derivation started ahead, while the desktop app loads its window code.

Unlocking costs one PBKDF2-HMAC-SHA512 of 256,000 iterations (docs/security.md), about a tenth
of a second, and the app's start-up spends longer than that importing Qt and the window's
modules. The derivation (OpenSSL's, through ``cryptography``) lets other Python threads run
while it works, so ``start(folder, passphrase)`` derives the key-encryption key on another
thread, on the other core, and ``KeyFile.unlock`` takes the result (``take``) instead of
deriving it again: the same derivation, the same key, only sooner. Nothing is derived for a
folder without a key file, and a result is taken at most once, for the same passphrase, salt
and iteration count; the passphrase is held here only until then, as the caller holds it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.store.key_file import passphrase_kek, read_key_file

_pending: list[tuple[str, bytes, int, threading.Thread, list[bytes]]] = []
_lock = threading.Lock()


def start(folder: Path, passphrase: str) -> None:
    """Begin deriving the key-encryption key for ``folder``'s key file.

    Nothing happens without a readable key file: opening then reports why, as ever.
    """
    try:
        key_file = read_key_file(folder)
    except (UserError, OSError):  # a damaged or unreadable key file: the open path says so
        return
    if key_file is None:
        return
    salt, iterations = key_file.passphrase_salt, key_file.iterations
    found: list[bytes] = []

    def derive() -> None:
        found.append(passphrase_kek(passphrase, salt, iterations))

    thread = threading.Thread(target=derive, name="derive-ahead", daemon=True)
    with _lock:
        _pending.clear()  # only ever the latest
        _pending.append((passphrase, salt, iterations, thread, found))
    thread.start()


def take(passphrase: str, salt: bytes, iterations: int) -> bytes | None:
    """The key derived ahead for exactly these, once; None if there is none."""
    with _lock:
        if not _pending:
            return None
        ahead, ahead_salt, ahead_iterations, thread, found = _pending.pop()
    if (ahead, ahead_salt, ahead_iterations) != (passphrase, salt, iterations):
        return None
    thread.join()
    return found[0] if found else None
