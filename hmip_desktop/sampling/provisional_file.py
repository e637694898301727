"""The provisional list as a workbook for the organisation, and the same list as they return it.

Out (``provisional_workbook``): one sheet, "Provisional list", with the long list's columns for
each provisional case and four columns for the organisation to fill in (000_ §4.3): whether the
practitioner is available at fieldwork, whether the person on probation consents to contact, a
late exclusion (the reason, if the case should now be excluded) and a note. Every cell is
written as text: a cell that starts with ``=``, ``+``, ``-`` or ``@`` (``=HYPERLINK(…)`` from the
organisation's own system) is stored as a string with Excel's quote prefix, so it is shown as
it came and never evaluated.

Back (``read_returned``): the same sheet (XLSX or CSV), matched to the provisional list by case
reference. Every row is checked and every problem reported with its row number; a case that
was not on the provisional list is refused, naming the row, and nothing is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hmip_desktop.i18n import _
from hmip_desktop.sampling.longlist import LongListError, _csv_rows, _xlsx_rows
from hmip_desktop.setup.sample_import import heading_key, problems_summary
from hmip_desktop.text_rules import text_fault
from hmip_desktop.user_files import SAMPLE_FILE_MAX, describe_size, read_user_file

SHEET = "Provisional list"
AVAILABLE = "Practitioner available at fieldwork (yes/no)"
CONSENT = "Consent to contact (yes/no)"
LATE_EXCLUSION = "Late exclusion (the reason, if the case should now be excluded)"
NOTE = "Note"
RETURN_HEADINGS = (AVAILABLE, CONSENT, LATE_EXCLUSION, NOTE)
FORMULA_START = ("=", "+", "-", "@")
MAX_TEXT = 500
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True, slots=True)
class ReturnedRow:
    """One case as the organisation returned it."""

    row: int
    case_ref: str
    available: bool
    consent: bool
    late_exclusion: str
    note: str


def provisional_workbook(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """The XLSX bytes of the provisional list: ``headings`` and the four return columns."""
    from openpyxl import Workbook  # noqa: PLC0415 - only an export pays for loading it
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    from hmip_desktop.xlsx_in_memory import memory_sheet, xlsx_bytes  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = memory_sheet(book, SHEET)

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell

    sheet.append([text(h) for h in (*headings, *RETURN_HEADINGS)])
    for cells in rows:
        sheet.append([text(c) for c in cells] + [text("")] * len(RETURN_HEADINGS))
    return xlsx_bytes(book)


def read_returned(path: Path, case_heading: Sequence[str],
                  provisional: Sequence[str]) -> list[ReturnedRow]:
    """Read the returned list; ``case_heading`` lists the names the case column may have."""
    data = read_user_file(path, max_size=SAMPLE_FILE_MAX, error=_file_error,
                          too_large=_too_large)
    return read_returned_bytes(data, case_heading, provisional)


def read_returned_bytes(data: bytes, case_heading: Sequence[str],
                        provisional: Sequence[str]) -> list[ReturnedRow]:
    """Check every row of the returned list against the provisional list; all or nothing."""
    if not data.strip():
        raise _file_error(_("the file is empty"))
    rows: Iterator[tuple[int, list[str]]] = (
        _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data))
    on_list = {ref.casefold(): ref for ref in provisional}
    problems: list[tuple[int, str]] = []
    out: list[ReturnedRow] = []
    seen: dict[str, int] = {}
    where: dict[str, int] | None = None
    for n, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if where is None:
            where = _columns(n, cells, case_heading)
            continue
        found: list[str] = []
        ref, available, consent, late, note = (
            " ".join(cells[i].split()) if 0 <= i < len(cells) else ""
            for i in (where.get(key, -1) for key in ("case", "available", "consent", "late",
                                                      "note")))
        if not ref:
            found.append(_("the case reference is empty"))
        elif ref.casefold() not in on_list:
            found.append(_("this case was not on the provisional list"))
        elif ref.casefold() in seen:
            found.append(_("the case repeats row {row}").format(row=seen[ref.casefold()]))
        else:
            seen[ref.casefold()] = n
        answers = [_yes_no(available, AVAILABLE, found), _yes_no(consent, CONSENT, found)]
        for heading, value in ((LATE_EXCLUSION, late), (NOTE, note)):
            if text_fault(value) is not None or len(value) > MAX_TEXT:
                found.append(_("{col} must be plain text of at most {n} characters")
                             .format(col=heading, n=MAX_TEXT))
        if found:
            problems += [(n, p) for p in found]
            continue
        out.append(ReturnedRow(n, on_list[ref.casefold()], bool(answers[0]), bool(answers[1]),
                               late, note))
    if where is None:
        raise _file_error(_("the file has no heading row: it holds no text"))
    if problems:
        raise LongListError(problems_summary(problems), problems)
    if not out:
        raise _file_error(_("the file has a heading row but no cases"))
    return out


def _columns(row: int, cells: list[str], case_heading: Sequence[str]) -> dict[str, int]:
    names: Mapping[str, str] = {heading_key(h): "case" for h in case_heading} | {
        heading_key(AVAILABLE): "available", heading_key(CONSENT): "consent",
        heading_key(LATE_EXCLUSION): "late", heading_key(NOTE): "note"}
    where: dict[str, int] = {}
    for i, raw in enumerate(cells):
        key = names.get(heading_key(" ".join(raw.split())))
        if key is not None and key not in where:
            where[key] = i
    missing = [label for key, label in (("case", case_heading[0]), ("available", AVAILABLE),
                                        ("consent", CONSENT)) if key not in where]
    if missing:
        reason = _("row {row}: missing column {column}").format(row=row, column=missing[0])
        raise LongListError(_("nothing imported: {reason}").format(reason=reason),
                            [(row, reason)])
    return where


def _yes_no(value: str, heading: str, found: list[str]) -> bool | None:
    v = value.casefold()
    if v in _YES:
        return True
    if v in _NO:
        return False
    found.append(_("{col} is empty: write yes or no").format(col=heading) if not v
                 else _("{col} is not yes or no").format(col=heading))
    return None


def _file_error(reason: str) -> LongListError:
    return LongListError(_("nothing imported: {reason}").format(reason=reason), [(0, reason)])


def _too_large() -> LongListError:
    return _file_error(_("the file is larger than {size}: is it the returned provisional list?")
                       .format(size=describe_size(SAMPLE_FILE_MAX)))
