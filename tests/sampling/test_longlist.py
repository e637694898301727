"""The lead imports an organisation's long list: checked whole, refused with rows named, or kept."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmip_desktop.errors import UserError
from hmip_desktop.sampling.longlist import (
    MAX_ROWS,
    Decision,
    LongListError,
    column_test,
    decide,
    eligibility_window,
    meets,
    read_longlist,
    read_longlist_bytes,
)
from hmip_desktop.sampling.rules import (
    AllOf,
    AnyOf,
    ColumnIn,
    DaysBetween,
    Not,
    Repeats,
    RowCondition,
)
from hmip_desktop.user_files import LONGLIST_FILE_MAX
from tests.sampling.longlists import (
    EXTRA_HEADING,
    FIELDWORK,
    FORMULA,
    all_kinds,
    generate,
    kind_of,
    write_csv,
    write_xlsx,
)

KINDS = all_kinds()


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_every_framework_has_its_manuals_sample_kinds() -> None:
    assert sorted(KINDS) == sorted([
        ("crc-2019-20", "domain_two"), ("crc-2019-20", "unpaid_work"),
        ("crc-2019-20", "through_the_gate"), ("nps-2019-20", "primary"),
        ("nps-2019-20", "court_reports"), ("nps-2019-20", "victim_contact"),
        ("youth-2019-20", "post_court"), ("youth-2019-20", "out_of_court"),
        ("dipp-2025", "dipp")])


@pytest.mark.parametrize(("framework", "kind_id"), KINDS)
def test_a_clean_generated_long_list_is_accepted_whole(framework: str, kind_id: str,
                                                       tmp_path: Path) -> None:
    kind = kind_of(framework, kind_id)
    g = generate(kind, 2500, seed=7)
    ll = read_longlist(write_csv(g, tmp_path / "l.csv"), kind, FIELDWORK)
    assert len(ll.rows) == 2500
    assert [r.row for r in ll.rows] == list(range(2, 2502))
    assert EXTRA_HEADING in ll.extra_headings
    assert all(r.extra[EXTRA_HEADING] for r in ll.rows)  # a column the rules do not name, kept
    window = eligibility_window(kind, FIELDWORK)
    if window is not None and kind.window is not None:
        assert all(window[0].isoformat() <= r.values[kind.window.column]
                   < window[1].isoformat() for r in ll.rows)
    candidates = ll.candidates()
    excluded = [r for r in ll.rows if any(f.firm for f in r.flags)]
    assert len(candidates) == 2500 - len(excluded)
    assert {c.case_id for c in candidates}.isdisjoint(r.case_id for r in excluded)
    n_strata = len(kind.stratification.groups) or None
    if n_strata:
        assert {c.stratum[0] for c in candidates} <= {g.label for g in
                                                      kind.stratification.groups}
    width = 1 if kind.stratification.groups else len(kind.stratification.variables)
    assert all(len(c.stratum) == width for c in candidates)


def test_the_proportions_are_the_organisations_men_and_medium_rosh_most() -> None:
    kind = kind_of("crc-2019-20", "domain_two")
    ll = read_longlist_bytes(_csv_bytes(*_table(generate(kind, 4000))), kind, FIELDWORK)
    gender = Counter(r.values["gender"] for r in ll.rows)
    rosh = Counter(r.values["rosh"] for r in ll.rows)
    assert 0.8 < gender["male"] / 4000 < 0.9
    assert rosh.most_common(1)[0][0] == "medium"


def _table(g: object) -> tuple[list[str], list[list[str]]]:
    return g.header, g.rows  # type: ignore[attr-defined]


@pytest.mark.parametrize(("framework", "kind_id", "fault", "reason"), [
    ("crc-2019-20", "domain_two", "bad_date", "Start date is not a date"),
    ("youth-2019-20", "post_court", "bad_date", "Start date is not a date"),
    ("dipp-2025", "dipp", "duplicate_id", "case id repeats row 3"),
    ("nps-2019-20", "primary", "text_in_number", "Sentence length (months) is not a number"),
    ("youth-2019-20", "post_court", "inconsistent_fact",
     "a post-court case cannot carry an out-of-court disposal"),
    ("youth-2019-20", "out_of_court", "inconsistent_fact",
     "an out-of-court case cannot carry a court disposal"),
    ("crc-2019-20", "domain_two", "inconsistent_fact",
     "a post-custody case cannot have community order requirements"),
    ("dipp-2025", "dipp", "out_of_window", "Start date 2025-"),
    ("nps-2019-20", "court_reports", "out_of_window", "is outside the eligible period"),
])
def test_a_bad_row_is_named_with_its_reason_and_nothing_is_imported(
        framework: str, kind_id: str, fault: str, reason: str) -> None:
    kind = kind_of(framework, kind_id)
    g = generate(kind, 300, seed=3, faults=[fault])
    with pytest.raises(LongListError) as e:
        read_longlist_bytes(_csv_bytes(g.header, g.rows), kind, FIELDWORK)
    row = g.fault_rows[fault]
    assert [r for r, _p in e.value.problems] == [row]
    assert reason in e.value.problems[0][1]
    assert f"row {row}: " in str(e.value) and "nothing imported" in str(e.value)
    assert "\n" not in str(e.value)


def test_every_fault_at_once_lists_every_row() -> None:
    kind = kind_of("nps-2019-20", "primary")
    faults = ["bad_date", "duplicate_id", "text_in_number", "inconsistent_fact", "out_of_window"]
    g = generate(kind, 300, seed=5, faults=faults)
    with pytest.raises(LongListError) as e:
        read_longlist_bytes(_csv_bytes(g.header, g.rows), kind, FIELDWORK)
    assert sorted({r for r, _p in e.value.problems}) == sorted(g.fault_rows.values())


@pytest.mark.parametrize(("framework", "kind_id", "column"), [
    ("crc-2019-20", "domain_two", "Gender"), ("nps-2019-20", "court_reports", "Report type"),
])
def test_a_missing_or_renamed_column_is_one_line_naming_it(framework: str, kind_id: str,
                                                          column: str) -> None:
    kind = kind_of(framework, kind_id)
    g = generate(kind, 50, faults=["missing_column"])
    with pytest.raises(LongListError) as e:
        read_longlist_bytes(_csv_bytes(g.header, g.rows), kind, FIELDWORK)
    assert e.value.problems == [(1, f"missing column {column}")]
    renamed = [("Sex (M/F)" if h == "Gender" else h) for h in generate(kind, 5).header]
    with pytest.raises(LongListError, match="missing column Gender"):
        read_longlist_bytes(_csv_bytes(renamed, generate(kind, 5).rows), kind, FIELDWORK)


def test_headings_are_matched_by_alias_and_case() -> None:
    kind = kind_of("crc-2019-20", "unpaid_work")
    g = generate(kind, 20)
    header = [{"Case reference": "CRN", "Gender": "SEX", "RoSH level": "risk of serious harm"}
              .get(h, h) for h in g.header]
    assert len(read_longlist_bytes(_csv_bytes(header, g.rows), kind, FIELDWORK).rows) == 20


def test_formula_text_is_kept_as_text_and_marked_for_export(tmp_path: Path) -> None:
    kind = kind_of("crc-2019-20", "domain_two")
    g = generate(kind, 40, faults=["formula_text"])
    row = g.fault_rows["formula_text"]
    ll = read_longlist_bytes(_csv_bytes(g.header, g.rows), kind, FIELDWORK)
    kept = next(r for r in ll.rows if r.row == row)
    assert kept.extra[EXTRA_HEADING] == FORMULA
    assert kept.formula_columns == {EXTRA_HEADING}
    assert all(not r.formula_columns for r in ll.rows if r.row != row)
    # In a workbook the same text is a real formula: it is read as its text, never run.
    from_xlsx = read_longlist(write_xlsx(g, tmp_path / "l.xlsx"), kind, FIELDWORK)
    assert next(r for r in from_xlsx.rows if r.row == row).extra[EXTRA_HEADING] == FORMULA


def test_a_workbook_reads_as_the_same_csv_would(tmp_path: Path) -> None:
    kind = kind_of("youth-2019-20", "out_of_court")
    g = generate(kind, 500, seed=11)
    a = read_longlist(write_csv(g, tmp_path / "l.csv"), kind, FIELDWORK)
    b = read_longlist(write_xlsx(g, tmp_path / "l.xlsx"), kind, FIELDWORK)
    assert a.rows == b.rows


def test_a_file_over_the_row_cap_is_refused_in_one_line() -> None:
    kind = kind_of("nps-2019-20", "victim_contact")
    g = generate(kind, 1)
    line = ",".join(g.rows[0]).encode() + b"\n"
    data = ",".join(g.header).encode() + b"\n" + line * (MAX_ROWS + 1)
    with pytest.raises(LongListError) as e:
        read_longlist_bytes(data, kind, FIELDWORK)
    assert e.value.problems == [(0, f"the file has more than {MAX_ROWS:,} cases; split the "
                                    "long list or check it is the right file")]


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.csv"
    with big.open("wb") as f:
        f.truncate(LONGLIST_FILE_MAX + 1)  # sparse: refused from its size alone
    with pytest.raises(LongListError, match="larger than 32 MB"):
        read_longlist(big, kind_of("dipp-2025", "dipp"), FIELDWORK)


def test_exclusions_are_flagged_in_the_manuals_words_and_the_lead_decides() -> None:
    kind = kind_of("youth-2019-20", "post_court")
    ll = read_longlist_bytes(_csv_bytes(*_table(generate(kind, 2000, seed=2))), kind,
                             FIELDWORK)
    firm = next(r for r in ll.rows if any(f.firm for f in r.flags))
    potential = next(r for r in ll.rows if r.flags and not any(f.firm for f in r.flags))
    words = {e.words for e in kind.exclusions}
    assert {f.words for f in firm.flags} <= words
    assert "cases consisting of an extension to an existing referral order" in words
    ids = {c.case_id for c in ll.candidates()}
    assert firm.case_id not in ids and potential.case_id in ids
    flag = next(f for f in firm.flags if f.firm)
    pflag = potential.flags[0]
    decisions: dict[tuple[str, str], Decision] = {
        (firm.case_id, flag.rule): decide(firm.case_id, flag.rule, confirmed=False,
                                          reason="Order was made to this YOT after all"),
        (potential.case_id, pflag.rule): decide(potential.case_id, pflag.rule,
                                                confirmed=True, reason="Transferred in week 1"),
    }
    if len([f for f in firm.flags if f.firm]) == 1:
        ids = {c.case_id for c in ll.candidates(decisions)}
        assert firm.case_id in ids
    assert potential.case_id not in {c.case_id for c in ll.candidates(decisions)}
    counts = ll.excluded_per_rule()
    assert set(counts) == words and sum(counts.values()) == sum(len(r.flags) for r in ll.rows)


def test_a_decision_needs_a_plain_reason() -> None:
    with pytest.raises(UserError, match="a reason is needed"):
        decide("X1", "sfo_review", confirmed=True, reason="   ")
    with pytest.raises(UserError, match="plain text"):
        decide("X1", "sfo_review", confirmed=True, reason="bad\x1b[2J")


def test_the_organisations_own_marks_are_kept_to_show() -> None:
    kind = kind_of("youth-2019-20", "out_of_court")
    ll = read_longlist_bytes(_csv_bytes(*_table(generate(kind, 1500))), kind, FIELDWORK)
    marked = [r for r in ll.rows if r.marked]
    assert marked and all(r.marked in {"Transferred out in week 2", "Possible SFO review",
                                       "Lives out of area"} for r in marked)


def test_candidates_carry_pdu_practitioner_and_the_stratum() -> None:
    kind = kind_of("dipp-2025", "dipp")
    ll = read_longlist_bytes(_csv_bytes(*_table(generate(kind, 600))), kind, FIELDWORK)
    by_id = {r.case_id: r for r in ll.rows}
    for c in ll.candidates()[:50]:
        r = by_id[c.case_id]
        assert (c.pdu, c.practitioner) == (r.values["pdu"], r.values["practitioner"])
        assert c.stratum[0].startswith(("Low", "Medium", "High"))


def test_a_person_with_two_sentences_is_flagged_on_both_rows() -> None:
    kind = kind_of("dipp-2025", "dipp")
    g = generate(kind, 100)
    pid = [c.id for c in kind.columns].index("person_id")
    for row in g.rows:
        row[pid] = f"Q{id(row)}"
    g.rows[10][pid] = g.rows[20][pid] = "P-same"
    ll = read_longlist_bytes(_csv_bytes(g.header, g.rows), kind, FIELDWORK)
    flagged = [r.row for r in ll.rows if any(f.rule == "more_than_one_sentence" for f in r.flags)]
    assert flagged == [12, 22]


# -- the parser under arbitrary input --------------------------------------------------------

# A NUL makes the whole file binary (refused as not a table), so it is left to the bytes test.
_CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                              exclude_characters="\x00"), max_size=14)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(_CELL, min_size=1, max_size=4))
def test_any_text_in_typed_columns_is_accepted_as_its_type_or_refused_with_the_row(
        cells: list[str]) -> None:
    kind = kind_of("nps-2019-20", "primary")
    g = generate(kind, 4, seed=1)
    columns = [c.id for c in kind.columns]
    targets = ["start_date", "sentence_length_months", "gender", "yot_case"]
    for value, column in zip(cells, targets, strict=False):
        g.rows[2][columns.index(column)] = value
    data = _csv_bytes(g.header, g.rows)
    try:
        ll = read_longlist_bytes(data, kind, FIELDWORK)
    except LongListError as e:
        assert e.problems and all(r == 4 for r, _p in e.problems)
        return
    row = ll.rows[2].values
    if row.get("start_date"):
        assert date.fromisoformat(row["start_date"])
    if row.get("sentence_length_months"):
        float(row["sentence_length_months"])
    assert row["gender"] in ("male", "female") and row["yot_case"] in ("yes", "no")


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_are_a_long_list_or_a_one_line_refusal(data: bytes) -> None:
    kind = kind_of("dipp-2025", "dipp")
    try:
        read_longlist_bytes(data, kind, FIELDWORK)
    except LongListError as e:
        assert "\n" not in str(e) and e.problems


def test_an_excel_semicolon_csv_with_its_sep_line_and_bom_reads_the_same() -> None:
    kind = kind_of("crc-2019-20", "unpaid_work")
    g = generate(kind, 30, seed=4)
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(g.header)
    w.writerows(g.rows)
    excel = b"\xef\xbb\xbfsep=;\r\n" + out.getvalue().encode("utf-8")
    plain = read_longlist_bytes(_csv_bytes(g.header, g.rows), kind, FIELDWORK)
    assert read_longlist_bytes(excel, kind, FIELDWORK).rows == plain.rows


# -- conditions over whole columns, and blank rows anywhere ------------------------------------

_COLUMNS = ("a", "b", "missing")
_VALUES = ("", "x", "y", "2026-01-01", "2026-01-20", "2026-03-01")


def _condition(depth: int) -> st.SearchStrategy[RowCondition]:
    leaves: list[st.SearchStrategy[RowCondition]] = [
        st.builds(ColumnIn, st.sampled_from(_COLUMNS),
                  st.frozensets(st.sampled_from(_VALUES), max_size=3)),
        st.builds(DaysBetween, st.just("start"), st.just("end"), st.integers(-40, 80)),
        st.builds(Repeats, st.sampled_from(_COLUMNS)),
    ]
    if depth == 0:
        return st.one_of(leaves)
    inner = _condition(depth - 1)
    return st.one_of(*leaves, st.builds(AllOf, st.lists(inner, max_size=3).map(tuple)),
                     st.builds(AnyOf, st.lists(inner, max_size=3).map(tuple)),
                     st.builds(Not, inner))


@settings(max_examples=300)
@given(_condition(2), st.integers(0, 12).flatmap(lambda n: st.fixed_dictionaries({
    name: st.lists(st.sampled_from(_VALUES if name in ("a", "b") else _VALUES[:1] + _VALUES[3:]),
                   min_size=n, max_size=n) for name in ("a", "b", "start", "end")})))
def test_a_condition_over_whole_columns_is_the_condition_case_by_case(
        condition: RowCondition, columns: dict[str, list[str]]) -> None:
    """The reader tests each exclusion, inconsistency and group over whole columns at once;
    it must flag exactly the cases that meet the condition one by one."""
    size = len(columns["a"])
    repeats = {name: Counter(x for x in columns[name] if x) for name in ("a", "b")}
    rows = [{name: values[k] for name, values in columns.items()} for k in range(size)]
    assert column_test(condition, columns, repeats, size) == [
        meets(condition, row, repeats) for row in rows]


@pytest.mark.parametrize("at", [0, 1, 998, 999, 1000, 1001, 2500])
def test_blank_rows_anywhere_are_left_out_and_the_rows_keep_their_spreadsheet_numbers(
        at: int) -> None:
    """Blank rows (empty lines, or cells of spaces) are skipped wherever they fall, a batch's
    first row or last among them; every other row keeps the number the lead sees."""
    kind = kind_of("nps-2019-20", "primary")
    g = generate(kind, 2600, seed=11)
    body = [list(r) for r in g.rows]
    blank_line, spaces = [], [" "] * len(g.header)
    body[at:at] = [blank_line, spaces]
    first_blank = b"\r\n"  # and a blank line before the heading
    ll = read_longlist_bytes(first_blank + _csv_bytes(g.header, body), kind, FIELDWORK)
    assert len(ll.rows) == 2600
    expected = [n + 3 for n in range(2600)]  # the blank first line, then the heading
    expected[at:] = [n + 2 for n in expected[at:]]
    assert [r.row for r in ll.rows] == expected
    assert [r.case_id for r in ll.rows] == [r[0] for r in g.rows]


def test_text_cells_are_tidied_the_same_in_every_batch_and_a_control_character_is_refused(
        ) -> None:
    """Spaces around a cell go, runs of blanks become one space, whether the column holds
    mostly different texts (case ids) or a few repeated ones (names), in any batch."""
    kind = kind_of("nps-2019-20", "primary")
    g = generate(kind, 2600, seed=13)
    header = list(g.header)
    ref, name = header.index("Case reference"), header.index("Name")
    rows = [list(r) for r in g.rows]
    rows[10][ref] = f"  {rows[10][ref]} "
    rows[1200][ref] = f"{rows[1200][ref]}\t"
    rows[1300][name] = "Ann\tLee  Smith"
    for r in rows[1500:1600]:
        r[name] = "Robin  Invented "
    ll = read_longlist_bytes(_csv_bytes(header, rows), kind, FIELDWORK)
    got = {r.row: r for r in ll.rows}
    assert got[12].case_id == g.rows[10][ref]
    assert got[1202].case_id == g.rows[1200][ref]
    assert got[1302].values["person_name"] == "Ann Lee Smith"
    assert {got[n].values["person_name"] for n in range(1502, 1602)} == {"Robin Invented"}
    assert got[1700].values["person_name"] == g.rows[1698][name]
    rows[2100][ref] = "X\x07ray"
    rows[2200][name] = "Sam\x1bOdd"
    with pytest.raises(LongListError) as refused:
        read_longlist_bytes(_csv_bytes(header, rows), kind, FIELDWORK)
    assert refused.value.problems == [(2102, "Case reference contains control characters"),
                                      (2202, "Name contains control characters")]
