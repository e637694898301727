"""Every page's HMAC checked alongside, so the window can show while it runs.

Opening a workspace checks the HMAC of every page (``cipher_integrity_check``), which grows with
the file: at a lead's sixteen inspections it took longer than showing the window. Opened with
``Workspace.open(..., pages_later=True)`` (the desktop app), the check runs on a read-only
connection of its own, on another thread, while the window is built and shown:

- SQLCipher still verifies each page's HMAC as it is read, so nothing shown in the meantime
  comes from a page that fails it (such a read fails with the damaged-file message);
- no change is written before the check has passed: every write transaction waits for it
  first (``wait_for_pages``) and, should it fail, is refused with the same message the check
  at opening gives (``DamagedWorkspaceError``), nothing written;
- the window asks ``PageCheck.failure`` until the check is done and, if it failed, says so and
  closes the workspace.

docs/security.md ("Opening a workspace", step 6) states the promise.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

import sqlcipher3

from hmip_desktop.store.errors import DamagedWorkspaceError


class PageCheck:
    """The HMAC check of every page of ``path``, on ``conn`` (its own), on another thread."""

    def __init__(self, conn: Any, path: Path, check: Any) -> None:
        self._conn = conn
        self._path = path
        self._failure: DamagedWorkspaceError | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, args=(check,), name="page-check",
                                        daemon=True)
        self._thread.start()

    def _run(self, check: Any) -> None:
        try:
            check(self._conn, self._path)
        except DamagedWorkspaceError as e:
            if not self._stopped:  # an interrupted check is no finding
                self._failure = e
        finally:
            self._conn.close()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    @property
    def failure(self) -> DamagedWorkspaceError | None:
        """Why the file was refused, once the check is done; None while it runs or if it passed."""
        return self._failure if self.done else None

    def wait(self) -> None:
        """Return once every page has passed; raise ``DamagedWorkspaceError`` if one failed."""
        self._thread.join()
        if self._failure is not None:
            raise DamagedWorkspaceError(str(self._failure))

    def stop(self) -> None:
        """Stop the check (the workspace is closing) and wait for its thread."""
        if not self.done:
            self._stopped = True
            with suppress(sqlcipher3.ProgrammingError):  # finished meanwhile: closed
                self._conn.interrupt()
        self._thread.join()


def wait_for_pages(conn: Any) -> None:
    """Before a write: wait for the page check still running on ``conn``'s file, if any."""
    pending: PageCheck | None = getattr(conn, "pages_check", None)
    if pending is not None:
        pending.wait()
        conn.pages_check = None
