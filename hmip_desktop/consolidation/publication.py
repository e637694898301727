"""The publishable workbook: aggregates only, small cells suppressed (002_ §7.1; 003_ §5.9).

The inspectorate publishes "a data workbook ... alongside the reports" (002_ §7.1). This one
holds no case reference, no name, no evidence note and nothing a person typed about a case:
only counts and percentages made from the framework's items, each cell a number of cases, with
the framework's suppression rule applied (``suppression``). Its sheets:

- About: the inspection, framework and edition, which cases count, the suppression rule;
- Key questions and Prompts: yes, no, answered and yes % per item;
- Sub-groups: per reportable case fact, the cases counted per group, then each key question
  by group with "All cases" (``subgroups``);
- PDUs: the key-question table per PDU with the region (``pdu_tables``), where any counted
  case has its PDU recorded. A PDU's name is the organisation's, not a person's.

The full workbook (``export.write_workbook``) stays for the internal data team; it holds
personal data (case references, case-level answers) and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hmip_desktop.consolidation.cells import safe_row
from hmip_desktop.consolidation.count_notes import rule_sentence
from hmip_desktop.consolidation.drilldown import prompt_counts
from hmip_desktop.consolidation.pdu_tables import NOT_RECORDED as PDU_NOT_RECORDED
from hmip_desktop.consolidation.pdu_tables import PduTables, pdu_tables
from hmip_desktop.consolidation.subgroups import (
    GroupCell,
    SubgroupRow,
    SubgroupTable,
    published_lines,
    subgroup_tables,
)
from hmip_desktop.consolidation.suppression import (
    SECONDARY,
    SMALL,
    SuppressedLine,
    legend,
    mark,
    reason_text,
)
from hmip_desktop.consolidation.tables import Consolidation, consolidate
from hmip_desktop.i18n import N_, _
from hmip_desktop.laptop_return.exports import write_tracked
from hmip_desktop.rules.ratings import whole_percent
from hmip_desktop.store.reads import inspection_row
from hmip_desktop.store.workspace import Workspace, now

SHEETS = (N_("About"), N_("Key questions"), N_("Prompts"), N_("Sub-groups"))
PDU_SHEET = N_("PDUs")
"""The sheets always written; "PDUs" follows where a counted case has its PDU recorded."""

Row = list[object]



@dataclass(frozen=True)
class Written:
    path: Path
    sheets: tuple[str, ...]
    suppressed: int
    """Cells hidden under the suppression rule, over every sheet."""


def write_publishable_workbook(ws: Workspace, inspection_id: str, path: Path) -> Written:
    """Write the publishable workbook atomically, counting only cases marked complete."""
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook export pays for loading it

    from hmip_desktop.xlsx_in_memory import xlsx_bytes  # noqa: PLC0415 - openpyxl too

    c = consolidate(ws, inspection_id)
    sheets = publishable_sheets(ws, c)
    wb = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        _sheet(wb, _(title), header, rows)
    written = write_tracked(ws, path, xlsx_bytes(wb), "publishable_workbook")
    hidden = sum(1 for _h, rows in sheets.values() for row in rows for v in row
                 if isinstance(v, str) and _is_mark(v, c.framework.publication.threshold))
    return Written(written, tuple(sheets), hidden)


def publishable_sheets(ws: Workspace, c: Consolidation
                       ) -> dict[str, tuple[Sequence[str], list[Row]]]:
    """Every sheet's heading and rows, as written (the marks in place of hidden counts)."""
    t = c.framework.publication.threshold
    out: dict[str, tuple[Sequence[str], list[Row]]] = {
        "About": ((_("What"), _("Value")), _about(ws, c)),
        "Key questions": ((_("Standard"), _("Key question"), _("Text"), _("Yes"), _("No"),
                           _("Answered"), _("Yes %"), _("Note")), _key_questions(c, t)),
        "Prompts": ((_("Standard"), _("Key question"), _("Prompt"), _("Text"), _("Yes"),
                     _("No"), _("Answered"), _("Yes %"), _("Note")), _prompts(ws, c, t)),
        "Sub-groups": (GROUP_HEADER, [row for table in subgroup_tables(ws, c)
                                      for row in group_rows(table, t, _("All cases"))]),
    }
    by_pdu = pdu_group_table(pdu_tables(ws, c.inspection_id))
    if by_pdu is not None:
        out[PDU_SHEET] = (GROUP_HEADER, group_rows(by_pdu, t, _("Region")))
    return out


def pdu_group_table(tables: PduTables) -> SubgroupTable | None:
    """The table per PDU as a group table, suppressed as the sub-groups' are.

    None where no counted case has its PDU recorded.
    """
    if not [p for p in tables.pdus if p != PDU_NOT_RECORDED]:
        return None
    groups = tuple((p, _(p) if p == PDU_NOT_RECORDED else p) for p in tables.pdus)
    rows = tuple(SubgroupRow(r.kq_id, r.text,
                             tuple(GroupCell(cell.yes, cell.n) for cell in r.cells[:-1]),
                             GroupCell(r.cells[-1].yes, r.cells[-1].n))
                 for r in tables.rows)
    return SubgroupTable("pdu", _("PDU"), groups, tables.cases[:-1], rows)


GROUP_HEADER = (_("Case fact"), _("Group"), _("Key question"), _("Text"), _("Answered"),
                _("Yes"), _("Yes %"), _("Note"))


def group_rows(table: SubgroupTable, threshold: int, all_label: str) -> list[Row]:
    """A group table as published: the cases per group, then each key question by group."""
    cases, lines = published_lines(table, threshold)
    labels = [label for _v, label in table.groups]
    out: list[Row] = []
    counted = _("Cases counted")
    out += _line_rows(table.label, labels, "", counted, cases,
                      [None] * len(table.groups), None, all_label)
    for row, line in zip(table.rows, lines, strict=True):
        out += _line_rows(table.label, labels, row.kq_id, row.text, line,
                          [cell.yes for cell in row.cells], row.total.yes, all_label)
    return out


def _line_rows(fact: str, labels: Sequence[str], kq: str, text: str, line: SuppressedLine,
               yes: Sequence[int | None], total_yes: int | None, all_label: str) -> list[Row]:
    t = line.threshold
    rows: list[Row] = []
    for label, n, y, reason in zip(labels, line.counts, yes, line.reasons, strict=True):
        rows.append([fact, label, kq, text, *published_cells(n, y, reason, t)])
    rows.append([fact, all_label, kq, text,
                 *published_cells(line.total, total_yes, line.total_reason, t)])
    return rows


def published_cells(n: int, yes: int | None, reason: str | None, t: int) -> list[object]:
    """Answered, Yes, Yes % and the note: the counts, or the marks and why."""
    if reason is not None:
        hidden = mark(reason, t)
        return [hidden, None if yes is None else hidden, None if yes is None else hidden,
                reason_text(reason, t)]
    if yes is None:
        return [n, None, None, None]
    return [n, yes, None if n == 0 else whole_percent(yes, n), None]


def _counts_row(yes: int, no: int, t: int) -> list[object]:
    """Yes, No, Answered, Yes % and the note of one item of the whole inspection."""
    n = yes + no
    if 0 < n < t:
        small = mark(SMALL, t)
        return [small, small, small, mark(SECONDARY, t), reason_text(SMALL, t)]
    return [yes, no, n, None if n == 0 else whole_percent(yes, n), None]


def _key_questions(c: Consolidation, t: int) -> list[Row]:
    return [[table.standard_id, r.kq_id, r.text, *_counts_row(r.yes, r.no, t)]
            for table in c.tables for r in table.rows]


def _prompts(ws: Workspace, c: Consolidation, t: int) -> list[Row]:
    prompts = prompt_counts(ws, c)
    return [[table.standard_id, r.kq_id, p.prompt_id, p.text, *_counts_row(p.yes, p.no, t)]
            for table in c.tables for r in table.rows for p in prompts.get(r.kq_id, ())]


def _about(ws: Workspace, c: Consolidation) -> list[Row]:
    info = inspection_row(ws, c.inspection_id)
    fw = c.framework
    t = fw.publication.threshold
    counted: object = c.cases if not 0 < c.cases < t else mark(SMALL, t)
    return [
        [_("Inspection"), info["title"]], [_("Organisation"), info["organisation"]],
        [_("Framework"), fw.title], [_("Edition"), fw.edition or fw.version],
        [_("Cases counted"), counted], [_("Which cases count"), rule_sentence(c)],
        [_("What this workbook holds"), _(
            "Aggregates only: counts and percentages of the cases inspected. It holds no case "
            "reference, no name and no evidence note.")],
        *([_("Suppression"), line] for line in legend(t)),
        [_("Written on"), now()[:10]],
    ]


def _is_mark(value: str, t: int) -> bool:
    return value in (mark(SMALL, t), mark(SECONDARY, t))


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    from hmip_desktop.xlsx_in_memory import memory_sheet  # noqa: PLC0415 - openpyxl too

    sheet = memory_sheet(wb, title)
    sheet.append(safe_row(list(header)))
    for row in rows:
        sheet.append(safe_row(list(row)))
