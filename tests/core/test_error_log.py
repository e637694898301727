"""The local error log: what went wrong in the program, never what a case says; size capped."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop import error_log

CASE_TEXT = "Jordan Madeup disclosed the address 12 Invented Road"


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as e:
        return e


def chained() -> BaseException:
    try:
        try:
            {}["case:" + CASE_TEXT]
        except KeyError as inner:
            raise ValueError(CASE_TEXT) from inner
    except ValueError as e:
        return e
    raise AssertionError


def test_a_record_has_types_and_frames_but_no_message_or_value() -> None:
    record = error_log.format_record(chained())
    assert "builtins.KeyError" in record and "builtins.ValueError" in record
    assert record.index("builtins.KeyError") < record.index("builtins.ValueError")
    assert "test_error_log.py" in record and "in chained" in record
    assert "hmip-desktop " in record and "Python " in record
    assert "Jordan" not in record and "Invented Road" not in record


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1))
def test_no_exception_message_reaches_the_log(message: str) -> None:
    record = error_log.format_record(raised(RuntimeError("«" + message + "»")))
    assert "«" not in record


def test_error_codes_are_kept_but_not_file_names(tmp_path: Path) -> None:
    disk = raised(OSError(errno.ENOSPC, "No space", str(tmp_path / CASE_TEXT)))
    assert "builtins.OSError [ENOSPC]" in error_log.format_record(disk)
    assert CASE_TEXT not in error_log.format_record(disk)
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"SELECT * FROM [{CASE_TEXT}]")
    except sqlite3.Error as e:
        record = error_log.format_record(e)
    assert "sqlite3.OperationalError [SQLITE_ERROR]" in record and "Jordan" not in record


def test_the_log_is_private_appended_and_capped(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "logs" / error_log.LOG_NAME
    monkeypatch.setattr(error_log, "MAX_BYTES", 4000)
    for _ in range(40):
        assert error_log.write_error(chained(), log) == log
    assert log.stat().st_mode & 0o777 == 0o600
    assert log.parent.stat().st_mode & 0o777 == 0o700
    older = log.with_name(error_log.LOG_NAME + ".1")
    assert older.exists()
    assert log.stat().st_size <= 4000 and older.stat().st_size <= 4000
    assert not list(log.parent.glob("*.2"))
    assert log.read_text(encoding="utf-8").startswith("=== ")


def test_a_log_that_cannot_be_written_is_no_second_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert error_log.write_error(chained(), blocker / "errors.log") is None
