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
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".hmip-installed"


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    if not PY.exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing hmip-desktop and its development tools …", flush=True)
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def check_qt() -> None:
    probe = subprocess.run(
        [str(PY), "-c", "import PySide6.QtWidgets"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["unknown error"])[-1]
        sys.exit(
            f"Qt cannot start: {last}\nOn Debian or Ubuntu install Qt's system libraries with:\n"
            "  sudo apt-get install libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3"
        )


# The X11 libraries Qt's xcb platform plugin links that a bare Debian or Ubuntu lacks, and the
# packages that hold them (the installer's build.sh checks the same list).
XCB_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def check_window_system() -> None:
    """Stop with the apt-get line when Qt's X11 plugin could not load (a window would abort)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") \
            or not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    probe = subprocess.run(
        [str(PY), "-c", "import PySide6, os; print(os.path.dirname(PySide6.__file__))"],
        capture_output=True, text=True, check=False)
    plugin = Path(probe.stdout.strip()) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if probe.returncode != 0 or not plugin.exists():
        return
    try:
        linked = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                                check=False).stdout
    except OSError:  # no ldd: let Qt say what it lacks
        return
    missing = sorted({line.split()[0] for line in linked.splitlines() if "not found" in line})
    if missing:
        packages = " ".join(XCB_PACKAGES.get(lib, lib) for lib in missing)
        sys.exit(f"Qt cannot open a window: missing {', '.join(missing)}\n"
                 f"On Debian or Ubuntu install them with:\n  sudo apt-get install {packages}")


def run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(list(args), cwd=ROOT, env=env, check=False).returncode


def cmd_demo(extra: list[str]) -> int:
    check_qt()
    check_window_system()
    return run(str(PY), "-m", "hmip_desktop", "demo", "--open", *extra)


def cmd_test(extra: list[str]) -> int:
    check_qt()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    steps = [
        ("ruff", [str(PY), "-m", "ruff", "check", "."]),
        ("mypy", [str(PY), "-m", "mypy"]),
        ("pytest", [str(PY), "-m", "pytest", *extra]),
    ]
    for name, argv in steps:
        print(f"== {name}", flush=True)
        code = run(*argv, env=env)
        if code != 0:
            print(f"== {name} failed (exit {code})", flush=True)
            return code
    return 0


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("hmip-desktop needs Python 3.11 or newer")
    commands = {"demo": cmd_demo, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    ensure_environment()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
