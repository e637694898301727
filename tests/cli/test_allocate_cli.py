"""``allocate`` says what it did: unplaced cases (status 4 unless ``--allow-unplaced``), the
reason per case, ``--json``, and ``--seed`` (docs/cli.md, "allocate").

The team (tests/exchange/conftest.py): two assessors (6 cases each) and a QA inspector (8):
twenty cases at most in one allocation.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hmip_desktop.setup.apply import import_sample
from hmip_desktop.store.tables import connection
from tests.cli_helpers import run_cli
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, digests

HEADINGS = "case_ref,person_name,pdu,team,office,practitioner,sample,gender,sentence_type,rosh"
DAYS = ["--days", "2026-11-24,2026-11-25,2026-11-26"]


def _more_cases(env: Env, tmp_path: Path, n: int) -> None:
    lines = [f"AL-{i:03d},Person {i} Invented,Demo PDU,Team 1,Eastfield,Practitioner {i % 7},"
             "supervision,female,community,medium" for i in range(n)]
    path = tmp_path / "sample.csv"
    path.write_text("\n".join([HEADINGS, *lines]) + "\n", encoding="utf-8")
    import_sample(env.ws("lead"), env.team.iid, path)
    env.close()


def _allocated(env: Env) -> int:
    n = int(connection(env.ws("lead")).execute("SELECT count(*) FROM assignments").fetchone()[0])
    env.close()
    return n


@pytest.fixture
def lead(setup_env: Env, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    return ["--workspace", str(setup_env.folder("lead"))]


def test_cases_left_unplaced_allocate_nothing_and_give_status_4_with_the_reason_per_case(
        setup_env: Env, lead: list[str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _more_cases(setup_env, tmp_path, 21)  # with RT-401, 22 cases for 20 places
    held = _allocated(setup_env)
    before = digests(setup_env.folder("lead"))

    code, out, err = run_cli(capsys, "allocate", *lead, *DAYS, "--json")

    assert code == 4
    assert err.splitlines() == [
        "hmip-desktop: nothing allocated: 2 case(s) could not be placed, each listed with why; "
        "put the cause right, or give --allow-unplaced to allocate the others"]
    report = json.loads(out)
    assert report["applied"] is False and report["seed"] is None
    assert [(u["reason"], u["why"].startswith("everyone who could take it is full"))
            for u in report["unplaced"]] == [("caps", True), ("caps", True)]
    assert sorted(m["cases"] for m in report["members"]) == [6, 6, 8]
    assert len(report["cases"]) == 20
    assert digests(setup_env.folder("lead")) == before and _allocated(setup_env) == held
    # In words: the split it would have made, then the cases left out.
    code, out, err = run_cli(capsys, "allocate", *lead, *DAYS)
    assert code == 4 and len(err.splitlines()) == 1
    assert out.splitlines()[0] == "nothing allocated; the split would have been:"
    assert sum(line.startswith("  not allocated: ") for line in out.splitlines()) == 2

    code, out, err = run_cli(capsys, "allocate", *lead, *DAYS, "--allow-unplaced", "--json")

    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["applied"] is True and len(report["unplaced"]) == 2
    assert _allocated(setup_env) == held + 20
    placed = {c["case_ref"]: c for c in report["cases"]}
    assert {u["case_ref"] for u in report["unplaced"]}.isdisjoint(placed)
    names = set(NAMES.values())
    assert all(c["member"] in names and (c["interview_at"] is None or c["minutes"])
               for c in placed.values())


def test_a_case_nobody_may_take_is_unplaced_for_conflicts(
        setup_env: Env, lead: list[str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _more_cases(setup_env, tmp_path, 1)
    connections = ["--connection", f"{NAMES['a1']}:AL-000", "--connection",
                   f"{NAMES['a2']}:AL-000", "--connection", f"{NAMES['qa']}:AL-000"]
    code, out, _err = run_cli(capsys, "allocate", *lead, *DAYS, *connections, "--json")
    assert code == 4
    (unplaced,) = json.loads(out)["unplaced"]
    assert (unplaced["case_ref"], unplaced["reason"]) == ("AL-000", "conflicts")
    assert unplaced["why"] == "nobody can take it: 3 declared a connection to it"


def test_the_same_inputs_give_the_same_split_and_the_same_seed_too(
        setup_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _more_cases(setup_env, tmp_path, 11)
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    copies = []
    for n in range(4):  # the same workspace four times, before any allocation
        copies.append(tmp_path / f"lead-{n}")
        shutil.copytree(setup_env.folder("lead"), copies[-1])

    def split(folder: Path, *seed: str) -> dict[str, str]:
        code, out, err = run_cli(capsys, "allocate", "--workspace", str(folder), *DAYS,
                                 *seed, "--json")
        assert (code, err) == (0, "")
        report = json.loads(out)
        assert report["seed"] == (int(seed[1]) if seed else None)
        return {c["case_ref"]: c["member"] for c in report["cases"]}

    plain = split(copies[0])
    assert len(plain) == 12 and split(copies[1]) == plain
    seeded = split(copies[2], "--seed", "20261124")
    assert split(copies[3], "--seed", "20261124") == seeded


def test_a_seed_that_is_not_a_number_is_one_line_and_status_2(
        lead: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "allocate", *lead, *DAYS, "--seed", "tuesday")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "hmip-desktop allocate: error: --seed must be a whole number, not 'tuesday'"]


def test_the_seed_is_kept_in_the_history_so_the_split_can_be_drawn_again(
        setup_env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The history alone says how many cases were split and with which seed."""
    _more_cases(setup_env, tmp_path, 5)
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code, _out, err = run_cli(capsys, "allocate", "--workspace",
                              str(setup_env.folder("lead")), *DAYS, "--seed", "31")
    assert (code, err) == (0, "")
    rows = connection(setup_env.ws("lead")).execute(
        "SELECT case_id, new FROM audit WHERE action = 'allocate'").fetchall()
    setup_env.close()
    assert [tuple(r) for r in rows] == [(None, "6 cases; seed 31")]
