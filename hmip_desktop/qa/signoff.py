"""The QA partner's sign-off of a case, at one revision.

A sign-off says: *this revision of the assessment was checked and is ready.* It is refused
while the case is not marked complete, while a query on it is open, or while a must-fix
finding remains. It is kept as a row (``signoffs``) naming the revision, and counts only while
the case is still at that revision: any later change to the assessor's answers raises the
revision and the sign-off lapses (``signoff_of`` returns None) until the QA partner signs the
new revision off.

``signed_off`` and ``queried`` are therefore derived, never stored as the case's status
(``CaseSummary.display_status``): the stored status is the assessor's (``in_progress``,
``complete``) and travels with their revision, so nothing the QA partner does changes the
revision or content of the assessor's case.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.assessment.items import item_label
from hmip_desktop.i18n import _
from hmip_desktop.qa.checks import AlertState, CaseForQa, run_checks
from hmip_desktop.qa.queries import QueryError, open_query_counts, refuse_own_case, require_qa
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now


class SignOffError(QueryError):
    """A sign-off that is refused; the message names why."""


@dataclass(frozen=True)
class SignOff:
    case_id: str
    revision: int
    signed_by: str
    signed_at: str


def sign_off(ws: Workspace, case_id: str) -> SignOff:
    """Sign the case off at its current revision; refused with the reason in one line."""
    require_qa(ws, _("sign a case off"), SignOffError)
    a = ws.read_assessment(case_id)
    ref = a.case.case_ref
    refuse_own_case(ws, a.case, _("sign off"), SignOffError)
    if a.status != "complete":
        raise SignOffError(_("cannot sign off {ref}: it is not marked complete").format(ref=ref))
    n_open = open_query_counts(ws).get(a.case.id, 0)
    if n_open:
        raise SignOffError(_("cannot sign off {ref}: {n} still open").format(
            ref=ref, n=_("1 query is") if n_open == 1 else _("{n} queries are").format(n=n_open)))
    must = [f for f in run_checks(CaseForQa(
        framework=a.framework, case_id=a.case.id, case_ref=ref, facts=a.case.facts,
        items=a.items, status=a.status,
        alerts=tuple(AlertState(x.id, x.raised_at, x.acknowledged_at is not None)
                     for x in a.alerts))) if f.severity == "must_fix"]
    if must:
        items = ", ".join(dict.fromkeys(item_label(a.framework, f.item) for f in must))
        raise SignOffError(_("cannot sign off {ref}: {n} must-fix finding(s) remain (on {items})")
                           .format(ref=ref, n=len(must), items=items))
    held = signoff_of(ws, a.case.id)
    if held is not None:
        return held
    with ws.transaction():
        revision = connection(ws).execute("SELECT revision FROM assessments WHERE case_id = ?",
                                          (a.case.id,)).fetchone()[0]
        if revision != a.revision:
            raise SignOffError(_("cannot sign off {ref}: it changed while it was being "
                                 "checked; check it again").format(ref=ref))
        previous = connection(ws).execute("SELECT revision FROM signoffs WHERE case_id = ?",
                                          (a.case.id,)).fetchone()
        s = SignOff(a.case.id, revision, ws.owner_name, now())
        connection(ws).execute(
            "INSERT INTO signoffs (case_id, revision, signed_by, signed_at) VALUES (?,?,?,?)"
            " ON CONFLICT (case_id) DO UPDATE SET revision = excluded.revision,"
            " signed_by = excluded.signed_by, signed_at = excluded.signed_at",
            (s.case_id, s.revision, s.signed_by, s.signed_at))
        ws.record(a.case.id, "signoff", "case", None if previous is None else str(previous[0]),
                  str(revision))
    return s


def signoff_of(ws: Workspace, case_id: str) -> SignOff | None:
    """The case's sign-off, or None when there is none for its current revision."""
    cid = ws.find_case(case_id).id
    row = connection(ws).execute(
        "SELECT s.case_id, s.revision, s.signed_by, s.signed_at FROM signoffs s"
        " JOIN assessments a ON a.case_id = s.case_id AND a.revision = s.revision"
        " WHERE s.case_id = ?", (cid,)).fetchone()
    return None if row is None else SignOff(str(row[0]), int(row[1]), str(row[2]), str(row[3]))


def last_signoff(ws: Workspace, case_id: str) -> SignOff | None:
    """The latest sign-off whatever revision it was for (a lapsed one included)."""
    cid = ws.find_case(case_id).id
    row = connection(ws).execute("SELECT case_id, revision, signed_by, signed_at FROM signoffs"
                                 " WHERE case_id = ?", (cid,)).fetchone()
    return None if row is None else SignOff(str(row[0]), int(row[1]), str(row[2]), str(row[3]))
