"""The cells of a framework workbook as the builder reads them, and where each value came from.

``CellBuilder`` turns one cell into text, a yes/no or a source mark, collecting each fault as
one line naming the sheet, the row, the column and the problem, and remembers which cell every
place of the built file came from, so a fault the loader finds names its cell too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hmip_desktop.frameworks.workbook_layout import SECTION_COLUMNS, SECTIONS, TABLES
from hmip_desktop.frameworks.workbook_read import Cell, WorkbookCells, fault
from hmip_desktop.i18n import _

_TABLE_OF = {"domains": "Domains", "case_facts": "Case facts", "case_questions": "Case facts",
             "applicability": "Applicability", "hurdles": "Hurdles",
             "rating_characteristics": "Rating characteristics"}


@dataclass(frozen=True)
class Origin:
    sheet: str
    row: int | None
    column: str | None


class CellBuilder:
    def __init__(self, sheets: WorkbookCells) -> None:
        self.sheets = sheets
        self.faults: list[str] = list(sheets.faults)
        self.origins: dict[str, Origin] = {}
        self.skipped: set[str] = set()  # ids of rows already faulted, so not faulted again
        self.ids: dict[str, set[str]] = {}  # "standard", "kq", "prompt", "field" → their ids
        self.field_values: dict[str, set[str]] = {}  # a case fact's or question's values
        self.item_rows: dict[str, dict[str, Cell]] = {}  # key questions' and prompts' rows

    # -- cells ----------------------------------------------------------------------------

    def bad(self, cell: Cell, problem: str) -> None:
        if cell.faulted:
            return
        self.faults.append(fault(cell.sheet, cell.row, cell.column, problem,
                                 TABLES.get(cell.sheet, SECTION_COLUMNS)))

    def text(self, row: dict[str, Cell], column: str, *, required: bool = True) -> str:
        cell = row[column]
        v = cell.value
        if cell.faulted:
            return ""
        if v is None or v == "":
            if required:
                self.bad(cell, _("must not be empty"))
            return ""
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            self.bad(cell, _("expected text, found {v!r}: type it as text").format(v=v))
            return ""
        if isinstance(v, int | float):
            return str(int(v))
        if not isinstance(v, str):
            self.bad(cell, _("expected text, found a date or time: type it as text"))
            return ""
        return v

    def yes(self, row: dict[str, Cell], column: str) -> bool:
        v = self.text(row, column, required=False).strip().lower()
        if v not in ("", "yes", "no"):
            self.bad(row[column], _("{v!r} is not 'yes' (or empty)").format(v=v))
        return v == "yes"

    def source(self, row: dict[str, Cell]) -> tuple[bool, str]:
        """(drafted, section) from the source column."""
        v = self.text(row, "source").strip()
        if v == "drafted":
            return True, ""
        head, colon, section = v.partition(":")
        if head.strip() == "verbatim" and (not colon or section.strip()):
            return False, section.strip()
        if v:
            self.bad(row["source"], _("{v!r} is neither 'drafted' nor 'verbatim' (optionally "
                     "'verbatim: ' and the manual's section)").format(v=v))
        return False, ""

    def note(self, path: str, cell: Cell | None, sheet: str = "", row: int | None = None) -> None:
        if cell is not None:
            self.origins[path] = Origin(cell.sheet, cell.row, cell.column)
        else:
            self.origins[path] = Origin(sheet, row, None)

    def unique(self, seen: dict[str, Any], key: str, cell: Cell, what: str) -> bool:
        if key in seen:
            self.bad(cell, _("duplicate {what} {key!r}").format(what=what, key=key))
            return False
        return True

    # -- sheets ---------------------------------------------------------------------------

    def item_texts(self, item: dict[str, Any], row: dict[str, Cell], path: str,
                   text_key: str, column: str) -> None:
        item[text_key] = self.text(row, column)
        self.note(f"{path}.{text_key}", row[column])
        welsh = self.text(row, f"{column} (Welsh)", required=False)
        if welsh:
            item[f"{text_key}_cy"] = welsh
            self.note(f"{path}.{text_key}_cy", row[f"{column} (Welsh)"])

    def provenance(self, item: dict[str, Any], row: dict[str, Cell], path: str) -> None:
        drafted, section = self.source(row)
        if drafted:
            item["drafted"] = True
            self.note(f"{path}.drafted", row["source"])
        if section:
            item["source_section"] = section
            self.note(f"{path}.source_section", row["source"])

    def continues(self, item: dict[str, Any], row: dict[str, Cell], path: str) -> None:
        """The old item a key question or prompt continues, as said (empty: the same id)."""
        self.item_rows[item["id"]] = row
        old = self.text(row, "continues", required=False).strip()
        if old:
            item["continues"] = old
            self.note(f"{path}.continues", row["continues"])
        if self.yes(row, "continues shared"):
            item["continues_shared"] = True
            self.note(f"{path}.continues_shared", row["continues shared"])

    def origin_of(self, path: str) -> Origin:
        probe = path
        while probe:
            if probe in self.origins:
                return self.origins[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        top = path.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
        sheet = _TABLE_OF.get(top) or next(
            (s for s, keys in SECTIONS.items() if top in keys), "Framework")
        return Origin(sheet, None, None)
