"""docs/examples/inspection_in_a_script.sh: a 40-case inspection through the CLI alone."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "examples" / "inspection_in_a_script.sh"

BASH = shutil.which("bash")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(BASH is None, reason="needs bash")]

MEMBERS = ("robin", "casey", "avery", "rowan", "morgan", "sasha")


def test_the_script_fills_and_consolidates_a_forty_case_inspection(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    env.pop("HMIP_WORKSPACE", None)
    done = subprocess.run([str(BASH), str(SCRIPT), str(out)], capture_output=True, text=True,
                          env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()

    with (out / "sample.csv").open(encoding="utf-8") as f:
        sampled = {row["case_ref"] for row in csv.DictReader(f)}
    assert len(sampled) == 40
    # Allocation placed every case, and each member's bundle reached the lead with a receipt.
    allocation = json.loads((out / "allocation.json").read_text(encoding="utf-8"))
    assert allocation["applied"] and not allocation["unplaced"]
    assert {c["case_ref"] for c in allocation["cases"]} == sampled
    for who in MEMBERS:
        assert (out / f"{who}-1.hmipb").is_file() and (out / f"{who}-1.hmiprcpt").is_file()
    applied = [line.split()[1] for line in lines if line.startswith("  Applied: ")]
    assert sorted(applied) == sorted(sampled), done.stdout
    received = [line.split()[-1] for line in lines
                if line.startswith("  Received by the lead: ")]
    assert sorted(received) == sorted(sampled), done.stdout

    # Every case was marked complete and counts: nothing left out of the lead's consolidation.
    consolidation = json.loads((out / "consolidation.json").read_text(encoding="utf-8"))
    assert consolidation["cases"] == 40
    assert not any(consolidation["left_out"].values()), consolidation["left_out"]
    assert consolidation["incomplete"] == 0
    assert "40 cases counted, 0 left out" in lines

    # The key-question table: one row per key question, each case-data key question counted
    # over the 40 cases (the keeping-safe ones over the cases its sub-sample holds).
    with (out / "key-questions.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {row["kq_id"]: row for row in csv.DictReader(f)}
    assert rows["2.1.1"]["n"] == "40" and rows["2.1.1"]["yes"] == "40"
    domain_two = [row for kq, row in rows.items() if kq.startswith("2.")]
    assert len(domain_two) == 12
    for row in domain_two:
        assert int(row["yes"]) + int(row["no"]) + int(row["na"]) == 40, row
        assert row["percent"] and row["band"], row
