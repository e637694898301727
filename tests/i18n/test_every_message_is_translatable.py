"""Every message the program prints or refuses with goes through the translation function.

Issue 18: a user-facing string that is not in the Welsh catalogue must fail a test. The
catalogue test (``test_welsh_catalogue.py``) sees only what is passed to ``_``; this one reads
the sources (AST) and fails on a ``print(…)`` or ``raise SomeError(…)`` whose text holds words
outside ``_``/``ngettext``, so English cannot slip past the catalogue. Files not yet wrapped are
listed as data and must still need wrapping, so the list only shrinks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "hmip_desktop"

# Files that still print or raise English outside ``_`` (none now). Remove a
# file from the list when it is wrapped (the last test fails until it is removed).
FILES_TO_WRAP_LATER: tuple[str, ...] = ()

# Files that call ``_`` inside an f-string's braces (none now), where the
# extractor does not look (Babel reads an f-string as one token before Python 3.12), so those
# messages never reach the catalogue and stay English. Remove a file once its calls are hoisted.
FILES_WITH_TRANSLATION_INSIDE_F_STRINGS: tuple[str, ...] = ()

# Errors of programming, never shown as the one-line refusal (the CLI and the GUI show only
# UserError's message; anything else is logged by type and reported as an internal fault).
DEVELOPER_ERRORS = frozenset({"ValueError", "TypeError", "KeyError", "RuntimeError",
                              "AssertionError", "NotImplementedError"})

# Texts meant for the program, not for people: (file, literal).
ALLOWED = frozenset({
    # internal markers, caught at once and replaced by "the recovery file is damaged"
    ("hmip_desktop/exchange/recovery_files.py", "fields"),
    ("hmip_desktop/exchange/recovery_files.py", "length"),
    # the database file's name inside the workspace folder
    ("hmip_desktop/store/failures.py", "workspace"),
})

_WORD = re.compile(r"[A-Za-z]{2,}")
_TRANSLATE = frozenset({"_", "ngettext"})


def _is_translation(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id in _TRANSLATE


def _words_outside_translation(node: ast.AST) -> list[str]:
    """The literals with words in an expression that do not go through ``_``/``ngettext``.

    A dictionary key (``row['case_ref']``) and the values of a translated message's named
    fields are looked into the same way; a comparison (``kind == "final"``) is not text.
    """
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and _WORD.search(node.value) else []
    if isinstance(node, ast.Call):
        if _is_translation(node):
            return []
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format" \
                and isinstance(func.value, ast.Call) and _is_translation(func.value):
            return [w for k in node.keywords for w in _words_outside_translation(k.value)]
        parts: list[ast.AST] = [func, *node.args, *(k.value for k in node.keywords)]
        return [w for p in parts for w in _words_outside_translation(p)]
    if isinstance(node, ast.Subscript):
        return _words_outside_translation(node.value)
    if isinstance(node, ast.Compare):
        return []
    return [w for c in ast.iter_child_nodes(node) for w in _words_outside_translation(c)]


def untranslated(source: str, path: str = "") -> list[tuple[int, str]]:
    """(line, text) of each print or user error whose words bypass the translation function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        shown: list[ast.expr] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "print":
            shown = list(node.args)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in DEVELOPER_ERRORS:
                shown = list(node.exc.args)
        found += [(node.lineno, text) for arg in shown
                  for text in _words_outside_translation(arg) if (path, text) not in ALLOWED]
    return found


def translated_inside_f_strings(source: str) -> list[int]:
    """Lines where ``_``/``ngettext`` is called inside an f-string (invisible to extraction)."""
    return sorted({call.lineno for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.JoinedStr) for call in ast.walk(node)
                   if isinstance(call, ast.Call) and _is_translation(call)})


def _sources() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in SOURCES.rglob("*.py"))


def test_every_printed_message_and_refusal_outside_the_later_list_is_translatable() -> None:
    assert len(_sources()) > 200  # the sources were found
    left = {path: untranslated((ROOT / path).read_text(encoding="utf-8"), path)
            for path in _sources() if path not in FILES_TO_WRAP_LATER}
    assert {path: found for path, found in left.items() if found} == {}


def test_each_file_left_for_later_still_needs_wrapping_so_the_list_only_shrinks() -> None:
    done = [path for path in FILES_TO_WRAP_LATER
            if not (ROOT / path).exists()
            or not untranslated((ROOT / path).read_text(encoding="utf-8"), path)]
    assert done == [], "wrapped (or gone): remove these from FILES_TO_WRAP_LATER"


def test_the_guard_sees_english_that_bypasses_the_catalogue() -> None:
    source = '''
def f(ref, n, ws):
    print(f"case {ref} saved")
    print("no cases" if n == 0 else _("{n} cases").format(n=n))
    raise ConsolidationError(f"no inspection {ref!r}")
'''
    assert sorted(untranslated(source)) == [(3, " saved"), (3, "case "), (4, "no cases"),
                                            (5, "no inspection ")]


def test_the_guard_accepts_translated_messages_keys_and_developer_errors() -> None:
    source = '''
def f(ref, row, n, kind):
    print(_("case {ref} saved").format(ref=ref))
    print(ngettext("{n} case", "{n} cases", n).format(n=n))
    print(f"{row['case_ref']:<12} {n:>4}")
    print(_("{stage} sample").format(stage=_("final") if kind == "final" else _("draft")))
    raise ValueError(f"unknown stage {kind!r}")
'''
    assert untranslated(source) == []


def test_no_message_is_translated_inside_an_f_string_where_extraction_cannot_see_it() -> None:
    hidden = {path: translated_inside_f_strings((ROOT / path).read_text(encoding="utf-8"))
              for path in _sources() if path not in FILES_WITH_TRANSLATION_INSIDE_F_STRINGS}
    assert {path: lines for path, lines in hidden.items() if lines} == {}


def test_each_file_listed_with_hidden_messages_still_has_them_so_the_list_only_shrinks() -> None:
    done = [path for path in FILES_WITH_TRANSLATION_INSIDE_F_STRINGS
            if not (ROOT / path).exists()
            or not translated_inside_f_strings((ROOT / path).read_text(encoding="utf-8"))]
    assert done == [], "hoisted (or gone): remove these from the list"


def test_a_message_inside_an_f_string_is_seen_and_one_hoisted_out_of_it_is_not() -> None:
    assert translated_inside_f_strings('x = f"<h2>{_(\'Notes\')}</h2>"\n') == [1]
    assert translated_inside_f_strings('notes = _("Notes")\nx = f"<h2>{notes}</h2>"\n') == []
