"""Practice cases: typed in by the assessor with invented references, kept on this laptop only.

Between training and fieldwork local assessors "practise completing case assessment using
their own cases" (000_ §3.10). A practice case lives in its own table (``practice_cases``),
not in ``cases``: it belongs to no inspection, has no assignment, no revision and no audit
chain of its own, so nothing that builds a bundle or an export (which read cases, never this
table; tests/test_architecture.py holds every table to its owners) can carry it. Only this
module runs SQL on it. The QA checks run on it as on a real case (``practice.checks``).

Every change is audited with the practice case's id and what kind of change it was, never
its reference, facts or answers, so that erasing (one action, ``erase_practice``, and again
when the laptop is prepared for return) leaves nothing of the practice work behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hmip_desktop.assessment.items import validate
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.loader import load_framework
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _
from hmip_desktop.store.stamps import new_id, now
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import check_text

PRACTICE_PREFIX = "PRACTICE-"
"""Every practice reference starts so, wherever it is shown (added if the assessor left it
out), so that a practice case is never mistaken for a real one."""


class PracticeError(UserError):
    """A practice action refused: one line, nothing written."""


@dataclass(frozen=True)
class PracticeCase:
    """One practice case as the list, the form and the checks read it."""

    id: str
    case_ref: str
    framework_id: str
    facts: dict[str, str]
    items: dict[str, str]
    created_at: str
    updated_at: str

    @property
    def framework(self) -> Framework:
        return load_framework(self.framework_id)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "case_ref": self.case_ref, "framework": self.framework_id,
                "facts": self.facts, "answers": len(self.items),
                "created_at": self.created_at, "updated_at": self.updated_at}


def practice_ref(text: str) -> str:
    """The reference as kept: trimmed, checked, and marked as practice."""
    ref = text.strip()
    if not ref:
        raise PracticeError(_("give the practice case an invented reference"))
    check_text(ref, _("the practice reference"), error=PracticeError)
    return ref if ref.upper().startswith(PRACTICE_PREFIX) else PRACTICE_PREFIX + ref


def _facts(fw: Framework, facts: dict[str, str]) -> dict[str, str]:
    for key, value in facts.items():
        f = fw.fields_by_id.get(key)
        if f is None or f.kind != "fact":
            raise PracticeError(_("{fact} is not a case fact of {framework}").format(
                fact=repr(key), framework=fw.id))
        if value not in f.values:
            raise PracticeError(_("{value} is not a value of {fact} ({values})").format(
                value=repr(value), fact=key, values=", ".join(f.values)))
    return dict(facts)


def _case(row: dict[str, Any]) -> PracticeCase:
    return PracticeCase(row["id"], row["case_ref"], row["framework_id"], json.loads(row["facts"]),
                        json.loads(row["items"]), row["created_at"], row["updated_at"])


def add_practice(ws: Workspace, ref: str, framework_id: str,
                 facts: dict[str, str] | None = None) -> PracticeCase:
    """A new practice case on a shipped framework; refused if the reference is taken."""
    case_ref = practice_ref(ref)
    try:
        fw = load_framework(framework_id)
    except UserError as e:
        raise PracticeError(str(e)) from None
    kept = _facts(fw, facts or {})
    if find_practice(ws, case_ref, missing_ok=True) is not None:
        raise PracticeError(_("there is already a practice case {ref}").format(ref=case_ref))
    pid, at = new_id(), now()
    with ws.transaction():
        connection(ws).execute(
            "INSERT INTO practice_cases (id, case_ref, framework_id, facts, items, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?)",
            (pid, case_ref, fw.id, json.dumps(kept, sort_keys=True), "{}", at, at))
        ws.record(None, "practice_case_added", pid, None, fw.id)
    return PracticeCase(pid, case_ref, fw.id, kept, {}, at, at)


def list_practice(ws: Workspace) -> list[PracticeCase]:
    """Every practice case on this laptop, by reference."""
    return [_case(r) for r in dict_rows(ws, "SELECT * FROM practice_cases ORDER BY case_ref")]


def find_practice(ws: Workspace, ref_or_id: str, *,
                  missing_ok: bool = False) -> PracticeCase | None:
    """The practice case with this id or reference (the practice mark may be left off)."""
    text = ref_or_id.strip()
    marked = text if text.upper().startswith(PRACTICE_PREFIX) else PRACTICE_PREFIX + text
    for r in dict_rows(ws, "SELECT * FROM practice_cases WHERE id = ? OR case_ref IN (?, ?)",
                       [text, text, marked]):
        return _case(r)
    if missing_ok:
        return None
    raise PracticeError(_("there is no practice case {ref}").format(ref=repr(text)))


def answer_practice(ws: Workspace, ref_or_id: str, answers: dict[str, str]) -> PracticeCase:
    """Save answers (item → value; an empty value clears it), all checked first, audited."""
    case = find_practice(ws, ref_or_id)
    assert case is not None
    fw = case.framework
    items = dict(case.items)
    for item, value in answers.items():
        try:
            kept = validate(fw, item, value)
        except UserError as e:
            raise PracticeError(str(e)) from None
        if kept:
            items[item] = kept
        else:
            items.pop(item, None)
    at = now()
    with ws.transaction():
        connection(ws).execute(
            "UPDATE practice_cases SET items = ?, updated_at = ? WHERE id = ?",
            (json.dumps(items, sort_keys=True), at, case.id))
        ws.record(None, "practice_case_answered", case.id, None, str(len(answers)))
    return PracticeCase(case.id, case.case_ref, case.framework_id, case.facts, items,
                        case.created_at, at)


def erase_practice(ws: Workspace) -> int:
    """Erase every practice case in one action, audited; return how many were erased.

    The workspace deletes securely (``secure_delete``), so the rows are overwritten, not only
    unlinked. Erasing nothing is not refused: it is recorded as such.
    """
    conn = connection(ws)
    with ws.transaction():
        n = int(conn.execute("SELECT count(*) FROM practice_cases").fetchone()[0])
        conn.execute("DELETE FROM practice_cases")
        ws.record(None, "practice_erased", "practice", None, str(n))
    return n


def practice_count(ws: Workspace) -> int:
    """How many practice cases are on this laptop."""
    return int(connection(ws).execute("SELECT count(*) FROM practice_cases").fetchone()[0])
