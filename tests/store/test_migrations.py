"""Schema migrations: every workspace ever written opens, and ends at the same schema.

tests/fixtures/workspaces/schema-v<N>/ holds a keyed workspace written at schema version N (see
the README there). Opening a copy must migrate it to LATEST, keep every answer, and leave a
database that SQLite and SQLCipher both find sound.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from hmip_desktop.practice.cases import list_practice
from hmip_desktop.qa.queries import list_queries
from hmip_desktop.sampling import records, stored_list
from hmip_desktop.store import schema
from hmip_desktop.store.connection import sql_string
from hmip_desktop.store.key_file import sql_key_for
from hmip_desktop.store.schema import APPLICATION_ID, LATEST, MIGRATIONS, migrate
from hmip_desktop.store.workspace import DB_NAME, Workspace
from tests.store.helpers import PASSPHRASE, digests, new_workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces"


def _version(folder: Path) -> int:
    match = re.fullmatch(r"schema-v(\d+)", folder.name)
    assert match, folder
    return int(match.group(1))


FIXTURE_FOLDERS = sorted((p for p in FIXTURES.glob("schema-v*") if p.is_dir()), key=_version)


def _schema(conn: Any) -> list[tuple[str, str, str, str]]:
    return sorted(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_every_schema_version_has_a_fixture() -> None:
    assert {_version(f) for f in FIXTURE_FOLDERS} >= set(range(1, LATEST + 1))


@pytest.mark.parametrize("fixture", FIXTURE_FOLDERS, ids=lambda p: p.name)
def test_a_workspace_from_each_version_opens_at_the_latest_schema(tmp_path: Path,
                                                                  fixture: Path) -> None:
    expected = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    assert expected["schema_version"] == _version(fixture)
    original = digests(fixture)
    folder = tmp_path / fixture.name
    shutil.copytree(fixture, folder)
    fresh, _iid, _cids = new_workspace(tmp_path / "fresh")
    fresh.close()

    for _ in range(2):  # the second opening finds nothing left to do
        with Workspace.open(folder, expected["passphrase"]) as ws:
            conn = ws._conn
            assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
            assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            assert ws.owner_name == expected["owner_name"]
            for ref, case in expected["cases"].items():
                a = ws.read_assessment(ref)
                assert a.case.id == case["id"]
                assert dict(a.items) == case["items"], ref
                assert a.status == case["status"]
                assert a.revision >= case["revision"]
                assert len(a.alerts) == case["alerts"]
                assert sum(al.acknowledged_at is None for al in a.alerts) == case["open_alerts"]
                assert ws.verify_history(case["id"])
            assert len(ws.history()) >= expected["audit_rows"]
            assert [{"id": q.id, "case_id": q.case_id, "item": q.item, "text": q.text,
                     "is_open": q.is_open, "replies": [r.text for r in q.replies]}
                    for q in list_queries(ws)] == expected.get("queries", [])
            iid = ws.inspections()[0]["id"]
            assert {kind: [r.case_ref for r in records.longlist_rows(ws, iid, kind)]
                    for kind in records.longlist_kinds(ws, iid)} == expected.get("longlists", {})
            assert {p.case_ref: p.items for p in list_practice(ws)} == expected.get("practice",
                                                                                     {})
            with Workspace.open(tmp_path / "fresh", PASSPHRASE) as new:
                assert _schema(conn) == _schema(new._conn)  # old and new end up the same
    assert digests(fixture) == original  # the committed fixture itself is never written


def test_a_new_workspace_runs_the_same_chain(tmp_path: Path) -> None:
    ws, _iid, _cids = new_workspace(tmp_path / "ws")
    with ws:
        conn = ws._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert migrate(conn) == LATEST  # nothing left to do
        chain = sqlite3.connect(":memory:")  # every step, in order, on an empty database
        for step in MIGRATIONS:
            for statement in schema._statements(step):
                chain.execute(statement)
        assert _schema(conn) == _schema(chain)
        assert {r[1] for r in _schema(conn) if r[0] == "trigger"} == {
            "audit_no_update", "audit_no_delete",
            "received_audit_no_update", "received_audit_no_delete",
            "assessments_status_insert", "assessments_status_update"}


def test_a_failing_step_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ws"
    ws, _iid, (cid,) = new_workspace(folder)
    ws.save_item(cid, "2.1.1.a", "yes")
    ws.close()
    broken = "CREATE TABLE added_by_the_step (x TEXT);\nINSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(schema, "LATEST", LATEST + 1)
    with pytest.raises(sqlcipher3.OperationalError, match="no_such_table"):
        Workspace.open(folder, PASSPHRASE)  # a bug in a step keeps its traceback

    conn = sqlcipher3.connect(str(folder / DB_NAME))
    conn.execute(f"PRAGMA key = {sql_key_for(folder, PASSPHRASE)}")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'added_by_the_step'").fetchone()[0] == 0
    conn.close()
    monkeypatch.undo()
    with Workspace.open(folder, PASSPHRASE) as ws:
        assert ws.read_assessment(cid).items == {"2.1.1.a": "yes"}


def test_a_version_1_workspace_gains_its_keys_on_first_opening(tmp_path: Path) -> None:
    fixture = FIXTURES / "schema-v1"
    expected = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    folder = tmp_path / "v1"
    shutil.copytree(fixture, folder)
    with Workspace.open(folder, expected["passphrase"]) as ws:
        first = ws.identity.public
        assert len(first.sign_public) == 32 and len(first.kem_public) == 32
    with Workspace.open(folder, expected["passphrase"]) as ws:
        assert ws.identity.public == first  # created once, then kept


def _raw(folder: Path, passphrase: str) -> Any:
    conn = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = {sql_string(passphrase)}")
    return conn


def test_a_derived_status_stored_before_version_4_is_put_back_and_never_stored_again(
        tmp_path: Path) -> None:
    # Version 3 let an imported bundle store "signed_off" or "queried" as a case's status.
    fixture = FIXTURES / "schema-v3"
    expected = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    folder = tmp_path / "v3"
    shutil.copytree(fixture, folder)
    first, second = (case["id"] for case in expected["cases"].values())
    conn = _raw(folder, expected["passphrase"])
    conn.execute("UPDATE assessments SET status = 'queried' WHERE case_id = ?", (first,))
    conn.execute("UPDATE assessments SET status = 'signed_off' WHERE case_id = ?", (second,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()

    with Workspace.open(folder, expected["passphrase"]) as ws:
        summaries = {s.case.id: s for s in ws.list_cases()}
        assert summaries[first].status == summaries[second].status == "in_progress"
        # Shown from the QA partner's records alone: the first case has a query open, the
        # second no sign-off.
        assert summaries[first].display_status == "queried"
        assert summaries[second].display_status == "in_progress"
        for status in ("signed_off", "queried"):
            with pytest.raises(sqlcipher3.IntegrityError, match="derived, never stored"):
                ws._conn.execute("UPDATE assessments SET status = ? WHERE case_id = ?",
                                (status, first))


def test_a_panel_decision_recorded_before_version_5_stays_readable(tmp_path: Path) -> None:
    # Version 4 kept the panel's decisions without the sitting they were taken at.
    from hmip_desktop.consolidation.panel import panel_decisions  # noqa: PLC0415

    fixture = FIXTURES / "schema-v4"
    expected = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    folder = tmp_path / "v4"
    shutil.copytree(fixture, folder)
    conn = _raw(folder, expected["passphrase"])
    (iid,) = conn.execute("SELECT id FROM inspections").fetchone()
    conn.execute(
        "INSERT INTO panel_decisions (inspection_id, standard_id, decision, provisional_rating,"
        " rating, adjustment, flags, reason, decided_by, decided_at) VALUES"
        " (?, '2.3', 'vary', 'requires_improvement', 'good', 0, '[\"within_5_points\"]',"
        " 'Close to the boundary.', 'Fixture Inspector', '2026-12-03T10:00:00+00:00')", (iid,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()

    with Workspace.open(folder, expected["passphrase"]) as ws:
        d = panel_decisions(ws, iid)["2.3"]
        assert (d.decision, d.rating, d.flags, d.reason, d.sitting) == (
            "vary", "good", ("within_5_points",), "Close to the boundary.", None)
        assert ws._conn.execute("SELECT count(*) FROM panel_sittings").fetchone()[0] == 0


@pytest.mark.parametrize("version", [7, 8])
def test_a_long_list_stored_one_row_per_case_reads_back_whole(tmp_path: Path,
                                                              version: int) -> None:
    """Schema version 9 stores each long list in parts: an earlier list keeps every case in
    the file's order with its cells, flags, stratum, PDU and practitioner, and the lead's
    decision and the draw built on it still count."""
    folder = tmp_path / f"v{version}"
    shutil.copytree(FIXTURES / f"schema-v{version}", folder)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    with Workspace.open(folder, expected["passphrase"]) as ws:
        iid = ws.inspections()[0]["id"]
        rows = records.longlist_rows(ws, iid, "primary")
        assert [r.case_ref for r in rows] == [f"LL-{n:03}" for n in range(1, 7)]
        assert [r.row_number for r in rows] == list(range(2, 8))
        assert rows[1].cells == ("LL-002", "Person 2", "post_custody", "2024-09-02")
        assert [r.stratum for r in rows[:2]] == [("male",), ("female",)]
        assert [r.flags for r in rows][2:4] == [
            ({"rule": "sfo_review", "words": "Fixture flag.", "firm": True},), ()]
        # a few cases looked up, in the order asked for
        assert [r.cells[1] for r in records.longlist_rows(ws, iid, "primary",
                                                          ["LL-005", "LL-404", "LL-001"])
                ] == ["Person 5", "Person 1"]
        population = stored_list.stored_population(ws, iid, "primary")
        assert [(c.case_id, c.pdu, c.practitioner) for c in population.candidates][:2] == [
            ("LL-001", "Fixture PDU", "Practitioner 1"),
            ("LL-002", "Fixture PDU", "Practitioner 2")]
        assert "LL-003" not in {c.case_id for c in population.candidates}  # confirmed out
        assert population.excluded == {"Fixture flag.": 1}
        assert records.decisions(ws, iid, "primary")[("LL-003", "sfo_review")].confirmed
        draw = records.stored_draw(ws, iid, "primary", "provisional")
        assert draw is not None and draw.result == {"provisional": ["LL-001", "LL-004",
                                                                    "LL-006"]}
