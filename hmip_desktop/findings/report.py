"""The findings per organisational key question, as a report prints and exports them.

DIPP publishes "qualitative findings and inspection case data in each region" without a rating
(DIPP manual §2.1); domain one's findings inform the lead's rating. Per organisational key
question in the framework's order: its strengths and areas for improvement (a finding on a
prompt under its key question), each with the evidence behind it in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hmip_desktop.findings.items import key_question_of, organisational_key_questions
from hmip_desktop.findings.service import Document, Finding, check_inspection, documents, findings
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class QuestionFindings:
    key_question: str
    text: str
    standard: str
    """The standard's title."""
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]


def findings_by_question(ws: Workspace, inspection_id: str) -> list[QuestionFindings]:
    """One entry per organisational key question, those without findings too."""
    fw = check_inspection(ws, inspection_id)
    held = findings(ws, inspection_id)
    out = []
    for k in organisational_key_questions(fw):
        mine = [f for f in held if f.item in fw.parent_of and key_question_of(fw, f.item) == k.id]
        out.append(QuestionFindings(
            k.id, k.text, fw.standard_of(k.id).title,
            tuple(f for f in mine if f.kind == "strength"),
            tuple(f for f in mine if f.kind == "improvement")))
    return out


def where(fw: Framework, f: Finding) -> str:
    """``prompt b``, for a finding on a prompt; empty for one on the key question."""
    if f.item in fw.prompts_by_id:
        return _("prompt {letter}").format(letter=f.item.rsplit(".", 1)[-1])
    return ""


def evidence_text(f: Finding, register: Mapping[int, Document]) -> str:
    """The evidence behind a finding in words: documents by number and title, meetings, cases."""
    parts = [_("document {n}, {title}").format(
        n=n, title=register[n].title if n in register else _("(removed)")) for n in f.documents]
    parts += [_("meeting: {what}").format(what=m) for m in f.meetings]
    parts += [_("case data: {what}").format(what=c) for c in f.cases]
    return "; ".join(parts) if parts else _("no evidence named")


def report_lines(ws: Workspace, inspection_id: str) -> list[str]:
    """The report as plain lines: each question, then its strengths and areas for improvement."""
    fw = check_inspection(ws, inspection_id)
    register = {d.number: d for d in documents(ws, inspection_id)}
    lines: list[str] = []
    for q in findings_by_question(ws, inspection_id):
        lines.append(f"{q.key_question} {q.text}")
        for label, found in ((_("Strengths"), q.strengths),
                             (_("Areas for improvement"), q.improvements)):
            if not found:
                lines.append("  " + _("{label}: none recorded").format(label=label))
                continue
            lines.append(f"  {label}:")
            for f in found:
                on = where(fw, f)
                lines.append("  - " + (f"({on}) " if on else "") + f.text + " ["
                             + evidence_text(f, register) + "]")
        lines.append("")
    return lines
