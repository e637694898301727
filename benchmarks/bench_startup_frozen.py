"""Start-up of the frozen app against the app run from source.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_startup_frozen.py [--repeats N]
        [--app dist/hmip-desktop/hmip-desktop]

Builds nothing: run installer/linux/build.sh (or .ci/package) first. Both are timed the same
way as benchmarks/bench_gui.py times start-up: process start until the main window has been
shown on the demo workspace and rendered to a PNG (``gui --screenshot``), then exit; the
baseline is ``python -m hmip_desktop`` from this checkout, measured in the same run,
alternating with the frozen app so both see the same machine. Also printed: the bare process
start of each (``--version``), and the size of the app folder and of the tarball beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for the demo"  # noqa: S105 - synthetic demo data


def timed(argv: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, env=env, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "hmip-desktop" / "hmip-desktop")
    args = parser.parse_args()
    frozen_app: Path = args.app
    if not frozen_app.is_file():
        raise SystemExit(f"{frozen_app}: not built; run installer/linux/build.sh first")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "HMIP_PASSPHRASE": PASSPHRASE}
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        demo = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "hmip_desktop", "demo", "--workspace", str(demo)],
                       env=env, check=True, cwd=ROOT, capture_output=True)
        gui = ["gui", "--workspace", str(demo), "--screenshot", str(Path(tmp) / "shot.png")]
        runs = {
            "frozen": [str(frozen_app), *gui],
            "source": [sys.executable, "-m", "hmip_desktop", *gui],
            "frozen --version": [str(frozen_app), "--version"],
            "source --version": [sys.executable, "-m", "hmip_desktop", "--version"],
        }
        for argv in runs.values():  # warm the file cache once
            timed(argv, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeats):
            for name, argv in runs.items():
                times[name].append(timed(argv, env))
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"machine: {os.cpu_count()} cores; median of {args.repeats} runs each")
    print(f"start-up to the main window shown (demo workspace, 24 cases): frozen "
          f"{med['frozen']:.2f} s, from source {med['source']:.2f} s; "
          f"ratio frozen/source {med['frozen'] / med['source']:.2f}x")
    print(f"  process start alone (--version): frozen {med['frozen --version']:.2f} s, "
          f"from source {med['source --version']:.2f} s")
    print(f"  fastest and slowest frozen: {min(times['frozen']):.2f} / "
          f"{max(times['frozen']):.2f} s; from source: {min(times['source']):.2f} / "
          f"{max(times['source']):.2f} s")
    folder = frozen_app.parent
    tarballs = sorted(folder.parent.glob("hmip-desktop-*-linux-*.tar.gz"))
    print(f"bundle: app folder {mib(size(folder))}"
          + (f", {tarballs[-1].name} {mib(size(tarballs[-1]))}" if tarballs else ""))


if __name__ == "__main__":
    main()
