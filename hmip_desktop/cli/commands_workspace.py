"""Workspace commands: init, demo, cases, answer, note, complete, history, passphrase."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hmip_desktop.assessment.applicability import save_answer
from hmip_desktop.assessment.batch import apply_batch
from hmip_desktop.assessment.items import NOTE
from hmip_desktop.cli.exit_status import USAGE
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import given_passphrase, open_workspace, read_passphrase
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.demo_team import FOLDERS, create_team_demo
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.paths import (
    DEMO_PASSPHRASE_FILE,
    default_demo_workspace,
    new_demo_passphrase,
    workspace_folder,
)
from hmip_desktop.qa.readiness import Readiness, completion_readiness, mark_complete_checked
from hmip_desktop.store.demo import create_demo
from hmip_desktop.store.records import Change
from hmip_desktop.store.workspace import ROLES, Workspace
from hmip_desktop.text_rules import printable
from hmip_desktop.user_files import ANSWERS_FILE_MAX, PASSPHRASE_FILE_MAX, read_user_text
from hmip_desktop.wording import audit_action_label, status_label


@command(
    "init",
    arg("--name", required=True, help="your name, as the team knows you"),
    arg("--role", required=True, choices=ROLES, help="your role in inspections"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_init(args: argparse.Namespace) -> int:
    """Create a new, empty encrypted workspace.

    The passphrase comes from --passphrase-fd or HMIP_PASSPHRASE, or is asked for twice
    without echo.
    """
    folder = workspace_folder(args.workspace)
    passphrase = read_passphrase(_("New passphrase: "), confirm=True)
    with Workspace.create(folder, passphrase, owner_name=args.name, role=args.role):
        pass
    if args.json:
        print_json({"workspace": str(folder)})
        return 0
    print(_("created workspace {folder}").format(folder=folder))
    return 0


@command(
    "demo",
    arg("--open", action="store_true", help="open the app on the demo afterwards"),
    arg("--role", choices=("assessor", "qa", "lead", "trainee"), default="assessor",
        help="whose demo: an assessor's (the default), or the QA partner's, the lead's or a "
             "trainee's workspace of a demo team that has exchanged its bundles"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_demo(args: argparse.Namespace) -> int:
    """Create a demo workspace of invented cases.

    The assessor's demo holds one inspection per shipped framework. With --role qa, lead or
    trainee, a demo team is made instead — a lead, two assessors and their QA partner who have
    gone through a whole exchange of packs, bundles, receipts and a query, and three trainees
    of the lead's training event — and the chosen member's workspace is the one used;
    --workspace then names the team's folder.

    The passphrase comes from --passphrase-fd or HMIP_PASSPHRASE, or one is generated and
    printed. Without
    --workspace the demo lives in the user data folder; with --open an existing demo there is
    reused (its generated passphrase is kept beside it: the data is synthetic).
    """
    team = args.role != "assessor"
    root = Path(args.workspace).expanduser() if args.workspace else (
        default_demo_workspace().with_name("demo-team") if team else default_demo_workspace())
    folder = root / FOLDERS[args.role] if team else root
    note = root / DEMO_PASSPHRASE_FILE
    say = print if not args.json else _silent
    made: dict[str, Any] = {"workspace": str(folder), "created": False, "cases": None,
                            "passphrase": None}
    if Workspace.exists(folder):
        if not args.open:
            raise UserError(_("{folder}: a workspace already exists here").format(folder=folder))
        passphrase = given_passphrase() or (
            read_user_text(note, max_size=PASSPHRASE_FILE_MAX).strip() if note.exists()
            else read_passphrase())
    else:
        if team and root.exists():
            raise UserError(_("{root}: the folder exists but holds no demo team; choose another "
                              "--workspace").format(root=root))
        chosen = given_passphrase()
        passphrase = chosen or new_demo_passphrase()
        say((_("creating the demo team in {root} …") if team
             else _("creating the demo workspace in {root} …")).format(root=root), flush=True)
        if team:
            create_team_demo(root, passphrase)
            with Workspace.open(folder, passphrase) as ws:
                n = len(ws.list_cases())
        else:
            with create_demo(root, passphrase) as ws:
                n = len(ws.list_cases())
        if chosen is None:
            note.write_text(passphrase + "\n")
            made["passphrase"] = passphrase
            say(_("demo passphrase: {passphrase}").format(passphrase=passphrase))
        made.update(created=True, cases=n)
        say(_("created {n} invented cases in {folder}").format(n=n, folder=folder))
    if args.json:
        print_json(made)
    if args.open:
        from hmip_desktop.cli.commands_gui import launch_gui  # noqa: PLC0415 - Qt on demand

        return launch_gui(folder, passphrase=passphrase)
    return 0


@command("cases", arg("--json", action="store_true", help="print JSON"), workspace=True)
def cmd_cases(args: argparse.Namespace) -> int:
    """List the cases in the workspace with their status and completeness."""
    with open_workspace(args.workspace) as ws:
        summaries = ws.list_cases()
        training = {i["id"] for i in ws.inspections() if i["training"]}
    if args.json:
        print_json([
            {
                "id": s.case.id, "case_ref": s.case.case_ref,
                "inspection_id": s.case.inspection_id, "assessor": s.case.assessor,
                "practitioner": s.case.practitioner, "office": s.case.office,
                "interview_at": s.case.interview_at, "status": s.display_status,
                "revision": s.revision, "facts": dict(s.case.facts),
                "completeness": {"required": s.completeness.required,
                                 "answered": s.completeness.answered,
                                 "percent": s.completeness.percent},
                "alerts": s.alerts, "open_alerts": s.open_alerts,
                "training": s.case.inspection_id in training,
            }
            for s in summaries
        ])
        return 0
    if any(s.case.inspection_id in training for s in summaries):
        print(_("TRAINING — the cases marked T are a training event's: they never count in a "
                "real inspection"))
    for s in summaries:
        mark = "" if not training else "T " if s.case.inspection_id in training else "  "
        alert = "  " + _("ALERT") if s.alerts else ""
        print(f"{mark}{printable(s.case.case_ref):<16} {status_label(s.display_status):<12} "
              f"{s.completeness.percent:>3}%  {printable(s.case.interview_at):<17} "
              f"{printable(s.case.practitioner)}{alert}")
    return 0


def _print_change(change: Change, as_json: bool, does_not_apply: str | None = None) -> None:
    if as_json:
        print_json({**asdict(change), "does_not_apply": does_not_apply})
    elif not change.changed:
        print(_("{item} unchanged (revision {revision})").format(
                  item=printable(change.item), revision=change.revision))
    elif change.new is None:
        print(_("cleared {item} (revision {revision}, {status})").format(
                  item=printable(change.item), revision=change.revision, status=change.status))
    else:
        print(_("saved {item} = {new} (revision {revision}, {status})").format(
                  item=printable(change.item), new=printable(repr(change.new)),
                  revision=change.revision, status=change.status))
        for item, (_old, new) in change.also_changed.items():
            print(_("  also set {item} = {new} (hurdle)").format(
                      item=printable(item), new=printable(repr(new))))


@command(
    "answer",
    arg("case", metavar="CASE", nargs="?", help="case reference or id"),
    arg("item", metavar="ITEM", nargs="?", help="prompt or key question id, case:<question>, "
        "record:<field> or note:<KQ>"),
    arg("value", metavar="VALUE", nargs="?",
        help="yes, no, na, a choice value or text ('' clears)"),
    arg("--from", dest="from_file", metavar="FILE", type=Path,
        help='save many answers at once: a JSON Lines file, one {"case": …, "item": …, '
             '"value": …} per line, applied whole or not at all'),
    arg("--partial", action="store_true",
        help="with --from: save the good lines and list the bad ones instead of refusing"),
    arg("--json", action="store_true", help="print the change(s) as JSON"),
    arg("--strict", action="store_true",
        help="refuse an answer to an item that does not apply to the case (nothing saved)"),
    workspace=True,
)
def cmd_answer(args: argparse.Namespace) -> int:
    """Save one answer to a case, durably and audited, exactly as the form does.

    An answer to an item that does not apply to the case (another case sample, a sub-sample
    the case is not in) is saved with a warning on stderr, as consolidation will not count
    it; with --strict it is refused instead.

    With --from FILE, every answer of the file is checked first and then saved in one
    transaction, each audited as if saved singly: one bad line (not an answer, an unknown
    case, the same case and item twice, a value the item does not take, with --strict an item
    that does not apply) refuses the whole file and names the line, unless --partial is given.
    """
    single = (args.case, args.item, args.value)
    if args.from_file is None and None in single:
        return _answer_usage(_("give CASE ITEM VALUE, or --from FILE"))
    if args.from_file is not None and single != (None, None, None):
        return _answer_usage(_("give CASE ITEM VALUE or --from FILE, not both"))
    if args.partial and args.from_file is None:
        return _answer_usage(_("--partial goes with --from FILE"))
    if args.from_file is not None:
        return _answer_batch(args)
    return _answer(args, args.item, args.value)


def _answer(args: argparse.Namespace, item: str, value: str) -> int:
    with open_workspace(args.workspace) as ws:
        done = save_answer(ws, args.case, item, value, strict=args.strict)
    _print_change(done.change, args.json, done.does_not_apply)
    if done.does_not_apply:
        print(_("hmip-desktop: warning: {item} does not apply to case {case} ({why}); saved, "
                "but consolidation does not count it").format(
                  item=printable(item), case=printable(args.case),
                  why=printable(done.does_not_apply.rstrip('.'))), file=sys.stderr)
    return 0


def _answer_usage(message: str) -> int:
    """What was wrong with the arguments, after the command's forms, as argparse would; 2."""
    print(_("usage: hmip-desktop answer CASE ITEM VALUE [--strict] [--json]\n       "
            "hmip-desktop answer --from FILE [--partial] [--strict] [--json]\nhmip-desktop "
            "answer: error: {message}").format(message=message), file=sys.stderr)
    return USAGE


def _answer_batch(args: argparse.Namespace) -> int:
    text = read_user_text(args.from_file, max_size=ANSWERS_FILE_MAX)
    with open_workspace(args.workspace) as ws:
        result = apply_batch(ws, text, partial=args.partial, strict=args.strict)
    if args.json:
        print_json({
            "saved": [{"line": n, **asdict(done.change), "does_not_apply": done.does_not_apply}
                      for n, done in result.saved],
            "changed": result.changed,
            "bad": [{"line": b.number, "reason": b.reason} for b in result.bad],
        })
    else:
        print(_("{n_saved} answers saved from {from_file}, {changed} of them changed").format(
                  n_saved=len(result.saved), from_file=args.from_file, changed=result.changed))
    for n, done in result.saved:
        if done.does_not_apply:
            print(_("hmip-desktop: warning: line {n}: {item} does not apply to this case "
                    "({why}); saved, but consolidation does not count it").format(
                      n=n, item=printable(done.change.item),
                      why=printable(done.does_not_apply.rstrip('.'))), file=sys.stderr)
    for bad in result.bad:
        print(_("hmip-desktop: {bad} (left out)").format(bad=printable(str(bad))), file=sys.stderr)
    return 0


@command(
    "note",
    arg("case", metavar="CASE", help="case reference or id"),
    arg("kq", metavar="KQ", help="key question id"),
    arg("text", metavar="TEXT", help="the evidence note ('' clears)"),
    arg("--json", action="store_true", help="print the change as JSON"),
    arg("--strict", action="store_true",
        help="refuse a note on a key question that does not apply to the case"),
    workspace=True,
)
def cmd_note(args: argparse.Namespace) -> int:
    """Save the evidence note for a key question (answer CASE note:KQ TEXT)."""
    return _answer(args, NOTE + args.kq, args.text)


@command("complete", arg("cases", metavar="CASE", nargs="+", help="case reference or id"),
         arg("--json", action="store_true",
             help="print the outcome as JSON: every missing item with its text and key"),
         workspace=True)
def cmd_complete(args: argparse.Namespace) -> int:
    """Mark cases' assessments complete; refused with what is missing or must be fixed.

    Refused as the QA partner's sign-off would be for the answers: an item still empty, or a
    must-fix finding. An open query is only a warning, on stderr. With --json, every missing
    item and must-fix finding is listed with the item key to set, refused or not. Several
    cases are marked in one unlock and one transaction: all of them, or none.
    """
    with open_workspace(args.workspace) as ws:
        case_ids = list(dict.fromkeys(ws.find_case(ref).id for ref in args.cases))
        done: dict[str, tuple[Change, Readiness]] = {}
        refused: dict[str, UserError] = {}
        try:
            with ws.transaction():
                for case_id in case_ids:
                    try:
                        done[case_id] = mark_complete_checked(ws, case_id)
                    except UserError as e:  # its savepoint is undone; the others are checked
                        refused[case_id] = e
                if refused:
                    raise _NoneMarked
        except _NoneMarked:
            if args.json:
                _print_completions(ws, case_ids, refused, several=len(args.cases) > 1)
            first = next(iter(refused.values()))
            if len(args.cases) == 1:
                raise first from None
            ref = ws.find_case(next(iter(refused))).case_ref
            more = (_(" (and {n} other case(s) refused)").format(n=len(refused) - 1)
                    if len(refused) > 1 else "")
            raise UserError(_("nothing marked complete: {ref}: {first}{more}").format(
                                ref=ref, first=first, more=more)) from None
    if args.json:
        shown = [_completion_json(r, c.revision, c.status, refused=None)
                 for c, r in done.values()]
        print_json(shown if len(args.cases) > 1 else shown[0])
    else:
        for change, r in done.values():
            print(_("{case_ref} marked complete (revision {revision})").format(
                      case_ref=r.case_ref, revision=change.revision))
    for _change, r in done.values():
        if r.open_queries:
            n = r.open_queries
            print(ngettext("Note: {n} query is still open on {case_ref}; the QA partner cannot "
                           "sign it off until it is closed.",
                           "Note: {n} queries are still open on {case_ref}; the QA partner "
                           "cannot sign it off until it is closed.", n).format(
                               n=n, case_ref=r.case_ref), file=sys.stderr)
    return 0


class _NoneMarked(Exception):
    """A case of ``complete`` was refused: the transaction marking the others is undone."""


def _print_completions(ws: Workspace, case_ids: list[str], refused: dict[str, UserError],
                       *, several: bool) -> None:
    """``complete --json`` when refused: each case as it stands, with its own refusal."""
    shown = []
    for case_id in case_ids:
        a = ws.read_assessment(case_id)
        why = refused.get(case_id)
        shown.append(_completion_json(completion_readiness(ws, case_id), a.revision, a.status,
                                      refused=None if why is None else str(why)))
    print_json(shown if several else shown[0])


def _completion_json(r: Readiness, revision: int, status: str,
                     refused: str | None) -> dict[str, Any]:
    """``complete --json`` (docs/cli.md): the outcome and everything that stands in its way."""
    return {
        "case_id": r.case_id, "case_ref": r.case_ref,
        "completed": refused is None and status == "complete",
        "refused": refused, "revision": revision, "status": status, "blocked": r.blocked,
        "missing": [{"item": p.item, "text": p.where, "check": p.check} for p in r.blanks],
        "must_fix": [{"item": p.item, "text": p.where, "check": p.check, "message": p.message}
                     for p in r.must_fix],
        "open_queries": r.open_queries,
    }


@command(
    "history",
    arg("case", metavar="CASE", help="case reference or id"),
    arg("item", metavar="ITEM", nargs="?", help="only this item"),
    arg("--json", action="store_true", help="print JSON"),
    workspace=True,
)
def cmd_history(args: argparse.Namespace) -> int:
    """Show the audit history of a case, or of one item in it."""
    with open_workspace(args.workspace) as ws:
        entries = ws.history(ws.find_case(args.case).id, args.item)
    if args.json:
        print_json([asdict(e) for e in entries])
        return 0
    for e in entries:
        old, new = ((status_label(e.old or ""), status_label(e.new or "")) if e.action == "status"
                    else (repr(e.old), repr(e.new)))
        print(f"{printable(e.at)}  {printable(e.actor):<20} "
              f"{printable(audit_action_label(e.action)):<8} {printable(e.item):<24} "
              f"{printable(old)} → {printable(new)}")
    return 0


@command(
    "passphrase",
    arg("action", choices=["change"], help="what to do"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_passphrase(args: argparse.Namespace) -> int:
    """Change the workspace passphrase (the database key is wrapped under the new one).

    The current passphrase comes from the first line of --passphrase-fd, HMIP_PASSPHRASE or a
    prompt; the new one from its second line, HMIP_NEW_PASSPHRASE or a prompt asked twice.
    """
    with open_workspace(args.workspace) as ws:
        new = read_passphrase(_("New passphrase: "), env="HMIP_NEW_PASSPHRASE", confirm=True)
        ws.change_passphrase(new)
    if args.json:
        print_json({"passphrase_changed": True})
        return 0
    print(_("passphrase changed"))
    return 0


def _silent(*_args: Any, **_kwargs: Any) -> None:
    """Progress lines are left out when the output is JSON."""
