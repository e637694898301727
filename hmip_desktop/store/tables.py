"""How a module that owns tables reaches the workspace's database.

Only ``store/`` and the domain modules that own a table run SQL (docs/architecture.md); they
take the connection through ``connection`` rather than an attribute of ``Workspace``, so a
search for this one name finds every place SQL can run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace


def connection(ws: Workspace) -> Any:
    """The open SQLCipher connection of ``ws``, for a module that owns a table."""
    return ws.conn
