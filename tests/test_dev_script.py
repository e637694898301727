"""dev.py, the newcomer's way in: it names the packages a bare machine lacks, shows its set-up
steps and says where the demo is; the README and build.sh use the same package list."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from hmip_desktop.paths import DEMO_PASSPHRASE_FILE
from hmip_desktop.store.workspace import DB_NAME

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "installer" / "linux" / "debian-packages.txt"


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def listed_packages() -> list[str]:
    """The packages of installer/linux/debian-packages.txt, in order, each once."""
    packages: list[str] = []
    for line in LIST.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields and fields[1] not in packages:
            packages.append(fields[1])
    return packages


def fake_qt(tmp_path: Path) -> Path:
    """A PySide6 folder holding (empty) files where QtWidgets and the platform plugins are."""
    (tmp_path / "QtWidgets.abi3.so").touch()
    plugins = tmp_path / "Qt" / "plugins" / "platforms"
    plugins.mkdir(parents=True)
    for name in ("libqxcb.so", "libqoffscreen.so"):
        (plugins / name).touch()
    return tmp_path


LDD_XCB = """\
\tlinux-vdso.so.1 (0x00007ffd5b9e5000)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f0a1c000000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f0a1bff0000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0a1b800000)
"""
LDD_FINE = "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0a1b800000)\n"


def test_the_readme_apt_get_line_is_the_package_list(dev: ModuleType) -> None:
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    lines = re.findall(r"`(sudo apt-get install [^`]*)`", text)
    assert len(lines) == 1, lines
    assert lines[0].split()[3:] == listed_packages()
    assert lines[0] == dev.apt_get_line()
    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libegl1"):
        assert package in listed_packages()


def test_the_readme_keeps_to_two_commands_for_a_newcomer() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    started = text.split("## Getting started", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", started, flags=re.DOTALL)
    assert [b.strip() for b in blocks] == ["python3 dev.py demo", "python3 dev.py test"]
    assert re.search(r"about \d+(–\d+)? minutes on 2 cores", started)  # the test command's time


def test_a_library_ldd_cannot_find_is_named_with_the_exact_apt_get_line(
    dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fake_qt(tmp_path)
    monkeypatch.setattr(dev, "pyside_folder", lambda: folder)
    monkeypatch.setattr(dev, "ldd", lambda path: LDD_XCB if path.name == "libqxcb.so"
                        else LDD_FINE)
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(SystemExit) as stopped:
        dev.check_qt("xcb")
    said = str(stopped.value).splitlines()
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in said[0]
    assert "  sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in said
    dev.check_qt("offscreen")  # the tests' plugin links none of them: no stop


def test_without_ldd_the_loader_names_the_missing_library(
    dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fake_qt(tmp_path)
    monkeypatch.setattr(dev, "pyside_folder", lambda: folder)
    monkeypatch.setattr(dev, "ldd", lambda path: None)
    monkeypatch.setattr(dev, "load_error", lambda path: (
        "OSError: libxcb-keysyms.so.1: cannot open shared object file: No such file or directory"
        if path.name == "libqxcb.so" else ""))
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(SystemExit) as stopped:
        dev.check_qt("xcb")
    assert "  sudo apt-get install libxcb-keysyms1" in str(stopped.value).splitlines()


def test_a_library_not_in_the_list_is_named_without_a_package_guessed(
    dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fake_qt(tmp_path)
    monkeypatch.setattr(dev, "pyside_folder", lambda: folder)
    monkeypatch.setattr(dev, "ldd", lambda path: "\tlibimaginary.so.7 => not found\n")
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(SystemExit) as stopped:
        dev.check_qt("xcb")
    said = str(stopped.value)
    assert "libimaginary.so.7" in said and "apt-file search" in said
    assert "apt-get install" not in said


def test_build_sh_checks_the_same_list(tmp_path: Path) -> None:
    build = (ROOT / "installer" / "linux" / "build.sh").read_text(encoding="utf-8")
    assert "installer/linux/check-system-libraries.sh" in build
    assert not [p for p in listed_packages() if re.search(rf"\b{re.escape(p)}\b", build)]
    known = [line.split()[0] for line in LIST.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    lacking = {"libxcb-keysyms.so.1", "libEGL.so.1"}
    fake = tmp_path / "ldconfig"
    fake.write_text("#!/bin/sh\necho '123 libs found in cache'\n" + "".join(
        f"echo '\t{soname} (libc6,x86-64) => /usr/lib/{soname}'\n"
        for soname in known if soname not in lacking))
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    script = ROOT / "installer" / "linux" / "check-system-libraries.sh"
    lacks = subprocess.run([str(script)], env=env, capture_output=True, text=True, check=False)
    assert lacks.returncode == 1
    assert lacks.stderr.strip().endswith("sudo apt-get install libegl1 libxcb-keysyms1")
    fake.write_text("#!/bin/sh\n" + "".join(f"echo '\t{s} (libc6,x86-64) => /usr/lib/{s}'\n"
                                             for s in known))
    has_all = subprocess.run([str(script)], env=env, capture_output=True, text=True, check=False)
    assert (has_all.returncode, has_all.stderr) == (0, "")


PIP_OUTPUT = """\
Obtaining file:///home/someone/hmip-desktop
  Installing build dependencies: started
  Installing build dependencies: finished with status 'done'
Collecting PySide6>=6.6 (from hmip-desktop==0.1.0)
  Using cached PySide6-6.7.2-cp39-abi3-manylinux_2_28_x86_64.whl (530 kB)
Requirement already satisfied: platformdirs in ./.venv/lib/python3.11/site-packages
Collecting sqlcipher3-wheels
  Downloading sqlcipher3_wheels-0.5.2.whl (3.1 MB)
Processing /opt/wheels/cryptography-50.0.2-cp311-abi3-manylinux_2_34_x86_64.whl (from hmip-desktop)
Building wheels for collected packages: hmip-desktop
  Building editable for hmip-desktop (pyproject.toml): started
  Building editable for hmip-desktop (pyproject.toml): finished with status 'done'
Installing collected packages: sqlcipher3-wheels, PySide6, hmip-desktop
Successfully installed PySide6-6.7.2 hmip-desktop-0.1.0 sqlcipher3-wheels-0.5.2
"""


def test_the_set_up_shows_one_line_per_step(dev: ModuleType) -> None:
    shown = [dev.pip_progress(line) for line in PIP_OUTPUT.splitlines(keepends=True)]
    assert [s for s in shown if s] == [
        "  collecting PySide6", "  collecting sqlcipher3-wheels", "  collecting cryptography",
        "  building hmip-desktop",
        "  unpacking and installing 3 packages …", "  installed"]


def test_a_later_demo_run_says_where_the_demo_and_its_passphrase_are(
    dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("HMIP_PASSPHRASE", raising=False)
    demo = tmp_path / "hmip-desktop" / "demo"
    dev.describe_demo()
    first = capsys.readouterr().out
    assert f"will be made in {demo}" in first and str(demo / DEMO_PASSPHRASE_FILE) in first
    demo.mkdir(parents=True)
    (demo / DB_NAME).touch()
    (demo / DEMO_PASSPHRASE_FILE).write_text("invented-words\n")
    dev.describe_demo()
    later = capsys.readouterr().out.splitlines()
    assert later == [f"The demo inspection is in {demo}",
                     f"Its passphrase is in {demo / DEMO_PASSPHRASE_FILE}"]


def test_a_first_set_up_prints_each_step_before_it_runs(
    dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    python = tmp_path / "venv" / "bin" / "python"
    monkeypatch.setattr(dev, "PY", python)
    monkeypatch.setattr(dev, "STAMP", tmp_path / "stamp")
    ran: list[str] = []

    class Builder:
        def __init__(self, with_pip: bool) -> None:
            assert with_pip

        def create(self, folder: Path) -> None:
            ran.append("venv")
            python.parent.mkdir(parents=True)
            python.touch()

    monkeypatch.setattr(dev.venv, "EnvBuilder", Builder)
    monkeypatch.setattr(dev, "pip_install", lambda *args: ran.append(" ".join(args[:2])))
    dev.ensure_environment()
    said = capsys.readouterr().out.splitlines()
    assert ran == ["venv", "--upgrade pip", f"-e {ROOT}[dev]"]
    assert [line.split("]")[0] + "]" for line in said if line.startswith("[")] == [
        "[1/3]", "[2/3]", "[3/3]"]
    assert said[-1].startswith("Ready in ")
    dev.ensure_environment()  # set up already: nothing to do, nothing said
    assert capsys.readouterr().out == "" and len(ran) == 3
