"""Read an organisation's long list (CSV or XLSX) for one sample kind, check it, flag exclusions.

The rules come from the framework's ``sampling`` section (``sampling.rules``). The whole file is
checked and every bad row is reported with the row number the lead sees in the spreadsheet
(the heading row is row 1) and the reason; nothing is returned until the file is clean, as for
the selected-sample import (``setup.sample_import``, whose CSV decoding and workbook helpers
this module shares). Messages name rows and columns, never a case id or a name.

- Every column the rules mark required must be there (matched by id, heading or alias, ignoring
  case and punctuation); a missing or renamed one is one line naming it. Columns the rules do
  not name are kept as they are.
- Types: dates (ISO, dd/mm/yyyy, or a workbook date), numbers, yes/no, choices (value or label).
- Case ids must be unique; dates must fall in the eligibility window; facts the rules call
  inconsistent (a post-court case with an out-of-court disposal) are refused.
- Text starting with ``=`` (``=HYPERLINK(…)``) is kept as text, never evaluated, and marked so an
  export writes it as text.
- Bounds: a file over ``LONGLIST_FILE_MAX`` or with more than ``MAX_ROWS`` cases is refused with
  one line; rows are read one at a time (``csv.reader`` over the text, openpyxl's read-only
  stream), so memory stays within the file cap and the rows kept.

Exclusions are flagged with the manual's words; firm ones exclude unless the lead overrules,
potential ones only when the lead confirms (``Decision``, a reason required). The organisation's
own potential-exclusion marks are kept on each row to be shown.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain, compress, islice, repeat
from operator import and_, not_, or_
from pathlib import Path
from typing import NamedTuple

from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.sampling.model import Candidate
from hmip_desktop.sampling.rules import (
    AllOf,
    AnyOf,
    Column,
    ColumnIn,
    DaysBetween,
    Not,
    Repeats,
    RowCondition,
    SampleKind,
)
from hmip_desktop.setup.sample_import import (
    cell_text,
    column_letter,
    csv_text,
    heading_key,
    pick_sheet,
    problems_summary,
)
from hmip_desktop.text_rules import text_fault
from hmip_desktop.user_files import (
    LONGLIST_FILE_MAX,
    LONGLIST_INFLATED_MAX,
    describe_size,
    read_user_file,
)
from hmip_desktop.workbook_limits import check_workbook

MAX_ROWS = 100_000
MAX_CELL = 500
MAX_COLUMNS = 200
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


_NONE: frozenset[str] = frozenset()


class LongListError(UserError):
    """The long list was refused; ``problems`` lists (row, reason), row 0 the whole file."""

    def __init__(self, message: str, problems: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Flag:
    """An exclusion rule a row meets, in the manual's words."""

    rule: str
    words: str
    source: str
    firm: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """The lead's answer to one flag: confirmed (excluded) or overruled (kept), and why."""

    case_id: str
    rule: str
    confirmed: bool
    reason: str


def decide(case_id: str, rule: str, *, confirmed: bool, reason: str) -> Decision:
    """A decision on a flag, or a one-line refusal when the reason is missing or not plain."""
    reason = " ".join(reason.split())
    if not reason:
        raise UserError(_("a reason is needed to confirm or overrule an exclusion"))
    if text_fault(reason) is not None or len(reason) > MAX_CELL:
        raise UserError(_("the reason must be plain text of at most {n} characters")
                        .format(n=MAX_CELL))
    return Decision(case_id=case_id, rule=rule, confirmed=confirmed, reason=reason)


class LongListRow(NamedTuple):
    """One checked case of the long list (a named tuple: 100,000 of them are built at once)."""

    row: int  # in the spreadsheet, heading row 1
    case_id: str
    columns: tuple[str, ...]  # the rule columns the file has, the same tuple for every row
    cells: tuple[str, ...]  # their checked text (choice value, ISO date, number), "" if empty
    extra: Mapping[str, str]  # a heading the rules do not name → its text, kept as it came
    formula_columns: frozenset[str]  # headings whose text starts with "=": export as text
    stratum: tuple[str, ...]
    flags: tuple[Flag, ...]
    marked: str  # the organisation's own potential-exclusion note, "" if none

    @property
    def values(self) -> dict[str, str]:
        """Column id → checked text."""
        return dict(zip(self.columns, self.cells, strict=True))

    def excluded(self, decisions: Mapping[tuple[str, str], Decision]) -> bool:
        """Out of the draw: a firm flag not overruled, or a potential one confirmed."""
        for f in self.flags:
            d = decisions.get((self.case_id, f.rule))
            if (d.confirmed if d is not None else f.firm):
                return True
        return False


@dataclass(frozen=True, slots=True)
class LongList:
    """A checked long list, column by column, as the reader worked it out.

    The service stores it from the columns; ``rows`` builds the per-case ``LongListRow``s
    only when something asks for them (50,000 row objects are most of a second's work).
    """

    kind: SampleKind
    window: tuple[date, date] | None  # eligible from, eligible before
    extra_headings: tuple[str, ...]
    numbers: Sequence[int]  # each case's row in the spreadsheet, heading row 1
    ids: tuple[str, ...]  # the rule columns the file has, in the file's order
    columns: Mapping[str, Sequence[str]]  # each of those → its checked text, case by case
    # Each distinct other heading → its text case by case, "" if empty (where two columns
    # share a heading, the later one's text where it has any).
    kept: Mapping[str, Sequence[str]]
    strata: Sequence[tuple[str, ...]]
    flags: Sequence[tuple[Flag, ...]]  # the cases flagged by the same rules share one tuple
    formulas: Mapping[int, frozenset[str]]  # a case's place → headings whose text starts "="
    _rows: list[tuple[LongListRow, ...]] = field(default_factory=list, repr=False,
                                                 compare=False)

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def case_ids(self) -> Sequence[str]:
        return self.columns[self.kind.case_id_column]

    @property
    def marked(self) -> Sequence[str]:
        """The organisation's own potential-exclusion note per case ("" if none)."""
        return self.columns.get(self.kind.marked_exclusion_column) or [""] * len(self)

    @property
    def rows(self) -> tuple[LongListRow, ...]:
        """Every case as a ``LongListRow``, built the first time they are asked for."""
        if not self._rows:
            size = len(self)
            formula_sets: list[frozenset[str]] = [_NONE] * size
            for k, headings in self.formulas.items():
                formula_sets[k] = headings
            self._rows.append(tuple(map(LongListRow._make, zip(
                self.numbers, self.case_ids, repeat(self.ids, size),
                zip(*(self.columns[c] for c in self.ids), strict=True), self._extras(),
                formula_sets, self.strata, self.flags, self.marked, strict=True))))
        return self._rows[0]

    def _extras(self) -> list[dict[str, str]]:
        kept: list[dict[str, str]] = [{} for _ in self.numbers]
        for h, texts in self.kept.items():
            for k, v in enumerate(texts):
                if v:
                    kept[k][h] = v
        return kept

    def stored_cells(self) -> list[tuple[str, ...]]:
        """Each case's cells as stored.

        Its checked cells, then the text of each other heading (by ``extra_headings``).
        """
        return list(zip(*(self.columns[c] for c in self.ids),
                        *(self.kept[h] for h in self.extra_headings), strict=True))

    def excluded_per_rule(self) -> dict[str, int]:
        """How many rows each exclusion rule flags, by the rule's words."""
        counts = Counter(f.words for fs in self.flags for f in fs)
        return {e.words: counts.get(e.words, 0) for e in self.kind.exclusions}

    def candidates(self, decisions: Mapping[tuple[str, str], Decision] | None = None
                   ) -> tuple[Candidate, ...]:
        """The rows the draw may choose from, as ``Candidate``s."""
        decisions = decisions or {}
        if not self.numbers:
            return ()
        empty = [""] * len(self)
        pdus = self.columns.get(self.kind.pdu_column) or empty
        practitioners = self.columns.get(self.kind.practitioner_column) or empty
        return tuple(
            Candidate(r.case_id, r.stratum, pdu, practitioner)
            for r, pdu, practitioner in zip(self.rows, pdus, practitioners, strict=True)
            if not r.flags or not r.excluded(decisions))


def eligibility_window(kind: SampleKind, fieldwork_start: date) -> tuple[date, date] | None:
    """(eligible from, eligible before) for fieldwork starting on ``fieldwork_start``."""
    if kind.window is None:
        return None
    start, end = kind.window.days()
    return fieldwork_start - timedelta(days=start), fieldwork_start - timedelta(days=end)


def read_longlist(path: Path, kind: SampleKind, fieldwork_start: date) -> LongList:
    data = read_user_file(path, max_size=LONGLIST_FILE_MAX, error=_file_error,
                          too_large=_too_large)
    return read_longlist_bytes(data, kind, fieldwork_start)


def read_longlist_bytes(data: bytes, kind: SampleKind, fieldwork_start: date) -> LongList:
    """Decide CSV or XLSX by content, read and check every row for ``kind``."""
    if len(data) > LONGLIST_FILE_MAX:
        raise _too_large()
    if not data.strip():
        raise _file_error(_("the file is empty"))
    batches = _xlsx_batches(data) if data.startswith(b"PK\x03\x04") else _csv_batches(data)
    return _Checker(kind, eligibility_window(kind, fieldwork_start)).run(batches)


# -- reading, a batch of rows at a time ------------------------------------------------------

BATCH = 1_000
"""Rows read at a time: a batch goes through ``csv.reader`` in C, then is checked column by
column while its cells are still in the processor's cache (checking the whole file's columns
after reading it all took three times as long: each column's cells lie far apart in memory);
a file with too many rows is refused after at most one batch beyond ``MAX_ROWS``."""


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Each row of a CSV with its number (the first row 1)."""
    return enumerate(chain.from_iterable(_csv_batches(data)), start=1)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Each row of a workbook's sheet with its number (the first row 1)."""
    return enumerate(chain.from_iterable(_xlsx_batches(data)), start=1)


def _csv_batches(data: bytes) -> Iterator[list[list[str]]]:
    text, delimiter, skip = csv_text(data, _file_error)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        if skip:
            next(reader, None)  # Excel's "sep=" line, not a row
        while batch := list(islice(reader, BATCH)):
            yield batch
    except csv.Error:
        raise _file_error(_("the file cannot be read as CSV near line {line}")
                          .format(line=reader.line_num)) from None


def _xlsx_batches(data: bytes) -> Iterator[list[list[str]]]:
    """The first sheet (or the one named Sample); a formula comes as its text, never run."""
    import openpyxl  # noqa: PLC0415 - only an XLSX import pays for loading it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error(_not_a_table()) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _file_error(_not_a_table())
    check_workbook(data, _file_error, inflated_max=LONGLIST_INFLATED_MAX,
                   part_max=LONGLIST_INFLATED_MAX, shared_max=8 * MAX_ROWS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                                          keep_links=False)
        except Exception:  # a malformed workbook can fail anywhere inside openpyxl
            raise _file_error(_unreadable()) from None
        try:
            sheet = pick_sheet(book.worksheets)
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            batch: list[list[str]] = []
            while True:
                try:
                    values = next(rows)
                except StopIteration:
                    break
                except Exception:
                    raise _file_error(_unreadable()) from None
                cells = [cell_text(v) for v in values]
                while cells and not cells[-1]:  # read-only rows are padded to max_col
                    cells.pop()
                batch.append(cells)
                if len(batch) == BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch
        finally:
            book.close()


# -- checking --------------------------------------------------------------------------------

def _blank(batch: list[list[str]]) -> set[int]:
    """The blank rows of a batch.

    The first cell is usually the case id, so it is looked at first (all at once when every
    row has one).
    """
    try:
        if all([c[0].strip() for c in batch]):
            return set()
    except IndexError:  # an empty row: csv gives no cells at all
        pass
    return {k for k in [k for k, c in enumerate(batch) if not (c and c[0].strip())]
            if not "".join(batch[k]).strip()}


def _table(batches: Iterator[list[list[str]]]
           ) -> tuple[list[str], int, Iterator[tuple[list[list[str]], list[int]]]]:
    """(heading row, its number, the rows below it a batch at a time with their numbers).

    Blank rows are left out. Refused in one line: a file with no heading (at once), more than
    ``MAX_ROWS`` cases or more than ``MAX_COLUMNS`` columns (as the batches are read).
    """
    n = 0  # rows before this batch
    for batch in batches:
        blank = _blank(batch)
        first = next((k for k in range(len(batch)) if k not in blank), None)
        if first is not None:
            return batch[first], n + first + 1, _body(batches, batch, blank, n, first + 1)
        n += len(batch)
    raise _file_error(_("the file has no heading row: it holds no text"))


def _body(batches: Iterator[list[list[str]]], batch: list[list[str]], blank: set[int], n: int,
          first: int) -> Iterator[tuple[list[list[str]], list[int]]]:
    """The rows below the heading, from row ``first`` of ``batch`` on, a batch at a time."""
    cases = 0
    while True:
        if blank:
            kept = [k for k in range(first, len(batch)) if k not in blank]
            rows = [batch[k] for k in kept]
            numbers = [n + k + 1 for k in kept]
        else:
            rows = batch[first:] if first else batch
            numbers = list(range(n + first + 1, n + len(batch) + 1))
        if rows and max(map(len, rows)) > MAX_COLUMNS:
            raise _file_error(_("the file has more than {n} columns").format(n=MAX_COLUMNS))
        cases += len(rows)
        if cases > MAX_ROWS:
            raise _file_error(_("the file has more than {n:,} cases; split the long list "
                                "or check it is the right file").format(n=MAX_ROWS))
        if rows:
            yield rows, numbers
        n += len(batch)
        following = next(batches, None)
        if following is None:
            return
        batch, blank, first = following, _blank(following), 0


@dataclass(slots=True)
class _Checked:
    """One of the rules' columns as its batches are checked.

    Its values so far, and what each distinct text was judged: a long list has a few dozen
    dates and a handful of levels per column, so most texts are judged in the first batches.
    """

    column: Column
    lookup: Mapping[str, str]
    values: list[str] = field(default_factory=list)
    value_of: dict[str, str] = field(default_factory=dict)
    problem_of: dict[str, str] = field(default_factory=dict)
    formulas: set[str] = field(default_factory=set)  # texts starting with "="


class _Checker:
    def __init__(self, kind: SampleKind, window: tuple[date, date] | None) -> None:
        self.kind = kind
        self.window = window
        self.problems: list[tuple[int, str]] = []

    def run(self, batches: Iterator[list[list[str]]]) -> LongList:
        """Check each batch of rows column by column as it is read, then the whole list.

        Column by column because a long list has few distinct values in most columns (a
        date, a level, yes or no): each distinct text is judged once per column. The heading's
        problems are reported once the whole file is read (as its caps), before any row's.
        """
        header, head_row, body = _table(batches)
        index, extra = self._header(head_row, header)
        checked = {cid: _Checked(self.kind.column(cid), _lookup(self.kind.column(cid)))
                   for cid in index}
        kept: dict[int, list[str]] = {i: [] for i in extra}
        found: dict[int, list[str]] = defaultdict(list)  # position in the list → problems
        formulas: dict[int, set[str]] = defaultdict(set)
        numbers: list[int] = []
        width = len(header)
        for rows, batch_numbers in body:
            for cells in [c for c in rows if len(c) < width]:
                cells.extend([""] * (width - len(cells)))
            # Every row is at least as wide as the heading: zip stops at the narrowest, and
            # the columns beyond the heading are never read.
            transposed = list(zip(*rows, strict=False))
            at = len(numbers)
            numbers += batch_numbers
            for cid, i in index.items():
                self._column(checked[cid], transposed[i], at, found, formulas)
            for i, h in extra.items():
                raw = transposed[i]
                kept[i] += raw
                self._formulas(raw, h, at, formulas)
        if self.problems:
            raise LongListError(problems_summary(self.problems), self.problems)
        if not numbers:
            raise _file_error(_("the file has a heading row but no cases"))
        ids = tuple(index)
        by_column = {cid: checked[cid].values for cid in ids}
        self._repeated_ids(by_column[self.kind.case_id_column], numbers, found)
        strata, flags = self._rows(by_column, len(numbers), found)
        if found:
            self.problems = sorted((numbers[k], p) for k, ps in found.items() for p in ps)
            raise LongListError(problems_summary(self.problems), self.problems)
        return LongList(kind=self.kind, window=self.window,
                        extra_headings=tuple(extra.values()), numbers=numbers, ids=ids,
                        columns=by_column, kept=_kept([(h, kept[i]) for i, h in extra.items()]),
                        strata=strata, flags=flags,
                        formulas={k: frozenset(hs) for k, hs in formulas.items()})

    def _column(self, state: _Checked, raw: Sequence[str], at: int,
                found: dict[int, list[str]], formulas: dict[int, set[str]]) -> None:
        """Check one batch of a column, its first case at ``at``.

        Its values are appended to ``state``, its problems and formulas noted by position.
        Once the first batches have been judged, a batch usually holds only texts already
        judged: then its values are looked up at once, without gathering its distinct texts.
        """
        value_of, problem_of = state.value_of, state.problem_of
        try:
            values = list(map(value_of.__getitem__, raw))
        except KeyError:  # a text not judged yet
            distinct = set(raw)
            if state.column.type == "text" and 2 * len(distinct) > len(raw):
                self._text_in_bulk(state, raw, at, found, formulas)  # mostly different texts
                return
            for x in distinct.difference(value_of):  # each distinct text judged once
                problem: list[str] = []
                value_of[x] = self._value(state.column, x, state.lookup, problem)
                if problem:
                    problem_of[x] = problem[0]
                if x.startswith("="):
                    state.formulas.add(x)
            values = list(map(value_of.__getitem__, raw))
        if problem_of and not problem_of.keys().isdisjoint(raw):
            for k, x in enumerate(raw):
                if x in problem_of:
                    found[at + k].append(problem_of[x])
        if state.formulas and not state.formulas.isdisjoint(raw):
            for k, x in enumerate(raw):
                if x in state.formulas:
                    formulas[at + k].add(state.column.label)
        state.values += values

    def _text_in_bulk(self, state: _Checked, raw: Sequence[str], at: int,
                      found: dict[int, list[str]], formulas: dict[int, set[str]]) -> None:
        """A batch of a text column of mostly different texts (case ids), checked at once.

        The usual batch is printable with no double space: its cells are taken as they are
        (stripped only if a cell begins or ends with a space), and only an empty or overlong
        cell is judged alone. Any other batch is judged text by text.
        """
        c = state.column
        joined = "".join(raw)
        if not joined.isprintable() or "  " in joined:
            value_of, problem_of = state.value_of, state.problem_of
            for x in set(raw).difference(value_of):
                problem: list[str] = []
                value_of[x] = self._value(c, x, state.lookup, problem)
                if problem:
                    problem_of[x] = problem[0]
                if x.startswith("="):
                    state.formulas.add(x)
            for k, x in enumerate(raw):
                if x in problem_of:
                    found[at + k].append(problem_of[x])
            vals = list(map(value_of.__getitem__, raw))
        else:
            # a printable cell's only blank is the space: strip only if one ends a cell
            lined = "\n".join(raw)
            vals = ([x.strip() for x in raw]
                    if " \n" in lined or "\n " in lined or lined[:1] == " "
                    or lined[-1:] == " " else list(raw))
            if (c.required and "" in vals) or max(map(len, vals)) > MAX_CELL:
                for k, v in enumerate(vals):
                    if (c.required and not v) or len(v) > MAX_CELL:
                        one: list[str] = []
                        self._value(c, v, state.lookup, one)
                        found[at + k] += one
                        vals[k] = ""
        if "=" in joined:
            self._formulas(raw, c.label, at, formulas)
        state.values += vals

    @staticmethod
    def _formulas(raw: Sequence[str], heading: str, at: int,
                  formulas: dict[int, set[str]]) -> None:
        if "=" in "".join(raw):
            for k, x in enumerate(raw):
                if x.startswith("="):
                    formulas[at + k].add(heading)

    @staticmethod
    def _repeated_ids(case_ids: list[str], numbers: list[int],
                      found: dict[int, list[str]]) -> None:
        keys = list(map(str.casefold, case_ids))
        if len(set(keys)) == len(keys):
            return
        first: dict[str, int] = {}
        for k, key in enumerate(keys):
            if key and key in first:
                found[k].append(_("case id repeats row {row}").format(row=numbers[first[key]]))
            elif key:
                first[key] = k

    def _header(self, row: int, cells: list[str]) -> tuple[dict[str, int], dict[int, str]]:
        names: dict[str, str] = {}
        for c in self.kind.columns:
            for name in (c.id, c.label, *c.aliases):
                names.setdefault(heading_key(name), c.id)
        index: dict[str, int] = {}
        extra: dict[int, str] = {}
        for i, raw in enumerate(cells[:MAX_COLUMNS]):
            heading = " ".join(raw.split())
            if not heading:
                continue
            cid = names.get(heading_key(heading))
            if cid is None:
                extra[i] = heading
            elif cid in index:
                self.problems.append((row, _("columns {a} and {b} are both {column}").format(
                    a=column_letter(index[cid]), b=column_letter(i),
                    column=self.kind.column(cid).label)))
            else:
                index[cid] = i
        for c in self.kind.columns:
            if c.required and c.id not in index:
                self.problems.append((row, _("missing column {column}").format(column=c.label)))
        return index, extra

    def _value(self, c: Column, raw: str, lookup: Mapping[str, str], found: list[str]) -> str:
        text = raw.strip()
        if not text.isprintable() or "  " in text:  # the rare cell: tidy it, then check it
            text = " ".join(text.split())
            if text_fault(text) is not None:
                found.append(_("{col} contains control characters").format(col=c.label))
                return ""
        if not text:
            if c.required:
                found.append(_("{col} is empty").format(col=c.label))
            return ""
        if len(text) > MAX_CELL:
            found.append(_("{col} is longer than {n} characters").format(col=c.label, n=MAX_CELL))
            return ""
        kind = c.type
        if kind == "text":
            return text
        if kind == "date":
            d = _date(text)
            if d is None:
                found.append(_("{col} is not a date (use yyyy-mm-dd or dd/mm/yyyy)")
                             .format(col=c.label))
                return ""
            return d
        if kind == "number":
            number = text.replace(",", "")
            try:
                float(number)
            except ValueError:
                found.append(_("{col} is not a number").format(col=c.label))
                return ""
            return number
        value = lookup.get(text) or lookup.get(heading_key(text))
        if value is not None:
            return value
        if kind == "yes_no":
            found.append(_("{col} is not yes or no").format(col=c.label))
        else:
            found.append(_("{col} is not one of {values}").format(
                col=c.label, values=", ".join((c.choice_labels or {}).values())))
        return ""

    def _rows(self, by_column: Mapping[str, list[str]], size: int,
              found: dict[int, list[str]]) -> tuple[list[tuple[str, ...]],
                                                    list[tuple[Flag, ...]]]:
        """Window, inconsistencies, each case's stratum and exclusion flags, per column.

        The cases flagged by the same rules share one tuple of flags.
        """
        kind = self.kind
        repeats = {cond.column: Counter(x for x in by_column[cond.column] if x)
                   for cond in _repeats(kind)}

        def where(c: RowCondition) -> list[int]:
            return list(compress(range(size), column_test(c, by_column, repeats, size)))

        if kind.window is not None and self.window is not None:
            lo, hi = self.window[0].isoformat(), self.window[1].isoformat()
            last = (self.window[1] - timedelta(days=1)).isoformat()
            label = kind.column(kind.window.column).label
            dates = by_column[kind.window.column]
            outside = {d for d in set(dates) if d and not lo <= d < hi}  # each date once
            if outside:
                for k, d in enumerate(dates):
                    if d in outside:
                        found[k].append(_("{col} {date} is outside the eligible period, "
                                          "{start} to {end}").format(col=label, date=d,
                                                                     start=lo, end=last))
        for i in kind.inconsistencies:
            for k in where(i.when):
                found[k].append(i.words)
        strata: list[tuple[str, ...]]
        if kind.stratification.groups:
            fits: list[tuple[str, ...] | None] = [None] * size
            for g in reversed(kind.stratification.groups):  # the first group that fits wins
                label_of = (g.label,)
                for k in where(g.when):
                    fits[k] = label_of
            for k, s in enumerate(fits):
                if s is None and k not in found:  # an inconsistent row fits none: said once
                    found[k].append(_("fits none of the stratification groups"))
            strata = [s or () for s in fits]
        elif kind.stratification.variables:
            combined = list(zip(*(by_column[v] for v in kind.stratification.variables),
                                strict=True))
            shared = {s: s for s in set(combined)}  # one tuple per stratum
            strata = list(map(shared.__getitem__, combined))
        else:
            strata = [()] * size
        hits: dict[int, list[Flag]] = defaultdict(list)
        for e in kind.exclusions:
            flag = Flag(rule=e.id, words=e.words, source=e.source, firm=e.firm)
            for k in where(e.when):
                hits[k].append(flag)
        flags: list[tuple[Flag, ...]] = [()] * size
        shared_flags: dict[tuple[int, ...], tuple[Flag, ...]] = {}  # by the flags' identity
        for k, fs in hits.items():
            key = tuple(map(id, fs))
            flags[k] = shared_flags.get(key) or shared_flags.setdefault(key, tuple(fs))
        return strata, flags


def _kept(columns: Sequence[tuple[str, Sequence[str]]]) -> dict[str, Sequence[str]]:
    """Each distinct heading of the columns the rules do not name → its text, case by case.

    Where two columns share a heading, a case keeps the later one's text if it has any.
    """
    out: dict[str, Sequence[str]] = {}
    for h, raw in columns:
        earlier = out.get(h)
        out[h] = raw if earlier is None else [v or e for v, e in zip(raw, earlier, strict=True)]
    return out


def _repeats(kind: SampleKind) -> list[Repeats]:
    found: list[Repeats] = []

    def walk(c: RowCondition) -> None:
        if isinstance(c, Repeats):
            found.append(c)
        elif isinstance(c, AllOf | AnyOf):
            for part in c.parts:
                walk(part)
        elif isinstance(c, Not):
            walk(c.part)

    for e in kind.exclusions:
        walk(e.when)
    for i in kind.inconsistencies:
        walk(i.when)
    return found


def column_test(c: RowCondition, columns: Mapping[str, list[str]],
                repeats: Mapping[str, Counter[str]], size: int) -> list[bool]:
    """``meets`` for every row at once, from the long list's columns (a missing one is empty).

    Each test runs over whole columns in C where it can (a set's membership, ``and`` and
    ``or`` of whole lists); dates are parsed once per distinct text.
    """
    def col(name: str) -> list[str]:
        return columns.get(name) or [""] * size

    if isinstance(c, ColumnIn):
        return list(map(c.values.__contains__, col(c.column)))
    if isinstance(c, DaysBetween):
        starts, ends = col(c.start), col(c.end)
        day = {x: date.fromisoformat(x).toordinal() for x in {*starts, *ends} if x}
        return [bool(a and b) and day[b] - day[a] <= c.at_most
                for a, b in zip(starts, ends, strict=True)]
    if isinstance(c, Repeats):
        counts = repeats.get(c.column, Counter())
        return list(map({x for x, n in counts.items() if x and n > 1}.__contains__,
                        col(c.column)))
    if isinstance(c, AllOf | AnyOf):
        parts = [column_test(p, columns, repeats, size) for p in c.parts]
        if not parts:
            return [isinstance(c, AllOf)] * size  # as all() and any() of nothing
        both = and_ if isinstance(c, AllOf) else or_
        met = parts[0]
        for part in parts[1:]:
            met = list(map(both, met, part))
        return met
    return list(map(not_, column_test(c.part, columns, repeats, size)))


def meets(c: RowCondition, values: Mapping[str, str],
           repeats: Mapping[str, Counter[str]]) -> bool:
    if isinstance(c, ColumnIn):
        return values.get(c.column, "") in c.values
    if isinstance(c, DaysBetween):
        a, b = values.get(c.start), values.get(c.end)
        if not a or not b:
            return False
        return (date.fromisoformat(b) - date.fromisoformat(a)).days <= c.at_most
    if isinstance(c, Repeats):
        v = values.get(c.column)
        return bool(v) and repeats.get(c.column, Counter())[v or ""] > 1
    if isinstance(c, AllOf):
        return all(meets(p, values, repeats) for p in c.parts)
    if isinstance(c, AnyOf):
        return any(meets(p, values, repeats) for p in c.parts)
    return not meets(c.part, values, repeats)


def _date(text: str) -> str | None:
    """The date as ISO text (``yyyy-mm-dd``), or None when the text is not a real date."""
    try:
        if len(text) >= 10 and text[4] == "-":
            if len(text) == 10:
                date.fromisoformat(text)
                return text
            return datetime.fromisoformat(text).date().isoformat()
        m = _DMY.fullmatch(text)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None
    return None


def _lookup(c: Column) -> dict[str, str]:
    """Cell text → value for a choice or yes/no column: exact, then normalised."""
    out: dict[str, str] = {}
    if c.type == "yes_no":
        out.update({w: "yes" for w in _YES} | {w: "no" for w in _NO})
        out.update({"Yes": "yes", "No": "no", "Y": "yes", "N": "no", "TRUE": "yes",
                    "FALSE": "no"})
    for value, label in (c.choice_labels or {}).items():
        for key in (value, label, heading_key(value), heading_key(label)):
            out.setdefault(key, value)
    return out


def _file_error(reason: str) -> LongListError:
    return LongListError(_("nothing imported: {reason}").format(reason=reason), [(0, reason)])


def _too_large() -> LongListError:
    return _file_error(_("the file is larger than {size}: is it the long list?")
                       .format(size=describe_size(LONGLIST_FILE_MAX)))


def _not_a_table() -> str:
    return _("the file is neither a CSV nor an XLSX workbook: save the long list as .xlsx or "
             "CSV UTF-8")


def _unreadable() -> str:
    return _("the workbook cannot be read: open it in Excel and save it again, or save it as "
             "CSV UTF-8")

