"""The laptop's return from the command line (docs/cli.md, "The laptop's return").

``exports``, ``return-check``, ``release``, ``prepare-for-return`` and ``wipe-certificates``.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.exit_status import NOT_READY
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.laptop_return.certificates import wipe_certificates
from hmip_desktop.laptop_return.check import return_check
from hmip_desktop.laptop_return.exports import confirm_export, list_exports
from hmip_desktop.laptop_return.release import export_release
from hmip_desktop.laptop_return.wipe import prepare_for_return
from hmip_desktop.text_rules import printable


@command(
    "exports",
    arg("--confirm", metavar="N", type=int, help="confirm export number N (as listed)"),
    arg("--removed", action="store_true", help="with --confirm: the file has been deleted"),
    arg("--handed-over", dest="handed_over", action="store_true",
        help="with --confirm: the file was handed over (Prepare for return removes any copy "
             "still on disk)"),
    arg("--json", action="store_true", help="print JSON instead of text"),
    workspace=True,
)
def cmd_exports(args: argparse.Namespace) -> int:
    """List the files this app wrote outside the workspace, or confirm one as dealt with.

    Every PDF, workbook, CSV and ratings file the app writes can hold case data in plaintext
    and is recorded here, numbered in the order written, with whether it is still on disk.
    """
    if args.confirm is not None and args.removed == args.handed_over:
        raise UserError(_("with --confirm N, say --removed or --handed-over"))
    if args.confirm is None and (args.removed or args.handed_over):
        raise UserError(_("say which export with --confirm N"))
    with open_workspace(args.workspace) as ws:
        if args.confirm is not None:
            done = confirm_export(ws, args.confirm,
                                  "removed" if args.removed else "handed_over")
            if not args.json:
                print(_("{n}. {path}: {state}").format(n=done.number, path=printable(done.path),
                                                      state=done.state_words))
        shown = list_exports(ws)
    if args.json:
        print_json([e.as_dict() for e in shown])
        return 0
    if args.confirm is not None:
        return 0
    if not shown:
        print(_("no file written by the app outside the workspace"))
    for e in shown:
        print(f"{e.number}. {printable(e.path)}")
        print(f"   {e.what_words}, {e.written_at[:16].replace('T', ' ')}, "
              f"{printable(e.written_by)}: {e.state_words}")
    return 0


@command("return-check", arg("--json", action="store_true", help="print JSON instead of text"),
         workspace=True)
def cmd_return_check(args: argparse.Namespace) -> int:
    """Is this laptop ready to go back? List everything left before courier collection.

    Cases not delivered to the lead at their latest version (and those the lead released),
    alerts not acknowledged, queries not answered, and files the app wrote that are not
    confirmed as removed or handed over. Exit status 0 when nothing is left (green), 5 when
    something is, 1 when the check could not run.
    """
    with open_workspace(args.workspace) as ws:
        check = return_check(ws)
    if args.json:
        print_json(check.as_dict())
    else:
        print("\n".join(printable(line) for line in check.lines()))
    return 0 if check.green else NOT_READY


@command(
    "release",
    arg("member", metavar="MEMBER", help="the member (name or id) whose cases are released"),
    arg("cases", nargs="+", metavar="CASE", help="the cases (reference or id)"),
    arg("--out", required=True, metavar="FILE.hmiprelease", help="where to write the release"),
    arg("--inspection", metavar="ID", help="the inspection (needed when there are several)"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_release(args: argparse.Namespace) -> int:
    """The lead: release cases a member's laptop no longer needs to deliver.

    Writes a release signed by the lead and sealed for that member; once they import it, the
    cases named no longer keep their laptop from being ready to return.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        path = export_release(ws, iid, args.member, list(args.cases), Path(args.out))
    if args.json:
        print_json({"path": str(path), "cases": len(set(args.cases))})
        return 0
    print(_("release of {n} cases written to {path}").format(
        n=len(set(args.cases)), path=printable(str(path))))
    return 0


@command(
    "prepare-for-return",
    arg("--certificate", metavar="FILE.hmipwipe",
        help="where to write the signed wipe certificate for the lead (needed when the "
             "workspace holds cases; not inside the workspace folder)"),
    arg("--yes", action="store_true", help="really remove the workspace: it cannot be undone"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_prepare_for_return(args: argparse.Namespace) -> int:
    """Remove this workspace beyond recovery by the app, once the laptop is ready to return.

    Refused unless 'return-check' is green. Writes the signed wipe certificate for the lead,
    then overwrites and removes the workspace (its key file, database, WAL and SHM; anything
    else in its folder is left) and every tracked export still on disk. A workspace that holds
    no case (an unused laptop) is reset the same way, without a certificate.
    """
    if not args.yes:
        raise UserError(_("nothing was removed: add --yes to remove this workspace for good"))
    ws = open_workspace(args.workspace)
    try:
        result = prepare_for_return(ws, Path(args.certificate) if args.certificate else None)
    except BaseException:
        ws.close()
        raise
    if args.json:
        print_json({"certificates": [str(p) for p in result.certificates],
                    "exports_removed": list(result.exports_removed),
                    "workspace_files": result.workspace_files,
                    "practice_erased": result.practice_erased})
        return 0
    for path in result.certificates:
        print(_("wipe certificate for the lead written to {path}").format(
            path=printable(str(path))))
    for p in result.exports_removed:
        print(_("removed {path}").format(path=printable(p)))
    print(ngettext("practice data erased: {n} practice case",
                   "practice data erased: {n} practice cases",
                   result.practice_erased).format(n=result.practice_erased))
    print(_("workspace removed: {n} files overwritten and deleted").format(
        n=result.workspace_files))
    if result.left_in_folder:
        print(_("left in the workspace folder, as the app did not write them: {names}").format(
            names=printable(", ".join(result.left_in_folder))))
    return 0


@command("wipe-certificates", arg("--json", action="store_true", help="print JSON"),
         workspace=True)
def cmd_wipe_certificates(args: argparse.Namespace) -> int:
    """The lead: the wipe certificates imported from members' laptops."""
    with open_workspace(args.workspace) as ws:
        held = wipe_certificates(ws)
    if args.json:
        print_json([asdict(c) for c in held])
        return 0
    if not held:
        print(_("no wipe certificate imported yet"))
    for c in held:
        print(printable(c.line()))
    return 0
