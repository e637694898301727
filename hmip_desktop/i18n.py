"""One translation function for the core, the CLI and the GUI.

Text shown to people goes through ``_``, so that English and Welsh can be offered from one
catalogue: gettext ``.mo`` files under ``resources/locale/<lang>/LC_MESSAGES/hmip-desktop.mo``.
No catalogue ships yet, so the English source text is used. ``install`` must run before the
modules that translate labels at import time are imported.
"""

from __future__ import annotations

import gettext

_translation: gettext.NullTranslations = gettext.NullTranslations()


def install(language: str | None) -> None:
    """Switch the catalogue (for example to ``cy`` for Welsh); unknown languages fall back."""
    global _translation  # noqa: PLW0603 - one process-wide catalogue, set at start-up
    if not language:
        _translation = gettext.NullTranslations()
        return
    from hmip_desktop.shipped_files import resource_root  # noqa: PLC0415

    localedir = str(resource_root() / "locale")
    _translation = gettext.translation(
        "hmip-desktop", localedir=localedir, languages=[language], fallback=True
    )


def _(message: str) -> str:
    return _translation.gettext(message)


def rating_label(rating: str | None) -> str:
    labels = {
        "inadequate": _("Inadequate"),
        "requires_improvement": _("Requires improvement"),
        "good": _("Good"),
        "outstanding": _("Outstanding"),
    }
    return labels.get(rating or "", _("No rating"))
