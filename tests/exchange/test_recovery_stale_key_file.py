"""A workspace still open elsewhere cannot bring back the key file a recovery replaced."""

from __future__ import annotations

import pytest
import sqlcipher3

from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.recovery_files import issue_recovery_file, use_recovery_file
from hmip_desktop.store import connection
from hmip_desktop.store.errors import WorkspaceBusyError, WrongPassphraseError
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.workspace import DB_NAME, KEY_FILE_NAME, Workspace
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


def test_a_recovery_refused_because_the_workspace_is_busy_changes_nothing(
        answered_env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env = answered_env
    service.import_file(env.ws("lead"), env.bundle("a1-1.hmipb"))
    recovery = issue_recovery_file(env.ws("lead"), NAMES["a1"], env.root / "a1.hmiprecovery")
    env.close("a1")
    folder = env.folder("a1")
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    other = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
    try:
        other.execute(f"PRAGMA key = {sql_key_for(folder, PASSPHRASE)}")
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        key_file = (folder / KEY_FILE_NAME).read_bytes()
        with pytest.raises(WorkspaceBusyError) as e:
            use_recovery_file(folder, recovery, NEW).close()
        assert_one_line(e.value)
        assert (folder / KEY_FILE_NAME).read_bytes() == key_file  # the old passphrase holds
    finally:
        other.execute("ROLLBACK")
        other.close()
    use_recovery_file(folder, recovery, NEW).close()  # and the file still works once
    Workspace.open(folder, NEW).close()
