"""A file a person names is read, or refused in one line of the caller's kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.user_files import read_user_file


class Refused(UserError):
    pass


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"abc")
    assert read_user_file(tmp_path / "f") == b"abc"


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
