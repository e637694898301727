"""The key derivation started ahead of opening gives the same unlock, and nothing else.

The desktop app starts the passphrase's PBKDF2 on another thread while it loads its window
(``store/derive_ahead.py``); opening then takes that result. The workspace must open exactly as
before with the right passphrase, a wrong one must still be refused, and a result derived for
other inputs must never be used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.store import derive_ahead
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.key_file import passphrase_kek, read_key_file
from hmip_desktop.store.workspace import Workspace
from tests.store.helpers import PASSPHRASE, new_workspace


def _closed(folder: Path) -> str:
    ws, _iid, (cid,) = new_workspace(folder)
    ws.save_item(cid, "2.1.1.a", "yes")
    ws.close()
    return cid


def test_a_workspace_opens_with_the_key_derived_ahead(tmp_path: Path) -> None:
    cid = _closed(tmp_path / "ws")
    derive_ahead.start(tmp_path / "ws", PASSPHRASE)
    with Workspace.open(tmp_path / "ws", PASSPHRASE) as ws:
        assert ws.read_assessment(cid).items["2.1.1.a"] == "yes"
    kf = read_key_file(tmp_path / "ws")
    assert kf is not None
    assert derive_ahead.take(PASSPHRASE, kf.passphrase_salt, kf.iterations) is None  # used once


def test_a_wrong_passphrase_derived_ahead_is_still_refused(tmp_path: Path) -> None:
    _closed(tmp_path / "ws")
    derive_ahead.start(tmp_path / "ws", "not the passphrase at all")
    with pytest.raises(WrongPassphraseError):
        Workspace.open(tmp_path / "ws", "not the passphrase at all")
    with Workspace.open(tmp_path / "ws", PASSPHRASE):  # and the right one, derived now, opens
        pass


def test_a_key_derived_for_another_passphrase_is_never_taken(tmp_path: Path) -> None:
    _closed(tmp_path / "ws")
    derive_ahead.start(tmp_path / "ws", "a passphrase typed wrongly")
    with Workspace.open(tmp_path / "ws", PASSPHRASE):  # derives afresh for the right one
        pass
    kf = read_key_file(tmp_path / "ws")
    assert kf is not None
    derive_ahead.start(tmp_path / "ws", PASSPHRASE)
    assert derive_ahead.take(PASSPHRASE, bytes(16), kf.iterations) is None  # another salt
    derive_ahead.start(tmp_path / "ws", PASSPHRASE)
    assert derive_ahead.take(PASSPHRASE, kf.passphrase_salt, kf.iterations) == passphrase_kek(
        PASSPHRASE, kf.passphrase_salt, kf.iterations)


def test_nothing_is_derived_for_a_folder_without_a_key_file(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    derive_ahead.start(tmp_path / "empty", PASSPHRASE)
    assert derive_ahead.take(PASSPHRASE, bytes(16), 256_000) is None
