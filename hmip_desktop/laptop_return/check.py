"""Ready to return: everything standing between this laptop and courier collection.

``return_check`` lists, for the cases this workspace's owner holds:

- cases not delivered at their latest revision (no receipt from the lead for it), apart from
  those the lead has released (``laptop_return.release``), which are listed on their own;
- alerts the lead has not acknowledged;
- queries not answered (open, with no reply from the owner);
- exports written but not confirmed, or confirmed as removed while still on disk.

It is green only when none of these is left. Exports confirmed as handed over but still on
disk are listed too; they do not block, and "Prepare for return" removes them. The check only
reads; the same function serves ``hmip-desktop return-check`` and the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hmip_desktop.exchange.assessments import delivered_cases
from hmip_desktop.exchange.contacts import own_member_ids
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import Export, list_exports
from hmip_desktop.laptop_return.release import released_cases
from hmip_desktop.qa.queries import list_queries
from hmip_desktop.store.reads import case_members
from hmip_desktop.store.workspace import Workspace


@dataclass
class ReturnCheck:
    """What is left before the laptop can go back; ``green`` when nothing is."""

    cases: int = 0  # the owner's cases on this laptop
    undelivered: list[str] = field(default_factory=list)  # case references
    released: list[str] = field(default_factory=list)
    unacknowledged_alerts: list[tuple[str, int]] = field(default_factory=list)  # ref, alerts
    unanswered_queries: list[tuple[str, int]] = field(default_factory=list)  # ref, queries
    exports: list[Export] = field(default_factory=list)  # outstanding
    exports_to_remove: list[Export] = field(default_factory=list)  # handed over, on disk

    @property
    def green(self) -> bool:
        return not (self.undelivered or self.unacknowledged_alerts or self.unanswered_queries
                    or self.exports)

    def blocking_summary(self) -> str:
        """One line naming what is left (empty when green)."""
        parts = []
        if self.undelivered:
            parts.append(_("{n} cases not delivered to the lead").format(
                n=len(self.undelivered)))
        if self.unacknowledged_alerts:
            parts.append(_("{n} alerts not acknowledged").format(
                n=sum(n for _r, n in self.unacknowledged_alerts)))
        if self.unanswered_queries:
            parts.append(_("{n} queries not answered").format(
                n=sum(n for _r, n in self.unanswered_queries)))
        if self.exports:
            parts.append(_("{n} exported files not confirmed as removed or handed over")
                         .format(n=len(self.exports)))
        return "; ".join(parts)

    def lines(self) -> list[str]:
        """The check in words for the assessor, one section per kind of thing left."""
        out = [_("Ready to return: yes, nothing is left on this laptop to deal with")
               if self.green else _("Ready to return: not yet")]
        if self.undelivered:
            out.append(_("Cases not yet delivered to the lead (send them and import the "
                         "lead's receipt):"))
            out += [f"  {ref}" for ref in self.undelivered]
        if self.released:
            out.append(_("Cases the lead has released (no longer needed from this laptop):"))
            out += [f"  {ref}" for ref in self.released]
        if self.unacknowledged_alerts:
            out.append(_("Alerts the lead has not yet acknowledged:"))
            out += [f"  {ref}: {n}" for ref, n in self.unacknowledged_alerts]
        if self.unanswered_queries:
            out.append(_("Queries not yet answered:"))
            out += [f"  {ref}: {n}" for ref, n in self.unanswered_queries]
        if self.exports:
            out.append(_("Files written by the app, not confirmed as removed or handed over:"))
            out += [f"  {e.number}. {e.path} ({e.what_words}, {e.state_words})"
                    for e in self.exports]
        if self.exports_to_remove:
            out.append(_("Files handed over but still on disk (Prepare for return removes "
                         "them):"))
            out += [f"  {e.number}. {e.path}" for e in self.exports_to_remove]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "green": self.green,
            "cases": self.cases,
            "undelivered": self.undelivered,
            "released": self.released,
            "unacknowledged_alerts": [{"case": r, "alerts": n}
                                      for r, n in self.unacknowledged_alerts],
            "unanswered_queries": [{"case": r, "queries": n} for r, n in self.unanswered_queries],
            "exports": [e.as_dict() for e in self.exports],
            "exports_to_remove": [e.as_dict() for e in self.exports_to_remove],
        }


def my_case_ids(ws: Workspace) -> set[str]:
    """The cases allocated to this workspace's owner, in every inspection it holds."""
    mine = own_member_ids(ws)
    return {cid for cid, member_id, _n in case_members(ws) if member_id in mine}


def return_check(ws: Workspace) -> ReturnCheck:
    """Everything left between this laptop and collection (only reads)."""
    mine = my_case_ids(ws)
    summaries = [s for s in ws.list_cases(on_demand=True) if s.case.id in mine]
    delivered = delivered_cases(ws)
    released = released_cases(ws)
    check = ReturnCheck(cases=len(summaries))
    for s in summaries:
        ref = s.case.case_ref
        if s.case.id not in delivered:
            (check.released if s.case.id in released else check.undelivered).append(ref)
        raised = s.alert_states.count("raised")
        if raised:
            check.unacknowledged_alerts.append((ref, raised))
    refs = {s.case.id: s.case.case_ref for s in summaries}
    waiting: dict[str, int] = {}
    for q in list_queries(ws, open_only=True):
        if q.case_id in refs and not any(r.author == ws.owner_name for r in q.replies):
            waiting[refs[q.case_id]] = waiting.get(refs[q.case_id], 0) + 1
    check.unanswered_queries = sorted(waiting.items())
    for e in list_exports(ws):
        if e.outstanding:
            check.exports.append(e)
        elif e.on_disk:
            check.exports_to_remove.append(e)
    return check
