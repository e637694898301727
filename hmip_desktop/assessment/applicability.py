"""Whether an item applies to a case, and saving an answer that says so when it does not.

A framework's applicability rules (``frameworks/conditions.py``) take whole standards, key
questions or prompts out of a case: another case sample, a sub-sample the case is not in.
The form never shows such an item, but a script can still name it. Consolidation ignores its
answer (``completeness.effective_judgements``), correctly; ``save_answer`` tells the person
that at once, or (``strict``) refuses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hmip_desktop.assessment.completeness import case_rules
from hmip_desktop.assessment.items import NOTE, ItemError, validate
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.records import Change

if TYPE_CHECKING:
    from hmip_desktop.store.workspace import Workspace


class NotApplicableError(UserError):
    """A strict save of an answer to an item that does not apply to the case; nothing saved."""


def not_applicable_reason(framework: Framework, facts: Mapping[str, str],
                          items: Mapping[str, str], item: str) -> str | None:
    """Why ``item`` does not apply to a case holding ``items``, or None when it applies.

    A prompt, a key question or a key question's evidence note is out when the framework's
    rules take it, its key question or its standard out of the case. Case questions and the
    case record apply to every case.
    """
    target = item.removeprefix(NOTE)
    if target not in framework.prompts_by_id and target not in framework.key_questions_by_id:
        return None
    return case_rules(framework, facts, items).not_applicable.get(target)


@dataclass(frozen=True)
class Answered:
    """One save, and why its item does not apply to the case (None when it does)."""

    change: Change
    does_not_apply: str | None


def save_answer(ws: Workspace, case: str, item: str, value: str, *,
                strict: bool = False) -> Answered:
    """Save one answer as the form does, saying when its item does not apply to the case.

    Applicability is judged on the case as it would stand after the save. Clearing an item
    never warns. With ``strict`` such an answer is refused (``NotApplicableError``) and
    nothing is saved.
    """
    a = ws.read_assessment(case)  # a reference or an id, as find_case takes
    try:
        new = validate(a.framework, item, value)
    except ItemError:
        new = ""  # save_item refuses it with its own message
    why = None
    if new:
        why = not_applicable_reason(a.framework, a.case.facts, {**a.items, item: new}, item)
    if why and strict:
        raise NotApplicableError(_(
            "refused: {item} does not apply to case {ref} ({why}); nothing saved").format(
                item=item, ref=a.case.case_ref, why=why.rstrip(".")))
    return Answered(ws.save_item(a.case.id, item, value), why)
