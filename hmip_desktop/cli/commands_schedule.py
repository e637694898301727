"""``schedule``: each member's fieldwork week, printed, as JSON, or as a PDF to hand out."""

from __future__ import annotations

import argparse
from pathlib import Path

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.day_names import short_day
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import write_recorded
from hmip_desktop.setup.schedule_service import (
    entry_words,
    inspection_week,
    member_schedule_html,
    schedule_json,
)
from hmip_desktop.setup.week_rules import clock_text
from hmip_desktop.text_rules import printable


@command(
    "schedule",
    arg("--inspection", metavar="ID", help="the inspection (needed when there are several)"),
    arg("--member", metavar="ID", help="only this member's schedule"),
    arg("--joint", action="store_true", help="a joint inspection: add the weeks only it has"),
    arg("--json", action="store_true", help="print the schedule as JSON"),
    arg("--pdf", metavar="FILE.pdf", help="write the printable schedule, a page per member"),
    workspace=True,
)
def cmd_schedule(args: argparse.Namespace) -> int:
    """Show each member's fieldwork week: interviews, fixed events and domain-one meetings.

    The week comes from the inspection's framework: when fieldwork starts and ends, the
    observation, the lunchtime QA meetings, the debrief and the meetings, with the interview
    times as allocated. Members check it as soon as they get it, for any case where they have
    a connection.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        week = inspection_week(ws, iid, joint=args.joint)
        if args.member and args.member not in week.names:
            raise UserError(_("no member {member!r} in this inspection").format(member=args.member))
        if args.pdf:
            from hmip_desktop.gui.common.pdf import write_pdf_from_cli  # noqa: PLC0415 - Qt

            html = member_schedule_html(week, args.member)
            out = write_recorded(ws, Path(args.pdf), "schedule", lambda full: write_pdf_from_cli(
                full, html, title=f"Schedule: {week.title}"))
    if args.pdf and not args.json:
        print(_("schedule written to {out}").format(out=printable(out)))
    if args.json:
        print_json(schedule_json(week, args.member))
        return 0
    if args.pdf:
        return 0
    for mid in [args.member] if args.member else list(week.names):
        print(printable(week.names[mid]))
        for e in week.plan.of(mid):
            who = f" ({printable(week.said(e.detail))})" if e.detail else ""
            print(f"  {short_day(e.day)}  {clock_text(e.start)}–{clock_text(e.end)}"
                  f"  {printable(entry_words(e, week))}{who}")
    for line in week.plan.unscheduled:
        print(_("no time: {line}").format(line=printable(line)))
    return 0
