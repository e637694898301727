"""A team mid-inspection moves to a new edition of its framework through bundles, with nothing
lost: every answer is carried over or kept in the case's history.

Cases at several states: RT-101 in progress, RT-102 complete, RT-201 queried by the QA partner,
RT-202 not started. The lead adopts the next edition and writes the packs; each assessor sees
what will change and confirms; their moved cases come back to the lead in their next bundle.
"""

from __future__ import annotations

import pytest

from hmip_desktop.consolidation.counting import PROVISIONAL
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.pack_editions import EditionConfirmationNeededError
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.qa.queries import raise_query
from hmip_desktop.setup.new_edition import EditionSource, adopt_edition
from hmip_desktop.store.edition_moves import EDITION_ITEM_ACTION
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from tests.edition_helpers import (
    ADDED,
    REMOVED,
    RENUMBERED_FROM,
    RENUMBERED_TO,
    REWORDED,
    next_edition,
    next_edition_bytes,
)
from tests.exchange.conftest import Env

ANSWERS = {"record:interview_mode": "in_person", REWORDED: "yes", "2.1.1.b": "no",
           "2.1.1": "yes", "note:2.1.1": "The assessment engaged the person well.",
           REMOVED: "no", "note:2.1.2": "Risk to others was not analysed.",
           RENUMBERED_FROM: "yes"}
OLD, NEW = "2019-20", "2020-21"


def _nothing_lost(ws: Workspace, case_id: str, before: dict[str, str]) -> None:
    after = ws.read_assessment(case_id).items
    mapping_keys = {RENUMBERED_FROM: RENUMBERED_TO}
    kept = {(e.item, e.old) for e in ws.history(case_id) if e.action == EDITION_ITEM_ACTION}
    for item, value in before.items():
        carried = after.get(mapping_keys.get(item, item)) == value
        assert carried or (item, value) in kept, (case_id, item)


def test_a_team_moves_to_a_new_edition_through_bundles_with_nothing_lost(
        ready_env: Env) -> None:
    env, team = ready_env, ready_env.team
    iid = team.iid
    lead, a1, a2, qa = (env.ws(w) for w in ("lead", "a1", "a2", "qa"))
    r101, r102 = team.cases_of("a1")
    r201, r202 = team.cases_of("a2")
    for ws, cid in ((a1, r101), (a1, r102), (a2, r201)):
        for item, value in ANSWERS.items():
            ws.save_item(cid, item, value)
    a1.set_status(r102, "complete")
    export_assessments(a1, iid, env.bundle("a1-1.hmipb"))
    export_assessments(a2, iid, env.bundle("a2-1.hmipb"))
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    service.import_file(lead, env.bundle("a2-1.hmipb"))
    service.import_file(qa, env.bundle("a2-1.hmipb"))
    raise_query(qa, r201, "2.1.1", "Which record shows the engagement?")
    export_qa(qa, iid, team.member_ids["a2"], env.bundle("qa-a2.hmipb"))
    service.import_file(a2, env.bundle("qa-a2.hmipb"))
    states = {cid: ws.case_summary(cid).display_status
              for ws, cid in ((a1, r101), (a1, r102), (a2, r201), (a2, r202))}
    assert list(states.values()) == ["in_progress", "complete", "queried", "not_started"]
    before = {cid: dict(ws.read_assessment(cid).items)
              for ws, cid in ((a1, r101), (a1, r102), (a2, r201), (a2, r202))}

    # The lead issues the next edition: cases whose content the lead holds keep their edition
    # there until their assessor's bundle brings them moved.
    adopt_edition(lead, iid, EditionSource(next_edition_bytes(), "file", "nps-2020-21.json"))
    assert lead.inspection_framework(iid).edition == NEW
    assert [lead.case_framework(c).edition for c in (r101, r102, r201, r202)] == [
        OLD, OLD, OLD, NEW]
    for who in ("a1", "a2"):
        packs.make_pack(lead, iid, team.member_ids[who], env.bundle(f"{who}-2.hmippack"))

    # Each assessor is shown what will change, then confirms.
    for who, ws in (("a1", a1), ("a2", a2)):
        with pytest.raises(EditionConfirmationNeededError) as e:
            service.import_file(ws, env.bundle(f"{who}-2.hmippack"))
        assert ws.inspection_framework(iid).edition == OLD  # nothing moved yet
        moves = {p.case_ref: p.moves for p in e.value.preview}
        assert moves == ({"RT-101": True, "RT-102": False} if who == "a1" else
                         {"RT-201": True, "RT-202": True})
        service.import_file(ws, env.bundle(f"{who}-2.hmippack"), confirm_edition=True)

    moved = a1.read_assessment(r101)
    assert moved.framework.edition == NEW and moved.status == "in_progress"
    assert moved.items[REWORDED] == "yes" and moved.items[RENUMBERED_TO] == "yes"
    assert REMOVED not in moved.items and ADDED not in moved.items  # new: blank
    assert [(e.old, e.new) for e in a1.history(r101, REMOVED)][-1] == ("no", None)
    stayed = a1.read_assessment(r102)
    assert stayed.framework.edition == OLD and stayed.status == "complete"
    assert stayed.items == before[r102]
    assert a2.case_framework(r201).edition == NEW
    assert a2.case_summary(r201).display_status == "queried"  # the query is still open
    assert a2.case_framework(r202).edition == NEW and a2.read_assessment(r202).items == {}
    for ws, cid in ((a1, r101), (a2, r201), (a2, r202)):  # moved; RT-102 is as it was
        _nothing_lost(ws, cid, before[cid])
    for ws, cid in ((a1, r101), (a1, r102), (a2, r201), (a2, r202)):
        assert ws.verify_history(cid)
    assert next_edition().hash == a1.case_framework(r101).hash

    # The moved cases reach the lead in the assessors' next bundles, history and all.
    export_assessments(a1, iid, env.bundle("a1-2.hmipb"), case_ids=["RT-101"])
    export_assessments(a2, iid, env.bundle("a2-2.hmipb"), case_ids=["RT-201"])
    for who, cid, ref in (("a1", r101, "RT-101"), ("a2", r201, "RT-201")):
        report = service.import_file(lead, env.bundle(f"{who}-2.hmipb"))
        assert [r for r, _rev in report.applied] == [ref]
        member = a1 if who == "a1" else a2
        assert lead.read_assessment(cid).items == member.read_assessment(cid).items
        kept = set(connection(lead).execute(  # the assessor's history, as the lead received it
            "SELECT item, old FROM received_audit WHERE case_id = ? AND action = ?",
            (cid, EDITION_ITEM_ACTION)))
        assert (REMOVED, "no") in kept

    # The lead holds each case on its own edition: RT-102, complete, stayed on the old one.
    # The tables count the two editions together only where the mapping says a key question
    # is the same; 2.1.1 gained a prompt, so consolidation refuses and says who is on which.
    assert lead.case_framework(r101).edition == NEW
    assert lead.case_framework(r102).edition == OLD
    with pytest.raises(ConsolidationError) as refused:
        consolidate(lead, iid, rule=PROVISIONAL)
    said = str(refused.value)
    assert "2.1.1" in said and "RT-101" in said and "RT-102" in said
    assert f"edition {OLD}" in said and f"edition {NEW}" in said
