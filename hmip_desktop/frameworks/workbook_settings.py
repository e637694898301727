"""The settings sheets of a framework workbook: one value a row, named by its path.

The sheets are Framework, QA parameters, Team, Alerts, Publication, Sampling and Schedule
(``SECTIONS``).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hmip_desktop.frameworks.flat_json import PathError, loader_path, parse_path, place
from hmip_desktop.frameworks.workbook_cells import CellBuilder
from hmip_desktop.frameworks.workbook_layout import SECTIONS
from hmip_desktop.frameworks.workbook_read import Cell
from hmip_desktop.i18n import _

BAD = object()  # a value already faulted


class SettingsBuilder(CellBuilder):
    def sections(self, data: dict[str, Any]) -> None:
        for sheet, keys in SECTIONS.items():
            for _row_no, row in self.sheets[sheet].rows:
                path = self.text(row, "path")
                kind = self.text(row, "type")
                if not path or not kind:
                    continue
                try:
                    tokens = parse_path(path)
                except PathError as e:
                    self.bad(row["path"], str(e))
                    continue
                if tokens[0] not in keys:
                    self.bad(row["path"], _("{part!r} is not part of this sheet "
                             "(it holds {parts})").format(part=tokens[0], parts=', '.join(keys)))
                    continue
                value = self.value(row, kind)
                if value is BAD:
                    continue
                welsh = self.text(row, "value (Welsh)", required=False)
                try:
                    place(data, tokens, value)
                except PathError as e:
                    self.bad(row["path"], str(e))
                    continue
                self.note(loader_path(tokens), row["value"])
                if welsh:
                    if kind != "text" or not (len(tokens) == 1 or _schedule_text(tokens)):
                        self.bad(row["value (Welsh)"], _("the framework file holds Welsh here "
                                 "only for the title and the schedule's labels; leave it "
                                 "empty"))
                        continue
                    beside = [*tokens[:-1], f"{tokens[-1]}_cy"]
                    try:
                        place(data, beside, welsh)
                    except PathError as e:  # also given on a row of its own
                        self.bad(row["value (Welsh)"], str(e))
                        continue
                    self.note(loader_path(beside), row["value (Welsh)"])

    def value(self, row: dict[str, Cell], kind: str) -> Any:
        cell = row["value"]
        v = cell.value
        if cell.faulted:
            return BAD
        if kind == "text":
            return "" if v is None else self.text(row, "value")
        if kind in ("empty list", "empty object"):
            if v not in (None, ""):
                self.bad(cell, _("an {kind} holds no value; leave it empty").format(kind=kind))
                return BAD
            return [] if kind == "empty list" else {}
        if kind == "true or false":
            if isinstance(v, bool):
                return v
            if isinstance(v, str) and v.strip().upper() in ("TRUE", "FALSE"):
                return v.strip().upper() == "TRUE"
            self.bad(cell, _("expected TRUE or FALSE, found {v!r}").format(v=v))
            return BAD
        if kind in ("whole number", "number"):
            if isinstance(v, str):
                with contextlib.suppress(ValueError):
                    v = json.loads(v.strip())
            if isinstance(v, bool) or not isinstance(v, int | float):
                self.bad(cell, _("expected a number, found {v!r}").format(v=v))
                return BAD
            if kind == "whole number":
                if isinstance(v, float) and not v.is_integer():
                    self.bad(cell, _("expected a whole number, found {v!r}").format(v=v))
                    return BAD
                return int(v)
            return float(v)
        self.bad(row["type"], _("{kind!r} is not one of text, number, whole number, true or "
                 "false, empty list, empty object").format(kind=kind))
        return BAD


def _schedule_text(tokens: list[Any]) -> bool:
    """A week's, event's or meeting's label, or a meeting's attendees (``schedule.*``)."""
    return (len(tokens) == 4 and tokens[0] == "schedule"
            and tokens[1] in ("weeks", "events", "meetings") and isinstance(tokens[2], int)
            and tokens[3] in ("label", "attendees"))
