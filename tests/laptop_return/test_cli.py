"""``exports``, ``return-check``, ``release``, ``prepare-for-return`` and ``wipe-certificates``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.exchange.conftest import PASSPHRASE, Env


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("HMIP_WORKSPACE", raising=False)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_an_export_is_listed_and_confirmed_only_once_gone(capsys: pytest.CaptureFixture[str],
                                                          answered_env: Env,
                                                          tmp_path: Path) -> None:
    lead = str(answered_env.folder("lead"))
    answered_env.close()
    csv = tmp_path / "kq.csv"
    assert run_cli(capsys, "export-csv", "--workspace", lead, "--out", str(csv))[0] == 0
    code, out, _err = run_cli(capsys, "exports", "--workspace", lead, "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert listed["path"] == str(csv)
    assert listed["what"] == "key-question table (CSV)"
    assert (listed["on_disk"], listed["confirmed"], listed["outstanding"]) == (True, None, True)

    code, out, err = run_cli(capsys, "exports", "--workspace", lead, "--confirm", "1",
                             "--removed")
    assert code == 1 and "still on disk" in one_line(err)
    code, out, err = run_cli(capsys, "exports", "--workspace", lead, "--confirm", "2",
                             "--removed")
    assert code == 1 and "no export number 2" in one_line(err)
    csv.unlink()
    code, out, _err = run_cli(capsys, "exports", "--workspace", lead, "--confirm", "1",
                              "--removed")
    assert code == 0 and "confirmed removed" in out
    code, out, _err = run_cli(capsys, "exports", "--workspace", lead)
    assert "1. " + str(csv) in out and "confirmed removed" in out


def test_return_check_exits_3_until_green(capsys: pytest.CaptureFixture[str],
                                          answered_env: Env) -> None:
    a1 = str(answered_env.folder("a1"))
    answered_env.close()
    code, out, _err = run_cli(capsys, "return-check", "--workspace", a1)
    assert code == 5
    assert "Ready to return: not yet" in out and "RT-101" in out
    code, out, _err = run_cli(capsys, "return-check", "--workspace", a1, "--json")
    assert code == 5
    data = json.loads(out)
    assert data["green"] is False and data["undelivered"] == ["RT-101", "RT-102"]
    assert data["unacknowledged_alerts"] == [{"case": "RT-101", "alerts": 1}]


def test_release_import_and_prepare_for_return(capsys: pytest.CaptureFixture[str],
                                               ready_env: Env, tmp_path: Path) -> None:
    lead, a2 = str(ready_env.folder("lead")), str(ready_env.folder("a2"))
    ready_env.close()
    release = tmp_path / "a2.hmiprelease"
    code, out, _err = run_cli(capsys, "release", "Casey Marrowby", "RT-201", "RT-202",
                              "--workspace", lead, "--out", str(release))
    assert code == 0 and "release of 2 cases" in out
    assert run_cli(capsys, "import", str(release), "--workspace", a2)[0] == 0
    assert run_cli(capsys, "return-check", "--workspace", a2)[0] == 0

    certificate = tmp_path / "a2.hmipwipe"
    code, _out, err = run_cli(capsys, "prepare-for-return", "--workspace", a2,
                              "--certificate", str(certificate))
    assert code == 1 and "--yes" in one_line(err)
    assert Path(a2).exists()
    code, out, _err = run_cli(capsys, "prepare-for-return", "--workspace", a2,
                              "--certificate", str(certificate), "--yes")
    assert code == 0, _err
    assert "wipe certificate for the lead written" in out
    assert not Path(a2).exists()
    assert run_cli(capsys, "import", str(certificate), "--workspace", lead)[0] == 0
    code, out, _err = run_cli(capsys, "wipe-certificates", "--workspace", lead)
    assert code == 0 and out.startswith("Casey Marrowby: laptop wiped")


def test_prepare_for_return_refuses_in_one_line_when_not_ready(
        capsys: pytest.CaptureFixture[str], answered_env: Env, tmp_path: Path) -> None:
    a1 = str(answered_env.folder("a1"))
    answered_env.close()
    code, _out, err = run_cli(capsys, "prepare-for-return", "--workspace", a1, "--yes",
                              "--certificate", str(tmp_path / "c.hmipwipe"))
    assert code == 1
    assert "not ready to return" in one_line(err)
    assert Path(a1, "workspace.hmip").exists()
