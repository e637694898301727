"""The language is installed before any label is translated.

Several modules translate labels when they are first imported (a table of statuses, say). The
entry point must therefore install the chosen language before it imports any of them, or those
labels stay English in a Welsh window. Guarded two ways: the entry point imports no module
that translates at import time, and a Welsh run shows such a label in Welsh.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from hmip_desktop import i18n

ROOT = Path(__file__).resolve().parents[2]


def _translates_at_import(module: str) -> bool:
    """Whether the module calls ``_`` outside any function (at import or class creation)."""
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    found = False

    def walk(node: ast.AST, in_function: bool) -> None:
        nonlocal found
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if not inside and isinstance(child, ast.Call) and isinstance(child.func, ast.Name) \
                    and child.func.id == "_":
                found = True
            walk(child, inside)

    walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_the_entry_point_imports_nothing_that_translates_before_the_language_is_chosen() -> None:
    probe = ("import sys\nimport hmip_desktop.cli.main\n"
             "print(' '.join(sorted(m for m in sys.modules if m.startswith('hmip_desktop'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    loaded = done.stdout.split()
    assert "hmip_desktop.cli.main" in loaded
    assert [m for m in loaded if _translates_at_import(m)] == []


def test_the_guard_sees_a_module_that_translates_at_import() -> None:
    assert _translates_at_import("hmip_desktop.gui.assessor.cases_view")
    assert not _translates_at_import("hmip_desktop.wording")  # its tables translate when read


def test_a_label_translated_at_import_is_welsh_in_a_welsh_run() -> None:
    probe = ("from hmip_desktop.cli.main import main\n"
             "main(['--lang', 'cy', 'frameworks'])\n"
             "from hmip_desktop.wording import STATUS_LABELS\n"
             "print('STATUS', STATUS_LABELS['queried'])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    shown = done.stdout.strip().splitlines()[-1].removeprefix("STATUS ")
    i18n.install("cy")
    try:
        assert shown == i18n._("Queried") != "Queried"
    finally:
        i18n.install("en")
