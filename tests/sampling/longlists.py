"""Synthetic long lists for the tests: the generator lives in ``hmip_desktop.sampling.synthetic``
(the lead's demo uses it too); this module keeps the tests' and the scripts' import path.

    .venv/bin/python -m tests.sampling.longlists FRAMEWORK KIND ROWS OUT.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

from hmip_desktop.sampling.synthetic import (
    EXTRA_HEADING,
    FAULTS,
    FIELDWORK,
    FORMULA,
    Generated,
    all_kinds,
    generate,
    kind_of,
    write_csv,
    write_xlsx,
)

__all__ = ["EXTRA_HEADING", "FAULTS", "FIELDWORK", "FORMULA", "Generated", "all_kinds",
           "generate", "kind_of", "write_csv", "write_xlsx"]

if __name__ == "__main__":
    fw, kind_id, count, out = sys.argv[1:5]
    write_csv(generate(kind_of(fw, kind_id), int(count)), Path(out))
