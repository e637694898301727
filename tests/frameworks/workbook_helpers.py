"""Shared steps of the framework workbook tests: export a shipped framework, edit a cell."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from hmip_desktop.frameworks.workbook_layout import SECTION_COLUMNS, TABLES
from hmip_desktop.frameworks.workbook_write import write_framework_workbook
from hmip_desktop.shipped_files import resource


def shipped_data(framework_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("frameworks", f"{framework_id}.json")
                                      .read_bytes())
    return data


def without_welsh(data: Any) -> Any:
    """The framework data with every Welsh text (each `_cy` key) and its source's `welsh` taken
    out: the same framework as a file that carries no Welsh."""
    if isinstance(data, list):
        return [without_welsh(item) for item in data]
    if not isinstance(data, dict):
        return data
    kept = {key: without_welsh(value) for key, value in data.items() if not key.endswith("_cy")}
    if isinstance(kept.get("source"), dict):
        kept["source"] = {k: v for k, v in kept["source"].items() if k != "welsh"}
    return kept


def exported(tmp_path: Path, framework_id: str = "nps-2019-20") -> Path:
    out = tmp_path / f"{framework_id}.xlsx"
    write_framework_workbook(shipped_data(framework_id), out)
    return out


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open the workbook, let ``change`` edit it, save it in place."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def column(sheet: str, heading: str) -> int:
    """The 1-based column of ``heading`` on ``sheet`` as the template lays it out."""
    return TABLES.get(sheet, SECTION_COLUMNS).index(heading) + 1


def find_row(ws: Any, heading: str, value: str) -> int:
    col = column(ws.title, heading)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col).value == value:
            return r
    raise AssertionError(f"{value!r} not on {ws.title}")
