"""The key-question table per PDU, side by side, with the region: ``pdu-tables``.

Calls ``consolidation.pdu_tables`` as the lead's Tables tab does (docs/cli.md).
"""

from __future__ import annotations

import argparse
from typing import Any

from hmip_desktop.cli.commands_exchange import pick_inspection
from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.registry import arg, command
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.consolidation.counting import FINAL, PROVISIONAL
from hmip_desktop.consolidation.pdu_tables import NOT_RECORDED, PduCell, PduTables, pdu_tables
from hmip_desktop.i18n import _
from hmip_desktop.text_rules import printable


def cell_json(c: PduCell) -> dict[str, Any]:
    return {"yes": c.yes, "no": c.no, "na": c.na, "answered": c.n, "percent": c.percent}


def pdu_tables_json(t: PduTables) -> dict[str, Any]:
    return {"inspection_id": t.inspection_id, "pdus": list(t.pdus), "cases": list(t.cases),
            "provisional_mark": t.provisional_mark,
            "rows": [{"key_question": r.kq_id, "standard": r.standard_id, "text": r.text,
                      "cells": [cell_json(c) for c in r.cells]} for r in t.rows]}


def cell_text(c: PduCell) -> str:
    """``73% (8 of 11)``, or a dash where no case was judged yes or no."""
    if c.percent is None:
        return "–"
    return _("{p}% ({yes} of {n})").format(p=c.percent, yes=c.yes, n=c.n)


def column_names(t: PduTables) -> list[str]:
    return [_(NOT_RECORDED) if p == NOT_RECORDED else p for p in t.pdus] + [_("Region")]


@command(
    "pdu-tables",
    arg("--inspection", metavar="ID",
        help="inspection id (needed only when the workspace holds more than one)"),
    arg("--provisional", action="store_true",
        help="include cases in progress (provisional): the live picture, marked so"),
    arg("--json", action="store_true", help="print JSON (docs/cli.md gives its keys)"),
    workspace=True,
)
def cmd_pdu_tables(args: argparse.Namespace) -> int:
    """Print each case key question's yes percentage per PDU, side by side, and the region's.

    Counts as the tables do (cases marked complete; --provisional adds cases in progress and
    says so); each cell is "73% (8 of 11)": yes of the cases judged yes or no.
    """
    with open_workspace(args.workspace) as ws:
        t = pdu_tables(ws, pick_inspection(ws, args.inspection),
                       PROVISIONAL if args.provisional else FINAL)
    if args.json:
        print_json(pdu_tables_json(t))
        return 0
    if t.provisional_mark:
        print(t.provisional_mark[:1].upper() + t.provisional_mark[1:])
    names = column_names(t)
    print(_("Counted cases: {counts}").format(counts="; ".join(
        f"{name} {n}" for name, n in zip(names, t.cases, strict=True))))
    for r in t.rows:
        print(printable(f"{r.kq_id} {r.text}"))
        for name, c in zip(names, r.cells, strict=True):
            print(printable(f"  {name}: {cell_text(c)}"))
    return 0
