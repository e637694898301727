"""``qa``: the supporting inspector's lunchtime check of every assessment form (000_ §3.10).

The text output words each item as the forms and the lunchtime sheet do ("prompt 2.1.1.a",
"evidence note for 2.1.3", a case question's label), never its stored key; ``--json`` keeps the
keys for scripts.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.laptop_return.exports import write_recorded
from hmip_desktop.qa.checks import Finding
from hmip_desktop.qa.service import findings_by_assessor
from hmip_desktop.qa.sheet import item_shown, sheet_data
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import printable
from hmip_desktop.wording import capitalised

SEVERITIES = ("must_fix", "worth_a_look")


def _severity_label(severity: str) -> str:
    return {"must_fix": _("must fix"), "worth_a_look": _("worth a look")}[severity]

ITEM_WIDTH = 30


@command(
    "qa",
    arg("--inspection", metavar="ID", help="only this inspection's cases"),
    arg("--json", action="store_true", help="print every finding as JSON"),
    arg("--sheet", metavar="FILE.pdf",
        help="also write the lunchtime sheet (a page per assessor) as a PDF"),
    workspace=True,
)
def cmd_qa(args: argparse.Namespace) -> int:
    """Check the assessment forms: gaps, and judgements at odds with their answers.

    Lists, by assessor and case, what the QA partner should raise: items a complete form
    needs, 'not applicable' where the framework does not allow it, hurdles not applied,
    judgements at odds with their prompts, missing or short evidence notes, no interview
    record, an unexplained difference from the recorded RoSH, alerts not acknowledged.
    Each finding is 'must fix' or 'worth a look'. Findings are not errors: the exit status
    is 0 whenever the check ran.
    """
    with open_workspace(args.workspace) as ws:
        if args.inspection:
            ws.inspection_framework(args.inspection)  # an unknown id is a one-line error
        groups = findings_by_assessor(ws, args.inspection)
        shown = _items_shown(ws, groups)
        if args.sheet:
            sheet = _write_sheet(ws, args.inspection, Path(args.sheet))
    if args.sheet and not args.json:
        print(_("lunchtime sheet written to {sheet}").format(sheet=printable(sheet)))
        print(_("it is personal data in plaintext, not encrypted like the workspace: keep it on "
                "an approved device and delete it after the meeting"))
    if args.json:
        print_json([f.as_dict() for fs in groups.values() for f in fs])
        return 0
    _print_grouped(groups, shown)
    return 0


def _items_shown(ws: Workspace, groups: dict[str, list[Finding]]) -> dict[tuple[str, str], str]:
    """(case id, item) → the item in the sheet's words, for every finding listed."""
    frameworks: dict[str, Framework] = {}
    out: dict[tuple[str, str], str] = {}
    for f in (f for fs in groups.values() for f in fs):
        edition = ws.find_case(f.case_id).framework_hash  # the case's own
        if edition not in frameworks:
            frameworks[edition] = ws.framework(edition)
        out[(f.case_id, f.item)] = capitalised(item_shown(frameworks[edition], f.item))
    return out


def _write_sheet(ws: Workspace, inspection_id: str | None, path: Path) -> Path:
    from hmip_desktop.gui.qa.sheet import write_sheet_pdf  # noqa: PLC0415 - Qt only when asked

    sheet = sheet_data(ws, inspection_id)
    return write_recorded(ws, path, "lunchtime_sheet", lambda full: write_sheet_pdf(full, sheet))


def _print_grouped(groups: dict[str, list[Finding]],
                   shown: dict[tuple[str, str], str]) -> None:
    total: Counter[str] = Counter()
    cases: set[str] = set()
    for assessor, findings in groups.items():
        counts: Counter[str] = Counter(f.severity for f in findings)
        total.update(counts)
        print(f"{printable(assessor)}: {_counts(counts)}")
        by_case: dict[str, list[Finding]] = {}
        for f in findings:
            by_case.setdefault(f.case_ref, []).append(f)
        for ref, fs in by_case.items():
            cases.add(ref)
            print(f"  {printable(ref)}")
            for f in fs:
                item = shown[(f.case_id, f.item)]
                print(f"    {_severity_label(f.severity):<13} {printable(item):<{ITEM_WIDTH}} "
                      f"{printable(f.message)}")
    n = sum(total.values())
    if n:
        print()
        print(ngettext("{n} finding in {cases}: {counts}", "{n} findings in {cases}: {counts}",
                       n).format(n=n, cases=ngettext("{n} case", "{n} cases",
                                                     len(cases)).format(n=len(cases)),
                                 counts=_counts(total)))
    else:
        print(_("no findings"))


def _counts(counts: Counter[str]) -> str:
    if not counts:
        return _("nothing to raise")
    return ", ".join(_("{n} {label}").format(n=counts[s], label=_severity_label(s))
                     for s in SEVERITIES if counts[s])
