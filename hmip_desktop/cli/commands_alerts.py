"""``alert``: raise an organisational alert, or take the next step on any alert.

Both only in the lead's or a deputy lead's workspace. The inbox of every alert, with its state,
is the ``alerts`` command (``commands_consolidation``).
"""

from __future__ import annotations

import argparse

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.team.alert_tracking import STATE_LABELS, STEPS, take_step
from hmip_desktop.team.alerts import raise_organisational_alert


@command(
    "alert",
    arg("action", choices=("raise", "step"),
        help="raise: record an organisational alert; step: ALERT STEP, the next step on it"),
    arg("target", nargs="*", metavar="ALERT STEP",
        help=f"for step: the alert's id and one of {', '.join(STEPS)}"),
    arg("--organisational", action="store_true",
        help="an alert about the organisation as a whole, flagged for the report"),
    arg("--what", metavar="TEXT", default="", help="what might happen"),
    arg("--serious", metavar="TEXT", default="", help="how serious it would be"),
    arg("--imminent", metavar="TEXT", default="", help="how imminent it is"),
    arg("--action-asked", metavar="TEXT", default="", help="the action asked for"),
    arg("--note", metavar="TEXT", default="",
        help="for step: what was done or received (needed for all but acknowledged)"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    workspace=True,
)
def cmd_alert(args: argparse.Namespace) -> int:
    """Raise an organisational alert, or take the next step on an alert (lead or deputy lead).

    ``alert raise --organisational``: systemic, significant and imminent risk; the report
    describes that it was raised (Probation inspections external guidance manual §6.7). A
    case's alert is raised in the case's form. ``alert step ALERT STEP --note TEXT``:
    acknowledged, assurance (sought), evidence (of action received), closed, or advice (below
    the alert threshold, no follow-up needed).
    """
    if args.action == "step":
        if len(args.target) != 2:
            raise UserError("give the alert and the step: alert step ALERT STEP --note TEXT")
        with open_workspace(args.workspace) as ws:
            taken = take_step(ws, args.target[0], args.target[1], args.note)
        print(f"alert marked '{STATE_LABELS[taken.step]}' by {taken.taken_by}")
        return 0
    if args.target:
        raise UserError("alert raise takes no alert or step")
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
