"""Identity, inspection set-up, packs, export and import: the CLI over hmip_desktop.exchange."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_recovery import NOT_SENT
from hmip_desktop.cli.commands_sampling import SUBCOMMANDS, run_sampling, usage_error
from hmip_desktop.cli.exit_status import DONE, NOT_NEWER, NOT_READY, UNPLACED, USAGE
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.assessments import delivered, export_assessments
from hmip_desktop.exchange.common import ImportReport
from hmip_desktop.exchange.contacts import (
    ENROLLED_ROLES,
    enrol_member,
    my_card,
    role_name,
    set_qa_partner,
    set_up_inspection,
)
from hmip_desktop.exchange.escrow import escrow_pending
from hmip_desktop.exchange.files import read_card_file, write_atomic
from hmip_desktop.exchange.pack_editions import EditionConfirmationNeededError, preview_lines
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.service import import_file
from hmip_desktop.frameworks import load_framework
from hmip_desktop.i18n import _
from hmip_desktop.setup.apply import allocate_evenly, import_sample
from hmip_desktop.setup.languages import languages_text, stored_languages
from hmip_desktop.setup.reassign import reassign
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.edition_moves import CaseMove
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team.roles import ROLE_KEYS, grant_role, member_roles, withdraw_role
from hmip_desktop.text_rules import printable

_SEED = re.compile(r"[0-9]{1,18}")
_INSPECTION = arg("--inspection", metavar="ID",
                  help="inspection id (needed only when the workspace holds more than one)")
JSON_FLAG = arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)")


def pick_inspection(ws: Workspace, wanted: str | None) -> str:
    ids = [i["id"] for i in ws.inspections()]
    if wanted:
        if wanted not in ids:
            raise UserError(_("no inspection {inspection} in this workspace").format(
                inspection=repr(wanted)))
        return wanted
    if not ids:
        raise UserError(_("this workspace holds no inspection yet"))
    if len(ids) != 1:
        raise UserError(_("this workspace holds {n} inspections: choose one with "
                          "--inspection").format(n=len(ids)))
    return str(ids[0])


def find_member(ws: Workspace, inspection_id: str, name_or_id: str) -> str:
    found = [m["id"] for m in ws.members(inspection_id)
             if name_or_id in (m["id"], m["name"])]
    if len(found) != 1:
        raise UserError(_("no single member {member} in this inspection").format(
            member=repr(name_or_id)))
    return str(found[0])


@command("identity",
         arg("action", choices=["show", "export"], help="show the fingerprint, or export the card"),
         arg("--out", metavar="FILE.hmipid", help="where to write the member card (export)"),
         arg("--json", action="store_true", help="print JSON"),
         workspace=True)
def cmd_identity(args: argparse.Namespace) -> int:
    """Show this workspace's name, role and key fingerprint, or export its member card.

    Read the fingerprint aloud to the lead when they enrol you.
    """
    with open_workspace(args.workspace) as ws:
        me = ws.identity.public
        if args.action == "export":
            if not args.out:
                raise UserError(_("say where to write the card with --out FILE.hmipid"))
            path = write_atomic(Path(args.out), my_card(ws))
            if args.json:
                print_json({"path": str(path), "fingerprint": me.fingerprint})
            else:
                print(_("wrote member card {file}: fingerprint {fingerprint}").format(
                    file=printable(path), fingerprint=me.fingerprint))
            return 0
        pending = escrow_pending(ws)
    if args.json:
        print_json({"name": me.name, "role": me.role, "fingerprint": me.fingerprint,
                    "key_id": me.key_id.hex(), "recovery_key_sent": not pending})
    else:
        print(f"{printable(me.name)} ({printable(me.role)})\n"
              + _("fingerprint: {fingerprint}").format(fingerprint=me.fingerprint))
        if pending:
            print(NOT_SENT)
    return 0


@command("inspection",
         arg("action", choices=["create", "list"], help="create an inspection, or list them"),
         arg("--framework", metavar="ID", help="framework id (create)"),
         arg("--title", help="the inspection's title (create)"),
         arg("--organisation", help="the organisation inspected (create)"),
         arg("--start", metavar="YYYY-MM-DD", help="first day of fieldwork"),
         arg("--end", metavar="YYYY-MM-DD", help="last day of fieldwork"),
         arg("--json", action="store_true", help="print JSON"),
         workspace=True)
def cmd_inspection(args: argparse.Namespace) -> int:
    """Create an inspection on a framework (lead only), or list the workspace's inspections."""
    with open_workspace(args.workspace) as ws:
        if args.action == "create":
            if not (args.framework and args.title and args.organisation):
                raise UserError(_("create needs --framework, --title and --organisation"))
            fw = load_framework(args.framework)
            raw = resource("frameworks", f"{fw.id}.json").read_bytes()
            iid = set_up_inspection(ws, title=args.title, organisation=args.organisation,
                                    framework_bytes=raw, fieldwork_start=args.start,
                                    fieldwork_end=args.end)
            print_json({"id": iid}) if args.json else print(
                _("created inspection {inspection}").format(inspection=iid))
            return 0
        rows = [{**{k: i[k] for k in ("id", "title", "organisation", "framework_id",
                                      "framework_version", "fieldwork_start", "fieldwork_end")},
                 "training": bool(i["training"])} for i in ws.inspections()]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            training = "  " + _("TRAINING") if r["training"] else ""
            print(f"{r['id']}  {printable(r['framework_id']):<14} {printable(r['title'])}"
                  f"{training}")
    return 0


@command("enrol",
         arg("card", metavar="CARD.hmipid", help="the member's card"),
         arg("--fingerprint", required=True,
             help="the fingerprint the member reads aloud from their own app"),
         arg("--role", required=True, choices=ENROLLED_ROLES,
             help="the member's role in this inspection; their card must say the same"),
         arg("--office", default="", help="the member's own office (never allocated its cases)"),
         JSON_FLAG, _INSPECTION, workspace=True)
def cmd_enrol(args: argparse.Namespace) -> int:
    """Enrol a team member from their card, once the fingerprint read aloud matches.

    The lead chooses the role (assessor or qa); a card that claims another role is refused.
    """
    data = read_card_file(Path(args.card))
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        mid = enrol_member(ws, iid, data, args.fingerprint, role=args.role,
                           office=args.office)
    if args.json:
        print_json({"member_id": mid, "inspection_id": iid, "role": args.role})
    else:
        print(_("enrolled member {member} as {role}").format(
            member=printable(mid), role=role_name(args.role)))
    return 0


@command("members", _INSPECTION,
         arg("--qa-partner", nargs=2, metavar=("MEMBER", "QA"),
             help="make QA the supporting inspector of MEMBER (names or ids)"),
         arg("--json", action="store_true", help="print JSON"), workspace=True)
def cmd_members(args: argparse.Namespace) -> int:
    """List the inspection's members, or set a member's QA partner."""
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.qa_partner:
            set_qa_partner(ws, find_member(ws, iid, args.qa_partner[0]),
                           find_member(ws, iid, args.qa_partner[1]))
        rows = [{"id": m["id"], "name": m["name"], "role": m["role"], "office": m["office"],
                 "roles": sorted(member_roles(ws, iid, m["id"])),
                 "languages": list(stored_languages(m["languages"])),
                 "qa_partner_id": m["qa_partner_id"],
                 "key_id": bytes(m["key_id"]).hex() if m["key_id"] else None}
                for m in ws.members(iid)]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{printable(r['id'])}  {printable(r['role']):<9} {printable(r['name'])}"
                  f"  ({roles_in_words(r['roles'])}; {languages_text(r['languages'])})")
    return 0


def roles_in_words(roles: list[str]) -> str:
    """A member's roles as the team calls them, their own first: "assessor, deputy lead"."""
    return ", ".join(role_name(r) for r in ROLE_KEYS if r in roles)


@command("role",
         arg("action", choices=["grant", "withdraw"], help="give the role, or take it back"),
         arg("member", metavar="MEMBER", help="the member (name or id)"),
         arg("role", choices=ROLE_KEYS, help="the role: deputy (the deputy lead) or partner "
             "(a partner inspector); a member's own role cannot be withdrawn"),
         arg("--json", action="store_true", help="print JSON"),
         _INSPECTION, workspace=True)
def cmd_role(args: argparse.Namespace) -> int:
    """Grant a member a role beside their own (deputy lead, partner inspector), or withdraw it."""
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        mid = find_member(ws, iid, args.member)
        (grant_role if args.action == "grant" else withdraw_role)(ws, iid, mid, args.role)
        roles = sorted(member_roles(ws, iid, mid))
        name = next(m["name"] for m in ws.members(iid) if m["id"] == mid)
    if args.json:
        print_json({"id": mid, "name": name, "roles": roles})
    else:
        print(f"{printable(name)}: {roles_in_words(roles)}")
    return 0


@command("sample",
         arg("words", nargs="+", metavar="ARG",
             help="the chosen case sample (CSV or XLSX) to import; or one of: longlist import "
                  "FILE, flags, flag confirm|overrule CASE RULE, draw, provisional "
                  "export|import FILE, final, reserve use CASE, report"),
         arg("--kind", metavar="K", help="the sample kind (sample WORD …; needed only when the "
             "framework has more than one)"),
         arg("--seed", metavar="N", help="the draw's seed, a whole number (sample draw)"),
         arg("--size", metavar="N", type=int,
             help="the final sample's size, instead of the rules' (sample draw)"),
         arg("--reason", metavar="TEXT",
             help="why (sample flag …, sample reserve use …; kept in the audit)"),
         arg("--json", action="store_true", help="print JSON"),
         _INSPECTION, workspace=True)
def cmd_sample(args: argparse.Namespace) -> int:
    """Import the selected case sample, or draw it from the organisation's long lists.

    sample FILE imports a sample already chosen: every bad row is reported and nothing is
    imported. The other forms draw the sample (docs/cli.md, "sample longlist import" onwards):

      sample longlist import FILE [--kind K]     the organisation's long list, all or nothing
      sample flags [--kind K]                    the exclusion flags and the lead's decisions
      sample flag confirm|overrule CASE RULE --reason TEXT
      sample draw --seed N [--size N]            the provisional list (20% larger)
      sample provisional export FILE             the provisional list as XLSX
      sample provisional import FILE             the list as the organisation returned it
      sample final                               the final sample and reserves, into the cases
      sample reserve use CASE --reason TEXT      swap an ineligible case for a reserve
      sample report                              the evidence that the sample is fair
    """
    if args.words[0] in SUBCOMMANDS:
        return run_sampling(args)
    if len(args.words) > 1:
        return usage_error(_("sample takes one FILE, or one of: {words}").format(
            words=", ".join(sorted(SUBCOMMANDS))))
    used = [o for o in ("kind", "seed", "size", "reason") if getattr(args, o) is not None]
    if used:
        return usage_error(_("sample FILE takes no --{option}").format(option=used[0]))
    with open_workspace(args.workspace) as ws:
        report = import_sample(ws, pick_inspection(ws, args.inspection), Path(args.words[0]))
    if args.json:
        print_json({"added": report.added, "advisories": list(report.advisories)})
        return 0
    print(_("imported {n} cases").format(n=report.added))
    for line in report.advisories:
        print(_("note: {note}").format(note=printable(line)))
    return 0


@command("allocate",
         arg("--days", required=True, metavar="YYYY-MM-DD,…",
             help="the interview days, comma-separated"),
         arg("--start", default="09:30", help="first interview time each day"),
         arg("--connection", action="append", default=[], metavar="MEMBER:CASE",
             help="a declared connection: MEMBER never gets CASE (repeatable)"),
         arg("--lead-cases", action="store_true",
             help="the lead and the deputy lead take cases too (four each; three in youth)"),
         arg("--override", nargs=3, action="append", default=[],
             metavar=("MEMBER", "CASE", "REASON"),
             help="allow MEMBER to take CASE despite a conflict check, for REASON (audited; "
                  "repeatable)"),
         arg("--seed", metavar="N",
             help="break ties another way, the same way every time for the same N (a whole "
                  "number); without it ties are broken by the team's and cases' own order"),
         arg("--allow-unplaced", action="store_true",
             help="allocate the cases that can be placed even if others cannot (without it, "
                  "nothing is allocated then, and the status is 4)"),
         arg("--json", action="store_true", help="print the allocation as JSON"),
         _INSPECTION, workspace=True)
def cmd_allocate(args: argparse.Namespace) -> int:
    """Split the unallocated cases evenly between assessors and QA inspectors, with slots.

    If any case cannot be placed, nothing is allocated (exit status 4) and each such case is
    listed with why, unless --allow-unplaced is given.
    """
    seed = None
    if args.seed is not None:
        if not _SEED.fullmatch(args.seed):
            print(_("hmip-desktop allocate: error: --seed must be a whole number, not "
                    "{seed}").format(seed=printable(repr(args.seed))), file=sys.stderr)
            return USAGE
        seed = int(args.seed)
    try:
        days = [date.fromisoformat(d.strip()) for d in args.days.split(",") if d.strip()]
    except ValueError:
        raise UserError(_("--days must be dates like 2026-11-24,2026-11-25")) from None
    conns = []
    for c in args.connection:
        who, sep, ref = c.partition(":")
        if not sep:
            raise UserError(_("--connection {connection} is not MEMBER:CASE").format(
                connection=repr(c)))
        conns.append((who, ref))
    with open_workspace(args.workspace) as ws:
        report = allocate_evenly(ws, pick_inspection(ws, args.inspection), days,
                                 connections=conns, start=args.start,
                                 lead_cases=args.lead_cases,
                                 overrides=[tuple(o) for o in args.override], seed=seed,
                                 allow_unplaced=args.allow_unplaced)
    if args.json:
        print_json(report.as_json())
    else:
        if not report.applied:
            print(_("nothing allocated; the split would have been:"))
        print("\n".join(printable(line) for line in report.lines()))
    if report.applied:
        return DONE
    n = len(report.allocation.unplaced)
    print(_("hmip-desktop: nothing allocated: {n} case(s) could not be placed, each listed "
            "with why; put the cause right, or give --allow-unplaced to allocate the "
            "others").format(n=n), file=sys.stderr)
    return UNPLACED


@command("reassign", arg("case", metavar="CASE", help="the case reference (or id)"),
         arg("--to", required=True, metavar="MEMBER",
             help="the new owner (name or id): a member enrolled in the inspection, or you"),
         arg("--reason", required=True, help="why (kept in the case's history)"),
         JSON_FLAG, _INSPECTION, workspace=True)
def cmd_reassign(args: argparse.Namespace) -> int:
    """Give a case to another member (or yourself), with a reason; the lead only.

    The new owner's next pack carries the case with everything received so far; the old
    owner's next pack carries a notice that turns their copy read-only.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        done = reassign(ws, iid, args.case, find_member(ws, iid, args.to), args.reason)
    if args.json:
        print_json({"case_id": done.case_id, "case_ref": done.case_ref,
                    "from_member_id": done.from_member_id, "to_member_id": done.to_member_id,
                    "to_name": done.to_name, "at": done.at,
                    "conflicts_overridden": list(done.conflicts)})
        return 0
    print(_("reassigned {case} to {member} on {day}: their next pack carries it").format(
        case=printable(done.case_ref), member=printable(done.to_name), day=done.at[:10]))
    for why in done.conflicts:
        print(_("conflict overridden, with the reason given: {reason}").format(
            reason=printable(why)))
    return 0


@command("pack", arg("--member", required=True, help="the member (name or id)"),
         arg("--out", required=True, metavar="FILE.hmippack", help="where to write the pack"),
         JSON_FLAG, _INSPECTION, workspace=True)
def cmd_pack(args: argparse.Namespace) -> int:
    """Write a member's assignment pack: inspection, framework, their cases, contacts."""
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        mid = find_member(ws, iid, args.member)
        path = make_pack(ws, iid, mid, Path(args.out))
    if args.json:
        print_json({"path": str(path), "inspection_id": iid, "member_id": mid})
    else:
        print(_("wrote {file}").format(file=printable(path)))
    return 0


@command("export", arg("cases", metavar="CASE", nargs="*",
                       help="case references (default: every started case of yours)"),
         arg("--out", required=True, metavar="FILE.hmipb", help="where to write the bundle"),
         JSON_FLAG, _INSPECTION, workspace=True)
def cmd_export(args: argparse.Namespace) -> int:
    """Export your assessments, signed and encrypted for the lead and your QA partner."""
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        path = export_assessments(ws, iid, Path(args.out), args.cases or None)
    if args.json:
        print_json({"path": str(path), "inspection_id": iid})
    else:
        print(_("wrote {file}").format(file=printable(path)))
    return 0


@command("import", arg("file", metavar="FILE",
                       help="a .hmippack, .hmipb, .hmiprcpt, .hmipalert or .hmipstate file"),
         arg("--lead-fingerprint", metavar="FP",
             help="the lead's fingerprint, read aloud, for the first pack of an inspection"),
         arg("--receipt-out", metavar="FILE.hmiprcpt",
             help="where the lead's receipt goes (default: beside the bundle)"),
         arg("--confirm-edition", action="store_true",
             help="take in a pack that brings a new edition and move your cases to it"),
         JSON_FLAG, workspace=True)
def cmd_import(args: argparse.Namespace) -> int:
    """Import a pack, an assessment, QA, alert or alert-state bundle, or a receipt.

    Refused bundles change nothing.

    Importing the very same bundle again changes nothing and says so (exit status 0). A
    bundle older than what is held applies nothing: exit status 3. A pack bringing a new
    edition of the framework imports nothing and prints what would change for each of your
    cases (exit status 5) unless --confirm-edition is given.
    """
    with open_workspace(args.workspace) as ws:
        try:
            report = import_file(ws, Path(args.file), lead_fingerprint=args.lead_fingerprint,
                                 receipt_out=Path(args.receipt_out) if args.receipt_out
                                 else None, confirm_edition=args.confirm_edition)
        except EditionConfirmationNeededError as e:
            return edition_to_confirm(e, as_json=args.json)
    if args.json:
        print_json(import_json(report))
    else:
        print("\n".join(printable(line) for line in report.lines()))
    return NOT_NEWER if report.nothing_newer else 0


def moves_json(moves: list[CaseMove]) -> list[dict[str, Any]]:
    """Each case's move to a new edition (or why it stays), for a script."""
    return [{"case_ref": m.case_ref, "moves": m.moves, "stays_because": m.why_stays or None,
             "carried": m.carried, "new_items": m.new_items, "to_history": m.to_history}
            for m in moves]


def edition_to_confirm(e: EditionConfirmationNeededError, *, as_json: bool) -> int:
    """A pack that brings a new edition, not yet confirmed: what it would change (status 5)."""
    if as_json:
        print_json({"confirm_needed": True, "message": str(e),
                    "from": {"id": e.old.id, "edition": e.old.edition},
                    "to": {"id": e.new.id, "edition": e.new.edition},
                    "cases": moves_json(e.preview)})
    else:
        print(printable(str(e)))
        for line in preview_lines(e.preview):
            print("  " + printable(line))
    return NOT_READY


def import_json(report: ImportReport) -> dict[str, Any]:
    """What an import did, for a script: the same facts as its lines."""
    return {
        "kind": report.kind, "inspection_id": report.inspection_id, "sender": report.sender,
        "sequence": report.sequence, "already_imported": report.already_imported,
        "nothing_newer": report.nothing_newer,
        "applied": [{"case_ref": ref, "revision": rev} for ref, rev in report.applied],
        "up_to_date": [{"case_ref": ref, "revision": rev} for ref, rev in report.up_to_date],
        "stale": [{"case_ref": ref, "held": held, "offered": offered}
                  for ref, held, offered in report.stale],
        "conflicts": [{"case_ref": ref, "held": held, "offered": offered}
                      for ref, held, offered in report.conflicts],
        "notes": list(report.notes),
        "receipt": str(report.receipt) if report.receipt else None,
        "queries": report.queries, "replies": report.replies, "closings": report.closings,
        "signoffs": report.signoffs,
    }


@command("delivery", _INSPECTION, arg("--json", action="store_true", help="print JSON"),
         workspace=True)
def cmd_delivery(args: argparse.Namespace) -> int:
    """Which of your cases the lead has received at their latest revision."""
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        rows = [{"case_ref": s.case.case_ref, "revision": s.revision,
                 "delivered": delivered(ws, s.case.id)} for s in ws.list_cases(iid)]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = "received by lead" if r["delivered"] else "not yet received"
            print(f"{printable(r['case_ref']):<16} {state}")
    return 0
