"""The CLI's ``recovery``: status, the lead's ``issue`` and the member's ``use``."""

from __future__ import annotations

import pytest

from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli as run
from tests.exchange.conftest import NAMES, PASSPHRASE, Env

NEW = "marigold tundra pebble lantern"


def test_status_issue_and_use_through_the_cli(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = ready_env
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    a1, lead = str(env.folder("a1")), str(env.folder("lead"))
    code, out, _err = run(capsys, "recovery", "status", "--workspace", a1)
    assert code == 0 and "has not gone to the lead yet" in out
    code, out, _err = run(capsys, "identity", "show", "--workspace", a1)
    assert "has not gone to the lead yet" in out
    env.ws("a1").save_item(env.team.case_ids["RT-101"], "2.1.1.a", "yes")
    env.close()
    bundle = env.root / "a1.hmipb"
    assert run(capsys, "export", "--out", str(bundle), "--workspace", a1)[0] == 0
    code, out, _err = run(capsys, "recovery", "status", "--workspace", a1)
    assert (code, out) == (0, "recovery key: sent to the lead in a bundle\n")
    assert run(capsys, "import", str(bundle), "--workspace", lead)[0] == 0

    file = env.root / "robin.hmiprecovery"
    code, out, err = run(capsys, "recovery", "issue", NAMES["a1"], "--out", str(file),
                         "--workspace", lead)
    assert (code, err) == (0, "") and out.startswith("wrote recovery file ")
    code, out, err = run(capsys, "recovery", "issue", NAMES["a2"], "--out",
                         str(env.root / "casey.hmiprecovery"), "--workspace", lead)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "no recovery key is held for" in err

    monkeypatch.delenv("HMIP_PASSPHRASE")  # forgotten
    monkeypatch.setenv("HMIP_NEW_PASSPHRASE", NEW)
    code, out, err = run(capsys, "recovery", "use", str(file), "--workspace", a1)
    assert (code, err) == (0, "") and out.startswith("new passphrase set;")
    code, out, err = run(capsys, "recovery", "use", str(file), "--workspace", a1)
    assert code == 1 and out == "" and err.count("\n") == 1 and "already used" in err
    with pytest.raises(WrongPassphraseError):
        Workspace.open(env.folder("a1"), PASSPHRASE)
    monkeypatch.setenv("HMIP_PASSPHRASE", NEW)
    code, out, _err = run(capsys, "recovery", "status", "--workspace", a1)
    assert "has not gone to the lead yet" in out  # the fresh recovery key
    code, out, err = run(capsys, "import", str(file), "--workspace", a1)
    assert code == 1 and "recovery file is not imported" in err
