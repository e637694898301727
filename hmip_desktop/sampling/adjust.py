"""Meeting the draw's constraints with the smallest adjustment, each one recorded.

Two constraints, in this order (docs/sampling.md, ## Draw):

1. at most ``max_per_practitioner`` cases per practitioner: each surplus case is swapped for
   the next case drawn in the same stratum whose practitioner has room;
2. at least ``min_per_pdu`` cases per PDU: each missing case is swapped in from the PDU, and
   a case goes out of the stratum whose share is most over its exact quota.

Each swap changes one case for one case, so the sample keeps its size; where a constraint
cannot be met the reason is listed, never raised.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from fractions import Fraction

from hmip_desktop.sampling.model import Adjustment, Candidate, Constraints

Stratum = tuple[str, ...]


def stratum_name(stratum: Stratum) -> str:
    """A stratum as an inspector reads it, e.g. ``Male / Community / High``."""
    return " / ".join(stratum) or "the whole list"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Selection:
    """The cases chosen so far, per stratum, with the counts the constraints need."""

    def __init__(self, orders: Mapping[Stratum, list[Candidate]],
                 quotas: Mapping[Stratum, int], position: Mapping[str, int]) -> None:
        self.orders = orders
        self.chosen: dict[Stratum, list[Candidate]] = {s: list(o[:quotas[s]])
                                                       for s, o in orders.items()}
        self.ids = {c.case_id for cs in self.chosen.values() for c in cs}
        self.practitioners: Counter[str] = Counter(
            c.practitioner for cs in self.chosen.values() for c in cs if c.practitioner)
        self.pdus: Counter[str] = Counter(c.pdu for cs in self.chosen.values() for c in cs)
        self.position = position
        self.swapped_in: set[str] = set()
        self.adjustments: list[Adjustment] = []

    def has_room(self, c: Candidate, limit: int) -> bool:
        return limit <= 0 or not c.practitioner or self.practitioners[c.practitioner] < limit

    def swap(self, out: Candidate, incoming: Candidate, reason: str) -> None:
        self.chosen[out.stratum].remove(out)
        self.chosen[incoming.stratum].append(incoming)
        self.ids.discard(out.case_id)
        self.ids.add(incoming.case_id)
        for c, step in ((out, -1), (incoming, 1)):
            if c.practitioner:
                self.practitioners[c.practitioner] += step
            self.pdus[c.pdu] += step
        self.swapped_in.add(incoming.case_id)
        self.adjustments.append(Adjustment(out.case_id, incoming.case_id, out.stratum, reason))


def meet_constraints(orders: Mapping[Stratum, list[Candidate]], quotas: Mapping[Stratum, int],
                     exact: Mapping[Stratum, Fraction], constraints: Constraints,
                     rank: Mapping[str, int], position: Mapping[str, int],
                     ) -> tuple[dict[Stratum, list[Candidate]], list[Adjustment], list[str]]:
    """The final cases per stratum (in drawn order), the adjustments made, and what is unmet.

    ``orders`` holds each stratum's candidates in drawn order, ``quotas`` how many each stratum
    takes, ``exact`` its exact (unrounded) quota, and ``rank`` a case's place in the keyed order
    of the whole list (its keyed order) and ``position`` its place in its stratum's order.
    """
    sel = _Selection(orders, quotas, position)

    def by_rank(c: Candidate) -> int:
        return rank[c.case_id]

    unmet: list[str] = []
    if constraints.max_per_practitioner > 0:
        unmet += _cap_practitioners(sel, constraints.max_per_practitioner, by_rank)
    if constraints.min_per_pdu > 0:
        unmet += _lift_pdus(sel, constraints, exact, by_rank)
    final = {s: sorted(cs, key=lambda c: sel.position[c.case_id])
             for s, cs in sel.chosen.items()}
    return final, sel.adjustments, unmet


def _cap_practitioners(sel: _Selection, limit: int, rank: Callable[[Candidate], int]) -> list[str]:
    """Swap each practitioner's cases beyond ``limit`` (the latest in keyed order) away."""
    held: dict[str, list[Candidate]] = defaultdict(list)
    for cs in sel.chosen.values():
        for c in cs:
            if c.practitioner:
                held[c.practitioner].append(c)
    surplus = sorted((c for cs in held.values() for c in sorted(cs, key=rank)[limit:]), key=rank)
    unmet = []
    for out in surplus:
        incoming = next((c for c in sel.orders[out.stratum]
                         if c.case_id not in sel.ids and sel.has_room(c, limit)), None)
        if incoming is None:
            unmet.append(f"At most {plural(limit, 'case')} per practitioner: {out.practitioner} "
                         f"keeps case {out.case_id}, as no other case in the group "
                         f"{stratum_name(out.stratum)} has a practitioner with room.")
            continue
        sel.swap(out, incoming, f"{out.practitioner} already had "
                                f"{plural(limit, 'case')} in the sample (at most {limit} per "
                                f"practitioner); replaced by the next case drawn in the same "
                                f"group, {stratum_name(out.stratum)}.")
    return unmet


def _lift_pdus(sel: _Selection, constraints: Constraints, exact: Mapping[Stratum, Fraction],
               rank: Callable[[Candidate], int]) -> list[str]:
    """Swap cases into each PDU below the minimum, out of the strata most over their quota."""
    least, limit = constraints.min_per_pdu, constraints.max_per_practitioner
    every = {c.pdu for o in sel.orders.values() for c in o if c.pdu}
    short = [pdu for pdu in sorted(every) if sel.pdus[pdu] < least]
    by_pdu: dict[str, list[Candidate]] = {pdu: [] for pdu in short}
    for o in sel.orders.values():
        for c in o:
            if c.pdu in by_pdu:
                by_pdu[c.pdu].append(c)
    unmet = []
    for pdu in short:
        pool = sorted(by_pdu[pdu], key=rank)
        while sel.pdus[pdu] < least:
            incoming = next((c for c in pool if c.case_id not in sel.ids
                             and sel.has_room(c, limit)), None)
            if incoming is None:
                held = sel.pdus[pdu]
                why = (f"it has only {plural(len(pool), 'eligible case')}"
                       if len(pool) < least else "its other cases are held by practitioners "
                       "who already have their most cases in the sample")
                unmet.append(f"At least {plural(least, 'case')} from each PDU: {pdu} has "
                             f"{held} in the sample, as {why}.")
                break
            out = _case_to_take_out(sel, incoming, least, exact)
            if out is None:
                unmet.append(f"At least {plural(least, 'case')} from each PDU: {pdu} has "
                             f"{sel.pdus[pdu]} in the sample, as no case can leave another "
                             "PDU without taking it below the minimum.")
                break
            sel.swap(out, incoming, f"{pdu} had {sel.pdus[pdu]} in the sample and at least "
                                    f"{least} are needed from each PDU; the case went out of "
                                    f"the group most over its share, "
                                    f"{stratum_name(out.stratum)}.")
    return unmet


def _case_to_take_out(sel: _Selection, incoming: Candidate, least: int,
                      exact: Mapping[Stratum, Fraction]) -> Candidate | None:
    """The last drawn case of the stratum most over its exact quota once ``incoming`` is in."""
    def excess(s: Stratum) -> Fraction:
        return len(sel.chosen[s]) + (s == incoming.stratum) - exact[s]

    for s in sorted(sel.chosen, key=lambda s: (-excess(s), s)):
        for c in sorted(sel.chosen[s], key=lambda c: -sel.position[c.case_id]):
            if (c.case_id not in sel.swapped_in and c.pdu != incoming.pdu
                    and (not c.pdu or sel.pdus[c.pdu] > least)):
                return c
    return None
