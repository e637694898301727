"""Key-question titles short enough for the form's navigation, and still told apart.

Sibling key questions often open with the same words ("Does assessment focus sufficiently
on …") and differ only at the end, so cutting each title at a fixed length made them look the
same. Here a long title drops the opening it shares with a sibling, and what is still too long
is elided in the middle, keeping its beginning and its distinct ending. The full title stays
in the tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence

NAV_TITLE_CHARS = 48
ELLIPSIS = "…"


def _shared_words(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def elide_middle(text: str, limit: int = NAV_TITLE_CHARS) -> str:
    """``text`` cut at word boundaries to about ``limit`` characters, keeping its ending."""
    if len(text) <= limit:
        return text
    words = text.split()
    tail: list[str] = []
    # The ending carries the distinction: it gets about two thirds of the room.
    while words and len(" ".join([words[-1], *tail])) <= limit * 2 // 3:
        tail.insert(0, words.pop())
    head: list[str] = []
    room = limit - len(" ".join(tail)) - 3  # a space, the ellipsis, a space
    for w in words:
        if len(" ".join([*head, w])) > room:
            break
        head.append(w)
    if not tail:  # one very long word: cut it by characters
        return text[: limit - 1] + ELLIPSIS
    return f"{' '.join(head)} {ELLIPSIS} {' '.join(tail)}".strip()


def sibling_titles(texts: Sequence[str], limit: int = NAV_TITLE_CHARS) -> list[str]:
    """Each title as the navigation shows it, told apart from its siblings'."""
    split = [t.split() for t in texts]
    out = []
    for i, text in enumerate(texts):
        if len(text) <= limit:
            out.append(text)
            continue
        words = split[i]
        shared = max((_shared_words(words, other) for j, other in enumerate(split) if j != i),
                     default=0)
        # Keep the first word ("Does", "Is"), so the title still reads as a question, and the
        # two shared words before the difference, so the difference reads in context.
        start = shared - 2
        if start >= 2 and shared < len(words):
            rest = words[start:]
            # Still too long: the ellipsis is already there, so drop more from its front.
            while len(rest) > 1 and len(" ".join([words[0], ELLIPSIS, *rest])) > limit:
                rest.pop(0)
            out.append(" ".join([words[0], ELLIPSIS, *rest]))
        else:
            out.append(elide_middle(text, limit))
    return out
