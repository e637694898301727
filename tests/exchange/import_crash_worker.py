"""A lead's import with its receipt, killed on purpose; used by test_import_crash.py.

    python -m tests.exchange.import_crash_worker <folder> <passphrase> <bundle> <receipt> <when>

Opens the lead's workspace, prints ``READY``, then imports the bundle writing the receipt.
``when`` is ``at-commit`` (the process kills itself with SIGKILL as the import's ``COMMIT``
begins, so it never completes), or ``none`` (the test kills it from outside at a random
moment, or lets it finish). Prints ``DONE`` when the import has returned.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from hmip_desktop.exchange import service
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace


def main(folder: str, passphrase: str, bundle: str, receipt: str, when: str) -> None:
    ws = Workspace.open(Path(folder), passphrase)
    if when == "at-commit":
        seen: list[str] = []

        def trace(sql: str) -> None:
            seen.append(sql)
            # The import's own transaction: the one whose writes include the bundle-log line.
            if sql.strip().upper() == "COMMIT" and any("INSERT INTO bundle_log" in s
                                                       for s in seen):
                os.kill(os.getpid(), signal.SIGKILL)

        connection(ws).set_trace_callback(trace)
    print("READY", flush=True)
    service.import_file(ws, Path(bundle), receipt_out=Path(receipt))
    print("DONE", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
