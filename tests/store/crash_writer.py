"""A process that saves answers until it is killed; used by test_crash_durability.py.

    python -m tests.store.crash_writer <folder> <passphrase> <run> <seed>

Prints ``READY`` once the workspace is open, then for every save ``TRY <case> <item> <label>``
before calling ``save_item`` and ``ACK <case> <item> <label> <revision> <changed>`` after it has
returned (each line flushed). A note's value is ``<label>|<filler>``, the label being unique;
a prompt's value is its label (yes/no). 2.1.3.d = no makes the hurdle force 2.1.3 in the same
transaction.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hmip_desktop.store.workspace import Workspace

NOTES = ["note:2.1.1", "note:2.2.1", "note:2.3.1", "record:interview_notes"]
PROMPTS = ["2.1.1.a", "2.1.2.b", "2.1.3.d", "2.2.1.a"]
FILLER = "The practitioner described contact with the person on probation. " * 300


def main(folder: str, passphrase: str, run: str, seed: str) -> None:
    rng = random.Random(f"{seed}-{run}")
    ws = Workspace.open(Path(folder), passphrase)
    cases = sorted(c.case.id for c in ws.list_cases())
    print("READY", flush=True)
    n = 0
    while True:
        case = rng.choice(cases)
        if rng.random() < 0.5:
            item = rng.choice(NOTES)
            label = f"{run}-{n}"
            value = f"{label}|{FILLER[:rng.choice((0, 200, 3000, 12000))]}"  # some overflow pages
        else:
            item = rng.choice(PROMPTS)
            label = value = rng.choice(("yes", "no"))
        print(f"TRY {case} {item} {label}", flush=True)
        change = ws.save_item(case, item, value)
        print(f"ACK {case} {item} {label} {change.revision} {int(change.changed)}", flush=True)
        n += 1


if __name__ == "__main__":
    main(*sys.argv[1:5])
