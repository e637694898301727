"""Known gaps between the ``ratings`` contract (docs/cli.md) and the code, kept visible.

Each test states the documented behaviour and is marked ``xfail(strict=True)``: when the code
is fixed the test passes, strict mode turns that into a failure, and the marker is removed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main


@pytest.mark.xfail(
    strict=True, raises=TypeError,
    reason="rules/ratings_input.py lets 1.0, 0.0 and -1.0 through (they == 1, 0, -1) and "
           "rules/scale.shift then indexes the rating tuple with a float",
)
@pytest.mark.parametrize("adjustment", [-1.0, 0.0])
def test_a_fractional_adjustment_gives_an_answer_or_one_line_not_a_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], adjustment: float) -> None:
    answers = ("yes", "yes", "no")  # 67% on each key question of 4.1: Good
    cases = [{"case_id": f"C{i}", "answers": dict.fromkeys(("4.1.1", "4.1.2", "4.1.4"), a)}
             for i, a in enumerate(answers)]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"cases": cases, "adjustments": {"4.1": adjustment}}))
    code = main(["ratings", "--framework", "crc-2019-20", "--input", str(path), "--json"])
    out, err = capsys.readouterr()
    if code == 1:
        assert out == "" and err.count("\n") == 1
    else:
        assert code == 0 and json.loads(out)["standards"]["4.1"]["rating"]
