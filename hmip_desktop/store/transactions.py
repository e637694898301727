"""The one transaction helper: every write of the store, and the savepoints that nest them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import sqlcipher3

from hmip_desktop.store.failures import check_unchanged, guarded, rollback_quietly
from hmip_desktop.store.page_check import wait_for_pages


@contextmanager
def write_transaction(conn: Any, mode: str = "IMMEDIATE") -> Iterator[None]:
    """One transaction; a storage failure becomes its named ``StoreError`` (store/failures.py).

    A failed rollback never hides the error that caused it. Inside a transaction already open
    (a write method called within ``Workspace.transaction``) it is a savepoint instead, so
    writes compose: an error rolls back this write alone, and the outer one decides the rest.
    """
    check_unchanged(conn)
    wait_for_pages(conn)  # nothing is written before every page has passed its HMAC check
    with guarded(conn):
        if conn.in_transaction:  # called inside another write: a savepoint of it
            name = f"nested_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
                conn.execute(f"RELEASE {name}")
            except BaseException:
                with suppress(sqlcipher3.Error, MemoryError):
                    if conn.in_transaction:
                        conn.execute(f"ROLLBACK TO {name}")
                        conn.execute(f"RELEASE {name}")
                raise
            return
        conn.execute(f"BEGIN {mode}")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(conn)
            raise


_savepoints = itertools.count(1)
