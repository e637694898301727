"""Kill a saving process at random moments: every save that returned is still there after.

A writer process (tests/store/crash_writer.py) saves answers and notes in a loop and prints a
line after each ``save_item`` returns. The test kills it with SIGKILL at random moments, some
while it is still opening the workspace (WAL recovery), most mid-save, then reopens the
workspace and checks that

- every acknowledged save is in the audit trail, and every item holds its last acknowledged
  value or the value of a save that was under way when the process was killed (which may or may
  not have committed, but never half);
- a hurdle and the judgement it forces were always saved together;
- the hash chains verify, and ``integrity_check`` and ``cipher_integrity_check`` find nothing.

SIGKILL tests the process dying, not the machine losing power: what the operating system had
been given survives. Power loss is what ``synchronous = FULL`` is for (see docs/security.md).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hmip_desktop.store.workspace import Workspace
from tests.store.helpers import PASSPHRASE, new_workspace

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("HMIP_CRASH_SEED", "20250611"))
KILLS = 32
TIME_BUDGET = 35.0  # seconds for the kill loop; stops early rather than run long


@dataclass
class Log:
    """What the writers said, in order, for every (case, item)."""

    acked: list[tuple[str, str, str, int, bool]] = field(default_factory=list)
    events: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    in_flight_at_kill: int = 0

    def read(self, text: str) -> None:
        for line in text.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut off by the kill: never acknowledged
            parts = line.split()
            if parts[0] == "TRY":
                _kind, case, item, label = parts
                self.events.setdefault((case, item), []).append(("try", label))
            elif parts[0] == "ACK":
                _kind, case, item, label, revision, changed = parts
                self.events.setdefault((case, item), []).append(("ack", label))
                self.acked.append((case, item, label, int(revision), changed == "1"))

    def allowed(self, key: tuple[str, str]) -> set[str | None]:
        """The values the item may hold: its last acknowledged one, or a later attempt."""
        events = self.events.get(key, [])
        last_ack = max((i for i, (kind, _l) in enumerate(events) if kind == "ack"), default=-1)
        allowed: set[str | None] = {events[last_ack][1]} if last_ack >= 0 else {None}
        allowed |= {label for kind, label in events[last_ack + 1:] if kind == "try"}
        return allowed


def _label(stored: str | None) -> str | None:
    return None if stored is None else stored.split("|", 1)[0]


def _run_and_kill(folder: Path, run: int, rng: random.Random, log: Log) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer", str(folder), PASSPHRASE, str(run),
         str(SEED)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    if run % 6 == 5:  # now and then, while it is still opening the workspace
        time.sleep(rng.uniform(0.0, 0.3))
        moment = "opening"
    else:
        ready = proc.stdout.readline()
        if ready != "READY\n":
            proc.kill()
            proc.wait(timeout=10)
            raise AssertionError(f"seed {SEED}, run {run}: the writer did not start: "
                                 f"{ready!r} {proc.stderr.read()[-2000:]}")
        time.sleep(rng.uniform(0.0, 0.25))
        moment = "saving"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != -signal.SIGKILL:
        raise AssertionError(f"seed {SEED}, run {run}: the writer stopped by itself "
                             f"({proc.returncode}): {err[-2000:]}")
    log.read(out)
    lines = out.splitlines()
    if lines and lines[-1].startswith("TRY"):
        log.in_flight_at_kill += 1
    return moment


def test_every_acknowledged_save_survives_a_kill(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    ws, _iid, cids = new_workspace(folder, cases=3)
    ws.close()
    rng = random.Random(SEED)
    log = Log()
    moments: list[str] = []
    started = time.monotonic()
    for run in range(KILLS):
        if time.monotonic() - started > TIME_BUDGET:
            break
        moments.append(_run_and_kill(folder, run, rng, log))
    context = (f"seed {SEED} (rerun with HMIP_CRASH_SEED={SEED}); {len(moments)} kills, "
               f"{len(log.acked)} acknowledged saves")
    assert len(moments) >= 20, context
    assert moments.count("saving") >= 15 and len(log.acked) > 200, context
    assert log.in_flight_at_kill >= 5, context  # most kills did land mid-save

    with Workspace.open(folder, PASSPHRASE) as ws:
        conn = ws._conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == [], context
        stored = {cid: dict(ws.read_assessment(cid).items) for cid in cids}
        revisions = {cid: ws.read_assessment(cid).revision for cid in cids}
        audited = {(r[0], r[1], _label(r[2]), r[3]) for r in conn.execute(
            "SELECT case_id, item, new, revision FROM audit WHERE action = 'set'")}
        chains = {cid: ws.verify_history(cid) for cid in cids}

    missing = [a for a in log.acked if a[4] and a[:4] not in audited]
    assert missing == [], f"{context}: acknowledged saves missing from the audit: {missing[:5]}"
    wrong = {}
    for (case, item) in log.events:
        got = _label(stored[case].get(item))
        if got not in log.allowed((case, item)):
            wrong[(case, item)] = (got, sorted(map(str, log.allowed((case, item)))))
    assert wrong == {}, f"{context}: items lost their acknowledged value: {wrong}"
    for case in cids:
        acked = [rev for c, _i, _l, rev, _ch in log.acked if c == case]
        assert revisions[case] >= max(acked, default=0), context
        if stored[case].get("2.1.3.d") == "no":  # the hurdle was saved with its cause
            assert stored[case].get("2.1.3") == "no", context
    assert all(chains.values()), f"{context}: audit chains {chains}"
