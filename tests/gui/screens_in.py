"""Render the screens of ``tests.gui.screens`` in a language: ``python -m tests.gui.screens_in
cy ARGS…`` (ARGS as for ``tests.gui.screens``).

The language is installed before any of the app's modules is imported, as the app's own entry
point does, since several of them translate labels when they load.
"""

from __future__ import annotations

import runpy
import sys

from hmip_desktop import i18n

if __name__ == "__main__":
    language = sys.argv.pop(1)
    assert i18n.install(language) == language, f"no catalogue for {language!r}"
    runpy.run_module("tests.gui.screens", run_name="__main__", alter_sys=True)
