"""Retention at the lead: ``retention``, ``archive``, ``purge`` (docs/cli.md).

The same service functions as the lead's window (``hmip_desktop/retention/service.py``): a
refusal is one line on stderr with exit status 1, and nothing is changed.
"""

from __future__ import annotations

import argparse

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.i18n import _
from hmip_desktop.retention.reminders import reminders, retention
from hmip_desktop.retention.service import (
    Removal,
    archive_inspection,
    purge_inspection,
    set_retention_date,
)
from hmip_desktop.text_rules import printable

_INSPECTION = arg("--inspection", metavar="ID",
                  help="inspection id (needed only when the workspace holds more than one)")
_JSON = arg("--json", action="store_true", help="print JSON instead of text")
_CONFIRM = arg("--confirm", metavar="NAME", required=True,
               help="the inspection's name, typed in full: it cannot be undone")


@command(
    "retention",
    arg("--inspection", metavar="ID", help="the inspection whose date --set changes (needed "
        "only when the workspace holds more than one)"),
    arg("--set", metavar="YYYY-MM-DD", dest="set_date",
        help="move the inspection's retention date (audited)"),
    _JSON, workspace=True,
)
def cmd_retention(args: argparse.Namespace) -> int:
    """List each inspection's retention date, and remind when one has come.

    The date is set when the inspection is created, 12 months after the last day of
    fieldwork; the lead moves it with --set. From that day the inspection should be archived
    (its published figures kept, its case data removed) or purged.
    """
    with open_workspace(args.workspace) as ws:
        if args.set_date is not None:
            set_retention_date(ws, pick_inspection(ws, args.inspection), args.set_date)
        rows = retention(ws)
        due = reminders(ws)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    if not rows:
        print(_("no inspection of yours is held in this workspace"))
    for r in rows:
        state = (_("archived on {day}").format(day=r.archived_at[:10]) if r.archived_at
                 else _("held in full"))
        print(_("{title}: keep until {day}; {state}").format(
            title=printable(r.title), day=r.retain_until or _("no date"), state=state))
    for line in due:
        print(printable(line))
    return 0


def _removal_text(r: Removal) -> str:
    if r.action == "archive":
        text = _("{title} archived: the data of {n} cases removed, its published figures "
                 "kept").format(title=printable(r.title), n=r.cases)
        return text + (_(" (overridden: {why})").format(why=printable(r.override))
                       if r.override else "")
    return _("{title} purged: the inspection and its {n} cases removed").format(
        title=printable(r.title), n=r.cases)


@command(
    "archive", _INSPECTION, _CONFIRM,
    arg("--override", metavar="WORDS", default="",
        help="your reason, in words, to archive with cases still in conflict or not signed "
             "off"),
    _JSON, workspace=True,
)
def cmd_archive(args: argparse.Namespace) -> int:
    """Archive a published inspection: keep its figures, remove its case-level data.

    Kept: the key-question table (export-csv still writes it), the ratings, the panel's
    record, the provenance. Removed: every case's answers, notes, interview record, facts,
    alerts, queries and history. Refused while cases are in conflict or not signed off unless
    --override gives your reason in words. It cannot be undone.
    """
    with open_workspace(args.workspace) as ws:
        done = archive_inspection(ws, pick_inspection(ws, args.inspection),
                                  confirm=args.confirm, override=args.override)
    if args.json:
        print_json(done.as_dict())
    else:
        print(_removal_text(done))
    return 0


@command("purge", _INSPECTION, _CONFIRM, _JSON, workspace=True)
def cmd_purge(args: argparse.Namespace) -> int:
    """Remove an inspection entirely: its cases, figures, members and records.

    For when even the published figures are no longer needed. It cannot be undone.
    """
    with open_workspace(args.workspace) as ws:
        done = purge_inspection(ws, pick_inspection(ws, args.inspection),
                                confirm=args.confirm)
    if args.json:
        print_json(done.as_dict())
    else:
        print(_removal_text(done))
    return 0
