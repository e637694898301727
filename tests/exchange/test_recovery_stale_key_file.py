"""A workspace still open elsewhere cannot bring back the key file a recovery replaced."""

from __future__ import annotations

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.recovery_files import issue_recovery_file, use_recovery_file
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, assert_one_line, digests

NEW = "heather lantern copper orchard"


def test_a_window_left_open_cannot_undo_a_recovery_by_changing_the_passphrase(
        answered_env: Env) -> None:
    env = answered_env
    service.import_file(env.ws("lead"), env.bundle("a1-1.hmipb"))  # the key reaches the lead
    recovery = issue_recovery_file(env.ws("lead"), NAMES["a1"], env.root / "a1.hmiprecovery")
    stale = env.ws("a1")  # still open in another window, from before the recovery
    use_recovery_file(env.folder("a1"), recovery, NEW).close()
    before = digests(env.folder("a1"))

    with pytest.raises(UserError) as e:
        stale.change_passphrase("a passphrase set in the stale window")

    assert_one_line(e.value)
    assert "changed by another program" in str(e.value)
    assert digests(env.folder("a1")) == before
    env.close("a1")
    with pytest.raises(UserError):  # the recovery file still cannot be used twice
        use_recovery_file(env.folder("a1"), recovery, "yet another passphrase, invented").close()
    with pytest.raises(WrongPassphraseError):
        Workspace.open(env.folder("a1"), PASSPHRASE)
    Workspace.open(env.folder("a1"), NEW).close()
