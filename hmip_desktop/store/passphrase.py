"""The passphrase policy: long enough, and not a common password."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from hmip_desktop.i18n import _
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.errors import WeakPassphraseError

MIN_LENGTH = 12


@cache
def _common() -> frozenset[str]:
    text = resource("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


def check_new_passphrase(passphrase: str) -> None:
    """Raise WeakPassphraseError with the reason if the passphrase may not be set."""
    if any(unicodedata.category(c) == "Cc" for c in passphrase):  # C0, DEL and C1
        raise WeakPassphraseError(_("the passphrase must not contain control characters"))
    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphraseError(
            _("the passphrase must be at least {min_length} characters (a few unrelated words "
              "make a good one)").format(min_length=MIN_LENGTH)
        )
    lowered = passphrase.lower()
    core = re.sub(r"[\d\W_]+$", "", lowered)
    squeezed = re.sub(r"\s+", "", lowered)
    if {lowered, core, squeezed} & _common() or len(set(lowered)) < 5:
        raise WeakPassphraseError(_("that passphrase is too common; choose another"))
