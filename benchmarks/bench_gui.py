"""GUI speed: start-up to the case list, and a click on an answer until it is durable.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--quick]

Prints each figure with a baseline measured in the same run:
- start-up: ``python -m hmip_desktop gui --screenshot`` (process start to the case list
  rendered) on the demo workspace and on one inspection of 150 and of 2,400 cases (1x and 16x,
  filled as bench_qa.py fills its own), each run paired with a bare PySide6 process showing an
  empty ``QMainWindow`` of the same size, with its peak RSS. Targets: 1.5 s and 4x the bare
  window from source at 1x and 16x; 150 MiB at 16x.
- click → durable: a real click on a prompt's Yes/No in the case form; the save is synchronous,
  so when ``click()`` returns the answer is committed with synchronous=FULL. Against a plain
  sqlite3 single-row commit (WAL, synchronous=FULL) in the same folder. Target: p99 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase for the demo"  # noqa: S105 - synthetic demo data


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds of one process, and its peak resident memory in MiB."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{argv[2:5]} failed with {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    return (f"min {min(values):.{digits}f} / median {statistics.median(values):.{digits}f} / "
            f"max {max(values):.{digits}f} {unit}")


def startup(folders: dict[str, Path], repeats: int) -> None:
    """Each process from start to the window rendered, the bare window's run beside each.

    Both sides run from source with the same environment, bytecode cached once beforehand
    (in a folder of the run's own), so neither compiles modules while it is timed.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"QT_QPA_PLATFORM": "offscreen", "HMIP_PASSPHRASE": PASSPHRASE,
            "PYTHONPYCACHEPREFIX": str(next(iter(folders.values())).parent / "pycache")}
    shot = str(next(iter(folders.values())).parent / "startup.png")
    bare = [sys.executable, "-c",
            "from PySide6.QtWidgets import QApplication, QMainWindow; a = QApplication([]); "
            "w = QMainWindow(); w.resize(1366, 768); w.show(); a.processEvents(); "
            f"w.grab().save({shot!r}, 'PNG')"]
    apps = {size: [sys.executable, "-m", "hmip_desktop", "gui", "--workspace", str(folder),
                   "--screenshot", shot] for size, folder in folders.items()}
    for argv in (bare, *apps.values()):
        run_timed(argv, env)  # bytecode and the file cache warmed once
    times: dict[str, list[float]] = {"bare": [], **{size: [] for size in apps}}
    rss: dict[str, list[float]] = {"bare": [], **{size: [] for size in apps}}
    ratios: dict[str, list[float]] = {size: [] for size in apps}
    for _ in range(repeats):  # interleaved: each app run paired with the bare run before it
        b, m = run_timed(bare, env)
        times["bare"].append(b)
        rss["bare"].append(m)
        for size, argv in apps.items():
            t, m = run_timed(argv, env)
            times[size].append(t)
            rss[size].append(m)
            ratios[size].append(t / b)
    print(f"start-up, process start to the window rendered ({repeats} runs each, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}):")
    print(f"  bare PySide6 QMainWindow: {spread(times['bare'])}; "
          f"peak RSS {spread(rss['bare'], 'MiB', 0)}")
    for size in apps:
        print(f"  hmip-desktop, {size}: {spread(times[size])} (target 1.5 s); "
              f"ratio to the bare window {spread(ratios[size], 'x')} (target 4x); "
              f"peak RSS {spread(rss[size], 'MiB', 0)} (target at 16x: 150 MiB)")


def click_to_durable(folder: Path, n: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hmip_desktop.gui.app import application  # noqa: PLC0415
    from hmip_desktop.gui.assessor.kq_page import KqPage  # noqa: PLC0415
    from hmip_desktop.gui.main_window import MainWindow  # noqa: PLC0415
    from hmip_desktop.store.workspace import Workspace  # noqa: PLC0415

    application()
    ws = Workspace.open(folder, PASSPHRASE)
    w = MainWindow(ws, folder)
    w.show()
    case_id = ws.find_case("DEMO-NPS-005").id
    w.open_case(case_id)
    before = ws.read_assessment(case_id).revision
    assert w.form is not None
    w.form.go_to_item("2.1.1")
    page = w.form.page
    assert isinstance(page, KqPage)
    rows = page.rows[:-1]
    times = []
    for i in range(n):
        row = rows[i % len(rows)]
        button = row.buttons["yes" if (i // len(rows)) % 2 == 0 else "no"]
        t = time.perf_counter()
        button.click()
        times.append((time.perf_counter() - t) * 1000)
    saved = ws.read_assessment(case_id).revision - before
    assert saved == n, f"only {saved} of {n} clicks were saved"
    w.close()
    w.deleteLater()
    del w, page, rows, button, row
    application().processEvents()

    db = sqlite3.connect(folder.parent / "baseline.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    base = []
    for i in range(n):
        t = time.perf_counter()
        db.execute("BEGIN")
        db.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"k{i % 5}", str(i)))
        db.execute("COMMIT")
        base.append((time.perf_counter() - t) * 1000)
    db.close()
    p99, b99 = percentile(times, 99), percentile(base, 99)
    print(f"click → durable over {n} clicks: p50 {statistics.median(times):.1f} ms, "
          f"p99 {p99:.1f} ms (target ≤ 50 ms)")
    print(f"  plain sqlite3 durable commit: p50 {statistics.median(base):.2f} ms, "
          f"p99 {b99:.2f} ms; ratio of p99s {p99 / b99:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_qa import CASES, build  # noqa: PLC0415 - the QA benchmark's filled inspection

    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        folder = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "hmip_desktop", "demo", "--workspace",
                        str(folder)], env={**os.environ, "HMIP_PASSPHRASE": PASSPHRASE},
                       check=True, cwd=ROOT, capture_output=True)
        print(f"machine: {os.cpu_count()} cores; files in {tmp}")
        sizes = {"demo": folder}
        for times in (1, 16):
            sizes[f"{times}x an inspection ({times * CASES:,} cases)"] = path = \
                Path(tmp) / f"x{times}"
            build(path, times * CASES, PASSPHRASE)
        startup(sizes, 5 if args.quick else 7)
        click_to_durable(folder, 100 if args.quick else 400)


if __name__ == "__main__":
    main()
