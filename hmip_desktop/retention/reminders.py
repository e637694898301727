"""Each of the lead's inspections with its retention date, and the reminder once it has come.

Light on purpose: the main window and the consolidation window show the reminder, and the
window should not load the archive's machinery (``service``) to do so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hmip_desktop.i18n import _
from hmip_desktop.store import retention as rows
from hmip_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class Retention:
    inspection_id: str
    title: str
    retain_until: str | None
    archived_at: str | None
    archived_by: str | None
    due: bool
    """The retention date has come: the reminder is shown."""

    def as_dict(self) -> dict[str, Any]:
        return {"inspection_id": self.inspection_id, "title": self.title,
                "retain_until": self.retain_until, "archived_at": self.archived_at,
                "archived_by": self.archived_by, "due": self.due}


def today_text(today: date | None) -> str:
    return (today or date.today()).isoformat()


def held_here(ws: Workspace, row: dict[str, Any]) -> bool:
    """The inspection is this lead's own (not one a member holds from the lead's pack)."""
    key = row["lead_key_id"]
    return ws.owner_role == "lead" and (key is None or bytes(key) == ws.identity.public.key_id)


def retention(ws: Workspace, today: date | None = None) -> list[Retention]:
    """Each of this lead's inspections with its retention date and whether it has come."""
    day = today_text(today)
    return [Retention(r["id"], r["title"], r["retain_until"], r["archived_at"],
                      r["archived_by"], bool(r["retain_until"]) and r["retain_until"] <= day)
            for r in rows.retention_rows(ws) if held_here(ws, r)]


def reminders(ws: Workspace, today: date | None = None) -> list[str]:
    """One line for each inspection whose retention date has come: what the lead should do."""
    out = []
    for r in retention(ws, today):
        if not r.due:
            continue
        if r.archived_at:
            out.append(_("The retention date of {title} ({day}) has come: it is archived; "
                         "purge it when the published figures are no longer needed.").format(
                title=r.title, day=r.retain_until))
        else:
            out.append(_("The retention date of {title} ({day}) has come: archive it (its "
                         "figures are kept, its case data removed) or purge it.").format(
                title=r.title, day=r.retain_until))
    return out
