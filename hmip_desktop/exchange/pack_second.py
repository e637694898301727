"""A pack's second assessments: cases its member assesses independently of their assessor.

The lead's pack for a second assessor carries each double-assessed case as one of theirs in
``cases.json`` (its facts only: never the allocated assessor's answers, their history or any
edition move of their copy), and lists those cases in the optional entry ``second.json``
(``[{"case_id", "reason"}]``). The member's workspace marks them as second assessments, so
their ordinary assessment bundle leaves them out and they travel to the lead alone
(``second_bundles``).
"""

from __future__ import annotations

import json
from typing import Any

from hmip_desktop.double.records import REASONS, mark_held_as_second, second_cases_for
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace

SECOND = "second.json"
ENTRIES = (Entry(SECOND, optional=True),)
_FIELDS = ("id", "case_ref", "person_name", "pdu", "team", "office", "practitioner",
           "prison", "report_type")


def pack_cases(ws: Workspace, inspection_id: str,
               member_id: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The member's second assessments, as ``cases.json`` carries them, and ``second.json``.

    Each case is assigned to the member, with its facts only.
    """
    rows = second_cases_for(ws, inspection_id, member_id)
    cases = [{**{k: c[k] for k in _FIELDS}, "facts": json.loads(c["facts"]),
              "language": c["language"],
              "assignment": {"member_id": member_id, "interview_at": None,
                             "interview_minutes": None}} for c in rows]
    return cases, [{"case_id": c["id"], "reason": c["reason"]} for c in rows]


def check_entry(value: Any, refs: dict[str, str], me: str,
                assigned: dict[str, str]) -> list[dict[str, str]]:
    """The entry's cases: each one of the pack's, assigned to the recipient, with a reason."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(
            isinstance(x, dict) and x.get("case_id") in refs and x.get("reason") in REASONS
            and assigned.get(x["case_id"]) == me for x in value):
        raise PayloadError(_("the pack's second assessments are not valid"))
    return value


def apply(ws: Workspace, seconds: list[dict[str, str]], me: str, lead: str,
          refs: dict[str, str]) -> list[str]:
    """Mark the cases as second assessments (inside the pack's transaction)."""
    for x in seconds:
        mark_held_as_second(ws, x["case_id"], me, x["reason"], lead)
    if not seconds:
        return []
    return [_("second assessment, independent of the case's assessor: {refs}").format(
        refs=", ".join(refs[x["case_id"]] for x in seconds))]
