"""A framework's text in the language of the interface, and the other language beside it.

The form shows each standard, key question, prompt and guidance in the user's language. Where
the framework has no Welsh for a text, a Welsh window shows the English, marked "(English
only)". Bilingual inspectors compare wordings, so the other language can be shown beside it
(where the framework has it).
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _, current_language


@dataclass(frozen=True)
class Shown:
    text: str
    """The text in the interface's language, or its English where there is no Welsh."""
    english_only: bool
    """The interface is in Welsh and the framework gives this text no Welsh."""
    other: str | None
    """The other language's text, where asked for and the framework gives it."""

    def marked(self) -> str:
        """The text, with "(English only)" after it where the Welsh is missing."""
        marker = _("(English only)")
        return f"{self.text} {marker}" if self.english_only else self.text

    def plain(self) -> str:
        """As one plain text: the marked text, then the other language on a line of its own."""
        return f"{self.marked()}\n{self.other}" if self.other else self.marked()


def shown(fw: Framework, english: str, *, beside: bool = False,
          language: str | None = None) -> Shown:
    """``english`` (a framework text) as the interface shows it."""
    if not english:
        return Shown(english, False, None)
    welsh = fw.in_welsh(english)
    if (language or current_language()) == "cy":
        if welsh is None:
            return Shown(english, True, None)
        return Shown(welsh, False, english if beside else None)
    return Shown(english, False, welsh if beside else None)


def has_welsh(fw: Framework) -> bool:
    """Whether the framework gives any text in Welsh (so there is another language to show)."""
    return bool(fw.welsh)
