"""The comparison of a training event: each trainee against the benchmark, item by item.

Items are the benchmark's prompt answers and key-question judgements on every training case
(what the lead answered; an item the benchmark leaves unanswered is not compared). A trainee
who left an item unanswered differs from the benchmark on it. Evidence notes are not scored:
they are set side by side. Kappa is worked out per trainee over all their items of every case,
with 'no answer' as an answer of its own. The figures are exact (fractions) until shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from hmip_desktop.assessment.items import NOTE, item_label
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.training.events import Benchmark, Received
from hmip_desktop.training.kappa import cohen_kappa, kappa_band, kappa_meaning
from hmip_desktop.wording import capitalised

NO_ANSWER = ""


@dataclass(frozen=True)
class ItemLine:
    """One compared item of one training case: the benchmark's answer and each trainee's."""

    case_id: str
    case_ref: str
    item: str
    label: str  # "prompt 2.1.1.a", "key question 2.1.1 judgement"
    text: str  # the prompt's or key question's own words
    judgement: bool  # a key-question judgement, not a prompt
    benchmark: str
    answers: Mapping[str, str]  # member id → answer ("" for none), trainees who sent the case

    @property
    def differed(self) -> tuple[str, ...]:
        return tuple(m for m, v in self.answers.items() if v != self.benchmark)

    @property
    def agreed(self) -> int:
        return len(self.answers) - len(self.differed)


@dataclass(frozen=True)
class NoteLine:
    """A key question's evidence notes side by side: the benchmark's and the trainee's."""

    key_question: str
    label: str
    benchmark: str
    trainee: str


@dataclass(frozen=True)
class TraineeCase:
    """One trainee on one training case."""

    case_id: str
    case_ref: str
    sent: bool
    agreed: int
    total: int
    notes: tuple[NoteLine, ...]


@dataclass(frozen=True)
class TraineeResult:
    """One trainee over the whole event."""

    member_id: str
    name: str
    cases: tuple[TraineeCase, ...]
    agreed: int
    total: int
    kappa: float | None
    sent_before_change: bool  # answers arrived before the benchmark was last changed

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.agreed, self.total) if self.total else None

    @property
    def band(self) -> str:
        return kappa_band(self.kappa)

    @property
    def meaning(self) -> str:
        return kappa_meaning(self.kappa)


@dataclass(frozen=True)
class KeyQuestionShare:
    """Per training case and key question, how many of the trainees who sent it agreed."""

    case_id: str
    case_ref: str
    key_question: str
    label: str
    benchmark: str
    agreed: int
    trainees: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.agreed, self.trainees) if self.trainees else None


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison screen, the PDF and the workbook show."""

    title: str
    benchmark_version: int
    benchmark_marked_at: str
    benchmark_changed: bool  # marked again after some trainees' answers had arrived
    items: tuple[ItemLine, ...]
    trainees: tuple[TraineeResult, ...]
    key_questions: tuple[KeyQuestionShare, ...]
    awaiting: tuple[str, ...] = field(default=())  # trainees whose answers have not arrived

    def went_wrong(self) -> list[ItemLine]:
        """Items at least one trainee got differently, the most differing first."""
        lines = [x for x in self.items if x.differed]
        order = {id(x): n for n, x in enumerate(self.items)}
        return sorted(lines, key=lambda x: (-len(x.differed), order[id(x)]))


def item_order(fw: Framework) -> dict[str, int]:
    """Each prompt and key question's place in the framework: the prompts, then their judgement."""
    out: dict[str, int] = {}
    for d in fw.domains:
        for s in d.standards:
            for kq in s.key_questions:
                for p in kq.prompts:
                    out[p.id] = len(out)
                out[kq.id] = len(out)
    return out


def compare(fw: Framework, title: str, bench: Benchmark, received: Iterable[Received],
            trainees: Mapping[str, str], refs: Mapping[str, str], *,
            last_marked_at: str | None = None) -> Comparison:
    """The comparison of every trainee in ``trainees`` (member id → name) with the benchmark.

    ``refs`` gives each training case's reference (case id → ref), in the order shown.
    ``last_marked_at``: when the benchmark was marked again (None: never changed); answers
    that arrived before it are marked on the trainee.
    """
    order = item_order(fw)
    got: dict[str, dict[str, Received]] = {}
    for r in received:
        if r.member_id in trainees and r.case_id in refs:
            got.setdefault(r.member_id, {})[r.case_id] = r
    sending = [m for m in trainees if m in got]
    items: list[ItemLine] = []
    for cid, ref in refs.items():
        answers = bench.answers.get(cid, {})
        for item in sorted((k for k in answers if k in order), key=order.__getitem__):
            judgement = item in fw.key_questions_by_id
            text = (fw.key_questions_by_id[item].text if judgement
                    else fw.prompts_by_id[item].text)
            label = capitalised(item_label(fw, item))
            items.append(ItemLine(cid, ref, item, label, text, judgement, answers[item],
                                  {m: got[m][cid].answers.get(item, NO_ANSWER)
                                   for m in sending if cid in got[m]}))
    results = [_trainee(fw, m, trainees[m], got[m], items, bench, refs, last_marked_at)
               for m in sending]
    shares = [KeyQuestionShare(x.case_id, x.case_ref, x.item, x.label, x.benchmark, x.agreed,
                               len(x.answers)) for x in items if x.judgement]
    return Comparison(title, bench.version, bench.marked_at, last_marked_at is not None
                      and any(r.sent_before_change for r in results), tuple(items),
                      tuple(results), tuple(shares),
                      tuple(trainees[m] for m in trainees if m not in got))


def _trainee(fw: Framework, member_id: str, name: str, got: Mapping[str, Received],
             items: list[ItemLine], bench: Benchmark, refs: Mapping[str, str],
             last_marked_at: str | None) -> TraineeResult:
    pairs: list[tuple[str, str]] = []
    cases = []
    for cid, ref in refs.items():
        mine = [x for x in items if x.case_id == cid]
        if cid not in got:
            cases.append(TraineeCase(cid, ref, False, 0, len(mine), ()))
            continue
        pairs += [(x.benchmark, x.answers[member_id]) for x in mine]
        answers, benchmark = got[cid].answers, bench.answers.get(cid, {})
        notes = tuple(
            NoteLine(kq.id, _("Evidence note for {id}").format(id=kq.id),
                     benchmark.get(NOTE + kq.id, ""), answers.get(NOTE + kq.id, ""))
            for kq in fw.case_key_questions()
            if benchmark.get(NOTE + kq.id) or answers.get(NOTE + kq.id))
        cases.append(TraineeCase(cid, ref, True,
                                 sum(x.answers[member_id] == x.benchmark for x in mine),
                                 len(mine), notes))
    late = last_marked_at is not None and any(
        r.received_at < last_marked_at for r in got.values())
    return TraineeResult(member_id, name, tuple(cases), sum(a == b for a, b in pairs),
                         len(pairs), cohen_kappa(pairs), late)


def percent(share: Fraction | None) -> str:
    """A share as a whole percentage ('75%'), or a dash where there is none."""
    return "–" if share is None else f"{round(share * 100)}%"
