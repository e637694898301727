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
