"""Kill the lead's import while it writes a receipt: a receipt never claims what is not stored.

The receipt joins the import's transaction and is put in place only after the commit
(exchange/assessments.py). A worker process (import_crash_worker.py) imports an assessor's
bundle with its receipt and is killed with SIGKILL as the commit begins, and at random moments
from outside. After each kill the lead's workspace is opened again and

- a receipt at its path lists only cases the lead holds at that revision, with that content;
- without the import's log line, nothing of the bundle is held, and there is no receipt;
- importing the bundle again then completes, with its receipt.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import case_content, content_hash
from hmip_desktop.exchange.common import seen_before
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import PASSPHRASE, Env
from tests.exchange.helpers import opened

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RANDOM_KILLS = 6


def _run_worker(lead: Path, bundle: Path, receipt: Path, when: str,
                kill_after: float | None) -> bool:
    """Run the worker; kill it ``kill_after`` seconds after READY. True if it finished."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.exchange.import_crash_worker", str(lead), PASSPHRASE,
         str(bundle), str(receipt), when], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=60)
    return "DONE" in out


def _check(env: Env, lead: Path, bundle: Path, receipt: Path) -> bool:
    """The state after a kill is honest; True if the import had been stored."""
    data = bundle.read_bytes()
    with Workspace.open(lead, PASSPHRASE) as ws:
        stored = seen_before(ws, data)
        if receipt.exists():
            entries = dict(opened(receipt.read_bytes(), env.team.identities["a1"],
                                  env.team.identities["lead"]))
            listed = entries["manifest.json"]["cases"]
            assert listed, "a receipt lists the cases it confirms"
            for c in listed:
                held = case_content(ws, c["case_id"])
                assert (held["revision"], content_hash(held)) == (
                    c["revision"], c["content_hash"]), "the receipt claims a case not stored"
            assert stored
        if not stored:
            assert not receipt.exists()
            for cid in env.team.cases_of("a1"):
                assert case_content(ws, cid)["revision"] == 0
    return stored


def test_a_receipt_never_claims_an_import_killed_before_its_commit(answered_env: Env,
                                                                   tmp_path: Path) -> None:
    lead, bundle = answered_env.folder("lead"), answered_env.bundle("a1-1.hmipb")
    receipt = tmp_path / "a1.hmiprcpt"
    assert not _run_worker(lead, bundle, receipt, "at-commit", None)
    assert not _check(answered_env, lead, bundle, receipt)
    assert not receipt.exists()

    with Workspace.open(lead, PASSPHRASE) as ws:  # importing again completes, with a receipt
        report = service.import_file(ws, bundle, receipt_out=receipt)
    assert len(report.applied) == 2 and report.receipt == receipt
    assert _check(answered_env, lead, bundle, receipt)


def test_a_receipt_is_honest_whenever_the_import_is_killed(answered_env: Env,
                                                           tmp_path: Path) -> None:
    rng = random.Random(20261203)
    bundle = answered_env.bundle("a1-1.hmipb")
    template = tmp_path / "template"
    shutil.copytree(answered_env.folder("lead"), template)
    for n in range(RANDOM_KILLS):
        lead = tmp_path / f"lead-{n}"
        shutil.copytree(template, lead)
        receipt = tmp_path / f"receipt-{n}.hmiprcpt"
        finished = _run_worker(lead, bundle, receipt, "none", rng.uniform(0.0, 0.25))
        stored = _check(answered_env, lead, bundle, receipt)
        assert finished or not receipt.exists() or stored
    # The last import runs to its end: stored, and its receipt in place.
    lead = tmp_path / "lead-end"
    shutil.copytree(template, lead)
    receipt = tmp_path / "receipt-end.hmiprcpt"
    assert _run_worker(lead, bundle, receipt, "none", None)
    assert _check(answered_env, lead, bundle, receipt) and receipt.exists()
