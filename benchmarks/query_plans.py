"""Which indexes the product's queries use: EXPLAIN QUERY PLAN over every statement the tests run.

    .venv/bin/python benchmarks/query_plans.py [test paths...]   (default: tests, less the GUI)

Every workspace connection the tests open is traced (the statements as run, values bound). One
example of each statement shape is then explained against a fresh workspace at the latest schema
with the indexes named in ``CHECKED`` put back, and the script prints, per index, the statement
shapes whose plan names it: SEARCH (a lookup by the index's columns) or SCAN (a whole-table read
that the planner takes from a covering index, and from the table itself without it). An index
no shape searches costs every write and serves no read.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.store import connection as store_connection
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
CHECKED = {"items_by_item_value": "CREATE INDEX items_by_item_value ON items (item, value)"}
_LITERAL = re.compile(r"'(?:[^']|'')*'|X'[0-9A-Fa-f]*'|\b\d+(?:\.\d+)?\b")
_DML = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE")


class Tracer:
    """A pytest plugin that traces every workspace connection opened while the tests run."""

    def __init__(self) -> None:
        self.shapes: dict[str, str] = {}
        self._real: Callable[..., Any] = store_connection._keyed

    def _note(self, sql: str) -> None:
        text = sql.strip()
        if text.upper().startswith(_DML):
            self.shapes.setdefault(_LITERAL.sub("?", text), text)

    def pytest_sessionstart(self, session: Any) -> None:
        def traced(*args: Any, **kwargs: Any) -> Any:
            conn = self._real(*args, **kwargs)
            conn.set_trace_callback(self._note)
            return conn

        store_connection._keyed = traced  # type: ignore[assignment]

    def pytest_sessionfinish(self, session: Any) -> None:
        store_connection._keyed = self._real  # type: ignore[assignment]


def plans(shapes: dict[str, str]) -> tuple[dict[str, list[str]], int, int]:
    """Per checked index, the statement shapes whose plan uses it; shapes explained; failed."""
    used: dict[str, list[str]] = {name: [] for name in CHECKED}
    explained = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.create(Path(tmp) / "ws", "query plans passphrase", owner_name="Plan Lead",
                              role="lead")
        conn = connection(ws)
        for ddl in CHECKED.values():
            conn.execute(ddl)
        for shape, example in sorted(shapes.items()):
            try:
                rows = conn.execute(f"EXPLAIN QUERY PLAN {example}").fetchall()
            except Exception:  # a test's own table, or a statement for another schema
                failed += 1
                continue
            explained += 1
            for name in CHECKED:
                for r in rows:
                    detail = str(r[-1])
                    if re.search(rf"\b{name}\b", detail):
                        used[name].append(f"{detail.split(maxsplit=1)[0]}: {shape}")
        ws.close()
    return used, explained, failed


def main() -> None:
    paths = sys.argv[1:] or [str(p) for p in sorted((ROOT / "tests").iterdir())
                             if p.is_dir() and p.name not in ("gui", "fixtures")]
    tracer = Tracer()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *paths], plugins=[tracer])
    used, explained, failed = plans(tracer.shapes)
    print(f"\ntests exit code {code}; {len(tracer.shapes)} statement shapes traced, "
          f"{explained} explained, {failed} not explainable here (a test's own tables)")
    for name, shapes in used.items():
        searched = [s for s in shapes if s.startswith("SEARCH")]
        print(f"{name}: searched (a lookup by its columns) by {len(searched)} statement shapes;"
              f" scanned whole by {len(shapes) - len(searched)} (a full read, which scans the"
              f" table itself without the index)")
        for s in shapes[:10]:
            print(f"  {s[:160]}")


if __name__ == "__main__":
    main()
