"""A damaged installation (a shipped file missing) gives one line naming the file, no traceback.

The frozen layout is simulated: ``sys.frozen`` set and ``sys._MEIPASS`` pointing at a copy of
the resources with one file taken away, as if someone had deleted it from the installed folder.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.frameworks import loader
from hmip_desktop.shipped_files import resource, resource_root
from hmip_desktop.store import passphrase

PASSPHRASE = "damaged install passphrase, invented"


def forget_shipped_files() -> None:
    """Drop what this process has already read (an installed app reads afresh each start)."""
    loader._shipped.cache_clear()
    passphrase._common.cache_clear()


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A frozen app's resource folder (a full copy); yields it for the test to damage."""
    bundle = tmp_path / "app" / "_internal"
    root = bundle / "hmip_desktop" / "resources"
    source = Path(str(resource_root()))
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    assert Path(str(resource_root())) == root
    forget_shipped_files()
    yield root
    forget_shipped_files()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_names_missing(err: str, what: str) -> None:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert err == (f"hmip-desktop: the installation is damaged: {what} is missing; "
                   "reinstall hmip-desktop\n")


def test_the_frozen_layout_finds_every_shipped_file(
        installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "frameworks")
    assert (code, err) == (0, "")
    assert "nps-2019-20" in out
    assert resource("common-passwords.txt").read_text(encoding="utf-8").strip()


def test_a_missing_password_list_is_named_and_nothing_is_created(
        installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (installed / "common-passwords.txt").unlink()
    folder = tmp_path / "ws"
    code, out, err = run(capsys, "init", "--workspace", str(folder), "--name", "Robin Quillfeather",
                         "--role", "assessor")
    assert (code, out) == (1, "")
    assert_names_missing(err, "common-passwords.txt")
    assert not folder.exists() or not any(folder.iterdir())


def test_a_missing_frameworks_folder_is_named(
        installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(installed / "frameworks")
    code, out, err = run(capsys, "frameworks")
    assert (code, out) == (1, "")
    assert_names_missing(err, "frameworks")


def test_the_self_test_names_the_missing_file(
        installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (installed / "common-passwords.txt").unlink()
    code, out, err = run(capsys, "--self-test")
    assert code == 1
    assert "Traceback" not in out + err
    assert ("[ 1/13] shipped frameworks and password list ... FAILED: the installation is "
            "damaged: common-passwords.txt is missing; reinstall hmip-desktop") in out
    assert out.splitlines()[-1] == ("self-test FAILED at step 1: "
                                    "shipped frameworks and password list")


@pytest.mark.gui
def test_the_gui_start_up_shows_the_missing_file_in_a_dialog_and_on_stderr(
        installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, qapp: object) -> None:
    import hmip_desktop.gui.app as gui_app  # noqa: PLC0415 - Qt only in this test
    from hmip_desktop.store.workspace import Workspace  # noqa: PLC0415

    (installed / "frameworks" / "nps-2019-20.json").unlink()
    folder = tmp_path / "ws"
    Workspace.create(folder, PASSPHRASE, owner_name="Jules Pennyfold", role="lead").close()

    def window_needing_a_framework(*_args: object, **_kwargs: object) -> None:
        resource("frameworks", "nps-2019-20.json")  # as the window would when it reads one

    shown: list[str] = []
    monkeypatch.setattr(gui_app, "MainWindow", window_needing_a_framework)
    monkeypatch.setattr(gui_app.QtWidgets.QMessageBox, "critical",
                        lambda _parent, _title, text: shown.append(text))
    code, out, err = run(capsys, "gui", "--workspace", str(folder))
    assert (code, out) == (1, "")
    assert_names_missing(err, "frameworks/nps-2019-20.json")
    assert shown == ["the installation is damaged: frameworks/nps-2019-20.json is missing; "
                     "reinstall hmip-desktop"]
