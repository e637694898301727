"""The lead's receipt is written and synced while the cases are stored, and never outlives a
failed import.

The receipt is sealed once the cases are classified, and its file written under a temporary
name and synced on a thread of its own while the import stores the cases
(exchange/files.py, ``Staging``). Whatever fails after that (storing the cases, or the disk
syncing the receipt) leaves the workspace as it was, no receipt and no temporary file, and
one line; importing again then completes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.exchange import assessments, service
from hmip_desktop.exchange.common import seen_before
from tests.exchange.conftest import Env, assert_one_line, count


def _nothing_left(env: Env, folder: Path, bundle: Path) -> None:
    ws = env.ws("lead")
    assert not seen_before(ws, bundle.read_bytes())
    assert count(ws, "received_audit") == 0
    assert list(folder.iterdir()) == [], "no receipt and no temporary file is left"


def test_a_failure_while_storing_the_cases_leaves_no_receipt(
        answered_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle, folder = answered_env.bundle("a1-1.hmipb"), tmp_path / "receipts"
    folder.mkdir()
    ws = answered_env.ws("lead")

    def fails(*_args: Any) -> None:
        raise UserError("the disk is full")

    with monkeypatch.context() as m:
        m.setattr(assessments, "_apply", fails)
        with pytest.raises(UserError, match="the disk is full"):
            service.import_file(ws, bundle, receipt_out=folder / "a1.hmiprcpt")
    _nothing_left(answered_env, folder, bundle)

    report = service.import_file(ws, bundle, receipt_out=folder / "a1.hmiprcpt")
    assert len(report.applied) == 2 and report.receipt == folder / "a1.hmiprcpt"
    assert [p.name for p in folder.iterdir()] == ["a1.hmiprcpt"]


def test_a_receipt_the_disk_cannot_sync_refuses_the_import_in_one_line(
        answered_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle, folder = answered_env.bundle("a1-1.hmipb"), tmp_path / "receipts"
    folder.mkdir()
    ws = answered_env.ws("lead")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".part"):
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", fsync)
        with pytest.raises(UserError) as caught:
            service.import_file(ws, bundle, receipt_out=folder / "a1.hmiprcpt")
    assert_one_line(caught.value)
    assert "cannot write (Input/output error)" in str(caught.value)
    _nothing_left(answered_env, folder, bundle)

    report = service.import_file(ws, bundle, receipt_out=folder / "a1.hmiprcpt")
    assert report.receipt == folder / "a1.hmiprcpt" and (folder / "a1.hmiprcpt").is_file()
