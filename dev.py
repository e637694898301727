#!/usr/bin/env python3
"""Set up a development environment and run hmip-desktop or its tests.

    python3 dev.py demo    # set up, then open the app on the built-in demo inspection
    python3 dev.py test    # set up, then run the whole test suite (lint, types, tests)

Needs only Python 3.11+. The virtual environment lives in .venv and is refreshed when
pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".hmip-installed"


def pip_progress(line: str) -> str | None:
    """The step line to show for one line of pip's output, or None to keep it quiet."""
    if line.startswith("Collecting "):
        name = re.split(r"[\s<>=!~;\[(]", line.removeprefix("Collecting ").strip(), maxsplit=1)[0]
        return f"  collecting {name}"
    if line.startswith("Processing "):  # a wheel file from a local index or cache
        return f"  collecting {Path(line.split()[1]).name.split('-')[0]}"
    if line.startswith("Installing collected packages:"):
        names = [n.strip() for n in line.split(":", 1)[1].split(",") if n.strip()]
        return f"  unpacking and installing {len(names)} package{'s' * (len(names) != 1)} …"
    if line.strip().startswith("Building editable for ") and line.strip().endswith("started"):
        return "  building hmip-desktop"
    if line.startswith("Successfully installed"):
        return "  installed"
    return None


def pip_install(*args: str) -> None:
    """Run pip install, showing a line per step instead of its whole output.

    pip's warnings and errors are kept aside and shown in full only if it fails.
    """
    command = [str(PY), "-m", "pip", "--disable-pip-version-check", "install", *args]
    with tempfile.TemporaryFile("w+") as errors, \
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True) as pip:
        assert pip.stdout is not None
        for line in pip.stdout:
            shown = pip_progress(line)
            if shown:
                print(shown, flush=True)
        pip.wait()
        if pip.returncode != 0:
            errors.seek(0)
            sys.stderr.write(errors.read())
            sys.exit(f"pip install failed (exit {pip.returncode}); its messages are above")


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    started = time.monotonic()
    fresh = not PY.exists()
    steps = iter(f"[{n}/{2 + fresh}]" for n in range(1, 3 + fresh))
    print("Setting up the development environment (under a minute the first time) …", flush=True)
    if fresh:
        print(f"{next(steps)} Creating the virtual environment in .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"{next(steps)} Updating pip", flush=True)
    pip_install("--upgrade", "pip")
    print(f"{next(steps)} Installing hmip-desktop, Qt (PySide6) and the development tools",
          flush=True)
    pip_install("-e", f"{ROOT}[dev]")
    STAMP.write_text(wanted)
    print(f"Ready in {time.monotonic() - started:.0f} s.", flush=True)


# The one list of the system libraries Qt needs and the Debian packages that hold them; build.sh
# reads it too, and README.md's apt-get line names its packages.
PACKAGES_FILE = ROOT / "installer" / "linux" / "debian-packages.txt"
_CANNOT_OPEN = re.compile(r"([\w.+-]+\.so[\w.]*): cannot open shared object file")


def debian_packages() -> dict[str, str]:
    """Each library's soname mapped to the Debian package that holds it."""
    packages = {}
    for line in PACKAGES_FILE.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            soname, package = fields
            packages[soname] = package
    return packages


def apt_get_line(sonames: list[str] | None = None) -> str:
    """The apt-get command for the packages holding these libraries (None: the whole list)."""
    packages = debian_packages()
    wanted = packages.values() if sonames is None else [packages[s] for s in sonames
                                                        if s in packages]
    return "sudo apt-get install " + " ".join(dict.fromkeys(wanted))


def not_found(ldd_output: str) -> list[str]:
    """The libraries ldd could not find."""
    return sorted({line.split()[0] for line in ldd_output.splitlines()
                   if line.strip().endswith("=> not found")})


def ldd(path: Path) -> str | None:
    """What ldd says of a library, or None if there is no ldd."""
    try:
        return subprocess.run(["ldd", str(path)], capture_output=True, text=True,
                              check=False).stdout
    except OSError:
        return None


def load_error(path: Path) -> str:
    """What the loader says when a fresh Python loads the library ('' if it loads)."""
    probe = subprocess.run([str(PY), "-c", "import ctypes, sys; ctypes.CDLL(sys.argv[1])",
                            str(path)], capture_output=True, text=True, check=False)
    return probe.stderr if probe.returncode != 0 else ""


def missing_libraries(files: list[Path]) -> list[str]:
    """The system libraries these Qt files link that are not installed."""
    missing: set[str] = set()
    for file in files:
        said = ldd(file)
        if said is None:  # no ldd: load it; the loader names the first library it lacks
            missing.update(_CANNOT_OPEN.findall(load_error(file)))
        else:
            missing.update(not_found(said))
    return sorted(missing)


def stop_for_missing(missing: list[str]) -> NoReturn:
    """Stop with the apt-get line that installs the missing libraries."""
    packages = debian_packages()
    unknown = [s for s in missing if s not in packages]
    lines = [f"Qt cannot start: the system lacks {', '.join(missing)}."]
    if len(unknown) < len(missing):
        lines += ["On Debian or Ubuntu install what it needs with:", f"  {apt_get_line(missing)}"]
    if unknown:
        lines.append(f"No package is listed for {', '.join(unknown)} in "
                     f"{PACKAGES_FILE.relative_to(ROOT)}; 'apt-file search NAME' finds it.")
    sys.exit("\n".join(lines))


def pyside_folder() -> Path | None:
    """Where PySide6 is installed in .venv (found without loading Qt)."""
    probe = subprocess.run(
        [str(PY), "-c", "import importlib.util as u; "
         "print(u.find_spec('PySide6').submodule_search_locations[0])"],
        capture_output=True, text=True, check=False)
    return Path(probe.stdout.strip()) if probe.returncode == 0 else None


def window_plugin() -> str:
    """The Qt platform plugin a window will use here ('' where it cannot be told)."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0]
    return "" if os.environ.get("WAYLAND_DISPLAY") else "xcb"


def check_qt(plugin: str) -> None:
    """Stop with the reason and the apt-get line if Qt, or its platform plugin, cannot load."""
    if sys.platform.startswith("linux"):
        folder = pyside_folder()
        if folder is not None:
            files = sorted(folder.glob("QtWidgets*.so"))
            if plugin:
                files.append(folder / "Qt" / "plugins" / "platforms" / f"libq{plugin}.so")
            missing = missing_libraries([f for f in files if f.is_file()])
            if missing:
                stop_for_missing(missing)
    probe = subprocess.run(
        [str(PY), "-c", "import PySide6.QtWidgets"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        missing = sorted(set(_CANNOT_OPEN.findall(probe.stderr)))
        if missing:
            stop_for_missing(missing)
        last = (probe.stderr.strip().splitlines() or ["unknown error"])[-1]
        sys.exit(f"Qt cannot start: {last}\nOn Debian or Ubuntu install Qt's system libraries "
                 f"with:\n  {apt_get_line()}")


def demo_location(folder: Path, note: Path, exists: bool, *, generated: bool) -> str:
    """Where the demo is (or will be made) and where its passphrase is kept."""
    if not exists:
        kept = (f"; its generated passphrase will be kept in {note}" if generated
                else "; it will open with the passphrase in HMIP_PASSPHRASE")
        return f"First run: the demo inspection will be made in {folder}{kept}."
    if note.is_file():
        return f"The demo inspection is in {folder}\nIts passphrase is in {note}"
    return (f"The demo inspection is in {folder} (made with a passphrase of your own: "
            "there is no passphrase file beside it).")


def describe_demo() -> None:
    """Say where the default demo workspace and its passphrase file are."""
    probe = subprocess.run(
        [str(PY), "-c", "from hmip_desktop.paths import DEMO_PASSPHRASE_FILE as f, "
         "default_demo_workspace as d\nfrom hmip_desktop.store.workspace import Workspace as W\n"
         "print(d()); print(d() / f); print(W.exists(d()))"],
        capture_output=True, text=True, check=False)
    said = probe.stdout.split("\n")
    if probe.returncode == 0 and len(said) >= 3:
        generated = not os.environ.get("HMIP_PASSPHRASE")
        print(demo_location(Path(said[0]), Path(said[1]), said[2] == "True",
                            generated=generated), flush=True)


def run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(list(args), cwd=ROOT, env=env, check=False).returncode


def cmd_demo(extra: list[str]) -> int:
    check_qt(window_plugin())
    if not extra:  # the default demo (--workspace or --role name another folder)
        describe_demo()
    return run(str(PY), "-m", "hmip_desktop", "demo", "--open", *extra)


def pytest_workers(extra: list[str]) -> list[str]:
    """Run the tests on every core (pytest-xdist), one test file to a worker at a time.

    A file's tests stay together so its module fixtures (a demo workspace, a whole team's
    exchange) are built once. Left out when any pytest arguments are given (single tests, a
    folder, -x): those runs are usually short, and pytest's own output reads better in one
    process.
    """
    if extra:
        return []
    return ["-n", "auto", "--dist", "loadfile"]


def cmd_test(extra: list[str]) -> int:
    check_qt("offscreen")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    steps = [
        ("ruff", [str(PY), "-m", "ruff", "check", "."]),
        ("mypy", [str(PY), "-m", "mypy"]),
        ("pytest", [str(PY), "-m", "pytest", *pytest_workers(extra), *extra]),
    ]
    for name, argv in steps:
        print(f"== {name}", flush=True)
        code = run(*argv, env=env)
        if code != 0:
            print(f"== {name} failed (exit {code})", flush=True)
            return code
    return 0


def ensure_catalogues() -> None:
    """Build each catalogue's .mo from its .po when the .po is newer (tools/messages.py)."""
    for po in sorted((ROOT / "resources" / "locale").glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        built = subprocess.run([str(PY), "-m", "tools.messages", "compile"], cwd=ROOT,
                               check=False, capture_output=True, text=True)
        if built.returncode != 0:
            sys.exit(f"the Welsh catalogue does not compile:\n{built.stderr.strip()}")
        return


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("hmip-desktop needs Python 3.11 or newer")
    commands = {"demo": cmd_demo, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    ensure_environment()
    ensure_catalogues()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
