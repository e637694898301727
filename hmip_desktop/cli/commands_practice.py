"""``practice``: practice cases on the assessor's laptop, apart from every inspection.

A thin layer over ``hmip_desktop/practice``. Text output opens with the practice line, as
training output opens with the training line, so that practice is never taken for real work.
"""

from __future__ import annotations

import argparse
from typing import Any

from hmip_desktop.assessment.items import item_label
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import N_, _, ngettext
from hmip_desktop.practice.cases import (
    add_practice,
    answer_practice,
    erase_practice,
    find_practice,
    list_practice,
)
from hmip_desktop.practice.checks import practice_findings, practice_status
from hmip_desktop.text_rules import printable

PRACTICE_BANNER = N_("PRACTICE — on this laptop only: never sent, exported or counted")


def _pairs(values: list[str], what: str) -> dict[str, str]:
    out = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name:
            raise UserError(_("{what} {value} is not NAME=VALUE").format(
                what=what, value=repr(v)))
        out[name] = value
    return out


@command(
    "practice",
    arg("action", choices=["add", "answer", "list", "check", "erase"],
        help="add: a practice case with an invented reference; answer: save answers on one; "
             "list: every practice case; check: the QA checks on them; erase: erase every "
             "practice case"),
    arg("case", nargs="?", metavar="REF",
        help="add, answer: the practice case's invented reference; check: only this one"),
    arg("--framework", metavar="ID", help="add: the framework to practise on"),
    arg("--fact", action="append", default=[], metavar="NAME=VALUE",
        help="add: a case fact (repeatable)"),
    arg("--set", action="append", default=[], metavar="ITEM=VALUE", dest="answers",
        help="answer: an item and its answer, empty to clear it (repeatable)"),
    arg("--yes", action="store_true", help="erase: really erase every practice case"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_practice(args: argparse.Namespace) -> int:
    """Practice cases: typed in with invented references, checked, never leaving the laptop.

    Between training and fieldwork, practise completing case assessment on cases of your own
    (000_ §3.10). Practice cases belong to no inspection: no bundle or export carries them,
    and prepare-for-return erases them.
    """
    with open_workspace(args.workspace) as ws:
        if args.action == "add":
            if not (args.case and args.framework):
                raise UserError(_("add needs the practice reference and --framework"))
            c = add_practice(ws, args.case, args.framework, _pairs(args.fact, _("--fact")))
            return _out(args, {"id": c.id, "case_ref": c.case_ref, "framework": c.framework_id},
                        _("practice case {ref} added").format(ref=printable(c.case_ref)))
        if args.action == "answer":
            if not (args.case and args.answers):
                raise UserError(_("answer needs the practice reference and --set ITEM=VALUE"))
            c = answer_practice(ws, args.case, _pairs(args.answers, _("--set")))
            return _out(args, {"case_ref": c.case_ref, "answers": len(c.items),
                               "status": practice_status(c)},
                        _("practice case {ref}: {n} answers saved").format(
                            ref=printable(c.case_ref), n=len(args.answers)))
        if args.action == "erase":
            if not args.yes:
                raise UserError(_("nothing was erased: add --yes to erase every practice "
                                  "case"))
            n = erase_practice(ws)
            return _out(args, {"erased": n}, ngettext(
                "practice data erased: {n} practice case", "practice data erased: {n} "
                "practice cases", n).format(n=n))
        held = list_practice(ws)
        if args.action == "list":
            if args.json:
                print_json([{**c.as_dict(), "status": practice_status(c)} for c in held])
                return 0
            print(_(PRACTICE_BANNER))
            if not held:
                print(_("no practice cases on this laptop"))
            for c in held:
                print(_("{ref} ({framework}): {n} answers, {status}").format(
                    ref=printable(c.case_ref), framework=c.framework.title, n=len(c.items),
                    status=_("complete") if practice_status(c) == "complete"
                    else _("in progress")))
            return 0
        if args.case:
            one = find_practice(ws, args.case)
            assert one is not None
            held = [one]
    findings = [(c, f) for c in held for f in practice_findings(c)]
    if args.json:
        print_json({"practice": True, "cases": len(held),
                    "findings": [f.as_dict() for _c, f in findings]})
        return 0
    print(_(PRACTICE_BANNER))
    if not findings:
        print(_("no findings on the practice cases"))
    for c, f in findings:
        print(_("{ref}, {item}: {message}").format(
            ref=printable(c.case_ref), item=item_label(c.framework, f.item),
            message=f.message))
    return 0


def _out(args: argparse.Namespace, value: dict[str, Any], text: str) -> int:
    if args.json:
        print_json(value)
    else:
        print(_(PRACTICE_BANNER))
        print(text)
    return 0
