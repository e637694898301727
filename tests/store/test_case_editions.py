"""A case keeps its own edition everywhere its answers are read: the case list's completeness,
the form, saving, the QA checks and queries.

The inspection moves to an edition that adds a prompt to key question 2.1.1; one case stays
on the edition before, which does not ask it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop.assessment.items import ItemError
from hmip_desktop.qa.checks import UNANSWERED
from hmip_desktop.qa.queries import QueryError, raise_query
from hmip_desktop.qa.service import workspace_findings
from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.workspace import Workspace
from tests.case_edition_helpers import NEW_PROMPT, next_edition, put_on_edition, shipped
from tests.qa.builders import build
from tests.store.helpers import SUPERVISION, new_workspace, nps_bytes


@pytest.fixture
def moved(tmp_path: Path) -> Iterator[tuple[Workspace, str, list[str], str]]:
    """Two complete cases; the inspection moved on, CASE-000 staying on the edition before."""
    ws, iid, cids = new_workspace(tmp_path / "ws", cases=2)
    fw = ws.inspection_framework(iid)
    for cid in cids:
        for item, value in build(fw, SUPERVISION).items.items():
            ws.save_item(cid, item, value)
        ws.mark_complete(cid)
    old = put_on_edition(ws, iid, next_edition(shipped(), add_prompt=True), staying=cids[:1])
    yield ws, iid, cids, old
    ws.close()


def test_the_case_list_works_out_each_case_against_its_own_edition(
        moved: tuple[Workspace, str, list[str], str]) -> None:
    ws, iid, (stayed, moved_on), old = moved
    rows = {s.case.id: s for s in ws.list_cases(iid)}
    assert rows[stayed].case.framework_hash == old
    assert rows[stayed].completeness.complete
    assert rows[stayed].completeness.percent == 100
    assert not rows[moved_on].completeness.complete
    assert [m.item for m in rows[moved_on].completeness.missing] == [NEW_PROMPT]
    assert ws.case_summary(stayed).completeness.complete


def test_the_form_and_saving_use_the_cases_own_edition(
        moved: tuple[Workspace, str, list[str], str]) -> None:
    ws, iid, (stayed, moved_on), old = moved
    assert ws.read_assessment(stayed).framework.hash == old
    assert NEW_PROMPT not in ws.read_assessment(stayed).framework.prompts_by_id
    assert ws.read_assessment(moved_on).framework.hash == ws.inspection_framework(iid).hash
    with pytest.raises((ItemError, StoreError)):
        ws.save_item(stayed, NEW_PROMPT, "yes")
    assert NEW_PROMPT not in ws.read_assessment(stayed).items
    ws.save_item(moved_on, NEW_PROMPT, "yes")
    assert ws.read_assessment(moved_on).completeness.complete


def test_the_qa_checks_ask_each_case_only_for_its_own_editions_items(
        moved: tuple[Workspace, str, list[str], str]) -> None:
    ws, iid, (_stayed, moved_on), _old = moved
    unanswered = {(f.case_id, f.item) for f in workspace_findings(ws, iid)
                  if f.check == UNANSWERED}
    assert unanswered == {(moved_on, NEW_PROMPT)}


def test_a_query_names_an_item_of_the_cases_own_edition(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "qa", "a qa test passphrase, invented",
                          owner_name="Morgan Thistlecombe", role="qa")
    try:
        iid = ws.create_inspection(title="Test inspection", organisation="Test PDU",
                                   framework_bytes=nps_bytes())
        stayed, moved_on = (ws.add_case(iid, case_ref=f"Q-{n}", facts=SUPERVISION)
                            for n in range(2))
        put_on_edition(ws, iid, next_edition(shipped(), add_prompt=True), staying=[stayed])
        with pytest.raises(QueryError, match="is not an item of framework"):
            raise_query(ws, stayed, NEW_PROMPT, "Please answer the family prompt.")
        q = raise_query(ws, moved_on, NEW_PROMPT, "Please answer the family prompt.")
        assert q.item == NEW_PROMPT
    finally:
        ws.close()
