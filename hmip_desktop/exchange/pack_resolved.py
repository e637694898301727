"""What a pack carries about conflicts the lead resolved, written and read strictly.

``resolved.json``, in the pack of a case's owner (and their QA partner's): for each of their
cases whose conflict the lead resolved and for which nothing newer has reached the lead since,
the resolved version (items, status, revision, alerts) and the version of the owner's that the
lead received (``base_revision``, ``base_hash``). The receiving workspace takes the resolved
version only while its copy is still exactly that base: the owner's later work is never
overwritten. Taking it writes an ``adopt`` audit row whose ``new`` is the resolution's answer
hash (``resolution_hash``), so the owner's next bundle shows the lead that it continues the
resolution (``conflicts.classify``) and is applied, not found in conflict again.

The entry is left out when empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hmip_desktop.exchange.assessments import case_content, content_hash, store_content
from hmip_desktop.exchange.common import canonical_hash
from hmip_desktop.exchange.pack_reassign import MAX, check_received
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now

RESOLVED = "resolved.json"
ENTRIES = (Entry(RESOLVED, optional=True),)
_CONTENT_FIELDS = ("case_id", "revision", "status", "items", "alerts")
_FIELDS = {*_CONTENT_FIELDS, "base_revision", "base_hash"}
_HEX = frozenset("0123456789abcdef")


def resolution_hash(content: Mapping[str, Any]) -> str:
    """The answers of a version: its case, revision, status and items (not its alerts).

    Alerts are left out because acknowledging one at the lead changes no answer and does not
    travel back as a change: the lead and the owner hold the same resolution whatever their
    alerts say.
    """
    return canonical_hash({k: content[k] for k in ("case_id", "revision", "status", "items")})


def pack_entry(ws: Workspace, pack_cases: list[str], skip: set[str]) -> list[dict[str, Any]]:
    """The resolved versions for one member's pack (``skip``: cases ``received.json`` carries).

    A case's latest conflict must be resolved and nothing applied for the case since the
    resolution (no ``import`` row after its ``resolve`` row).
    """
    out = []
    for cid in pack_cases:
        if cid in skip:
            continue
        row = connection(ws).execute(
            "SELECT resolved_revision, received_revision, received_hash FROM conflicts"
            " WHERE case_id = ? ORDER BY id DESC LIMIT 1", (cid,)).fetchone()
        if row is None or row[0] is None:
            continue
        marks = connection(ws).execute(
            "SELECT max(CASE WHEN action = 'resolve' THEN seq END),"
            " max(CASE WHEN action = 'import' THEN seq END) FROM audit WHERE case_id = ?",
            (cid,)).fetchone()
        content = case_content(ws, cid)
        if marks[0] is None or (marks[1] is not None and marks[1] > marks[0]) \
                or content["revision"] != row[0]:
            continue
        out.append({**content, "base_revision": row[1], "base_hash": row[2]})
    return out


def check_resolved(fw: Framework, value: Any, refs: dict[str, str]) -> list[dict[str, Any]]:
    """The resolved versions the pack carries, each of a case it lists, checked as a bundle's."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX:
        raise PayloadError(_("the pack's resolved cases are not valid"))
    for c in value:
        if not isinstance(c, dict) or set(c) != _FIELDS or c["case_id"] not in refs:
            raise PayloadError(_("the pack's resolved cases are not valid"))
        base, digest = c["base_revision"], c["base_hash"]
        if not isinstance(base, int) or isinstance(base, bool) or not isinstance(digest, str) \
                or len(digest) != 64 or not set(digest) <= _HEX \
                or not isinstance(c["revision"], int) or not 0 < base < c["revision"]:
            raise PayloadError(_("case {ref} in the pack is not valid").format(
                ref=refs[c["case_id"]]))
    check_received(fw, [{k: c[k] for k in _CONTENT_FIELDS} for c in value], refs)
    return list(value)


def apply(ws: Workspace, resolved: list[dict[str, Any]], lead_key_id: bytes,
          refs: dict[str, str]) -> list[str]:
    """Take each resolved version whose base is the copy held; call inside ``ws.transaction()``.

    Returns the lines for the import report.
    """
    lines = []
    at = now()
    for c in resolved:
        cid, ref, digest = c["case_id"], refs[c["case_id"]], resolution_hash(c)
        if _adopted(ws, cid, c["revision"], digest):
            continue  # taken already (here, or by the owner whose chain this workspace holds)
        held = case_content(ws, cid)
        if held["revision"] != c["base_revision"] or content_hash(held) != c["base_hash"]:
            lines.append(_(
                "{ref}: the lead's resolution of the conflict could not be applied because the "
                "case changed here since the version the lead received; the lead will choose "
                "again when your next bundle arrives").format(ref=ref))
            continue
        store_content(ws, c, by=lead_key_id, at=at, lead_acknowledgements=False)
        connection(ws).execute("DELETE FROM conflict_notices WHERE case_id = ?", (cid,))
        ws.record(cid, "adopt", "case", str(held["revision"]), digest, c["revision"])
        lines.append(_("{ref}: the lead's resolution of the conflict is now your copy").format(
            ref=ref))
    return lines


def _adopted(ws: Workspace, case_id: str, revision: int, digest: str) -> bool:
    return connection(ws).execute(
        "SELECT 1 FROM audit WHERE case_id = ? AND action = 'adopt' AND revision = ?"
        " AND new = ? UNION ALL SELECT 1 FROM received_audit WHERE case_id = ?"
        " AND action = 'adopt' AND revision = ? AND new = ? LIMIT 1",
        (case_id, revision, digest, case_id, revision, digest)).fetchone() is not None


def chain_adopts(ws: Workspace, case_id: str, revision: int,
                 audit: list[Mapping[str, Any]]) -> bool:
    """True if a received chain took the version held here, resolved as ``revision``."""
    held = case_content(ws, case_id)
    if held["revision"] != revision:
        return False
    digest = resolution_hash(held)
    return any(e["action"] == "adopt" and e["revision"] == revision and e["new"] == digest
               for e in audit)
