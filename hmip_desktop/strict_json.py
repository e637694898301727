"""The one strict JSON decoder for bytes that come from outside the app.

Every JSON document a person names (``ratings --input``, a previous export) and every JSON
entry of a bundle is decoded here, so one set of rules holds everywhere: UTF-8 text, no
duplicate keys in an object, no ``NaN``/``Infinity`` (nor a number too large to be a finite
float), whole numbers of at most 100 digits (a longer one would otherwise reach Python's
int-conversion limit, 4,300 digits, as a traceback; what range a field allows is for its own
validator to say), no lone surrogate escapes, and nesting no deeper than the parser can go.
Any fault is a ``JsonError`` with one line.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _

MAX_INT_DIGITS = 100


class JsonError(UserError):
    """The bytes are not strict JSON; the message says why (without naming the file)."""


class _Refused(ValueError):
    """Raised from inside the decoder's hooks; turned into JsonError by ``parse_json_text``."""


def _int(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Refused(_("a whole number too long ({digits} digits)").format(digits=digits))
    return int(literal)


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Refused(_("a number too large ({text}…)").format(text=literal[:12]))
    return value


def _constant(name: str) -> Any:
    raise _Refused(_("{name} is not a JSON number").format(name=name))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # a later key would silently replace an earlier one
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Refused(_("the key {key} appears twice in one object").format(
                    key=json.dumps(key[:40])))
            seen.add(key)
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_int, parse_float=_float,
                            parse_constant=_constant)
# The same rules where no run of more than MAX_INT_DIGITS digits occurs anywhere in the text,
# so that no whole number can be too long: whole numbers are then read by the decoder itself
# rather than through ``_int`` (a Python call for each, a third of the time of a case entry).
_SHORT_INTS_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=_float,
                                       parse_constant=_constant)
# Only ASCII digits make a JSON number. With every digit byte read as "0", a run of more than
# MAX_INT_DIGITS of them is a plain substring search over the UTF-8 bytes (no multi-byte
# character holds a byte below 0x80): a twelfth of the cost of a regex over the text, which
# was a tenth of an import's time.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * (MAX_INT_DIGITS + 1)


def parse_json(raw: bytes) -> Any:
    """The value of one JSON document in UTF-8 (no byte-order mark), or JsonError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonError(_("not UTF-8 text")) from None
    return _decoded(text, raw)  # UTF-8 text holds no surrogate: only an escape can make one


def parse_json_text(text: str) -> Any:
    """The value of one JSON document already decoded to text, or JsonError."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise JsonError(_("not valid JSON: an escaped character that is not text")) from None
    return _decoded(text, raw)


# An escape that decodes to a surrogate (the first of a pair, or a lone one): the only way
# JSON text that is itself valid UTF-8 can yield a string that is not.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _decoded(text: str, raw: bytes) -> Any:
    """``text`` decoded; ``raw`` is the same text in UTF-8, for the byte-level searches."""
    try:
        long_digits = _LONG_DIGITS in raw.translate(_DIGITS_AS_ZERO)
        decoder = _DECODER if long_digits else _SHORT_INTS_DECODER
        value = decoder.decode(text)
    except json.JSONDecodeError as e:
        raise JsonError(_("not valid JSON at line {line}, column {col} ({why})").format(
            line=e.lineno, col=e.colno, why=e.msg)) from None
    except _Refused as e:
        raise JsonError(_("not valid JSON: {why}").format(why=e)) from None
    except RecursionError:
        raise JsonError(_("JSON nested too deeply")) from None
    except ValueError:  # any other refusal inside the decoder: never a traceback
        raise JsonError(_("not valid JSON")) from None
    if _SURROGATE_ESCAPE.search(raw) is None:
        return value  # no escape made a surrogate: every string is text (the usual case)
    try:
        # An escaped lone surrogate ("\udc80") parses, but is no character: refuse it here
        # rather than fail when the text is hashed, stored or printed. A proper pair decodes
        # to one character and passes.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise JsonError(_("not valid JSON: an escaped character that is not text")) from None
    except RecursionError:
        raise JsonError(_("JSON nested too deeply")) from None
    return value
