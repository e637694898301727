"""A new edition of the inspection's framework arriving in a pack, and its moves.

A later pack keeps the inspection's framework, or carries the edition that directly supersedes
it (its ``supersedes`` names the edition held, and its mapping fits: ``mapping_faults``). An
older edition than the one held, or any other framework, is refused. Before a new edition is
taken in, the member is shown what will change for their cases (``EditionConfirmationNeeded``)
and imports again to confirm; the pack's own transaction then makes the new edition the
inspection's, and each case moves in a transaction of its own (store/edition_moves.py). The
optional entry ``edition_moves.json`` carries the lead's choice of complete cases that move
too (docs/bundle-format.md).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.payload import Entry, PayloadError
from hmip_desktop.frameworks.edition_mapping import mapping_faults
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.edition_moves import CaseMove
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace

MOVES = "edition_moves.json"
ENTRIES = (Entry(MOVES, optional=True),)


class FrameworkChangeError(UserError):
    """A later pack would give an inspection already held here a framework it may not have."""


class EditionConfirmationNeededError(UserError):
    """A pack brings a new edition: what it changes for the member's cases, to confirm."""

    def __init__(self, message: str, old: Framework, new: Framework,
                 preview: list[CaseMove]) -> None:
        super().__init__(message)
        self.old, self.new, self.preview = old, new, preview


def edition_step(ws: Workspace, inspection_id: str, fw: Framework) -> Framework | None:
    """The edition held when ``fw`` is the next one, else None.

    None when the pack keeps the inspection's framework (or is its first pack);
    ``FrameworkChangeError`` for an older edition or any other framework.
    """
    row = connection(ws).execute("SELECT framework_hash FROM inspections WHERE id = ?",
                                 (inspection_id,)).fetchone()
    if row is None or row[0] == fw.hash:
        return None
    held = ws.inspection_framework(inspection_id)
    held_text, offered_text = edition_words(held), edition_words(fw)
    if _is_older(ws, held, fw):
        raise FrameworkChangeError(_(
            "refused: this pack carries {offered}, an older edition than the {held} held "
            "here").format(offered=offered_text, held=held_text))
    sup = fw.supersedes
    if sup is None or (sup.id, sup.edition) != (held.id, held.edition):
        if held_text == offered_text:  # the same edition's name over different content
            offered_text = _("{edition} with different content").format(edition=offered_text)
        raise FrameworkChangeError(_(
            "refused: this pack would change the inspection's framework from {held} to "
            "{offered}, which is not the edition that follows it").format(
                held=held_text, offered=offered_text))
    faults = mapping_faults(held, fw)
    if faults:
        raise FrameworkChangeError(_("refused: the pack's new edition does not fit the one "
                                     "held: {fault}").format(fault=faults[0]))
    return held


def _is_older(ws: Workspace, held: Framework, offered: Framework) -> bool:
    """Whether the held edition supersedes ``offered``, directly or through editions held."""
    by_edition = {}
    for (h,) in connection(ws).execute("SELECT hash FROM frameworks WHERE id = ?",
                                       (held.id,)).fetchall():
        f = ws.framework(str(h))
        by_edition[f.edition] = f
    current: Framework | None = held
    seen = set()
    while current is not None and current.supersedes is not None:
        sup = current.supersedes
        if (sup.id, sup.edition) == (offered.id, offered.edition):
            return True
        if sup.edition in seen or sup.id != held.id:
            return False
        seen.add(sup.edition)
        current = by_edition.get(sup.edition)
    return False


def edition_words(fw: Framework) -> str:
    return _("{title}, edition {edition}").format(title=fw.title, edition=fw.edition)


def pack_entry(ws: Workspace, case_ids: list[str], framework_hash: str) -> dict[str, Any] | None:
    """The lead's choice of complete cases among ``case_ids`` that move to the edition."""
    chosen = ws.chosen_complete_moves(case_ids, framework_hash)
    return {"framework_hash": framework_hash, "move_complete": chosen} if chosen else None


def check_moves(value: Any, fw: Framework, case_ids: Collection[str]) -> list[str]:
    """The complete cases the pack says move, each a case of the pack; one line if not."""
    if value is None:
        return []
    if (not isinstance(value, dict) or value.get("framework_hash") != fw.hash
            or not isinstance(value.get("move_complete"), list)
            or not all(isinstance(c, str) and c in case_ids for c in value["move_complete"])):
        raise PayloadError(_("the pack's list of complete cases to move is not valid"))
    return list(value["move_complete"])


def confirmation_needed(ws: Workspace, inspection_id: str, old: Framework, new: Framework,
                        move_complete: Collection[str]) -> EditionConfirmationNeededError:
    preview = ws.preview_move(inspection_id, new, move_complete=move_complete)
    moving = sum(1 for p in preview if p.moves)
    if old.hash == new.hash:  # no new edition: complete cases the lead chose to move
        return EditionConfirmationNeededError(_(
            "this pack moves {n} of your complete cases to {new}, as the lead chose; nothing "
            "was imported (confirm to import it and move them)").format(
                n=moving, new=edition_words(new)), old, new, preview)
    return EditionConfirmationNeededError(_(
        "this pack brings {new}, the edition after {old}: {n} of your cases would move to it; "
        "nothing was imported (confirm to import it and move them)").format(
            new=edition_words(new), old=edition_words(old), n=moving), old, new, preview)


def preview_lines(preview: list[CaseMove]) -> list[str]:
    """What will change for each case, in words for inspectors."""
    out = []
    for p in preview:
        if p.moves:
            out.append(_("{ref}: moves to the new edition: {carried} answer(s) carried over, "
                         "{new} question(s) new in this edition to answer, {gone} answer(s) "
                         "kept only in the case history").format(
                ref=p.case_ref, carried=p.carried, new=p.new_items, gone=p.to_history))
        else:
            out.append(_("{ref}: stays on its edition ({why})").format(ref=p.case_ref,
                                                                        why=p.why_stays))
    return out or [_("none of your cases is on the edition held")]


def move_lines(moves: list[CaseMove]) -> list[str]:
    """What the moves did, for the import's report."""
    moved = [m for m in moves if m.moves]
    lines = [_("{n} case(s) moved to the new edition: {refs}").format(
        n=len(moved), refs=", ".join(m.case_ref for m in moved) or "-")]
    stayed = [m for m in moves if not m.moves]
    if stayed:
        lines.append(_("{n} case(s) stay on their edition: {refs}").format(
            n=len(stayed), refs=", ".join(m.case_ref for m in stayed)))
    return lines
