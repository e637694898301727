"""A Welsh assessor's bundle consolidates with an English assessor's at an English-speaking lead.

Issue 18: data values (ids, answers, item keys) stay language-neutral, so the language a member
works in changes nothing that travels. One assessor answers and exports with the interface in
Welsh, in a process of its own (``--lang cy``); the other in English; the lead, in English,
imports both and counts both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.store.tables import connection
from tests.cli_helpers import run_cli
from tests.exchange.conftest import ANSWERS, PASSPHRASE, Env

ROOT = Path(__file__).resolve().parents[2]


def _in_welsh(env: Env, *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "hmip_desktop", "--lang", "cy", *argv,
         "--workspace", str(env.folder("a1"))],
        env={**os.environ, "HMIP_PASSPHRASE": PASSPHRASE}, cwd=ROOT, check=True,
        capture_output=True, text=True)
    return done.stdout


def test_a_welsh_and_an_english_assessor_are_counted_together(
        ready_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = ready_env
    welsh_case = env.ws("a1").find_case("RT-101")
    env.close()
    for item, value in ANSWERS.items():
        _in_welsh(env, "answer", "RT-101", item, value)
    bundle = env.bundle("a1-welsh.hmipb")
    _in_welsh(env, "export", "RT-101", "--out", str(bundle))
    a2 = env.ws("a2")
    english_case = a2.find_case("RT-201")
    for item, value in ANSWERS.items():
        a2.save_item(english_case.id, item, value)
    english_bundle = env.bundle("a2-english.hmipb")
    export_assessments(a2, env.team.iid, english_bundle)
    lead = env.ws("lead")
    for path in (bundle, english_bundle):
        service.import_file(lead, path)
    held = {(r[0], r[1]): r[2] for r in connection(lead).execute(
        "SELECT case_id, item, value FROM items")}
    for case in (welsh_case, english_case):  # the same values, whatever the language
        assert {k: held[case.id, k] for k in ANSWERS} == ANSWERS
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code, out, err = run_cli(capsys, "consolidate", "--kq", "2.1.1", "--provisional",
                             "--json", "--workspace", str(env.folder("lead")))
    assert (code, err) == (0, "")
    judged = json.loads(out)["cases"]  # the key question's cases, by judgement
    assert sorted(c["case_ref"] for c in judged["yes"]) == ["RT-101", "RT-201"]
