"""The desktop app's temporary files (a print job's spool file) go to a memory-backed folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from hmip_desktop.memory_temp import filesystem_type, memory_temp_folder, temporary_files_in_memory


def _mounts(tmp_path: Path, runtime: Path, kind: str) -> Path:
    mounts = tmp_path / "mounts"
    escaped = str(runtime).replace(" ", "\\040")  # as the kernel writes a space there
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n{kind} {escaped} {kind} rw,nosuid 0 0\n",
                      encoding="utf-8")
    return mounts


@pytest.fixture
def runtime(tmp_path: Path) -> Path:
    folder = tmp_path / "run" / "user 1000"  # a space, as a mounts file escapes it
    folder.mkdir(parents=True, mode=0o700)
    return folder


def test_the_file_system_is_the_longest_mount_point_above_the_path(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\ntmpfs /run/user/1000 tmpfs rw 0 0\n"
                      "tmpfs /run/user/1000\\040x tmpfs rw 0 0\n", encoding="utf-8")
    assert filesystem_type(Path("/run/user/1000/hmip-desktop"), mounts) == "tmpfs"
    assert filesystem_type(Path("/run/user/10001"), mounts) == "ext4"
    assert filesystem_type(Path("/run/user/1000 x/a"), mounts) == "tmpfs"


def test_temporary_files_go_to_an_owner_only_folder_in_memory_and_back_after(
        tmp_path: Path, runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    mounts = _mounts(tmp_path, runtime, "tmpfs")
    with temporary_files_in_memory({"XDG_RUNTIME_DIR": str(runtime)}, mounts) as folder:
        assert folder == runtime / "hmip-desktop"
        assert folder.stat().st_mode & 0o777 == 0o700
        assert os.environ["TMPDIR"] == str(folder)
        with tempfile.NamedTemporaryFile() as spool:
            assert Path(spool.name).parent == folder
    assert os.environ["TMPDIR"] == str(tmp_path)
    assert Path(tempfile.gettempdir()) != folder


@pytest.mark.parametrize("case", ["on disk", "others can read it", "not set"])
def test_without_a_private_memory_folder_nothing_changes(
        tmp_path: Path, runtime: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    mounts = _mounts(tmp_path, runtime, "ext4" if case == "on disk" else "tmpfs")
    if case == "others can read it":
        runtime.chmod(0o755)
    environ = {} if case == "not set" else {"XDG_RUNTIME_DIR": str(runtime)}
    assert memory_temp_folder(environ, mounts) is None
    with temporary_files_in_memory(environ, mounts) as folder:
        assert folder is None
        assert os.environ["TMPDIR"] == str(tmp_path)
    assert not (runtime / "hmip-desktop").exists()
