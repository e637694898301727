"""Which key questions and prompts of a framework take findings and evidence in advance.

The organisational ones: every key question that is not answered case by case (a qualitative
one, or one of a lead-rated standard), and its prompts. Read from the framework file, never
listed here.
"""

from __future__ import annotations

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework, KeyQuestion
from hmip_desktop.i18n import _


class FindingsError(UserError):
    """A finding or evidence request that cannot be met; nothing was written."""


UNRATED_REFUSAL = _(
    "This framework is not rated: there are no ratings to give. Record findings on its "
    "organisational key questions instead (the finding add command, or the Findings and "
    "evidence tab)")
"""What a rating request on an unrated framework is told (the CLI's ``lead-rating``)."""


def organisational_key_questions(fw: Framework) -> tuple[KeyQuestion, ...]:
    """The framework's key questions judged from evidence rather than answered per case."""
    return tuple(k for s in fw.standards for k in s.key_questions
                 if not fw.is_case_answered(k))


def key_question_of(fw: Framework, item: str) -> str:
    """The key question an item is or belongs to (``item`` is a key question or a prompt)."""
    return item if item in fw.key_questions_by_id else fw.parent_of[item]


def check_item(fw: Framework, item: object, *, prompts: bool = True) -> str:
    """``item`` if it is an organisational key question (or, with ``prompts``, its prompt)."""
    if not isinstance(item, str) or not item.strip():
        raise FindingsError(_("Name a key question{or_prompt}").format(
            or_prompt=_(" or prompt") if prompts else ""))
    item = item.strip()
    if not prompts and item in fw.prompts_by_id:
        raise FindingsError(_("{item} is a prompt: a narrative is on a key question as a "
                              "whole").format(item=item))
    known = item in fw.key_questions_by_id or (prompts and item in fw.prompts_by_id)
    if not known:
        raise FindingsError(_("{item} is not a key question{or_prompt} of this inspection's "
                              "framework ({title})").format(
            item=item, or_prompt=_(" or prompt") if prompts else "", title=fw.title))
    kq = fw.key_questions_by_id[key_question_of(fw, item)]
    if fw.is_case_answered(kq):
        raise FindingsError(_("{item} is answered case by case: findings and evidence in "
                              "advance are for the organisational key questions").format(
            item=item))
    return item


def item_text(fw: Framework, item: str) -> str:
    """The question's words: a key question's or a prompt's text."""
    found = fw.key_questions_by_id.get(item) or fw.prompts_by_id.get(item)
    return found.text if found is not None else item
