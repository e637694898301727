"""Exit statuses that mean one thing (docs/cli.md, "Exit status"), through ``main()``.

0 done, including nothing to do; 1 refused; 2 usage; 3 nothing applied because it is older
than what is held. A script sweeping a shared folder tells a replayed or out-of-date bundle
(3) from a damaged or forged one (1) by the status alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.cli import exit_status
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from tests.cli_helpers import run_cli
from tests.exchange.conftest import PASSPHRASE, Env, digests, without_ownership


def _lead_cli(env: Env, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, *argv, "--workspace", str(env.folder("lead")))


def test_an_older_bundle_after_a_newer_one_is_status_3_and_changes_nothing(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = answered_env
    a1 = env.ws("a1")
    a1.save_item(env.team.cases_of("a1")[0], "2.1.2.a", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"))
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    assert _lead_cli(env, capsys, "import", str(env.bundle("a1-2.hmipb")))[0] == 0
    before = digests(env.folder("lead"))

    code, out, err = _lead_cli(env, capsys, "import", str(env.bundle("a1-1.hmipb")))

    assert code == 3 and out == ""
    assert err.splitlines() == [
        "hmip-desktop: refused: this is Robin Quillfeather's bundle number 1, older than "
        "number 2 already imported (a replayed or out-of-date file)"]
    assert digests(env.folder("lead")) == before
    # The same newer file again is "nothing to do": 0; a damaged file is refused: 1.
    code, out, _err = _lead_cli(env, capsys, "import", str(env.bundle("a1-2.hmipb")))
    assert code == 0 and out.startswith("Already imported")
    damaged = bytearray(env.bundle("a1-1.hmipb").read_bytes())
    damaged[-40] ^= 0x01
    (env.bundle("damaged.hmipb")).write_bytes(bytes(damaged))
    code, _out, err = _lead_cli(env, capsys, "import", str(env.bundle("damaged.hmipb")))
    assert code == 1 and len(err.splitlines()) == 1 and "damaged" in err


def test_a_bundle_whose_every_case_is_older_than_the_copy_held_is_status_3(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead changed RT-101 after Robin's first bundle; Robin sends it again unchanged."""
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = env.team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    without_ownership(lead).save_item(first, "2.1.1", "no")
    held = lead.read_assessment(first).revision
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"), case_ids=["RT-101"])
    a1.save_item(second, "2.1.3.a", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"), case_ids=["RT-101",
                                                                              "RT-102"])
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)

    code, out, err = _lead_cli(env, capsys, "import", str(env.bundle("a1-2.hmipb")))

    assert (code, err) == (3, "")
    assert out.splitlines()[1:] == [
        "  Not applied: RT-101: the work received is not newer than the work held here"]
    assert env.ws("lead").read_assessment(first).revision == held
    env.close()
    # One case newer beside the older one: something was applied, so 0.
    code, out, err = _lead_cli(env, capsys, "import", str(env.bundle("a1-3.hmipb")))
    assert (code, err) == (0, "")
    assert "  Applied: RT-102" in out.splitlines() and "Not applied: RT-101" in out


def test_usage_errors_are_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "no-such-command")
    assert code == 2 and "invalid choice" in err


def test_every_exit_status_the_code_uses_is_documented_once() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    table = text.split("| status | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = [int(line.split("|")[1]) for line in table.splitlines()[2:]]
    used = sorted(v for k, v in vars(exit_status).items() if k.isupper())
    assert documented == used
