"""The lead's findings and the evidence sent in advance: ``finding`` and ``evidence``.

Both call ``hmip_desktop.findings`` as the GUI's Findings and evidence tab does (docs/cli.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.exit_status import USAGE
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.findings.case_links import CaseLinks, linked_case_data
from hmip_desktop.findings.coverage import Coverage, coverage
from hmip_desktop.findings.items import key_question_of
from hmip_desktop.findings.report import findings_by_question, report_lines
from hmip_desktop.findings.service import (
    Document,
    Finding,
    add_document,
    add_finding,
    documents,
    findings,
    remove_document,
    remove_finding,
    save_copy,
    set_narrative,
    word_count,
)
from hmip_desktop.findings.text import finding_line
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.text_rules import printable

_INSPECTION = arg("--inspection", metavar="ID",
                  help="inspection id (needed only when the workspace holds more than one)")
_JSON = arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)")


def _usage(command_name: str, message: str) -> int:
    print(_("hmip-desktop {command}: error: {message}").format(
        command=command_name, message=message), file=sys.stderr)
    return USAGE


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def finding_json(fw: Framework, f: Finding) -> dict[str, Any]:
    return {"number": f.number, "item": f.item, "key_question": key_question_of(fw, f.item),
            "kind": f.kind, "text": f.text, "documents": list(f.documents),
            "meetings": list(f.meetings), "cases": list(f.cases),
            "recorded_by": f.recorded_by, "recorded_at": f.recorded_at}


@command(
    "finding", _INSPECTION,
    arg("action", choices=("add", "list", "remove", "links", "report"),
        help="add ITEM strength|improvement TEXT | list | remove NUMBER | links | report"),
    arg("values", nargs="*", metavar="VALUE"),
    arg("--document", metavar="N", type=int, action="append", default=[],
        help="add: a document of the evidence register it rests on; repeatable"),
    arg("--meeting", metavar="TEXT", action="append", default=[],
        help="add: a meeting it rests on; repeatable"),
    arg("--case", metavar="TEXT", action="append", default=[],
        help="add: what the case data showed; repeatable"),
    arg("--item", metavar="KQ", help="list: only the findings on this key question"),
    _JSON, workspace=True,
)
def cmd_finding(args: argparse.Namespace) -> int:
    """The lead's findings on the organisational key questions and prompts (never rated).

    'add ITEM strength|improvement TEXT' records a strength or an area for improvement on a
    key question or prompt of domain one (or an unrated framework's organisational questions),
    with the evidence behind it: --document N (the register's), --meeting TEXT, --case TEXT;
    'list' prints them with their evidence; 'remove NUMBER' takes one back (audited);
    'links' prints, per organisational key question, the case key questions and prompts the
    framework links to it with their consolidated figures (cases marked complete only);
    'report' prints the findings per organisational key question, with their evidence.
    """
    v = args.values
    if args.action in ("links", "report"):
        if v:
            return _usage("finding", f"{args.action} takes no values")
        return _links(args) if args.action == "links" else _report(args)
    if args.action == "add" and len(v) != 3:
        return _usage("finding", "add takes ITEM, strength or improvement, and TEXT (quote it)")
    if args.action == "remove" and (len(v) != 1 or _number(v[0]) is None):
        return _usage("finding", "remove takes one NUMBER")
    if args.action == "list" and v:
        return _usage("finding", "list takes no values")
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        fw = ws.inspection_framework(iid)
        if args.action == "add":
            number = add_finding(ws, iid, v[0], v[1], v[2], documents=args.document,
                                 meetings=args.meeting, cases=args.case)
            if args.json:
                print_json({"number": number, "item": v[0].strip(), "kind": v[1]})
            else:
                print(_("finding {n} recorded on {item}").format(
                    n=number, item=printable(v[0].strip())))
            return 0
        if args.action == "remove":
            remove_finding(ws, iid, int(v[0]))
            print_json({"number": int(v[0]), "removed": True}) if args.json else print(
                _("finding {n} removed").format(n=v[0]))
            return 0
        held = findings(ws, iid)
    if args.item:
        held = [f for f in held if key_question_of(fw, f.item) == args.item.strip()
                or f.item == args.item.strip()]
    if args.json:
        print_json([finding_json(fw, f) for f in held])
        return 0
    for f in held:
        print(finding_line(f))
    if not held:
        print(_("no findings recorded"))
    return 0


def links_json(links: CaseLinks) -> list[dict[str, Any]]:
    """One row per linked case item: flat, for a script or a spreadsheet."""
    return [{"key_question": k.key_question, "standard": k.standard, "item": f.item,
             "case_key_question": f.key_question, "text": f.text, "yes": f.yes, "no": f.no,
             "na": f.na, "answered": f.n, "percent": f.percent, "cases": links.cases}
            for k in links.links for f in k.figures]


def _links(args: argparse.Namespace) -> int:
    with open_workspace(args.workspace) as ws:
        links = linked_case_data(ws, pick_inspection(ws, args.inspection))
    if args.json:
        print_json(links_json(links))
        return 0
    print(ngettext("Case data over {n} counted case (marked complete):",
                   "Case data over {n} counted cases (marked complete):",
                   links.cases).format(n=links.cases))
    for k in links.links:
        print(printable(f"{k.key_question} {k.text}"))
        if not k.figures:
            print("  " + _("no case data linked by the framework"))
        for f in k.figures:
            figure = (_("{p}% yes ({yes} of {n})").format(p=f.percent, yes=f.yes, n=f.n)
                      if f.percent is not None else _("no case answered yet"))
            print(printable(f"  {f.item} {f.text}: {figure}"))
    return 0


def _report(args: argparse.Namespace) -> int:
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.json:
            rows = findings_by_question(ws, iid)
            fw = ws.inspection_framework(iid)
        else:
            lines = report_lines(ws, iid)
    if args.json:
        print_json([{"key_question": q.key_question, "text": q.text, "standard": q.standard,
                     "strengths": [finding_json(fw, f) for f in q.strengths],
                     "improvements": [finding_json(fw, f) for f in q.improvements]}
                    for q in rows])
        return 0
    for line in lines:
        print(printable(line))
    return 0


def document_json(d: Document) -> dict[str, Any]:
    return {"number": d.number, "title": d.title, "dated": d.dated, "items": list(d.items),
            "note": d.note, "location": d.location, "stored_name": d.stored_name,
            "stored_size": d.stored_size}


def coverage_json(c: Coverage) -> dict[str, Any]:
    return {"key_question": c.key_question, "text": c.text, "standard": c.standard,
            "documents": c.documents, "meetings": c.meetings, "cases": c.cases,
            "strengths": c.strengths, "improvements": c.improvements,
            "narrative_words": c.narrative_words, "none": c.none}


_EVIDENCE_SHAPES = {"add": "add takes one TITLE (quote it)",
                    "list": "list takes no values", "coverage": "coverage takes no values",
                    "remove": "remove takes one NUMBER", "copy": "copy takes one NUMBER",
                    "narrative": "narrative takes a KEY QUESTION and its TEXT ('' clears it)"}


def _evidence_shape_fault(args: argparse.Namespace) -> str | None:
    v = args.values
    wanted = {"add": 1, "list": 0, "coverage": 0, "remove": 1, "copy": 1, "narrative": 2}
    if len(v) != wanted[args.action]:
        return _EVIDENCE_SHAPES[args.action]
    if args.action in ("remove", "copy") and _number(v[0]) is None:
        return _EVIDENCE_SHAPES[args.action]
    if args.action == "add" and not args.date:
        return "add needs --date YYYY-MM-DD"
    if args.action == "copy" and not args.out:
        return "copy needs --out FILE"
    return None


@command(
    "evidence", _INSPECTION,
    arg("action", choices=("add", "list", "remove", "narrative", "coverage", "copy"),
        help="add TITLE | list | remove NUMBER | narrative KQ TEXT | coverage | copy NUMBER"),
    arg("values", nargs="*", metavar="VALUE"),
    arg("--date", metavar="YYYY-MM-DD", help="add: the document's date"),
    arg("--item", metavar="ID", action="append", default=[],
        help="add: a key question or prompt it speaks to; at least one, repeatable"),
    arg("--note", metavar="TEXT", default="", help="add: a note on the document"),
    arg("--where", metavar="TEXT", default="",
        help="add: where the document is kept (it is referenced, not stored)"),
    arg("--store", metavar="FILE",
        help="add: keep a copy of FILE inside the encrypted workspace (at most 10 MB)"),
    arg("--out", metavar="FILE", help="copy: where to write the stored copy"),
    _JSON, workspace=True,
)
def cmd_evidence(args: argparse.Namespace) -> int:
    """The evidence sent in advance: the register of documents, narratives, coverage.

    'add TITLE --date D --item KQ...' registers a document the organisation sent, with the key
    questions and prompts it speaks to, an optional --note, and where it is kept (--where);
    --store FILE keeps a copy inside the encrypted workspace instead (at most 10 MB);
    'list' prints the register; 'remove NUMBER' takes a document out (not while a finding
    rests on it); 'narrative KQ TEXT' records the organisation's narrative on a key question
    (at most 300 words; '' clears it); 'coverage' shows, per organisational key question,
    how many documents, meetings and case findings bear on it, flagging those with none;
    'copy NUMBER --out FILE' writes a stored copy back out (recorded as an export).
    """
    fault = _evidence_shape_fault(args)
    if fault:
        return _usage("evidence", fault)
    v = args.values
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        if args.action == "add":
            number = add_document(ws, iid, title=v[0], dated=args.date, items=args.item,
                                  note=args.note, location=args.where,
                                  store=Path(args.store) if args.store else None)
            if args.json:
                print_json({"number": number, "title": v[0].strip(),
                            "stored": bool(args.store)})
            else:
                print(_("document {n} added to the register (a copy stored in the workspace)")
                      .format(n=number) if args.store
                      else _("document {n} added to the register").format(n=number))
            return 0
        if args.action == "remove":
            remove_document(ws, iid, int(v[0]))
            print_json({"number": int(v[0]), "removed": True}) if args.json else print(
                _("document {n} removed from the register").format(n=v[0]))
            return 0
        if args.action == "narrative":
            changed = set_narrative(ws, iid, v[0], v[1])
            words = word_count(v[1])
            if args.json:
                print_json({"key_question": v[0].strip(), "words": words, "changed": changed})
            else:
                said = _("narrative on {kq}: {n} words") if changed \
                    else _("narrative on {kq}: {n} words (unchanged)")
                print(said.format(kq=printable(v[0].strip()), n=words))
            return 0
        if args.action == "copy":
            path = save_copy(ws, iid, int(v[0]), Path(args.out))
            print_json({"number": int(v[0]), "path": str(path)}) if args.json else print(
                _("wrote {path}").format(path=path))
            return 0
        if args.action == "coverage":
            rows = coverage(ws, iid)
            if args.json:
                print_json([coverage_json(c) for c in rows])
                return 0
            for c in rows:
                line = _("{kq}: {documents} documents, {meetings} meetings, {cases} case "
                         "findings; {strengths} strengths, {improvements} areas for "
                         "improvement; narrative {words} words").format(
                    kq=c.key_question, documents=c.documents, meetings=c.meetings,
                    cases=c.cases, strengths=c.strengths, improvements=c.improvements,
                    words=c.narrative_words)
                none = _("NO EVIDENCE YET")
                print(f"{line}  {none}" if c.none else line)
            return 0
        held = documents(ws, iid)
    if args.json:
        print_json([document_json(d) for d in held])
        return 0
    for d in held:
        kept = (_("stored copy {name}").format(name=d.stored_name) if d.stored_name
                else _("kept at: {where}").format(where=d.location) if d.location
                else _("referenced"))
        line = _("{n}. {title} ({dated}) — speaks to {items}; {kept}").format(
            n=d.number, title=d.title, dated=d.dated, items=", ".join(d.items), kept=kept)
        if d.note:
            line = _("{line}; note: {note}").format(line=line, note=d.note)
        print(printable(line))
    if not held:
        print(_("no documents in the register"))
    return 0
