"""The lunchtime sheet: the QA meeting's handout, one page per assessor (000_ §3.10).

Per assessor: a line of totals, then each case in the order of its interview — its status and
how much is answered, each finding with the item it points at (a half-done form's blanks
folded into one line, as on the screen), its queries, and room to write notes and agreed
actions. No check names or item keys: items are worded as the form words them.
``sheet_data`` gathers it (no Qt, no HTML); ``sheet_html`` turns it into one self-contained
HTML string — no scripts, no external resources, every recorded text escaped — that the GUI
shows, prints and writes as PDF with Qt's own writer (``gui/common/pdf.py``), and that
``hmip-desktop qa --sheet`` writes. A saved PDF is personal data in plaintext: the app says
so when it saves one, and offers to print instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from hmip_desktop.assessment.interview import summary as interview_summary
from hmip_desktop.assessment.items import item_label
from hmip_desktop.exchange.contacts import own_member_ids
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.html_text import html_text as _e
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.qa.checks import CHECKS, UNANSWERED, Finding, run_checks
from hmip_desktop.qa.service import assessors, unallocated, workspace_inputs
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.wording import SEVERITY_LABELS, STATUS_LABELS

FOLD_BLANKS_OVER = 3
"""More unanswered items than this fold into one line per case, on the screen and the sheet."""


class QueryLike(Protocol):
    """What the sheet reads of a query (``qa.queries.Query`` has it)."""

    @property
    def case_id(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def is_open(self) -> bool: ...


@dataclass(frozen=True)
class SheetQuery:
    case_ref: str
    item: str
    text: str
    is_open: bool
    shown: str = ""
    """The item as the sheet words it (``item_shown``)."""


@dataclass(frozen=True)
class CaseLine:
    case_id: str
    case_ref: str
    status: str
    """As the case list shows it: signed off and queried are derived from the QA records."""
    marked_complete: bool
    percent: int
    findings: tuple[Finding, ...]
    queries_open: int
    queries_closed: int
    shown: Mapping[str, str] = field(default_factory=dict)
    """Each finding's item as the sheet words it (``item_shown``)."""
    interview_at: str | None = None
    """The practitioner interview's start (``YYYY-MM-DDTHH:MM``), if allocated a time."""
    interview: str = ""
    """The interview record in one line (``assessment.interview.summary``); '' if none."""

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)


@dataclass(frozen=True)
class AssessorSheet:
    assessor: str
    """The label shown: the name, told apart by member id where two share it."""
    cases: tuple[CaseLine, ...]
    queries: tuple[SheetQuery, ...]
    member_id: str = ""
    """Who this is ('' for the cases not allocated): the key, never the name."""
    own: bool = False
    """The workspace owner's own cases (a QA partner may assess some too): listed apart,
    after the assessors they support, and left out of the totals for those."""

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.cases for f in c.findings]

    @property
    def complete(self) -> int:
        """Cases the assessor has marked complete (signed off or queried ones included)."""
        return sum(c.marked_complete for c in self.cases)

    def by_check(self) -> list[tuple[str, str, str, int]]:
        """(check, severity, what it finds, count) for each check that found something."""
        counts = Counter(f.check for f in self.findings)
        return [(c.name, c.severity, c.summary, counts[c.name]) for c in CHECKS
                if counts[c.name]]

    @property
    def queries_open(self) -> int:
        return sum(q.is_open for q in self.queries)

    @property
    def queries_closed(self) -> int:
        return sum(not q.is_open for q in self.queries)


@dataclass(frozen=True)
class Sheet:
    title: str
    made_at: str
    assessors: tuple[AssessorSheet, ...]


def sheet_data(ws: Workspace, inspection_id: str | None = None, *,
               queries: Iterable[QueryLike] | None = None) -> Sheet:
    """The sheet for every case of the workspace (or of one inspection).

    ``queries`` defaults to every query the workspace holds for those cases.
    """
    if queries is None:
        from hmip_desktop.qa.queries import list_queries  # noqa: PLC0415 - optional part

        queries = list_queries(ws, inspection_id=inspection_id)
    by_case: dict[str, list[QueryLike]] = {}
    for q in queries:
        by_case.setdefault(q.case_id, []).append(q)
    open_counts = {cid: sum(q.is_open for q in qs) for cid, qs in by_case.items()}
    who = assessors(ws, inspection_id)
    groups: dict[str, list[CaseLine]] = {}  # by member id: two people may share a name
    labels: dict[str, str] = {}
    listed: dict[str, list[SheetQuery]] = {}
    for s, case in workspace_inputs(ws, inspection_id, open_counts):
        qs = by_case.get(s.case.id, [])
        mid, label = who.get(s.case.id, ("", ""))
        labels[mid] = label
        findings = tuple(run_checks(case))
        groups.setdefault(mid, []).append(CaseLine(
            case_id=s.case.id, case_ref=s.case.case_ref, status=s.display_status,
            marked_complete=s.status == "complete",
            percent=s.completeness.percent, findings=findings,
            queries_open=sum(q.is_open for q in qs),
            queries_closed=sum(not q.is_open for q in qs),
            shown={f.item: item_shown(case.framework, f.item) for f in findings},
            interview_at=s.case.interview_at, interview=interview_summary(case.items)))
        listed.setdefault(mid, []).extend(
            SheetQuery(s.case.case_ref, q.item, q.text, q.is_open,
                       item_shown(case.framework, q.item)) for q in qs)
    own = own_member_ids(ws)
    order = sorted((m for m in groups if m),
                   key=lambda m: (m in own, labels[m].casefold(), m)) + (
        [""] if "" in groups else [])
    title = _("Lunchtime QA sheet")
    if inspection_id is not None:
        found = [i["title"] for i in ws.inspections() if i["id"] == inspection_id]
        if found:
            title = _("Lunchtime QA sheet — {inspection}").format(inspection=found[0])
    return Sheet(title=title, made_at=now(), assessors=tuple(
        AssessorSheet(labels[m] if m else unallocated(), tuple(by_interview(groups[m])),
                      tuple(listed.get(m, ())), m, own=m in own)
        for m in order))


def by_interview(cases: Iterable[CaseLine]) -> list[CaseLine]:
    """Cases in the order of their interviews (the meeting's order); those with no time last."""
    return sorted(cases, key=lambda c: (c.interview_at is None, c.interview_at or "",
                                        c.case_ref))


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]],
           numeric: frozenset[int] = frozenset(), nowrap: frozenset[int] = frozenset()) -> str:
    """A table; ``numeric`` columns align right, ``nowrap`` (and numeric) ones never wrap."""

    def attrs(i: int, cell: bool = True) -> str:
        keep = " style='white-space: nowrap'" if cell and i in numeric | nowrap else ""
        return f"align='{'right' if i in numeric else 'left'}'{keep}"

    head = "".join(f"<th {attrs(i, False)}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td {attrs(i)}>{_e(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return ("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def item_shown(framework: Framework, item: str) -> str:
    """An item as the sheet words it for inspectors.

    A prompt or key question by its published number, a record field by its label; never a
    stored key or an alert's id.
    """
    if item.startswith("alert:"):
        return _("alert")
    if item == "status":
        return _("case status")
    if item == "case":
        return _("the case as a whole")
    return item_label(framework, item)


def interview_words(at: str | None) -> str:
    """An interview's start as the meeting says it ("Tue 24 Nov 09:30"), or '' if none."""
    if not at:
        return ""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at
    day = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))[when.weekday()]
    month = (_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"), _("Jul"), _("Aug"),
             _("Sep"), _("Oct"), _("Nov"), _("Dec"))[when.month - 1]
    return f"{day} {when.day} {month} {when:%H:%M}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def finding_rows(c: CaseLine) -> list[tuple[str, str, str]]:
    """(severity, item, what to raise) for one case, its blanks folded as the screen folds them.

    More than ``FOLD_BLANKS_OVER`` unanswered items make one row, so a form half done at
    lunchtime takes one line rather than forty.
    """
    blanks = [f for f in c.findings if f.check == UNANSWERED]
    fold = len(blanks) > FOLD_BLANKS_OVER
    rows = [(_capital(SEVERITY_LABELS[f.severity]), _capital(c.shown.get(f.item, "")), f.message)
            for f in c.findings if not (fold and f.check == UNANSWERED)]
    if fold:
        rows.append((_capital(SEVERITY_LABELS[blanks[0].severity]),
                     _("{n} items").format(n=len(blanks)),
                     _("Not answered: {n} items (the first: {item}); the form is {percent}% "
                       "answered.").format(n=len(blanks), item=c.shown.get(blanks[0].item, ""),
                                           percent=c.percent)))
    return rows


def _case_html(c: CaseLine, queries: Sequence[SheetQuery]) -> str:
    """One case: its heading line, what to raise, its queries, and room for the meeting."""
    head = [c.case_ref]
    when = interview_words(c.interview_at)
    if when:
        head.append(_("interview {when}").format(when=when))
    head += [STATUS_LABELS.get(c.status, c.status),
             _("{percent}% answered").format(percent=c.percent)]
    rows = [f"<tr><th colspan='3' align='left'>{_e(' · '.join(head))}</th></tr>"]
    found = finding_rows(c)
    for severity, item, message in found:
        rows.append(f"<tr><td width='13%' style='white-space: nowrap'>{_e(severity)}</td>"
                    f"<td width='32%'>{_e(item)}</td><td>{_e(message)}</td></tr>")
    for q in queries:
        state = _("Query, open") if q.is_open else _("Query, closed")
        rows.append(f"<tr><td width='13%' style='white-space: nowrap'>{_e(state)}</td>"
                    f"<td width='32%'>{_e(_capital(q.shown or q.item))}</td>"
                    f"<td>{_e(q.text)}</td></tr>")
    if not found and not queries:
        rows.append("<tr><td colspan='3'>" + _e(_("Nothing to raise.")) + "</td></tr>")
    # Room to write by hand in the meeting, side by side to keep the page short.
    room = "<br>&nbsp;<br>&nbsp;"
    notes, actions = _e(_("Notes")), _e(_("Agreed actions"))
    rows.append("<tr><td colspan='3'><table width='100%' cellspacing='0' cellpadding='0'><tr>"
                f"<td width='50%' class='notes'><b>{notes}</b>{room}</td>"
                f"<td width='50%' class='notes'><b>{actions}</b>{room}</td>"
                "</tr></table></td></tr>")
    return ("<table class='case' border='1' cellspacing='0' cellpadding='2' width='100%'>"
            + "".join(rows) + "</table>")


def _assessor_html(a: AssessorSheet) -> str:
    findings = a.findings
    must = sum(f.severity == "must_fix" for f in findings)
    look = len(findings) - must
    n = len(findings)
    found = (_("{findings}: {must} must fix, {look} worth a look.").format(
        findings=ngettext("{n} finding", "{n} findings", n).format(n=n), must=must,
        look=look) if findings else _("No findings."))
    name = _("Your own cases ({name})").format(name=a.assessor) if a.own else a.assessor
    parts = [f"<h2>{_e(name)}</h2>", "<p>" + _e(_(
        "{cases}, {complete} complete. {found} Queries: {open} open, {closed} closed.").format(
            cases=ngettext("{n} case", "{n} cases", len(a.cases)).format(n=len(a.cases)),
            complete=a.complete, found=found, open=a.queries_open,
            closed=a.queries_closed)) + "</p>"]
    if not findings:
        parts.append("<p>" + _e(_("Nothing to raise: no check found anything.")) + "</p>")
    by_case: dict[str, list[SheetQuery]] = {}
    for q in a.queries:
        by_case.setdefault(q.case_ref, []).append(q)
    for c in a.cases:
        parts.append(_case_html(c, by_case.get(c.case_ref, [])))
    return "".join(parts)


def sheet_html(sheet: Sheet) -> str:
    """The sheet as one HTML document, each assessor from a new page when printed."""
    made = sheet.made_at[:16].replace("T", " ")
    sections = []
    for i, a in enumerate(sheet.assessors):
        style = " style='page-break-before: always'" if i else ""
        sections.append(f"<div{style}>{_assessor_html(a)}</div>")
    if not sections:
        sections.append("<p>" + _e(_("No cases in this workspace yet.")) + "</p>")
    intro = _("Made {when} (UTC). Cases in the order of their interviews. Findings are what to "
              "talk through, not verdicts: must fix items are wrong or missing by the "
              "framework's rules, worth a look items may be right.").format(when=made)
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{_e(sheet.title)}</title>"
        "<style>body { font-family: sans-serif; font-size: 9pt; } h1 { font-size: 13pt; } "
        "h2 { font-size: 12pt; } th { background-color: #f3f2f1; } "
        "table.case { margin-bottom: 5px; } h2 { margin-top: 0; margin-bottom: 2px; } "
        "td.notes { color: #505a5f; } "
        "td, th { vertical-align: top; }</style></head><body>"
        f"<h1>{_e(sheet.title)}</h1>"
        f"<p>{_e(intro)} <b>{_e(PERSONAL_DATA)}</b></p>"
        + "".join(sections) + "</body></html>")


PERSONAL_DATA = _("This sheet holds personal data: keep it with you and shred it after the "
                  "meeting.")


def sheet_counts(sheet: Sheet) -> Mapping[str, tuple[int, int, int]]:
    """Assessor's label → (findings, queries open, queries closed), for summaries and tests."""
    return {a.assessor: (len(a.findings), a.queries_open, a.queries_closed)
            for a in sheet.assessors}
