"""``review``: the partner inspector's read-only review of the cases the lead gives them.

The lead gives a partner inspector cases (``review give``) and writes them their review bundle
with the cases' current answers (``--out``, or ``review send``). The partner inspector reads the
cases (``review show``), comments on a case or one of its key questions (``review comment``),
and sends the comments back (``review return``); the lead reads them beside each case
(``review comments``). A comment never changes an answer, a count or a rating.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hmip_desktop.cli.commands_exchange import find_member, pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.review_bundles import export_comments, export_review
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team import review
from hmip_desktop.text_rules import printable

ACTIONS = ("give", "send", "show", "comment", "return", "comments")


def _case_id(ws: Workspace, iid: str, ref_or_id: str, held: dict[str, str]) -> str:
    found = [cid for cid, ref in held.items() if ref_or_id in (cid, ref)]
    if len(found) != 1:
        raise UserError(_("no case {ref_or_id!r} here to review").format(ref_or_id=ref_or_id))
    return found[0]


def _lead_cases(ws: Workspace, iid: str) -> dict[str, str]:
    return {str(r["id"]): str(r["case_ref"]) for r in ws.allocations(iid)}


@command(
    "review",
    arg("action", choices=ACTIONS,
        help="give MEMBER CASE…: give a partner inspector cases (lead); send MEMBER: write "
             "their review bundle (lead); show: the cases to review (partner inspector); "
             "comment CASE TEXT: comment on a case (partner inspector); return: write the "
             "comments for the lead; comments CASE: the comments on a case (lead)"),
    arg("words", nargs="*", metavar="ARG", help="the member, the cases, or the comment"),
    arg("--question", metavar="KQ", help="comment: the key question the comment is about"),
    arg("--out", metavar="FILE.hmipb", help="give, send, return: write the bundle here"),
    arg("--json", action="store_true", help="print JSON"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    workspace=True,
)
def cmd_review(args: argparse.Namespace) -> int:
    """Give a partner inspector cases to review, read them, comment, and send comments back.

    A partner inspector reviews the cases of the first fieldwork week at the start of the
    second (youth offending services manual §6.1). They read the answers and may comment on a
    case or on one key question; they never answer. Refused with one line, nothing written:
    cases given to a member who is not a partner inspector, a comment on a case not given.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        return _ACTIONS[args.action](ws, iid, args)


def _give(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    if len(args.words) < 2:
        raise UserError(_("give the partner inspector and the cases: review give MEMBER CASE…"))
    mid = find_member(ws, iid, args.words[0])
    held = _lead_cases(ws, iid)
    added = review.give_for_review(ws, iid, mid, [_case_id(ws, iid, w, held)
                                                  for w in args.words[1:]])
    path = _send_to(ws, iid, mid, Path(args.out), quiet=True) if args.out else None
    if args.json:
        print_json({"member_id": mid, "added": added, "path": path})
    else:
        print(_("{added} cases given to review").format(added=added))
        if path:
            print(_("cases to review written to {path}").format(path=path))
    return 0


def _send(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    if len(args.words) != 1 or not args.out:
        raise UserError(_("give the partner inspector and where to write: review send MEMBER "
                          "--out FILE"))
    mid = find_member(ws, iid, args.words[0])
    path = _send_to(ws, iid, mid, Path(args.out), quiet=args.json)
    if args.json:
        print_json({"member_id": mid, "path": path})
    return 0


def _send_to(ws: Workspace, iid: str, mid: str, out: Path, *, quiet: bool) -> str:
    path = export_review(ws, iid, mid, out)
    if not quiet:
        print(_("cases to review written to {path}").format(path=path))
    return str(path)


def _show(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    copies = review.review_copies(ws, iid)
    if args.json:
        print_json([{"case_ref": c.case_ref, "items": c.items,
                     "comments": [_comment_json(x) for x in review.comments_on(ws, c.case_id)]}
                    for c in copies])
        return 0
    if not copies:
        print(_("no cases to review"))
    for c in copies:
        print(_("{case_ref} (read-only, {n_items} answers and notes)").format(
                  case_ref=printable(c.case_ref), n_items=len(c.items)))
        for x in review.comments_on(ws, c.case_id):
            print(f"  {_comment_line(x)}")
    return 0


def _comment(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    if len(args.words) != 2:
        raise UserError(_("give the case and the comment: review comment CASE TEXT"))
    held = {c.case_id: c.case_ref for c in review.review_copies(ws, iid)}
    case_id = _case_id(ws, iid, args.words[0], held)
    c = review.add_comment(ws, iid, case_id, args.words[1], args.question)
    if args.json:
        print_json(_comment_json(c))
        return 0
    print(_("comment saved on {case_ref}").format(case_ref=printable(c.case_ref)))
    return 0


def _return(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    if args.words or not args.out:
        raise UserError(_("give where to write the comments: review return --out FILE"))
    path = export_comments(ws, iid, Path(args.out))
    if args.json:
        print_json({"path": str(path)})
        return 0
    print(_("comments for the lead written to {path}").format(path=path))
    return 0


def _comments(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    if len(args.words) != 1:
        raise UserError(_("give the case: review comments CASE"))
    case_id = _case_id(ws, iid, args.words[0], _lead_cases(ws, iid))
    found = review.comments_on(ws, case_id)
    if args.json:
        print_json([_comment_json(x) for x in found])
        return 0
    if not found:
        print(_("no comments from a partner inspector on this case"))
    for x in found:
        print(_comment_line(x))
    return 0


def _comment_json(c: review.Comment) -> dict[str, str | None]:
    return {"key_question": c.kq_id, "text": c.text, "by": c.author_name, "at": c.written_at}


def _comment_line(c: review.Comment) -> str:
    about = _("on {kq}").format(kq=c.kq_id) if c.kq_id else _("on the case")
    return (f"{printable(c.author_name)}, {c.written_at[:16].replace('T', ' ')}, {about}: "
            f"{printable(c.text)}")


_ACTIONS = {"give": _give, "send": _send, "show": _show, "comment": _comment,
            "return": _return, "comments": _comments}
