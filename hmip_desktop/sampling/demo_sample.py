"""The lead's demo case sample: a generated long list imported and a provisional list drawn.

The demo team's inspection already has its cases (the sample someone else chose, shared out
and assessed); this gives the set-up window's case sample page something to show beside them —
the NPS primary long list, its flags and summary, a provisional list drawn with a recorded
seed and the evidence that it is fair. It stops at the provisional list, so the inspection's
cases are left as they are (a final sample would add its cases to them).
"""

from __future__ import annotations

from datetime import date

from hmip_desktop.sampling import service
from hmip_desktop.sampling.synthetic import csv_bytes, generate
from hmip_desktop.store.workspace import Workspace

KIND = "primary"
ROWS = 1000
SEED = "20261123"
FINAL_SIZE = 60  # the size table has no row for the demo's invented organisation


def draw_demo_sample(ws: Workspace, iid: str, fieldwork_start: date) -> service.DrawSummary:
    """Import a generated long list of ``KIND`` and draw its provisional list.

    The list goes from memory to the workspace: no plaintext file is written on the way.
    """
    sampling = ws.inspection_framework(iid).sampling
    assert sampling is not None, "the demo's framework has sampling rules"
    longlist = generate(sampling.kind(KIND), ROWS, seed=14, fieldwork=fieldwork_start)
    service.import_longlist_bytes(ws, iid, KIND, "long-list-primary.csv", csv_bytes(longlist))
    return service.draw_provisional(ws, iid, KIND, SEED, FINAL_SIZE)
