"""Moving a case's work to a new edition: carried along the mapping, nothing lost, one
transaction per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.store.edition_moves import EDITION_ACTION, EDITION_ITEM_ACTION
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
from tests.store.helpers import new_workspace

ANSWERS = {REWORDED: "yes", "2.1.1.b": "no", "2.1.1": "yes", "note:2.1.1": "Engaged well.",
           REMOVED: "no", "2.1.2": "no", "note:2.1.2": "Risk of harm not analysed.",
           RENUMBERED_FROM: "yes", "record:interview_mode": "in_person"}


def _answered(tmp_path: Path, cases: int = 3) -> tuple[Workspace, str, list[str]]:
    ws, iid, cids = new_workspace(tmp_path / "ws", cases=cases)
    for cid in cids[:-1]:  # the last case stays not started
        for item, value in ANSWERS.items():
            ws.save_item(cid, item, value)
    return ws, iid, cids


def _adopt(ws: Workspace, iid: str) -> None:
    fw = ws.store_framework(next_edition_bytes())
    ws.set_inspection_framework(iid, fw)


def _held(ws: Workspace, cid: str) -> tuple[object, ...]:
    conn = connection(ws)
    return (sorted(conn.execute("SELECT item, value FROM items WHERE case_id = ?", (cid,))),
            conn.execute("SELECT status, revision FROM assessments WHERE case_id = ?",
                         (cid,)).fetchone(),
            conn.execute("SELECT framework_hash FROM cases WHERE id = ?", (cid,)).fetchone(),
            conn.execute("SELECT count(*) FROM audit WHERE case_id = ?", (cid,)).fetchone())


def test_a_moved_case_carries_its_answers_along_the_mapping(tmp_path: Path) -> None:
    ws, iid, cids = _answered(tmp_path)
    _adopt(ws, iid)
    old = ws.case_framework(cids[0])
    assert old.edition == "2019-20"  # the case holds answers: pinned until it moves
    revision = ws.read_assessment(cids[0]).revision

    move = ws.move_case(cids[0], next_edition())

    a = ws.read_assessment(cids[0])
    assert a.framework.edition == "2020-21"
    assert a.items[REWORDED] == "yes" and a.items["note:2.1.1"] == "Engaged well."
    assert a.items[RENUMBERED_TO] == "yes" and RENUMBERED_FROM not in a.items
    assert REMOVED not in a.items and ADDED not in a.items
    assert a.items["record:interview_mode"] == "in_person"
    assert a.revision == revision + 1 and a.status == "in_progress"
    assert (move.carried, move.new_items, move.to_history) == (len(ANSWERS) - 1, 1, 1)
    removed = ws.history(cids[0], REMOVED)[-1]
    assert (removed.action, removed.old, removed.new) == (EDITION_ITEM_ACTION, "no", None)
    case_row = [e for e in ws.history(cids[0]) if e.action == EDITION_ACTION]
    assert len(case_row) == 1 and '"2019-20"' in (case_row[0].old or "")
    assert '"2020-21"' in (case_row[0].new or "")
    assert ws.verify_history(cids[0])
    # On the inspection's own edition now: no pin.
    assert connection(ws).execute("SELECT framework_hash FROM cases WHERE id = ?",
                                  (cids[0],)).fetchone()[0] is None


def test_every_answer_is_carried_or_kept_in_history(tmp_path: Path) -> None:
    ws, iid, cids = _answered(tmp_path)
    _adopt(ws, iid)
    before = dict(ws.read_assessment(cids[0]).items)
    ws.move_case(cids[0], next_edition())
    after = ws.read_assessment(cids[0]).items
    kept = {(e.item, e.old) for e in ws.history(cids[0]) if e.action == EDITION_ITEM_ACTION}
    for item, value in before.items():
        assert value in after.values() or (item, value) in kept, item


def test_move_cases_moves_work_in_progress_and_leaves_complete_cases(tmp_path: Path) -> None:
    ws, iid, cids = _answered(tmp_path, cases=3)
    done = cids[1]
    connection(ws).execute("UPDATE assessments SET status = 'complete' WHERE case_id = ?",
                           (done,))  # as mark_complete leaves a fully answered case
    _adopt(ws, iid)
    preview = {p.case_ref: p for p in ws.preview_move(iid, next_edition())}
    assert preview["CASE-000"].moves and not preview["CASE-001"].moves
    assert "complete" in preview["CASE-001"].why_stays
    assert "CASE-002" not in preview  # never started: already on the new edition

    moved = ws.move_cases(iid, next_edition())

    assert [m.case_ref for m in moved if m.moves] == ["CASE-000"]
    assert ws.case_framework(done).edition == "2019-20"
    assert ws.read_assessment(done).items[RENUMBERED_FROM] == "yes"
    assert ws.case_framework(cids[2]).edition == "2020-21"


def test_a_complete_case_the_lead_chose_moves_and_reopens(tmp_path: Path) -> None:
    ws, iid, cids = _answered(tmp_path, cases=2)
    connection(ws).execute("UPDATE assessments SET status = 'complete' WHERE case_id = ?",
                           (cids[0],))
    _adopt(ws, iid)
    ws.move_cases(iid, next_edition(), move_complete={cids[0]})
    a = ws.read_assessment(cids[0])
    assert a.framework.edition == "2020-21" and a.status == "in_progress"
    assert [(e.old, e.new) for e in ws.history(cids[0], "status")][-1] == (
        "complete", "in_progress")


def test_a_failure_mid_move_leaves_the_case_as_it_was(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ws, iid, cids = _answered(tmp_path)
    _adopt(ws, iid)
    before = _held(ws, cids[0])
    real = ws._audit_chain

    def failing(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]  # the items and the audit rows are written…
        raise OSError("disk unplugged mid-move")  # …then the disk goes

    monkeypatch.setattr(ws, "_audit_chain", failing)
    with pytest.raises(OSError):
        ws.move_case(cids[0], next_edition())
    monkeypatch.undo()
    assert _held(ws, cids[0]) == before
    assert ws.verify_history(cids[0])
    ws.move_case(cids[0], next_edition())  # and it can move afterwards
    assert ws.read_assessment(cids[0]).items[RENUMBERED_TO] == "yes"


def test_the_frameworks_held_say_where_they_came_from(tmp_path: Path) -> None:
    ws, _iid, _cids = new_workspace(tmp_path / "ws")
    ws.store_framework(next_edition_bytes(), came_from="file", from_name="nps-2020-21.json")
    rows = dict(((r[0], r[1]), r[2:]) for r in connection(ws).execute(
        "SELECT id, version, came_from, from_name, received_at IS NOT NULL FROM frameworks"))
    assert rows[("nps-2019-20", "2019.2")] == ("shipped", "nps-2019-20", 1)
    assert rows[("nps-2019-20", "2020.1")] == ("file", "nps-2020-21.json", 1)
