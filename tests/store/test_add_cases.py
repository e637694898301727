"""A whole sample added at once: every case with its assessment and its one audit row, or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.store.errors import ValidationError
from tests.store.helpers import SUPERVISION, assert_one_line, audit_count, new_workspace


def test_a_sample_added_at_once_gives_each_case_its_assessment_and_its_audited_add(
        tmp_path: Path) -> None:
    ws, iid, (first,) = new_workspace(tmp_path / "ws")
    with ws:
        ids = ws.add_cases(iid, [{"case_ref": f"BATCH-{n}", "facts": SUPERVISION,
                                  "person_name": "Robin Invented", "pdu": "Eastmere PDU"}
                                 for n in range(40)])
        assert len(set(ids)) == 40
        cases = {c.case.case_ref: c for c in ws.list_cases(iid)}
        assert sorted(cases) == sorted(["CASE-000", *(f"BATCH-{n}" for n in range(40))])
        assert cases["BATCH-7"].case.pdu == "Eastmere PDU"
        for n, cid in enumerate(ids):
            entries = ws.history(cid)
            assert [(e.action, e.item, e.new) for e in entries] == [
                ("add_case", "case", f"BATCH-{n}")]
            assert ws.verify_history(cid)
            assert ws.read_assessment(cid).revision == 0
        assert ws.verify_history(first)


def test_a_case_given_its_id_again_chains_on_the_audit_rows_it_already_has(
        tmp_path: Path) -> None:
    """A case id the workspace has seen (its rows kept) carries on its own audit chain."""
    ws, iid, (cid,) = new_workspace(tmp_path / "ws")
    with ws:
        ws._conn.execute("DELETE FROM assessments WHERE case_id = ?", (cid,))
        ws._conn.execute("DELETE FROM cases WHERE id = ?", (cid,))
        ws.add_cases(iid, [{"case_ref": "CASE-AGAIN", "facts": SUPERVISION, "case_id": cid},
                           {"case_ref": "CASE-NEW", "facts": SUPERVISION}])
        assert [e.action for e in ws.history(cid)] == ["add_case", "add_case"]
        assert ws.verify_history(cid)


@pytest.mark.parametrize(("refs", "named"), [
    (["NEW-1", "CASE-000", "NEW-2"], "CASE-000"),  # already in the inspection
    (["NEW-1", "NEW-2", "NEW-1"], "NEW-1")])  # twice in the sample: the second is refused
def test_a_sample_with_a_case_already_there_is_refused_naming_it_and_adds_nothing(
        tmp_path: Path, refs: list[str], named: str) -> None:
    ws, iid, _cids = new_workspace(tmp_path / "ws")
    with ws:
        before = audit_count(ws)
        with pytest.raises(ValidationError) as refused:
            ws.add_cases(iid, [{"case_ref": ref, "facts": SUPERVISION} for ref in refs])
        assert_one_line(refused.value)
        assert str(refused.value) == f"case {named} is already in this inspection"
        assert [c.case.case_ref for c in ws.list_cases(iid)] == ["CASE-000"]
        assert audit_count(ws) == before
        assert ws._conn.execute("SELECT count(*) FROM assessments").fetchone()[0] == 1
