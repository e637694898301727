"""The SQL of retention at the lead: the retention date, the archive record, and what goes.

``retention/service.py`` decides whether an archive or a purge may go ahead; this module
removes the rows, in one transaction with the audit row that records it, and compacts the
file afterwards. docs/data-model.md "### archives" lists what an archive keeps and what goes.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection, dict_rows

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace

DEFAULT_MONTHS = 12
"""The default retention period: months after the last day of fieldwork (docs/security.md)."""


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole months, kept within the month (31 January + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_day(text: str) -> date | None:
    """A YYYY-MM-DD date, or None if ``text`` is not one."""
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def default_retain_until(fieldwork_end: str | None, created_at: str) -> str:
    """The default retention date (YYYY-MM-DD) of an inspection."""
    start = parse_day(fieldwork_end) if fieldwork_end else None
    if start is None:
        start = date.fromisoformat(created_at[:10])
    return add_months(start, DEFAULT_MONTHS).isoformat()


_CASES = "SELECT id FROM cases WHERE inspection_id = :iid"
_ALERTS = f"SELECT id FROM alerts WHERE case_id IN ({_CASES})"
_ORG_ALERTS = "SELECT id FROM organisational_alerts WHERE inspection_id = :iid"
_RECEIVED_ALERTS = "SELECT id FROM received_alerts WHERE inspection_id = :iid"
_LONGLISTS = ("longlist_parts", "exclusion_decisions", "returned_facts", "reserve_swaps",
              "draws", "longlists")

# What an archive removes, in an order the foreign keys allow: each case's answers, notes,
# interview record, facts and history, its alerts and queries with their text, what bundles
# brought of it, the QA partner's sign-offs, the review copies and comments, the debriefs,
# the case sample's long lists and draws, and the copies of documents sent in advance stored
# in the workspace (their register stays). The inspection, its members, the lead's ratings and
# findings, recommendations, the panel's decisions and sittings, the bundle log and the
# workspace's own audit chain stay, with the figures kept in ``archives``.
ARCHIVE_REMOVES: tuple[tuple[str, str], ...] = (
    ("query_replies", f"query_id IN (SELECT id FROM queries WHERE case_id IN ({_CASES}))"),
    ("queries", f"case_id IN ({_CASES})"),
    ("alert_actions", f"alert_id IN ({_ALERTS})"),
    ("alert_steps", f"alert_id IN ({_ALERTS} UNION {_ORG_ALERTS} UNION {_RECEIVED_ALERTS})"),
    ("alert_state_steps",
     f"alert_id IN ({_ALERTS} UNION {_ORG_ALERTS} UNION {_RECEIVED_ALERTS})"),
    ("alerts", f"case_id IN ({_CASES})"),
    ("organisational_alerts", "inspection_id = :iid"),
    ("received_alerts", "inspection_id = :iid"),
    ("items", f"case_id IN ({_CASES})"),
    ("assessments", f"case_id IN ({_CASES})"),
    ("assignments", f"case_id IN ({_CASES})"),
    ("case_sources", f"case_id IN ({_CASES})"),
    ("received_audit", f"case_id IN ({_CASES})"),
    ("receipts", f"case_id IN ({_CASES})"),
    ("signoffs", f"case_id IN ({_CASES})"),
    ("conflicts", f"case_id IN ({_CASES})"),
    ("conflict_notices", f"case_id IN ({_CASES})"),
    ("review_given", f"case_id IN ({_CASES})"),
    ("review_cases", "inspection_id = :iid"),
    ("review_comments", "inspection_id = :iid"),
    ("debriefs", "inspection_id = :iid"),
    ("audit", f"case_id IN ({_CASES})"),
    *((t, "inspection_id = :iid") for t in _LONGLISTS),
    ("releases", "inspection_id = :iid"),
    ("recovery_escrow", "inspection_id = :iid"),
    ("evidence_copies", "inspection_id = :iid"),
    ("cases", "inspection_id = :iid"),
)

# A purge removes the rest too: everything of the inspection, and the inspection itself.
PURGE_REMOVES: tuple[tuple[str, str], ...] = (
    *ARCHIVE_REMOVES,
    ("archives", "inspection_id = :iid"),
    ("lead_ratings", "inspection_id = :iid"),
    ("findings", "inspection_id = :iid"),
    ("evidence_documents", "inspection_id = :iid"),
    ("evidence_narratives", "inspection_id = :iid"),
    ("recommendations", "inspection_id = :iid"),
    ("panel_decisions", "inspection_id = :iid"),
    ("panel_sittings", "inspection_id = :iid"),
    ("bundle_log", "inspection_id = :iid"),
    ("wipe_certificates", "inspection_id = :iid"),
    ("recovery_escrow_sent", "inspection_id = :iid"),
    ("member_roles", "member_id IN (SELECT id FROM members WHERE inspection_id = :iid)"),
    ("members", "inspection_id = :iid"),
    ("inspections", "id = :iid"),
)


def retention_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Each inspection with its retention date and, once archived, when and by whom."""
    return dict_rows(ws, "SELECT i.id, i.title, i.organisation, i.fieldwork_start,"
                         " i.fieldwork_end, i.created_at, i.retain_until, i.lead_key_id,"
                         " a.archived_at, a.archived_by, a.override, a.cases"
                         " FROM inspections i LEFT JOIN archives a ON a.inspection_id = i.id"
                         " ORDER BY i.created_at")


def write_retain_until(ws: Workspace, inspection_id: str, day: str) -> str | None:
    """Set the retention date, audited; return the date it had (None when it had none)."""
    conn = connection(ws)
    with ws.transaction():
        row = conn.execute("SELECT retain_until FROM inspections WHERE id = ?",
                           (inspection_id,)).fetchone()
        before = None if row is None else row[0]
        if before != day:
            conn.execute("UPDATE inspections SET retain_until = ? WHERE id = ?",
                         (day, inspection_id))
            ws.record(None, "retention_date", inspection_id, before, day)
    return before


def archive_row(ws: Workspace, inspection_id: str) -> dict[str, Any] | None:
    """The archive record of the inspection (figures parsed), or None if it is not archived."""
    rows = dict_rows(ws, "SELECT * FROM archives WHERE inspection_id = ?", (inspection_id,))
    if not rows:
        return None
    row = rows[0]
    row["figures"] = json.loads(row["figures"])
    return row


def open_conflicts(ws: Workspace, inspection_id: str) -> int:
    """How many of the inspection's cases have revisions in conflict not yet resolved."""
    return int(connection(ws).execute(
        "SELECT count(DISTINCT case_id) FROM conflicts WHERE resolved_at IS NULL AND case_id IN"
        " (SELECT id FROM cases WHERE inspection_id = ?)", (inspection_id,)).fetchone()[0])


def remove_case_data(ws: Workspace, inspection_id: str, *, figures: Mapping[str, Any],
                     cases: int, override: str, audit_text: str) -> dict[str, int]:
    """Archive: keep ``figures``, remove the case-level rows; return rows removed by table."""
    conn = connection(ws)
    params = {"iid": inspection_id}
    with ws.transaction():
        conn.execute(
            "INSERT INTO archives (inspection_id, archived_at, archived_by, override, cases,"
            " figures) VALUES (?,?,?,?,?,?)",
            (inspection_id, now(), ws.owner_name, override, cases,
             json.dumps(figures, ensure_ascii=False, sort_keys=True)))
        removed = _remove(conn, ARCHIVE_REMOVES, params)
        ws.record(None, "archive_inspection", inspection_id, None, audit_text)
    return removed


def remove_inspection(ws: Workspace, inspection_id: str, *, audit_text: str) -> dict[str, int]:
    """Purge: remove every row of the inspection; return rows removed by table."""
    conn = connection(ws)
    params = {"iid": inspection_id}
    with ws.transaction():
        conn.execute("UPDATE members SET qa_partner_id = NULL WHERE inspection_id = :iid",
                     params)
        removed = _remove(conn, PURGE_REMOVES, params)
        ws.record(None, "purge_inspection", inspection_id, None, audit_text)
    return removed


def _remove(conn: Any, removes: tuple[tuple[str, str], ...],
            params: Mapping[str, str]) -> dict[str, int]:
    """Run the DELETEs in order; return the rows removed by table.

    The inspection is marked as being removed meanwhile: the audit tables' triggers allow
    deleting its cases' rows only then.
    """
    conn.execute("INSERT INTO retention_removals (inspection_id) VALUES (:iid)", params)
    removed = {table: conn.execute(f"DELETE FROM {table} WHERE {where}", params).rowcount
               for table, where in removes}
    conn.execute("DELETE FROM retention_removals WHERE inspection_id = :iid", params)
    return removed


def compact(ws: Workspace) -> None:
    """Rewrite the file without the removed pages (``secure_delete`` already zeroed them)."""
    conn = connection(ws)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
