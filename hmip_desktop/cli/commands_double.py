"""``double``: a case of a real inspection assessed independently by a second member.

A thin layer over ``hmip_desktop/double`` and the exchange (000_ §3.10's observation case, or
a routine benchmark; 003_ §4.12–4.13).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_exchange import find_member, pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.double.compare import DoubleComparison, double_comparison
from hmip_desktop.double.records import REASONS, Double, assign_second, choose_record, doubles
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.second_bundles import export_second
from hmip_desktop.i18n import _
from hmip_desktop.text_rules import printable
from hmip_desktop.training.compare import percent
from hmip_desktop.training.report import answer_words, kappa_figure


@command(
    "double",
    arg("action", choices=["assign", "list", "send", "compare", "record"],
        help="assign: (lead) name a second assessor for a case; list: (lead) the "
             "double-assessed cases; send: (second assessor) your second assessments for the "
             "lead; compare: (lead) the two assessments of a case; record: (lead) name one of "
             "the two as the case's record"),
    arg("--case", metavar="REF", help="assign, compare, record: the case"),
    arg("--member", metavar="NAME", help="assign: the second assessor; record: whose "
                                         "assessment is the record (name or member id)"),
    arg("--reason", choices=sorted(REASONS), default="observation",
        help="assign: the observation case (000_ §3.10) or a routine benchmark"),
    arg("--out", metavar="FILE", help="send: the file to write"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_double(args: argparse.Namespace) -> int:
    """Double assessment during fieldwork: the second assessor, the comparison, the record.

    The second assessor imports their new pack, and the lead their answers, with
    ``hmip-desktop import FILE``. Neither assessor ever receives the other's answers.
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.action == "list":
            found = doubles(ws, iid)
            if args.json:
                print_json([double_json(d) for d in found])
            else:
                print("\n".join(double_line(d) for d in found) or _("no double-assessed case"))
            return 0
        if args.action == "send":
            if not args.out:
                raise UserError(_("name the file to write with --out"))
            path = export_second(ws, iid, Path(args.out))
            return _out(args, {"path": str(path)},
                        _("second assessments for the lead written to {path}").format(
                            path=printable(path)))
        if not args.case:
            raise UserError(_("name the case with --case"))
        if args.action == "compare":
            dc = double_comparison(ws, iid, args.case)
            if args.json:
                print_json(comparison_json(dc))
            else:
                print("\n".join(comparison_text(dc)))
            return 0
        if not args.member:
            raise UserError(_("name the member with --member"))
        mid = find_member(ws, iid, args.member)
        if args.action == "assign":
            d = assign_second(ws, iid, args.case, mid, args.reason)
            text = _("case {ref}: {name} will assess it as a second assessment; send them "
                     "their pack again").format(ref=d.case_ref, name=d.second_name)
        else:
            d = choose_record(ws, iid, args.case, mid)
            text = _("case {ref}: {name}'s assessment is now its record").format(
                ref=d.case_ref, name=d.record_name)
        return _out(args, double_json(d), text)


def _out(args: argparse.Namespace, value: Any, text: str) -> int:
    if args.json:
        print_json(value)
    else:
        print(text)
    return 0


def double_json(d: Double) -> dict[str, Any]:
    return {"case_ref": d.case_ref, "reason": d.reason, "first": d.first_name,
            "second": d.second_name, "first_status": d.first_status,
            "second_status": d.second_status, "both_complete": d.both_complete,
            "record": d.record_name, "recorded_at": d.recorded_at}


def double_line(d: Double) -> str:
    record = d.record_name or _("not named yet")
    return _("{ref}: {first} and {second} ({reason}); both complete: {both}; record: "
             "{record}").format(ref=d.case_ref, first=d.first_name, second=d.second_name,
                                reason=_(REASONS[d.reason]),
                                both=_("yes") if d.both_complete else _("no"), record=record)


def comparison_json(dc: DoubleComparison) -> dict[str, Any]:
    d, c = dc.double, dc.comparison
    (t,) = c.trainees
    return {
        "case_ref": d.case_ref, "first": d.first_name, "second": d.second_name,
        "agreed": t.agreed, "total": t.total,
        "share": None if t.share is None else float(t.share), "kappa": t.kappa,
        "agreement": t.band, "record": d.record_name,
        "items": [{"item": x.item, "judgement": x.judgement, "first": x.benchmark,
                   "second": x.answers[d.second_id], "agreed": not x.differed}
                  for x in c.items],
        "notes": [{"key_question": n.key_question, "first": n.benchmark, "second": n.trainee}
                  for n in t.cases[0].notes],
    }


def comparison_text(dc: DoubleComparison) -> list[str]:
    d, c = dc.double, dc.comparison
    (t,) = c.trainees
    lines = [_("Case {ref}: {first} and {second}: {agreed} of {total} items agreed ({share}), "
               "kappa {kappa}: {band}").format(
                   ref=d.case_ref, first=d.first_name, second=d.second_name, agreed=t.agreed,
                   total=t.total, share=percent(t.share), kappa=kappa_figure(t.kappa),
                   band=t.band)]
    for x in c.items:
        if x.differed:
            lines.append("  " + _("{label}: {first} {a}, {second} {b}").format(
                label=x.label, first=d.first_name, a=answer_words(x.benchmark),
                second=d.second_name, b=answer_words(x.answers[d.second_id])))
    return lines
