"""Which item of a superseded edition each item of the new edition continues.

The new edition says it per key question and prompt (``continues``, ``continues_shared``;
docs/framework-format.md, "Mapping items to the edition superseded"). An item that says
nothing continues the old item of the same id and kind, if there is one; ``continues:
"none"`` says it is new whatever its id. Moving a case to the new edition carries each answer
along this mapping; consolidation counts two editions' answers in one table only where the
mapping says a key question and all its prompts are the same.

Checked here, not by the loader, because only here are both editions at hand: an item
continuing one the old edition does not have (or one of another kind), and two new items
continuing one old item unless each says ``continues_shared``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import NO_PREDECESSOR, Framework, KeyQuestion, Prompt
from hmip_desktop.i18n import _

NOTE_PREFIX = "note:"
CASE_PREFIX = "case:"


class MappingError(UserError):
    """The new edition's mapping does not fit the edition it supersedes."""


@dataclass(frozen=True)
class EditionMapping:
    old: Framework
    new: Framework
    carried: dict[str, str]
    """New item id → the old item id whose answer it carries (key questions and prompts)."""
    new_items: tuple[str, ...]
    """New items with no predecessor, in form order: left blank, "new in this edition"."""
    removed: tuple[str, ...]
    """Old items no new item continues, in form order: their answers stay only in history."""

    def new_key(self, old_key: str) -> tuple[str, ...]:
        """The item keys of the new edition that an old item key's value moves to.

        Prompt and key-question answers and evidence notes follow the mapping (one old item
        may go to several new ones, said as shared); case questions keep their id where the new
        edition still asks them; anything else (the case record) is not the framework's and is
        kept as it is. An empty tuple: the value has no place in the new edition.
        """
        if old_key.startswith(NOTE_PREFIX):
            return tuple(NOTE_PREFIX + k for k in self._successors.get(
                old_key[len(NOTE_PREFIX):], ()))
        if old_key.startswith(CASE_PREFIX):
            return (old_key,) if old_key[len(CASE_PREFIX):] in self._new_questions else ()
        if ":" in old_key:
            return (old_key,)
        return self._successors.get(old_key, ())

    @cached_property
    def _successors(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = defaultdict(list)
        for new_id, old_id in self.carried.items():
            out[old_id].append(new_id)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _new_questions(self) -> frozenset[str]:
        return frozenset(q.id for q in self.new.case_questions)

    def same_key_questions(self) -> frozenset[str]:
        """New key questions whose answers may be counted with the old edition's in one table.

        The key question and every one of its prompts continue exactly one old item each, one
        to one, under an old key question whose prompts are exactly those continued.
        """
        old_kqs = {kq.id: kq for kq in _answered_kqs(self.old)}
        successors = self._successors
        same = set()
        for kq in _answered_kqs(self.new):
            old_id = self.carried.get(kq.id)
            if old_id is None or old_id not in old_kqs or len(successors[old_id]) != 1:
                continue
            olds = [self.carried.get(p.id) for p in kq.prompts]
            if None in olds or any(len(successors[o]) != 1 for o in olds if o is not None):
                continue
            if sorted(o for o in olds if o is not None) == sorted(
                    p.id for p in old_kqs[old_id].prompts):
                same.add(kq.id)
        return frozenset(same)


def _answered_kqs(fw: Framework) -> list[KeyQuestion]:
    return [kq for d in fw.domains for s in d.standards for kq in s.key_questions]


def _items(fw: Framework) -> dict[str, KeyQuestion | Prompt]:
    """Every key question and prompt, in form order."""
    out: dict[str, KeyQuestion | Prompt] = {}
    for kq in _answered_kqs(fw):
        out[kq.id] = kq
        for p in kq.prompts:
            out[p.id] = p
    return out


def _kind(item: KeyQuestion | Prompt) -> str:
    return _("key question") if isinstance(item, KeyQuestion) else _("prompt")


def mapping_faults(old: Framework, new: Framework) -> list[str]:
    """Every way the new edition's mapping does not fit the old edition, one line each."""
    faults: list[str] = []
    if new.supersedes is None or (new.supersedes.id, new.supersedes.edition) != (
            old.id, old.edition):
        faults.append(_("{new} edition {edition} does not supersede {old} edition {old_edition}")
                      .format(new=new.id, edition=new.edition, old=old.id,
                              old_edition=old.edition))
        return faults
    old_items, new_items = _items(old), _items(new)
    by_old: dict[str, list[str]] = defaultdict(list)
    for new_id, item in new_items.items():
        target = _target(item, old_items)
        if target is None:
            continue
        if target not in old_items:
            faults.append(_("{kind} {id} continues {old}, which {edition} does not have").format(
                kind=_kind(item), id=new_id, old=target, edition=old.edition))
        elif type(old_items[target]) is not type(item):
            faults.append(_("{kind} {id} continues {old}, which is a {old_kind}").format(
                kind=_kind(item), id=new_id, old=target, old_kind=_kind(old_items[target])))
        else:
            by_old[target].append(new_id)
    for old_id, new_ids in by_old.items():
        unsaid = [i for i in new_ids if not new_items[i].continues_shared]
        if len(new_ids) > 1 and unsaid:
            faults.append(_("{ids} all continue {old}; mark each continues_shared if that is "
                            "meant, or say which is new (continues \"none\")").format(
                ids=", ".join(new_ids), old=old_id))
    return faults


def _target(item: KeyQuestion | Prompt, old_items: dict[str, KeyQuestion | Prompt]) -> str | None:
    """The old id an item continues: as said, else the same id if the old edition has it."""
    if item.continues == NO_PREDECESSOR:
        return None
    if item.continues is not None:
        return item.continues
    return item.id if item.id in old_items and type(old_items[item.id]) is type(item) else None


def edition_mapping(old: Framework, new: Framework) -> EditionMapping:
    """The mapping from ``old`` to ``new``; ``MappingError`` (its first fault) if unfit."""
    faults = mapping_faults(old, new)
    if faults:
        raise MappingError(faults[0])
    old_items, new_items = _items(old), _items(new)
    carried = {}
    for new_id, item in new_items.items():
        target = _target(item, old_items)
        if target is not None:
            carried[new_id] = target
    continued = set(carried.values())
    return EditionMapping(
        old=old, new=new, carried=carried,
        new_items=tuple(i for i in new_items if i not in carried),
        removed=tuple(i for i in old_items if i not in continued))
