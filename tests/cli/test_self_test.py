"""``hmip-desktop --self-test``, run in-process through ``main`` as an installed app runs it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from hmip_desktop.cli import commands_gui, commands_selftest
from hmip_desktop.cli.main import main
from hmip_desktop.errors import UserError

STEP = re.compile(r"^\[\s*(\d+)/(\d+)\] (.+?) \.\.\. (ok \(.+\)|FAILED: .+|not run)$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse usage errors
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def steps(lines: list[str]) -> list[tuple[str, str]]:
    """(step name, outcome) for every step line, checking the numbering on the way."""
    found = [STEP.match(line) for line in lines]
    matched = [m for m in found if m]
    assert [int(m.group(1)) for m in matched] == list(range(1, len(matched) + 1))
    assert {int(m.group(2)) for m in matched} == {len(commands_selftest.STEPS)}
    return [(m.group(3), m.group(4)) for m in matched]


@pytest.mark.gui
def test_every_step_checks_out_and_the_exit_status_is_0(
        capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    code, lines, err = run(capsys, "--self-test")
    assert code == 0, "\n".join(lines) + err
    assert lines[0].startswith("hmip-desktop ") and "(from source)" in lines[0]
    done = steps(lines)
    assert [name for name, _ in done] == [name for name, _ in commands_selftest.STEPS]
    assert all(outcome.startswith("ok (") for _, outcome in done), lines
    names = dict(done)
    assert "SQLCipher" in names["lead creates a workspace and sets up the inspection"]
    assert "100% yes" in names["lead's ratings from the imported answers"]
    assert re.search(r"1366x768 PNG, [1-9]\d* bytes", names["main window renders"])
    assert lines[-1] == f"self-test passed: all {len(commands_selftest.STEPS)} steps checked out"


def test_a_step_that_raises_is_named_the_rest_are_not_run_and_the_status_is_1(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise UserError("the disk is full (invented for the test)")

    monkeypatch.setattr(commands_selftest, "export_assessments", disk_full)
    code, lines, _err = run(capsys, "--self-test")
    assert code == 1
    done = steps(lines)
    failed = [i for i, (_n, outcome) in enumerate(done) if outcome.startswith("FAILED")]
    assert len(failed) == 1
    name, outcome = done[failed[0]]
    assert name == "assessor exports a bundle"
    assert outcome == "FAILED: the disk is full (invented for the test)"
    assert all(o.startswith("ok") for _n, o in done[:failed[0]])
    assert all(o == "not run" for _n, o in done[failed[0] + 1:])
    assert lines[-1] == f"self-test FAILED at step {failed[0] + 1}: assessor exports a bundle"
    assert "Traceback" not in "\n".join(lines)


def test_a_result_that_does_not_check_out_fails_its_step(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps check what they did: a receipt that marks nothing received is a failure."""
    monkeypatch.setattr(commands_selftest, "delivered", lambda _ws, _case_id: False)
    code, lines, _err = run(capsys, "--self-test")
    assert code == 1
    outcome = dict(steps(lines))["assessor imports the receipt"]
    assert outcome.startswith("FAILED: not marked received by the lead: ST-001")
    assert lines[-1].startswith("self-test FAILED at step ")
    assert lines[-1].endswith(": assessor imports the receipt")


def test_a_bug_in_a_step_is_reported_with_its_traceback(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("lead_key_id")

    monkeypatch.setattr(commands_selftest, "make_pack", broken)
    code, lines, _err = run(capsys, "--self-test")
    assert code == 1
    outcome = dict(steps(lines))["lead writes the assessor's pack"]
    assert outcome == "FAILED: KeyError: 'lead_key_id'"
    assert any(line.strip() == "Traceback (most recent call last):" for line in lines)


def test_the_self_test_takes_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run(capsys, "--self-test", "frameworks")
    assert code == 2
    assert lines == []
    assert "--self-test takes no command" in err


@pytest.mark.parametrize("name", ["robin-1.hmipb", "robin.HMIPPACK", "robin-1.hmiprcpt",
                                  "robin.hmipid"])
def test_a_bundle_opened_from_the_file_manager_opens_the_app(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The installers associate the bundle extensions with ``hmip-desktop FILE``: a bundle is
    imported once the workspace is unlocked; a member card only opens the app (the lead enrols
    cards in Inspection set-up)."""
    opened: list[tuple[Path, Path | None]] = []
    monkeypatch.setattr(commands_gui, "launch_gui",
                        lambda folder, **kw: opened.append((folder, kw["import_path"])) or 0)
    monkeypatch.setenv("HMIP_WORKSPACE", str(tmp_path / "ws"))
    code, lines, err = run(capsys, str(tmp_path / name))
    assert (code, lines, err) == (0, [], "")
    expected = None if name.endswith(".hmipid") else tmp_path / name
    assert opened == [(tmp_path / "ws", expected)]


@pytest.mark.gui
def test_a_display_qt_cannot_use_fails_the_window_step(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        qapp: object) -> None:
    """With DISPLAY set, rendering only offscreen means the app could not open its window."""
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")  # this process's Qt already runs offscreen
    monkeypatch.setattr(sys, "platform", "linux")
    code, lines, _err = run(capsys, "--self-test")
    assert code == 1
    outcome = dict(steps(lines))["main window renders"]
    assert outcome.startswith("FAILED: Qt could not use the display (xcb;")
    assert lines[-1] == (f"self-test FAILED at step {len(commands_selftest.STEPS)}: "
                         "main window renders")
