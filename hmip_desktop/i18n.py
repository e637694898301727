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

LANGUAGES = ("en", "cy")
"""The languages the interface is offered in: English and Welsh."""
DOMAIN = "hmip-desktop"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


class CatalogueUnreadable(Exception):
    """The Welsh catalogue could not be read; logged by type only, as every error is."""


def install(language: str | None) -> str:
    """Switch the catalogue (``cy`` for Welsh, ``en`` or None for English); the one in effect.

    An unknown language, or a catalogue that is missing or unreadable, gives English.
    """
    global _translation, _language  # noqa: PLW0603 - one process-wide catalogue
    _translation, _language = gettext.NullTranslations(), "en"
    if language not in LANGUAGES or language == "en":
        return _language
    from hmip_desktop.shipped_files import resource_root  # noqa: PLC0415

    path = resource_root() / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as f:
            _translation = gettext.GNUTranslations(f)
    except (OSError, ValueError, UnicodeError, IndexError, KeyError, struct.error) as e:
        from hmip_desktop.error_log import write_error  # noqa: PLC0415

        error = CatalogueUnreadable(language)
        error.__cause__ = e
        write_error(error)
        return _language
    _language = language
    return _language


def current_language() -> str:
    """The interface's language now: ``en`` or ``cy``."""
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (Welsh has six; the catalogue's plural rule picks one)."""
    return _translation.ngettext(singular, plural, n)


def rating_label(rating: str | None) -> str:
    labels = {
        "inadequate": _("Inadequate"),
        "requires_improvement": _("Requires improvement"),
        "good": _("Good"),
        "outstanding": _("Outstanding"),
    }
    return labels.get(rating or "", _("No rating"))
