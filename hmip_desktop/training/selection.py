"""The lead's selection after a training event: selected, reserve or not selected (000_ §3.10).

"Eight people are selected and trained for each inspection, which provides for relief cover
in the event of local assessor illness. It allows for any individual who feels unable to
proceed with the task following training, or who is deemed to be unsuitable, to be excused
from the fieldwork" (000_ §3.10). The lead records one decision per trainee with developmental
feedback for them. It is kept in the lead's workspace only (``training_selections``): no
bundle, pack or export reads the table (tests/training/test_selection.py scans them).

Allocation (``setup.apply.allocate_evenly``) reads the decisions through ``decision_for``. A
trainee is linked to a member of the real inspection's team by name: the member card a local
assessor enrols with for fieldwork carries the name they trained under, and the laptop (so the
key) is often not the same one. Names are compared with case and spacing ignored. Where the
same person was decided on at more than one training event, the newest decision counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hmip_desktop.i18n import N_, _
from hmip_desktop.store.stamps import now
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import check_text
from hmip_desktop.training.events import TrainingError, check_training

SELECTED, RESERVE, NOT_SELECTED = "selected", "reserve", "not_selected"
DECISIONS = {SELECTED: N_("Selected"), RESERVE: N_("Reserve"),
             NOT_SELECTED: N_("Not selected")}
"""Each decision and its words."""
MAX_FEEDBACK = 5_000


@dataclass(frozen=True)
class Selection:
    """One trainee and the lead's decision on them (``decision`` None: not yet decided)."""

    member_id: str
    name: str
    decision: str | None
    feedback: str
    decided_at: str | None

    @property
    def words(self) -> str:
        return _(DECISIONS[self.decision]) if self.decision else _("Not yet decided")

    def as_dict(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "name": self.name, "decision": self.decision,
                "feedback": self.feedback, "decided_at": self.decided_at}


def same_person(name: str) -> str:
    """A name as the link between a trainee and a member compares it."""
    return " ".join(name.split()).casefold()


def trainees(ws: Workspace, inspection_id: str) -> list[dict[str, Any]]:
    """The event's members apart from its lead, by name."""
    lead = check_training(ws, inspection_id)["lead_key_id"]
    return [m for m in ws.members(inspection_id)
            if lead is None or m["key_id"] is None or bytes(m["key_id"]) != bytes(lead)]


def selections(ws: Workspace, inspection_id: str) -> list[Selection]:
    """Every trainee of the event with the lead's decision, if one is recorded."""
    held = {r["member_id"]: r for r in dict_rows(
        ws, "SELECT * FROM training_selections WHERE inspection_id = ?", [inspection_id])}
    out = []
    for m in trainees(ws, inspection_id):
        r = held.get(m["id"])
        out.append(Selection(m["id"], m["name"], r["decision"] if r else None,
                             r["feedback"] if r else "", r["decided_at"] if r else None))
    return out


def record_selection(ws: Workspace, inspection_id: str, member_id: str, decision: str,
                     feedback: str = "") -> Selection:
    """Record (or change) the lead's decision on one trainee, with feedback; audited.

    Refused with one line and nothing written: not a training event, not its lead, a member
    who is no trainee of it, an unknown decision, unreadable feedback.
    """
    insp = check_training(ws, inspection_id)
    if insp["lead_key_id"] is None or bytes(insp["lead_key_id"]) != ws.identity.public.key_id:
        raise TrainingError(_("only the training event's lead can record who is selected"))
    if decision not in DECISIONS:
        raise TrainingError(_("the decision must be one of: {choices}").format(
            choices=", ".join(DECISIONS)))
    who = next((m for m in trainees(ws, inspection_id) if m["id"] == member_id), None)
    if who is None:
        raise TrainingError(_("{member} is not a trainee of this training event").format(
            member=repr(member_id)))
    text = check_text(feedback.strip(), _("the feedback"), multiline=True, error=TrainingError)
    if len(text) > MAX_FEEDBACK:
        raise TrainingError(_("the feedback is longer than {n} characters").format(
            n=MAX_FEEDBACK))
    before = next(s for s in selections(ws, inspection_id) if s.member_id == member_id)
    at = now()
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO training_selections (inspection_id, member_id, decision, feedback,"
            " decided_by, decided_at) VALUES (?,?,?,?,?,?) ON CONFLICT (inspection_id,"
            " member_id) DO UPDATE SET decision = excluded.decision, feedback ="
            " excluded.feedback, decided_by = excluded.decided_by, decided_at ="
            " excluded.decided_at",
            (inspection_id, member_id, decision, text, ws.owner_name, at))
        ws.record(None, "training_selection", member_id, before.decision,
                  json.dumps({"decision": decision, "feedback": text}, ensure_ascii=False))
    return Selection(member_id, who["name"], decision, text, at)


def decision_for(ws: Workspace) -> dict[str, str]:
    """Each trainee's newest decision over every training event here, by ``same_person``."""
    out: dict[str, str] = {}
    for r in dict_rows(ws, "SELECT m.name, s.decision FROM training_selections s JOIN members m"
                       " ON m.id = s.member_id ORDER BY s.decided_at"):
        out[same_person(r["name"])] = r["decision"]
    return out
