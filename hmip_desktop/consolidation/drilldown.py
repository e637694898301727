"""From a key question's figures to the cases behind them, and the prompt-level counts.

``drill_down`` lists the counted cases behind Yes, No and Not applicable of one key question,
each with its owner (the member it is allocated to), the evidence note, the prompt answers and
the practitioner interview record in one line,
so the ratings panel can see what a figure rests on before using discretion (000_ §7.2).
The cases are exactly those the consolidation it is given counted, under the same rule.

``prompt_counts`` gives, per key question, each prompt's Yes, No and Not applicable with the
Yes percentage, as the inspectorate's data annexes publish them. A prompt is counted over the
counted cases whose key question is not judged not applicable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from hmip_desktop.assessment import interview
from hmip_desktop.assessment.items import NOTE
from hmip_desktop.consolidation.editions import counted_items, counted_key_questions
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.tables import Consolidation
from hmip_desktop.frameworks.model import KeyQuestion
from hmip_desktop.i18n import _
from hmip_desktop.member_labels import member_labels
from hmip_desktop.rules.ratings import whole_percent
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.review import Comment, comments_by_case

GROUPS = ("yes", "no", "na")


@dataclass(frozen=True)
class EvidenceCase:
    case_id: str
    case_ref: str
    owner: str
    """The member the case is allocated to ('' when it is not allocated)."""
    judgement: str
    evidence: str
    """The evidence note for the key question ('' when none was written)."""
    prompts: tuple[tuple[str, str | None], ...]
    """(prompt id, answer or None) for each prompt of the key question, in framework order."""
    complete: bool
    signed_off: bool
    interview: str = ""
    """The practitioner interview record in one line ('' when none is recorded)."""
    partner_comments: tuple[str, ...] = ()
    """Partner inspectors' comments on the case or this key question, each with who and when
    (youth offending services manual §6.1); read beside the figures, never counted."""


class YesNoCounts:
    """Counts of yes and no, with the percentage the tables print.

    For any frozen dataclass with ``yes`` and ``no`` fields: prompt counts, the table per PDU,
    the linked case data.
    """

    yes: int
    no: int

    @property
    def n(self) -> int:
        """Cases judged yes or no: what the percentage is of."""
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        """Yes as a whole percentage of yes + no, rounded half up; None when none answered."""
        return None if self.n == 0 else whole_percent(self.yes, self.n)


@dataclass(frozen=True)
class PromptCount(YesNoCounts):
    prompt_id: str
    text: str
    yes: int
    no: int
    na: int
    drafted: bool = False
    """The prompt's words were drafted for this product (frameworks/provenance.py)."""


@dataclass(frozen=True)
class DrillDown:
    kq_id: str
    text: str
    standard_id: str
    provisional_mark: str
    """The consolidation's mark ('' unless cases in progress were counted)."""
    cases: Mapping[str, tuple[EvidenceCase, ...]]
    """``yes``, ``no``, ``na`` → the counted cases judged so, by case reference."""
    prompts: tuple[PromptCount, ...]
    drafted: bool = False
    """The key question's words were drafted for this product (frameworks/provenance.py)."""


def case_key_question(c: Consolidation, kq_id: str) -> KeyQuestion:
    """The key question, refused in one line unless its table row comes from the cases."""
    fw = c.framework
    kq = fw.key_questions_by_id.get(kq_id)
    if kq is None:
        raise ConsolidationError(_("{kq_id!r} is not a key question of {id}").format(
                                     kq_id=kq_id, id=fw.id))
    if not fw.is_case_answered(kq):
        raise ConsolidationError(
            _("key question {kq_id} is not judged case by case: it has no cases behind it").format(
                kq_id=kq_id))
    return kq


def _items(ws: Workspace, c: Consolidation, keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """The counted cases' answers to ``keys`` (``editions.counted_items``).

    A case on an earlier edition has its answers under the keys of the edition counted.
    """
    return counted_items(ws, c.inspection_id, c.framework, keys, c.counted_case_ids)


def _count(kq: KeyQuestion, judgements: Mapping[str, Mapping[str, str]],
           items: Mapping[str, Mapping[str, str]]) -> tuple[PromptCount, ...]:
    counts = {p.id: {"yes": 0, "no": 0, "na": 0} for p in kq.prompts}
    for cid, j in judgements.items():
        if j.get(kq.id) == "na":
            continue
        own = items.get(cid, {})
        for p in kq.prompts:
            v = own.get(p.id)
            if v in ("yes", "no", "na"):
                counts[p.id][v] += 1
    return tuple(PromptCount(p.id, p.text, counts[p.id]["yes"], counts[p.id]["no"],
                             counts[p.id]["na"], p.drafted) for p in kq.prompts)


def prompt_counts(ws: Workspace, c: Consolidation) -> dict[str, tuple[PromptCount, ...]]:
    """Key question id → its prompts' counts over the cases ``c`` counted (one query)."""
    kqs = [k for t in c.tables for k in (c.framework.key_questions_by_id[r.kq_id]
                                         for r in t.rows)]
    items = _items(ws, c, (p.id for k in kqs for p in k.prompts))
    return {k.id: _count(k, c.judgements, items) for k in kqs}


def partner_comments(comments: list[Comment], kq_id: str) -> tuple[str, ...]:
    """The comments on the case as a whole or on ``kq_id``: "who, when: text" each.

    Those on the case as a whole say so: the column sits beside one key question's answers.
    """
    return tuple(
        (_("{who}, {when}, on the case as a whole: {text}") if c.kq_id is None
         else _("{who}, {when}: {text}")).format(
            who=c.author_name, when=c.written_at[:16].replace("T", " "), text=c.text)
        for c in comments if c.kq_id in (None, kq_id))


def drill_down(ws: Workspace, c: Consolidation, kq_id: str) -> DrillDown:
    """The counted cases behind the key question's Yes, No and Not applicable."""
    kq = case_key_question(c, kq_id)
    behind = {cid: j[kq_id] for cid, j in c.judgements.items() if j.get(kq_id) in GROUPS}
    # Every counted case's answers: the prompt counts include cases not yet judged.
    items = _items(ws, c, (*(p.id for p in kq.prompts), NOTE + kq_id, *interview.FIELDS))
    rows = connection(ws).execute(
        "SELECT c.id, c.case_ref, a.status, so.revision IS NOT NULL, m.id, m.name"
        " FROM cases c JOIN assessments a ON a.case_id = c.id"
        " LEFT JOIN signoffs so ON so.case_id = c.id AND so.revision = a.revision"
        " LEFT JOIN assignments asg ON asg.case_id = c.id"
        " LEFT JOIN members m ON m.id = asg.member_id"
        " WHERE c.inspection_id = ? ORDER BY c.case_ref", (c.inspection_id,)).fetchall()
    labels = member_labels((m["id"], m["name"]) for m in ws.members(c.inspection_id))
    comments = comments_by_case(ws, c.inspection_id)
    # A comment on a case on an earlier edition names that edition's key question.
    for cid, same in counted_key_questions(ws, c.inspection_id, c.framework, behind).items():
        comments[cid] = [replace(x, kq_id=same.get(x.kq_id, x.kq_id) if x.kq_id else None)
                         for x in comments.get(cid, [])]
    groups: dict[str, list[EvidenceCase]] = {g: [] for g in GROUPS}
    for cid, ref, status, signed, member_id, member in rows:
        judgement = behind.get(cid)
        if judgement is None:
            continue
        own = items.get(cid, {})
        groups[judgement].append(EvidenceCase(
            cid, ref, labels.get(member_id or "", member or ""), judgement,
            own.get(NOTE + kq_id, ""), tuple((p.id, own.get(p.id)) for p in kq.prompts),
            status == "complete", bool(signed), interview.summary(own),
            partner_comments(comments.get(cid, []), kq_id)))
    return DrillDown(kq.id, kq.text, c.framework.standard_of(kq.id).id, c.provisional_mark,
                     {g: tuple(v) for g, v in groups.items()}, _count(kq, c.judgements, items),
                     kq.drafted)
