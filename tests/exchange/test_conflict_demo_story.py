"""The demo-team story of issue 12, replayed through the real service functions and bundles.

The lead opened one of Robin's cases and changed 2.1.1; it saved as the next revision. Robin's
own next change reached that same revision number with other content. It used to be reported
"stale: revision N is not newer than the N held here" and dropped; it must end as a conflict,
shown and resolvable, with Robin's work kept. A lead can no longer make that change (one owner
per case: tests/exchange/test_demo_team.py), so the lead here is an app from before that rule,
the way two versions of a case can still meet.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.consolidation.dashboard import dashboard
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments, in_conflict_at_lead
from hmip_desktop.exchange.conflicts import open_conflicts, resolve
from hmip_desktop.exchange.demo_team import create_team_demo
from hmip_desktop.store.workspace import Workspace
from tests.exchange.conftest import without_ownership

PASS = "demo team story passphrase, invented"


def test_robins_revision_meets_the_leads_edit_and_is_kept_as_a_conflict(tmp_path: Path) -> None:
    folders = create_team_demo(tmp_path / "team", PASS)
    with Workspace.open(folders["lead"], PASS) as lead, \
            Workspace.open(folders["assessor-1"], PASS) as robin:
        iid = lead.inspections()[0]["id"]
        case = next(s.case for s in robin.list_cases(iid)
                    if robin.read_assessment(s.case.id).items.get("2.1.1") in ("yes", "no"))
        ref = case.case_ref
        robins_answer = robin.read_assessment(case.id).items["2.1.1"]
        leads_answer = "no" if robins_answer == "yes" else "yes"

        lead_change = without_ownership(lead).save_item(case.id, "2.1.1", leads_answer)
        note = "note:2.1.1"
        n = 0
        while robin.read_assessment(case.id).revision < lead_change.revision:
            n += 1
            robin.save_item(case.id, note, f"Robin's own evidence, draft {n}.")
        robins = robin.read_assessment(case.id)
        assert robins.revision == lead_change.revision  # one number, two contents

        bundle = export_assessments(robin, iid, tmp_path / "robin-2.hmipb")
        report = service.import_file(lead, bundle, receipt_out=tmp_path / "robin-2.hmiprcpt")

        assert not report.stale
        assert [r for r, _h, _n in report.conflicts] == [ref]
        assert not any("stale" in line for line in report.lines())
        assert [r.case_ref for r in dashboard(lead, iid) if r.in_conflict] == [ref]
        [conflict] = open_conflicts(lead, iid)
        items = {i.item: i for i in conflict.items}
        assert (items["2.1.1"].held, items["2.1.1"].held_by) == (leads_answer, lead.owner_name)
        assert (items["2.1.1"].received, items["2.1.1"].received_by) == \
            (robins_answer, robin.owner_name)
        assert items[note].received == robins.items[note]

        assert report.receipt is not None
        service.import_file(robin, report.receipt)
        assert case.id in in_conflict_at_lead(robin)

        revision = resolve(lead, ref, {}, rest="received")  # Robin's work kept
        held = lead.read_assessment(case.id)
        assert held.revision == revision == robins.revision + 1
        assert held.items == robins.items
        assert not open_conflicts(lead, iid)
