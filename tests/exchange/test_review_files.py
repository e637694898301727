"""Writing a bundle file that cannot be written is one line, and leaves no temporary file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.files import write_atomic
from tests.exchange.conftest import assert_one_line


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
