"""Read the lead's selected case sample (CSV or XLSX) into validated rows for one framework.

Why so strict: the sample is what allocation, schedules and ratings are built on, and the file
usually comes from another organisation's spreadsheet. So the whole file is checked, every
problem is reported with the row number the lead sees in the spreadsheet (the heading row is
row 1), and nothing is returned unless the file is clean: half a sample imported is worse than
none. Messages name rows and columns, never a case reference or a name (personal data would
otherwise end up in screenshots and support e-mails); only a case fact's value is echoed, since
it is meant to be one of the framework's choices.

Columns. Headings are matched ignoring case, and spaces, underscores, hyphens and other
punctuation are all the same ("Case Ref." is ``case_ref``):

- ``case_ref`` (required, unique in the file): also case reference, case reference number,
  reference, ref, crn, case number, case no;
- ``person_name``: also name, full name, service user, person on probation, pop, child,
  child name, young person;
- ``pdu``: also probation delivery unit, ldu, local delivery unit;
- ``team``;
- ``office``: also location, site, base;
- ``practitioner``: also probation practitioner, responsible officer, ro, case manager,
  offender manager;
- ``prison``: also releasing prison, establishment;
- ``report_type``: also report;
- ``language``: the language of the case's records and interview, English or Welsh (also
  en, cy, Cymraeg); also language of records, interview language, case language, iaith.
  Empty or no column: English. Allocation matches it to the members' languages;
- one column per case fact of the framework (required, except a fact with the choice
  ``not_recorded``: its column may be left out and its cells left empty, and the case then
  holds ``not_recorded``, as for ``age_band``, ``ethnicity_group``, ``disability`` and
  ``religion``): its id (``sample``,
  ``gender``, ``sentence_type``, ``rosh``…) or its label in the framework ("Case sample",
  "Recorded risk of serious harm level"); also case sample, sample type, case type (for
  ``sample``), rosh level, risk of serious harm, risk level (for ``rosh``) and sex (for
  ``gender``). A cell may hold the choice's value ("post_custody") or its label ("Licence or
  post-sentence supervision"), in any case and punctuation; it is stored as the value.

Refused, with every problem listed: an empty file, no heading row, a heading row and no cases,
missing or unknown or repeated columns (unknown ones are refused so that a typo in a heading
cannot silently drop a column), a value in a column with no heading, an empty or repeated case
reference, an empty or unknown fact value, a cell over 200 characters, control characters, a
formula with no saved value or text starting with "=", more than 2,000 cases, a CSV that is not
UTF-8, and anything that is not CSV or XLSX by its content (whatever its extension says).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import NOT_RECORDED, CaseField, Framework
from hmip_desktop.i18n import _
from hmip_desktop.setup.languages import ENGLISH, LanguageError, language_code
from hmip_desktop.text_rules import printable, text_fault
from hmip_desktop.user_files import SAMPLE_FILE_MAX, XLSX_INFLATED_MAX, read_user_file
from hmip_desktop.workbook_limits import check_workbook

MAX_BYTES = SAMPLE_FILE_MAX
MAX_ROWS = 2000
MAX_CELL = 200
MAX_COLUMNS = 60
MAX_SHEET_ROWS = 50_000  # physical rows scanned, blank ones included
MAX_UNZIPPED = XLSX_INFLATED_MAX  # an XLSX that inflates past this is refused (zip bomb)
SHOWN_PROBLEMS = 5  # problems spelled out in the one-line message; ``problems`` has them all

BASIC = ("case_ref", "person_name", "pdu", "team", "office", "practitioner", "prison",
         "report_type", "language")
_ALIASES: Mapping[str, tuple[str, ...]] = {
    "case_ref": ("case reference", "case reference number", "reference", "ref", "crn",
                 "case number", "case no"),
    "person_name": ("name", "full name", "service user", "person on probation", "pop", "child",
                    "child name", "young person"),
    "pdu": ("probation delivery unit", "ldu", "local delivery unit"),
    "office": ("location", "site", "base"),
    "practitioner": ("probation practitioner", "responsible officer", "ro", "case manager",
                     "offender manager"),
    "prison": ("releasing prison", "establishment"),
    "report_type": ("report",),
    "language": ("language of records", "records language", "interview language",
                 "case language", "iaith"),
    "sample": ("case sample", "sample type", "case type"),
    "rosh": ("rosh level", "risk of serious harm", "risk level"),
    "gender": ("sex",),
    "age_band": ("age group", "age range"),
    "ethnicity_group": ("ethnicity", "ethnic origin", "ethnicity group"),
    "disability": ("disabled",),
    "religion": ("religion or belief", "faith"),
}
_SEP_LINE = re.compile(r"sep=(.)\s*")

Cells = list[str | None]  # one row's cells as text; None is a formula with no saved value


class SampleError(UserError):
    """The file was refused. ``problems`` lists (row, reason); row 0 is the file as a whole."""

    def __init__(self, message: str, problems: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class SampleRow:
    """One case of the sample, checked; ``row`` is its row number in the spreadsheet."""

    row: int
    case_ref: str
    facts: Mapping[str, str]
    person_name: str = ""
    pdu: str = ""
    team: str = ""
    office: str = ""
    practitioner: str = ""
    prison: str = ""
    report_type: str = ""
    language: str = ""  # en or cy; English when the sample has no language column

    def add_case_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``Workspace.add_case`` for this row."""
        return {"case_ref": self.case_ref, "facts": dict(self.facts),
                **{k: getattr(self, k) for k in BASIC[1:]},
                "language": self.language or ENGLISH}


def read_sample(path: Path, framework: Framework) -> list[SampleRow]:
    data = read_user_file(path, max_size=MAX_BYTES, error=_file_error, too_large=_too_large)
    return read_sample_bytes(data, framework)


def read_sample_bytes(data: bytes, framework: Framework) -> list[SampleRow]:
    """Decide CSV or XLSX by content, read the table, check it for ``framework``."""
    if len(data) > MAX_BYTES:
        raise _too_large()
    if not data.strip():
        raise _file_error(_("the file is empty"))
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    return _check(rows, framework)


def sample_advisories(rows: Sequence[SampleRow], framework: Framework) -> list[str]:
    """Notes, not refusals: where a DIPP sample departs from its rules (002 §4.1).

    DIPP samples "a minimum of five cases from each PDU … and no more than one case from any
    individual practitioner"; the lead may have had reasons, so this only points it out.
    """
    if framework.programme != "public_protection":
        return []
    notes: list[str] = []
    per_pdu = Counter(r.pdu for r in rows)
    if "" in per_pdu:
        notes.append(_("{n} cases have no PDU, so the five-per-PDU rule cannot be checked")
                     .format(n=per_pdu.pop("")))
    notes += [_("PDU {pdu} has {n} cases; DIPP samples at least five from each PDU")
              .format(pdu=pdu, n=n) for pdu, n in sorted(per_pdu.items()) if n < 5]
    by_practitioner: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.practitioner:
            by_practitioner[heading_key(r.practitioner)].append(r.row)
    notes += [_("rows {rows} have the same practitioner; DIPP samples at most one case each")
              .format(rows=", ".join(map(str, sorted(found))))
              for found in sorted(by_practitioner.values()) if len(found) > 1]
    return notes


# -- reading ---------------------------------------------------------------------------------


def csv_text(data: bytes, error: Callable[[str], UserError]) -> tuple[str, str, int]:
    """The CSV's text, its delimiter, and how many lines before the heading to skip.

    UTF-8 (with or without a BOM) only; the delimiter is Excel's hidden ``sep=`` line when
    there is one, else whichever of comma, semicolon and tab the first line has most of.
    Shared with the long-list import (``sampling.longlist``).
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data[:8192] or data.startswith((b"%PDF", b"\xff\xfe", b"\xfe\xff")):
            raise error(_not_a_table()) from None
        raise error(_("the file is not UTF-8 text: in Excel choose Save As, "
                      "“CSV UTF-8 (comma delimited)”, or save it as .xlsx")) from None
    if "\x00" in text:
        raise error(_not_a_table())
    end = text.find("\n", 0, 1 << 16)
    head = text[: end if end >= 0 else 1 << 16]
    lines = head.splitlines() or [""]
    first = next((line for line in text.splitlines() if line.strip()), "") \
        if not lines[0].strip() else lines[0]
    # Excel writes and hides a first line "sep=;": use it, and do not count it as a row.
    if m := _SEP_LINE.fullmatch(lines[0]):
        return text, m.group(1), 1
    return text, max(",;\t", key=first.count), 0


def _csv_rows(data: bytes) -> list[tuple[int, Cells]]:
    text, delimiter, skip = csv_text(data, _file_error)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    out: list[tuple[int, Cells]] = []
    try:
        for n, cells in enumerate(reader, start=1 - skip):
            if n > MAX_SHEET_ROWS:
                raise _too_many_rows()
            if n >= 1:
                out.append((n, list(cells)))
    except csv.Error:
        raise _file_error(_("the file cannot be read as CSV near line {line}")
                          .format(line=reader.line_num)) from None
    return out


def _xlsx_rows(data: bytes) -> list[tuple[int, Cells]]:
    """The first sheet, or the one named Sample; cell values as text, formulas as saved."""
    import openpyxl  # noqa: PLC0415 - only an XLSX import pays for loading it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            inflated = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error(_not_a_table()) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _file_error(_not_a_table())  # an .ods, a .docx, any other zip
    if inflated > MAX_UNZIPPED:
        raise _file_error(_("the workbook is too large to be the selected sample"))
    check_workbook(data, _file_error)
    books: list[Any] = []
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it skips
            warnings.simplefilter("ignore")
            try:
                for saved_values in (True, False):  # then the formulas, to find unsaved ones
                    books.append(openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                                        data_only=saved_values,
                                                        keep_links=False))
                sheets = [pick_sheet(book.worksheets) for book in books]
                out: list[tuple[int, Cells]] = []
                pairs = zip(*(s.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
                              for s in sheets), strict=False)
                for n, (values, formulas) in enumerate(pairs, start=1):
                    if n > MAX_SHEET_ROWS:
                        raise _too_many_rows()
                    out.append((n, [
                        None if v is None and f is not None else cell_text(v)
                        for v, f in zip(values, formulas, strict=False)
                    ]))
            finally:
                for book in books:
                    book.close()
    except SampleError:
        raise
    except Exception:  # a malformed workbook can fail anywhere inside openpyxl
        raise _file_error(_("the workbook cannot be read: open it in Excel and save it "
                            "again, or save it as CSV UTF-8")) from None
    return out


def pick_sheet(sheets: Sequence[Any]) -> Any:
    if not sheets:
        raise _file_error(_("the workbook has no sheets"))
    named = [s for s in sheets if str(s.title).strip().casefold() == "sample"]
    return (named or sheets)[0]


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time() else v.isoformat(" ", "minutes")
    if isinstance(v, date | time):
        return v.isoformat()
    return str(v)


# -- checking --------------------------------------------------------------------------------

def _check(rows: list[tuple[int, Cells]], framework: Framework) -> list[SampleRow]:
    filled = [(n, cells) for n, cells in rows if any(map(_filled, cells))]
    if not filled:
        raise _file_error(_("the file has no heading row: it holds no text"))
    if any(_filled(c) for _n, cells in filled for c in cells[MAX_COLUMNS:]):
        raise _file_error(_("the file has more than {n} columns").format(n=MAX_COLUMNS))
    (head_row, header), body = filled[0], filled[1:]
    if not body:
        raise _file_error(_("the file has a heading row but no cases"))
    if len(body) > MAX_ROWS:
        raise _file_error(_("the file has {n:,} cases; at most {max:,} can be imported at once")
                          .format(n=len(body), max=MAX_ROWS))
    problems: list[tuple[int, str]] = []
    columns, headless = _read_header(head_row, header, framework, problems)
    facts = {f.id: f for f in framework.case_facts}
    choices = {f.id: _choice_index(f) for f in framework.case_facts}
    first_row_of: dict[str, int] = {}
    out: list[SampleRow] = []
    for n, cells in body:
        found: list[str] = []
        values: dict[str, str] = {}
        for column, i in columns.items():
            text = _cell(column, cells[i] if i < len(cells) else "", found)
            if text is None:
                continue
            if column in facts:
                value = choices[column].get(heading_key(text))
                if not text and facts[column].optional:
                    values[column] = NOT_RECORDED
                elif not text:
                    found.append(_("{col} is empty").format(col=column))
                elif value is None:
                    found.append(_("{col} '{value}' is not one of {values}").format(
                        col=column, value=_shorten(text), values=", ".join(facts[column].values)))
                else:
                    values[column] = value
            elif column == "case_ref":
                key = text.casefold()
                if not text:
                    found.append(_("case_ref is empty"))
                elif key in first_row_of:
                    found.append(_("case_ref repeats row {row}").format(row=first_row_of[key]))
                else:
                    first_row_of[key] = n
                    values[column] = text
            elif column == "language":
                try:
                    values[column] = language_code(text) if text else ""
                except LanguageError:
                    found.append(_("language '{value}' is not English or Welsh").format(
                        value=_shorten(text)))
            else:
                values[column] = text
        found += [_("column {col} has a value but no heading").format(col=column_letter(i))
                  for i in (*headless, *range(len(header), len(cells)))
                  if i < len(cells) and _filled(cells[i])]
        problems += [(n, p) for p in found]
        if not found and not problems:
            out.append(SampleRow(
                row=n, case_ref=values["case_ref"],
                facts={f: values.get(f, NOT_RECORDED) for f in facts},
                **{k: values.get(k, "") for k in BASIC[1:]},
            ))
    if problems:
        problems.sort(key=lambda p: p[0])
        raise SampleError(problems_summary(problems), problems)
    return out


def _read_header(row: int, header: Cells, framework: Framework,
                 problems: list[tuple[int, str]]) -> tuple[dict[str, int], list[int]]:
    """Map each known column to its index; note the headless ones; report the rest."""
    names = _column_names(framework)
    columns: dict[str, int] = {}
    headless: list[int] = []
    for i, raw in enumerate(header):
        if raw is None:
            problems.append((row, _("the heading in column {col} is a formula with no saved "
                                    "value").format(col=column_letter(i))))
            continue
        if not raw.strip():
            headless.append(i)
            continue
        column = names.get(heading_key(raw))
        if column is None:
            problems.append((row, _("column {col} heading '{text}' is not a known column ({known})")
                             .format(col=column_letter(i), text=_shorten(raw),
                                     known=", ".join((*BASIC, *(f.id for f in
                                                                framework.case_facts))))))
        elif column in columns:
            problems.append((row, _("columns {a} and {b} are both {column}").format(
                a=column_letter(columns[column]), b=column_letter(i), column=column)))
        else:
            columns[column] = i
    for required in ("case_ref", *(f.id for f in framework.case_facts if not f.optional)):
        if required not in columns:
            problems.append((row, _("missing column {column}").format(column=required)))
    return columns, headless


def _cell(column: str, raw: str | None, found: list[str]) -> str | None:
    """The cell as clean text, or None after noting why it cannot be used."""
    if raw is None:
        found.append(_("{col} is a formula with no saved value (save the file in Excel, or "
                       "paste values)").format(col=column))
        return None
    text = " ".join(raw.split())
    if len(text) > MAX_CELL:
        found.append(_("{col} is longer than {n} characters").format(col=column, n=MAX_CELL))
    elif text_fault(text) is not None:
        found.append(_("{col} contains control characters").format(col=column))
    elif text.startswith("="):
        found.append(_("{col} starts with '=' (a formula?)").format(col=column))
    else:
        return text
    return None


def _column_names(framework: Framework) -> dict[str, str]:
    names: dict[str, str] = {}
    facts = framework.case_facts
    for name, column in [*((f.id, f.id) for f in facts), *((c, c) for c in BASIC),
                         *((a, c) for c, aliases in _ALIASES.items() for a in aliases
                           if c in BASIC),
                         *((f.label, f.id) for f in facts),
                         *((a, f.id) for f in facts for a in _ALIASES.get(f.id, ()))]:
        names.setdefault(heading_key(name), column)
    return names


def _choice_index(f: CaseField) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in f.choices:
        index.setdefault(heading_key(c.value), c.value)
    for c in f.choices:
        index.setdefault(heading_key(c.label), c.value)
    return index


def _filled(cell: str | None) -> bool:
    return cell is None or bool(cell.strip())


def heading_key(text: str) -> str:
    return re.sub(r"[\W_]+", "_", text.casefold()).strip("_")


def column_letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _shorten(text: str, n: int = 30) -> str:
    """Cell text fit to echo in a one-line message."""
    text = printable(" ".join(text.split()))
    return text if len(text) <= n else text[: n - 1] + "…"


def problems_summary(problems: list[tuple[int, str]]) -> str:
    rows = len({r for r, _p in problems})
    head = (_("1 row has problems") if rows == 1
            else _("{n} rows have problems").format(n=rows))
    shown = "; ".join(_("row {row}: {problem}").format(row=r, problem=p)
                      for r, p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    tail = _("; and {n} more").format(n=more) if more > 0 else ""
    return _("{head}; nothing imported: {shown}{tail}").format(head=head, shown=shown, tail=tail)


def _file_error(reason: str) -> SampleError:
    return SampleError(_("nothing imported: {reason}").format(reason=reason), [(0, reason)])


def _too_large() -> SampleError:
    return _file_error(_("the file is larger than {mb} MB: is it the selected sample?")
                       .format(mb=MAX_BYTES // (1024 * 1024)))


def _not_a_table() -> str:
    return _("the file is neither a CSV nor an XLSX workbook: save the sample as .xlsx or "
             "CSV UTF-8")


def _too_many_rows() -> SampleError:
    return _file_error(_("the file has more than {n:,} rows").format(n=MAX_SHEET_ROWS))
