"""Counting cases on earlier editions of the inspection's framework with its own.

A case that stayed on an earlier edition when the inspection moved on (``cases.framework_hash``)
is counted under the inspection's edition only where the editions' mapping says a key question
is the same (``EditionMapping.same_key_questions``: the key question and each of its prompts
continue one old item each, one to one), along every step of the lineage between them. A key
question of the earlier edition with no such successor would put different questions' answers
in one row, or drop them: consolidation then refuses, naming the editions and which cases are
on which, so the lead knows whose cases to move or leave out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.double.records import recorded_items
from hmip_desktop.frameworks.edition_mapping import (
    CASE_PREFIX,
    NOTE_PREFIX,
    MappingError,
    edition_mapping,
)
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import case_editions, case_items
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class Carry:
    """How a case on an earlier edition is read under the inspection's edition."""

    old: Framework
    key_questions: Mapping[str, str]
    """Old key question id → the new key question it is counted under (the same ones only)."""
    items: Mapping[str, tuple[str, ...]]
    """Old item key → the new item keys its answer is shown under (``EditionMapping.new_key``
    along the lineage); an item absent here keeps its key."""
    unsafe: tuple[str, ...]
    """Old case key questions with no same successor, in form order."""

    def item_keys(self, old_key: str) -> tuple[str, ...]:
        return self.items.get(old_key, (old_key,))


def _answered(fw: Framework) -> list[str]:
    return [k.id for k in fw.case_key_questions()]


_CARRIES: dict[tuple[str, ...], Carry] = {}


def _carry(steps: tuple[Framework, ...]) -> Carry:
    """The carry along ``steps`` (oldest first, each superseded by the next), once per run."""
    key = tuple(fw.hash for fw in steps)
    if key not in _CARRIES:
        _CARRIES[key] = _carry_along(steps)
    return _CARRIES[key]


def _carry_along(steps: tuple[Framework, ...]) -> Carry:
    old = steps[0]
    kqs = {k: k for k in _answered(old)}
    keys: dict[str, tuple[str, ...]] = {k: (k,) for k in _item_keys(old)}
    for before, after in pairwise(steps):
        mapping = edition_mapping(before, after)
        same = mapping.same_key_questions()
        back = {mapping.carried[k]: k for k in same}
        kqs = {o: back[k] for o, k in kqs.items() if k in back}
        keys = {o: tuple(n for k in ks for n in mapping.new_key(k)) for o, ks in keys.items()}
    items = {o: ks for o, ks in keys.items() if ks != (o,)}
    unsafe = tuple(k for k in _answered(old) if k not in kqs)
    return Carry(old, kqs, items, unsafe)


def _item_keys(fw: Framework) -> list[str]:
    out: list[str] = []
    for kq in fw.case_key_questions():
        out.append(kq.id)
        out.append(NOTE_PREFIX + kq.id)
        out.extend(p.id for p in kq.prompts)
    out.extend(CASE_PREFIX + q.id for q in fw.case_questions)
    return out


def carries(ws: Workspace, inspection_id: str, fw: Framework,
            editions: Iterable[str]) -> dict[str, Carry]:
    """Edition hash → its ``Carry`` to ``fw`` (the inspection's), for each earlier one given.

    An edition outside the lineage held here carries nothing: every key question is unsafe.
    """
    earlier = set(editions) - {fw.hash}
    if not earlier:  # the usual case: every case on the inspection's edition
        return {}
    lineage = ws.inspection_editions(inspection_id)
    index = {e.hash: n for n, e in enumerate(lineage)}
    out: dict[str, Carry] = {}
    for h in earlier:
        old = ws.framework(h)
        n, top = index.get(h), index.get(fw.hash)
        try:
            if n is None or top is None or n < top:
                raise MappingError(h)
            out[h] = _carry(_steps(lineage[top:n + 1]))
        except MappingError:
            out[h] = Carry(old, {}, {}, tuple(_answered(old)))
    return out


def _steps(newest_first: list[Framework]) -> tuple[Framework, ...]:
    """Oldest first, one file per edition: each superseded by the next."""
    out: list[Framework] = []
    for fw in reversed(newest_first):
        if not out or (out[-1].id, out[-1].edition) != (fw.id, fw.edition):
            out.append(fw)
    return tuple(out)


def counted_items(ws: Workspace, inspection_id: str, fw: Framework, keys: Iterable[str],
                  cases: Iterable[str]) -> dict[str, dict[str, str]]:
    """Case id → its answers to ``keys`` (items of ``fw``), for the cases given, in one query.

    A case on an earlier edition has its answers under ``fw``'s item keys (``Carry.items``),
    as consolidation counts it.
    """
    wanted, keep = set(keys), set(cases)
    if not wanted or not keep:
        return {}
    editions = case_editions(ws, inspection_id)
    carried = carries(ws, inspection_id, fw, {editions[c] for c in keep if c in editions})
    fetch = set(wanted)
    for carry in carried.values():
        fetch.update(o for o, new in carry.items.items() if wanted.intersection(new))
    items = recorded_items(ws, inspection_id,
                           case_items(ws, inspection_id, only=tuple(sorted(fetch))), fetch)
    out: dict[str, dict[str, str]] = {}
    for cid, own in items.items():
        if cid not in keep:
            continue
        on = carried.get(editions[cid])
        out[cid] = {k: v for k, v in own.items() if k in wanted} if on is None else {
            n: v for k, v in own.items() for n in on.item_keys(k) if n in wanted}
    return out


def counted_key_questions(ws: Workspace, inspection_id: str, fw: Framework,
                          cases: Iterable[str]) -> dict[str, Mapping[str, str]]:
    """Case id → its edition's key question → the one of ``fw`` it is counted under.

    For each case given that is on an earlier edition: a partner's comment names the former.
    """
    keep = set(cases)
    editions = {c: h for c, h in case_editions(ws, inspection_id).items() if c in keep}
    carried = carries(ws, inspection_id, fw, editions.values())
    return {c: carried[h].key_questions for c, h in editions.items() if h in carried}


def refuse_mixed(fw: Framework, carried: Mapping[str, Carry],
                 counted: Mapping[str, list[str]]) -> None:
    """Refuse, in one line, where counted cases' key questions are not the same.

    Where cases counted on an earlier edition have a key question with no same successor in
    the inspection's edition.
    ``counted``: edition hash → the references of the cases counted on it.
    """
    unsafe = sorted({k for h, c in carried.items() if counted.get(h) for k in c.unsafe})
    if not unsafe:
        return
    editions = {fw.hash: fw, **{h: c.old for h, c in carried.items()}}
    on = "; ".join(
        _("edition {edition}: {refs}").format(edition=editions[h].edition,
                                              refs=", ".join(sorted(refs)))
        for h, refs in sorted(counted.items(), key=lambda hr: editions[hr[0]].edition)
        if refs)
    raise ConsolidationError(_(
        "refused: the cases counted are on different editions of the framework, which do not "
        "ask key questions {kqs} the same way, so their answers cannot be counted together "
        "({on}); move those cases to the inspection's edition first").format(
            kqs=", ".join(unsafe), on=on))
