"""``ratings`` takes only the whole numbers -1, 0 and 1 as adjustments (docs/cli.md).

JSON 1.0 equals 1 in Python; it once passed the check and crashed the rating scale with a
TypeError. It is bad input: one line, status 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main


@pytest.mark.parametrize("adjustment", [-1.0, 0.0, 1.0, 0.5, "1", None])
def test_an_adjustment_that_is_not_a_whole_number_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], adjustment: object) -> None:
    answers = ("yes", "yes", "no")  # 67% on each key question of 4.1: Good, so a shift moves it
    cases = [{"case_id": f"C{i}", "answers": dict.fromkeys(("4.1.1", "4.1.2", "4.1.4"), a)}
             for i, a in enumerate(answers)]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"cases": cases, "adjustments": {"4.1": adjustment}}))
    code = main(["ratings", "--framework", "crc-2019-20", "--input", str(path), "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == f"hmip-desktop: adjustments: {adjustment!r} for 4.1 is not -1, 0 or 1\n"


@pytest.mark.parametrize(("adjustment", "rating"), [
    (-1, "requires_improvement"), (0, "good"), (1, "outstanding")])
def test_a_whole_number_adjustment_moves_the_unpaid_work_rating(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], adjustment: int,
        rating: str) -> None:
    answers = ("yes", "yes", "no")
    cases = [{"case_id": f"C{i}", "answers": dict.fromkeys(("4.1.1", "4.1.2", "4.1.4"), a)}
             for i, a in enumerate(answers)]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"cases": cases, "adjustments": {"4.1": adjustment}}))
    code = main(["ratings", "--framework", "crc-2019-20", "--input", str(path), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    standard = json.loads(out)["standards"]["4.1"]
    assert (standard["provisional_rating"], standard["rating"]) == ("good", rating)
