"""Run the QA checks over a workspace: every case, or one inspection's, or one case.

Reading is batched: the case list (``Workspace.list_cases``), every item of the inspection in
one query and every alert in one query, rather than ``read_assessment`` once per case (about
twice as slow: 50 ms against 110 ms for 150 cases, benchmarks/bench_qa.py). Open queries come
from the ``queries`` table (``qa/queries.py``) unless the caller passes a case id → count
mapping; a case signed off at its current revision is checked as ``signed_off``, so
``complete_with_open_queries`` also finds a query raised after the sign-off. Which open
queries were raised before the case was last changed (``queries_raised_before``) tells that
finding apart from one that only waits for the assessor's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from hmip_desktop.i18n import _
from hmip_desktop.member_labels import member_labels
from hmip_desktop.qa.checks import AlertState, CaseForQa, Finding, run_checks
from hmip_desktop.qa.queries import open_query_counts
from hmip_desktop.qa.signoff import signoff_of
from hmip_desktop.store.reads import case_items, case_members
from hmip_desktop.store.records import Alert, Assessment, CaseSummary
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace


def _alert_state(a: Alert) -> AlertState:
    return AlertState(id=a.id, raised_at=a.raised_at, acknowledged=a.acknowledged_at is not None)


def assessment_input(a: Assessment, open_queries: int = 0) -> CaseForQa:
    """The checks' input for one case read with ``Workspace.read_assessment``."""
    return CaseForQa(
        framework=a.framework, case_id=a.case.id, case_ref=a.case.case_ref, facts=a.case.facts,
        items=a.items, status=a.status, alerts=tuple(_alert_state(x) for x in a.alerts),
        open_queries=open_queries,
    )


def queries_raised_before(ws: Workspace, case_id: str | None = None) -> dict[str, int]:
    """Case id → open queries raised before the case was last changed (marked complete).

    A complete case's last change is its completion (any later answer sets it back to in
    progress); in a QA partner's workspace it is when the completed form was imported. An
    open query older than that was open when the assessor completed the case; a newer one was
    raised on the completed case and waits for their answer.
    """
    sql = ("SELECT q.case_id, count(*) FROM queries q JOIN assessments a ON a.case_id ="
           " q.case_id WHERE q.closed_at IS NULL AND a.updated_at IS NOT NULL"
           " AND q.raised_at < a.updated_at")
    params: tuple[Any, ...] = ()
    if case_id is not None:
        sql += " AND q.case_id = ?"
        params = (case_id,)
    return {str(cid): int(n) for cid, n in connection(ws).execute(
            sql + " GROUP BY q.case_id", params)}


def case_findings(ws: Workspace, case_id: str, open_queries: int | None = None,
                  ) -> list[Finding]:
    """The findings for one case (by id or reference), e.g. for the form's QA panel.

    ``open_queries`` defaults to the case's open queries in the workspace.
    """
    a = ws.read_assessment(case_id)
    if open_queries is None:
        open_queries = open_query_counts(ws).get(a.case.id, 0)
    case = replace(assessment_input(a, open_queries),
                   open_queries_before=queries_raised_before(ws, a.case.id).get(a.case.id, 0))
    if signoff_of(ws, a.case.id) is not None:
        case = replace(case, status="signed_off")
    return run_checks(case)


def workspace_inputs(ws: Workspace, inspection_id: str | None = None,
                     open_queries: Mapping[str, int] | None = None,
                     ) -> list[tuple[CaseSummary, CaseForQa]]:
    """Each case's row of the case list with the checks' input for it, in case-list order."""
    summaries = ws.list_cases(inspection_id, on_demand=True)  # the checks need no percent
    items = case_items(ws, inspection_id)
    before = queries_raised_before(ws)
    alerts: dict[str, list[AlertState]] = {}
    for a in ws.alerts():
        alerts.setdefault(a.case_id, []).append(_alert_state(a))
    return [
        (s, CaseForQa(
            framework=ws.framework(s.case.framework_hash), case_id=s.case.id,
            case_ref=s.case.case_ref, facts=s.case.facts, items=items.get(s.case.id, {}),
            status="signed_off" if s.signed_off else s.status,
            alerts=tuple(alerts.get(s.case.id, ())),
            open_queries=s.open_queries if open_queries is None
            else open_queries.get(s.case.id, 0),
            open_queries_before=before.get(s.case.id, 0),
        ))
        for s in summaries
    ]


def workspace_findings(ws: Workspace, inspection_id: str | None = None, *,
                       open_queries: Mapping[str, int] | None = None) -> list[Finding]:
    """Every finding for every case (of one inspection when given), in case-list order."""
    return [f for _s, case in workspace_inputs(ws, inspection_id, open_queries)
            for f in run_checks(case)]


def unallocated() -> str:
    return _("Not allocated")


def assessors(ws: Workspace, inspection_id: str | None = None) -> dict[str, tuple[str, str]]:
    """Case id → (member id, label) of the member it is assigned to.

    The member id tells people apart; the label is the name, with the start of the member id
    where two members share a name (``member_labels``).
    """
    rows = case_members(ws, inspection_id)
    labels = member_labels((mid, name) for _cid, mid, name in rows)
    return {cid: (mid, labels[mid]) for cid, mid, _name in rows}


def findings_by_assessor(ws: Workspace, inspection_id: str | None = None, *,
                         open_queries: Mapping[str, int] | None = None,
                         ) -> dict[str, list[Finding]]:
    """The QA partner's view: assessor → their cases' findings, in order of name.

    Grouped by member id, so two assessors of the same name stay apart; the keys are their
    labels (``assessors``). Cases not allocated to anyone come last under ``unallocated()``.
    An assessor whose cases have no finding is listed with an empty list, so "nothing to
    raise" is visible too.
    """
    who = assessors(ws, inspection_id)
    groups: dict[str, list[Finding]] = {}
    labels: dict[str, str] = {}
    for s, case in workspace_inputs(ws, inspection_id, open_queries):
        mid, label = who.get(s.case.id, ("", ""))
        labels[mid] = label
        groups.setdefault(mid, []).extend(run_checks(case))
    out = {labels[mid]: groups[mid]
           for mid in sorted(groups, key=lambda m: (labels[m].casefold(), m)) if mid}
    if "" in groups:
        out[unallocated()] = groups[""]
    return out
