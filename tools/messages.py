"""The Welsh catalogue: extract the messages, merge them in, check and compile it.

    .venv/bin/python -m tools.messages update    # new messages into the Welsh .po, blank
    .venv/bin/python -m tools.messages compile   # check every .po and build its .mo
    .venv/bin/python -m tools.messages missing   # messages with no Welsh yet (status 1 if any)

Every message is a literal passed to ``_``, ``N_`` (marked, translated when read) or
``ngettext`` in ``hmip_desktop/`` (Babel's
Python extractor, a well-kept library, finds them). The catalogue is
``resources/locale/cy/LC_MESSAGES/hmip-desktop.po``; its ``.mo`` is built by ``dev.py`` when
the environment is set up and by ``build.spec``, never committed. Compiling refuses a
catalogue whose plural forms do not match Welsh's six, or whose translation drops or adds a
placeholder, naming the file and the line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "hmip_desktop"
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "hmip-desktop"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

# Welsh has six plural forms (CLDR: zero, one, two, few, many, other), as Babel's locale data
# gives them: nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n == 3 ? 3 : n == 6 ?
# 4 : 5).
WELSH_PLURALS = Catalog(locale="cy").plural_forms
HEADER = ("# Welsh catalogue of hmip-desktop.\n"
          "# Drafted translation: NEEDS REVIEW BY A WELSH-LANGUAGE OFFICER before it is relied\n"
          "# on (docs/welsh.md says what to review).")
REVIEW = "Drafted; needs review by a Welsh-language officer"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[sdr]|%\([a-z_]+\)[sdr]")


class CatalogueError(Exception):
    """A catalogue that must not be compiled; the message names the file and the line."""


def catalogue_path(language: str = "cy") -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extracted() -> Catalog:
    """Every message the sources pass to ``_`` or ``ngettext``, with where each is used."""
    template = Catalog(domain=DOMAIN, project="hmip-desktop")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(SOURCES), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        template.add(message, None, [(f"hmip_desktop/{filename}", lineno)],
                     auto_comments=comments, context=context)
    return template


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="cy", domain=DOMAIN)


def update(path: Path | None = None) -> tuple[int, int]:
    """Merge the extracted messages into the Welsh catalogue: (messages, still untranslated)."""
    path = path or catalogue_path()
    if path.exists():
        catalogue = read(path)
    else:
        catalogue = Catalog(locale="cy", domain=DOMAIN, project="hmip-desktop")
    before, created = _keys(catalogue), catalogue.creation_date
    catalogue.update(extracted(), no_fuzzy_matching=True)
    catalogue.obsolete.clear()  # a message the sources no longer use is dropped, not kept
    if _keys(catalogue) == before:
        catalogue.creation_date = created  # nothing new: no churn in the header
    catalogue.header_comment = HEADER
    catalogue.fuzzy = False
    catalogue.last_translator = REVIEW
    catalogue.language_team = "Welsh (drafted; needs review by a Welsh-language officer)"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalogue, width=100, sort_output=False)
    return len(catalogue), len(untranslated(catalogue))


def _keys(catalogue: Catalog) -> set[tuple[str | tuple[str, ...], str | None]]:
    """The messages a catalogue holds (their English and context), not where they are used."""
    return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context)
            for m in catalogue if m.id}


def untranslated(catalogue: Catalog) -> list[Message]:
    return [m for m in catalogue if m.id and (m.fuzzy or not _translations(m)
                                              or not all(_translations(m)))]


def _translations(m: Message) -> tuple[str, ...]:
    return tuple(m.string) if isinstance(m.string, (list, tuple)) else (m.string,)


def _ids(m: Message) -> tuple[str, ...]:
    return tuple(m.id) if isinstance(m.id, (list, tuple)) else (m.id,)


@dataclass(frozen=True)
class Fault:
    path: Path
    line: int
    problem: str

    def __str__(self) -> str:
        shown = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{shown}, line {self.line}: {self.problem}"


def faults(path: Path) -> Iterator[Fault]:
    """Why a catalogue must not be compiled: its plural forms, and placeholders per message.

    Babel's own ``python-format`` check is not used: messages are formatted with
    ``str.format`` only, and Babel takes "80% confidence" for a %-directive.
    """
    text = path.read_text(encoding="utf-8")
    header_line = next((n for n, line in enumerate(text.splitlines(), 1)
                        if "Plural-Forms:" in line), 1)
    try:
        catalogue = read(path)
    except Exception as e:  # Babel's parse errors share no one class
        yield Fault(path, getattr(e, "lineno", 1) or 1, f"cannot be read: {e}")
        return
    if re.sub(r"\s", "", catalogue.plural_forms) != re.sub(r"\s", "", WELSH_PLURALS):
        yield Fault(path, header_line, f"the plural forms are {catalogue.plural_forms!r}; "
                    f"Welsh has six: {WELSH_PLURALS}")
    for m in catalogue:
        if not m.id or not any(_translations(m)):
            continue
        line = m.lineno or 1
        if len(_translations(m)) != (6 if m.pluralizable else 1):
            yield Fault(path, line, f"{len(_translations(m))} plural forms where Welsh has six")
        wanted_marks = sorted(_PLACEHOLDER.findall(_ids(m)[-1]))
        for form in _translations(m):
            if form and sorted(_PLACEHOLDER.findall(form)) != wanted_marks:
                yield Fault(path, line, f"the placeholders differ from the English "
                            f"({', '.join(wanted_marks) or 'none'}): {form[:60]!r}")


def compile_all() -> list[Path]:
    """Check every catalogue and write its ``.mo`` beside it; ``CatalogueError`` on a fault."""
    written = []
    for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        found = list(faults(po))
        if found:
            raise CatalogueError("\n".join(str(f) for f in found))
        catalogue = read(po)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


def main(argv: list[str]) -> int:
    action = argv[0] if argv else ""
    if action == "update":
        total, left = update()
        print(f"{catalogue_path().relative_to(ROOT)}: {total} messages, {left} without Welsh")
        return 0
    if action == "compile":
        try:
            for mo in compile_all():
                print(f"built {mo.relative_to(ROOT)}")
        except CatalogueError as e:
            print(e, file=sys.stderr)
            return 1
        return 0
    if action == "missing":
        catalogue = read(catalogue_path())
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue}
        new = [m for m in extracted() if m.id and _ids(m)[0] not in known]
        left = untranslated(catalogue)
        for m in new:
            print(f"not in the catalogue (run: python -m tools.messages update): {_ids(m)[0]!r}")
        for m in left:
            print(f"no Welsh yet: {_ids(m)[0]!r}")
        return 1 if new or left else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
