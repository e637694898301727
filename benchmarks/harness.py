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
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3


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
