"""``frameworks`` and ``ratings``: the shipped frameworks and the rating rules."""

from __future__ import annotations

import argparse
from typing import Any

from hmip_desktop.cli.jsonio import print_json, read_json_file
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.frameworks import Framework, available_frameworks, load_framework
from hmip_desktop.frameworks.provenance import drafted_count, drafted_legend, marked, source_json
from hmip_desktop.rules.ratings import rate
from hmip_desktop.rules.ratings_input import parse_ratings_request
from hmip_desktop.rules.ratings_report import ratings_json, ratings_tables
from hmip_desktop.text_rules import printable_lines


def summary_json(fw: Framework) -> dict[str, Any]:
    """One framework in the list: its summary and how many of its items are drafted."""
    count = drafted_count(fw)
    return {**fw.summary(), "drafted_items": count.drafted, "items": count.items}


def framework_json(fw: Framework) -> dict[str, Any]:
    return {
        **fw.summary(),
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
    arg("--json", action="store_true", help="print JSON (the stable contract in docs/cli.md)"),
)
def cmd_frameworks(args: argparse.Namespace) -> int:
    """List the shipped inspection frameworks, or show one with --show ID.

    Each framework is validated on load and identified by id, version and content hash.
    """
    if args.show:
        fw = load_framework(args.show)
        if args.json:
            print_json(framework_json(fw))
        else:
            print(f"{fw.title} ({fw.id} v{fw.version}, hash {fw.hash})")
            for d in fw.domains:
                print(f"{d.id} {d.title}")
                for s in d.standards:
                    who = "lead-rated" if s.rated_by == "lead" else "rated from cases"
                    print(f"  {s.id} {s.title} [{who}]")
                    for k in s.key_questions:
                        mark = "" if fw.is_case_answered(k) else " [qualitative]"
                        print(f"    {k.id} {marked(k.text, k.drafted)}{mark}")
                        for p in k.prompts:
                            print(f"      {p.id} {marked(p.text, p.drafted)}")
            print(drafted_legend())
        return 0
    frameworks = available_frameworks()
    if args.json:
        print_json([summary_json(fw) for fw in frameworks])
    else:
        for fw in frameworks:
            rated = "rated" if fw.rated else "unrated"
            count = drafted_count(fw)
            drafted = f"{count.drafted} of {count.items} drafted"
            print(f"{fw.id:<16} v{fw.version:<8} {rated:<8} {fw.hash[:12]}  {drafted:<20}"
                  f"{fw.title}")
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
