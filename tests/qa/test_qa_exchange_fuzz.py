"""Property: an edited QA bundle, or an assessment bundle with edited queries, sealed by the
real sender, is imported or refused with one line, and a refusal writes nothing.

The edits reach every field check of ``queries.json`` and the merge (the same edit helpers as
tests/exchange/test_import_fuzz.py). Each example gets a new sequence number, so none is
refused merely as a replay.
"""

from __future__ import annotations

import copy
import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.bundles import KIND_ASSESSMENTS, KIND_QA
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.qa.queries import list_queries, raise_query, reply_to_query
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import NAMES, PASSPHRASE, Stages
from tests.exchange.helpers import opened
from tests.exchange.test_import_fuzz import (
    FUZZ,
    PLANS,
    Target,
    archive_of,
    edit,
    edit_value,
    import_or_refuse,
    numbered,
    seal_for,
)

_sequence = itertools.count(5000)
MORE = settings(FUZZ, max_examples=500)  # an example takes a few milliseconds


@dataclass
class QaFuzz:
    a1: Target  # receives the QA partner's QA bundles
    lead: Target  # receives a1's assessment bundles with queries
    iid: str
    qa_entries: list[list[Any]]
    assessment_entries: list[list[Any]]

    def __repr__(self) -> str:
        return "QaFuzz(<queries raised, replied to and signed off>)"


@pytest.fixture(scope="module")
def qa_fuzz(stages: Stages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[QaFuzz]:
    root = tmp_path_factory.mktemp("qa-fuzz") / "env"
    shutil.copytree(stages.answered, root)
    team, ids = stages.team, stages.team.identities
    first, second = team.cases_of("a1")
    with Workspace.open(root / "qa", PASSPHRASE) as qa, \
            Workspace.open(root / "a1", PASSPHRASE) as a1:
        service.import_file(qa, root / "bundles" / "a1-1.hmipb")
        q = raise_query(qa, first, "2.1.1", "Why yes?")
        raise_query(qa, second, "case", "Interview in person?")
        reply_to_query(qa, q.id, "To add: the plan's date.")
        export_qa(qa, team.iid, team.member_ids["a1"], root / "bundles" / "qa-1.hmipb")
        service.import_file(a1, root / "bundles" / "qa-1.hmipb")
        reply_to_query(a1, q.id, "Because the plan covers it.")
        export_assessments(a1, team.iid, root / "bundles" / "a1-2.hmipb")
        assert len(list_queries(a1)) == 2
    qa_entries = [list(e) for e in opened((root / "bundles" / "qa-1.hmipb").read_bytes(),
                                          ids["a1"], ids["qa"])]
    # A sign-off too, so every kind of record is there to be edited.
    qa_entries[1][1]["signoffs"] = [{"case_id": first, "revision": 5,
                                     "signed_by": NAMES["qa"],
                                     "signed_at": "2026-11-24T13:00:00.000+00:00"}]
    qa_entries[0][1]["counts"]["signoffs"] = 1
    lead = Workspace.open(root / "lead", PASSPHRASE)
    a1 = Workspace.open(root / "a1", PASSPHRASE)
    try:
        yield QaFuzz(
            a1=Target(a1, ids["qa"], ids["a1"]), lead=Target(lead, ids["a1"], ids["lead"]),
            iid=team.iid, qa_entries=qa_entries,
            assessment_entries=[list(e) for e in opened(
                (root / "bundles" / "a1-2.hmipb").read_bytes(), ids["lead"], ids["a1"])])
    finally:
        lead.close()
        a1.close()


def test_the_unedited_bundles_import(qa_fuzz: QaFuzz) -> None:
    """The baseline the properties start from is accepted (then held: edits must merge)."""
    sequence = next(_sequence)
    assert import_or_refuse(qa_fuzz.a1.ws, seal_for(
        qa_fuzz.a1, archive_of(numbered(qa_fuzz.qa_entries, sequence)), KIND_QA, sequence,
        qa_fuzz.iid), fuzzing=False)
    entries = qa_fuzz.assessment_entries
    assert [n for n, _v in entries][:3] == ["manifest.json", "alerts.json", "queries.json"]
    assert len(entries[2][1]["queries"]) == 2 and len(entries[2][1]["replies"]) == 2


@MORE
@given(st.data())
def test_edited_qa_bundles_sealed_by_the_qa_partner(qa_fuzz: QaFuzz,
                                                    data: st.DataObject) -> None:
    sequence = next(_sequence)
    entries = numbered(qa_fuzz.qa_entries, sequence)
    for plan in data.draw(st.lists(PLANS, min_size=1, max_size=2)):
        if len(entries) > 1 and plan.pick(2):
            edit_value(plan, entries[1], 1)  # inside queries.json, half the time
        else:
            edit(plan, entries)
    if data.draw(st.booleans()) and isinstance(entries[0][1], dict):
        value = entries[1][1] if len(entries) > 1 else None
        if isinstance(value, dict):  # keep the counts honest, so the records are reached
            entries[0][1]["counts"] = {k: len(v) if isinstance(v, list) else 0
                                       for k, v in value.items()}
    import_or_refuse(qa_fuzz.a1.ws, seal_for(qa_fuzz.a1, archive_of(entries), KIND_QA,
                                             sequence, qa_fuzz.iid))


@MORE
@given(st.data())
def test_edited_queries_in_assessment_bundles_sealed_by_the_assessor(
        qa_fuzz: QaFuzz, data: st.DataObject) -> None:
    sequence = next(_sequence)
    entries = numbered(qa_fuzz.assessment_entries, sequence)
    queries = copy.deepcopy(entries[2])
    edit_value(data.draw(PLANS), queries, 1)
    entries[2] = queries
    import_or_refuse(qa_fuzz.lead.ws, seal_for(qa_fuzz.lead, archive_of(entries),
                                               KIND_ASSESSMENTS, sequence, qa_fuzz.iid))
