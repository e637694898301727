"""The debrief on each local assessor, and the supporting inspector's feedback on them.

Each local assessor is supported through the week by an inspector who is observed on Monday
afternoon, holds quality assurance meetings on Tuesday to Thursday lunchtimes and then
"provides feedback to the lead inspector about the overall performance of the local
assessor"; the deputy lead holds a debrief with the local assessors on Friday (Probation
inspections external guidance manual, section 3.10). This module keeps that feedback as one
short structured record per assessor and author: the observation, the QA meetings and the
overall performance.

Where it is kept, and where it never goes:

- in the lead's workspace, written there by the lead (for the deputy lead too, who works
  from the lead's records);
- on the QA partner's laptop, written by the supporting inspector about the assessors they
  partner, and sent from there to the lead in a debrief bundle sealed for the lead alone
  (``exchange/debrief_bundles.py``). The QA bundle is sealed for the assessor as well as the
  lead, so it never carries a debrief (docs/bundle-format.md);
- never in a bundle to an assessor: packs, receipts and QA bundles are built from other
  tables, and a test opens the assessor's pack and QA bundle to make sure.

Every write is one transaction with its audit row; bad input is refused in one line and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace, now
from hmip_desktop.text_rules import check_text

FIELDS: tuple[tuple[str, str], ...] = (
    ("observation", _("The observation on Monday afternoon")),
    ("qa_meetings", _("The lunchtime quality assurance meetings")),
    ("overall", _("Overall performance")),
)
MAX_TEXT = 5_000
WRITERS = ("lead", "qa")
"""The workspaces a debrief may be written in: the lead's, and the QA partner's."""


class DebriefError(UserError):
    """A debrief that cannot be written; nothing is changed."""


@dataclass(frozen=True)
class Debrief:
    inspection_id: str
    member_id: str
    assessor: str
    """The local assessor's name as the members list holds it."""
    author: str
    author_role: str
    observation: str
    qa_meetings: str
    overall: str
    written_at: str

    def as_dict(self) -> dict[str, str]:
        return {"inspection_id": self.inspection_id, "member_id": self.member_id,
                "assessor": self.assessor, "author": self.author,
                "author_role": self.author_role, "observation": self.observation,
                "qa_meetings": self.qa_meetings, "overall": self.overall,
                "written_at": self.written_at}


def _assessor(ws: Workspace, inspection_id: str, member: str) -> dict[str, Any]:
    """The assessor named by id or name; refused unless exactly one assessor matches."""
    members = [m for m in ws.members(inspection_id) if m["role"] == "assessor"]
    found = [m for m in members if member in (m["id"], m["name"])]
    if not found:
        raise DebriefError(_("{who} is not an assessor on this inspection").format(
            who=repr(member)))
    if len(found) > 1:
        raise DebriefError(_("more than one assessor is called {who}: name them by member "
                             "id").format(who=repr(member)))
    return found[0]


def write_debrief(ws: Workspace, inspection_id: str, member: str,
                  texts: Mapping[str, str]) -> Debrief:
    """Write (or rewrite) this workspace owner's debrief on one assessor.

    ``texts`` holds any of ``observation``, ``qa_meetings`` and ``overall``; a field left out
    keeps what was written before. Refused in one line, with nothing written, in an
    assessor's workspace, for anyone who is not an assessor on the inspection, for a QA
    partner writing on an assessor they do not partner, and for an empty record.
    """
    if ws.owner_role not in WRITERS:
        raise DebriefError(_("a debrief is written by the lead or the supporting inspector, "
                             "not in an assessor's workspace"))
    unknown = set(texts) - {k for k, _label in FIELDS}
    if unknown:
        raise DebriefError(_("{names} is not part of a debrief (observation, qa_meetings, "
                             "overall)").format(names=", ".join(sorted(unknown))))
    m = _assessor(ws, inspection_id, member)
    if ws.owner_role == "qa":
        mine = {x["id"] for x in ws.members(inspection_id)
                if x["role"] == "qa" and x["name"] == ws.owner_name}
        if m["qa_partner_id"] not in mine:
            raise DebriefError(_("{who} is not one of the assessors you partner").format(
                who=m["name"]))
    before = _row(ws, m["id"], ws.owner_name)
    values = {k: (before or {}).get(k, "") for k, _label in FIELDS}
    for key, label in FIELDS:
        if key in texts:
            value = texts[key].rstrip()
            check_text(value, label, multiline=True, error=DebriefError)
            if len(value) > MAX_TEXT:
                raise DebriefError(_("{what}: the text is longer than {n:,} characters")
                                   .format(what=label, n=MAX_TEXT))
            values[key] = value
    if not any(v.strip() for v in values.values()):
        raise DebriefError(_("the debrief is empty: write about the observation, the QA "
                             "meetings or the overall performance"))
    at = now()
    conn = connection(ws)
    with ws.transaction():
        conn.execute(
            "INSERT INTO debriefs (inspection_id, member_id, author, author_role, observation,"
            " qa_meetings, overall, written_at) VALUES (?,?,?,?,?,?,?,?)"
            " ON CONFLICT (member_id, author) DO UPDATE SET observation = excluded.observation,"
            " qa_meetings = excluded.qa_meetings, overall = excluded.overall,"
            " written_at = excluded.written_at",
            (inspection_id, m["id"], ws.owner_name, ws.owner_role, values["observation"],
             values["qa_meetings"], values["overall"], at))
        ws.record(None, "debrief", m["id"], None if before is None else _audit_text(before),
                  _audit_text(values))
    return Debrief(inspection_id, m["id"], m["name"], ws.owner_name, ws.owner_role,
                   values["observation"], values["qa_meetings"], values["overall"], at)


def debriefs(ws: Workspace, inspection_id: str, member: str | None = None) -> list[Debrief]:
    """The debriefs held here, by assessor name then author; one assessor's if named."""
    names = {m["id"]: m["name"] for m in ws.members(inspection_id)}
    where, params = "inspection_id = ?", [inspection_id]
    if member is not None:
        where += " AND member_id = ?"
        params.append(_assessor(ws, inspection_id, member)["id"])
    rows = connection(ws).execute(
        "SELECT inspection_id, member_id, author, author_role, observation, qa_meetings,"
        f" overall, written_at FROM debriefs WHERE {where}", params).fetchall()
    out = [Debrief(r[0], r[1], names.get(r[1], ""), *r[2:]) for r in rows]
    return sorted(out, key=lambda d: (d.assessor.casefold(), d.author.casefold()))


def _row(ws: Workspace, member_id: str, author: str) -> dict[str, str] | None:
    row = connection(ws).execute(
        "SELECT observation, qa_meetings, overall, written_at FROM debriefs"
        " WHERE member_id = ? AND author = ?", (member_id, author)).fetchone()
    return None if row is None else dict(
        zip(("observation", "qa_meetings", "overall", "written_at"), row, strict=True))


def _audit_text(values: Mapping[str, str]) -> str:
    return "\n".join(f"{label}: {values.get(key, '')}" for key, label in FIELDS)
