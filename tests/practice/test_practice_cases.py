"""Practice cases: typed in, checked as the QA partner checks, erased in one audited action."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.practice.cases import (
    PracticeError,
    add_practice,
    answer_practice,
    erase_practice,
    list_practice,
)
from hmip_desktop.practice.checks import practice_findings
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

PASSPHRASE = "correct horse battery staple 42"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace.create(tmp_path / "laptop", PASSPHRASE, owner_name="Rae Practis",
                         role="assessor")
    yield w
    w.close()


def audit_actions(ws: Workspace) -> list[str]:
    return [r[0] for r in connection(ws).execute("SELECT action FROM audit ORDER BY seq")]


def test_a_practice_case_is_marked_as_practice_and_keeps_its_answers(ws: Workspace) -> None:
    c = add_practice(ws, "P1", "nps-2019-20", {"sample": "supervision"})
    assert c.case_ref == "PRACTICE-P1"
    answer_practice(ws, "P1", {"2.1.1.a": "yes", "note:2.1.1": "Seen in the plan."})
    (held,) = list_practice(ws)
    assert held.items == {"2.1.1.a": "yes", "note:2.1.1": "Seen in the plan."}
    answer_practice(ws, "PRACTICE-P1", {"2.1.1.a": ""})  # an empty answer clears it
    assert list_practice(ws)[0].items == {"note:2.1.1": "Seen in the plan."}
    assert ws.list_cases(on_demand=True) == []  # never one of the inspection's cases
    assert {"practice_case_added", "practice_case_answered"} <= set(audit_actions(ws))


@pytest.mark.parametrize(("answers", "words"), [
    ({"2.1.1.a": "maybe"}, "2.1.1.a"),
    ({"9.9.9": "yes"}, "9.9.9"),
])
def test_a_bad_answer_is_one_line_and_changes_nothing(ws: Workspace, answers: dict[str, str],
                                                      words: str) -> None:
    add_practice(ws, "P1", "nps-2019-20")
    before = audit_actions(ws)
    with pytest.raises(PracticeError) as caught:
        answer_practice(ws, "P1", {"2.1.2.a": "yes", **answers})
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert list_practice(ws)[0].items == {} and audit_actions(ws) == before


def test_a_taken_reference_or_unknown_fact_is_refused(ws: Workspace) -> None:
    add_practice(ws, "P1", "nps-2019-20")
    with pytest.raises(PracticeError, match="already"):
        add_practice(ws, "PRACTICE-P1", "nps-2019-20")
    with pytest.raises(PracticeError, match="case fact"):
        add_practice(ws, "P2", "nps-2019-20", {"shoe_size": "9"})
    with pytest.raises(PracticeError):
        add_practice(ws, "   ", "nps-2019-20")
    assert [c.case_ref for c in list_practice(ws)] == ["PRACTICE-P1"]


def test_the_qa_checks_run_on_a_practice_case(ws: Workspace) -> None:
    add_practice(ws, "P1", "nps-2019-20", {"sample": "supervision"})
    c = answer_practice(ws, "P1", {"2.1.1": "no", "note:2.1.1": "Thin."})
    found = {f.check for f in practice_findings(c)}
    assert {"note_too_short_for_no", "no_interview_record", "required_item_unanswered"} <= found


def test_erase_removes_every_practice_case_in_one_audited_action(ws: Workspace) -> None:
    for ref in ("P1", "P2"):
        add_practice(ws, ref, "nps-2019-20")
    assert erase_practice(ws) == 2
    assert list_practice(ws) == []
    row = connection(ws).execute(
        "SELECT action, new FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(row) == ("practice_erased", "2")
    # The audit keeps what kind of change it was, never the invented reference or answers.
    assert not connection(ws).execute(
        "SELECT count(*) FROM audit WHERE coalesce(new, '') LIKE '%PRACTICE-%'"
        " OR item LIKE '%PRACTICE-%'").fetchone()[0]
