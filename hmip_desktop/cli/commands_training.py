"""``training``: a training event (000_ §3.10) — its inspection, benchmark, packs, comparison.

Every action is a thin layer over ``hmip_desktop/training`` and the exchange; the comparison's
PDF is written by Qt's writer (gui/common/pdf.py), loaded only when asked for.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_exchange import find_member, pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.contacts import set_up_inspection
from hmip_desktop.exchange.training_bundles import export_training
from hmip_desktop.exchange.training_packs import make_training_pack
from hmip_desktop.frameworks.loader import load_framework
from hmip_desktop.i18n import N_, _
from hmip_desktop.laptop_return.exports import write_recorded, write_tracked
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import printable
from hmip_desktop.training.compare import Comparison, percent
from hmip_desktop.training.events import mark_benchmark
from hmip_desktop.training.report import (
    answer_words,
    changed_line,
    comparison_html,
    comparison_xlsx,
    kappa_figure,
)
from hmip_desktop.training.selection import DECISIONS, record_selection, selections
from hmip_desktop.training.service import comparison

TRAINING_BANNER = N_("TRAINING — practice work: it never counts as a real inspection")


@command(
    "training",
    arg("action", choices=["create", "benchmark", "pack", "send", "compare", "select"],
        help="create: (lead) a training event's inspection; benchmark: (lead) mark your "
             "answers on the training cases as the benchmark; pack: (lead) a trainee's "
             "training pack; send: (trainee) your answers for the lead; compare: (lead) "
             "each trainee against the benchmark; select: (lead) record a trainee as "
             "selected, reserve or not selected, or list the decisions"),
    arg("--framework", metavar="ID", help="create: the framework id"),
    arg("--title", help="create: the training event's title"),
    arg("--organisation", help="create: the organisation whose cases are used"),
    arg("--member", metavar="NAME", help="pack, select: the trainee (name or member id)"),
    arg("--decision", choices=list(DECISIONS),
        help="select: selected, reserve or not_selected (with --member)"),
    arg("--feedback", metavar="TEXT",
        help="select: developmental feedback for the trainee (with --member)"),
    arg("--out", metavar="FILE", help="pack, send: the file to write"),
    arg("--pdf", metavar="FILE.pdf", help="compare: also write the comparison as a PDF"),
    arg("--xlsx", metavar="FILE.xlsx", help="compare: also write it as a workbook"),
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_training(args: argparse.Namespace) -> int:
    """A training event: the lead's benchmark, trainees' packs and answers, the comparison.

    Trainees import their training pack, and the lead each trainee's answers, with
    ``hmip-desktop import FILE``; a training bundle is never taken into a real inspection.
    """
    with open_workspace(args.workspace) as ws:
        if args.action == "create":
            if not (args.framework and args.title and args.organisation):
                raise UserError(_("create needs --framework, --title and --organisation"))
            fw = load_framework(args.framework)
            iid = set_up_inspection(
                ws, title=args.title, organisation=args.organisation, training=True,
                framework_bytes=resource("frameworks", f"{fw.id}.json").read_bytes())
            return _out(args, {"id": iid, "training": True},
                        _("created training event {inspection}").format(inspection=iid))
        iid = pick_inspection(ws, args.inspection)
        if args.action == "benchmark":
            b = mark_benchmark(ws, iid)
            return _out(args, {"version": b.version, "marked_at": b.marked_at,
                               "cases": len(b.answers),
                               "answers": sum(len(v) for v in b.answers.values())},
                        _("benchmark version {n} marked: {cases} training cases").format(
                            n=b.version, cases=len(b.answers)))
        if args.action == "select":
            return _select(ws, iid, args)
        if args.action in ("pack", "send") and not args.out:
            raise UserError(_("name the file to write with --out"))
        if args.action == "pack":
            if not args.member:
                raise UserError(_("name the trainee with --member"))
            mid = find_member(ws, iid, args.member)
            path = make_training_pack(ws, iid, mid, Path(args.out))
            return _out(args, {"path": str(path), "member": mid},
                        _("training pack written to {path}").format(path=printable(path)))
        if args.action == "send":
            path = export_training(ws, iid, Path(args.out))
            return _out(args, {"path": str(path)},
                        _("training answers for the lead written to {path}").format(
                            path=printable(path)))
        c = comparison(ws, iid)
        if args.pdf:
            from hmip_desktop.gui.common.pdf import write_pdf_from_cli  # noqa: PLC0415 - Qt

            html, title = comparison_html(c), _("Training comparison")
            write_recorded(ws, Path(args.pdf), "training_pdf",
                           lambda full: write_pdf_from_cli(full, html, title=title))
        if args.xlsx:
            write_tracked(ws, Path(args.xlsx), comparison_xlsx(c), "training_xlsx")
    if args.json:
        print_json(comparison_json(c))
        return 0
    print("\n".join(comparison_text(c)))
    return 0


def _select(ws: Workspace, iid: str, args: argparse.Namespace) -> int:
    """Record one decision (``--member`` and ``--decision``), then list every trainee's."""
    recorded = None
    if args.member or args.decision or args.feedback is not None:
        if not (args.member and args.decision):
            raise UserError(_("select needs --member and --decision (selected, reserve or "
                              "not_selected)"))
        recorded = record_selection(ws, iid, find_member(ws, iid, args.member), args.decision,
                                    args.feedback or "").member_id
    held = selections(ws, iid)
    if args.json:
        print_json({"recorded": recorded, "trainees": [s.as_dict() for s in held]})
        return 0
    print(_(TRAINING_BANNER))
    for s in held:
        print(_("{name}: {decision}").format(name=printable(s.name), decision=s.words))
        if s.feedback:
            print("  " + printable(s.feedback))
    return 0


def _out(args: argparse.Namespace, value: dict[str, Any], text: str) -> int:
    if args.json:
        print_json(value)
    else:
        print(text)
    return 0


def comparison_json(c: Comparison) -> dict[str, Any]:
    """The comparison's figures for a script (shares as fractions of 1, kappa or null)."""
    names = {t.member_id: t.name for t in c.trainees}
    return {
        "title": c.title, "training": True, "benchmark_version": c.benchmark_version,
        "benchmark_marked_at": c.benchmark_marked_at, "benchmark_changed": c.benchmark_changed,
        "awaiting": list(c.awaiting),
        "trainees": [{
            "member_id": t.member_id, "name": t.name, "agreed": t.agreed, "total": t.total,
            "share": None if t.share is None else float(t.share), "kappa": t.kappa,
            "agreement": t.band, "meaning": t.meaning,
            "sent_before_change": t.sent_before_change,
            "cases": [{"case_ref": x.case_ref, "sent": x.sent, "agreed": x.agreed,
                       "total": x.total,
                       "notes": [{"key_question": n.key_question, "benchmark": n.benchmark,
                                  "trainee": n.trainee} for n in x.notes]}
                      for x in t.cases]} for t in c.trainees],
        "key_questions": [{"case_ref": k.case_ref, "key_question": k.key_question,
                           "benchmark": k.benchmark, "agreed": k.agreed,
                           "trainees": k.trainees,
                           "share": None if k.share is None else float(k.share)}
                          for k in c.key_questions],
        "went_wrong": [{"case_ref": x.case_ref, "item": x.item, "benchmark": x.benchmark,
                        "differed": [{"name": names[m], "answer": x.answers[m]}
                                     for m in x.differed]} for x in c.went_wrong()],
    }


def comparison_text(c: Comparison) -> list[str]:
    lines = [_(TRAINING_BANNER), _("Training comparison: {title} (benchmark version {n})").format(
        title=printable(c.title), n=c.benchmark_version)]
    if c.benchmark_changed:
        lines.append(changed_line(c))
    if c.awaiting:
        lines.append(_("No answers received yet from: {names}").format(
            names=", ".join(printable(n) for n in c.awaiting)))
    for t in c.trainees:
        lines.append(_("{name}: {agreed} of {total} items agreed ({share}), kappa {kappa}: "
                       "{band}").format(name=printable(t.name), agreed=t.agreed, total=t.total,
                                        share=percent(t.share), kappa=kappa_figure(t.kappa),
                                        band=t.band))
    wrong = c.went_wrong()
    if wrong:
        lines.append(_("Where the group went wrong (most differing first):"))
        for x in wrong[:20]:
            lines.append(_("  case {ref}, {item}: benchmark {answer}, {n} of {of} differed")
                         .format(ref=printable(x.case_ref), item=x.label,
                                 answer=answer_words(x.benchmark), n=len(x.differed),
                                 of=len(x.answers)))
    return lines
