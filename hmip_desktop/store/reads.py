"""Typed reads of the store's tables for the modules that do not own them.

A module outside ``store/`` that needs a fact held in a table it does not own (an inspection's
title, its lead's key, a framework's stored bytes) asks here, so the SQL stays with the table's
owner (``store.tables.TABLE_OWNERS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hmip_desktop.store.errors import StoreError
from hmip_desktop.store.tables import dict_rows

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace


def inspection_held(ws: Workspace, inspection_id: str) -> bool:
    """Whether the workspace holds this inspection."""
    return ws._conn.execute("SELECT 1 FROM inspections WHERE id = ?",
                            (inspection_id,)).fetchone() is not None


def inspection_row(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    """The inspection's row by column name (title, organisation, framework, fieldwork dates)."""
    rows = dict_rows(ws, "SELECT * FROM inspections WHERE id = ?", (inspection_id,))
    if not rows:
        raise StoreError(f"no inspection {inspection_id!r} in this workspace")
    return rows[0]


def lead_key_id(ws: Workspace, inspection_id: str) -> bytes | None:
    """The key id of the inspection's lead, or None.

    None before the lead's pack is imported, or when the workspace holds no such inspection.
    """
    row = ws._conn.execute("SELECT lead_key_id FROM inspections WHERE id = ?",
                           (inspection_id,)).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def framework_bytes(ws: Workspace, framework_hash: str) -> bytes:
    """The framework file exactly as stored, to hand on in a pack."""
    row = ws._conn.execute("SELECT content FROM frameworks WHERE hash = ?",
                           (framework_hash,)).fetchone()
    if row is None:
        raise StoreError(f"framework {framework_hash[:12]} is not in this workspace")
    return bytes(row[0])
