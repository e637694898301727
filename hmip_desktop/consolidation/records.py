"""The lead's own judgements as stored: lead ratings, recommendations, panel decisions.

Plain records read from the schema-v3 tables and the panel's sitting (version 5), shared by
the tables (which apply them) and the panel modules (which write them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import inspection_held
from hmip_desktop.store.retention import archive_row
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

PROGRESS = ("sufficient", "insufficient", "none")
DECISIONS = ("confirm", "vary")


class ConsolidationError(UserError):
    """A consolidation, panel or export request that cannot be met; nothing was written."""


@dataclass(frozen=True)
class LeadRating:
    standard_id: str
    rating: str
    evidence: str
    characteristics: tuple[str, ...]
    decided_by: str
    decided_at: str


@dataclass(frozen=True)
class Recommendation:
    number: int
    text: str
    progress: str | None
    """``sufficient``, ``insufficient``, ``none``, or None before it is judged (004_)."""
    note: str


@dataclass(frozen=True)
class PanelDecision:
    standard_id: str
    decision: str
    provisional_rating: str | None
    """The rating the case data (or the lead) gave when the panel decided."""
    rating: str
    adjustment: int
    flags: tuple[str, ...]
    reason: str
    decided_by: str
    decided_at: str
    sitting: int | None = None
    """The number of the panel sitting it was taken at; None for a decision recorded before
    sittings were kept (schema version 4 and earlier)."""


@dataclass(frozen=True)
class PanelSitting:
    """One sitting of the ratings panel (000_ §7.2): when, and who sat on it."""

    number: int
    sat_on: str
    """The date it sat, ``YYYY-MM-DD``."""
    chair: str
    members: tuple[str, ...]
    note_taker: str
    recorded_by: str
    recorded_at: str


def audit_item(inspection_id: str, what: str) -> str:
    """The audit ``item`` of an inspection-level judgement, e.g. ``inspection:ID/standard:2.1``."""
    return f"inspection:{inspection_id}/{what}"


def require_lead(ws: Workspace, what: str) -> None:
    """The lead's judgements are recorded in the lead's workspace only."""
    if ws.owner_role != "lead":
        raise ConsolidationError(
            _("only the lead inspector's workspace can {what} (this one is {owner_role!r})").format(
                what=what, owner_role=ws.owner_role))


def check_inspection(ws: Workspace, inspection_id: str) -> None:
    if not inspection_held(ws, inspection_id):
        raise ConsolidationError(_("no inspection {inspection_id!r} in this workspace").format(
                                     inspection_id=inspection_id))


def archived_figures(ws: Workspace, inspection_id: str) -> dict[str, Any] | None:
    """The figures kept when the inspection was archived (retention/figures.py), or None."""
    row = archive_row(ws, inspection_id)
    return None if row is None else dict(row["figures"])


def refuse_archived(ws: Workspace, inspection_id: str) -> None:
    """Refuse, in one line, to count or change an archived inspection.

    Its cases are gone, and its published record is kept as it was archived.
    """
    row = archive_row(ws, inspection_id)
    if row is not None:
        raise ConsolidationError(_(
            "this inspection was archived on {day}: its cases were removed, and only its "
            "published figures are kept, as they were (the key-question CSV and the ratings "
            "JSON)").format(day=str(row["archived_at"])[:10]))


def read_lead_ratings(ws: Workspace, inspection_id: str) -> dict[str, LeadRating]:
    rows = connection(ws).execute(
        "SELECT standard_id, rating, evidence, characteristics, decided_by, decided_at"
        " FROM lead_ratings WHERE inspection_id = ? ORDER BY standard_id", (inspection_id,))
    return {r[0]: LeadRating(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5])
            for r in rows}


def read_recommendations(ws: Workspace, inspection_id: str) -> list[Recommendation]:
    rows = connection(ws).execute(
        "SELECT number, text, progress, note FROM recommendations WHERE inspection_id = ?"
        " ORDER BY number", (inspection_id,))
    return [Recommendation(int(r[0]), r[1], r[2], r[3]) for r in rows]


def read_panel_decisions(ws: Workspace, inspection_id: str) -> dict[str, PanelDecision]:
    rows = connection(ws).execute(
        "SELECT standard_id, decision, provisional_rating, rating, adjustment, flags, reason,"
        " decided_by, decided_at, sitting FROM panel_decisions WHERE inspection_id = ?"
        " ORDER BY standard_id", (inspection_id,))
    return {r[0]: PanelDecision(r[0], r[1], r[2], r[3], int(r[4]), tuple(json.loads(r[5])),
                                r[6], r[7], r[8], None if r[9] is None else int(r[9]))
            for r in rows}


def read_panel_sitting(ws: Workspace, inspection_id: str) -> PanelSitting | None:
    """The inspection's latest panel sitting, or None before one is recorded."""
    r = connection(ws).execute(
        "SELECT number, sat_on, chair, members, note_taker, recorded_by, recorded_at"
        " FROM panel_sittings WHERE inspection_id = ? ORDER BY number DESC LIMIT 1",
        (inspection_id,)).fetchone()
    if r is None:
        return None
    return PanelSitting(int(r[0]), r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6])
