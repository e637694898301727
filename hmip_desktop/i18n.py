"""One translation function for the core, the CLI and the GUI.

Text shown to people goes through ``_`` (and ``ngettext`` where a number decides the form), so
that English and Welsh come from one catalogue: gettext ``.mo`` files under
``resources/locale/<lang>/LC_MESSAGES/hmip-desktop.mo``, built from the ``.po`` beside them by
``tools/messages.py``. English is the source text itself. ``install`` must run before the
modules that translate labels at import time are imported, which is why a change of language
takes effect at the next start (``language_choice.py``).

A missing or damaged catalogue never stops the app: the English is used and one line goes to
the error log (no text of the catalogue in it).
"""

from __future__ import annotations

import gettext
import struct
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

LANGUAGES = ("en", "cy")
"""The languages the interface is offered in: English and Welsh."""
DOMAIN = "hmip-desktop"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_catalogues: dict[str, gettext.NullTranslations] = {}
_local = threading.local()
"""A thread's own catalogue while it writes a document in another language (``speaking``)."""


class CatalogueUnreadable(Exception):
    """The Welsh catalogue could not be read; logged by type only, as every error is."""


def _catalogue(language: str) -> gettext.NullTranslations | None:
    """The loaded catalogue of ``language`` (kept once read), or None if it cannot be read."""
    if language in _catalogues:
        return _catalogues[language]
    from hmip_desktop.shipped_files import resource_root  # noqa: PLC0415

    path = resource_root() / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as f:
            catalogue: gettext.NullTranslations = gettext.GNUTranslations(f)
    except (OSError, ValueError, UnicodeError, IndexError, KeyError, struct.error) as e:
        from hmip_desktop.error_log import write_error  # noqa: PLC0415

        error = CatalogueUnreadable(language)
        error.__cause__ = e
        write_error(error)
        return None
    _catalogues[language] = catalogue
    return catalogue


def install(language: str | None) -> str:
    """Switch the catalogue (``cy`` for Welsh, ``en`` or None for English); the one in effect.

    An unknown language, or a catalogue that is missing or unreadable, gives English.
    """
    global _translation, _language
    _translation, _language = gettext.NullTranslations(), "en"
    if language not in LANGUAGES or language == "en":
        return _language
    catalogue = _catalogue(language)
    if catalogue is None:
        return _language
    _translation, _language = catalogue, language
    return _language


@contextmanager
def speaking(language: str) -> Iterator[str]:
    """Translate into ``language`` on this thread only, while a document is written in it.

    A lunchtime sheet or a panel summary may be printed in the other language than the
    window's; the window's own thread, and every other, keeps its language. Gives the
    language in effect (English where the catalogue cannot be read).
    """
    previous = getattr(_local, "translation", None), getattr(_local, "language", None)
    catalogue = None if language == "en" else _catalogue(language) \
        if language in LANGUAGES else None
    _local.translation = catalogue or gettext.NullTranslations()
    _local.language = language if catalogue is not None else "en"
    try:
        yield _local.language
    finally:
        _local.translation, _local.language = previous


def current_language() -> str:
    """The language text is translated into now, on this thread: ``en`` or ``cy``."""
    return getattr(_local, "language", None) or _language


def _(message: str) -> str:
    return (getattr(_local, "translation", None) or _translation).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (Welsh has six; the catalogue's plural rule picks one)."""
    return (getattr(_local, "translation", None) or _translation).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it yet (see ``Labels``)."""
    return message


class Labels(Mapping[str, str]):
    """A table of labels kept in English and translated each time one is read.

    For tables made when a module loads: read later, a label comes in the language in use then
    (the window's, or a document's being written in the other language).
    """

    def __init__(self, source: Mapping[str, str]) -> None:
        self._source = dict(source)

    def __getitem__(self, key: str) -> str:
        return _(self._source[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


def rating_label(rating: str | None) -> str:
    labels = {
        "inadequate": _("Inadequate"),
        "requires_improvement": _("Requires improvement"),
        "good": _("Good"),
        "outstanding": _("Outstanding"),
    }
    return labels.get(rating or "", _("No rating"))
