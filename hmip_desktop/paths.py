"""Where the app keeps workspaces by default (the platform's user data folder)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs

APP = "hmip-desktop"
DEMO_PASSPHRASE_FILE = "DEMO-PASSPHRASE.txt"  # noqa: S105 - a file name, not a secret
# The demo's generated passphrase: DEMO_WORD_COUNT distinct words from DEMO_WORDS (its entropy is
# stated in docs/security.md, "The demo's passphrase").
DEMO_WORD_COUNT = 5
DEMO_WORDS = ("amber", "birch", "canal", "dune", "ember", "fjord", "glade", "heron", "inlet",
              "juniper", "kestrel", "lantern", "meadow", "nettle", "orchard", "pebble", "quarry",
              "rowan", "saddle", "thistle", "upland", "valley", "willow", "yarrow")


def data_folder() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_folder() -> Path:
    """Where the user's preferences are kept (the interface's language): not case data."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def log_folder() -> Path:
    """Where the error log is kept (``error_log.py``): the platform's user log folder."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def default_workspace() -> Path:
    return data_folder() / "workspace"


def default_demo_workspace() -> Path:
    return data_folder() / "demo"


def workspace_folder(arg: str | None) -> Path:
    """``--workspace``, else ``$HMIP_WORKSPACE``, else the user data folder."""
    chosen = arg or os.environ.get("HMIP_WORKSPACE")
    return Path(chosen).expanduser() if chosen else default_workspace()


def new_demo_passphrase() -> str:
    """Five different random words: easy to type, and it passes the passphrase policy."""
    return "-".join(secrets.SystemRandom().sample(DEMO_WORDS, DEMO_WORD_COUNT))
