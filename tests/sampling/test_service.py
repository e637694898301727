"""The case sample through its service: long list → provisional → returned → final → allocation.

Each framework's generated long list goes the whole way; the same seed draws the same cases;
every bad input of issue 14 is refused in one line with nothing written (the workspace's
sample tables, cases and audit compared before and after); text that looks like a formula
reaches the organisation's workbook as text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hmip_desktop.errors import UserError
from hmip_desktop.sampling import provisional_file, records, service, stored_list
from hmip_desktop.sampling.draw import DrawRequest, draw
from hmip_desktop.setup.apply import allocate_evenly
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.tables import connection
from hmip_desktop.store.workspace import Workspace
from tests.sampling.longlists import (
    FIELDWORK,
    FORMULA,
    all_kinds,
    generate,
    kind_of,
    write_csv,
)

PASSPHRASE = "a sampling test passphrase, invented"
ORGANISATION = {"nps-2019-20": "Wales", "crc-2019-20": "Essex CRC",
                "youth-2019-20": "Demo Vale YOT", "dipp-2025": "Demo Shire PDU"}
KINDS = {"nps-2019-20": ("primary",), "crc-2019-20": ("domain_two",),
         "youth-2019-20": ("post_court", "out_of_court"), "dipp-2025": ("dipp",)}
DAYS = [date(2026, 9, 8), date(2026, 9, 9), date(2026, 9, 10)]


def _workspace(tmp_path: Path, framework: str) -> tuple[Workspace, str]:
    ws = Workspace.create(tmp_path / "lead", PASSPHRASE, owner_name="Jules Pennyfold",
                          role="lead")
    iid = ws.create_inspection(
        title="Sampling test", organisation=ORGANISATION[framework],
        framework_bytes=resource("frameworks", f"{framework}.json").read_bytes(),
        fieldwork_start=FIELDWORK.isoformat(), fieldwork_end="2026-09-11")
    for name, role in (("Robin Quillfeather", "assessor"), ("Casey Marrowby", "assessor"),
                       ("Morgan Thistlecombe", "qa")):
        ws.add_member(iid, name=name, role=role)
    return ws, iid


def _longlist(tmp_path: Path, framework: str, kind: str, n: int = 900, *, seed: int = 1,
              faults: tuple[str, ...] = ()) -> Path:
    g = generate(kind_of(framework, kind), n, seed=seed, faults=faults)
    return write_csv(g, tmp_path / f"{kind}-{seed}-{'-'.join(faults) or 'clean'}.csv")


def _returned(exported: Path, out: Path, *, unavailable_every: int = 8,
              extra_row: list[str] | None = None) -> Path:
    """The organisation's return: availability and consent filled in on every row."""
    book = openpyxl.load_workbook(exported)
    sheet = book.worksheets[0]
    head = [c.value for c in sheet[1]]
    available = head.index(provisional_file.AVAILABLE) + 1
    consent = head.index(provisional_file.CONSENT) + 1
    for n in range(2, sheet.max_row + 1):
        sheet.cell(n, available, "no" if n % unavailable_every == 0 else "yes")
        sheet.cell(n, consent, "yes")
    if extra_row is not None:
        sheet.append(extra_row)
    book.save(out)
    return out


def _state(ws: Workspace) -> dict[str, Any]:
    """Everything a sample step may write: its tables, the cases and the audit log."""
    conn = connection(ws)
    out: dict[str, Any] = {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")))
                           for t in (*records.SAMPLE_TABLES, "cases", "assignments")}
    out["audit"] = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    return out


def _refused(ws: Workspace, step: Any, match: str) -> str:
    before = _state(ws)
    with pytest.raises(UserError, match=match) as e:
        step()
    message = str(e.value)
    assert "\n" not in message
    assert _state(ws) == before, "a refused step wrote something"
    return message


@pytest.mark.parametrize("framework", sorted(KINDS))
def test_a_generated_long_list_goes_the_whole_way_to_allocation(tmp_path: Path,
                                                                framework: str) -> None:
    ws, iid = _workspace(tmp_path, framework)
    with ws:
        for kind in KINDS[framework]:
            summary = service.import_longlist(ws, iid, kind, _longlist(tmp_path, framework, kind))
            assert summary.cases == 900 and 0 < summary.eligible <= 900
        added: dict[str, list[str]] = {}
        for kind in KINDS[framework]:
            drawn = service.draw_provisional(ws, iid, kind, "20260907")
            assert len(drawn.final) == drawn.target
            assert len(drawn.provisional) >= len(drawn.final)
            exported = service.export_provisional(ws, iid, kind, tmp_path / f"{kind}.xlsx")
            back = service.import_returned(ws, iid, kind,
                                           _returned(exported, tmp_path / f"{kind}-back.xlsx"))
            assert back.cases == len(drawn.provisional) and back.not_returned == ()
            final = service.finalise(ws, iid, kind)
            assert final.cases_added == len(final.draw.final) > 0
            assert set(final.draw.final) <= set(drawn.provisional)
            assert not set(final.draw.reserves) & set(final.draw.final)
            added[kind] = list(final.draw.final)

        # The final cases are the inspection's cases, their facts from the long list as it was.
        rules = ws.inspection_framework(iid).sampling
        assert rules is not None
        cases = {c.case.case_ref: c.case for c in ws.list_cases(iid)}
        assert set(cases) == {ref for refs in added.values() for ref in refs}
        for kind, refs in added.items():
            k = rules.kind(kind)
            file = records.longlist_file(ws, iid, kind)
            assert file is not None
            rows = {r.case_ref: r for r in records.longlist_rows(ws, iid, kind, refs)}
            for ref in refs:
                facts = cases[ref].facts
                for c in k.columns:
                    if c.fact:
                        assert facts[c.fact] == rows[ref].cells[file.columns[c.id]], (ref, c.id)
                if k.sample_value:
                    assert facts["sample"] == k.sample_value

        report = allocate_evenly(ws, iid, DAYS)
        assert report.allocation.assignments  # the allocation found them: nothing re-typed
        assert set(report.allocation.assignments) <= set(cases)


def test_the_same_seed_draws_the_same_cases_and_another_seed_others(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "nps-2019-20")
    with ws:
        service.import_longlist(ws, iid, "primary",
                                _longlist(tmp_path, "nps-2019-20", "primary"))
        first = service.draw_provisional(ws, iid, "primary", "424242")
        again = service.draw_provisional(ws, iid, "primary", " 424242 ")
        other = service.draw_provisional(ws, iid, "primary", "424243")
    assert first.provisional == again.provisional and first.final == again.final
    assert set(other.provisional) != set(first.provisional)
    assert first.seed == "424242"


def test_the_sample_matches_the_population_within_one_case_per_stratum(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "youth-2019-20")
    with ws:
        for kind in KINDS["youth-2019-20"]:
            service.import_longlist(ws, iid, kind, _longlist(tmp_path, "youth-2019-20", kind,
                                                             1500))
        drawn = service.draw_provisional(ws, iid, "post_court", "7")
        report = service.report(ws, iid, "post_court")
        population = {tuple(s): n for s, n in records.stored_draw(
            ws, iid, "post_court", "provisional").result["population"]}  # type: ignore[union-attr]
    sample = Counter(drawn.strata[ref] for ref in drawn.final)
    total = sum(population.values())
    for stratum, n in population.items():
        exact = Fraction(drawn.target * n, total)
        assert abs(sample[stratum] - exact) < 1, stratum
    assert report.sample == drawn.target and report.population == total
    assert 0 < report.margin_of_error_points < 10
    assert {s.value for s in report.shares} == {s[0] for s in population}
    # The youth sample is 60% post-court of one size for both lists (001_ §4.1).
    assert "60% of" in drawn.size_rule


def test_constraints_that_cannot_be_met_are_explained_not_refused(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "dipp-2025")
    with ws:
        service.import_longlist(ws, iid, "dipp", _longlist(tmp_path, "dipp-2025", "dipp", 400))
        drawn = service.draw_provisional(ws, iid, "dipp", "11")
        report = service.report(ws, iid, "dipp")
    # 400 cases share about 40 practitioners: one case each cannot fill the sample.
    assert drawn.unmet and all(line.strip() for line in drawn.unmet)
    assert any("practitioner" in line for line in drawn.unmet)
    assert report.unmet == drawn.unmet


def test_a_flag_is_confirmed_or_overruled_with_a_reason_and_audited(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "nps-2019-20")
    with ws:
        service.import_longlist(ws, iid, "primary",
                                _longlist(tmp_path, "nps-2019-20", "primary"))
        firm = next(f for f in service.exclusion_flags(ws, iid, "primary") if f.firm)
        eligible = service.longlist_summary(ws, iid, "primary").eligible
        _refused(ws, lambda: service.decide_exclusion(ws, iid, "primary", firm.case_ref,
                                                      firm.rule, False, "  "), "reason")
        kept = service.decide_exclusion(ws, iid, "primary", firm.case_ref, firm.rule, False,
                                        "The requirement was added on appeal.")
        assert not kept.excluded and kept.decision is not None
        assert kept.decision.reason == "The requirement was added on appeal."
        if len([f for f in service.exclusion_flags(ws, iid, "primary")
                if f.case_ref == firm.case_ref and f.excluded]) == 0:
            assert service.longlist_summary(ws, iid, "primary").eligible == eligible + 1
        assert [e.action for e in ws.history()].count("sample_exclusion") == 1
        service.draw_provisional(ws, iid, "primary", "5")
        _refused(ws, lambda: service.decide_exclusion(ws, iid, "primary", firm.case_ref,
                                                      firm.rule, True, "Changed my mind."),
                 "already drawn")


@pytest.mark.parametrize(("fault", "framework", "kind"), [
    ("missing_column", "youth-2019-20", "post_court"),
    ("bad_date", "youth-2019-20", "post_court"),
    ("duplicate_id", "nps-2019-20", "primary"),
    ("inconsistent_fact", "youth-2019-20", "post_court"),  # a post-court out-of-court disposal
    ("out_of_window", "dipp-2025", "dipp"),
])
def test_a_bad_long_list_is_refused_in_one_line_with_nothing_written(
        tmp_path: Path, fault: str, framework: str, kind: str) -> None:
    ws, iid = _workspace(tmp_path, framework)
    with ws:
        service.import_longlist(ws, iid, kind, _longlist(tmp_path, framework, kind, 300))
        g = generate(kind_of(framework, kind), 300, seed=2, faults=(fault,))
        bad = write_csv(g, tmp_path / "bad.csv")
        message = _refused(ws, lambda: service.import_longlist(ws, iid, kind, bad),
                           "nothing imported")
        assert f"row {g.fault_rows[fault]}" in message
        # The earlier list is still the one stored.
        assert service.longlist_summary(ws, iid, kind).file_name.endswith("clean.csv")


def test_text_in_a_number_column_is_refused_naming_the_row(tmp_path: Path) -> None:
    framework, kind = next((fw, k) for fw, kinds in KINDS.items() for k in kinds
                           if any(c.type == "number" for c in kind_of(fw, k).columns))
    ws, iid = _workspace(tmp_path, framework)
    with ws:
        g = generate(kind_of(framework, kind), 200, faults=("text_in_number",))
        bad = write_csv(g, tmp_path / "bad.csv")
        message = _refused(ws, lambda: service.import_longlist(ws, iid, kind, bad),
                           "not a number")
    assert f"row {g.fault_rows['text_in_number']}" in message


def test_a_200000_row_file_is_refused_in_one_line(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "dipp-2025")
    g = generate(kind_of("dipp-2025", "dipp"), 2)
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(g.header)
        for n in range(200_000):
            w.writerow([f"Z{n:07d}", *g.rows[0][1:]])
    with ws:  # over the row cap, or over the size cap first: either way before it is held
        _refused(ws, lambda: service.import_longlist(ws, iid, "dipp", path),
                 "more than 100,000 cases|larger than 32 MB")


def test_the_provisional_list_is_a_tracked_export(tmp_path: Path) -> None:
    """It holds names and facts about people on probation in plaintext: Ready to return lists it."""
    from hmip_desktop.laptop_return.exports import list_exports  # noqa: PLC0415

    ws, iid = _workspace(tmp_path, "nps-2019-20")
    path = write_csv(generate(kind_of("nps-2019-20", "primary"), 400), tmp_path / "long.csv")
    with ws:
        service.import_longlist(ws, iid, "primary", path)
        service.draw_provisional(ws, iid, "primary", "3", size=20)
        exported = service.export_provisional(ws, iid, "primary", tmp_path / "out.xlsx")
        [listed] = list_exports(ws)
    assert (listed.path, listed.what_words, listed.outstanding) == (
        str(exported), "provisional list of the case sample (XLSX)", True)


def test_formula_text_is_kept_as_text_in_the_organisations_workbook(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "nps-2019-20")
    g = generate(kind_of("nps-2019-20", "primary"), 400)
    for row in g.rows:
        row[-1] = FORMULA  # the organisation's own column: a link on every case
    path = write_csv(g, tmp_path / "links.csv")
    with ws:
        service.import_longlist(ws, iid, "primary", path)
        service.draw_provisional(ws, iid, "primary", "3", size=20)
        exported = service.export_provisional(ws, iid, "primary", tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(exported).worksheets[0]
    column = [c.value for c in sheet[1]].index("Local reference")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == 25  # 20 and the rules' 5 reserves (the 20% margin would give 4)
    assert all(c.value == FORMULA and c.data_type == "s" for c in cells)
    with zipfile.ZipFile(exported) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the sheet


def test_a_returned_list_with_a_case_not_on_it_is_refused_naming_the_row(
        tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "nps-2019-20")
    with ws:
        service.import_longlist(ws, iid, "primary",
                                _longlist(tmp_path, "nps-2019-20", "primary"))
        drawn = service.draw_provisional(ws, iid, "primary", "9", size=10)
        exported = service.export_provisional(ws, iid, "primary", tmp_path / "out.xlsx")
        stranger = _returned(exported, tmp_path / "back.xlsx",
                             extra_row=["Z999999", "", "", "", "", "", "", "", "", "", "", "",
                                        "", "", "", "", "", "", "yes", "yes"])
        message = _refused(ws, lambda: service.import_returned(ws, iid, "primary", stranger),
                           "not on the provisional list")
        assert f"row {len(drawn.provisional) + 2}" in message
        blank = tmp_path / "blank.xlsx"
        book = openpyxl.load_workbook(exported)
        book.save(blank)  # nothing filled in
        _refused(ws, lambda: service.import_returned(ws, iid, "primary", blank), "yes or no")
        _refused(ws, lambda: service.finalise(ws, iid, "primary"), "returned")


@pytest.mark.parametrize("seed", ["twelve", "-4", "1.5", "", "12e3", "１２"])
def test_a_seed_that_is_not_a_whole_number_is_refused(tmp_path: Path, seed: str) -> None:
    ws, iid = _workspace(tmp_path, "dipp-2025")
    with ws:
        service.import_longlist(ws, iid, "dipp", _longlist(tmp_path, "dipp-2025", "dipp", 200))
        _refused(ws, lambda: service.draw_provisional(ws, iid, "dipp", seed), "seed")


def test_once_final_the_long_list_and_the_draw_stay_and_a_reserve_replaces_a_case(
        tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "youth-2019-20")
    with ws:
        for kind in KINDS["youth-2019-20"]:
            service.import_longlist(ws, iid, kind, _longlist(tmp_path, "youth-2019-20", kind))
        service.draw_provisional(ws, iid, "out_of_court", "77")
        exported = service.export_provisional(ws, iid, "out_of_court", tmp_path / "o.xlsx")
        service.import_returned(ws, iid, "out_of_court", _returned(exported, tmp_path / "b.xlsx"))
        final = service.finalise(ws, iid, "out_of_court").draw
        again = _longlist(tmp_path, "youth-2019-20", "out_of_court", seed=5)
        _refused(ws, lambda: service.import_longlist(ws, iid, "out_of_court", again),
                 "already drawn")
        _refused(ws, lambda: service.draw_provisional(ws, iid, "out_of_court", "78"),
                 "already drawn")
        _refused(ws, lambda: service.finalise(ws, iid, "out_of_court"), "already drawn")
        _refused(ws, lambda: service.use_reserve(ws, iid, "out_of_court", "NOT-A-CASE",
                                                 "Moved away."), "not in the final sample")

        groups = {final.strata[ref] for ref in final.reserves}
        out = next(ref for ref in final.final if final.strata[ref] in groups)
        _refused(ws, lambda: service.use_reserve(ws, iid, "out_of_court", out, " "), "reason")
        swap = service.use_reserve(ws, iid, "out_of_court", out, "Moved out of the area.")
        assert swap.stratum == final.strata[out] == final.strata[swap.in_case]
        assert swap.in_case in {c.case.case_ref for c in ws.list_cases(iid)}
        report = service.report(ws, iid, "out_of_court")
        assert [(s.out_case, s.in_case, s.reason) for s in report.swaps] == [
            (out, swap.in_case, "Moved out of the area.")]
        assert "sample_reserve" in [e.action for e in ws.history()]
        # The post-court list is untouched and may still be replaced.
        service.import_longlist(ws, iid, "post_court",
                                _longlist(tmp_path, "youth-2019-20", "post_court", seed=6))


def test_the_sample_kind_must_be_the_frameworks(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "nps-2019-20")
    path = _longlist(tmp_path, "nps-2019-20", "primary", 50)
    with ws:
        message = _refused(ws, lambda: service.import_longlist(ws, iid, "post_court", path),
                           "not a sample kind")
        assert "primary" in message
        _refused(ws, lambda: service.draw_provisional(ws, iid, "primary", "1"),
                 "import the .* long list first")


def test_the_csv_written_by_a_spreadsheet_reads_like_the_workbook(tmp_path: Path) -> None:
    # The organisation may return the provisional list saved as CSV.
    ws, iid = _workspace(tmp_path, "dipp-2025")
    with ws:
        service.import_longlist(ws, iid, "dipp", _longlist(tmp_path, "dipp-2025", "dipp", 300))
        drawn = service.draw_provisional(ws, iid, "dipp", "2", size=12)
        exported = service.export_provisional(ws, iid, "dipp", tmp_path / "d.xlsx")
        back = openpyxl.load_workbook(_returned(exported, tmp_path / "b.xlsx")).worksheets[0]
        text = io.StringIO()
        csv.writer(text).writerows([[c.value or "" for c in row] for row in back.iter_rows()])
        path = tmp_path / "b.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        assert service.import_returned(ws, iid, "dipp", path).cases == len(drawn.provisional)
    assert len(drawn.provisional) == 17  # 12, and the rules' 5 reserves (20% would be 3)


def test_the_data_workbook_carries_the_evidence_that_the_sample_is_fair(tmp_path: Path) -> None:
    from hmip_desktop.consolidation.export import write_workbook  # noqa: PLC0415

    ws, iid = _workspace(tmp_path, "dipp-2025")
    with ws:
        empty = write_workbook(ws, iid, tmp_path / "before.xlsx")
        service.import_longlist(ws, iid, "dipp", _longlist(tmp_path, "dipp-2025", "dipp", 300))
        drawn = service.draw_provisional(ws, iid, "dipp", "8080", size=20)
        report = service.report(ws, iid, "dipp")
        out = write_workbook(ws, iid, tmp_path / "data.xlsx")
    rows = [[c.value for c in row] for row in
            openpyxl.load_workbook(out)["Case sample"].iter_rows()]
    assert rows[0] == ["Sample", "What", "Value", "Population", "Population %", "Sample cases",
                       "Sample %"]
    facts = {r[1]: r[2] for r in rows[1:]}
    assert facts["Seed"] == "8080" and facts["Stage"] == "provisional sample"
    assert facts["Margin of error at 80% confidence"] == f"±{report.margin_of_error_points} points"
    shares = {r[1]: (r[3], r[5]) for r in rows[1:] if r[3] is not None}
    assert sum(sample for _pop, sample in shares.values()) == len(drawn.final) == 20
    assert sum(pop for pop, _sample in shares.values()) == drawn.population
    assert [[c.value for c in row] for row in openpyxl.load_workbook(empty)[
        "Case sample"].iter_rows()][1][0] == "the sample was not drawn in this workspace"


def test_the_organisations_mark_excludes_only_once_the_lead_confirms_it(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "youth-2019-20")
    with ws:
        summary = service.import_longlist(ws, iid, "out_of_court",
                                          _longlist(tmp_path, "youth-2019-20", "out_of_court"))
        flags = service.exclusion_flags(ws, iid, "out_of_court")
        out = {f.case_ref for f in flags if f.excluded}
        marks = [f for f in flags if f.rule == "marked"]
        assert len(marks) == summary.marked > 0
        marks.sort(key=lambda f: f.case_ref in out)  # one no other rule excludes, first
        assert all(f.marked and not f.firm and not f.excluded for f in marks)
        service.decide_exclusion(ws, iid, "out_of_court", marks[0].case_ref, "marked", True,
                                 "The organisation's note is right: transferred out.")
        after = service.longlist_summary(ws, iid, "out_of_court")
        assert after.eligible == summary.eligible - 1
        assert after.excluded_per_rule[stored_list.MARKED_WORDS] == 1
        drawn = service.draw_provisional(ws, iid, "out_of_court", "5", size=40)
        assert marks[0].case_ref not in drawn.provisional
        assert service.report(ws, iid, "out_of_court").excluded_per_rule[
            stored_list.MARKED_WORDS] == 1


@pytest.mark.parametrize(("framework", "kind"), all_kinds())
def test_every_final_case_carries_every_case_fact_its_framework_needs(
        tmp_path: Path, framework: str, kind: str) -> None:
    """The final cases are imported as the sample file would be: no case fact left blank."""
    ws, iid = _workspace(tmp_path, framework)
    with ws:
        service.import_longlist(ws, iid, kind, _longlist(tmp_path, framework, kind, 300))
        drawn = service.draw_provisional(ws, iid, kind, "7", size=12)
        exported = service.export_provisional(ws, iid, kind, tmp_path / f"{kind}.xlsx")
        service.import_returned(ws, iid, kind, _returned(exported, tmp_path / "back.xlsx"))
        final = service.finalise(ws, iid, kind)
        assert final.cases_added == len(final.draw.final) > 0
        assert set(final.draw.final) <= set(drawn.provisional)
        fw = ws.inspection_framework(iid)
        for c in ws.list_cases(iid):
            for fact in fw.case_facts:
                value = c.case.facts.get(fact.id, "")
                assert value in fact.values, (c.case.case_ref, fact.id, value)


def test_the_draw_uses_the_rules_spread_and_reserve_count(tmp_path: Path) -> None:
    """The adult primary sample spreads each stratum across PDUs and keeps 5 reserves."""
    ws, iid = _workspace(tmp_path, "nps-2019-20")
    with ws:
        service.import_longlist(ws, iid, "primary", _longlist(tmp_path, "nps-2019-20",
                                                              "primary", 600))
        drawn = service.draw_provisional(ws, iid, "primary", "11", size=20)
        candidates = stored_list.stored_population(ws, iid, "primary").candidates
    assert len(drawn.reserves) == 5 and len(drawn.provisional) == 25
    spread = draw(DrawRequest(candidates, 20, 11, spread=True, reserves=5))
    assert drawn.provisional == tuple(c.case_id for c in spread.provisional)
    unspread = draw(DrawRequest(candidates, 20, 11, spread=False, reserves=5))
    assert drawn.provisional != tuple(c.case_id for c in unspread.provisional)


def test_cells_with_quotes_backslashes_and_accents_come_back_as_imported(tmp_path: Path) -> None:
    ws, iid = _workspace(tmp_path, "dipp-2025")
    g = generate(kind_of("dipp-2025", "dipp"), 60)
    odd = ['Ffion "Fi" Ó Briain', "C:\\files\\note", "tab\there", "Zoë – Łukasz", "\u2028line"]
    for i, row in enumerate(g.rows):
        row[-1] = odd[i % len(odd)]
    with ws:
        service.import_longlist(ws, iid, "dipp", write_csv(g, tmp_path / "odd.csv"))
        stored = [r.cells[-1] for r in records.longlist_rows(ws, iid, "dipp")]
    assert stored == [odd[i % len(odd)] for i in range(60)]
