"""The ratings panel's sitting: the date it sat and who sat on it (000_ §7.2).

The panel is normally chaired by the director of operations, with the lead inspector and the
head of the inspection programme, who records its decision. The lead records the sitting once
and may amend it; each amendment is one transaction with its audit row (``panel_sitting``,
``item`` ``inspection:<id>/panel-sitting:<n>``, ``old`` and ``new`` the sitting as JSON). The
panel's decisions name the sitting they were taken at, and none is recorded before it.
Names are free text held to the single-line rule of ``text_rules``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date

from hmip_desktop.consolidation.records import (
    ConsolidationError,
    PanelSitting,
    audit_item,
    check_inspection,
    read_panel_sitting,
    refuse_archived,
    require_lead,
)
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.text_rules import check_text

__all__ = ["MAX_NAME", "PanelSitting", "panel_sitting", "record_panel_sitting", "sitting_json"]

MAX_NAME = 200
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ConsolidationError(_("the {what} must be text").format(what=what))
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ConsolidationError(_("the {what} is not valid text (it holds bytes that are not "
                                   "UTF-8)").format(what=what)) from None
    if not value:
        raise ConsolidationError(_("the {what} must not be empty").format(what=what))
    if len(value) > MAX_NAME:
        raise ConsolidationError(_("the {what} is longer than {n} characters").format(
            what=what, n=MAX_NAME))
    return check_text(value, _("the {what}").format(what=what), error=ConsolidationError)


def _date(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ConsolidationError(_("{value!r} is not a date: give it as YYYY-MM-DD, e.g. "
                                   "2026-12-03").format(value=value)) from None


def sitting_json(s: PanelSitting) -> dict[str, object]:
    """The sitting as ``panel --json`` and the audit rows give it."""
    return {"number": s.number, "date": s.sat_on, "chair": s.chair, "members": list(s.members),
            "note_taker": s.note_taker, "recorded_by": s.recorded_by,
            "recorded_at": s.recorded_at}


def _audit_json(sat_on: str, chair: str, members: Sequence[str], note_taker: str) -> str:
    return json.dumps({"date": sat_on, "chair": chair, "members": list(members),
                       "note_taker": note_taker}, ensure_ascii=False)


def record_panel_sitting(ws: Workspace, inspection_id: str, *, sat_on: str, chair: str,
                         members: Sequence[str], note_taker: str) -> PanelSitting:
    """Record the panel's sitting, or amend the one recorded; returns it as stored.

    ``members`` are those who sat besides the chair and the note-taker (at least one: the
    lead inspector presents the ratings); a name given twice is refused.
    """
    require_lead(ws, _("record the ratings panel's sitting"))
    check_inspection(ws, inspection_id)
    refuse_archived(ws, inspection_id)
    sat_on = _date(sat_on)
    chair = _name(chair, _("chair"))
    note_taker = _name(note_taker, _("note-taker"))
    if isinstance(members, str):
        raise ConsolidationError(_("the members must be a list of names"))
    names = [_name(m, _("member's name")) for m in members]
    if not names:
        raise ConsolidationError(_("name at least one member of the panel besides the chair "
                                   "and the note-taker"))
    seen: set[str] = set()
    for n in names:
        if n.casefold() in seen:
            raise ConsolidationError(_("{name} is named twice among the members").format(
                name=n))
        seen.add(n.casefold())
    new = _audit_json(sat_on, chair, names, note_taker)
    with ws.transaction():
        old = read_panel_sitting(ws, inspection_id)
        number = 1 if old is None else old.number
        old_json = None if old is None else _audit_json(
            old.sat_on, old.chair, old.members, old.note_taker)
        if old is not None and old_json == new:
            return old
        at = now()
        connection(ws).execute(
            "INSERT INTO panel_sittings (inspection_id, number, sat_on, chair, members,"
            " note_taker, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?)"
            " ON CONFLICT (inspection_id, number) DO UPDATE SET sat_on = excluded.sat_on,"
            " chair = excluded.chair, members = excluded.members,"
            " note_taker = excluded.note_taker, recorded_by = excluded.recorded_by,"
            " recorded_at = excluded.recorded_at",
            (inspection_id, number, sat_on, chair, json.dumps(names, ensure_ascii=False),
             note_taker, ws.owner_name, at))
        ws.record(None, "panel_sitting", audit_item(inspection_id, f"panel-sitting:{number}"),
                  old_json, new)
    return PanelSitting(number, sat_on, chair, tuple(names), note_taker, ws.owner_name, at)


def panel_sitting(ws: Workspace, inspection_id: str) -> PanelSitting | None:
    """The inspection's panel sitting, or None before it is recorded."""
    check_inspection(ws, inspection_id)
    return read_panel_sitting(ws, inspection_id)
