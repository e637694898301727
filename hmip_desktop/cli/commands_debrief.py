"""``debrief``: the lead's or supporting inspector's record on each local assessor (docs/cli.md).

Without text options it lists the debriefs held in this workspace; with any of
``--observation``, ``--qa-meetings`` and ``--overall`` it writes the owner's own on one
assessor (``debrief.py`` refuses bad input in one line and writes nothing).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.debrief import FIELDS, Debrief, DebriefError, debriefs, write_debrief
from hmip_desktop.exchange.debrief_bundles import export_debrief
from hmip_desktop.i18n import _
from hmip_desktop.text_rules import printable


def debrief_text(d: Debrief) -> list[str]:
    lines = [_("{assessor}: by {author}, {when}").format(
        assessor=printable(d.assessor), author=printable(d.author),
        when=d.written_at[:16].replace("T", " "))]
    for key, label in FIELDS:
        value = getattr(d, key)
        lines.append(f"  {label}: " + (printable(value) if value else _("(not written)")))
    return lines


@command(
    "debrief",
    arg("--assessor", metavar="NAME", help="the local assessor (name or member id); needed "
        "to write, optional to list"),
    arg("--observation", metavar="TEXT", help="the observation on Monday afternoon"),
    arg("--qa-meetings", dest="qa_meetings", metavar="TEXT",
        help="the lunchtime quality assurance meetings"),
    arg("--overall", metavar="TEXT", help="overall performance"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    arg("--send", metavar="FILE.hmipdebrief",
        help="the supporting inspector: write your debriefs into a bundle only the lead can "
             "open (the lead imports it with 'import')"),
    arg("--json", action="store_true", help="print JSON instead of text"),
    workspace=True,
)
def cmd_debrief(args: argparse.Namespace) -> int:
    """List, write or send the debrief on each local assessor (never sent to the assessor).

    The supporting inspector sends theirs to the lead with ``--send FILE``: a debrief bundle
    sealed for the lead alone, which the lead takes in with ``hmip-desktop import FILE``.
    """
    texts = {key: getattr(args, key) for key, _label in FIELDS
             if getattr(args, key) is not None}
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if texts:
            if not args.assessor:
                raise DebriefError(_("name the assessor with --assessor to write a debrief"))
            shown = [write_debrief(ws, iid, args.assessor, texts)]
        else:
            shown = debriefs(ws, iid, args.assessor)
        if args.send:
            sent = export_debrief(ws, iid, Path(args.send))
            shown = [d for d in debriefs(ws, iid) if d.author == ws.owner_name]
    if args.send and not args.json:
        print(_("debrief for the lead written to {path}").format(path=printable(str(sent))))
    if args.json:
        print_json([d.as_dict() for d in shown])
        return 0
    if not shown:
        print(_("no debrief written yet"))
    for d in shown:
        print("\n".join(debrief_text(d)))
    return 0
