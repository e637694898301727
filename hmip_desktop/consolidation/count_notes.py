"""The sentences saying which cases were counted, which were left out and why, and QA sign-off.

One wording for the CLI, the Tables tab, the panel summary and the workbook, so no view can
say it differently.
"""

from __future__ import annotations

from hmip_desktop.consolidation.counting import LEFT_OUT_REASONS
from hmip_desktop.consolidation.tables import Consolidation, KqRow, StandardTable
from hmip_desktop.i18n import N_, Labels, _

# Read when a table or workbook is written: in the language it is written in (``Labels``).
LEFT_OUT_LABELS = Labels({
    "in_progress": N_("in progress (not yet marked complete)"),
    "not_started": N_("not started"),
    "excluded": N_("should have been excluded"),
    "conflict": N_("conflict of interest declared"),
    "reassigned": N_("reassigned, the new owner's version not yet received"),
    "in_conflict": N_("revisions in conflict"),
})


def rule_sentence(c: Consolidation) -> str:
    if c.provisional:
        if c.incomplete == 1:
            return _("Provisional: includes 1 case in progress; not for publication.")
        return _("Provisional: includes {n} cases in progress; not for publication.").format(
            n=c.incomplete)
    return _("Counting only cases marked complete and not excluded.")


def counted_sentence(c: Consolidation) -> str:
    """How many cases were counted and how many of them are signed off."""
    return _("{n} cases counted; {s} of {n} counted cases signed off.").format(
        n=c.cases, s=c.signed_off)


def left_out_parts(c: Consolidation) -> list[str]:
    """Each reason with its count, e.g. "1 should have been excluded (C0001: too old)"."""
    reasons = [*LEFT_OUT_REASONS, *(r for r in c.left_out if r not in LEFT_OUT_REASONS)]
    out = []
    for why in reasons:
        n = c.left_out.get(why, 0)
        if not n:
            continue
        text = f"{n} {LEFT_OUT_LABELS.get(why, why.replace('_', ' '))}"
        if why == "excluded":
            given = [f"{ref}: {reason}" if reason else ref for ref, reason in c.excluded_reasons]
            text += f" ({'; '.join(given)})"
        out.append(text)
    return out


def left_out_sentence(c: Consolidation) -> str:
    parts = left_out_parts(c)
    return _("Left out: {what}.").format(what=", ".join(parts)) if parts \
        else _("No case left out.")


def standard_counts(t: StandardTable) -> str:
    """How many counted cases the standard rests on, and how many are signed off."""
    return _("Rests on {n} counted cases; {s} of {n} signed off.").format(
        n=t.cases, s=t.signed_off)


def not_applicable_note(r: KqRow) -> str:
    return _("{n} counted cases not applicable to this question, left out of its "
             "percentage").format(n=r.na) if r.na else ""


def unsigned_standards(c: Consolidation) -> list[StandardTable]:
    """Standards resting on counted cases the QA partner has not yet signed off."""
    return [t for t in c.tables if t.unsigned > 0]
