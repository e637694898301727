"""``combine``: several inspections' exports merged into one national table for the data team.

Each input is an export of this app (``export-csv``, the ``workbook``, the ratings JSON, or an
earlier national table); see ``counts_files``. All must use the same framework, and the same
edition of it where the export says which; an inspection found in two inputs is refused.
The table has one row per inspection and key question (the columns of ``export-csv``) and,
in the XLSX form, a "Totals" sheet per key question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hmip_desktop.consolidation.cells import safe_row
from hmip_desktop.consolidation.counts_files import InspectionCounts, read_counts
from hmip_desktop.consolidation.export import CSV_COLUMNS, csv_bytes
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import whole_percent

TOTAL_COLUMNS = ("framework_id", "standard_id", "kq_id", "text", "inspections", "yes", "no",
                 "na", "n", "percent")


@dataclass(frozen=True)
class NationalTable:
    framework_id: str
    rows: tuple[tuple[object, ...], ...]
    """One per inspection and key question, in ``CSV_COLUMNS`` order."""
    totals: tuple[tuple[object, ...], ...]
    """One per key question over all inspections, in ``TOTAL_COLUMNS`` order."""
    sources: tuple[tuple[str, str], ...]
    """(file name, inspection id) for every inspection merged."""


def combine(paths: Sequence[Path | str]) -> NationalTable:
    if not paths:
        raise ConsolidationError(_("give at least one export to combine"))
    seen: dict[str, str] = {}
    inspections: list[InspectionCounts] = []
    sources: list[tuple[str, str]] = []
    for p in paths:
        f = read_counts(p)
        for ins in f.inspections:
            if ins.inspection_id in seen:
                raise ConsolidationError(
                    _("inspection {inspection} is in both {first} and {second}").format(
                        inspection=ins.inspection_id, first=seen[ins.inspection_id],
                        second=f.path.name))
            seen[ins.inspection_id] = f.path.name
            inspections.append(ins)
            sources.append((f.path.name, ins.inspection_id))
    frameworks = sorted({i.framework_id for i in inspections if i.framework_id})
    if len(frameworks) > 1:
        raise ConsolidationError(
            _("the exports use different frameworks ({frameworks}): combine one "
              "framework at a time").format(frameworks=", ".join(frameworks)))
    _refuse_editions(inspections, sources)
    fw_id = frameworks[0] if frameworks else ""
    rows: list[tuple[object, ...]] = []
    totals: dict[str, list[int]] = {}
    texts: dict[str, str] = {}
    standards: dict[str, str] = {}
    for ins in sorted(inspections, key=lambda i: (i.organisation, i.inspection_id)):
        for kq_id, (yes, no, na) in ins.counts.items():
            n = yes + no
            rows.append((ins.inspection_id, ins.organisation, ins.framework_id,
                         ins.framework_version, ins.framework_hash,
                         ins.standards.get(kq_id, ""), kq_id, ins.texts.get(kq_id, ""), yes, no,
                         na, n, whole_percent(yes, n) if n else None, None))
            t = totals.setdefault(kq_id, [0, 0, 0, 0])
            t[0] += 1
            t[1] += yes
            t[2] += no
            t[3] += na
            texts.setdefault(kq_id, ins.texts.get(kq_id, ""))
            standards.setdefault(kq_id, ins.standards.get(kq_id, ""))
    total_rows = tuple(
        (fw_id, standards[k], k, texts[k], c, y, no, na, y + no,
         whole_percent(y, y + no) if y + no else None)
        for k, (c, y, no, na) in totals.items())
    return NationalTable(fw_id, tuple(rows), total_rows, tuple(sources))


def _refuse_editions(inspections: list[InspectionCounts],
                     sources: list[tuple[str, str]]) -> None:
    """Refuse exports made on different editions of the framework, naming which is on which.

    Each export counts its cases under its inspection's edition; two editions' key questions
    are not known here to be the same, so their counts are never added together. An export
    that does not say its edition (a ratings JSON) is taken as it is.
    """
    files = {i: f for f, i in sources}
    editions: dict[str, tuple[str, list[str]]] = {}
    for ins in inspections:
        if ins.framework_hash:
            editions.setdefault(ins.framework_hash, (ins.framework_version, []))[1].append(
                files[ins.inspection_id])
    if len(editions) > 1:
        on = "; ".join(f"{version}: {', '.join(sorted(set(names)))}"
                       for version, names in sorted(editions.values()))
        raise ConsolidationError(
            _("the exports are on different editions of the framework ({editions}): combine "
              "one edition at a time").format(editions=on))


def write_national(table: NationalTable, path: Path) -> Path:
    """Write the table as CSV (rows only) or XLSX (rows, totals, sources), by extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_atomic(path, csv_bytes(CSV_COLUMNS, table.rows))
    if suffix != ".xlsx":
        raise ConsolidationError(
            _("{file}: write the national table as .csv or .xlsx").format(file=path.name))
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook export pays for loading it

    from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes  # noqa: PLC0415

    wb = Workbook(write_only=True)
    for title, header, rows in (("National table", CSV_COLUMNS, table.rows),
                                ("Totals", TOTAL_COLUMNS, table.totals),
                                ("Sources", ("file", "inspection_id"), table.sources)):
        sheet = memory_sheet(wb, title)
        sheet.append(safe_row(list(header)))
        for row in rows:
            sheet.append(safe_row(list(row)))
    return write_atomic(path, xlsx_bytes(wb))
