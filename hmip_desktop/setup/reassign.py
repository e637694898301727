"""Reassignment: the lead gives a case to another member (or to themself), with a reason.

A case has one owner at a time, the member it is allocated to, and only the owner's workspace
changes it (``Workspace.ownership``). Reassigning is the lead's explicit act (an assessor is
ill or de-selected, a conflict of interest, 000_ §3.10). It is kept as an audit row of the case
(action ``reassign``; ``old`` the previous member id, ``new`` a JSON object with the new
member, the reason and the time), so it is append-only and chained like every other change;
packs carry it to the new owner and, as a notice, to the old one (``exchange/pack_reassign``).

A reassignment is also how the lead overrides a conflict check the allocation made
(``setup/allocation``: own office, the same or a similar name): if the new owner hits one, the
reassignment goes ahead and its reason is the override's, kept in an ``override_conflict``
audit row of the case (``item`` the member, ``old`` the check's reason, ``new`` the lead's).
``conflict_reasons`` tells the lead before they confirm.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.conflicts import conflicted_cases
from hmip_desktop.i18n import _
from hmip_desktop.setup.allocation import Case, Member, conflicts_of
from hmip_desktop.setup.languages import language_refusal
from hmip_desktop.store.reads import inspection_held, lead_key_id
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import REASSIGN_ACTIONS, Workspace, now
from hmip_desktop.text_rules import check_text


class ReassignError(UserError):
    """A reassignment the lead may not make; nothing was written."""


@dataclass(frozen=True)
class Reassignment:
    case_id: str
    case_ref: str
    from_member_id: str | None
    to_member_id: str
    to_name: str
    reason: str
    at: str
    conflicts: tuple[str, ...] = ()  # the conflict checks the lead overrode, in words

    def to_json(self) -> str:
        return json.dumps({"to": self.to_member_id, "to_name": self.to_name,
                           "reason": self.reason, "at": self.at}, ensure_ascii=False,
                          sort_keys=True)


def reassign(ws: Workspace, inspection_id: str, case_ref_or_id: str, to_member_id: str,
             reason: str) -> Reassignment:
    """Give the case to ``to_member_id``; refused, with nothing written, unless all is in order.

    Only the inspection's lead may do it; the member must be enrolled (hold a member card) in
    the same inspection as the case; a reason is required.
    """
    if not inspection_held(ws, inspection_id):
        raise ReassignError(_("no inspection {id!r} in this workspace").format(id=inspection_id))
    if ws.owner_role != "lead" or lead_key_id(ws, inspection_id) != ws.identity.public.key_id:
        raise ReassignError(_("only the inspection's lead can reassign a case"))
    case = ws.find_case(case_ref_or_id)
    if case.inspection_id != inspection_id:
        raise ReassignError(_(
            "refused: case {ref} belongs to another inspection, not this one").format(
                ref=case.case_ref))
    member = connection(ws).execute(
        "SELECT name, key_id FROM members WHERE id = ? AND inspection_id = ?",
        (to_member_id, inspection_id)).fetchone()
    if member is None or member[1] is None:
        raise ReassignError(_(
            "refused: that member is not enrolled in this inspection (no member card held)"))
    refused = language_refusal(ws, case.id, to_member_id)
    if refused:
        raise ReassignError(refused)
    reason = reason.strip()
    if not reason:
        raise ReassignError(_("a reassignment needs a reason (it is kept in the case's "
                              "history)"))
    check_text(reason, _("the reason"), multiline=False, error=ReassignError)
    row = connection(ws).execute("SELECT member_id FROM assignments WHERE case_id = ?",
                                 (case.id,)).fetchone()
    old = row[0] if row else None
    if old == to_member_id:
        raise ReassignError(_("case {ref} is already {name}'s").format(
            ref=case.case_ref, name=member[0]))
    if case.id in conflicted_cases(ws):
        raise ReassignError(_(
            "case {ref} is in conflict: resolve the conflict before reassigning it").format(
                ref=case.case_ref))
    hits = tuple(conflict_reasons(ws, inspection_id, case.id, to_member_id))
    done = Reassignment(case.id, case.case_ref, old, to_member_id, str(member[0]), reason, now(),
                        hits)
    with ws.transaction():
        if hits:
            ws.record(case.id, "override_conflict", to_member_id, "; ".join(hits), reason)
        connection(ws).execute(
            "INSERT INTO assignments (case_id, member_id) VALUES (?, ?)"
            " ON CONFLICT (case_id) DO UPDATE SET member_id = excluded.member_id",
            (case.id, to_member_id))
        ws.record(case.id, "reassign", "assignment", old, done.to_json())
    return done


def conflict_reasons(ws: Workspace, inspection_id: str, case_ref_or_id: str,
                     member_id: str) -> list[str]:
    """Why the allocation would keep the member off the case, in words; empty if nothing would.

    The checks are the own office and the same or a similar name.
    """
    case = ws.find_case(case_ref_or_id)
    m = next((m for m in ws.members(inspection_id) if m["id"] == member_id), None)
    if m is None:
        return []
    return [v.reason for v in conflicts_of(
        Member(m["id"], m["name"], m["role"], m["office"] or ""),
        Case(case.case_ref, case.office, case.practitioner, person_name=case.person_name))]


def reassignments(ws: Workspace, inspection_id: str) -> list[Reassignment]:
    """Every reassignment the lead made in the inspection, oldest first."""
    rows = connection(ws).execute(
        "SELECT a.case_id, c.case_ref, a.old, a.new FROM audit a JOIN cases c ON c.id = a.case_id"
        " WHERE c.inspection_id = ? AND a.action = 'reassign' ORDER BY a.seq",
        (inspection_id,)).fetchall()
    return [r for r in (_parse(*row) for row in rows) if r is not None]


def last_reassignment(ws: Workspace, case_id: str) -> Reassignment | None:
    """The case's latest reassignment, made here or received as a notice in a pack."""
    row = connection(ws).execute(
        "SELECT a.case_id, c.case_ref, a.old, a.new FROM audit a JOIN cases c ON c.id = a.case_id"
        " WHERE a.case_id = ? AND a.action IN (?, ?)"
        " ORDER BY a.seq DESC LIMIT 1", (case_id, *REASSIGN_ACTIONS)).fetchone()
    return None if row is None else _parse(*row)


def _parse(case_id: str, case_ref: str, old: str | None, new: str | None) -> Reassignment | None:
    try:
        value: Any = json.loads(new or "")
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) for k in ("to", "to_name", "reason", "at")):
        return None
    return Reassignment(case_id, case_ref, old, value["to"], value["to_name"], value["reason"],
                        value["at"])
