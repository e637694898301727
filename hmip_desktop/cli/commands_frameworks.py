"""``frameworks`` and ``ratings``: the shipped frameworks and the rating rules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.cli.exit_status import USAGE
from hmip_desktop.cli.jsonio import print_json, read_json_file
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks import (
    Framework,
    available_frameworks,
    load_framework,
    load_framework_file,
    superseded_by,
)
from hmip_desktop.frameworks.edition_diff import diff_editions, diff_json, diff_lines
from hmip_desktop.frameworks.edition_mapping import (
    MappingError,
    edition_mapping,
    shipped_edition,
)
from hmip_desktop.frameworks.model import Supersedes
from hmip_desktop.frameworks.provenance import drafted_count, drafted_legend, marked, source_json
from hmip_desktop.frameworks.workbook_build import build_framework_file
from hmip_desktop.frameworks.workbook_read import WorkbookFaults
from hmip_desktop.frameworks.workbook_write import write_framework_workbook, write_template
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import rate
from hmip_desktop.rules.ratings_input import parse_ratings_request
from hmip_desktop.rules.ratings_report import ratings_json, ratings_tables
from hmip_desktop.shipped_files import resource
from hmip_desktop.strict_json import parse_json as read_json_bytes
from hmip_desktop.text_rules import printable, printable_lines


def summary_json(fw: Framework) -> dict[str, Any]:
    """One framework in the list: its summary and how many of its items are drafted."""
    count = drafted_count(fw)
    return {**fw.summary(), **lineage_json(fw), "drafted_items": count.drafted,
            "items": count.items}


def lineage_json(fw: Framework) -> dict[str, Any]:
    """The framework's edition and the edition it supersedes (``None`` for a first edition)."""
    old = fw.supersedes
    return {"edition": fw.edition,
            "supersedes": None if old is None else {"id": old.id, "edition": old.edition}}


def lineage_text(fw: Framework) -> str:
    """The edition and its lineage, as the frameworks list prints them.

    "edition 2019.1" or "edition 2019-20, supersedes nps-2017 edition 2017", and for a shipped
    edition a later one supersedes, ", superseded by nps-2019-20 edition 2019-20".
    """
    old = fw.supersedes
    if old is None:
        text = _("edition {edition}").format(edition=fw.edition)
    else:
        text = _("edition {edition}, supersedes {id} edition {old}").format(
            edition=fw.edition, id=old.id, old=old.edition)
    newer = superseded_by(fw)
    if newer is not None:
        text += _(", superseded by {id} edition {new}").format(id=newer.id, new=newer.edition)
    return text


def framework_json(fw: Framework) -> dict[str, Any]:
    return {
        **fw.summary(),
        **lineage_json(fw),
        "source": source_json(fw),
        "domains": [
            {
                "id": d.id,
                "title": d.title,
                "standards": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "rated_by": s.rated_by,
                        "key_questions": [
                            {
                                "id": k.id,
                                "text": k.text,
                                "qualitative": not fw.is_case_answered(k),
                                "drafted": k.drafted,
                                "prompts": [{"id": p.id, "text": p.text, "drafted": p.drafted}
                                            for p in k.prompts],
                            }
                            for k in s.key_questions
                        ],
                    }
                    for s in d.standards
                ],
            }
            for d in fw.domains
        ],
    }


@command(
    "frameworks",
    arg("--show", metavar="ID", help="show one framework in full"),
    arg("--held", action="store_true",
        help="list the editions this workspace holds: where each came from, when, and what "
             "it supersedes"),
    arg("--json", action="store_true", help="print JSON (the stable contract in docs/cli.md)"),
    workspace=True,
)
def cmd_frameworks(args: argparse.Namespace) -> int:
    """List the shipped inspection frameworks, or show one with --show ID.

    Each framework is validated on load and identified by id, version and content hash.
    With --held, the editions the workspace holds instead (--workspace): for each, where it
    came from (shipped with the app, a file, or a pack from the lead, by name), when, and
    which edition it supersedes.
    """
    if args.held:
        return held_command(args)
    if args.show:
        fw = load_framework(args.show)
        if args.json:
            print_json(framework_json(fw))
        else:
            print(_("{title} ({id} v{version}, {lineage}, hash {hash})").format(
                      title=fw.title, id=fw.id, version=fw.version, lineage=lineage_text(fw),
                      hash=fw.hash))
            for d in fw.domains:
                print(f"{d.id} {d.title}")
                for s in d.standards:
                    who = _("lead-rated") if s.rated_by == "lead" else _("rated from cases")
                    print(f"  {s.id} {s.title} [{who}]")
                    for k in s.key_questions:
                        mark = "" if fw.is_case_answered(k) else " [" + _("qualitative") + "]"
                        print(f"    {k.id} {marked(k.text, k.drafted)}{mark}")
                        for p in k.prompts:
                            print(f"      {p.id} {marked(p.text, p.drafted)}")
            print(drafted_legend())
        return 0
    frameworks = available_frameworks()
    if args.json:
        print_json([summary_json(fw) for fw in frameworks])
    else:
        rated = {fw.id: _("rated") if fw.rated else _("unrated") for fw in frameworks}
        drafted = {fw.id: _("{drafted} of {items} drafted").format(
            drafted=drafted_count(fw).drafted, items=drafted_count(fw).items)
            for fw in frameworks}
        # columns as wide as their longest words (the Welsh are longer), at least the English's
        r_width = max([8, *(len(r) for r in rated.values())])
        d_width = max([20, *(len(d) + 2 for d in drafted.values())])
        for fw in frameworks:
            print(f"{fw.id:<16} v{fw.version:<8} {rated[fw.id]:<{r_width}} {fw.hash[:12]}  "
                  f"{drafted[fw.id]:<{d_width}}{fw.title} ({lineage_text(fw)})")
    return 0


def held_command(args: argparse.Namespace) -> int:
    from hmip_desktop.cli.session import open_workspace  # noqa: PLC0415 - only with --held

    with open_workspace(args.workspace) as ws:
        held = ws.frameworks_held()
    if args.json:
        print_json(held)
        return 0
    words = {"shipped": _("shipped with the app"), "file": _("from the file {name}"),
             "pack": _("in a pack from {name}"), "": _("held before this was recorded")}
    for f in held:
        came = words.get(f["came_from"], words[""]).format(name=f["from_name"])
        when = _(", {date}").format(date=f["received_at"][:10]) if f["received_at"] else ""
        sup = f["supersedes"]
        follows = (_("; supersedes {id} edition {edition}").format(**sup) if sup else "")
        use = _(" (in use)") if f["in_use"] else ""
        edition = _("edition")
        print(printable(f"{f['id']:<16} {edition} {f['edition']:<8} {f['hash'][:12]}  "
                        f"{f['title']}{use}: {came}{when}{follows}"))
    return 0


@command(
    "ratings",
    arg("--framework", required=True, metavar="ID", help="framework id (see 'frameworks')"),
    arg("--input", required=True, metavar="FILE", help="JSON file of case answers"),
    arg("--json", action="store_true", help="print JSON (the stable contract in docs/cli.md)"),
)
def cmd_ratings(args: argparse.Namespace) -> int:
    """Apply the rating rules to case answers: KQ percentages, standard ratings, overall.

    FILE holds {"cases": [{"case_id": ..., "answers": {KQ id: "yes"|"no"|"na"}}],
    "lead_ratings": {standard id: rating}, "adjustments": {standard id: -1|0|1}}.
    """
    fw = load_framework(args.framework)
    request = parse_ratings_request(fw, read_json_file(args.input))
    result = rate(fw, request.tallies, request.lead_ratings, request.adjustments)
    if args.json:
        print_json(ratings_json(result))
    else:
        print(printable_lines(ratings_tables(result)), end="")
    return 0


def framework_edition(source: str) -> Framework:
    """A shipped framework by id, or a framework file (a name ending .json or an existing file)."""
    path = Path(source)
    if source.endswith(".json") or path.is_file():
        return load_framework_file(path)
    return load_framework(source)


def usage_error(message: str) -> int:
    """A call of the wrong shape, as argparse reports one: one line, exit status 2."""
    print(_("hmip-desktop framework: error: {message}").format(message=message), file=sys.stderr)
    return USAGE


def diff_command(args: argparse.Namespace) -> int:
    if not args.source or not args.new:
        return usage_error(_("diff needs two editions: framework diff OLD NEW (each a "
                             "framework id or a framework file)"))
    if args.out:
        return usage_error(_("diff writes no file: leave out --out"))
    old, new = framework_edition(args.source), framework_edition(args.new)
    try:
        diff = diff_editions(old, new)
    except MappingError as e:
        raise MappingError(_("{new} cannot be compared with the edition it supersedes: its "
                             "mapping does not fit: {fault}").format(
            new=args.new, fault=e)) from None
    if args.json:
        print_json(diff_json(diff))
    else:
        for line in diff_lines(diff):
            print(printable(line))
    return 0


@command(
    "framework",
    arg("action", choices=["build", "template", "export", "diff"],
        help="build a workbook into a framework file, write the empty template, export a "
             "shipped framework as a workbook, or list what changed between two editions"),
    arg("source", nargs="?", metavar="FILE.xlsx|ID|OLD",
        help="the workbook to build, the framework id to export, or the older edition"),
    arg("new", nargs="?", metavar="NEW", help="diff: the newer edition (an id or a file)"),
    arg("--out", metavar="FILE", help="the file to write (.json or .xlsx)"),
    arg("--previous", metavar="FILE.json|ID",
        help="build: the edition the workbook's edition supersedes, to check the mapping "
             "against (a shipped edition is found without it)"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
)
def cmd_framework(args: argparse.Namespace) -> int:
    """Author a framework in a workbook (build, template, export); compare two editions (diff).

    'build FILE.xlsx --out FILE.json' checks every sheet and writes the framework file only
    when there is no fault (each fault is one line naming the sheet, row and column); a new
    edition's mapping is checked against the edition it supersedes when that is shipped or
    given with --previous;
    'template --out FILE.xlsx' writes the empty template with its instructions;
    'export ID --out FILE.xlsx' writes a shipped framework as a workbook;
    'diff OLD NEW' lists the items added, removed, re-worded and re-numbered and the rules
    that changed from OLD to NEW (each a framework id or a framework file).
    """
    if args.previous and args.action != "build":
        return usage_error(_("--previous is for build only"))
    if args.action == "diff":
        return diff_command(args)
    if args.new:
        return usage_error(_("{action} takes one FILE or ID, not two").format(
            action=args.action))
    if not args.out:
        return usage_error(_("the following arguments are required: --out"))
    out = Path(args.out)
    if args.action == "template":
        if args.source:
            raise UserError(_("template takes no FILE or ID: give only --out FILE.xlsx"))
        write_template(out)
        if args.json:
            print_json({"path": str(out)})
            return 0
        print(_("wrote the empty framework template to {out}").format(out=out))
        return 0
    if not args.source:
        raise UserError(_("build needs the workbook to build") if args.action == "build"
                        else _("export needs a framework id"))
    if args.action == "export":
        fw = load_framework(args.source)
        data = read_json_bytes(resource("frameworks", f"{fw.id}.json").read_bytes())
        write_framework_workbook(data, out)
        if args.json:
            print_json({"path": str(out), "id": fw.id, "version": fw.version,
                        "title": fw.title})
            return 0
        print(_("wrote {title} ({id} v{version}) to {out}").format(
            title=fw.title, id=fw.id, version=fw.version, out=out))
        return 0
    return build_command(Path(args.source), out, args)


def build_command(source: Path, out: Path, args: argparse.Namespace) -> int:
    given = framework_edition(args.previous) if args.previous else None

    def superseded(link: Supersedes | None) -> Framework | None:
        return given if given is not None else shipped_edition(link)

    try:
        fw = build_framework_file(source, out, superseded)
    except WorkbookFaults as e:
        for line in e.lines:
            print(printable(line), file=sys.stderr)
        print((_("1 fault; nothing written") if len(e.lines) == 1
               else _("{n} faults; nothing written").format(n=len(e.lines))), file=sys.stderr)
        return 1
    count = drafted_count(fw)
    old = superseded(fw.supersedes) if fw.supersedes is not None else None
    if args.json:
        print_json({"path": str(out), "id": fw.id, "version": fw.version, "title": fw.title,
                    "hash": fw.hash, "drafted": count.drafted, "items": count.items,
                    "mapping": None if fw.supersedes is None else
                    "checked" if old is not None else "not checked"})
        return 0
    print(_("wrote {title} ({id} v{version}, hash {hash}) to {out}: {drafted} of {items} key "
            "questions and prompts drafted").format(
        title=fw.title, id=fw.id, version=fw.version, hash=fw.hash, out=out,
        drafted=count.drafted, items=count.items))
    if fw.supersedes is not None:
        print(printable(mapping_line(fw, old)))
    return 0


def mapping_line(fw: Framework, old: Framework | None) -> str:
    """Whether the built edition's mapping was checked, and what it carries over."""
    link = fw.supersedes
    assert link is not None
    if old is None:
        return _("mapping not checked: {id} edition {edition}, which this edition supersedes, "
                 "is not at hand (give it with --previous FILE.json or ID)").format(
            id=link.id, edition=link.edition)
    m = edition_mapping(old, fw)
    return _("mapping checked against {id} edition {edition}: of the key questions and "
             "prompts, {carried} carried over, {new} new in this edition, {removed} removed "
             "(answers to those stay in the case history only)").format(
        id=old.id, edition=old.edition, carried=len(m.carried), new=len(m.new_items),
        removed=len(m.removed))
