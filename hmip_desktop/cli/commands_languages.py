"""The languages of the team and the cases: what allocation matches (setup/languages.py)."""

from __future__ import annotations

import argparse
import sys

from hmip_desktop.cli.commands_exchange import find_member, pick_inspection
from hmip_desktop.cli.exit_status import USAGE
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.i18n import _
from hmip_desktop.setup.languages import (
    language_name,
    languages_text,
    set_case_language,
    set_member_languages,
    stored_languages,
)
from hmip_desktop.text_rules import printable


@command("language",
         arg("what", choices=["member", "case", "list"],
             help="member: the languages a member inspects in; case: the language of a case's "
                  "records and interview; list: both, for the whole inspection"),
         arg("who", metavar="MEMBER|CASE", nargs="?",
             help="the member (name or id) or the case (reference or id)"),
         arg("languages", metavar="LANGUAGES", nargs="?",
             help="English, Welsh, or both ('English and Welsh', 'en,cy'); a case has one"),
         arg("--inspection", metavar="ID",
             help="inspection id (needed only when the workspace holds more than one)"),
         arg("--json", action="store_true", help="print JSON"), workspace=True)
def cmd_language(args: argparse.Namespace) -> int:
    """Record who inspects in Welsh and which cases need it, so allocation can match them.

    Every member and every case is English until the lead says otherwise (a sample's language
    column sets the cases'). Allocation gives a Welsh case only to a member who inspects in
    Welsh. With no language given, shows what is recorded.
    """
    if args.what != "list" and not args.who:  # a usage fault: no passphrase asked for it
        print(_("hmip-desktop language: error: give the {what} after '{what}'").format(
                  what=args.what),
              file=sys.stderr)
        return USAGE
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.what == "member" and args.languages:
            set_member_languages(ws, iid, find_member(ws, iid, args.who), args.languages)
        elif args.what == "case" and args.languages:
            set_case_language(ws, args.who, args.languages)
        members = [{"id": m["id"], "name": m["name"],
                    "languages": list(stored_languages(m["languages"]))}
                   for m in ws.members(iid)
                   if args.what == "list" or (args.what == "member"
                                              and args.who in (m["id"], m["name"]))]
        cases = [{"case_ref": s.case.case_ref, "language": s.case.language}
                 for s in ws.list_cases(iid) if args.what == "list" or (
                     args.what == "case" and args.who in (s.case.id, s.case.case_ref))]
    if args.json:
        print_json({"members": members, "cases": cases})
        return 0
    for m in members:
        print(f"{printable(m['name'])}: {languages_text(m['languages'])}")
    for c in cases:
        print(f"{printable(c['case_ref'])}: {language_name(c['language'])}")
    return 0
