"""A file a person names is read, or refused in one line of the caller's kind."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.user_files import read_user_file, read_user_json


class Refused(UserError):
    pass


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"abc")
    assert read_user_file(tmp_path / "f", max_size=3) == b"abc"


@pytest.mark.parametrize(("make", "why"), [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a folder, not a file"),
    (lambda p: p.write_bytes(b"x" * 11), "larger than"),
])
def test_each_failure_is_one_line_of_the_callers_kind(tmp_path: Path, make: object,
                                                      why: str) -> None:
    path = tmp_path / "input"
    make(path)  # type: ignore[operator]
    with pytest.raises(Refused) as e:
        read_user_file(path, max_size=10, error=Refused)
    assert why in str(e.value) and "\n" not in str(e.value)


def test_the_caller_words_a_file_too_large(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 11)
    with pytest.raises(Refused, match="the bundle is too large"):
        read_user_file(tmp_path / "big", max_size=10,
                       too_large=lambda: Refused("the bundle is too large"))


def test_a_large_file_is_refused_from_its_size_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(4 << 30)  # sparse: 4 GiB that take no disk space

    def not_opened(self: Path, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"{self} was opened")

    monkeypatch.setattr(Path, "open", not_opened)
    with pytest.raises(Refused, match="larger than 64 MB"):
        read_user_file(big, max_size=64 * 1024 * 1024, error=Refused)


def test_a_device_with_no_size_is_refused_by_the_bounded_read() -> None:
    with pytest.raises(Refused, match="larger than 1,000 bytes"):
        read_user_file(Path("/dev/zero"), max_size=1000, error=Refused)


def test_a_pipe_is_read_up_to_the_cap_and_no_further(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError):
            fifo.write_bytes(b"x" * 5000)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(Refused, match="larger than 4,096 bytes"):
            read_user_file(fifo, max_size=4096, error=Refused)
    finally:
        writer.join()


def test_a_json_file_is_read_strictly_with_its_name_in_the_one_line(tmp_path: Path) -> None:
    (tmp_path / "in.json").write_bytes(b'{"n": 1, "n": 2}')
    with pytest.raises(Refused) as e:
        read_user_json(tmp_path / "in.json", error=Refused)
    assert str(e.value) == (f'{tmp_path / "in.json"}: not valid JSON: '
                            'the key "n" appears twice in one object')
