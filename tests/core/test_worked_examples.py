"""The seeds' worked examples come out exactly as printed.

000_ §7.1 (two Implementation and delivery tables), 001_ §7.1 (Assessment and Planning tables)
and 003_ §4.4 (the mock NPS division, overall Good).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.frameworks import load_framework
from hmip_desktop.rules.ratings import Tally, rate
from hmip_desktop.rules.ratings_report import ratings_tables

NPS = load_framework("nps-2019-20")
YOUTH = load_framework("youth-2019-20")


def table_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_probation_implementation_and_delivery_first_example() -> None:
    """000_ §7.1: 73%, 66%, 56% (sub-sample) → Requires improvement."""
    result = rate(NPS, {"2.3.1": Tally(95, 35), "2.3.2": Tally(86, 44),
                        "2.3.3": Tally(53, 42, 35)})
    kq = result.key_questions
    assert [(kq[k].tally.yes, kq[k].percent, kq[k].no_percent) for k in
            ("2.3.1", "2.3.2", "2.3.3")] == [(95, 73, 27), (86, 66, 34), (53, 56, 44)]
    assert [kq[k].band for k in ("2.3.1", "2.3.2", "2.3.3")] == [
        "good", "good", "requires_improvement"]
    s = result.standards["2.3"]
    assert s.rating == "requires_improvement"
    assert s.lowest_key_questions == ("2.3.3",)
    lines = table_lines(ratings_tables(result))
    assert "Yes 53 56%" in lines and "No 42 44%" in lines
    assert "Note: question not applicable for all cases" in lines


def test_probation_implementation_and_delivery_discretion_example() -> None:
    """000_ §7.1: 81%, 73%, 63% → Requires improvement, within five points of Good."""
    result = rate(NPS, {"2.3.1": Tally(105, 25), "2.3.2": Tally(95, 35),
                        "2.3.3": Tally(60, 35, 35)})
    kq = result.key_questions
    assert [kq[k].percent for k in ("2.3.1", "2.3.2", "2.3.3")] == [81, 73, 63]
    assert [kq[k].band for k in ("2.3.1", "2.3.2", "2.3.3")] == [
        "outstanding", "good", "requires_improvement"]
    s = result.standards["2.3"]
    assert (s.rating, s.provisional_rating) == ("requires_improvement", "requires_improvement")
    assert s.lowest_key_questions == ("2.3.3",)
    assert s.discretion == ("within_5_points",)


def test_youth_assessment_example() -> None:
    """001_ §7.1: 23 cases; 87%, 65%, 61% → Requires improvement."""
    result = rate(YOUTH, {"2.1.1": Tally(20, 3), "2.1.2": Tally(15, 8), "2.1.3": Tally(14, 9)})
    kq = result.key_questions
    assert [(kq[k].percent, kq[k].no_percent) for k in ("2.1.1", "2.1.2", "2.1.3")] == [
        (87, 13), (65, 35), (61, 39)]
    assert [kq[k].band for k in ("2.1.1", "2.1.2", "2.1.3")] == [
        "outstanding", "good", "requires_improvement"]
    assert result.standards["2.1"].rating == "requires_improvement"


def test_youth_planning_example() -> None:
    """001_ §7.1: 78%, 63%, 72% (all sub-samples) → Requires improvement, lowest 63%."""
    result = rate(YOUTH, {"2.2.1": Tally(18, 5, 1), "2.2.2": Tally(12, 7, 5),
                          "2.2.3": Tally(13, 5, 6)})
    kq = result.key_questions
    assert [(kq[k].percent, kq[k].no_percent) for k in ("2.2.1", "2.2.2", "2.2.3")] == [
        (78, 22), (63, 37), (72, 28)]
    s = result.standards["2.2"]
    assert s.rating == "requires_improvement"
    assert s.lowest_key_questions == ("2.2.2",)
    assert "within_5_points" in s.discretion


def _cases_for(kq_percent: dict[str, tuple[int, int]]) -> list[dict[str, object]]:
    """Cases whose answers give each key question ``yes`` of ``n``."""
    n_max = max(n for _, n in kq_percent.values())
    cases = []
    for i in range(n_max):
        answers = {kq: ("yes" if i < yes else "no") for kq, (yes, n) in kq_percent.items()
                   if i < n}
        cases.append({"case_id": f"MOCK-{i:03d}", "answers": answers})
    return cases


def test_mock_nps_division_is_overall_good(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """003_ §4.4: the mock NPS division's ten ratings and its overall Good (score 20 of 30)."""
    wanted = {"2.1": (14, 20), "2.2": (14, 20), "2.3": (14, 20), "2.4": (12, 20),
              "3.1": (7, 10), "3.2": (5, 5)}
    kq_answers = {k.id: wanted[s.id] for s in NPS.standards if s.id in wanted
                  for k in s.key_questions if NPS.is_case_answered(k)}
    data = {
        "cases": _cases_for(kq_answers),
        "lead_ratings": {"1.1": "good", "1.2": "good", "1.3": "outstanding",
                         "1.4": "requires_improvement"},
    }
    f = tmp_path / "mock.json"
    f.write_text(json.dumps(data))
    assert main(["ratings", "--framework", "nps-2019-20", "--input", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ratings = {sid: s["rating"] for sid, s in out["standards"].items()}
    assert ratings == {
        "1.1": "good", "1.2": "good", "1.3": "outstanding", "1.4": "requires_improvement",
        "2.1": "good", "2.2": "good", "2.3": "good", "2.4": "requires_improvement",
        "3.1": "good", "3.2": "outstanding",
    }
    assert out["overall"] == {"score": 20, "max": 30, "rating": "good", "reason": None}


def test_youth_overall_uses_twelve_standard_bands() -> None:
    assert YOUTH.overall_bands[-1].max_score == 36
    bands = [(b.min_score, b.max_score, b.rating) for b in YOUTH.overall_bands]
    assert bands == [(0, 6, "inadequate"), (7, 18, "requires_improvement"), (19, 30, "good"),
                     (31, 36, "outstanding")]


def test_unrated_framework_gives_tables_without_ratings() -> None:
    dipp = load_framework("dipp-2025")
    kq = dipp.case_key_questions()[0].id
    result = rate(dipp, {kq: Tally(7, 3)})
    assert result.key_questions[kq].percent == 70
    assert result.key_questions[kq].band is None
    assert result.standards == {}
    assert (result.overall.score, result.overall.rating) == (None, None)
