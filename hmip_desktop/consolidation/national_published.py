"""``combine --publishable``: the national table as it may be published, small cells hidden.

The national table ``combine`` writes by default is the data team's internal view: every
inspection's counts as exported, its inspection ids and edition hashes, nothing suppressed.
Published, a cell of one inspection's answered cases on a key question is a count of cases like
any other, so the framework's suppression rule applies (``suppression``), exactly as in the
publishable workbook: for each key question, the inspections' cells are one line published
with its total ("All inspections"); a cell under the threshold is "<5", and others are withheld
where the total would let a reader work a small one out. Each hidden cell's note says why, in
the publishable workbook's words. Nothing here names a case or a person: the inputs are
aggregates already.

The rule is the framework's (``publication.threshold``), read from the shipped framework the
exports name; an export of a framework this installation does not ship uses the default, 5.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hmip_desktop.consolidation.cells import safe_row
from hmip_desktop.consolidation.export import csv_bytes
from hmip_desktop.consolidation.national import NationalTable
from hmip_desktop.consolidation.publication import published_cells
from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.consolidation.suppression import SuppressedLine, legend, suppress_line
from hmip_desktop.exchange.files import write_atomic
from hmip_desktop.frameworks.model import DEFAULT_THRESHOLD
from hmip_desktop.i18n import _
from hmip_desktop.store.stamps import now

Row = list[object]

# Positions in a national table row (``export.CSV_COLUMNS``).
_ORGANISATION, _STANDARD, _KQ, _TEXT, _YES, _NO = 1, 5, 6, 7, 8, 9


@dataclass(frozen=True)
class PublishedNational:
    framework: str
    """The framework's title (its id where this installation does not ship it)."""
    threshold: int
    inspections: tuple[str, ...]
    """Each inspection's label: its organisation, numbered where two share one."""
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    lines: tuple[SuppressedLine, ...]
    """Each key question's line of answered cases per inspection, as published."""

    @property
    def suppressed(self) -> int:
        """Cells hidden under the rule (each counted once, however many columns it hides)."""
        return sum(line.suppressed for line in self.lines)


def publishable_national(table: NationalTable) -> PublishedNational:
    """The table's per-inspection counts by key question, suppressed for publication."""
    title, threshold = _rule(table.framework_id)
    ids = [i for _f, i in table.sources]
    org = {r[0]: str(r[_ORGANISATION] or "") for r in table.rows}
    labels = _labels([org.get(i, "") for i in ids])
    order = sorted(range(len(ids)), key=lambda k: (labels[k].casefold(), k))
    cells: dict[tuple[str, str], tuple[int, int]] = {}
    for r in table.rows:
        yes, no = int(r[_YES]), int(r[_NO])  # type: ignore[call-overload]
        cells[(str(r[0]), str(r[_KQ]))] = (yes, yes + no)
    header = (_("Organisation"), _("Standard"), _("Key question"), _("Text"), _("Answered"),
              _("Yes"), _("Yes %"), _("Note"))
    rows: list[Row] = []
    lines: list[SuppressedLine] = []
    every = _("All inspections")
    for total in table.totals:
        standard, kq, text = str(total[1]), str(total[2]), str(total[3])
        got = [cells.get((ids[k], kq), (0, 0)) for k in order]
        line = suppress_line([n for _y, n in got], threshold)
        lines.append(line)
        for k, (yes, n), reason in zip(order, got, line.reasons, strict=True):
            rows.append([labels[k], standard, kq, text,
                         *published_cells(n, yes, reason, threshold)])
        rows.append([every, standard, kq, text,
                     *published_cells(line.total, sum(y for y, _n in got), line.total_reason,
                                      threshold)])
    return PublishedNational(title, threshold, tuple(labels[k] for k in order), header,
                             tuple(rows), tuple(lines))


def write_publishable_national(table: NationalTable, path: Path) -> tuple[Path, int]:
    """Write the publishable national table (CSV: the table; XLSX: About and the table).

    Returns the path written and how many cells are hidden.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ConsolidationError(
            _("{file}: write the national table as .csv or .xlsx").format(file=path.name))
    published = publishable_national(table)
    if suffix == ".csv":
        return write_atomic(path, csv_bytes(published.header, published.rows)), \
            published.suppressed
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook export pays for loading it

    from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes  # noqa: PLC0415

    wb = Workbook(write_only=True)
    for title, header, rows in (("About", (_("What"), _("Value")), _about(published)),
                                ("National table", published.header, published.rows)):
        sheet = memory_sheet(wb, title)
        sheet.append(safe_row(list(header)))
        for row in rows:
            sheet.append(safe_row(list(row)))
    return write_atomic(path, xlsx_bytes(wb)), published.suppressed


def _about(p: PublishedNational) -> list[Row]:
    rule: list[Row] = [[_("Suppression"), line] for line in legend(p.threshold)]
    return [
        [_("Framework"), p.framework], [_("Inspections"), len(p.inspections)],
        [_("What this table holds"), _(
            "Aggregates only: per inspection and key question, the cases judged and how many "
            "were judged yes. It holds no case reference, no name and no evidence note.")],
        *rule,
        [_("Written on"), now()[:10]],
    ]


def _rule(framework_id: str) -> tuple[str, int]:
    from hmip_desktop.frameworks import load_framework  # noqa: PLC0415 - loads every file
    from hmip_desktop.frameworks.loader import FrameworkError  # noqa: PLC0415

    try:
        fw = load_framework(framework_id)
    except FrameworkError:
        return framework_id, DEFAULT_THRESHOLD
    return fw.title, fw.publication.threshold


def _labels(organisations: Sequence[str]) -> list[str]:
    """Each inspection's label: its organisation, "(2)" after the second of the same name."""
    seen: Counter[str] = Counter()
    out = []
    for given in organisations:
        name = given.strip() or _("Organisation not named")
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
