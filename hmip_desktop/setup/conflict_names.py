"""When two names may be the same person: the rule the allocation's conflict check uses.

A member must not inspect a case whose practitioner, or whose person on probation, may be
themselves or someone they know by that name (Probation inspections external guidance manual
§3.10: no case "where they have a prior or current connection"). Names in a case sample are
typed by the organisation, so the check forgives what typing changes:

- case, accents and punctuation are ignored ("Zoë O'Neil" is "zoe oneil"), and so are
  titles (Mr, Mrs, Ms, Miss, Mx, Dr);
- the surname (the last word) must be the same;
- the first name must be the same, or one of the two is an initial of the other
  ("R. Ashwillow" may be "Robin Ashwillow"); middle names are not compared.

A hit is a reason for the lead to look, not proof: the lead can override it with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})


@lru_cache(maxsize=8192)  # an allocation compares each name with every member's
def name_words(name: str) -> tuple[str, ...]:
    """The name's words, lower case, without accents, punctuation or a title."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’`]", "", plain)  # O'Neil is ONeil; a dot or comma parts words
    words = [w for w in re.split(r"[\s\-.,]+", plain) if w]
    return tuple(w for w in words if w not in TITLES)


def may_be_same(a: str, b: str) -> bool:
    """True when the two names may name the same person (the rule in the module doc)."""
    x, y = name_words(a), name_words(b)
    if len(x) < 2 or len(y) < 2 or x[-1] != y[-1]:
        return False
    f, g = x[0], y[0]
    return f == g or (len(f) == 1 and g.startswith(f)) or (len(g) == 1 and f.startswith(g))
