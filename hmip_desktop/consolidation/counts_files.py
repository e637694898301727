"""Reading key-question counts back from files: this app's exports and aggregate files.

Three shapes are read (docs/cli.md, "Comparing and combining"):

- the JSON of the ``ratings`` contract (``ratings --json``, the GUI's ratings export):
  ``key_questions`` → ``{"yes": …, "no": …, "na": …}``, or ``consolidate --json``, which holds
  it under ``ratings``;
- a CSV with a header row holding at least ``kq_id``, ``yes`` and ``no`` (``na``,
  ``inspection_id``, ``organisation``, ``framework_id``, ``framework_version``, ``text`` are
  used when present): ``export-csv``, ``combine`` and aggregate files;
- the XLSX workbook written by ``workbook`` (its "Inspection" and "Key questions" sheets).

Rows for the same inspection and key question are added together. Anything else is refused
with one line naming the file and the fault.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hmip_desktop.consolidation.records import ConsolidationError
from hmip_desktop.i18n import LANGUAGES, _, speaking
from hmip_desktop.strict_json import JsonError, parse_json_text
from hmip_desktop.user_files import COUNTS_FILE_MAX, read_user_file
from hmip_desktop.workbook_limits import check_workbook

MAX_FILE = COUNTS_FILE_MAX
_DIGITS = re.compile(r"[0-9]{1,15}")  # ASCII digits only: int() refuses "²", which isdigit()


@dataclass
class InspectionCounts:
    """One inspection's counts per key question, as a file gave them."""

    inspection_id: str
    organisation: str = ""
    framework_id: str = ""
    framework_version: str = ""
    framework_hash: str = ""
    counts: dict[str, list[int]] = field(default_factory=dict)
    """Key question → [yes, no, na]."""
    texts: dict[str, str] = field(default_factory=dict)
    standards: dict[str, str] = field(default_factory=dict)

    def add(self, kq_id: str, yes: int, no: int, na: int) -> None:
        c = self.counts.setdefault(kq_id, [0, 0, 0])
        c[0] += yes
        c[1] += no
        c[2] += na


@dataclass(frozen=True)
class CountsFile:
    path: Path
    inspections: tuple[InspectionCounts, ...]

    def totals(self) -> dict[str, tuple[int, int, int]]:
        """Key question → (yes, no, na) over every inspection in the file."""
        out: dict[str, list[int]] = {}
        for i in self.inspections:
            for k, (y, n, na) in i.counts.items():
                t = out.setdefault(k, [0, 0, 0])
                t[0] += y
                t[1] += n
                t[2] += na
        return {k: (v[0], v[1], v[2]) for k, v in out.items()}

    @property
    def framework_ids(self) -> set[str]:
        return {i.framework_id for i in self.inspections if i.framework_id}


def _fail(path: Path, what: str) -> ConsolidationError:
    return ConsolidationError(f"{path.name}: {what}")


def _count(path: Path, where: str, value: Any, *, optional: bool = False) -> int:
    if value is None and optional:
        return 0
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        if not _DIGITS.fullmatch(text):
            raise _fail(path, _("{where}: {value} is not a whole number of cases").format(
                where=where, value=repr(value)))
        return int(text)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**15:
        raise _fail(path, _("{where}: {value} is not a whole number of cases").format(
                where=where, value=repr(value)))
    return value


def read_counts(path: Path | str) -> CountsFile:
    path = Path(path)
    raw = read_user_file(path, max_size=MAX_FILE, error=ConsolidationError, too_large=lambda: _fail(
        path, _("larger than 64 MiB: not an export of this app")))
    if raw.startswith(b"PK"):
        return CountsFile(path, _from_xlsx(path, raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(path, _("not UTF-8 text, nor a workbook")) from None
    if text.lstrip().startswith("{"):
        return CountsFile(path, (_from_json(path, text),))
    return CountsFile(path, _from_csv(path, text))


def from_contract(data: Mapping[str, Any], path: Path, name: str) -> InspectionCounts:
    """Counts from a ratings-contract object (already parsed)."""
    kqs = data.get("key_questions")
    fw = data.get("framework")
    if not isinstance(kqs, dict) or not isinstance(fw, dict):
        raise _fail(path, _("not a ratings export: 'framework' and 'key_questions' are needed"))
    out = InspectionCounts(name, framework_id=str(fw.get("id") or ""),
                           framework_version=str(fw.get("version") or ""),
                           framework_hash=str(fw.get("hash") or ""))
    for kq_id, c in kqs.items():
        if not isinstance(c, dict):
            raise _fail(path, _("key question {key_question}: expected an object with yes and "
                                "no").format(key_question=kq_id))
        where = _("key question {key_question}").format(key_question=kq_id)
        out.add(str(kq_id), _count(path, where, c.get("yes")), _count(path, where, c.get("no")),
                _count(path, where, c.get("na"), optional=True))
    return out


def _from_json(path: Path, text: str) -> InspectionCounts:
    try:
        data = parse_json_text(text)
    except JsonError as e:
        raise _fail(path, str(e)) from None
    if not isinstance(data, dict):
        raise _fail(path, _("not a ratings export: expected a JSON object"))
    if isinstance(data.get("ratings"), dict) and "key_questions" not in data:
        # ``consolidate --json``: the contract is under "ratings", with the inspection's id
        return from_contract(data["ratings"], path, str(data.get("inspection_id") or path.stem))
    return from_contract(data, path, path.stem)


def _from_rows(path: Path, header: list[str], rows: Iterable[list[Any]], first: int,
               default_id: str) -> tuple[InspectionCounts, ...]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    for needed in ("kq_id", "yes", "no"):
        if needed not in names:
            raise _fail(path, _("no {column} column: not a key-question export").format(
                column=repr(needed)))
    col = {n: i for i, n in enumerate(names) if n}
    by_id: dict[str, InspectionCounts] = {}

    def get(row: list[Any], name: str) -> Any:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    for n, row in enumerate(rows, start=first):
        if not any(v not in (None, "") for v in row):
            continue
        kq = get(row, "kq_id")
        if kq in (None, ""):
            raise _fail(path, _("row {n}: no key question").format(n=n))
        iid = str(get(row, "inspection_id") or default_id)
        ins = by_id.get(iid)
        if ins is None:
            ins = by_id[iid] = InspectionCounts(
                iid, str(get(row, "organisation") or ""), str(get(row, "framework_id") or ""),
                str(get(row, "framework_version") or ""), str(get(row, "framework_hash") or ""))
        where = _("row {n}").format(n=n)
        ins.add(str(kq), _count(path, where, get(row, "yes")), _count(path, where, get(row, "no")),
                _count(path, where, get(row, "na"), optional=True))
        if get(row, "text"):
            ins.texts[str(kq)] = str(get(row, "text"))
        if get(row, "standard_id"):
            ins.standards[str(kq)] = str(get(row, "standard_id"))
    if not by_id:
        raise _fail(path, _("no key-question rows"))
    return tuple(by_id.values())


def _from_csv(path: Path, text: str) -> tuple[InspectionCounts, ...]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise _fail(path, _("not a readable CSV ({reason})").format(reason=e)) from None
    if not rows:
        raise _fail(path, _("empty file"))
    if "provisional" in rows[0]:
        at = rows[0].index("provisional")
        if any(len(r) > at and r[at].strip() for r in rows[1:]):
            raise _fail(path, _("a provisional export (it includes cases in progress): use an "
                                "export of completed cases only"))
    return _from_rows(path, rows[0], rows[1:], 2, path.stem)


# The workbook's labels that reading it relies on (``export.write_workbook`` writes them in the
# language chosen at export): its two sheets' names, the facts read and the columns counted.
_WORKBOOK_WORDS = ("Inspection", "Key questions", "Inspection id", "Organisation", "Framework",
                   "Framework version", "Framework hash", "Standard", "Standard title",
                   "Key question", "Text", "Yes", "No", "Not applicable", "Answered")


def _workbook_words_in_english() -> dict[str, str]:
    """Each label the workbook may be written with, in any language, to its English."""
    out: dict[str, str] = {}
    for language in LANGUAGES:
        with speaking(language):
            out.update({_(word): word for word in _WORKBOOK_WORDS})
    return out


def _from_xlsx(path: Path, raw: bytes) -> tuple[InspectionCounts, ...]:
    from openpyxl import load_workbook  # noqa: PLC0415 - only when a workbook is read

    check_workbook(raw, lambda why: _fail(path, why))
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _fail(path, _("not a readable workbook ({reason})").format(
            reason=type(e).__name__)) from None
    english = _workbook_words_in_english()  # a workbook written in Welsh reads the same
    try:
        sheets = {english.get(name, name): name for name in wb.sheetnames}
        if "Key questions" not in sheets or "Inspection" not in sheets:
            raise _fail(path, _("not a workbook of this app: no 'Key questions' sheet"))
        facts = {english.get(str(r[0]), str(r[0])): r[1]
                 for r in wb[sheets["Inspection"]].iter_rows(values_only=True)
                 if r and r[0] is not None and len(r) > 1}
        rows = [list(r) for r in wb[sheets["Key questions"]].iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as e:
        # read_only sheets are parsed while iterated: damaged XML fails here (ParseError)
        raise _fail(path, _("not a readable workbook ({reason})").format(
            reason=type(e).__name__)) from None
    finally:
        wb.close()
    if not rows:
        raise _fail(path, _("the 'Key questions' sheet is empty"))
    rename = {"key question": "kq_id", "not applicable": "na", "standard": "standard_id"}
    header = [rename.get(english.get(str(h), str(h)).strip().lower(), english.get(str(h), str(h)))
              if h is not None else "" for h in rows[0]]
    found = _from_rows(path, header, rows[1:], 2, str(facts.get("Inspection id") or path.stem))
    if len(found) != 1:
        raise _fail(path, _("the workbook holds more than one inspection: not a workbook of "
                            "this app"))
    (ins,) = found
    ins.organisation = str(facts.get("Organisation") or "")
    ins.framework_id = str(facts.get("Framework") or "")
    ins.framework_version = str(facts.get("Framework version") or "")
    ins.framework_hash = str(facts.get("Framework hash") or "")
    return (ins,)
