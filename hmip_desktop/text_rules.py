"""Which characters a text may hold, and text made safe to print on a terminal.

Text that reaches this workspace from someone else — a member card, a pack, an assessment or
QA bundle, a case sample — and text the user types are held to one rule, so that nothing
stored can clear a terminal, move its cursor, fake a line of output or reorder what a reader
sees:

- a *single-line* field (a name, a role, a reference, an office) may hold no control
  character at all (Unicode category Cc: U+0000–U+001F, U+007F–U+009F, newline and tab
  included), no line or paragraph separator (U+2028, U+2029) and no bidirectional embedding,
  override or isolate (U+202A–U+202E, U+2066–U+2069);
- a *multi-line* field (a query, a reply, an evidence note, the interview record, an alert's
  texts) may hold newline and tab, and nothing else of those.

Other invisible formatting characters (a zero-width joiner in an emoji, a soft hyphen) are
allowed: they cannot move the cursor or reorder text. ``printable`` is the second line of
defence for the CLI: it escapes every character Python does not count as printable.
"""

from __future__ import annotations

import re

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Category Cc is exactly U+0000-U+001F and U+007F-U+009F.
_SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MULTI_LINE_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def text_fault(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` may not be stored, or None when it may.

    The reason is a phrase such as "contains a control character (U+001B)".
    """
    found = (_MULTI_LINE_REFUSED if multiline else _SINGLE_LINE_REFUSED).search(text)
    if found is None:
        return None
    ch = found.group()
    if ch in BIDI_CONTROLS:
        return _("contains a character that reverses the direction of text ({code})").format(
            code=_code(ch))
    if ch in "\n\r\u2028\u2029":
        return _("contains a line break ({code}), which this field cannot hold").format(
            code=_code(ch))
    return _("contains a control character ({code})").format(code=_code(ch))


# Bytes any of which may begin a character a single-line field refuses, in UTF-8: DEL; 0xC2,
# which leads U+0080-U+00BF (the C1 controls among them); 0xE2, which leads U+2000-U+2FFF (the
# separators and direction controls among them). A lead byte never occurs inside another
# character, and a search for one byte is the fastest there is (two bytes took 100 times as
# long).
_MAY_BEGIN_REFUSED_UTF8 = (b"\x7f", b"\xc2", b"\xe2")


def plain_json(raw: bytes) -> bool:
    """True when no text of ``raw`` (a document the strict JSON decoder accepts) can break it.

    Without a backslash no string holds an escape, so each string's characters are its own
    bytes in ``raw``; the decoder refuses a control character written as itself in a string,
    and none of the bytes that may begin another refused character occurs. Four one-byte
    searches then clear every text of the document under the stricter, single-line rule.
    False says only that its texts must be looked at one by one (any text with a curly
    quote, say).
    """
    return b"\\" not in raw and not any(b in raw for b in _MAY_BEGIN_REFUSED_UTF8)


def check_text(text: str, field: str, *, multiline: bool = False,
               error: type[UserError] = UserError) -> str:
    """``text`` unchanged, or ``error`` with one line naming ``field`` and the fault."""
    fault = text_fault(text, multiline=multiline)
    if fault is not None:
        raise error(_("{field} {fault}").format(field=field, fault=fault))
    return text


def printable(value: object) -> str:
    r"""``value`` as text for a terminal, everything non-printable escaped.

    ESC becomes ``\x1b``, a newline ``\n``, U+202E ``\u202e``; None is shown as "".
    """
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in text)


def printable_lines(text: str) -> str:
    """A block of lines made for a terminal: each line ``printable``, the line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    n = ord(ch)
    if n <= 0xFF:
        return f"\\x{n:02x}"
    if n <= 0xFFFF:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"
