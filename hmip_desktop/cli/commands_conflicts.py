"""Revision conflicts: ``conflicts`` lists them side by side, ``resolve`` settles one (docs/cli.md).

The lead chooses, per item in conflict, the version held here or the one received; the core
(``exchange/conflicts.py``) refuses any other choice with one line and writes nothing then.
"""

from __future__ import annotations

import argparse

from hmip_desktop.cli.commands_exchange import JSON_FLAG, pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.exchange.conflicts import (
    CHOICES,
    Conflict,
    ConflictError,
    open_conflicts,
    resolve,
)
from hmip_desktop.i18n import _
from hmip_desktop.text_rules import printable

_INSPECTION = arg("--inspection", metavar="ID",
                  help="inspection id (needed only when the workspace holds more than one)")


def _choice(text: str) -> tuple[str, str]:
    item, sep, side = text.partition("=")
    if not sep or not item.strip() or side.strip() not in CHOICES:
        raise argparse.ArgumentTypeError(_("expected ITEM=held or ITEM=received, not "
                                           "{text!r}").format(text=text))
    return item.strip(), side.strip()


def conflict_json(c: Conflict) -> dict[str, object]:
    return {"case_id": c.case_id, "case_ref": c.case_ref, "owner": c.owner,
            "sender": c.sender, "held_revision": c.held_revision,
            "received_revision": c.received_revision, "detected_at": c.detected_at,
            "items": [{"item": i.item, "held": i.held, "held_by": i.held_by,
                       "received": i.received, "received_by": i.received_by}
                      for i in c.items]}


@command("conflicts", _INSPECTION, arg("--json", action="store_true",
                                       help="print JSON instead of text"), workspace=True)
def cmd_conflicts(args: argparse.Namespace) -> int:
    """The cases in conflict: per item, the version held and the one received, and who wrote it."""
    with open_workspace(args.workspace) as ws:
        found = open_conflicts(ws, pick_inspection(ws, args.inspection))
    if args.json:
        print_json([conflict_json(c) for c in found])
        return 0
    if not found:
        print(_("no case is in conflict"))
    for c in found:
        print(_("{ref} (owner {owner}): the version held here differs from the one received "
                "from {sender}").format(
                    ref=printable(c.case_ref), owner=printable(c.owner or "-"),
                    sender=printable(c.sender or "-")))
        for i in c.items:
            print(_("  {item}: held {held!r} ({held_by}) | received {received!r} "
                    "({received_by})").format(
                        item=printable(i.item), held=printable(i.held or _("(empty)")),
                        held_by=printable(i.held_by or "-"),
                        received=printable(i.received or _("(empty)")),
                        received_by=printable(i.received_by or "-")))
    return 0


@command(
    "resolve", _INSPECTION,
    arg("case", metavar="CASE", help="the case in conflict (reference or id)"),
    arg("--item", metavar="ITEM=held|received", action="append", type=_choice, default=[],
        help="which version of this item stands; repeatable"),
    arg("--rest", choices=CHOICES,
        help="the version for every item in conflict not named by --item"),
    JSON_FLAG, workspace=True,
)
def cmd_resolve(args: argparse.Namespace) -> int:
    """Settle a case's conflict, item by item: the result is a new revision, audited."""
    choices = dict(args.item)
    if len(choices) != len(args.item):
        raise ConflictError(_("an item is named twice: choose one version per item"))
    with open_workspace(args.workspace) as ws:
        pick_inspection(ws, args.inspection)
        revision = resolve(ws, args.case, choices, rest=args.rest)
    if args.json:
        print_json({"case": args.case, "revision": revision})
        return 0
    print(_("{case}: conflict resolved; the result is the case's latest version and goes "
            "back to its owner with their next pack").format(case=printable(args.case)))
    return 0
