"""``edition``: the lead issues a new edition of the inspection's framework to the team."""

from __future__ import annotations

import argparse
from typing import Any

from hmip_desktop.cli.commands_exchange import JSON_FLAG, moves_json, pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.exchange.pack_editions import edition_words, preview_lines
from hmip_desktop.i18n import _
from hmip_desktop.setup.new_edition import (
    EditionPlan,
    adopt_edition,
    edition_source,
    plan_edition,
)
from hmip_desktop.text_rules import printable


def plan_json(plan: EditionPlan, iid: str) -> dict[str, Any]:
    return {"inspection_id": iid,
            "from": {"id": plan.old.id, "edition": plan.old.edition, "hash": plan.old.hash},
            "to": {"id": plan.new.id, "edition": plan.new.edition, "hash": plan.new.hash},
            "cases": moves_json(plan.cases), "complete": list(plan.complete)}


@command("edition",
         arg("action", choices=["preview", "adopt"],
             help="show what the new edition changes for each case, or adopt it"),
         arg("new", metavar="NEW", help="the new edition: a shipped framework id or a file"),
         arg("--move-complete", nargs="+", metavar="REF", default=[],
             help="adopt: complete cases that move too (each stays on its edition otherwise)"),
         arg("--move-all-complete", action="store_true",
             help="adopt: every complete case moves too"),
         arg("--inspection", metavar="ID", help="inspection id (if the workspace holds several)"),
         JSON_FLAG, workspace=True)
def cmd_edition(args: argparse.Namespace) -> int:
    """Issue a new edition of the inspection's framework (the lead): preview, then adopt.

    NEW must directly supersede the inspection's edition, with a mapping that fits. 'preview'
    writes nothing. 'adopt' makes it the inspection's framework: your own cases not yet
    complete move at once (each case on its own); a member's cases move when they import
    their next pack and confirm; complete cases stay on their edition unless named with
    --move-complete (or --move-all-complete), a choice their member's next pack carries.
    """
    source = edition_source(args.new)
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.action == "preview":
            plan = plan_edition(ws, iid, source, args.move_complete)
        else:
            plan = adopt_edition(ws, iid, source, move_complete=args.move_complete,
                                 move_all_complete=args.move_all_complete)
    if args.json:
        print_json(plan_json(plan, iid))
        return 0
    head = (_("{new} would follow {old} for this inspection") if args.action == "preview"
            else _("{new} now follows {old} for this inspection"))
    print(printable(head.format(new=edition_words(plan.new), old=edition_words(plan.old))))
    for line in preview_lines(plan.cases):
        print("  " + printable(line))
    return 0
