"""The laptop's whole life, through the real service functions and files (issue 21, Done when).

An assessor's first bundle carries the workspace's recovery key to the lead; the assessor
forgets the passphrase; the lead issues a recovery file and the assessor sets a new
passphrase with it; the cases are delivered and the alert acknowledged; the return check goes
green; the laptop is wiped with a certificate the lead imports; and the lead archives the
published inspection with its aggregates intact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.consolidation.export import ratings_json, write_csv
from hmip_desktop.consolidation.panel import record_panel_decision, set_lead_rating
from hmip_desktop.consolidation.panel_sitting import record_panel_sitting
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange import service
from hmip_desktop.exchange.alert_states import export_alert_state
from hmip_desktop.exchange.escrow import escrow_pending, held_for
from hmip_desktop.exchange.recovery_files import issue_recovery_file, use_recovery_file
from hmip_desktop.laptop_return.certificates import wipe_certificates
from hmip_desktop.laptop_return.check import return_check
from hmip_desktop.laptop_return.wipe import prepare_for_return
from hmip_desktop.retention.service import archive_inspection
from hmip_desktop.store.errors import WrongPassphraseError
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import take_step
from tests.exchange.conftest import NAMES, PASSPHRASE, Env, count

NEW_PASSPHRASE = "heather lantern copper orchard"
TITLE = "Demo Shire NPS division"


def test_enrol_forget_recover_deliver_wipe_and_archive(answered_env: Env,
                                                       tmp_path: Path) -> None:
    env = answered_env
    lead, iid = env.ws("lead"), env.team.iid
    cases = sorted(s.case.case_ref for s in env.ws("a1").list_cases())

    # The assessor's first bundle carries the recovery key, sealed to the lead alone.
    assert not escrow_pending(env.ws("a1"))
    report = service.import_file(lead, env.bundle("a1-1.hmipb"))
    assert held_for(lead, env.team.key_id("a1")) is not None
    assert report.receipt is not None

    # The passphrase is forgotten mid-week; the lead's recovery file sets a new one.
    env.close("a1")
    recovery = issue_recovery_file(lead, NAMES["a1"], tmp_path / "a1.hmiprecovery")
    a1 = use_recovery_file(env.folder("a1"), recovery, NEW_PASSPHRASE)
    env._open["a1"] = a1
    assert sorted(s.case.case_ref for s in a1.list_cases()) == cases
    with pytest.raises(WrongPassphraseError):
        Workspace.open(env.folder("a1"), PASSPHRASE)

    # Not yet ready to go back: the receipt and the alert's acknowledgement are missing.
    check = return_check(a1)
    assert not check.green and check.undelivered == cases
    service.import_file(a1, report.receipt)
    for alert in lead.alerts():
        take_step(lead, alert.id, "acknowledged")
        state = export_alert_state(lead, alert.id, tmp_path / f"{alert.id}.hmipstate")
        service.import_file(a1, state)
    check = return_check(a1)
    assert check.green, check.lines()

    # Prepare for return: the workspace and its key material go; the certificate goes to the lead.
    folder = a1.folder
    certificate = tmp_path / "a1.hmipwipe"
    result = prepare_for_return(a1, certificate)
    env._open.pop("a1")
    assert result.certificates == [certificate] and not folder.exists()
    service.import_file(lead, certificate)
    [cert] = wipe_certificates(lead, iid)
    assert (cert.member_name, cert.cases) == (NAMES["a1"], len(cases))

    # After publication the lead archives: the published figures stay, the case data goes.
    record_panel_sitting(lead, iid, sat_on="2026-12-03", chair="Dana Whitlock",
                         members=["Lena Ashgrove"], note_taker="Sam Ellery")
    for s in lead.inspection_framework(iid).standards:
        if s.rated_by == "lead":
            set_lead_rating(lead, iid, s.id, "good", evidence="A clear vision, shared widely.")
    for t in consolidate(lead, iid).tables:
        if t.provisional_rating is not None:
            record_panel_decision(lead, iid, t.standard_id, decision="confirm")
    csv_before = write_csv(lead, iid, tmp_path / "before.csv").read_bytes()
    ratings_before = ratings_json(lead, iid)
    archive_inspection(lead, iid, confirm=TITLE,
                       override="the panel published on the cases as they stand")
    for table in ("cases", "items", "received_audit", "alerts", "recovery_escrow"):
        assert count(lead, table) == 0, table
    assert write_csv(lead, iid, tmp_path / "after.csv").read_bytes() == csv_before
    assert ratings_json(lead, iid) == ratings_before
    assert [c.member_name for c in wipe_certificates(lead, iid)] == [NAMES["a1"]]
