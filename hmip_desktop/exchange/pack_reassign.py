"""What a pack carries about reassigned cases (setup/reassign.py), written and read strictly.

- ``reassignments.json``, in the old owner's pack (and their QA partner's): a notice per case
  reassigned away from them: the case, the new owner, the date and the reason. Their copy
  becomes the new owner's, so their workspace shows it read-only.
- ``received.json``, in the new owner's pack (and their QA partner's): the content the lead
  holds of each case reassigned to them (items, status, revision, alerts), so the new owner
  continues from everything received so far. It is applied only where the workspace holds
  an older revision; nothing newer is ever overwritten.

Both entries are left out when empty.
"""

from __future__ import annotations

import json
from typing import Any

from hmip_desktop.exchange.assessments import (
    case_content,
    store_content,
    stored_as_sent,
    valid_alert,
)
from hmip_desktop.exchange.incoming_text import check_assessed_case
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.setup.reassign import Reassignment, reassignments
from hmip_desktop.store.records import ASSESSOR_STATUSES
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.text_rules import check_text

NOTICES = "reassignments.json"
RECEIVED = "received.json"
ENTRIES = (Entry(NOTICES, optional=True), Entry(RECEIVED, optional=True))
_NOTICE_FIELDS = {"case_id", "case_ref", "to_member_id", "to_name", "reason", "at"}
_CONTENT_FIELDS = {"case_id", "revision", "status", "items", "alerts"}
MAX = 2000


def latest(ws: Workspace, inspection_id: str) -> dict[str, Reassignment]:
    """Each reassigned case's latest reassignment, by case id."""
    return {r.case_id: r for r in reassignments(ws, inspection_id)}


def pack_entries(ws: Workspace, inspection_id: str, case_members: set[str],
                 pack_cases: list[str]) -> tuple[list[tuple[str, Any]], set[str]]:
    """The entries for one member's pack, and the new owners its notices name.

    ``case_members``: the members whose cases the pack carries (the member, and for a QA
    inspector the assessors they support); ``pack_cases``: the ids of those cases.
    """
    last = latest(ws, inspection_id)
    notices = [{"case_id": r.case_id, "case_ref": r.case_ref, "to_member_id": r.to_member_id,
                "to_name": r.to_name, "reason": r.reason, "at": r.at}
               for r in last.values()
               if r.from_member_id in case_members and r.to_member_id not in case_members]
    received = []
    for cid in pack_cases:
        r = last.get(cid)
        if r is not None and r.to_member_id in case_members:
            content = case_content(ws, cid)
            if content["revision"] > 0:
                received.append(content)
    entries: list[tuple[str, Any]] = []
    if notices:
        entries.append((NOTICES, notices))
    if received:
        entries.append((RECEIVED, received))
    return entries, {n["to_member_id"] for n in notices}


def check_notices(ws: Workspace, inspection_id: str, value: Any,
                  member_ids: set[str]) -> list[dict[str, Any]]:
    """The pack's notices, each about a case held here and naming a member of the pack."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX:
        raise PayloadError(_("the pack's reassignment notices are not valid"))
    out = []
    for n in value:
        if not isinstance(n, dict) or set(n) != _NOTICE_FIELDS or not all(
                isinstance(n[k], str) for k in _NOTICE_FIELDS) \
                or n["to_member_id"] not in member_ids:
            raise PayloadError(_("the pack's reassignment notices are not valid"))
        for k in _NOTICE_FIELDS:
            check_text(n[k], _("a reassignment notice in the pack"), error=PayloadError)
        if connection(ws).execute("SELECT 1 FROM cases WHERE id = ? AND inspection_id = ?",
                                  (n["case_id"], inspection_id)).fetchone() is not None:
            out.append(n)  # a case never held here needs no notice
    return out


def check_received(fw: Framework, value: Any, refs: dict[str, str]) -> list[dict[str, Any]]:
    """The content the pack carries, each of a case the pack lists, checked as a bundle's."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX:
        raise PayloadError(_("the pack's received cases are not valid"))
    out = []
    for c in value:
        if not isinstance(c, dict) or set(c) != _CONTENT_FIELDS or c["case_id"] not in refs:
            raise PayloadError(_("the pack's received cases are not valid"))
        ref = refs[c["case_id"]]
        bad = PayloadError(_("case {ref} in the pack is not valid").format(ref=ref))
        rev = c["revision"]
        if not isinstance(rev, int) or isinstance(rev, bool) or not 0 < rev < 2**53 \
                or c["status"] not in ASSESSOR_STATUSES or not isinstance(c["items"], dict) \
                or not isinstance(c["alerts"], list):
            raise bad
        check_assessed_case(fw, c, ref)
        if not all(stored_as_sent(fw, item, v) for item, v in c["items"].items()) \
                or not all(valid_alert(a, c["case_id"]) for a in c["alerts"]):
            raise bad
        out.append(c)
    return out


def apply(ws: Workspace, notices: list[dict[str, Any]], received: list[dict[str, Any]],
          lead_key_id: bytes, refs: dict[str, str]) -> list[str]:
    """Write the notices and the newer received content; call inside ``ws.transaction()``.

    Returns the lines for the import report.
    """
    lines = []
    for n in notices:
        row = connection(ws).execute("SELECT member_id FROM assignments WHERE case_id = ?",
                                     (n["case_id"],)).fetchone()
        old = row[0] if row else None
        if old == n["to_member_id"]:
            continue
        connection(ws).execute(
            "INSERT INTO assignments (case_id, member_id) VALUES (?, ?)"
            " ON CONFLICT (case_id) DO UPDATE SET member_id = excluded.member_id",
            (n["case_id"], n["to_member_id"]))
        ws.record(n["case_id"], "reassigned", "assignment", old, json.dumps(
            {"to": n["to_member_id"], "to_name": n["to_name"], "reason": n["reason"],
             "at": n["at"]}, ensure_ascii=False, sort_keys=True))
        lines.append(_("{ref} was reassigned to {name} on {date}: your copy is now read-only")
                     .format(ref=n["case_ref"], name=n["to_name"], date=n["at"][:10]))
    at = now()
    for c in received:
        held = connection(ws).execute("SELECT revision FROM assessments WHERE case_id = ?",
                                      (c["case_id"],)).fetchone()[0]
        if c["revision"] <= held:
            continue
        cid = c["case_id"]
        store_content(ws, c, by=lead_key_id, at=at, lead_acknowledgements=True)
        # The case's own history here reaches the revision received, so the bundle this
        # workspace later exports carries a chain up to its revision.
        ws.record(cid, "received", "case", str(held), str(c["revision"]), c["revision"])
        lines.append(_("{ref}: the work received so far is now yours to continue").format(
            ref=refs[cid]))
    return lines
