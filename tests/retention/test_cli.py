"""``retention``, ``archive`` and ``purge`` through ``main``: output, JSON, refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli as run
from tests.consolidation.builders import PASSPHRASE, lead_workspace
from tests.retention.test_archive import REASON, TITLE, published


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "lead"
    ws = lead_workspace(folder)
    published(ws, n=40)
    ws.close()
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    dest = tmp_path / "lead"
    shutil.copytree(template, dest)
    return str(dest)


def one_line_error(result: tuple[int, str, str], message: str) -> None:
    code, out, err = result
    assert (code, out) == (1, ""), result
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err
    assert message in err, err


def test_retention_lists_and_moves_the_date(folder: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "retention", "--workspace", folder)
    assert code == 0
    assert out.splitlines()[0] == f"{TITLE}: keep until 2027-11-27; held in full"
    code, out, _err = run(capsys, "retention", "--workspace", folder, "--set", "2020-01-01")
    one_line_error((code, out, _err), "has passed")
    code, out, _err = run(capsys, "retention", "--workspace", folder, "--set", "2030-06-30",
                          "--json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["retain_until"], row["due"], row["archived_at"]) == ("2030-06-30", False, None)


def test_archive_refuses_then_archives_with_the_name_and_reason(
        folder: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    one_line_error(run(capsys, "archive", "--workspace", folder, "--confirm", "Demo"),
                   "type the inspection's name exactly")
    one_line_error(run(capsys, "archive", "--workspace", folder, "--confirm", TITLE),
                   "not signed off")
    code, out, _err = run(capsys, "archive", "--workspace", folder, "--confirm", TITLE,
                          "--override", REASON, "--json")
    assert code == 0
    done = json.loads(out)
    assert (done["action"], done["cases"], done["override"]) == ("archive", 40, REASON)
    # The published table is still exported; the cases are not consolidated again.
    code, out, _err = run(capsys, "export-csv", "--workspace", folder, "--out",
                          str(tmp_path / "kq.csv"))
    assert code == 0 and (tmp_path / "kq.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    one_line_error(run(capsys, "consolidate", "--workspace", folder), "was archived on")
    code, out, _err = run(capsys, "compare", "--workspace", folder, "--previous",
                          str(tmp_path / "kq.csv"), "--json")
    assert code == 0 and all(r["change"] in (0, None) for r in json.loads(out))
    code, out, _err = run(capsys, "retention", "--workspace", folder)
    assert "archived on" in out


def test_purge_removes_the_inspection(folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "purge", "--workspace", folder, "--confirm", TITLE)
    assert code == 0
    assert out == f"{TITLE} purged: the inspection and its 40 cases removed\n"
    code, out, _err = run(capsys, "retention", "--workspace", folder, "--json")
    assert (code, json.loads(out)) == (0, [])
