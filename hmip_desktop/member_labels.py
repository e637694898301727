"""Names to show for members: people are told apart by member id, names are for display.

Two members may share a name. Everything that groups, exports or addresses a bundle keys on the
member id; ``member_labels`` gives the text to show, the name alone where it is unique and the
name with the start of the member id (as ``hmip-desktop members`` lists it) where it is not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from hmip_desktop.i18n import _

SHORT_ID = 8


def member_labels(members: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Member id → the label to show, for (id, name) pairs; every label is distinct."""
    people = dict(members)
    same = Counter(" ".join(name.split()).casefold() for name in people.values())
    out: dict[str, str] = {}
    for mid, name in people.items():
        if same[" ".join(name.split()).casefold()] < 2:
            out[mid] = name
            continue
        n = SHORT_ID
        while n < len(mid) and any(o != mid and o[:n] == mid[:n] for o in people):
            n += 1
        out[mid] = _("{name} (member {id})").format(name=name, id=mid[:n])
    return out


def choices_by_label(members: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Label to show → member id, in the members' order, for a list to choose from."""
    listed = list(members)
    labels = member_labels((m["id"], m["name"]) for m in listed)
    return {labels[m["id"]]: m["id"] for m in listed}
