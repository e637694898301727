"""Consolidation counts cases on two editions together only where the key questions are the
same, under the inspection's (newer) edition; otherwise it refuses and says which cases are on
which edition.

The editions are built here from the shipped NPS framework: one re-words a prompt only (every
key question the same), one re-numbers key question 2.1.1 (the same, counted under its new
number), one adds a prompt to 2.1.1 (not the same).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hmip_desktop.consolidation.drilldown import drill_down, prompt_counts
from hmip_desktop.consolidation.editions import counted_key_questions
from hmip_desktop.consolidation.export import write_csv
from hmip_desktop.consolidation.national import combine
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import Consolidation, consolidate
from hmip_desktop.frameworks import load_framework
from hmip_desktop.rules.ratings_report import ratings_json
from hmip_desktop.store.workspace import Workspace
from tests.case_edition_helpers import RENUMBERED, next_edition, put_on_edition, shipped
from tests.consolidation.builders import Case, add_inspection
from tests.qa.builders import build, facts_for


def _cases(n: int, seed: int = 7) -> list[Case]:
    fw = load_framework("nps-2019-20")
    rng = random.Random(seed)
    out = []
    for i in range(n):
        facts = facts_for(fw, rng)
        out.append(Case(facts, dict(build(fw, facts, rng, case_ref=f"C{i:04d}").items)))
    return out


def _rows(c: Consolidation) -> dict[str, tuple[int, int, int, int]]:
    return {r.kq_id: (r.yes, r.no, r.na, r.n) for t in c.tables for r in t.rows}


def test_cases_on_an_edition_only_reworded_count_with_the_rest(ws: Workspace) -> None:
    built = add_inspection(ws, "nps-2019-20", _cases(12))
    before = consolidate(ws, built.iid)
    put_on_edition(ws, built.iid, next_edition(shipped()), staying=built.case_ids[:5])
    after = consolidate(ws, built.iid)
    assert after.framework.edition == "2020.1"
    assert after.cases == before.cases == 12
    assert _rows(after) == _rows(before)
    assert ratings_json(after.ratings)["standards"] == ratings_json(before.ratings)["standards"]


def test_a_renumbered_key_question_counts_under_its_new_number(ws: Workspace) -> None:
    built = add_inspection(ws, "nps-2019-20", _cases(10, seed=3))
    first = consolidate(ws, built.iid)
    before = _rows(first)
    # Every case stays: a case moved would have its answers carried to the new numbers.
    put_on_edition(ws, built.iid, next_edition(shipped(), renumber=True),
                   staying=built.case_ids)
    c = consolidate(ws, built.iid)
    after = _rows(c)
    assert "2.1.1" not in after
    assert after[RENUMBERED] == before["2.1.1"]
    assert {k: v for k, v in after.items() if k != RENUMBERED} == \
        {k: v for k, v in before.items() if k != "2.1.1"}
    # The prompts behind it, and the cases' evidence, read each case's answers to the prompts
    # they continue.
    assert [(p.prompt_id, p.yes, p.no, p.na) for p in prompt_counts(ws, c)[RENUMBERED]] == [
        (p.prompt_id.replace("2.1.1.", f"{RENUMBERED}."), p.yes, p.no, p.na)
        for p in prompt_counts(ws, first)["2.1.1"]]
    was = {e.case_ref: e.prompts for g in drill_down(ws, first, "2.1.1").cases.values()
           for e in g}
    now = {e.case_ref: e.prompts for g in drill_down(ws, c, RENUMBERED).cases.values()
           for e in g}
    assert now and now == {ref: tuple((p.replace("2.1.1.", f"{RENUMBERED}."), v)
                                      for p, v in ps) for ref, ps in was.items()}
    # A partner's comment on such a case names 2.1.1; the drill-down of 2.1.9 shows it there.
    renamed = counted_key_questions(ws, built.iid, c.framework, built.case_ids)
    assert set(renamed) == set(built.case_ids)
    assert all(m["2.1.1"] == RENUMBERED and m["2.2.1"] == "2.2.1" for m in renamed.values())


def test_a_key_question_not_the_same_refuses_and_names_whose_cases_are_where(
        ws: Workspace) -> None:
    built = add_inspection(ws, "nps-2019-20", _cases(4, seed=5))
    put_on_edition(ws, built.iid, next_edition(shipped(), add_prompt=True),
                   staying=built.case_ids[:2])
    with pytest.raises(ConsolidationError) as refused:
        consolidate(ws, built.iid)
    message = str(refused.value)
    assert "\n" not in message
    assert "2.1.1" in message
    assert "edition 2019-20: C0000, C0001" in message
    assert "edition 2020.1: C0002, C0003" in message
    # The exports are made from the same consolidation, and refuse with the same words.
    out = ws.folder / "kq.csv"
    with pytest.raises(ConsolidationError, match=r"edition 2019-20: C0000, C0001"):
        write_csv(ws, built.iid, out)
    assert not out.exists()


def test_a_case_left_out_does_not_stop_the_count(ws: Workspace) -> None:
    cases = _cases(5, seed=11)
    cases[0] = Case(cases[0].facts, cases[0].items, status="in_progress")
    built = add_inspection(ws, "nps-2019-20", cases)
    put_on_edition(ws, built.iid, next_edition(shipped(), add_prompt=True),
                   staying=built.case_ids[:1])
    c = consolidate(ws, built.iid)
    assert c.cases == 4
    assert c.left_out["in_progress"] == 1


def test_combine_refuses_exports_on_different_editions(ws: Workspace, tmp_path: Path) -> None:
    first = add_inspection(ws, "nps-2019-20", _cases(3, seed=13), organisation="North")
    later = add_inspection(ws, "nps-2019-20", _cases(3, seed=17), organisation="South")
    put_on_edition(ws, later.iid, next_edition(shipped()), staying=[])
    write_csv(ws, first.iid, tmp_path / "north.csv")
    write_csv(ws, later.iid, tmp_path / "south.csv")
    with pytest.raises(ConsolidationError, match=r"different editions of the framework .*"
                       r"north\.csv.*south\.csv.*: combine one edition at a time"):
        combine([tmp_path / "north.csv", tmp_path / "south.csv"])
    assert combine([tmp_path / "south.csv"]).framework_id == "nps-2019-20"
