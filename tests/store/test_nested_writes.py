"""Writes compose: a service write called inside ``Workspace.transaction`` joins it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop.store.workspace import Workspace
from tests.store.helpers import PASSPHRASE, new_workspace


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[tuple[Path, Workspace, str, str]]:
    folder = tmp_path / "ws"
    ws, _iid, (cid, other) = new_workspace(folder, cases=2)
    yield folder, ws, cid, other
    ws.close()


class Stop(Exception):
    pass


def _items(ws: Workspace, cid: str) -> dict[str, str]:
    return dict(ws.read_assessment(cid).items)


def test_writes_inside_a_transaction_commit_together(
        opened: tuple[Path, Workspace, str, str]) -> None:
    folder, ws, cid, other = opened
    with ws.transaction():
        ws.save_item(cid, "2.1.1.a", "yes")
        ws.save_item(other, "2.1.1.b", "no")
    ws.close()
    with Workspace.open(folder, PASSPHRASE) as again:
        assert _items(again, cid) == {"2.1.1.a": "yes"}
        assert _items(again, other) == {"2.1.1.b": "no"}
        assert [e.item for e in again.history(cid) if e.action == "set"] == ["2.1.1.a"]


def test_an_error_after_the_writes_rolls_all_of_them_back(
        opened: tuple[Path, Workspace, str, str]) -> None:
    folder, ws, cid, other = opened
    before = ws.history(cid)
    with pytest.raises(Stop), ws.transaction():
        ws.save_item(cid, "2.1.1.a", "yes")
        ws.save_item(other, "2.1.1.b", "no")
        raise Stop
    assert _items(ws, cid) == {} and _items(ws, other) == {}
    assert ws.read_assessment(cid).revision == 0
    assert ws.history(cid) == before
    assert ws.undo(cid) is None  # nothing to undo: the change never happened
    # The next save starts from what is on disk, not from what the rolled-back one left.
    ws.save_item(cid, "2.1.1.b", "no")
    ws.close()
    with Workspace.open(folder, PASSPHRASE) as again:
        assert _items(again, cid) == {"2.1.1.b": "no"}
        assert again.read_assessment(cid).revision == 1


def test_a_write_failing_halfway_inside_is_undone_alone(
        opened: tuple[Path, Workspace, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner write had stored its answer and audit row when it failed: both go, and the
    outer transaction's own write stays."""
    folder, ws, cid, other = opened
    before = ws.history(cid)
    with ws.transaction():
        ws.save_item(other, "2.1.1.a", "yes")
        real = ws._audit

        def audit(case_id: str, action: str, *args: object) -> None:
            if action == "status":  # after the answer and its audit row are written
                raise Stop
            real(case_id, action, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(ws, "_audit", audit)
        with pytest.raises(Stop):
            ws.save_item(cid, "2.1.1.b", "no")
        monkeypatch.setattr(ws, "_audit", real)
    ws.close()
    with Workspace.open(folder, PASSPHRASE) as again:
        assert _items(again, other) == {"2.1.1.a": "yes"}
        assert _items(again, cid) == {}
        assert again.read_assessment(cid).revision == 0
        assert again.history(cid) == before
