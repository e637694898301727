"""How much evidence bears on each organisational key question, and which have none.

Per key question (its prompts counted with it): the register's documents that speak to it or
that a finding on it rests on, the distinct meetings and case findings its findings cite, the
strengths and areas for improvement recorded, and the words of the organisation's narrative.
A key question with no document, meeting or case finding is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmip_desktop.findings.items import key_question_of, organisational_key_questions
from hmip_desktop.findings.service import (
    check_inspection,
    documents,
    findings,
    narratives,
    word_count,
)
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class Coverage:
    key_question: str
    text: str
    standard: str
    """The standard's title."""
    documents: int
    meetings: int
    cases: int
    strengths: int
    improvements: int
    narrative_words: int

    @property
    def none(self) -> bool:
        """No document, meeting or case finding bears on it yet."""
        return self.documents + self.meetings + self.cases == 0


def coverage(ws: Workspace, inspection_id: str) -> list[Coverage]:
    """One row per organisational key question, in the framework's order."""
    fw = check_inspection(ws, inspection_id)
    docs: dict[str, set[int]] = {}
    meetings: dict[str, set[str]] = {}
    cases: dict[str, set[str]] = {}
    kinds: dict[tuple[str, str], int] = {}
    for d in documents(ws, inspection_id):
        for item in d.items:
            if item in fw.parent_of:
                docs.setdefault(key_question_of(fw, item), set()).add(d.number)
    for f in findings(ws, inspection_id):
        if f.item not in fw.parent_of:
            continue
        kq = key_question_of(fw, f.item)
        docs.setdefault(kq, set()).update(f.documents)
        meetings.setdefault(kq, set()).update(m.casefold() for m in f.meetings)
        cases.setdefault(kq, set()).update(c.casefold() for c in f.cases)
        kinds[(kq, f.kind)] = kinds.get((kq, f.kind), 0) + 1
    said = narratives(ws, inspection_id)
    return [Coverage(k.id, k.text, fw.standard_of(k.id).title, len(docs.get(k.id, ())),
                     len(meetings.get(k.id, ())), len(cases.get(k.id, ())),
                     kinds.get((k.id, "strength"), 0), kinds.get((k.id, "improvement"), 0),
                     word_count(said[k.id].text) if k.id in said else 0)
            for k in organisational_key_questions(fw)]
