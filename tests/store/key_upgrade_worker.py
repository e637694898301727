"""A process that opens an old-keyed workspace and is killed at one step of its upgrade.

    python -m tests.store.key_upgrade_worker <folder> <passphrase> <step>

``step`` names the call at which the process ends at once (``os._exit``, as a kill would: no
clean-up runs): ``export`` (the new copy written, not yet synced), ``key_file`` (before the key
file is written), ``rename`` (the key file written, the new copy not yet in place), ``sync``
(the new copy in place, the folder not yet synced).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.store import key_upgrade
from hmip_desktop.store.workspace import Workspace


def _die(*_args: Any, **_kwargs: Any) -> None:
    os._exit(9)


def main(folder: str, passphrase: str, step: str) -> None:
    target = {"export": "_fsync_file", "key_file": "write_key_file", "rename": "os.replace",
              "sync": "fsync_folder"}[step]
    if target == "os.replace":
        real = os.replace

        def replace(src: Any, dst: Any) -> None:
            if str(src).endswith(key_upgrade.UPGRADE_SUFFIX):
                os._exit(9)
            real(src, dst)

        os.replace = replace  # type: ignore[assignment]
    else:
        setattr(key_upgrade, target, _die)
    Workspace.open(Path(folder), passphrase)
    sys.exit("the upgrade finished: the step was never reached")


if __name__ == "__main__":
    main(*sys.argv[1:4])
