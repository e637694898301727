"""The comparison of a double-assessed case: the two assessments item by item.

The same comparison as a training event's (``training.compare``, ``training.kappa``): the
allocated assessor's answers stand where the benchmark stands there, and the second
assessor's where a trainee's do. Every item either of them answered is compared (an item one
left unanswered differs); the key-question judgements show agreement per key question, the
evidence notes are set side by side, and kappa is worked out over all the items.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.double.records import (
    REASONS,
    Double,
    DoubleError,
    double,
    second_answers,
)
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.compare import Comparison, compare
from hmip_desktop.training.events import Benchmark, Received, compared_items
from hmip_desktop.training.report import Words


@dataclass(frozen=True)
class DoubleComparison:
    """One double-assessed case: who the two are, and their comparison."""

    double: Double
    comparison: Comparison


def double_comparison(ws: Workspace, inspection_id: str, case: str) -> DoubleComparison:
    """The two assessments of ``case`` compared; refused until both are complete."""
    d = double(ws, inspection_id, case)
    theirs = second_answers(ws, d.case_id)
    if not d.both_complete or theirs is None:
        raise DoubleError(_("case {ref} is not complete in both assessments yet: the "
                            "comparison waits until both assessors have completed it").format(
                                ref=d.case_ref))
    a = ws.read_assessment(d.case_id)
    fw = a.framework
    first = compared_items(fw, dict(a.items))
    second = compared_items(fw, dict(theirs["answers"]))
    # Every item either answered, with no answer ("") where the first left it: compared
    # as the benchmark's items are.
    union = {k: first.get(k, "") for k in {*first, *second}}
    bench = Benchmark(a.revision, d.first_name, d.marked_at, {d.case_id: union})
    got = Received(d.second_id, d.case_id, int(theirs["revision"]), second,
                   theirs["received_at"])
    c = compare(fw, d.case_ref, bench, [got], {d.second_id: d.second_name},
                {d.case_id: d.case_ref})
    return DoubleComparison(d, c)


def double_words(d: Double) -> Words:
    """The words of the training comparison's report for the two assessments of one case."""
    return Words(
        heading=_("Double assessment of case {ref}").format(ref=d.case_ref),
        intro=_("{first} assessed it as the case's assessor and {second} as its second "
                "assessor ({reason}).").format(first=d.first_name, second=d.second_name,
                                               reason=_(REASONS[d.reason])),
        each=_("Agreement between the two assessments"), person=_("Second assessor"),
        reference=_("{name}'s answer").format(name=d.first_name),
        wrong=_("Where the two assessments differ"), differed=_("Differed"),
        key_questions=_("Key questions: whether the two agreed"), agreed=_("Agreed"),
        reference_note=_("{name}'s note").format(name=d.first_name),
        person_note=_("{name}'s note").format(name=d.second_name),
        kappa_note=_("Kappa measures how far the two assessors agreed beyond the agreement "
                     "that answering by chance alone would give: 1 is full agreement, 0 is no "
                     "better than chance, below 0 worse than chance. The words beside it are "
                     "the usual reading of the figure (Landis and Koch)."),
        kappa_undefined=kappa_undefined_words())


def kappa_undefined_words() -> str:
    """Why kappa shows no figure for two assessors who answered every item alike."""
    return _("Kappa is not defined here: the two assessors gave one and the same answer to "
             "every item, so agreement beyond chance cannot be measured; read the share "
             "agreed instead.")
