"""An archive keeps the lead's findings, the register and the narratives (the published record)
but removes the stored copies of the organisation's documents; a purge removes them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmip_desktop.findings.items import FindingsError
from hmip_desktop.findings.service import (
    add_document,
    add_finding,
    documents,
    findings,
    narratives,
    set_narrative,
)
from hmip_desktop.retention.service import archive_inspection, purge_inspection
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from tests.consolidation.builders import lead_workspace
from tests.retention.test_archive import REASON, TITLE, published


def _count(ws: Workspace, table: str, iid: str) -> int:
    return int(connection(ws).execute(f"SELECT count(*) FROM {table} WHERE inspection_id = ?",
                                      (iid,)).fetchone()[0])


def test_archive_keeps_findings_and_removes_stored_copies_purge_removes_all(
        tmp_path: Path) -> None:
    ws = lead_workspace(tmp_path / "lead")
    try:
        b = published(ws, n=12)
        copy = tmp_path / "plan.pdf"
        copy.write_bytes(b"%PDF invented plan")
        n = add_document(ws, b.iid, title="Business plan", dated="2026-08-01", items=["1.1.1"],
                         store=copy)
        add_finding(ws, b.iid, "1.1.1", "strength", "A clear plan.", documents=[n])
        set_narrative(ws, b.iid, "1.1.1", "Our plan, in brief.")

        archive_inspection(ws, b.iid, confirm=TITLE, override=REASON)
        assert _count(ws, "evidence_copies", b.iid) == 0
        assert [d.title for d in documents(ws, b.iid)] == ["Business plan"]
        assert [f.text for f in findings(ws, b.iid)] == ["A clear plan."]
        assert "1.1.1" in narratives(ws, b.iid)
        with pytest.raises(FindingsError, match="archived"):
            add_finding(ws, b.iid, "1.1.2", "strength", "Too late.")

        purge_inspection(ws, b.iid, confirm=TITLE)
        for table in ("findings", "evidence_documents", "evidence_copies",
                      "evidence_narratives"):
            assert _count(ws, table, b.iid) == 0, table
    finally:
        ws.close()
