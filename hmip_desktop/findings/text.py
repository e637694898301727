"""A finding as one line of plain text, with the evidence behind it (the CLI's lists)."""

from __future__ import annotations

from hmip_desktop.store.findings import Finding
from hmip_desktop.text_rules import printable

KIND_WORDS = {"strength": "strength", "improvement": "area for improvement"}


def finding_line(f: Finding) -> str:
    """``3. 1.1.1 strength: … [document 2; meeting: Senior leaders]``."""
    behind = [*(f"document {n}" for n in f.documents), *(f"meeting: {m}" for m in f.meetings),
              *(f"cases: {c}" for c in f.cases)]
    return printable(f"{f.number}. {f.item} {KIND_WORDS[f.kind]}: {f.text}"
                     + (f" [{'; '.join(behind)}]" if behind else " [no evidence named]"))
