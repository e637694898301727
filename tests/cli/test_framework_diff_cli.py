"""``hmip-desktop framework diff OLD NEW`` (docs/cli.md#framework-diff)."""

from __future__ import annotations

import copy
import gettext
import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop import i18n
from tests.cli_helpers import run_cli
from tests.frameworks.workbook_helpers import shipped_data


def _kq(data: dict[str, Any], kq_id: str) -> dict[str, Any]:
    return next(k for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
                if k["id"] == kq_id)


def _new_edition(tmp_path: Path) -> Path:
    """The edition docs/cli.md shows: one prompt each added, removed, re-worded, re-numbered,
    and the domain two hurdle moved to another prompt."""
    data = copy.deepcopy(shipped_data("nps-2019-20"))
    data["edition"] = "2020-21"
    data["supersedes"] = {"id": "nps-2019-20", "edition": "2019-20"}
    first = _kq(data, "2.1.1")["prompts"][0]
    first["text"] = first["text"].replace(" readiness ", " willingness ")
    _kq(data, "2.1.1")["prompts"].append({"id": "2.1.1.z", "text": "Was the victim consulted?"})
    _kq(data, "2.1.2")["prompts"].pop()
    _kq(data, "2.2.1")["prompts"][-1].update(id="2.2.1.y", continues="2.2.1.d")
    data["hurdles"][0]["when"] = {"ref": "2.1.3.c", "in": ["no"]}
    path = tmp_path / "nps-2020.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_text_names_each_change_by_number_and_text(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "framework", "diff", "nps-2019-20",
                             str(_new_edition(tmp_path)))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("edition 2019-20 to Probation inspection: NPS division (2019-20), "
                             "edition 2020-21")
    assert "Added (1):" in lines and "Removed (1):" in lines
    assert "  Prompt 2.1.1.z: Was the victim consulted?" in lines
    assert any("[-readiness-] {+willingness+}" in line for line in lines)
    assert any(line.startswith("  Prompt 2.2.1.d is now 2.2.1.y: ") for line in lines)
    at = lines.index("  Hurdle on key question 2.1.3, changed:")
    assert lines[at + 1].startswith("    was: when prompt 2.1.3.d is answered no, the answer "
                                    "is no: Where assessment of child safeguarding")
    assert lines[at + 2].startswith("    now: when prompt 2.1.3.c is answered no")
    assert "child_safeguarding_assessment" not in out


def test_json_gives_the_same_changes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "framework", "diff", "nps-2019-20",
                             str(_new_edition(tmp_path)), "--json")
    assert code == 0, err
    diff = json.loads(out)
    assert diff["new"]["edition"] == "2020-21"
    assert [i["id"] for i in diff["added"]] == ["2.1.1.z"]
    assert [i["id"] for i in diff["removed"]] == ["2.1.2.c"]
    assert [(r["old_id"], r["new_id"]) for r in diff["renumbered"]] == [("2.2.1.d", "2.2.1.y")]
    assert [r["id"] for r in diff["reworded"]] == ["2.1.1.a"]
    assert [(r["kind"], r["change"]) for r in diff["rules"]] == [("hurdle", "changed")]


def test_the_same_edition_twice_has_no_differences(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "framework", "diff", "dipp-2025", "dipp-2025")
    assert code == 0, err
    assert out.splitlines()[-1] == ("No differences: the two editions hold the same items and "
                                    "rules.")


@pytest.mark.parametrize(("argv", "status", "message"), [
    (["diff", "nps-2019-20"], 2, "diff needs two editions"),
    (["diff", "nps-2019-20", "crc-2019-20", "--out", "x.json"], 2, "diff writes no file"),
    (["export", "nps-2019-20"], 2, "required: --out"),
    (["export", "nps-2019-20", "crc-2019-20", "--out", "x.xlsx"], 2, "not two"),
    (["diff", "nps-2019-20", "nope"], 1, "unknown framework 'nope'"),
    (["diff", "nps-2019-20", "missing.json"], 1, "missing.json: cannot read the file"),
])
def test_a_wrong_call_is_refused_in_one_line(capsys: pytest.CaptureFixture[str],
                                             argv: list[str], status: int,
                                             message: str) -> None:
    code, out, err = run_cli(capsys, "framework", *argv)
    assert code == status
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_every_line_of_the_text_goes_through_the_catalogue(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Marked(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "[cy] " + message

    monkeypatch.setattr(i18n, "_translation", Marked())
    code, out, err = run_cli(capsys, "framework", "diff", "nps-2019-20",
                             str(_new_edition(tmp_path)))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("[cy] From ")
    headings = [line for line in lines if not line.startswith("  ")]
    assert all(line.startswith("[cy] ") for line in headings), headings
    assert any(line.startswith("  [cy] Prompt 2.1.1.z: ") for line in lines)
    assert any("[cy] Hurdle on key question 2.1.3" in line for line in lines)
