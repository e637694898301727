"""What Prepare for return removes from the workspace folder, and what it must leave."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.exchange import packs, service
from hmip_desktop.laptop_return import wipe
from hmip_desktop.laptop_return.check import return_check
from hmip_desktop.laptop_return.wipe import WipeIncomplete, WipeRefused, prepare_for_return
from hmip_desktop.setup.reassign import reassign
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import Env, assert_one_line
from tests.laptop_return.test_return_flow import digests

PASSPHRASE = "spare laptop passphrase, invented"


def test_the_wipe_leaves_another_workspace_and_files_the_app_did_not_write(
        tmp_path: Path) -> None:
    folder = tmp_path / "hmip"
    outer = Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft", role="assessor")
    inner = Workspace.create(folder / "practice", "practice passphrase, invented too",
                             owner_name="Avery Pinecroft", role="assessor")
    inner.close()
    (folder / "my notes.txt").write_text("Avery's own notes, not the app's")

    result = prepare_for_return(outer, None)

    assert not (folder / "workspace.hmip").exists()
    assert not (folder / "workspace.hmipkey").exists()
    assert (folder / "my notes.txt").read_text() == "Avery's own notes, not the app's"
    assert result.left_in_folder == ["my notes.txt", "practice"]
    with Workspace.open(folder / "practice", "practice passphrase, invented too") as again:
        assert again.owner_name == "Avery Pinecroft"


def test_a_wipe_cut_short_after_its_first_file_leaves_nothing_that_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "spare"
    ws = Workspace.create(folder, PASSPHRASE, owner_name="Avery Pinecroft", role="assessor")
    real, calls = wipe._destroy, []

    def fail_after_first(path: Path) -> int:
        if calls:
            raise wipe.UserError(f"{path}: could not be removed (invented); remove it by hand")
        calls.append(path)
        return real(path)

    monkeypatch.setattr(wipe, "_destroy", fail_after_first)
    with pytest.raises(WipeIncomplete):
        prepare_for_return(ws, None)

    assert (folder / "workspace.hmip").exists()  # the database was not reached
    with pytest.raises(WrongPassphraseError):
        Workspace.open(folder, PASSPHRASE).close()


def test_a_qa_partners_laptop_holding_copies_of_cases_needs_a_certificate(
        ready_env: Env) -> None:
    """A QA partner whose own case went to someone else still holds their assessors' cases."""
    env, team = ready_env, ready_env.team
    lead, qa = env.ws("lead"), env.ws("qa")
    reassign(lead, team.iid, "RT-301", team.member_ids["a1"], "cover for a colleague")
    packs.make_pack(lead, team.iid, team.member_ids["qa"], env.bundle("qa-2.hmippack"))
    service.import_file(qa, env.bundle("qa-2.hmippack"))
    check = return_check(qa)
    assert check.green and check.cases == 0  # none of the QA partner's own
    assert qa.list_cases()  # but the assessors' cases are on this laptop
    before = digests(env.folder("qa"))

    with pytest.raises(WipeRefused) as e:
        prepare_for_return(qa, None)

    assert_one_line(e.value)
    assert "wipe certificate" in str(e.value)
    assert digests(env.folder("qa")) == before
