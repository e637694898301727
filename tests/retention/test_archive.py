"""Archive and purge at the lead: the published figures kept, the case data gone, refusals."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from hmip_desktop.consolidation.compare import compare, compare_inspection
from hmip_desktop.consolidation.counts_files import read_counts
from hmip_desktop.consolidation.export import ratings_json, write_csv, write_workbook
from hmip_desktop.consolidation.national import combine
from hmip_desktop.consolidation.panel import (
    add_recommendation,
    record_panel_decision,
    set_lead_rating,
)
from hmip_desktop.consolidation.panel_sitting import record_panel_sitting
from hmip_desktop.consolidation.records import ConsolidationError, read_panel_decisions
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks import load_framework
from hmip_desktop.retention.dates import RetentionError
from hmip_desktop.retention.service import archive_inspection, purge_inspection
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import Built, add_inspection, generated_cases, lead_workspace

TITLE = "Demo Shire probation inspection"
REASON = "QA was done on paper for the remaining cases"

# Tables whose rows belong to one case (case_id) or to the inspection (inspection_id) and must
# be empty for an archived inspection.
CASE_TABLES = ("items", "assessments", "assignments", "alerts", "case_sources", "received_audit",
               "receipts", "audit", "queries", "signoffs", "conflicts", "conflict_notices",
               "review_given")
INSPECTION_TABLES = ("cases", "organisational_alerts", "received_alerts", "review_cases",
                     "review_comments", "debriefs", "longlists", "longlist_parts", "draws")


def published(ws: Workspace, n: int = 60, seed: int = 3, title: str = TITLE) -> Built:
    """An inspection with every standard decided by the ratings panel."""
    fw = load_framework("nps-2019-20")
    b = add_inspection(ws, "nps-2019-20", generated_cases(fw, random.Random(seed), n),
                       title=title)
    for s in fw.standards:
        if s.rated_by == "lead":
            set_lead_rating(ws, b.iid, s.id, "good", evidence="A clear vision, shared widely.")
    for s in fw.standards:
        record_panel_decision(ws, b.iid, s.id, decision="confirm")
    return b


def rows_of(ws: Workspace, table: str, iid: str, case_ids: list[str]) -> int:
    conn = connection(ws)
    if table in CASE_TABLES:
        marks = ",".join("?" * len(case_ids))
        return int(conn.execute(f"SELECT count(*) FROM {table} WHERE case_id IN ({marks})",
                                case_ids).fetchone()[0])
    return int(conn.execute(f"SELECT count(*) FROM {table} WHERE inspection_id = ?",
                            (iid,)).fetchone()[0])


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = lead_workspace(tmp_path / "lead")
    yield w
    w.close()


def test_archive_keeps_the_published_figures_and_removes_the_case_data(
        ws: Workspace, tmp_path: Path) -> None:
    b = published(ws)
    ws.raise_alert(b.case_ids[0], what_might_happen="Harm to a child, invented",
                   how_serious="Serious", how_imminent="Within days",
                   action_asked="Tell the manager")
    before_csv = write_csv(ws, b.iid, tmp_path / "before.csv").read_bytes()
    before_ratings = ratings_json(ws, b.iid)
    decisions = read_panel_decisions(ws, b.iid)

    done = archive_inspection(ws, b.iid, confirm=TITLE, override=REASON)

    assert done.cases == 60 and done.override == REASON
    for table in (*CASE_TABLES, *INSPECTION_TABLES):
        assert rows_of(ws, table, b.iid, b.case_ids) == 0, table
    # What stays: the inspection, the panel's record, the ratings and the table as exported.
    assert [i["id"] for i in ws.inspections()] == [b.iid]
    assert read_panel_decisions(ws, b.iid) == decisions
    assert write_csv(ws, b.iid, tmp_path / "after.csv").read_bytes() == before_csv
    assert ratings_json(ws, b.iid) == before_ratings
    # The export after the archive is audited too (exports are tracked); the archive before it.
    last = next(e for e in reversed(ws.history()) if e.action != "file_exported")
    assert (last.action, last.item) == ("archive_inspection", b.iid)
    assert REASON in (last.new or "")


def test_combine_and_compare_work_from_an_archive(ws: Workspace, tmp_path: Path) -> None:
    old = published(ws, seed=5, title="Demo Shire 2025")
    new = published(ws, seed=6, title="Demo Shire 2026")
    live = consolidate(ws, new.iid)
    archive_inspection(ws, old.iid, confirm="Demo Shire 2025", override=REASON)
    old_csv = write_csv(ws, old.iid, tmp_path / "old.csv")
    old_json = tmp_path / "old.json"
    old_json.write_text(json.dumps(ratings_json(ws, old.iid)))
    new_csv = write_csv(ws, new.iid, tmp_path / "new.csv")

    table = combine([old_csv, new_csv])
    assert {iid for _f, iid in table.sources} == {old.iid, new.iid}
    kept = read_counts(old_csv).totals()
    assert kept and all(n[0] + n[1] > 0 for n in kept.values())
    rows = compare(live, old_csv)
    assert {r.kq_id for r in rows if r.previous_n} == set(kept)
    assert [r.change for r in compare(live, old_json)] == [r.change for r in rows]
    # The archived inspection is itself compared from its kept ratings.
    back = compare_inspection(ws, old.iid, new_csv)
    assert all(r.current_n == kept[r.kq_id][0] + kept[r.kq_id][1] for r in back)


def test_an_archived_inspection_is_not_consolidated_again(ws: Workspace, tmp_path: Path) -> None:
    b = published(ws)
    archive_inspection(ws, b.iid, confirm=TITLE, override=REASON)
    for attempt in (lambda: consolidate(ws, b.iid),
                    lambda: write_workbook(ws, b.iid, tmp_path / "w.xlsx")):
        with pytest.raises(ConsolidationError) as e:
            attempt()
        assert "archived" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(RetentionError, match="only a purge is left"):
        archive_inspection(ws, b.iid, confirm=TITLE, override=REASON)
    assert not (tmp_path / "w.xlsx").exists()


def _counts(ws: Workspace) -> dict[str, int]:
    conn = connection(ws)
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("cases", "items", "audit", "archives", "inspections")}


@pytest.mark.parametrize(("confirm", "override", "words"), [
    ("Demo Shire", REASON, "type the inspection's name exactly"),
    (TITLE, "", "not signed off"),
    (TITLE, "paper QA", "override with your reason in words"),
    (TITLE, "QA was done\non paper", "the reason for the override"),
])
def test_a_refused_archive_is_one_line_and_changes_nothing(
        ws: Workspace, confirm: str, override: str, words: str) -> None:
    b = published(ws, n=20)
    before = _counts(ws)
    with pytest.raises(RetentionError) as e:
        archive_inspection(ws, b.iid, confirm=confirm, override=override)
    assert words in str(e.value) and "\n" not in str(e.value)
    assert _counts(ws) == before


def test_an_unpublished_inspection_is_not_archived_even_with_an_override(ws: Workspace) -> None:
    b = add_inspection(ws, "nps-2019-20", generated_cases(load_framework("nps-2019-20"),
                                                          random.Random(2), 20), title=TITLE)
    before = _counts(ws)
    with pytest.raises(RetentionError, match="not published: the ratings panel has not "
                                             "decided"):
        archive_inspection(ws, b.iid, confirm=TITLE, override=REASON)
    assert _counts(ws) == before


def test_a_ready_inspection_needs_no_override(ws: Workspace) -> None:
    """Every case signed off and none in conflict: the archive goes ahead on the name alone."""
    fw = load_framework("dipp-2025")  # unrated: published once its cases are done
    cases = [c for c in generated_cases(fw, random.Random(4), 30) if c.status == "complete"]
    b = add_inspection(ws, "dipp-2025", cases, title=TITLE)
    with ws.transaction():  # the QA partner's sign-offs, as their bundles would bring them
        connection(ws).executemany(
            "INSERT INTO signoffs (case_id, revision, signed_by, signed_at)"
            " VALUES (?, 1, 'Quinn Avery', '2026-11-26T12:00:00')", [(c,) for c in b.case_ids])
    assert consolidate(ws, b.iid).signed_off > 0
    done = archive_inspection(ws, b.iid, confirm=f"  {TITLE.upper()} ")
    assert done.override == "" and done.cases == len(cases)


def test_purge_removes_the_inspection_entirely(ws: Workspace) -> None:
    keep = published(ws, n=10, seed=9, title="Kept inspection")
    gone = published(ws, n=30, title=TITLE)
    archive_inspection(ws, gone.iid, confirm=TITLE, override=REASON)
    with pytest.raises(RetentionError, match="type the inspection's name"):
        purge_inspection(ws, gone.iid, confirm="Kept inspection")
    done = purge_inspection(ws, gone.iid, confirm=TITLE)
    assert done.cases == 30
    assert [i["id"] for i in ws.inspections()] == [keep.iid]
    conn = connection(ws)
    for table in ("archives", "panel_decisions", "lead_ratings", "members", "panel_sittings"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE inspection_id = ?",
                            (gone.iid,)).fetchone()[0] == 0, table
    assert consolidate(ws, keep.iid).cases > 0  # the other inspection is untouched
    assert ws.history()[-1].action == "purge_inspection"
    with pytest.raises(UserError):
        purge_inspection(ws, gone.iid, confirm=TITLE)


def test_only_the_lead_archives(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "a", "assessor passphrase, invented",
                          owner_name="Ola Brent", role="assessor")
    try:
        b = add_inspection(ws, "dipp-2025", [], title=TITLE)
        with pytest.raises(RetentionError, match="only the inspection's lead"):
            archive_inspection(ws, b.iid, confirm=TITLE)
        assert len(ws.inspections()) == 1
    finally:
        ws.close()


def test_the_published_record_no_longer_changes(ws: Workspace) -> None:
    b = published(ws, n=10)
    archive_inspection(ws, b.iid, confirm=TITLE, override=REASON)
    kept = read_panel_decisions(ws, b.iid)
    for change in (
            lambda: set_lead_rating(ws, b.iid, "1.1", "outstanding", evidence="Changed later."),
            lambda: record_panel_decision(ws, b.iid, "2.1", decision="confirm"),
            lambda: add_recommendation(ws, b.iid, "A recommendation added later."),
            lambda: record_panel_sitting(ws, b.iid, sat_on="2027-01-05", chair="Dana Whitlock",
                                         members=["Lena Ashgrove"], note_taker="Sam Ellery")):
        with pytest.raises(ConsolidationError, match="was archived on"):
            change()
    assert read_panel_decisions(ws, b.iid) == kept
