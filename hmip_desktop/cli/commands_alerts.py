"""``alert``: raise an alert (a case's, or an organisational one), send it, or track it.

A case's alert is raised by whoever holds the case and, with ``--out``, written at once as an
alert bundle for the lead and the deputy lead(s) (``exchange.alert_bundles``). Organisational
alerts and every step of tracking are for the lead's or a deputy lead's workspace. The inbox of
every alert, with its state, is the ``alerts`` command (``commands_consolidation``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hmip_desktop.cli.commands_exchange import JSON_FLAG, pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.alert_bundles import export_alert
from hmip_desktop.exchange.alert_states import export_alert_state
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.alert_tracking import STATE_LABELS, STEPS, take_step
from hmip_desktop.team.alerts import raise_organisational_alert


@command(
    "alert",
    arg("action", choices=("raise", "send", "step", "send-state"),
        help="raise: record an alert; send ALERT: write its alert bundle; step ALERT STEP: "
             "the next step on it; send-state ALERT: write its alert-state bundle"),
    arg("target", nargs="*", metavar="ALERT [STEP]",
        help="for send and send-state, the alert's id; for step, the alert's id and one of "
             f"{', '.join(STEPS)}"),
    arg("--case", metavar="CASE", help="raise: the case (reference or id) the alert is about"),
    arg("--organisational", action="store_true",
        help="raise: an alert about the organisation as a whole, flagged for the report"),
    arg("--what", metavar="TEXT", default="", help="what might happen"),
    arg("--serious", metavar="TEXT", default="", help="how serious it would be"),
    arg("--imminent", metavar="TEXT", default="", help="how imminent it is"),
    arg("--action-asked", metavar="TEXT", default="", help="the action asked for"),
    arg("--out", metavar="FILE",
        help="raise --case or send: write the alert bundle (.hmipalert) for the lead and "
             "deputy lead(s) here; step or send-state: write the alert-state bundle "
             "(.hmipstate) for the member who raised it, the lead and the deputy lead(s)"),
    arg("--note", metavar="TEXT", default="",
        help="step: what was done or received (needed for all but acknowledged)"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    JSON_FLAG,
    workspace=True,
)
def cmd_alert(args: argparse.Namespace) -> int:
    """Raise an alert and send it at once, or take the next step on one.

    ``alert raise --case CASE ... --out FILE``: a case's alert, written at once as an alert
    bundle for the lead and the deputy lead(s). ``alert raise --organisational ...``: systemic,
    significant and imminent risk, which the report describes (Probation inspections external
    guidance manual §6.7); the lead or a deputy lead only. ``alert send ALERT --out FILE``
    writes an alert's bundle again. ``alert step ALERT STEP --note TEXT`` (lead or deputy lead):
    acknowledged, assurance (sought), evidence (of action received), closed, or advice (below
    the alert threshold, no follow-up needed); with ``--out FILE`` the alert-state bundle is
    written straight after. ``alert send-state ALERT --out FILE`` writes it on its own.
    """
    if args.action == "step":
        if len(args.target) != 2:
            raise UserError(_("give the alert and the step: alert step ALERT STEP --note TEXT"))
        with open_workspace(args.workspace) as ws:
            taken = take_step(ws, args.target[0], args.target[1], args.note)
            if not args.json:
                print(_("alert marked '{state_labels}' by {taken_by}").format(
                          state_labels=STATE_LABELS[taken.step], taken_by=taken.taken_by))
            path = _send_state(ws, args.target[0], Path(args.out), args.json) if args.out else None
        if args.json:
            print_json({"alert_id": taken.alert_id, "step": taken.step,
                        "taken_by": taken.taken_by, "taken_at": taken.taken_at, "path": path})
        return 0
    if args.action == "send-state":
        if len(args.target) != 1 or not args.out:
            raise UserError(_("give the alert and where to write its state: alert send-state "
                              "ALERT --out FILE"))
        with open_workspace(args.workspace) as ws:
            path = _send_state(ws, args.target[0], Path(args.out), args.json)
        if args.json:
            print_json({"alert_id": args.target[0], "path": path})
        return 0
    if args.action == "send":
        if len(args.target) != 1 or not args.out:
            raise UserError(_("give the alert and where to write it: alert send ALERT --out FILE"))
        with open_workspace(args.workspace) as ws:
            path = _send(ws, args.target[0], Path(args.out), args.json)
        if args.json:
            print_json({"alert_id": args.target[0], "path": path})
        return 0
    if args.target:
        raise UserError(_("alert raise takes no alert or step"))
    if args.organisational == bool(args.case):
        raise UserError(_("raise either a case's alert (--case CASE) or an organisational one "
                          "(--organisational)"))
    with open_workspace(args.workspace) as ws:
        if args.case:
            alert = ws.raise_alert(args.case, what_might_happen=args.what,
                                   how_serious=args.serious, how_imminent=args.imminent,
                                   action_asked=args.action_asked)
            if not args.json:
                print(_("alert raised: {id}").format(id=alert.id))
            path = _send(ws, alert.id, Path(args.out), args.json) if args.out else None
            if args.json:
                print_json({"alert_id": alert.id, "organisational": False, "path": path})
            return 0
        iid = pick_inspection(ws, args.inspection)
        org = raise_organisational_alert(
            ws, iid, what_might_happen=args.what, how_serious=args.serious,
            how_imminent=args.imminent, action_asked=args.action_asked)
    if args.json:
        print_json({"alert_id": org.alert_id, "organisational": True, "path": None})
    else:
        print(_("organisational alert raised: {alert_id}").format(alert_id=org.alert_id))
    return 0


def _send_state(ws: Workspace, alert_id: str, out: Path, quiet: bool) -> str:
    path = export_alert_state(ws, alert_id, out)
    if not quiet:
        print(_("alert-state bundle for the member who raised it, the lead and the deputy lead "
                "written to {path}").format(path=path))
    return str(path)


def _send(ws: Workspace, alert_id: str, out: Path, quiet: bool) -> str:
    path = export_alert(ws, alert_id, out)
    if not quiet:
        print(_("alert bundle for the lead and the deputy lead written to {path}").format(
                  path=path))
    return str(path)
