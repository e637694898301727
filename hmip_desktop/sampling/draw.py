"""The stratified random draw: allocation, the keyed order, provisional and final lists, reserves.

Anyone can re-run a draw from the candidates and the seed, in any language: the order is a
keyed hash of each case id, not the state of a random-number generator, and every rounding
and tie is fixed (docs/sampling.md, ## Draw). The method follows Probation inspections
external guidance manual §4.2-4.3, Youth offending service inspections external guidance
manual §4.1-4.3 and Dynamic inspection of public protection guidance manual §4.1-4.2.
"""

from __future__ import annotations

import hmac
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import islice

from hmip_desktop.i18n import _
from hmip_desktop.sampling.adjust import meet_constraints, plural, stratum_name
from hmip_desktop.sampling.model import (
    Adjustment,
    Candidate,
    Constraints,
    Draw,
    Returned,
    SamplingError,
    Split,
)

Stratum = tuple[str, ...]

_SEED = re.compile(r"[0-9]{1,40}")


def check_seed(seed: object) -> int:
    """The seed as a whole number of 0 or more (from an int or decimal text), or refused."""
    if isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 10**40:
        return seed
    if isinstance(seed, str) and _SEED.fullmatch(seed.strip()):
        return int(seed.strip())
    raise SamplingError(_("The seed must be a whole number of 0 or more (up to 40 digits), not "
                          "{seed!r}.").format(seed=str(seed)[:40]))


def _key(seed: object) -> bytes:
    return str(check_seed(seed)).encode("ascii")


def _sort_key(key: bytes) -> Callable[[str], bytes]:
    """The key that puts case ids in drawn order: HMAC-SHA256, then the id's own order.

    One ``bytes``: the 32-byte digest, then the id's UTF-8 bytes. The digests decide; equal
    digests (which do not happen in practice) leave it to the UTF-8 bytes, which sort as the
    ids' code points do, so this is the order of the (digest, id) pairs. The keyed object is
    made once and copied for each case: the standard library's one-shot ``hmac.digest``
    looks the hash up by name and pads the key again on every call, twice as slow over a
    long list (docs/performance.md); the digests are the same (RFC 2104).
    """
    keyed = hmac.new(key, digestmod="sha256").copy

    def sort_key(case_id: str) -> bytes:
        h = keyed()
        message = case_id.encode("utf-8")
        h.update(message)
        return h.digest() + message
    return sort_key


def keyed_order(seed: object, case_ids: Iterable[str]) -> list[str]:
    """The case ids in drawn order for ``seed``.

    Each id is ordered by HMAC-SHA256 with the key the seed in decimal ASCII digits (no sign,
    no leading zeros: ``7``, not ``007``) and the message the id's UTF-8 bytes; the 32-byte
    digests compare as unsigned big-endian numbers (the same as their lowercase hex). Equal
    digests, which do not happen in practice, fall back to the id's own order.
    """
    return sorted(case_ids, key=_sort_key(_key(seed)))


def _hamilton(weights: Mapping[Stratum, int], target: int) -> dict[Stratum, int]:
    """Largest-remainder shares of ``target`` in proportion to ``weights`` (all exact)."""
    total = sum(weights.values())
    if total == 0:
        return dict.fromkeys(weights, 0)
    shares = {s: target * w // total for s, w in weights.items()}
    left = target - sum(shares.values())
    # Largest remainder first; ties to the larger stratum, then the stratum's name in order.
    ahead = sorted(weights, key=lambda s: (-(target * weights[s] % total), -weights[s], s))
    for s in ahead[:left]:
        shares[s] += 1
    return shares


def allocate(strata_counts: Mapping[Stratum, int], target: int) -> dict[Stratum, int]:
    """Proportionate allocation of ``target`` cases to strata, by largest remainder (Hamilton).

    Each stratum first gets the whole part of its exact quota, ``target × count / total``;
    the cases left over go one each to the strata with the largest remainders. Equal
    remainders go to the stratum with more cases, then to the stratum whose values come first
    in order. The result sums exactly to ``target``, each stratum within one case of its exact
    quota and never above what it holds; a target at or above the total takes every case.
    Probation inspections external guidance manual §4.2: proportionate stratification.
    """
    if isinstance(target, bool) or not isinstance(target, int) or target < 0:
        raise SamplingError(_("The sample size must be a whole number of 0 or more, not "
                              "{target!r}.").format(target=target))
    if any(n < 0 for n in strata_counts.values()):
        raise SamplingError(_("A stratum cannot hold fewer than no cases."))
    if target >= sum(strata_counts.values()):
        return dict(strata_counts)
    return _hamilton(strata_counts, target)


@dataclass(frozen=True, slots=True)
class DrawRequest:
    """What a draw needs: the eligible candidates, the final size, the rules' settings."""

    candidates: Sequence[Candidate]
    target: int
    seed: int | str
    constraints: Constraints = field(default_factory=Constraints)
    split: Split | None = None
    spread: bool = False  # stage 1: spread each stratum's cases across PDUs or sites
    margin_percent: int = 20  # the provisional list is this much larger than the final
    reserves_per_stratum: int = 0  # at least this many provisional cases beyond each final share
    reserves: int = 0  # at least this many provisional cases beyond each part's final cases


def provisional_size(target: int, margin_percent: int) -> int:
    """The final size plus ``margin_percent`` of it, rounded up (120 for 100 at 20%)."""
    return target + (target * margin_percent + 99) // 100


def _orders(cands: Sequence[Candidate], key: bytes, spread: bool,
            ) -> tuple[dict[Stratum, list[Candidate]], dict[str, int], dict[str, int]]:
    """Each stratum's candidates in drawn order, with each case's rank and place.

    The rank is a case's place in the keyed order of the whole list; the place, its place in
    its stratum's order. Worked on the candidates' places in ``cands``: the sort compares
    only the keys (``_sort_key``), and each candidate is read once, in the list's order, not
    again and again in the drawn order, which jumps about the memory the list was built in.
    """
    ids = [c.case_id for c in cands]
    keys = list(map(_sort_key(key), ids))
    drawn = sorted(range(len(cands)), key=keys.__getitem__)  # places in the keyed order
    del keys
    rank = dict(zip(ids, _inverse(drawn), strict=True))
    strata = [c.stratum for c in cands]
    groups: dict[Stratum, list[int]] = defaultdict(list)
    for i in drawn:
        groups[strata[i]].append(i)
    if spread:
        pdus = [c.pdu for c in cands]
        for s, g in groups.items():
            groups[s] = _spread(g, pdus)
    position = [0] * len(cands)
    for g in groups.values():
        for j, i in enumerate(g):
            position[i] = j
    return ({s: list(map(cands.__getitem__, g)) for s, g in groups.items()}, rank,
            dict(zip(ids, position, strict=True)))


def _inverse(order: list[int]) -> list[int]:
    """For each place, where ``order`` puts it."""
    out = [0] * len(order)
    for r, i in enumerate(order):
        out[i] = r
    return out


def _spread(order: list[int], pdus: Sequence[str]) -> list[int]:
    """Interleave a stratum's PDUs so any first k cases share them in proportion (stage 1).

    ``order`` holds the stratum's cases in keyed order (their places; ``pdus`` gives each
    place's PDU). The r-th case (from 0) of a PDU holding n of the stratum's cases goes to
    place (2r + 1) / 2n; equal places keep the keyed order (the sort is stable). Places are
    compared as floating-point quotients: for any long list below ten million cases two
    different fractions differ by far more than a double's rounding, so this is the exact
    order of the fractions.
    """
    at_pdu: dict[str, list[int]] = defaultdict(list)
    for k, i in enumerate(order):
        at_pdu[pdus[i]].append(k)
    place = [0.0] * len(order)
    for held in at_pdu.values():
        twice = 2 * len(held)
        for r, k in enumerate(held):
            place[k] = (2 * r + 1) / twice
    return list(map(order.__getitem__, sorted(range(len(order)), key=place.__getitem__)))


def _parts(request: DrawRequest, counts: Mapping[Stratum, int],
           ) -> tuple[list[tuple[str, dict[Stratum, int], int]], list[str]]:
    """The parts of the sample (one unless split), each with its strata and target."""
    total = sum(counts.values())
    if request.split is None:
        unmet = ([f"The long list holds only {plural(total, 'eligible case')}, fewer than "
                  f"the {request.target} wanted; all are taken."]
                 if request.target > total else [])
        return [("", dict(counts), min(request.target, total))], unmet
    split = request.split
    names = [name for name, _ in split.parts]
    if len(set(names)) != len(names) or any(w <= 0 for _, w in split.parts) or not names:
        raise SamplingError(_("Each part of the split needs its own name and a share above 0."))
    inside: dict[str, dict[Stratum, int]] = {name: {} for name in names}
    for s, n in counts.items():
        part = s[split.variable] if len(s) > split.variable else ""
        if part not in inside:
            raise SamplingError(_("Cases in the group {group} belong to no part of the split "
                                  "({names}).").format(
                                    group=stratum_name(s), names=', '.join(names)))
        inside[part][s] = n
    wanted = _hamilton({(name,): w for name, w in split.parts}, request.target)
    parts, unmet = [], []
    for name in names:
        held = sum(inside[name].values())
        if wanted[(name,)] > held:
            unmet.append(f"{name}: {plural(wanted[(name,)], 'case')} wanted but the long list "
                         f"holds only {held}; all are taken.")
        parts.append((name, inside[name], min(wanted[(name,)], held)))
    return parts, unmet


def _provisional_quotas(counts: Mapping[Stratum, int], final: Mapping[Stratum, int],
                        size: int) -> dict[Stratum, int]:
    """The provisional allocation, never below the final one, summing to ``size``."""
    prov = {s: max(n, final[s]) for s, n in allocate(counts, size).items()}
    total = sum(counts.values())
    while sum(prov.values()) > size:  # only after a rare largest-remainder paradox
        over = [s for s in prov if prov[s] > final[s]]
        s = max(over, key=lambda s: (Fraction(prov[s]) - Fraction(size * counts[s], total), s))
        prov[s] -= 1
    return prov


def draw(request: DrawRequest) -> Draw:
    """Draw the provisional and final samples (Probation inspections external guidance manual §4.3).

    Each stratum takes its allocation in drawn order; the constraints are then met with the
    smallest adjustment (hmip_desktop.sampling.adjust); the provisional list adds, per
    stratum, the next cases drawn up to its share of the larger provisional size (and at least
    ``reserves_per_stratum`` of them where the stratum holds them); those extra cases are the
    reserves. The larger size is the margin's, or the final size plus ``reserves`` if that is
    more (the rules' reserve count), at most the cases held.
    """
    key = _key(request.seed)
    allocate({}, request.target)  # refuses a size that is not a whole number of 0 or more
    cands = list(request.candidates)
    ids = [c.case_id for c in cands]
    if len(set(ids)) != len(ids):
        twice = next(i for i, n in Counter(ids).items() if n > 1)
        raise SamplingError(_("Case {twice} is on the list more than once.").format(twice=twice))
    if request.margin_percent < 0 or request.reserves_per_stratum < 0 or request.reserves < 0:
        raise SamplingError(_("The provisional margin and the reserves cannot be below 0."))
    counts: dict[Stratum, int] = defaultdict(int)
    for c in cands:
        counts[c.stratum] += 1
    parts, unmet = _parts(request, counts)
    final_q: dict[Stratum, int] = {}
    exact: dict[Stratum, Fraction] = {}
    for _name, strata, target in parts:
        held = sum(strata.values())
        final_q.update(allocate(strata, target))
        exact.update({s: Fraction(target * n, held) for s, n in strata.items()})
    orders, rank, position = _orders(cands, key, request.spread)
    final, adjustments, unmet_c = meet_constraints(
        orders, final_q, exact, request.constraints, rank, position)
    # The provisional shares are taken after the adjustments, so a stratum that gave a case
    # up to meet a constraint still gets its reserves and the list stays 20% larger.
    drawn = {s: len(final.get(s, ())) for s in final_q}
    prov_q: dict[Stratum, int] = {}
    for _name, strata, target in parts:
        held = sum(strata.values())
        size = min(held, max(provisional_size(target, request.margin_percent),
                             target + request.reserves))
        prov_q.update(_provisional_quotas(strata, drawn, max(size, sum(drawn[s] for s in strata))))
    chosen = {c.case_id for cs in final.values() for c in cs}
    limit = request.constraints.max_per_practitioner
    held_by: dict[str, int] = defaultdict(int)
    for cs in final.values():
        for c in cs:
            held_by[c.practitioner] += 1
    provisional: list[Candidate] = []
    reserves: list[Candidate] = []
    for s in sorted(orders):
        extra = list(islice((c for c in orders[s] if c.case_id not in chosen and (
            limit <= 0 or not c.practitioner or held_by[c.practitioner] < limit)),
            max(prov_q[s] - len(final[s]), request.reserves_per_stratum, 0)))
        provisional += [*final[s], *extra]  # the final cases head their stratum
        reserves += extra
    return Draw(seed=check_seed(request.seed), target=request.target, allocation=final_q,
                provisional=tuple(provisional),
                final=tuple(c for s in sorted(final) for c in final[s]),
                reserves=tuple(reserves), constraints=request.constraints,
                adjustments=tuple(adjustments), unmet=tuple(unmet + unmet_c))


def _why_not(fact: Returned | None) -> str:
    """Why a returned case cannot be inspected, in the organisation's terms ("" if it can)."""
    if fact is None:
        return "the organisation did not return it"
    if fact.late_exclusion.strip():
        return f"excluded since the long list: {fact.late_exclusion.strip()}"
    if not fact.available:
        return "the practitioner is not available at fieldwork"
    if not fact.consent:
        return "the person on probation did not consent to contact"
    return ""


def final_from_returned(provisional: Draw, returned: Mapping[str, Returned]) -> Draw:
    """The final sample once the organisation has returned the provisional list.

    Each final case the organisation cannot offer is replaced by the first usable case of the
    same stratum further down the provisional list, so every stratum keeps its number of
    cases (Probation inspections external guidance manual §4.3, stage 3); the usable cases
    left over are the reserves.
    """
    on_list = {c.case_id for c in provisional.provisional}
    strangers = sorted(set(returned) - on_list)
    if strangers:
        more = f" (and {len(strangers) - 1} more)" if len(strangers) > 1 else ""
        raise SamplingError(_("Case {stranger}{more} on the returned list was not on the "
                              "provisional list.").format(stranger=strangers[0], more=more))
    limit = provisional.constraints.max_per_practitioner
    usable = [c for c in provisional.provisional if not _why_not(returned.get(c.case_id))]
    final_ids = {c.case_id for c in provisional.final}
    usable_ids = {c.case_id for c in usable}
    kept = [c for c in provisional.final if c.case_id in usable_ids]
    held: dict[str, int] = defaultdict(int)
    for c in kept:
        held[c.practitioner] += 1
    taken = {c.case_id for c in kept}
    adjustments, unmet = list(provisional.adjustments), list(provisional.unmet)
    for out in provisional.final:
        why = _why_not(returned.get(out.case_id))
        if not why:
            continue
        incoming = next((c for c in usable if c.stratum == out.stratum
                         and c.case_id not in taken and c.case_id not in final_ids
                         and (limit <= 0 or not c.practitioner or held[c.practitioner] < limit)),
                        None)
        if incoming is None:
            unmet.append(f"Case {out.case_id} cannot be inspected ({why}) and no usable case "
                         f"is left in the group {stratum_name(out.stratum)}.")
            continue
        taken.add(incoming.case_id)
        held[incoming.practitioner] += 1
        adjustments.append(Adjustment(out.case_id, incoming.case_id, out.stratum,
                                      f"{why[0].upper()}{why[1:]}; replaced by the next usable "
                                      f"case in the same group."))
    place = {c.case_id: i for i, c in enumerate(provisional.provisional)}
    final = tuple(sorted((c for c in usable if c.case_id in taken),
                         key=lambda c: place[c.case_id]))
    reserves = tuple(c for c in usable if c.case_id not in taken)
    return replace(provisional, final=final, reserves=reserves,
                   adjustments=tuple(adjustments), unmet=tuple(unmet))


def swap_for_reserve(final: Draw, case_id: str, reason: str) -> tuple[Draw, Adjustment]:
    """Replace a case found ineligible at fieldwork by the first reserve of its stratum.

    Dynamic inspection of public protection guidance manual §4.2. Returns the new draw and
    the swap to record in the audit; refused, changing nothing, when the case is not in the
    final sample, no reason is given, the stratum has no reserve left, or every reserve left
    would give its practitioner more cases than the one-per-practitioner (or other) limit.
    """
    reason = reason.strip()
    out = next((c for c in final.final if c.case_id == case_id), None)
    if out is None:
        raise SamplingError(_("Case {case_id} is not in the final sample.").format(case_id=case_id))
    if not reason:
        raise SamplingError(_("Give the reason case {case_id} is leaving the sample.").format(
                                case_id=case_id))
    limit = final.constraints.max_per_practitioner
    held: dict[str, int] = defaultdict(int)
    for c in final.final:
        if c is not out:
            held[c.practitioner] += 1
    same = [c for c in final.reserves if c.stratum == out.stratum]
    incoming = next((c for c in same
                     if limit <= 0 or not c.practitioner or held[c.practitioner] < limit), None)
    if incoming is None:
        stays = f"case {case_id} stays in the sample until a comparable case is agreed."
        if same:
            most = "one case" if limit == 1 else f"{limit} cases"
            raise SamplingError(
                _("Every reserve left in the group {group} is held by a practitioner "
                  "who already has {most} in the sample, the most allowed per "
                  "practitioner: {stays}").format(
                    group=stratum_name(out.stratum), most=most, stays=stays))
        raise SamplingError(_("No reserve is left in the group {group}: {stays}").format(
                                group=stratum_name(out.stratum), stays=stays))
    swap = Adjustment(out.case_id, incoming.case_id, out.stratum, reason)
    place = {c.case_id: i for i, c in enumerate(final.provisional)}
    kept = [c for c in final.final if c is not out] + [incoming]
    return replace(final, final=tuple(sorted(kept, key=lambda c: place[c.case_id])),
                   reserves=tuple(c for c in final.reserves if c is not incoming),
                   adjustments=(*final.adjustments, swap)), swap
