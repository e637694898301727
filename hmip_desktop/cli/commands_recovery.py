"""The recovery key: its escrow's state, the lead's recovery file, and using one."""

from __future__ import annotations

import argparse
from pathlib import Path

from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace, read_passphrase
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.escrow import escrow_pending
from hmip_desktop.exchange.recovery_files import issue_recovery_file, use_recovery_file
from hmip_desktop.i18n import _
from hmip_desktop.paths import workspace_folder
from hmip_desktop.text_rules import printable

# Translated when the command modules load, after the language is installed; also printed by
# the export command.
NOT_SENT = _("your recovery key has not gone to the lead yet: it goes with your next bundle "
             "of cases (export)")


@command("recovery",
         arg("action", choices=["status", "issue", "use"],
             help="status: has the recovery key gone to the lead; issue: (lead) write a "
                  "member's recovery file; use: set a new passphrase with a recovery file"),
         arg("target", metavar="MEMBER|FILE", nargs="?",
             help="issue: the member (name or id); use: the recovery file"),
         arg("--out", metavar="FILE.hmiprecovery", help="where to write the recovery file"),
         arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
         workspace=True)
def cmd_recovery(args: argparse.Namespace) -> int:
    """The recovery key held by the lead, for a forgotten passphrase.

    ``use`` needs no passphrase: the new one comes from HMIP_NEW_PASSPHRASE, the second line
    of --passphrase-fd, or a prompt asked twice.
    """
    folder = workspace_folder(args.workspace)
    if args.action == "use":
        if not args.target:
            raise UserError(_("name the recovery file: hmip-desktop recovery use FILE"))
        new = read_passphrase(_("New passphrase: "), env="HMIP_NEW_PASSPHRASE", confirm=True)
        with use_recovery_file(folder, Path(args.target), new):
            pass
        if args.json:
            print_json({"passphrase_changed": True})
            return 0
        print(_("new passphrase set; the old one no longer opens this workspace.\nA new "
                "recovery key goes to the lead with your next bundle of cases."))
        return 0
    with open_workspace(args.workspace) as ws:
        if args.action == "issue":
            if not args.target or not args.out:
                raise UserError(_("name the member and the file: hmip-desktop recovery issue "
                                  "MEMBER --out FILE.hmiprecovery"))
            path = issue_recovery_file(ws, args.target, Path(args.out))
            if args.json:
                print_json({"path": str(path), "member": args.target})
                return 0
            print(_("wrote recovery file {path}: give it to the member by a route other than "
                    "their laptop's bag; it works once").format(path=printable(path)))
            return 0
        pending = escrow_pending(ws)
    if args.json:
        print_json({"recovery_key_sent": not pending})
        return 0
    print(NOT_SENT if pending else _("recovery key: sent to the lead in a bundle"))
    return 0
