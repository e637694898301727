"""Findings and evidence in words for the lead's screens: kinds, questions, evidence, summaries.

Shared by the Findings and evidence tab and the Domain one tab, which shows the findings a
standard's rating draws on. No ids or item keys: a key question by its number and words, a
prompt by its letter and words, a document by its number in the register and its title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hmip_desktop.findings.items import key_question_of
from hmip_desktop.findings.service import Document, Finding
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _

KIND_LABELS = {"strength": _("Strength"), "improvement": _("Area for improvement")}


def prompt_label(fw: Framework, prompt_id: str) -> str:
    """``b) Have leaders communicated …`` (the letter the manual gives the prompt)."""
    return f"{prompt_id.rsplit('.', 1)[-1]}) {fw.prompts_by_id[prompt_id].text}"


def item_label(fw: Framework, item: str) -> str:
    """A key question as ``1.1.1 Is there …``, a prompt as ``1.1.1 b) Have leaders …``."""
    if item in fw.key_questions_by_id:
        return f"{item} {fw.key_questions_by_id[item].text}"
    if item in fw.prompts_by_id:
        return f"{key_question_of(fw, item)} {prompt_label(fw, item)}"
    return item


def item_ref(fw: Framework, item: str) -> str:
    """A key question by its number, a prompt as ``1.1.1 b)``."""
    if item in fw.prompts_by_id:
        return f"{key_question_of(fw, item)} {item.rsplit('.', 1)[-1]})"
    return item


def item_short(fw: Framework, item: str) -> str:
    """Where a finding sits within its key question: the key question, or the prompt's letter."""
    if item in fw.prompts_by_id:
        return _("Prompt {letter}").format(letter=item.rsplit(".", 1)[-1])
    return _("Key question")


def evidence_words(f: Finding, register: Mapping[int, Document]) -> str:
    """The evidence behind a finding, in words; says so when none is named."""
    parts = [_("Document {n}: {title}").format(
        n=n, title=register[n].title if n in register else _("(removed)"))
        for n in f.documents]
    parts += [_("Meeting: {what}").format(what=m) for m in f.meetings]
    parts += [_("Case data: {what}").format(what=c) for c in f.cases]
    return "; ".join(parts) if parts else _("No evidence named")


def standard_summary(fw: Framework, found: Sequence[Finding],
                     register: Mapping[int, Document]) -> str:
    """The findings a standard's rating draws on, one a line, for the Domain one tab."""
    if not found:
        return _("No findings on this standard's key questions yet (record them on the "
                 "Findings and evidence tab).")
    lines = [_("Findings on this standard's key questions ({n}):").format(n=len(found))]
    for f in found:
        lines.append("• " + _("{kind} on {kq}: {text} — {evidence}").format(
            kind=KIND_LABELS[f.kind], kq=key_question_of(fw, f.item), text=f.text,
            evidence=evidence_words(f, register)))
    return "\n".join(lines)
