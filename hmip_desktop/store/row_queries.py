"""Rows as dicts keyed by column name: the service's one convenience for reading queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


class RowQueries:
    """Runs a query on the workspace's connection and yields each row as a dict."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        cur = self._conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))
