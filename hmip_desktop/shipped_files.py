"""One place that finds the app's data files, from source or from the frozen build.

``sys.frozen`` is looked at here and nowhere else.
"""

from __future__ import annotations

import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _


class MissingResourceError(UserError):
    """A file the app ships with is not there: the installation is damaged."""


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def resource_root() -> Traversable:
    if is_frozen():
        base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
        return base / "hmip_desktop" / "resources"
    return resources.files("hmip_desktop.resources")


def resource(*parts: str) -> Traversable:
    """Return a shipped file, or raise MissingResourceError naming it."""
    node = resource_root()
    for part in parts:
        node = node / part
    if not node.is_file() and not node.is_dir():
        raise MissingResourceError(
            _("the installation is damaged: {file} is missing; reinstall hmip-desktop").format(
                file="/".join(parts)))
    return node
