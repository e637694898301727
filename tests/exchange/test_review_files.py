"""Writing a bundle file that cannot be written is one line, and leaves no temporary file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.exchange import service
from hmip_desktop.exchange.files import write_atomic
from tests.exchange.conftest import Env, assert_one_line
from tests.exchange.helpers import db_digest


def test_a_target_that_is_a_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "bundle.hmipb"
    target.mkdir()
    with pytest.raises(UserError, match="cannot write") as e:
        write_atomic(target, b"sealed bytes")
    assert_one_line(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.hmipb"]  # no .part left


def test_the_file_is_written_private_and_replaces_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "bundle.hmipb"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.hmipb"]


def test_a_receipt_folder_that_is_not_there_refuses_the_import_before_it_writes(
        answered_env: Env) -> None:
    """Otherwise the import is committed, the receipt lost, and importing again says 'already
    imported' without one: the assessor's cases would not show as received."""
    env = answered_env
    lead = env.ws("lead")
    before = db_digest(lead)
    with pytest.raises(UserError, match="no such folder") as e:
        service.import_file(lead, env.bundle("a1-1.hmipb"),
                            receipt_out=env.root / "missing" / "r.hmiprcpt")
    assert_one_line(e.value)
    assert db_digest(lead) == before
    report = service.import_file(lead, env.bundle("a1-1.hmipb"),
                                 receipt_out=env.root / "r.hmiprcpt")
    assert report.receipt is not None and report.receipt.exists()
