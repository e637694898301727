"""Where the workspace is and how the passphrase is obtained, for CLI commands."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

import platformdirs

from hmip_desktop.errors import UserError
from hmip_desktop.store.workspace import Workspace

APP = "hmip-desktop"


def default_workspace() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "workspace"


def default_demo_workspace() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "demo"


def workspace_folder(arg: str | None) -> Path:
    chosen = arg or os.environ.get("HMIP_WORKSPACE")
    return Path(chosen).expanduser() if chosen else default_workspace()


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
