"""GUI speed: start-up to the case list, and a click on an answer until it is durable.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--quick]

Prints each figure with a baseline measured in the same run:
- start-up: ``python -m hmip_desktop gui --screenshot`` on the demo workspace (process start
  to the case list rendered), against a bare PySide6 process that shows one window; key
  derivation (opening the workspace) is reported on its own. Target: 1.5 s from source.
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


def run_timed(argv: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, env=env, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t


def startup(folder: Path, repeats: int) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HMIP_PASSPHRASE": PASSPHRASE}
    bare = [sys.executable, "-c",
            "from PySide6.QtWidgets import QApplication, QLabel; a = QApplication([]); "
            "w = QLabel('x'); w.show(); a.processEvents(); w.grab().save('/dev/null', 'PNG')"]
    app = [sys.executable, "-m", "hmip_desktop", "gui", "--workspace", str(folder),
           "--screenshot", str(folder.parent / "startup.png")]
    kdf = [sys.executable, "-c",
           "import time, sys; from pathlib import Path; "
           "from hmip_desktop.store.workspace import Workspace; t = time.perf_counter(); "
           f"Workspace.open(Path({str(folder)!r}), {PASSPHRASE!r}).close(); "
           "print(time.perf_counter() - t)"]
    run_timed(app, env)  # warm the file cache once
    bare_t = statistics.median(run_timed(bare, env) for _ in range(repeats))
    app_t = statistics.median(run_timed(app, env) for _ in range(repeats))
    kdf_t = statistics.median(
        float(subprocess.run(kdf, env=env, check=True, cwd=ROOT, capture_output=True,
                             text=True).stdout) for _ in range(repeats))
    print(f"start-up to case list: {app_t:.2f} s (median of {repeats}; target 1.5 s)")
    print(f"  of which opening the workspace (key derivation + schema check): {kdf_t:.2f} s")
    print(f"  bare PySide6 window process: {bare_t:.2f} s; ratio {app_t / bare_t:.2f}x")


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
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        folder = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "hmip_desktop", "demo", "--workspace",
                        str(folder)], env={**os.environ, "HMIP_PASSPHRASE": PASSPHRASE},
                       check=True, cwd=ROOT, capture_output=True)
        print(f"machine: {os.cpu_count()} cores; files in {tmp}")
        startup(folder, 3 if args.quick else 7)
        click_to_durable(folder, 100 if args.quick else 400)


if __name__ == "__main__":
    main()
