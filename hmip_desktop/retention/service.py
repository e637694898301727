"""The lead's retention acts: set the retention date, archive, purge (reminders.py reminds).

Archive (after publication): the published figures are kept (``figures.kept_figures``) and
the case-level data removed (``store/retention.py`` lists the tables); purge: the inspection
goes entirely. Both are audited, cannot be undone, and go ahead only when the lead types the
inspection's name. An archive waits for publication: for a rated framework, the ratings
panel's sitting recorded and a decision on every standard it can decide (each with a
provisional rating). It is refused while cases are in conflict or not signed off,
unless the lead overrides in words (the words are kept with the archive). Every refusal is one
line and changes nothing. Afterwards the file is compacted (``VACUUM``), and ``secure_delete``
has already overwritten the removed rows in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hmip_desktop.consolidation.records import check_inspection, read_panel_sitting
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.i18n import _
from hmip_desktop.retention.dates import RetentionError, retention_day
from hmip_desktop.retention.figures import kept_figures
from hmip_desktop.retention.reminders import held_here, today_text
from hmip_desktop.store import retention as rows
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import check_text

OVERRIDE_WORDS = 4
"""An override is the lead's reason in words: at least this many."""


@dataclass(frozen=True)
class Removal:
    """What an archive or a purge did."""

    inspection_id: str
    title: str
    action: str
    """``archive`` or ``purge``."""
    cases: int
    """Cases whose data was removed."""
    rows: int
    """Rows removed in all."""
    override: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"inspection_id": self.inspection_id, "title": self.title,
                "action": self.action, "cases": self.cases, "rows": self.rows,
                "override": self.override}


def _row(ws: Workspace, inspection_id: str) -> dict[str, Any]:
    check_inspection(ws, inspection_id)
    row = next(r for r in rows.retention_rows(ws) if r["id"] == inspection_id)
    if not held_here(ws, row):
        raise RetentionError(_("only the inspection's lead keeps its retention date, and "
                               "archives or purges it"))
    return row


def set_retention_date(ws: Workspace, inspection_id: str, text: str) -> str:
    """Set the inspection's retention date (YYYY-MM-DD), audited; return it."""
    row = _row(ws, inspection_id)
    day = retention_day(text)
    if row["archived_at"] is None and day < today_text(None):
        raise RetentionError(_("{day} has passed: archive or purge the inspection instead "
                               "of setting a retention date before today").format(day=day))
    rows.write_retain_until(ws, inspection_id, day)
    return day


def _confirm(row: dict[str, Any], confirm: str, act: str) -> None:
    if " ".join(confirm.split()).casefold() != " ".join(row["title"].split()).casefold():
        raise RetentionError(_("to {act}, type the inspection's name exactly: {title}").format(
            act=act, title=row["title"]))


def archive_inspection(ws: Workspace, inspection_id: str, *, confirm: str,
                       override: str = "") -> Removal:
    """Archive a published inspection: keep its figures, remove its case-level data."""
    row = _row(ws, inspection_id)
    title = str(row["title"])
    if row["archived_at"]:
        raise RetentionError(_("{title} was archived on {day}: only a purge is left").format(
            title=title, day=row["archived_at"][:10]))
    _confirm(row, confirm, _("archive"))
    c = consolidate(ws, inspection_id)
    undecided = [t.standard_id for t in c.tables
                 if t.standard_id in c.pending_decisions and t.provisional_rating is not None]
    if c.rated and (undecided or read_panel_sitting(ws, inspection_id) is None):
        raise RetentionError(_(
            "{title} is not published: the ratings panel has not decided {n} of its standards "
            "({ids})").format(title=title, n=len(undecided) or len(c.tables),
                              ids=", ".join(undecided) or _("its sitting is not recorded")))
    in_conflict = max(rows.open_conflicts(ws, inspection_id), c.left_out.get("in_conflict", 0))
    unsigned = c.cases - c.signed_off + c.left_out.get("in_progress", 0)
    check_text(override, _("the reason for the override"), error=RetentionError)
    override = " ".join(override.split())
    if (in_conflict or unsigned) and len(override.split()) < OVERRIDE_WORDS:
        waiting = []
        if in_conflict:
            waiting.append(_("{n} case(s) still in conflict").format(n=in_conflict))
        if unsigned:
            waiting.append(_("{n} case(s) not signed off").format(n=unsigned))
        raise RetentionError(_(
            "{title} has {waiting}: resolve and sign them off first, or override with your "
            "reason in words").format(title=title, waiting=_(" and ").join(waiting)))
    if not (in_conflict or unsigned):
        override = ""
    figures = kept_figures(ws, c)
    cases = int(figures["cases"]["in_sample"])
    text = _("{title}: {n} cases' data removed, figures kept").format(title=title, n=cases)
    if override:
        text += _("; overridden: {why}").format(why=override)
    removed = rows.remove_case_data(ws, inspection_id, figures=figures, cases=cases,
                                    override=override, audit_text=text)
    rows.compact(ws)
    return Removal(inspection_id, title, "archive", cases, sum(removed.values()), override)


def purge_inspection(ws: Workspace, inspection_id: str, *, confirm: str) -> Removal:
    """Remove the inspection entirely: its cases, its figures, its members and records."""
    row = _row(ws, inspection_id)
    title = str(row["title"])
    _confirm(row, confirm, _("purge"))
    cases = int(row["cases"]) if row["archived_at"] else len(ws.allocations(inspection_id))
    removed = rows.remove_inspection(
        ws, inspection_id, audit_text=_("{title}: purged").format(title=title))
    rows.compact(ws)
    return Removal(inspection_id, title, "purge", cases, sum(removed.values()))
