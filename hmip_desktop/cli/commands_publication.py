"""What the inspectorate publishes: ``publishable-workbook`` and the ``subgroups`` tables.

Both call ``hmip_desktop.consolidation`` as the lead's Tables and Exports tabs do
(docs/cli.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.consolidation.publication import write_publishable_workbook
from hmip_desktop.consolidation.subgroups import GroupCell, SubgroupTable, subgroup_tables
from hmip_desktop.consolidation.tables import consolidate
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.text_rules import printable

_INSPECTION = arg("--inspection", metavar="ID",
                  help="inspection id (needed only when the workspace holds more than one)")
_JSON = arg("--json", action="store_true", help="print JSON instead of text")


@command("publishable-workbook", _INSPECTION,
         arg("--out", metavar="FILE.xlsx", required=True, help="where to write the workbook"),
         _JSON, workspace=True)
def cmd_publishable_workbook(args: argparse.Namespace) -> int:
    """Write the publishable workbook (XLSX): aggregates only, small cells suppressed.

    No case reference, name or evidence note; counts only cases marked complete.
    """
    with open_workspace(args.workspace) as ws:
        written = write_publishable_workbook(ws, pick_inspection(ws, args.inspection),
                                             Path(args.out))
    if args.json:
        print_json({"path": str(written.path), "sheets": list(written.sheets),
                    "suppressed": written.suppressed})
        return 0
    print(_("publishable workbook written to {path}").format(path=written.path))
    print(ngettext("{n} cell suppressed (fewer than the framework's threshold, or withheld "
                   "beside one)", "{n} cells suppressed (fewer than the framework's threshold, "
                   "or withheld beside one)", written.suppressed).format(n=written.suppressed))
    return 0


@command("subgroups", _INSPECTION, _JSON, workspace=True)
def cmd_subgroups(args: argparse.Namespace) -> int:
    """Print each key question by the groups of each reportable case fact (the internal view).

    Counts only cases marked complete; nothing is suppressed here (publish the publishable
    workbook instead).
    """
    with open_workspace(args.workspace) as ws:
        iid = pick_inspection(ws, args.inspection)
        tables = subgroup_tables(ws, consolidate(ws, iid))
    if args.json:
        print_json({"inspection": iid, "tables": [_table_json(t) for t in tables]})
        return 0
    if not tables:
        print(_("this framework names no case fact to report as sub-groups"))
    for t in tables:
        print(printable(t.label))
        labels = [printable(label) for _v, label in t.groups]
        print("  " + _("cases counted: {groups}").format(groups=", ".join(
            f"{label} {n}" for label, n in zip(labels, t.cases, strict=True))))
        for row in t.rows:
            cells = ", ".join(f"{label} {_cell(c)}"
                              for label, c in zip(labels, row.cells, strict=True))
            everyone = _("all cases {cell}").format(cell=_cell(row.total))
            print(f"  {row.kq_id}: {cells}; {everyone}")
    return 0


def _cell(c: GroupCell) -> str:
    return f"{c.yes}/{c.n}" + ("" if c.percent is None else f" ({c.percent}%)")


def _table_json(t: SubgroupTable) -> dict[str, Any]:
    return {
        "fact": t.fact_id, "label": t.label,
        "groups": [{"value": v, "label": label, "cases": n}
                   for (v, label), n in zip(t.groups, t.cases, strict=True)],
        "key_questions": [
            {"id": r.kq_id, "groups": [{"yes": c.yes, "n": c.n, "percent": c.percent}
                                       for c in r.cells],
             "all": {"yes": r.total.yes, "n": r.total.n, "percent": r.total.percent}}
            for r in t.rows],
    }
