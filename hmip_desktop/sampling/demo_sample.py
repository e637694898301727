"""The lead's demo case sample: a generated long list imported and a provisional list drawn.

The demo team's inspection already has its cases (the sample someone else chose, shared out
and assessed); this gives the set-up window's case sample page something to show beside them —
the NPS primary long list, its flags and summary, a provisional list drawn with a recorded
seed and the evidence that it is fair. It stops at the provisional list, so the inspection's
cases are left as they are (a final sample would add its cases to them).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hmip_desktop.sampling import service
from hmip_desktop.sampling.synthetic import generate, write_csv
from hmip_desktop.store.workspace import Workspace

KIND = "primary"
ROWS = 1000
SEED = "20261123"
FINAL_SIZE = 60  # the size table has no row for the demo's invented organisation


def draw_demo_sample(ws: Workspace, iid: str, fieldwork_start: date,
                     folder: Path) -> service.DrawSummary:
    """Import a generated long list of ``KIND`` from ``folder`` and draw its provisional list."""
    sampling = ws.inspection_framework(iid).sampling
    assert sampling is not None, "the demo's framework has sampling rules"
    longlist = write_csv(generate(sampling.kind(KIND), ROWS, seed=14, fieldwork=fieldwork_start),
                         folder / "long-list-primary.csv")
    try:
        service.import_longlist(ws, iid, KIND, longlist)
    finally:
        longlist.unlink()
    return service.draw_provisional(ws, iid, KIND, SEED, FINAL_SIZE)
