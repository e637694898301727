"""The training event's comparison as the lead's screen, CLI and exports ask for it."""

from __future__ import annotations

from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.compare import Comparison, compare
from hmip_desktop.training.events import (
    TrainingError,
    benchmark,
    benchmark_versions,
    check_training,
    received,
    training_cases,
)


def comparison(ws: Workspace, inspection_id: str) -> Comparison:
    """Every trainee against the newest benchmark; refused before a benchmark is marked.

    A benchmark marked again after trainees' answers arrived is compared as it now stands,
    and the comparison says so (``benchmark_changed``; docs/data-model.md, "Training events").
    """
    insp = check_training(ws, inspection_id)
    bench = benchmark(ws, inspection_id)
    if bench is None:
        raise TrainingError(_("no benchmark is marked for this training event yet: assess the "
                              "training cases, then mark them as the benchmark"))
    lead = bytes(insp["lead_key_id"]) if insp["lead_key_id"] is not None else None
    trainees = {m["id"]: m["name"] for m in ws.members(inspection_id)
                if m["key_id"] is None or bytes(m["key_id"]) != lead}
    versions = benchmark_versions(ws, inspection_id)
    return compare(ws.inspection_framework(inspection_id), insp["title"], bench,
                   received(ws, inspection_id), trainees,
                   {c["id"]: c["case_ref"] for c in training_cases(ws, inspection_id)},
                   last_marked_at=versions[-1][2] if len(versions) > 1 else None)
