"""Start-up in Welsh against start-up in English: switching language must cost ≤ 10%.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_language.py [--quick]

Both sides are the same command, ``python -m hmip_desktop --lang LANG gui --screenshot`` on the
demo workspace (process start to the case list rendered), run alternately in the same minutes
with the same environment and bytecode cache; the only difference is the catalogue loaded and
every label looked up in it. Prints each side's times and the ratio of medians (Welsh ÷
English), with the per-pair ratios. Target (issue 18): ≤ 1.10.
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
    subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    repeats = 5 if parser.parse_args().quick else 11
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        folder = Path(tmp) / "demo"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"QT_QPA_PLATFORM": "offscreen", "HMIP_PASSPHRASE": PASSPHRASE,
                "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache"),
                "XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        subprocess.run([sys.executable, "-m", "hmip_desktop", "demo", "--workspace",
                        str(folder)], env=env, check=True, cwd=ROOT, capture_output=True)
        shot = str(Path(tmp) / "shot.png")
        runs = {lang: [sys.executable, "-m", "hmip_desktop", "--lang", lang, "gui",
                       "--workspace", str(folder), "--screenshot", shot]
                for lang in ("en", "cy")}
        for argv in runs.values():
            timed(argv, env)  # bytecode and the file cache warmed once
        times: dict[str, list[float]] = {"en": [], "cy": []}
        for i in range(repeats):  # alternate which goes first
            for lang in (("en", "cy") if i % 2 == 0 else ("cy", "en")):
                times[lang].append(timed(runs[lang], env))
        pairs = [c / e for e, c in zip(times["en"], times["cy"], strict=True)]
        print(f"start-up to the case list, demo workspace, {repeats} runs each, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}:")
        for lang, name in (("en", "English"), ("cy", "Welsh")):
            v = times[lang]
            print(f"  {name}: min {min(v):.3f} / median {statistics.median(v):.3f} / "
                  f"max {max(v):.3f} s")
        ratio = statistics.median(times["cy"]) / statistics.median(times["en"])
        print(f"  Welsh ÷ English: {ratio:.3f} (median of pairs {statistics.median(pairs):.3f}; "
              f"target ≤ 1.10)")


if __name__ == "__main__":
    main()
