"""``alert``: raise an organisational alert in the lead's or a deputy lead's workspace.

The inbox of every alert, individual and organisational, is the ``alerts`` command
(``commands_consolidation``).
"""

from __future__ import annotations

import argparse

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.team.alerts import raise_organisational_alert


@command(
    "alert",
    arg("action", choices=("raise",), help="raise: record a new alert"),
    arg("--organisational", action="store_true",
        help="an alert about the organisation as a whole, flagged for the report"),
    arg("--what", metavar="TEXT", default="", help="what might happen"),
    arg("--serious", metavar="TEXT", default="", help="how serious it would be"),
    arg("--imminent", metavar="TEXT", default="", help="how imminent it is"),
    arg("--action-asked", metavar="TEXT", default="", help="the action asked for"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    workspace=True,
)
def cmd_alert(args: argparse.Namespace) -> int:
    """Raise an organisational alert (the lead or a deputy lead only).

    A case's alert is raised in the case's form.
    An organisational alert is about systemic, significant and imminent risk; the report
    describes that it was raised (Probation inspections external guidance manual §6.7).
    """
    if not args.organisational:
        raise UserError("a case's alert is raised in the case's form; here only "
                        "--organisational alerts are raised")
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        alert = raise_organisational_alert(
            ws, iid, what_might_happen=args.what, how_serious=args.serious,
            how_imminent=args.imminent, action_asked=args.action_asked)
    print(f"organisational alert raised: {alert.alert_id}")
    return 0
