"""The demo team: a lead, two assessors and a QA partner after a real exchange of files."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from hmip_desktop.cli.main import main
from hmip_desktop.consolidation.dashboard import alerts_inbox, dashboard
from hmip_desktop.consolidation.pdu_tables import NOT_RECORDED, pdu_tables
from hmip_desktop.consolidation.publication import write_publishable_workbook
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.demo_team import PEOPLE, create_team_demo
from hmip_desktop.exchange.service import import_file
from hmip_desktop.findings import service as findings
from hmip_desktop.findings.items import key_question_of, organisational_key_questions
from hmip_desktop.qa.queries import list_queries
from hmip_desktop.sampling import demo_sample, progress, service
from hmip_desktop.store.errors import NotOwnerError
from hmip_desktop.store.workspace import Workspace

PASS = "demo team test passphrase, invented"


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return create_team_demo(tmp_path_factory.mktemp("demo") / "team", PASS)


def test_every_member_has_a_workspace_in_their_role(team: dict[str, Path]) -> None:
    for who, folder in team.items():
        with Workspace.open(folder, PASS) as ws:
            assert (ws.owner_name, ws.owner_role) == PEOPLE[who][:2]


def test_the_lead_holds_every_case_as_delivered_with_the_alert_first(
        team: dict[str, Path]) -> None:
    with Workspace.open(team["lead"], PASS) as lead:
        insp = lead.inspections()[0]  # the NPS one; the DIPP one follows
        rows = dashboard(lead, insp["id"])
        assert len(rows) == 14 and all(r.delivered for r in rows)
        assert {r.member for r in rows} == {PEOPLE[w][0] for w in ("qa", "assessor-1",
                                                                    "assessor-2")}
        [alert] = alerts_inbox(lead, insp["id"])
        assert alert.acknowledged_at is None
        c = consolidate(lead, insp["id"])
        assert c.cases > 0 and c.rated
        with Workspace.open(team["qa"], PASS) as qa:
            assert [q.text for q in list_queries(lead)] == [q.text for q in list_queries(qa)]


def test_the_leads_demo_has_a_provisional_case_sample_beside_its_cases(
        team: dict[str, Path]) -> None:
    """The set-up window's case sample page has a long list and a draw to show; the
    inspection's own cases stay the ones shared out (the demo stops before a final sample)."""
    with Workspace.open(team["lead"], PASS) as lead:
        insp = lead.inspections()[0]  # the NPS one; the DIPP one follows
        iid = insp["id"]
        summary = service.longlist_summary(lead, iid, demo_sample.KIND)
        assert summary.cases == demo_sample.ROWS and summary.stage == "provisional"
        report = service.report(lead, iid, demo_sample.KIND)
        assert report.seed == demo_sample.SEED and report.sample == demo_sample.FINAL_SIZE
        assert report.shares and report.unmet == ()
        refs = {s.case.case_ref for s in lead.list_cases(iid)}
        assert len(refs) == 14
        assert not refs & set(progress.final_cases(lead, iid, demo_sample.KIND))
        assert not refs & {c.case_ref for c in progress.drawn_cases(
            lead, iid, lead.inspection_framework(iid).sampling.kind(demo_sample.KIND))}  # type: ignore[union-attr]


def test_the_query_waits_for_the_assessors_reply(team: dict[str, Path]) -> None:
    with Workspace.open(team["assessor-1"], PASS) as a1:
        [q] = list_queries(a1, open_only=True)
        assert q.raised_by == PEOPLE["qa"][0] and q.replies == ()


def test_only_encrypted_files_are_left_in_the_shared_folder(team: dict[str, Path]) -> None:
    files = sorted(p.name for p in (team["lead"].parent / "files").iterdir())
    assert files and all(name.endswith((".hmippack", ".hmipb", ".hmiprcpt")) for name in files)
    refs = [b"DEMO-NPS-0", b"Demo PDU"]
    for p in (team["lead"].parent / "files").iterdir():
        data = p.read_bytes()
        assert not any(r in data for r in refs), p.name


def test_demo_role_lead_creates_the_team_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASS)
    assert main(["demo", "--role", "lead", "--workspace", str(tmp_path / "t")]) == 0
    assert "created 32 invented cases" in capsys.readouterr().out  # 14 NPS, 16 DIPP, 2 training
    with Workspace.open(tmp_path / "t" / "lead", PASS) as ws:
        assert ws.owner_role == "lead"
    assert main(["demo", "--role", "qa", "--workspace", str(tmp_path / "t")]) == 1
    assert "already exists" in capsys.readouterr().err


def test_the_demo_story_ends_with_robins_work_kept(team: dict[str, Path],
                                                   tmp_path: Path) -> None:
    """The lead opens one of Robin's cases and tries to change 2.1.1: refused, naming Robin.

    Robin's own next revision then arrives and is applied; nothing is dropped as stale.
    """
    root = tmp_path / "team"
    shutil.copytree(team["lead"].parent, root)
    robin_name = PEOPLE["assessor-1"][0]
    with Workspace.open(root / "lead", PASS) as lead, \
            Workspace.open(root / "assessor-1", PASS) as robin:
        insp = lead.inspections()[0]  # the NPS one; the DIPP one follows
        robins = [s for s in lead.list_cases(insp["id"]) if s.case.assessor == robin_name]
        case = next((s for s in robins if s.case.case_ref == "DEMO-NPS-007"), robins[0]).case
        before = lead.read_assessment(case.id)
        assert not lead.ownership(case.id).mine
        assert lead.ownership(case.id).owner == robin_name
        with pytest.raises(NotOwnerError, match=robin_name):
            lead.save_item(case.id, "2.1.1", "no" if before.items.get("2.1.1") == "yes"
                           else "yes")
        after = lead.read_assessment(case.id)
        assert (after.revision, after.items) == (before.revision, before.items)

        mine = robin.read_assessment(case.id)
        robin.save_item(case.id, "2.1.1", "no" if mine.items.get("2.1.1") == "yes" else "yes")
        bundle = export_assessments(robin, insp["id"], root / "robin-2.hmipb", [case.id])
        report = import_file(lead, bundle)
        assert report.stale == []
        assert report.applied == [(case.case_ref, robin.read_assessment(case.id).revision)]
        assert lead.read_assessment(case.id).items == robin.read_assessment(case.id).items


def test_the_demo_case_whose_practitioner_shares_an_assessors_name_goes_to_someone_else(
        team: dict[str, Path]) -> None:
    """The demo's sample has a case whose practitioner is called Robin Ashwillow, as the first
    assessor is: the allocation's name check keeps it away from them."""
    with Workspace.open(team["lead"], PASS) as lead:
        insp = lead.inspections()[0]  # the NPS one; the DIPP one follows
        named = [c for c in lead.list_cases(insp["id"])
                 if c.case.practitioner == PEOPLE["assessor-1"][0]]
        assert named, "the demo sample no longer has the name-conflict case"
        assert all(c.case.assessor != PEOPLE["assessor-1"][0] for c in named)


def test_the_leads_dipp_inspection_runs_to_findings_pdu_tables_and_a_publishable_workbook(
        team: dict[str, Path], tmp_path: Path) -> None:
    """The unrated programme's outputs on the demo: findings per organisational key question,
    the tables per PDU and a publishable workbook with small cells hidden and no one named."""
    with Workspace.open(team["lead"], PASS) as lead:
        nps, dipp, _training = lead.inspections()
        iid = dipp["id"]
        fw = lead.inspection_framework(iid)
        assert fw.id == "dipp-2025" and not fw.rated
        organisational = {k.id for k in organisational_key_questions(fw)}
        found = findings.findings(lead, iid)
        assert len({key_question_of(fw, f.item) for f in found}) >= 2
        assert {key_question_of(fw, f.item) for f in found} <= organisational
        assert {f.kind for f in found} == {"strength", "improvement"}
        assert all(f.documents for f in found) and findings.documents(lead, iid)

        tables = pdu_tables(lead, iid)
        assert len([p for p in tables.pdus if p != NOT_RECORDED]) >= 2
        assert all(n >= 5 for n in tables.cases[:-1])
        cases = lead.list_cases(iid)
        by_pdu = Counter(s.case.pdu for s in cases)
        assert len(by_pdu) >= 2 and min(by_pdu.values()) >= 5

        written = write_publishable_workbook(lead, iid, tmp_path / "published.xlsx")
        assert "PDUs" in written.sheets and written.suppressed > 0
        book = openpyxl.load_workbook(written.path, read_only=True)
        pdu_cells = [str(v) for row in book["PDUs"].iter_rows(values_only=True)
                     for v in row if v is not None]
        assert "<5" in pdu_cells and set(by_pdu) <= set(pdu_cells)
        text = " ".join(str(v) for sheet in book.worksheets
                        for row in sheet.iter_rows(values_only=True) for v in row
                        if v is not None).lower()
        forbidden = {s.case.case_ref for s in cases} | {"demo-dipp"}
        forbidden |= {part for s in cases for name in (s.case.person_name, s.case.practitioner)
                      for part in name.split()}
        assert not [w for w in forbidden if w.lower() in text]
        assert nps["id"] != iid
