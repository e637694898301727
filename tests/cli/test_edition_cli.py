"""``edition preview|adopt`` at the lead, ``import --confirm-edition`` at a member and
``frameworks --held``, in words, through ``main()``."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.cli.exit_status import NOT_READY
from hmip_desktop.exchange import packs
from tests.cli_helpers import run_cli
from tests.edition_helpers import REWORDED, next_edition_bytes
from tests.exchange.conftest import ANSWERS, PASSPHRASE, Env, digests


def test_the_lead_adopts_and_the_member_confirms_from_the_command_line(
        answered_env: Env, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    env = answered_env
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    new = tmp_path / "nps-2020-21.json"
    new.write_bytes(next_edition_bytes())
    lead = ("--workspace", str(env.folder("lead")))
    a1 = ("--workspace", str(env.folder("a1")))

    code, out, err = run_cli(capsys, "edition", "preview", str(new), *lead)
    assert (code, err) == (0, "")
    assert "would follow" in out and "RT-101: stays on its edition" in out
    code, out, err = run_cli(capsys, "edition", "adopt", str(new), *lead)
    assert (code, err) == (0, ""), err
    code, out, _ = run_cli(capsys, "frameworks", "--held", *lead)
    assert "from the file nps-2020-21.json" in out
    assert "supersedes nps-2019-20 edition 2019-20" in out

    packs.make_pack(env.ws("lead"), env.team.iid, env.team.member_ids["a1"],
                    env.bundle("a1-2.hmippack"))
    env.close()
    before = digests(env.folder("a1"))
    code, out, err = run_cli(capsys, "import", str(env.bundle("a1-2.hmippack")), *a1)
    assert (code, err) == (NOT_READY, "")
    assert "RT-101: moves to the new edition: " in out and "nothing was imported" in out
    assert digests(env.folder("a1")) == before

    code, out, err = run_cli(capsys, "import", str(env.bundle("a1-2.hmippack")),
                             "--confirm-edition", *a1)
    assert (code, err) == (0, ""), err
    assert "2 case(s) moved to the new edition: RT-101, RT-102" in out
    a = env.ws("a1").read_assessment(env.team.cases_of("a1")[0])
    assert a.framework.edition == "2020-21" and a.items[REWORDED] == ANSWERS[REWORDED]
    code, out, _ = run_cli(capsys, "frameworks", "--held", *a1)
    assert "in a pack from Jules Pennyfold" in out
