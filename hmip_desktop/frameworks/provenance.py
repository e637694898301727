"""Whose words a framework text is: the inspectorate's, or drafted for this product.

One place gives the wording, so the form, the guidance pane, the QA view, the lead's tables,
the lunchtime sheet, the exports and the CLI all say the same thing (000_ §6.2: the CARaG is
the reference, so text the product drafted must never pass for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.frameworks.model import CaseField, Framework, KeyQuestion, Prompt
from hmip_desktop.i18n import _

TextItem = Prompt | KeyQuestion | CaseField


def drafted_tag() -> str:
    """The short visible mark put next to a drafted text."""
    return _("drafted")


def drafted_words() -> str:
    """What the mark means, said in full wherever the mark is shown."""
    return _("Drafted for this product — check against the current CARaG")


def drafted_legend() -> str:
    """The mark and its meaning on one line, for a legend under a list or table."""
    return _("[{tag}] {words}").format(tag=drafted_tag(), words=drafted_words())


def item_of(fw: Framework, item_id: str) -> TextItem | None:
    """The prompt, key question or case field with this id (no ``case:`` prefix), if any."""
    return (fw.prompts_by_id.get(item_id) or fw.key_questions_by_id.get(item_id)
            or fw.fields_by_id.get(item_id))


def is_drafted(fw: Framework, item_id: str) -> bool:
    """True when the text of this prompt, key question or case field was drafted."""
    item = item_of(fw, item_id)
    return item is not None and item.drafted


def marked(text: str, drafted: bool) -> str:
    """The text with the plain ``[drafted]`` mark after it when it was drafted."""
    return f"{text} [{drafted_tag()}]" if drafted else text


def mark_column(drafted: bool) -> str:
    """The words of a 'drafted' column in an export: the full words, or nothing."""
    return drafted_words() if drafted else ""


def guidance_heading(item: TextItem | None) -> str:
    """The guidance pane's heading: whose guidance this is."""
    if item is not None and not item.guidance_drafted:
        return _("Guidance from the CARaG")
    return _("Guidance written for this product")


def guidance_attribution(fw: Framework, item: TextItem | None) -> str:
    """One sentence saying whose guidance text this is, citing the manual by title and section.

    ``item`` None stands for the product's own help text about the parts of the record.
    """
    ref = fw.guidance_reference
    if item is None:
        return _("Written for this product to explain the form; it is not the inspectorate's "
                 "text.")
    if not item.guidance_drafted:
        if ref:
            return _("The inspectorate's own guidance (the CARaG, as named in {reference}).") \
                .format(reference=ref)
        return _("The inspectorate's own guidance (the CARaG).")
    if ref:
        return _("Guidance written for this product, summarising the CARaG — check against "
                 "the current CARaG ({reference}).").format(reference=ref)
    return _("Guidance written for this product, summarising the CARaG — check against the "
             "current CARaG.")


@dataclass(frozen=True)
class DraftedCount:
    """How many key questions and prompts of a framework carry drafted text."""

    drafted: int
    items: int

    @property
    def percent(self) -> int:
        return round(100 * self.drafted / self.items) if self.items else 0


def drafted_count(fw: Framework) -> DraftedCount:
    """Count drafted texts among the framework's key questions and prompts."""
    flags = [*(k.drafted for k in fw.key_questions_by_id.values()),
             *(p.drafted for p in fw.prompts_by_id.values())]
    return DraftedCount(drafted=sum(flags), items=len(flags))


def source_json(fw: Framework) -> dict[str, object]:
    """The framework's ``source`` as the CLI's JSON gives it."""
    return {
        "documents": list(fw.source_documents),
        "notes": fw.source_notes,
        "guidance_reference": fw.guidance_reference,
    }
