"""Findings on the organisational key questions and the evidence sent in advance (issue 19).

The lead records strengths and areas for improvement with the evidence behind each, keeps a
register of the documents the organisation sent (referenced, or a copy stored up to the cap),
the narrative per key question, and sees which key questions have no evidence yet. Every change
is audited in the workspace's own chain; bad input is one line and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hmip_desktop.findings import service
from hmip_desktop.findings.coverage import coverage
from hmip_desktop.findings.items import FindingsError, organisational_key_questions
from hmip_desktop.findings.service import (
    MAX_STORED_BYTES,
    add_document,
    add_finding,
    documents,
    findings,
    narratives,
    remove_document,
    remove_finding,
    save_copy,
    set_narrative,
    standard_findings,
)
from hmip_desktop.laptop_return.exports import list_exports
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import Built, add_inspection, lead_workspace

TABLES = ("findings", "evidence_documents", "evidence_copies", "evidence_narratives", "audit")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    w = lead_workspace(tmp_path_factory.mktemp("findings") / "ws")
    yield w
    w.close()


@pytest.fixture(scope="module")
def dipp(ws: Workspace) -> Built:
    return add_inspection(ws, "dipp-2025", [], title="Demo region public protection")


@pytest.fixture(scope="module")
def nps(ws: Workspace) -> Built:
    return add_inspection(ws, "nps-2019-20", [], title="Demo Shire probation")


def _rows(ws: Workspace) -> dict[str, int]:
    conn = connection(ws)
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}


def test_a_finding_keeps_its_evidence_and_is_audited(ws: Workspace, dipp: Built) -> None:
    plan = add_document(ws, dipp.iid, title="Regional public protection strategy",
                        dated="2026-09-30", items=["1.1.1", "1.1.1.a"],
                        location="Sent by email to the lead", note="Signed off in July")
    number = add_finding(ws, dipp.iid, "1.1.1", "strength",
                         "Staff know the public protection priorities.", documents=[plan],
                         meetings=["Senior leaders", "Practitioners' focus group"],
                         cases=["Nine in ten cases named who is at risk"])
    improvement = add_finding(ws, dipp.iid, "1.1.1.c", "improvement",
                              "Delivery plans are not reviewed.", meetings=["Senior leaders"])

    held = {f.number: f for f in findings(ws, dipp.iid)}
    assert held[number].documents == (plan,)
    assert held[number].meetings == ("Senior leaders", "Practitioners' focus group")
    assert held[number].cases == ("Nine in ten cases named who is at risk",)
    assert (held[improvement].item, held[improvement].kind) == ("1.1.1.c", "improvement")
    assert held[number].recorded_by == ws.owner_name
    entry = ws.history(item=f"inspection:{dipp.iid}/finding:{number}")[-1]
    assert entry.case_id is None and entry.action == "finding_added"
    assert json.loads(entry.new or "")["evidence"]["documents"] == [plan]

    remove_finding(ws, dipp.iid, improvement)
    assert improvement not in {f.number for f in findings(ws, dipp.iid)}
    gone = ws.history(item=f"inspection:{dipp.iid}/finding:{improvement}")[-1]
    assert gone.action == "finding_removed" and gone.new is None
    assert "not reviewed" in (gone.old or "")


def test_a_rated_standard_draws_on_the_findings_of_its_key_questions(
        ws: Workspace, nps: Built) -> None:
    on_1_1 = add_finding(ws, nps.iid, "1.1.2.a", "improvement", "Risks are not escalated.")
    add_finding(ws, nps.iid, "1.2.1", "strength", "Staff feel supported.")
    assert [f.number for f in standard_findings(ws, nps.iid, "1.1")] == [on_1_1]
    # Domain one of a rated framework takes findings; its case-answered domains do not.
    assert {k.id[0] for k in organisational_key_questions(nps.framework)} == {"1"}


def test_the_register_and_narrative(ws: Workspace, dipp: Built) -> None:
    n = add_document(ws, dipp.iid, title="Staffing and workload report", dated="2026-10-02",
                     items=["1.2.1", "1.2.1"])
    doc = next(d for d in documents(ws, dipp.iid) if d.number == n)
    assert doc.items == ("1.2.1",) and doc.stored_name is None  # referenced, not stored
    words = " ".join(["word"] * 300)
    assert set_narrative(ws, dipp.iid, "1.2.1", words)
    assert narratives(ws, dipp.iid)["1.2.1"].text == words
    assert not set_narrative(ws, dipp.iid, "1.2.1", words)  # unchanged: nothing written
    assert set_narrative(ws, dipp.iid, "1.2.1", "")  # cleared
    assert "1.2.1" not in narratives(ws, dipp.iid)
    actions = [e.action for e in ws.history(item=f"inspection:{dipp.iid}/narrative:1.2.1")]
    assert actions == ["evidence_narrative", "evidence_narrative"]


def test_a_stored_copy_is_kept_inside_and_saved_back(ws: Workspace, dipp: Built,
                                                     tmp_path: Path) -> None:
    source = tmp_path / "business-plan.pdf"
    source.write_bytes(b"%PDF-1.4 invented business plan " * 100)
    n = add_document(ws, dipp.iid, title="Business plan", dated="2026-08-01",
                     items=["1.3.1"], store=source)
    doc = next(d for d in documents(ws, dipp.iid) if d.number == n)
    assert (doc.stored_name, doc.stored_size) == ("business-plan.pdf", source.stat().st_size)
    source.unlink()  # the workspace holds its own copy
    out = save_copy(ws, dipp.iid, n, tmp_path / "copy.pdf")
    assert out.read_bytes().startswith(b"%PDF-1.4 invented business plan")
    assert any(e.path == str(out) for e in list_exports(ws))  # tracked for the laptop's return
    referenced = add_document(ws, dipp.iid, title="Workforce strategy", dated="2026-08-02",
                              items=["1.3.1"], location="Shared drive")
    with pytest.raises(FindingsError, match="referenced, not stored"):
        save_copy(ws, dipp.iid, referenced, tmp_path / "none.pdf")


def test_coverage_counts_the_evidence_and_flags_key_questions_with_none(
        ws: Workspace, tmp_path: Path) -> None:
    b = add_inspection(ws, "dipp-2025", [], title="Demo region for coverage")
    d1 = add_document(ws, b.iid, title="Strategy", dated="2026-09-01", items=["1.1.1.b"])
    add_document(ws, b.iid, title="Governance minutes", dated="2026-09-02",
                 items=["1.1.1", "1.1.2"])
    add_finding(ws, b.iid, "1.1.1", "strength", "Clear priorities.", documents=[d1],
                meetings=["Senior leaders"], cases=["Risk named in most cases"])
    add_finding(ws, b.iid, "1.1.1.b", "improvement", "Not shared with partners.",
                meetings=["senior leaders"])
    add_finding(ws, b.iid, "1.3.2", "strength", "Good partnership work.",
                meetings=["Partners"])
    set_narrative(ws, b.iid, "1.1.1", "Our strategy was refreshed this year.")
    rows = {c.key_question: c for c in coverage(ws, b.iid)}

    assert list(rows) == [k.id for k in organisational_key_questions(b.framework)]
    first = rows["1.1.1"]
    assert (first.documents, first.meetings, first.cases) == (2, 1, 1)
    assert (first.strengths, first.improvements, first.narrative_words) == (1, 1, 6)
    assert (rows["1.1.2"].documents, rows["1.1.2"].none) == (1, False)
    assert (rows["1.3.2"].meetings, rows["1.3.2"].none) == (1, False)
    assert rows["1.2.3"].none and not first.none
    assert "2.1.1" not in rows  # case-answered key questions are not in the view


@pytest.mark.parametrize(("attempt", "message"), [
    (lambda ws, iid, _p: add_finding(ws, iid, "9.9.9", "strength", "Invented."),
     "9.9.9 is not a key question or prompt of this inspection's framework"),
    (lambda ws, iid, _p: add_finding(ws, iid, "2.1.1", "strength", "Invented."),
     "2.1.1 is answered case by case"),
    (lambda ws, iid, _p: add_finding(ws, iid, "1.1.1", "rating", "Invented."),
     "a strength or an area for improvement"),
    (lambda ws, iid, _p: add_finding(ws, iid, "1.1.1", "strength", "  "),
     "The finding must not be empty"),
    (lambda ws, iid, _p: add_finding(ws, iid, "1.1.1", "strength", "Invented.",
                                     documents=[99]),
     "no document 99 in the register"),
    (lambda ws, iid, _p: add_document(ws, iid, title="Plan", dated="2026-09-01", items=[]),
     "speaks to at least one key question or prompt"),
    (lambda ws, iid, _p: add_document(ws, iid, title="Plan", dated="1 September",
                                      items=["1.1.1"]),
     "YYYY-MM-DD"),
    (lambda ws, iid, _p: add_document(ws, iid, title="Plan", dated="2026-09-01",
                                      items=["1.1.1", "7.7"]),
     "7.7 is not a key question or prompt"),
    (lambda ws, iid, p: add_document(ws, iid, title="Plan", dated="2026-09-01",
                                     items=["1.1.1"], store=p),
     "a stored copy may be at most 10 MB"),
    (lambda ws, iid, _p: set_narrative(ws, iid, "1.1.1", " ".join(["word"] * 301)),
     "has 301 words: at most 300"),
    (lambda ws, iid, _p: set_narrative(ws, iid, "1.1.1.a", "A prompt has no narrative."),
     "1.1.1.a is a prompt: a narrative is on a key question as a whole"),
    (lambda ws, iid, _p: remove_finding(ws, iid, 999), "no finding 999"),
])
def test_bad_input_is_one_line_and_writes_nothing(
        ws: Workspace, dipp: Built, tmp_path: Path,
        attempt: Callable[[Workspace, str, Path], object], message: str) -> None:
    big = tmp_path / "large scan.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_STORED_BYTES + 1)  # one byte over the cap
    before = _rows(ws)
    with pytest.raises(FindingsError) as e:
        attempt(ws, dipp.iid, big)
    assert message in str(e.value) and "\n" not in str(e.value)
    assert _rows(ws) == before


def test_a_cited_document_stays_in_the_register(ws: Workspace, dipp: Built) -> None:
    n = add_document(ws, dipp.iid, title="Quality audit", dated="2026-07-01", items=["1.2.2"])
    f = add_finding(ws, dipp.iid, "1.2.2", "strength", "Audits are acted on.", documents=[n])
    before = _rows(ws)
    with pytest.raises(FindingsError, match=f"Document {n} is evidence for finding {f}"):
        remove_document(ws, dipp.iid, n)
    assert _rows(ws) == before
    remove_finding(ws, dipp.iid, f)
    remove_document(ws, dipp.iid, n)
    assert n not in {d.number for d in documents(ws, dipp.iid)}
    assert ws.history(item=f"inspection:{dipp.iid}/document:{n}")[-1].action == \
        "evidence_document_removed"


def test_only_the_leads_workspace_records_findings(tmp_path: Path) -> None:
    w = Workspace.create(tmp_path / "a", "assessor passphrase, invented",
                         owner_name="Ola Brent", role="assessor")
    try:
        b = add_inspection(w, "dipp-2025", [])
        with pytest.raises(FindingsError, match="Only the lead inspector's workspace"):
            service.add_finding(w, b.iid, "1.1.1", "strength", "Invented.")
    finally:
        w.close()
