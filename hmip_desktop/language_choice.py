"""Which language the interface speaks for the user of a workspace: English or Welsh.

The choice is kept per workspace folder in the user's configuration folder
(``language.json``), outside the encrypted workspace, because the unlock dialog is shown in it
before the workspace is open; it says nothing about any case. With no choice made, the system's
locale decides (Welsh where it is Welsh, English otherwise). ``--lang`` on the command line
overrides both for one run.
"""

from __future__ import annotations

import json
import locale
import os
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import LANGUAGES, _
from hmip_desktop.paths import config_folder

FILE_NAME = "language.json"


def system_language() -> str:
    """``cy`` where the user's locale is Welsh, else ``en``."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "cy" if value.split(":")[0].lower().startswith("cy") else "en"
    name = locale.getlocale()[0] or ""
    return "cy" if name.lower().startswith(("cy", "welsh")) else "en"


def _key(folder: Path) -> str:
    return str(folder.expanduser().resolve())


def _choices(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and v in LANGUAGES}


def stored_choice(folder: Path) -> str | None:
    """The language chosen for this workspace folder, or None if none was."""
    return _choices(config_folder() / FILE_NAME).get(_key(folder))


def store_choice(folder: Path, language: str) -> None:
    """Keep ``language`` for this workspace folder (written whole, then renamed into place)."""
    if language not in LANGUAGES:
        raise UserError(_("{language!r} is not a language the app speaks: give en (English) "
                          "or cy (Welsh)").format(language=language))
    path = config_folder() / FILE_NAME
    choices = _choices(path) | {_key(folder): language}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(choices, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)


def language_for(folder: Path | None, explicit: str | None = None) -> str:
    """``explicit`` (``--lang``) if given, else the stored choice, else the system's."""
    if explicit is not None:
        if explicit not in LANGUAGES:
            raise UserError(_("{language!r} is not a language the app speaks: give en "
                              "(English) or cy (Welsh)").format(language=explicit))
        return explicit
    return (stored_choice(folder) if folder is not None else None) or system_language()
