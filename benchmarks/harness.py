"""What every benchmark shares: a description of the machine, and timing repeated runs.

The benchmarks are run as scripts (``python benchmarks/bench_x.py``), so this module is
imported from the benchmarks folder itself.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

ROOT = Path(__file__).resolve().parents[1]


def describe_machine(folder: Path, *, holds: str = "databases", extra: str = "") -> None:
    """Print the CPUs, the disk ``folder`` is on and the SQLite and SQLCipher versions."""
    resolved = str(folder.resolve())
    device, fstype, best = "?", "?", ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            mount = parts[1]
            if (resolved + "/").startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, device, fstype = mount, parts[0], parts[2]
    model = ""
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    c = sqlcipher3.connect(":memory:")
    cipher = c.execute("PRAGMA cipher_version").fetchone()[0]
    c.close()
    print(f"machine: {os.cpu_count()} CPUs ({model or platform.processor()}), "
          f"{platform.system()} {platform.release()}")
    print(f"disk: {device} ({fstype}) mounted on {best or '?'}; {holds} in {folder}")
    print(f"python {platform.python_version()}; stdlib sqlite {sqlite3.sqlite_version}; "
          f"sqlcipher3 bundles SQLite {sqlcipher3.sqlite_version}, SQLCipher {cipher}{extra}")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "?"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def runs(fn: Callable[[], Any], repeats: int) -> list[float]:
    """The wall-clock seconds of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def show(name: str, times: list[float], width: int = 58) -> None:
    print(f"  {name:<{width}} median {statistics.median(times) * 1000:7.1f} ms, "
          f"worst {max(times) * 1000:7.1f} ms  ({len(times)} runs)")


def window_shown(folder: Path, passphrase: str) -> float:
    """Seconds from process start to the workspace's window shown, as ``bench_gui.py`` times it.

    ``python -m hmip_desktop gui --screenshot``: the process starts, unlocks the workspace,
    shows its window, renders it to a file and exits.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HMIP_PASSPHRASE": passphrase}
    argv = [sys.executable, "-m", "hmip_desktop", "gui", "--workspace", str(folder),
            "--screenshot", str(folder.parent / "startup.png")]
    t = time.perf_counter()
    subprocess.run(argv, env=env, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t


def empty_window_shown() -> float:
    """Seconds for a bare PySide6 process to show an empty ``QMainWindow`` (the baseline)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [sys.executable, "-c",
            "from PySide6.QtWidgets import QApplication, QMainWindow; a = QApplication([]); "
            "w = QMainWindow(); w.show(); a.processEvents(); w.grab().save('/dev/null', 'PNG')"]
    t = time.perf_counter()
    subprocess.run(argv, env=env, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t
