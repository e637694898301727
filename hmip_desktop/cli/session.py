"""Where the workspace is and how the passphrase is obtained, for CLI commands."""

from __future__ import annotations

import getpass
import os
import sys

from hmip_desktop.errors import UserError
from hmip_desktop.paths import workspace_folder
from hmip_desktop.store.workspace import Workspace


def read_passphrase(prompt: str = "Passphrase: ", *, env: str = "HMIP_PASSPHRASE",
                    confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"no passphrase: set {env} or run in a terminal")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise UserError("the two passphrases differ; nothing was changed")
    return first


def open_workspace(arg: str | None) -> Workspace:
    return Workspace.open(workspace_folder(arg), read_passphrase())
