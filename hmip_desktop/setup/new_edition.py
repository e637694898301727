"""The lead issues a new edition of the inspection's framework to the team.

The new edition must directly supersede the one the inspection holds, with a mapping that fits
(frameworks/edition_mapping.py). Adopting it makes it the inspection's framework at the lead:
cases the lead already holds content for keep their edition pinned until their member's bundle
brings them moved (the lead never moves a member's work); the lead's own cases that are not
complete move at once (store/edition_moves.py). The complete cases the lead chooses to move are
recorded and travel in each member's next pack (exchange/pack_editions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.edition_mapping import mapping_faults
from hmip_desktop.frameworks.loader import (
    FrameworkError,
    available_frameworks,
    load_framework_bytes,
)
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.edition_moves import CaseMove
from hmip_desktop.store.workspace import Workspace


class NewEditionError(UserError):
    """The edition offered cannot follow the inspection's; nothing was written."""


@dataclass(frozen=True)
class EditionSource:
    """A framework file to adopt: its bytes, and where it came from (the frameworks list)."""

    content: bytes
    came_from: str  # 'shipped' or 'file'
    from_name: str


@dataclass(frozen=True)
class EditionPlan:
    old: Framework
    new: Framework
    cases: list[CaseMove]
    complete: tuple[str, ...]
    """References of the complete cases the lead may choose to move."""


def edition_source(spec: str) -> EditionSource:
    """A shipped framework by id, or a framework file (a name ending .json or a file)."""
    path = Path(spec)
    if spec.endswith(".json") or path.is_file():
        try:
            return EditionSource(path.read_bytes(), "file", path.name)
        except OSError as e:
            raise NewEditionError(_("cannot read {file}: {why}").format(
                file=path.name, why=e.strerror or e)) from None
    known = {fw.id for fw in available_frameworks()}
    if spec not in known:
        raise NewEditionError(_("no framework {id!r}: give a shipped framework id ({known}) "
                                "or a framework file").format(id=spec,
                                                              known=", ".join(sorted(known))))
    return EditionSource(resource("frameworks", f"{spec}.json").read_bytes(), "shipped", spec)


def plan_edition(ws: Workspace, inspection_id: str, source: EditionSource,
                 move_complete: Sequence[str] = ()) -> EditionPlan:
    """What adopting the edition would do to each case; nothing is written."""
    if ws.owner_role != "lead":
        raise NewEditionError(_("only the lead issues a new edition of the framework"))
    try:
        new = load_framework_bytes(source.content, source.from_name or "framework")
    except FrameworkError as e:
        raise NewEditionError(str(e)) from None
    old = ws.inspection_framework(inspection_id)
    if new.hash == old.hash:
        raise NewEditionError(_("the inspection already uses that edition"))
    faults = mapping_faults(old, new)
    if faults:
        raise NewEditionError(_("refused: {fault}").format(fault=faults[0]))
    cases = ws.preview_move(inspection_id, new, move_complete=_ids(ws, inspection_id,
                                                                    move_complete))
    complete = tuple(s.case.case_ref for s in ws.list_cases(inspection_id, on_demand=True)
                     if s.status == "complete")
    return EditionPlan(old, new, cases, complete)


def _ids(ws: Workspace, inspection_id: str, refs: Sequence[str]) -> list[str]:
    by_ref = {s.case.case_ref: s for s in ws.list_cases(inspection_id, on_demand=True)}
    out = []
    for ref in refs:
        s = by_ref.get(ref)
        if s is None:
            raise NewEditionError(_("no case {ref} in this inspection").format(ref=ref))
        if s.status != "complete":
            raise NewEditionError(_("case {ref} is not complete: it moves anyway").format(
                ref=ref))
        out.append(s.case.id)
    return out


def adopt_edition(ws: Workspace, inspection_id: str, source: EditionSource, *,
                  move_complete: Sequence[str] = (),
                  move_all_complete: bool = False) -> EditionPlan:
    """Make the edition the inspection's; returns the plan with the lead's own moves done.

    ``move_complete``: references of complete cases to move too (``move_all_complete``: all).
    """
    plan = plan_edition(ws, inspection_id, source, move_complete)
    refs = plan.complete if move_all_complete else tuple(move_complete)
    chosen = _ids(ws, inspection_id, refs)
    with ws.transaction():
        new = ws.store_framework(source.content, came_from=source.came_from,
                                 from_name=source.from_name)
        ws.set_inspection_framework(inspection_id, new)
        ws.choose_complete_moves(inspection_id, new, chosen)
    moves = ws.move_cases(inspection_id, new, move_complete=chosen)
    return EditionPlan(plan.old, new, moves, plan.complete)
