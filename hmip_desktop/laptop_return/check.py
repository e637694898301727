"""Ready to return: everything standing between this laptop and courier collection.

``return_check`` lists, for the cases this workspace's owner holds:

- cases not delivered at their latest revision (no receipt from the lead for it), apart from
  those the lead has released (``laptop_return.release``), which are listed on their own;
- alerts the lead has not acknowledged;
- queries not answered (open, with no reply from the owner);
- exports written but not confirmed, or confirmed as removed while still on disk.

It is green only when none of these is left. Exports confirmed as handed over but still on
disk are listed too; they do not block, and "Prepare for return" removes them. So are practice
cases (``hmip_desktop.practice``): they never leave the laptop, and "Prepare for return" erases
them first, audited, before it removes the workspace. The check only
reads; the same function serves ``hmip-desktop return-check`` and the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hmip_desktop.exchange.assessments import delivered_cases
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import Export, list_exports
from hmip_desktop.laptop_return.release import released_cases
from hmip_desktop.practice.cases import practice_count
from hmip_desktop.qa.queries import list_queries
from hmip_desktop.store.records import CaseSummary
from hmip_desktop.store.workspace import Workspace


def counted(n: int, one: str, many: str) -> str:
    """``one`` for 1, ``many`` (with ``{n}``) for more, nothing for 0."""
    return "" if not n else one if n == 1 else many.format(n=n)


@dataclass
class ReturnCheck:
    """What is left before the laptop can go back; ``green`` when nothing is."""

    cases: int = 0  # the owner's cases on this laptop
    cases_held: int = 0  # every case on this laptop, a QA partner's copies too
    undelivered: list[str] = field(default_factory=list)  # case references
    released: list[str] = field(default_factory=list)
    unacknowledged_alerts: list[tuple[str, int]] = field(default_factory=list)  # ref, alerts
    unanswered_queries: list[tuple[str, int]] = field(default_factory=list)  # ref, queries
    exports: list[Export] = field(default_factory=list)  # outstanding
    exports_to_remove: list[Export] = field(default_factory=list)  # handed over, on disk
    practice: int = 0  # practice cases: never leave the laptop; erased on return

    @property
    def green(self) -> bool:
        return not (self.undelivered or self.unacknowledged_alerts or self.unanswered_queries
                    or self.exports)

    def blocking_summary(self) -> str:
        """One line naming what is left (empty when green)."""
        alerts = sum(n for _r, n in self.unacknowledged_alerts)
        queries = sum(n for _r, n in self.unanswered_queries)
        parts = [
            counted(len(self.undelivered), _("1 case not delivered to the lead"),
                    _("{n} cases not delivered to the lead")),
            counted(alerts, _("1 alert not acknowledged"), _("{n} alerts not acknowledged")),
            counted(queries, _("1 query not answered"), _("{n} queries not answered")),
            counted(len(self.exports),
                    _("1 file written by the app not confirmed as removed or handed over"),
                    _("{n} files written by the app not confirmed as removed or handed over")),
        ]
        return "; ".join(p for p in parts if p)

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
            out += [f"  {ref}: " + counted(n, _("1 alert"), _("{n} alerts"))
                    for ref, n in self.unacknowledged_alerts]
        if self.unanswered_queries:
            out.append(_("Queries not yet answered:"))
            out += [f"  {ref}: " + counted(n, _("1 query"), _("{n} queries"))
                    for ref, n in self.unanswered_queries]
        if self.exports:
            out.append(_("Files written by the app, not confirmed as removed or handed over:"))
            out += [f"  {e.number}. {e.path} ({e.what_words}, {e.state_words})"
                    for e in self.exports]
        if self.exports_to_remove:
            out.append(_("Files handed over but still on disk (Prepare for return removes "
                         "them):"))
            out += [f"  {e.number}. {e.path}" for e in self.exports_to_remove]
        out.append(counted(self.practice,
                           _("Practice data: 1 practice case on this laptop (it never leaves "
                             "the laptop; Prepare for return erases it)"),
                           _("Practice data: {n} practice cases on this laptop (they never "
                             "leave the laptop; Prepare for return erases them)"))
                   or _("Practice data: none on this laptop"))
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
            "practice": self.practice,
        }


def _my_cases(ws: Workspace) -> list[CaseSummary]:
    """The case-list rows of the cases this workspace may change: its owner's own cases.

    A case allocated to the owner, or (in a workspace that is no member of the inspection,
    such as the demo) every case; not a QA partner's copies of their assessors' cases.
    """
    return _mine(ws, ws.list_cases(on_demand=True))


def _mine(ws: Workspace, held: list[CaseSummary]) -> list[CaseSummary]:
    return [s for s in held if ws.ownership(s.case.id).mine]


def my_case_ids(ws: Workspace) -> set[str]:
    """The ids of the owner's own cases on this laptop (see ``_my_cases``)."""
    return {s.case.id for s in _my_cases(ws)}


def return_check(ws: Workspace) -> ReturnCheck:
    """Everything left between this laptop and collection (only reads)."""
    held = ws.list_cases(on_demand=True)
    summaries = _mine(ws, held)
    delivered = delivered_cases(ws)
    released = released_cases(ws)
    check = ReturnCheck(cases=len(summaries), cases_held=len(held), practice=practice_count(ws))
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
