"""Every file the app writes outside the workspace that can hold case data, recorded.

A PDF (the lunchtime sheet, the panel summary, schedules), a workbook, a CSV or the ratings
JSON is plaintext wherever the user saves it. Whoever writes one, the command line or a
screen, calls ``record_export`` (or ``write_tracked``) once it is on disk, so that "Ready to
return" can list it and "Prepare for return" can remove what is still there. The user confirms
each one as removed or handed over (``confirm_export``); a file confirmed as removed must be
gone. Exports are numbered for people in the order they were written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.i18n import _
from hmip_desktop.store.stamps import new_id, now
from hmip_desktop.store.tables import connection, dict_rows
from hmip_desktop.store.workspace import Workspace

WHAT = {
    "lunchtime_sheet": _("lunchtime sheet (PDF)"),
    "panel_summary": _("ratings panel summary"),
    "schedule": _("schedules (PDF)"),
    "workbook": _("workbook (XLSX)"),
    "publishable_workbook": _("publishable workbook (XLSX): aggregates only"),
    "csv": _("key-question table (CSV)"),
    "ratings_json": _("ratings (JSON)"),
    "provisional_list": _("provisional list of the case sample (XLSX)"),
    "evidence_document": _("copy of a document sent in advance"),
    "training_pdf": _("training comparison (PDF)"),
    "training_xlsx": _("training comparison (XLSX)"),
}
"""What each kind of export is, in words for the list."""

HOW = {"removed": _("removed"), "handed_over": _("handed over")}


class ExportError(UserError):
    """A confirmation that cannot be recorded (one line; nothing changed)."""


@dataclass(frozen=True)
class Export:
    """One file written, as the list shows it."""

    number: int
    id: str
    path: str
    what: str
    written_at: str
    written_by: str
    confirmed: str | None
    confirmed_at: str | None
    on_disk: bool

    @property
    def what_words(self) -> str:
        return WHAT.get(self.what, self.what)

    @property
    def state_words(self) -> str:
        if self.confirmed is None:
            return _("not confirmed") + (_(", still on disk") if self.on_disk else "")
        words = _("confirmed {how}").format(how=HOW[self.confirmed])
        return words + (_(", still on disk") if self.on_disk else "")

    @property
    def outstanding(self) -> bool:
        """Whether it stands between the laptop and collection (see ``laptop_return.check``).

        Not yet confirmed, or confirmed as removed while the file is still there. A file
        confirmed as handed over may stay on disk: "Prepare for return" removes it.
        """
        return self.confirmed is None or (self.confirmed == "removed" and self.on_disk)

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "path": self.path, "what": self.what_words,
                "written_at": self.written_at, "written_by": self.written_by,
                "confirmed": HOW[self.confirmed] if self.confirmed else None,
                "confirmed_at": self.confirmed_at, "on_disk": self.on_disk,
                "outstanding": self.outstanding}


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:
        return True  # cannot tell: assume it is still there


def record_export(ws: Workspace, path: Path, what: str) -> Path:
    """Record that the app wrote ``path`` (a kind named in ``WHAT``); return the full path.

    Writing the same path again records it afresh: the earlier confirmation no longer holds.
    """
    if what not in WHAT:
        raise ValueError(f"unknown kind of export {what!r}")
    full = str(Path(path).expanduser().absolute())
    conn = connection(ws)
    with ws.transaction():
        conn.execute("DELETE FROM exports WHERE path = ?", (full,))
        conn.execute(
            "INSERT INTO exports (id, path, what, written_at, written_by) VALUES (?,?,?,?,?)",
            (new_id(), full, what, now(), ws.owner_name))
        ws.record(None, "file_exported", what, None, full)
    return Path(full)


def write_recorded(ws: Workspace, path: Path, what: str,
                   write: Callable[[Path], Path]) -> Path:
    """Record ``path`` as an export, then have ``write`` write it; return where it went.

    In that order, so that no failure and no kill leaves a file on disk the list does not
    know of: a workspace that cannot record it (busy, read-only, full) writes nothing, and a
    file that cannot be written takes its record back (unless an earlier file is still there).
    """
    full = record_export(ws, path, what)
    try:
        return write(full)
    except BaseException:
        if not full.is_file():  # no earlier file there for the record to stand for
            with ws.transaction():
                connection(ws).execute("DELETE FROM exports WHERE path = ?", (str(full),))
        raise


def write_tracked(ws: Workspace, path: Path, data: bytes, what: str) -> Path:
    """Record ``path`` as an export, then write ``data`` to it atomically (``write_recorded``)."""
    return write_recorded(ws, path, what, lambda full: write_atomic(full, data))


def list_exports(ws: Workspace) -> list[Export]:
    """Every export recorded, numbered in the order written, each checked for on disk."""
    rows = dict_rows(ws, "SELECT * FROM exports ORDER BY written_at, rowid")
    return [Export(number=n, id=r["id"], path=r["path"], what=r["what"],
                   written_at=r["written_at"], written_by=r["written_by"],
                   confirmed=r["confirmed"], confirmed_at=r["confirmed_at"],
                   on_disk=_exists(r["path"]))
            for n, r in enumerate(rows, start=1)]


def confirm_export(ws: Workspace, number: int, how: str) -> Export:
    """Confirm export ``number`` (as listed) as ``removed`` or ``handed_over``.

    Refused with one line and nothing changed: a number not in the list, an unknown way, or
    "removed" while the file is still on disk.
    """
    if how not in HOW:
        raise ExportError(_("say how the file left this laptop: removed or handed over"))
    listed = list_exports(ws)
    if not 1 <= number <= len(listed):
        raise ExportError(_("there is no export number {n}: the list has {count}").format(
            n=number, count=len(listed)))
    e = listed[number - 1]
    if how == "removed" and e.on_disk:
        raise ExportError(_("{path} is still on disk: delete it first, or confirm it as handed "
                            "over").format(path=e.path))
    with ws.transaction():
        connection(ws).execute(
            "UPDATE exports SET confirmed = ?, confirmed_at = ?, confirmed_by = ? WHERE id = ?",
            (how, now(), ws.owner_name, e.id))
        ws.record(None, "file_export_confirmed", e.what, e.confirmed, how)
    return list_exports(ws)[number - 1]

