"""Shared set-up for the store tests: a workspace with one NPS inspection and its cases."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import DB_NAME, Workspace

PASSPHRASE = "a store test passphrase, with its own apostrophe's"
OWNER = "Ann Inspector"
SUPERVISION = {"sample": "supervision", "gender": "female", "sentence_type": "community",
               "rosh": "high"}


@cache
def nps_bytes() -> bytes:
    return resource("frameworks", "nps-2019-20.json").read_bytes()


def new_workspace(folder: Path, *, cases: int = 1) -> tuple[Workspace, str, list[str]]:
    """Create a workspace holding one NPS inspection with ``cases`` supervision cases."""
    ws = Workspace.create(folder, PASSPHRASE, owner_name=OWNER, role="assessor")
    iid = ws.create_inspection(title="Test inspection", organisation="Test PDU",
                               framework_bytes=nps_bytes())
    cids = [ws.add_case(iid, case_ref=f"CASE-{n:03d}", facts=SUPERVISION) for n in range(cases)]
    return ws, iid, cids


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under the folder, by relative path."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def db_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of the database file and its -wal file (when there is one)."""
    return {k: v for k, v in digests(folder).items() if k in (DB_NAME, DB_NAME + "-wal")}


def audit_count(ws: Workspace) -> int:
    return int(ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def assert_one_line(error: BaseException) -> None:
    message = str(error)
    assert message.strip(), "empty message"
    assert "\n" not in message and "\r" not in message, message
