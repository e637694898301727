"""What an archive keeps of an inspection's published figures, worked out before its cases go.

Everything here is a count, a percentage, a rating or a record of where the figures came
from; nothing names a person on probation, a practitioner or a case. The key-question table is
kept exactly as ``export-csv`` writes it and the ratings exactly as the ratings JSON, so an
archived inspection still gives the files ``combine`` and ``compare`` read
(``consolidation/export.py`` serves them from here once the cases are gone).
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.consolidation.count_notes import LEFT_OUT_LABELS
from hmip_desktop.consolidation.drilldown import prompt_counts
from hmip_desktop.consolidation.export import (
    KQ_CSV_COLUMNS,
    drawn_sample_reports,
    kq_rows,
    sample_fairness_rows,
)
from hmip_desktop.consolidation.records import read_panel_sitting
from hmip_desktop.consolidation.tables import Consolidation
from hmip_desktop.rules.ratings_report import ratings_json
from hmip_desktop.store.reads import case_count, case_sources
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import alerts_by_kind_and_state

FIGURES_VERSION = 1


def kept_figures(ws: Workspace, c: Consolidation) -> dict[str, Any]:
    """The figures an archive keeps (JSON-ready), from the inspection's final consolidation."""
    fw = c.framework
    sitting = read_panel_sitting(ws, c.inspection_id)
    prompts = prompt_counts(ws, c)
    return {
        "version": FIGURES_VERSION,
        "framework": {"id": fw.id, "version": fw.version, "hash": fw.hash},
        "kq_csv": {"columns": list(KQ_CSV_COLUMNS),
                   "rows": [[*r, None] for r in kq_rows(ws, c)]},
        "ratings": ratings_json(c.ratings),
        "cases": {"in_sample": case_count(ws, c.inspection_id), "counted": c.cases,
                  "signed_off": c.signed_off,
                  "left_out": {LEFT_OUT_LABELS.get(k, k): n for k, n in c.left_out.items()}},
        "standards": [
            {"standard_id": t.standard_id, "title": t.title, "rated_by": t.rated_by,
             "provisional_rating": t.provisional_rating, "rating": t.rating,
             "cases": t.cases, "signed_off": t.signed_off,
             "decision": None if t.decision is None else t.decision.decision,
             "decision_applied": t.decision_applied}
            for t in c.tables],
        "prompts": [[t.standard_id, r.kq_id, p.prompt_id, p.text, p.yes, p.no, p.na, p.n,
                     p.percent]
                    for t in c.tables for r in t.rows
                    for p in prompts.get(r.kq_id, ())],
        "panel_sitting": None if sitting is None else {
            "sat_on": sitting.sat_on, "chair": sitting.chair,
            "members": list(sitting.members), "note_taker": sitting.note_taker},
        "provenance": _provenance(ws, c.inspection_id),
        "sample": _sample(ws, c.inspection_id),
        "alerts": [[k, s, n] for k, s, n in alerts_by_kind_and_state(ws, c.inspection_id)],
    }


def _provenance(ws: Workspace, inspection_id: str) -> list[list[Any]]:
    """Every bundle behind the figures: sender, hash, sequence, cases brought, when applied.

    No case reference is kept.
    """
    bundles: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for _cid, _ref, sender, bundle, seq, _rev, _digest, at in case_sources(ws, inspection_id):
        b = bundles.setdefault((sender, bundle, seq), {"cases": 0, "applied_at": at})
        b["cases"] += 1
        b["applied_at"] = max(b["applied_at"], at)
    return [[sender, bundle, seq, b["cases"], b["applied_at"]]
            for (sender, bundle, seq), b in sorted(bundles.items(), key=lambda kv: str(kv[0]))]


def _sample(ws: Workspace, inspection_id: str) -> list[list[Any]]:
    """The sample's fairness per kind drawn: seed, sizes, margin, shares, exclusions per rule.

    The cases swapped or adjusted are counted, not named (their references are not kept).
    """
    out: list[list[Any]] = []
    for r in drawn_sample_reports(ws, inspection_id):
        out += sample_fairness_rows(r)
        out += [[r.label, "Reserves used", len(r.swaps)],
                [r.label, "Adjustments", len(r.adjustments)]]
    return out
