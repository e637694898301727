"""The case data beside each organisational key question: the framework's link, with figures.

A framework names, per organisational key question, the case-answered key questions and prompts
that inform it (``KeyQuestion.informed_by``, docs/framework-format.md). Here each is given its
consolidated figure — yes and no over the counted cases only (the consolidation's own, unfiltered
and under the final rule: cases marked complete), with the percentage of yes — so the lead reads
the judgement on leadership and organisational delivery and the case data together (Changes to
inspections of probation services in 2019-2020).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hmip_desktop.consolidation.drilldown import PromptCount, YesNoCounts, prompt_counts
from hmip_desktop.consolidation.tables import Consolidation, consolidate
from hmip_desktop.findings.items import organisational_key_questions
from hmip_desktop.findings.service import check_inspection
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class LinkedFigure(YesNoCounts):
    """One case key question's or prompt's consolidated counts."""

    item: str
    """The case key question or prompt named by the link."""
    key_question: str
    """The case key question it is, or belongs to."""
    text: str
    yes: int
    no: int
    na: int


@dataclass(frozen=True)
class CaseLink:
    key_question: str
    """The organisational key question."""
    text: str
    standard: str
    """Its standard's id."""
    figures: tuple[LinkedFigure, ...]
    """In the order the framework names them; empty where it names none."""


@dataclass(frozen=True)
class CaseLinks:
    cases: int
    """The counted cases the figures are over."""
    links: tuple[CaseLink, ...]
    """One per organisational key question, in the framework's order."""

    def of_standard(self, standard_id: str) -> tuple[CaseLink, ...]:
        return tuple(k for k in self.links if k.standard == standard_id)

    def of(self, key_question: str) -> CaseLink | None:
        return next((k for k in self.links if k.key_question == key_question), None)


def case_links(c: Consolidation, prompts: Mapping[str, Sequence[PromptCount]]) -> CaseLinks:
    """The links of ``c``'s framework with ``c``'s figures (``prompts``: its prompt counts)."""
    fw = c.framework
    kq_rows = {r.kq_id: r for t in c.tables for r in t.rows}
    prompt_rows = {p.prompt_id: p for rows in prompts.values() for p in rows}
    links = []
    for k in organisational_key_questions(fw):
        figures = []
        for item in k.informed_by:
            if item in fw.key_questions_by_id:
                row = kq_rows.get(item)
                yes, no, na = (row.yes, row.no, row.na) if row else (0, 0, 0)
                figures.append(LinkedFigure(item, item, fw.key_questions_by_id[item].text,
                                            yes, no, na))
            else:
                p = prompt_rows.get(item)
                yes, no, na = (p.yes, p.no, p.na) if p else (0, 0, 0)
                figures.append(LinkedFigure(item, fw.parent_of[item],
                                            fw.prompts_by_id[item].text, yes, no, na))
        links.append(CaseLink(k.id, k.text, fw.parent_of[k.id], tuple(figures)))
    return CaseLinks(c.cases, tuple(links))


def linked_case_data(ws: Workspace, inspection_id: str) -> CaseLinks:
    """Every organisational key question's linked case data, over the cases marked complete.

    Refused in one line as the tables are (an archived inspection's cases are gone).
    """
    check_inspection(ws, inspection_id)
    c = consolidate(ws, inspection_id)
    return case_links(c, prompt_counts(ws, c))
