"""docs/examples/round_trip.sh, the whole flow through the CLI alone, runs as documented."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "examples" / "round_trip.sh"

BASH = shutil.which("bash")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(BASH is None, reason="needs bash")]


def test_the_round_trip_script_delivers_every_answered_case(tmp_path: Path) -> None:
    out = tmp_path / "bundles"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    env.pop("HMIP_WORKSPACE", None)
    done = subprocess.run([str(BASH), str(SCRIPT), str(out)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr

    assert sorted(p.name for p in out.iterdir()) == sorted([
        "robin.hmipid", "casey.hmipid", "morgan.hmipid",
        "robin.hmippack", "casey.hmippack", "morgan.hmippack",
        "robin-1.hmipb", "casey-1.hmipb", "robin-1.hmiprcpt", "casey-1.hmiprcpt",
        "morgan-qa-1.hmipb", "robin-2.hmipb", "morgan-qa-2.hmipb", "robin-2.hmiprcpt"])
    lines = done.stdout.splitlines()
    sent: dict[str, set[str]] = {}  # assessor → the cases their bundle applied
    who = None
    for line in lines:
        if line.startswith("Imported assessments from "):
            who = line.removeprefix("Imported assessments from ")
        elif who and line.startswith("  Applied: "):
            sent.setdefault(who, set()).add(line.split()[1])
        else:
            who = None
    assert set(sent) == {"Robin Quillfeather", "Casey Marrowby"}, done.stdout
    delivered = {line.split()[0] for line in lines if line.endswith("received by lead")}
    for cases in sent.values():
        assert cases and cases <= delivered, done.stdout
    assert not [line for line in lines if line.endswith("not yet received")], done.stdout
    assert "Already imported: this bundle from Robin Quillfeather" in done.stdout
    assert done.stdout.count("Receipt written to") == 3
    # Lunchtime QA: the query reaches the assessor, the reply the QA partner and the lead, and
    # the sign-off the assessor and the lead.
    assert done.stdout.count(
        "Imported the QA partner's queries and sign-offs from Morgan Thistlecombe") == 3
    assert "  1 query applied" in lines and "  1 reply applied" in lines
    # The lead takes the query, reply, close and sign-off from the QA partner's own bundle;
    # the assessor's bundles only relay them.
    assert "  1 query, 1 reply, 1 closing, 1 sign-off applied" in lines
    assert lines.count("  1 closing, 1 sign-off applied") == 1
    assert any(line.split()[1:3] == ["Signed", "off"] for line in lines), done.stdout
