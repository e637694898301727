"""How a module that owns tables reaches the workspace's database.

Only ``store/`` and the domain modules that own a table run SQL (docs/architecture.md); they
take the connection through ``connection`` rather than an attribute of ``Workspace``, so a
search for this one name finds every place SQL can run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace


def connection(ws: Workspace) -> Any:
    """The open SQLCipher connection of ``ws``, for a module that owns a table."""
    return ws._conn


def dict_rows(ws: Workspace, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """The rows of one query as dicts keyed by column name, for a module that owns a table."""
    cur = ws._conn.execute(sql, tuple(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


_STORE = "hmip_desktop.store"  # the package: any module of store/
_CONSOLIDATION = ("hmip_desktop.consolidation.counting", "hmip_desktop.consolidation.dashboard",
                  "hmip_desktop.consolidation.drilldown")
_BUNDLE_IMPORT = ("hmip_desktop.exchange.assessments", "hmip_desktop.exchange.conflicts")
_PACKS = ("hmip_desktop.exchange.packs", "hmip_desktop.exchange.pack_reassign")
_QA = ("hmip_desktop.qa.queries", "hmip_desktop.exchange.qa")

# Who may run SQL on each table of the schema (store/schema.py), checked by
# tests/test_architecture.py. An entry naming a package covers its modules. The store owns the
# case data; the exchange applies what bundles and packs carry; consolidation reads the team's
# cases to count them and owns the panel's tables; QA owns its queries and sign-offs. Any other
# module reads through the service (Workspace) or store/reads.py.
TABLE_OWNERS: dict[str, tuple[str, ...]] = {
    "meta": (_STORE,),
    "identity": (_STORE,),
    "counters": (_STORE,),
    "audit_new": (_STORE,),  # only while migrating to schema version 2
    "frameworks": (_STORE, "hmip_desktop.exchange.packs", "hmip_desktop.exchange.pack_editions"),
    "inspections": (_STORE, "hmip_desktop.exchange.packs", "hmip_desktop.exchange.contacts",
                    "hmip_desktop.exchange.pack_editions"),
    "members": (_STORE, *_CONSOLIDATION, *_BUNDLE_IMPORT,
                "hmip_desktop.exchange.contacts", "hmip_desktop.exchange.packs",
                "hmip_desktop.qa.queries", "hmip_desktop.setup.reassign",
                "hmip_desktop.double.records", "hmip_desktop.training.selection"),
    "cases": (_STORE, *_CONSOLIDATION, *_BUNDLE_IMPORT, *_PACKS, "hmip_desktop.exchange.qa",
              "hmip_desktop.laptop_return.release",
              "hmip_desktop.qa.queries", "hmip_desktop.setup.apply",
              "hmip_desktop.setup.reassign", "hmip_desktop.team.alerts",
              "hmip_desktop.team.alert_tracking", "hmip_desktop.exchange.alert_bundles",
              "hmip_desktop.team.review", "hmip_desktop.training.events",
              "hmip_desktop.exchange.training_packs", "hmip_desktop.double.records"),
    "assignments": (_STORE, "hmip_desktop.consolidation.dashboard",
                    "hmip_desktop.consolidation.drilldown", *_BUNDLE_IMPORT, *_PACKS, *_QA,
                    "hmip_desktop.setup.apply", "hmip_desktop.setup.reassign"),
    "assessments": (_STORE, "hmip_desktop.consolidation.counting",
                    "hmip_desktop.consolidation.dashboard",
                    "hmip_desktop.consolidation.drilldown", *_BUNDLE_IMPORT, *_PACKS,
                    "hmip_desktop.qa.service", "hmip_desktop.qa.signoff",
                    "hmip_desktop.double.records"),
    "items": (_STORE, *_BUNDLE_IMPORT),
    "alerts": (_STORE, "hmip_desktop.consolidation.dashboard", *_BUNDLE_IMPORT,
               "hmip_desktop.qa.queries", "hmip_desktop.team.alerts",
               "hmip_desktop.team.alert_tracking", "hmip_desktop.exchange.alert_bundles"),
    "alert_actions": (_STORE, "hmip_desktop.consolidation.dashboard"),
    "audit": (_STORE, *_BUNDLE_IMPORT, "hmip_desktop.exchange.pack_resolved",
              "hmip_desktop.setup.reassign"),
    "case_sources": (_STORE, "hmip_desktop.consolidation.counting",
                     "hmip_desktop.consolidation.dashboard", *_BUNDLE_IMPORT),
    "received_audit": (_STORE, *_BUNDLE_IMPORT, "hmip_desktop.exchange.pack_resolved"),
    "receipts": (_STORE, "hmip_desktop.exchange.assessments"),
    "conflict_notices": (_STORE, "hmip_desktop.exchange.assessments",
                         "hmip_desktop.exchange.pack_resolved"),
    "conflicts": (_STORE, "hmip_desktop.exchange.conflicts", "hmip_desktop.exchange.pack_resolved",
                  "hmip_desktop.consolidation.dashboard"),
    "contacts": (_STORE, "hmip_desktop.exchange.contacts", "hmip_desktop.consolidation.dashboard"),
    "bundle_log": (_STORE, "hmip_desktop.exchange.common", "hmip_desktop.consolidation.dashboard"),
    "queries": (_STORE, *_QA, "hmip_desktop.qa.service", "hmip_desktop.consolidation.dashboard"),
    "query_replies": (_STORE, "hmip_desktop.qa.queries", "hmip_desktop.exchange.qa"),
    "signoffs": (_STORE, "hmip_desktop.qa.signoff", "hmip_desktop.exchange.qa",
                 "hmip_desktop.consolidation.counting", "hmip_desktop.consolidation.dashboard",
                 "hmip_desktop.consolidation.drilldown"),
    "lead_ratings": (_STORE, "hmip_desktop.consolidation.records",
                     "hmip_desktop.consolidation.panel"),
    "recommendations": (_STORE, "hmip_desktop.consolidation.records",
                        "hmip_desktop.consolidation.panel"),
    "panel_decisions": (_STORE, "hmip_desktop.consolidation.records",
                        "hmip_desktop.consolidation.panel"),
    "panel_sittings": (_STORE, "hmip_desktop.consolidation.records",
                       "hmip_desktop.consolidation.panel_sitting"),
    "longlists": (_STORE, "hmip_desktop.sampling.records"),
    "longlist_rows": (_STORE,),  # schema versions 7 and 8: moved to longlist_parts in 9
    "longlist_parts": (_STORE, "hmip_desktop.sampling.records"),
    "exclusion_decisions": (_STORE, "hmip_desktop.sampling.records"),
    "draws": (_STORE, "hmip_desktop.sampling.records"),
    "returned_facts": (_STORE, "hmip_desktop.sampling.records"),
    "exclusion_decisions_new": (_STORE,),  # only while migrating to schema version 9
    "returned_facts_new": (_STORE,),  # only while migrating to schema version 9
    "reserve_swaps": (_STORE, "hmip_desktop.sampling.records"),
    "member_roles": (_STORE, "hmip_desktop.team.roles"),
    "debriefs": (_STORE, "hmip_desktop.debrief", "hmip_desktop.exchange.debrief_bundles"),
    "organisational_alerts": (_STORE, "hmip_desktop.team.alerts",
                              "hmip_desktop.team.alert_tracking"),
    "alert_steps": (_STORE, "hmip_desktop.team.alert_tracking",
                    "hmip_desktop.consolidation.dashboard"),
    "received_alerts": (_STORE, "hmip_desktop.exchange.alert_bundles",
                        "hmip_desktop.team.alert_tracking", "hmip_desktop.consolidation.dashboard"),
    "review_given": (_STORE, "hmip_desktop.team.review"),
    "review_cases": (_STORE, "hmip_desktop.team.review"),
    "review_comments": (_STORE, "hmip_desktop.team.review"),
    "alert_state_steps": (_STORE, "hmip_desktop.team.alert_tracking"),
    # Retention at the lead (store/retention.py).
    "archives": (_STORE,),
    "retention_removals": (_STORE,),  # only inside an archive's or a purge's transaction
    "exports": (_STORE, "hmip_desktop.laptop_return.exports"),
    "releases": (_STORE, "hmip_desktop.laptop_return.release"),
    "wipe_certificates": (_STORE, "hmip_desktop.laptop_return.certificates"),
    "recovery_escrow_sent": (_STORE, "hmip_desktop.exchange.escrow"),
    "recovery_escrow": (_STORE, "hmip_desktop.exchange.escrow",
                        "hmip_desktop.exchange.recovery_files"),
    # The lead's findings and the evidence in advance (store/findings.py).
    "findings": (_STORE,),
    "evidence_documents": (_STORE,),
    "evidence_copies": (_STORE,),
    "evidence_narratives": (_STORE,),
    # A training event's benchmark and its trainees' answers, at the lead (training/events.py).
    "training_benchmarks": (_STORE, "hmip_desktop.training.events"),
    "training_answers": (_STORE, "hmip_desktop.training.events"),
    # Double assessment during fieldwork (double/records.py); the second member's own export
    # leaves their second assessments out of the bundle for the lead and QA partner.
    "double_assessments": (_STORE, "hmip_desktop.double.records",
                           "hmip_desktop.exchange.assessments"),
    "double_answers": (_STORE, "hmip_desktop.double.records"),
    # The lead's selection of trainees, read by allocation (training/selection.py).
    "training_selections": (_STORE, "hmip_desktop.training.selection"),
    # The assessor's practice cases, apart from every inspection (practice/cases.py).
    "practice_cases": (_STORE, "hmip_desktop.practice.cases"),
}
