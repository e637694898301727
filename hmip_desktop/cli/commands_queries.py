"""Lunchtime QA queries, sign-off and the QA bundle: the CLI over hmip_desktop.qa."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_exchange import (
    _INSPECTION,
    JSON_FLAG,
    find_member,
    pick_inspection,
)
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.qa import export_qa, export_qa_all
from hmip_desktop.i18n import _
from hmip_desktop.qa.queries import (
    Query,
    close_query,
    list_queries,
    raise_query,
    reply_to_query,
)
from hmip_desktop.qa.signoff import sign_off
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import printable

_SHAPES = {"raise": ("CASE", "ITEM", "TEXT"), "reply": ("QUERY_ID", "TEXT"),
           "close": ("QUERY_ID",)}


def _query_json(q: Query, refs: dict[str, str]) -> dict[str, Any]:
    return {**asdict(q), "case_ref": refs.get(q.case_id, ""), "is_open": q.is_open,
            "replies": [asdict(r) for r in q.replies]}


def _refs(ws: Workspace) -> dict[str, str]:
    return ws.case_refs()


@command("query",
         arg("action", choices=list(_SHAPES), help="raise a query, reply to one, or close one"),
         arg("values", nargs="+", metavar="ARG",
             help="raise: CASE ITEM TEXT; reply: QUERY_ID TEXT; close: QUERY_ID"),
         arg("--json", action="store_true", help="print the query or reply as JSON"),
         workspace=True)
def cmd_query(args: argparse.Namespace) -> int:
    """Raise a QA query on an item of a case, reply to one, or close one.

    query raise CASE ITEM TEXT   (QA partner) ITEM is an item key (2.1.1, 2.1.1.a,
                                 note:2.1.1, case:…, record:…, alert:<id>) or 'case'
    query reply QUERY_ID TEXT    (assessor or QA partner) while the query is open
    query close QUERY_ID         (QA partner) once the reply or the changed answer settles it

    None of these changes the case's revision; each is one audited transaction.
    """
    shape = _SHAPES[args.action]
    if len(args.values) != len(shape):
        raise UserError(_("query {action} takes {shape}").format(
                            action=args.action, shape=' '.join(shape)))
    with open_workspace(args.workspace) as ws:
        if args.action == "raise":
            q = raise_query(ws, *args.values)
            data: dict[str, Any] = _query_json(q, _refs(ws))
            line = _("raised query {id} on {case_ref} {item}").format(
                id=q.id, case_ref=printable(data["case_ref"]), item=printable(q.item))
        elif args.action == "reply":
            r = reply_to_query(ws, *args.values)
            data = asdict(r)
            line = _("reply added to query {id}").format(id=r.query_id)
        else:
            q = close_query(ws, *args.values)
            data = _query_json(q, _refs(ws))
            line = _("closed query {id}").format(id=q.id)
    print_json(data) if args.json else print(line)
    return 0


@command("queries",
         arg("--case", metavar="CASE", help="only this case (reference or id)"),
         arg("--open", action="store_true", help="only queries still open"),
         _INSPECTION,
         arg("--json", action="store_true", help="print JSON"),
         workspace=True)
def cmd_queries(args: argparse.Namespace) -> int:
    """List QA queries with their replies, oldest first."""
    with open_workspace(args.workspace) as ws:
        if args.inspection:
            ws.inspection_framework(args.inspection)  # an unknown id is a one-line error
        found = list_queries(ws, args.case, inspection_id=args.inspection,
                             open_only=args.open)
        refs = _refs(ws)
    rows = [_query_json(q, refs) for q in found]
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        state = (_("open") if r["is_open"]
                 else _("closed by {who}").format(who=printable(r["closed_by"])))
        print(f"{printable(r['case_ref']):<12} {printable(r['item']):<22} "
              f"{printable(r['id'])}  {state}")
        print(f"    {printable(r['raised_by'])}: {printable(r['text'])}")
        for reply in r["replies"]:
            print(f"    {printable(reply['author'])}: {printable(reply['text'])}")
    if not rows:
        print(_("no queries"))
    return 0


@command("signoff", arg("case", metavar="CASE", help="case reference or id"), JSON_FLAG,
         workspace=True)
def cmd_signoff(args: argparse.Namespace) -> int:
    """Sign a case off at its current revision (QA partner).

    Refused, with the reason, while the case is not marked complete, a query on it is open, or
    a must-fix finding remains. A later change to the case lapses the sign-off.
    """
    with open_workspace(args.workspace) as ws:
        s = sign_off(ws, args.case)
        ref = ws.find_case(s.case_id).case_ref
    if args.json:
        print_json({"case_id": s.case_id, "case_ref": ref, "revision": s.revision,
                    "signed_by": s.signed_by, "signed_at": s.signed_at})
        return 0
    print(_("signed off {ref} as it stands now").format(ref=printable(ref)))
    return 0


@command("qa-export",
         arg("--to", metavar="ASSESSOR",
             help="the assessor (name or id); default: one bundle per assessor you support"),
         arg("--out", required=True, metavar="FILE.hmipb",
             help="where to write the bundle (without --to: a folder)"),
         JSON_FLAG, _INSPECTION, workspace=True)
def cmd_qa_export(args: argparse.Namespace) -> int:
    """Export queries, replies and sign-offs for an assessor and the lead (QA partner).

    Signed and encrypted like every bundle. Without --to, --out is a folder and one bundle is
    written per assessor you support who has anything to send.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.to:
            paths = [export_qa(ws, iid, find_member(ws, iid, args.to), Path(args.out))]
        else:
            paths = export_qa_all(ws, iid, Path(args.out))
    if args.json:
        print_json({"paths": [str(p) for p in paths]})
        return 0
    for p in paths:
        print(_("wrote {path}").format(path=printable(p)))
    return 0
