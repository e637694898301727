"""The comparison for the trainer's debrief: HTML for the screen and the PDF, and a workbook.

The HTML is small and self-contained, as every report of the core (gui/common/pdf.py writes
it as PDF). Nothing here names a stored item key: items are worded by their published numbers
and their own text, answers in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hmip_desktop.html_text import html_text
from hmip_desktop.i18n import _
from hmip_desktop.training.compare import Comparison, ItemLine, percent
from hmip_desktop.training.kappa import kappa_explained
from hmip_desktop.wording import capitalised


def answer_words(value: str) -> str:
    """An answer in words: Yes, No, Not applicable, or 'no answer'."""
    return {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable"),
            "": _("no answer")}.get(value, value)


def kappa_figure(kappa: float | None) -> str:
    return "–" if kappa is None else f"{kappa:.2f}"


def changed_line(c: Comparison) -> str:
    """Where the benchmark was marked again after answers arrived, the sentence saying so."""
    if not c.benchmark_changed:
        return ""
    return _("The benchmark was changed (now version {n}, marked {at}) after some trainees' "
             "answers had arrived: the comparison is worked out again against the changed "
             "benchmark.").format(n=c.benchmark_version, at=c.benchmark_marked_at[:10])


def trainee_rows(c: Comparison) -> list[list[str]]:
    return [[t.name, f"{t.agreed} / {t.total}", percent(t.share), kappa_figure(t.kappa),
             capitalised(t.band)]
            for t in c.trainees]


def key_question_rows(c: Comparison) -> list[list[str]]:
    return [[k.case_ref, k.label, answer_words(k.benchmark), f"{k.agreed} / {k.trainees}",
             percent(k.share)] for k in c.key_questions]


def went_wrong_rows(c: Comparison, names: dict[str, str]) -> list[list[str]]:
    return [[x.case_ref, x.label, x.text, answer_words(x.benchmark),
             f"{len(x.differed)} / {len(x.answers)}",
             ", ".join(f"{names[m]} ({answer_words(x.answers[m])})" for m in x.differed)]
            for x in c.went_wrong()]


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th align='left'>{html_text(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html_text(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    return ("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


@dataclass(frozen=True)
class Words:
    """The words of a comparison's report: a training event's, or a double-assessed case's.

    One rendering serves both (``double/compare.py`` compares a case's two assessments as a
    trainee is compared with the benchmark); only who stands where is worded differently.
    """

    heading: str
    intro: str
    each: str  # the heading over the people compared
    person: str  # the column naming each of them
    reference: str  # what they are compared against
    wrong: str
    differed: str
    key_questions: str
    agreed: str
    reference_note: str
    person_note: str
    kappa_note: str  # what kappa measures, once for the report
    kappa_undefined: str = ""  # when kappa is not defined; empty: the trainee's own sentence


def training_words(c: Comparison) -> Words:
    """A training event's words: each trainee against the benchmark."""
    return Words(
        heading=_("Training comparison: {title}").format(title=c.title),
        intro=_("Against the benchmark version {n}, marked {at}.").format(
            n=c.benchmark_version, at=c.benchmark_marked_at[:10]),
        each=_("Each trainee against the benchmark"), person=_("Trainee"),
        reference=_("Benchmark"), wrong=_("Where the group went wrong"),
        differed=_("Trainees who differed"),
        key_questions=_("Key questions: the share of trainees who agreed"),
        agreed=_("Trainees agreed"), reference_note=_("Benchmark's note"),
        person_note=_("Trainee's note"), kappa_note=kappa_explained())


def comparison_html(c: Comparison, words: Words | None = None) -> str:
    """The whole comparison: trainees, key questions, where the group went wrong, notes."""
    w = words or training_words(c)
    names = {t.member_id: t.name for t in c.trainees}
    parts = [f"<h1>{html_text(w.heading)}</h1>", f"<p>{html_text(w.intro)}</p>"]
    if c.benchmark_changed:
        parts.append(f"<p><b>{html_text(changed_line(c))}</b></p>")
    if c.awaiting:
        waiting = _("No answers received yet from: {names}.").format(names=", ".join(c.awaiting))
        parts.append(f"<p>{html_text(waiting)}</p>")
    notes = _("Evidence notes side by side")
    parts += [f"<h2>{html_text(w.each)}</h2>",
              _table((w.person, _("Items agreed"), _("Share agreed"), _("Kappa"),
                      _("Agreement")), trainee_rows(c))]
    parts.append(f"<p>{html_text(w.kappa_note)}</p>")
    parts += [f"<p>{html_text(t.name)}: {html_text(w.kappa_undefined or t.meaning)}</p>"
              for t in c.trainees if t.kappa is None]
    parts += [f"<h2>{html_text(w.wrong)}</h2>",
              _table((_("Case"), _("Item"), _("Question"), w.reference,
                      w.differed, _("Who, and their answer")),
                     went_wrong_rows(c, names))]
    parts += [f"<h2>{html_text(w.key_questions)}</h2>",
              _table((_("Case"), _("Key question"), w.reference, w.agreed,
                      _("Share")), key_question_rows(c))]
    parts.append(f"<h2>{html_text(notes)}</h2>")
    for t in c.trainees:
        for tc in t.cases:
            if not tc.notes:
                continue
            caption = _("{name}, case {ref}").format(name=t.name, ref=tc.case_ref)
            parts += [f"<h3>{html_text(caption)}</h3>",
                      _table((_("Key question"), w.reference_note, w.person_note),
                             [[n.label, n.benchmark, n.trainee] for n in tc.notes])]
    return "<html><body>" + "".join(parts) + "</body></html>"


def item_rows(c: Comparison) -> tuple[list[str], list[list[Any]]]:
    """Every item with the benchmark's answer and each trainee's (the workbook's Items sheet)."""
    header = [_("Case"), _("Item"), _("Question"), _("Benchmark"),
              *(t.name for t in c.trainees), _("Trainees who differed")]
    rows: list[list[Any]] = []
    for x in c.items:
        rows.append([x.case_ref, x.label, x.text, answer_words(x.benchmark),
                     *(_answer_of(x, t.member_id) for t in c.trainees), len(x.differed)])
    return header, rows


def _answer_of(x: ItemLine, member_id: str) -> str:
    if member_id not in x.answers:
        return _("case not sent")
    mark = "" if x.answers[member_id] == x.benchmark else " ✗"
    return answer_words(x.answers[member_id]) + mark


def comparison_xlsx(c: Comparison) -> bytes:
    """The comparison as a workbook made in memory (xlsx_in_memory: no stray plaintext)."""
    from openpyxl import Workbook  # noqa: PLC0415 - only an export pays for loading it

    from hmip_desktop.consolidation.cells import safe_row  # noqa: PLC0415
    from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes  # noqa: PLC0415

    names = {t.member_id: t.name for t in c.trainees}
    wb = Workbook(write_only=True)

    def sheet(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        s = memory_sheet(wb, title)
        s.append(safe_row(list(header)))
        for row in rows:
            s.append(safe_row(list(row)))

    sheet(_("Trainees"), (_("Trainee"), _("Items agreed"), _("Share agreed"), _("Kappa"),
                          _("Agreement"), _("What kappa means")),
          [[*row, t.meaning] for row, t in zip(trainee_rows(c), c.trainees, strict=True)])
    header, rows = item_rows(c)
    sheet(_("Items"), header, rows)
    sheet(_("Where the group went wrong"), (
        _("Case"), _("Item"), _("Question"), _("Benchmark"), _("Trainees who differed"),
        _("Who, and their answer")), went_wrong_rows(c, names))
    sheet(_("Key questions"), (_("Case"), _("Key question"), _("Benchmark"),
                               _("Trainees agreed"), _("Share")), key_question_rows(c))
    sheet(_("Evidence notes"), (_("Trainee"), _("Case"), _("Key question"),
                                _("Benchmark's note"), _("Trainee's note")),
          [[t.name, tc.case_ref, n.label, n.benchmark, n.trainee]
           for t in c.trainees for tc in t.cases for n in tc.notes])
    sheet(_("Benchmark"), (_("Version"), _("Marked"), _("Changed after answers arrived")),
          [[c.benchmark_version, c.benchmark_marked_at[:10], changed_line(c) or _("No")]])
    return xlsx_bytes(wb)
