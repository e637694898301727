"""The lead's selection after training: recorded, audited, kept at the lead, used by allocation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.exchange import payload
from hmip_desktop.exchange.training_packs import make_training_pack
from hmip_desktop.setup.allocation import Case, Member, even_split
from hmip_desktop.setup.selection_order import split_by_selection
from hmip_desktop.store.tables import connection
from hmip_desktop.training.events import TrainingError
from hmip_desktop.training.selection import (
    decision_for,
    record_selection,
    same_person,
    selections,
)
from tests.exchange.conftest import Env

FEEDBACK = "Zembrovia feedback: strong evidence notes; check hurdles before judging."


def test_the_lead_records_each_trainee_s_decision_with_feedback_audited(event: Env) -> None:
    lead, ids = event.ws("lead"), event.team.member_ids
    assert {s.decision for s in selections(lead, event.team.iid)} == {None}
    record_selection(lead, event.team.iid, ids["t1"], "selected", FEEDBACK)
    record_selection(lead, event.team.iid, ids["t2"], "reserve")
    record_selection(lead, event.team.iid, ids["t3"], "not_selected", "Not yet consistent.")
    record_selection(lead, event.team.iid, ids["t2"], "selected", "Changed my mind.")
    held = {s.name: (s.decision, s.feedback) for s in selections(lead, event.team.iid)}
    assert held == {"Ash Brindlecombe": ("selected", FEEDBACK),
                    "Sam Orrinwell": ("selected", "Changed my mind."),
                    "Kit Dunmorrow": ("not_selected", "Not yet consistent.")}
    rows = connection(lead).execute(
        "SELECT old, new FROM audit WHERE action = 'training_selection' ORDER BY seq").fetchall()
    assert len(rows) == 4 and rows[3][0] == "reserve"
    assert json.loads(rows[3][1])["decision"] == "selected"
    assert decision_for(lead)[same_person("  sam  ORRINWELL ")] == "selected"


@pytest.mark.parametrize(("who", "decision", "words"), [
    ("lead", "selected", "not a trainee"),
    ("t1", "maybe", "must be one of"),
])
def test_a_bad_selection_is_one_line_and_writes_nothing(event: Env, who: str, decision: str,
                                                        words: str) -> None:
    lead = event.ws("lead")
    with pytest.raises(TrainingError, match=words) as caught:
        record_selection(lead, event.team.iid, event.team.member_ids[who], decision)
    assert "\n" not in str(caught.value)
    assert connection(lead).execute("SELECT count(*) FROM training_selections").fetchone()[0] == 0


def test_only_the_event_s_lead_records_a_selection(event: Env) -> None:
    with pytest.raises(TrainingError, match="only the training event's lead"):
        record_selection(event.ws("t1"), event.team.iid, event.team.member_ids["t2"],
                         "selected")


def test_the_selection_never_travels_in_a_bundle(event: Env, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    lead, ids = event.ws("lead"), event.team.member_ids
    record_selection(lead, event.team.iid, ids["t1"], "selected", FEEDBACK)
    built: list[str] = []
    real = payload.build

    def keep(entries: list[tuple[str, Any]]) -> bytes:
        built.append(json.dumps(entries, default=str))
        return real(entries)

    monkeypatch.setattr(payload, "build", keep)
    make_training_pack(lead, event.team.iid, ids["t1"], tmp_path / "t1.hmiptrainingpack")
    assert len(built) == 1 and "Zembrovia" not in built[0]


def _split(cases: list[Case], team: list[Member], decisions: dict[str, str]) -> Any:
    return split_by_selection(cases, team, decisions,
                              even_split)


def test_allocation_offers_the_selected_first_and_reserves_only_as_replacements() -> None:
    team = [Member("s1", "Ash Brindlecombe", "assessor"), Member("s2", "Sam Orrinwell",
                                                                 "assessor"),
            Member("r1", "Kit Dunmorrow", "assessor"), Member("n1", "Lou Farrow", "assessor")]
    decisions = {"s1": "selected", "s2": "selected", "r1": "reserve", "n1": "not_selected"}
    ten = [Case(f"C-{n:02}") for n in range(10)]
    done, use = _split(ten, team, decisions)
    assert set(done.assignments.values()) == {"s1", "s2"} and not done.unplaced
    assert use.not_selected == ("n1",) and use.reserves == ("r1",) and use.reserves_called == ()
    # Fourteen cases are more than two selected assessors take (six each): the reserve
    # takes the two left over, and the member not selected still none.
    fourteen = [Case(f"C-{n:02}") for n in range(14)]
    done, use = _split(fourteen, team, decisions)
    loads = done.loads()
    assert loads["s1"] == loads["s2"] == 6 and loads["r1"] == 2 and "n1" not in loads
    assert use.reserves_called == ("r1",) and not done.unplaced
    # A selected assessor not on the team: the reserve replaces them.
    done, use = _split(ten, [m for m in team if m.id != "s2"], decisions)
    assert done.loads() == {"s1": 6, "r1": 4} and use.reserves_called == ("r1",)
