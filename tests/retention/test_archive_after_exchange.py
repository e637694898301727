"""The lead archives after publication, with cases that came in bundles: aggregates intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.consolidation.export import ratings_json, write_csv
from hmip_desktop.consolidation.panel import record_panel_decision, set_lead_rating
from hmip_desktop.consolidation.panel_sitting import record_panel_sitting
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import service
from hmip_desktop.retention.dates import RetentionError
from hmip_desktop.retention.service import archive_inspection
from hmip_desktop.store.tables import connection
from tests.exchange.conftest import Env, assert_one_line, count
from tests.exchange.test_conflicts import diverge

TITLE = "Demo Shire NPS division"


def test_archive_after_the_team_delivered(answered_env: Env, tmp_path: Path) -> None:
    lead = answered_env.ws("lead")
    iid = answered_env.team.iid
    for who in ("a1", "a2"):
        service.import_file(lead, answered_env.bundle(f"{who}-1.hmipb"))
    assert count(lead, "received_audit") > 0 and count(lead, "case_sources") > 0
    assert count(lead, "alerts") == 1
    fw = lead.inspection_framework(iid)
    record_panel_sitting(lead, iid, sat_on="2026-12-03", chair="Dana Whitlock",
                         members=["Lena Ashgrove"], note_taker="Sam Ellery")
    for s in fw.standards:
        if s.rated_by == "lead":
            set_lead_rating(lead, iid, s.id, "good", evidence="A clear vision, shared widely.")
    for t in consolidate(lead, iid).tables:
        if t.provisional_rating is not None:  # a standard with case data or a lead rating
            record_panel_decision(lead, iid, t.standard_id, decision="confirm")
    csv_before = write_csv(lead, iid, tmp_path / "before.csv").read_bytes()
    ratings_before = ratings_json(lead, iid)

    archive_inspection(lead, iid, confirm=TITLE,
                       override="the panel published on the cases as they stand")

    for table in ("cases", "items", "received_audit", "case_sources", "alerts", "receipts"):
        assert count(lead, table) == 0, table
    case_audit = connection(lead).execute(
        "SELECT count(*) FROM audit WHERE case_id IS NOT NULL").fetchone()[0]
    assert case_audit == 0
    assert write_csv(lead, iid, tmp_path / "after.csv").read_bytes() == csv_before
    assert ratings_json(lead, iid) == ratings_before
    # The same bundle again adds nothing back: the bundle log still knows it.
    again = service.import_file(lead, answered_env.bundle("a1-1.hmipb"))
    assert count(lead, "cases") == 0, again


def test_a_case_in_conflict_holds_the_archive_back(answered_env: Env) -> None:
    """Two versions of a case wait for the lead's choice: refused in one line, unless the lead
    overrides in words."""
    env = answered_env
    lead = env.ws("lead")
    diverge(env, 1, 1)
    service.import_file(lead, env.bundle("a1-2.hmipb"))
    iid = env.team.iid
    record_panel_sitting(lead, iid, sat_on="2026-12-03", chair="Dana Whitlock",
                         members=["Lena Ashgrove"], note_taker="Sam Ellery")
    before = (count(lead, "cases"), count(lead, "conflicts"), count(lead, "audit"))
    with pytest.raises(RetentionError) as e:
        archive_inspection(lead, iid, confirm=TITLE)
    assert "1 case(s) still in conflict" in str(e.value)
    assert_one_line(e.value)
    assert (count(lead, "cases"), count(lead, "conflicts"), count(lead, "audit")) == before
    archive_inspection(lead, iid, confirm=TITLE,
                       override="the conflicting answer does not change any figure")
    assert count(lead, "cases") == count(lead, "conflicts") == 0
