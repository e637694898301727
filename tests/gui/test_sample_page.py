"""The lead's case sample page, driven through its real widgets.

A generated long list of the NPS primary sample goes the whole way: imported, a flag
overruled with a reason, drawn with a seed, exported, returned, made final (its cases then in
the set-up window's allocation list, nothing re-typed), a reserve used. A bad file shows each
refused row and changes nothing; a bad seed is refused in one line; the fairness table shows
the numbers the service computes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead import sample_tabs
from hmip_desktop.gui.lead.sample_page import SamplePage
from hmip_desktop.gui.lead.setup_window import SetupDialog
from hmip_desktop.sampling import progress, provisional_file, service
from hmip_desktop.setup.apply import allocate_evenly
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.workspace import Workspace
from tests.sampling.longlists import FIELDWORK, generate, kind_of, write_csv

pytestmark = pytest.mark.gui

PASSPHRASE = "a sample page test passphrase, invented"
KIND = "primary"


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    ws = Workspace.create(tmp_path / "lead", PASSPHRASE, owner_name="Jules Pennyfold",
                          role="lead")
    iid = ws.create_inspection(
        title="Sample page test", organisation="Wales",
        framework_bytes=resource("frameworks", "nps-2019-20.json").read_bytes(),
        fieldwork_start=FIELDWORK.isoformat(), fieldwork_end="2026-09-11")
    for name, role in (("Robin Quillfeather", "assessor"), ("Casey Marrowby", "assessor"),
                       ("Morgan Thistlecombe", "qa")):
        ws.add_member(iid, name=name, role=role)
    with ws:
        yield ws, iid


@pytest.fixture
def page(qtbot: Any, lead: tuple[Workspace, str]) -> SamplePage:
    ws, iid = lead
    p = SamplePage(ws, iid)
    qtbot.addWidget(p)
    p.show()
    p.kind.setCurrentIndex(p.kind.findData(KIND))
    return p


def _longlist(tmp_path: Path, n: int = 900, faults: tuple[str, ...] = ()) -> tuple[Path, Any]:
    g = generate(kind_of("nps-2019-20", KIND), n, seed=3, faults=faults)
    return write_csv(g, tmp_path / f"long-{'-'.join(faults) or 'clean'}.csv"), g


def _open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(path), ""))


def _answer_text(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: (text, True))


def _cells(view: QtWidgets.QTableView) -> list[list[str]]:
    m = view.model()
    return [[str(m.index(r, c).data()) for c in range(m.columnCount())]
            for r in range(m.rowCount())]


def _returned(exported: Path, out: Path, *, stranger: str = "") -> Path:
    """The organisation's return: one practitioner in eight unavailable, consent throughout
    (and, if named, a ``stranger`` case that was not on the provisional list)."""
    book = openpyxl.load_workbook(exported)
    sheet = book.worksheets[0]
    head = [c.value for c in sheet[1]]
    available = head.index(provisional_file.AVAILABLE) + 1
    consent = head.index(provisional_file.CONSENT) + 1
    for n in range(2, sheet.max_row + 1):
        sheet.cell(n, available, "no" if n % 8 == 0 else "yes")
        sheet.cell(n, consent, "yes")
    if stranger:
        sheet.append([stranger] + [""] * (available - 2) + ["yes", "yes"])
    book.save(out)
    return out


def _enabled(page: SamplePage) -> dict[str, bool]:
    return {name: getattr(page, name).isEnabled()
            for name in ("import_button", "draw_button", "export_button", "returned_button",
                         "final_button", "reserve_button")}


def test_a_generated_long_list_goes_from_import_to_allocation(
        qtbot: Any, page: SamplePage, lead: tuple[Workspace, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws, iid = lead
    assert _enabled(page) == {"import_button": True, "draw_button": False,
                              "export_button": False, "returned_button": False,
                              "final_button": False, "reserve_button": False}
    assert page.seed.text().isdigit()  # a fresh seed the lead may keep or change

    path, _g = _longlist(tmp_path)
    _open_file(monkeypatch, path)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    summary = service.longlist_summary(ws, iid, KIND)
    assert page.message.property("kind") == "done"
    text = page.summary.text.text()
    assert "Cases on the long list: 900" in text
    assert f"Eligible for the draw: {summary.eligible:,}" in text
    for words, n in summary.excluded_per_rule.items():
        assert f"{progress.rule_sentence(words)}: {n:,}" in text  # in the manual's words
    assert _enabled(page)["draw_button"] and not _enabled(page)["export_button"]

    # A flag overruled with a reason: the flag list says so, and the case is back in the draw.
    page.tabs.setCurrentWidget(page.flags)
    flags = page.flags.view
    assert flags.model().rowCount() == len(service.exclusion_flags(ws, iid, KIND)) > 0
    row = next(r for r, f in enumerate(page.flags.model.rows) if f.firm)
    ref = page.flags.model.rows[row].case_ref
    page.flags.select(row)
    _answer_text(monkeypatch, "The requirement was added on appeal.")
    qtbot.mouseClick(page.flags.overrule, Qt.MouseButton.LeftButton)
    shown = next(r for r in _cells(flags) if r[1] == ref)
    assert shown[4] == "Overruled: The requirement was added on appeal." and shown[5] == "Yes"
    page.flags.select(row)
    assert page.flags.detail.text().startswith(f"Row {page.flags.model.rows[row].row}, case {ref}")
    assert "Overruled: The requirement was added on appeal." in page.flags.detail.text()
    assert service.longlist_summary(ws, iid, KIND).eligible >= summary.eligible

    page.seed.setText("4242")
    qtbot.mouseClick(page.draw_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "done", page.message.text()
    drawn = _cells(page.drawn.view)
    assert len(drawn) == 120  # Wales: 100 final cases, and 20% more on the provisional list
    assert all(r[1] and "_" not in r[1] for r in drawn)  # strata in the long list's words
    assert not page.flags.overrule.isEnabled()  # the draw was made on the decisions as they were
    assert _enabled(page)["export_button"] and not _enabled(page)["final_button"]

    out = tmp_path / "provisional.xlsx"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert out.exists() and "personal data in plaintext" in page.message.text()

    # A returned list with a case that was not on the provisional list: its row named, and
    # nothing imported.
    shown: list[sample_tabs.RefusedRowsDialog] = []
    monkeypatch.setattr(sample_tabs.RefusedRowsDialog, "exec",
                        lambda self: shown.append(self) or 0)
    _open_file(monkeypatch, _returned(out, tmp_path / "stranger.xlsx", stranger="Z999999"))
    qtbot.mouseClick(page.returned_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "refused"
    assert [shown[0].rows.item(i).text() for i in range(shown[0].rows.count())] == [
        "Row 122: this case was not on the provisional list"]
    assert not progress.progress(ws, iid, KIND).has_returned
    assert not page.final_button.isEnabled()

    _open_file(monkeypatch, _returned(out, tmp_path / "returned.xlsx"))
    qtbot.mouseClick(page.returned_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "done", page.message.text()
    assert _enabled(page)["final_button"]

    qtbot.mouseClick(page.final_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "done", page.message.text()
    final = progress.final_cases(ws, iid, KIND)
    assert len(final) == 100
    assert _enabled(page) == {"import_button": False, "draw_button": False,
                              "export_button": True, "returned_button": False,
                              "final_button": False, "reserve_button": True}

    # The set-up window's allocation list holds the final cases, nothing re-typed.
    setup = SetupDialog(ws)
    qtbot.addWidget(setup)
    setup.inspection.setCurrentIndex(setup.inspection.findData(iid))
    listed = {setup.cases.item(r, 0).text() for r in range(setup.cases.rowCount())}
    assert listed == set(final)
    assert allocate_evenly(ws, iid, [FIELDWORK]).allocation.assignments

    # A reserve: refused without a reason, then swapped for one of the same stratum.
    out_case = final[0]
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda *a, **k: (out_case, True))
    _answer_text(monkeypatch, "  ")
    qtbot.mouseClick(page.reserve_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "refused"
    assert progress.final_cases(ws, iid, KIND) == final
    _answer_text(monkeypatch, "Transferred to another region before fieldwork.")
    qtbot.mouseClick(page.reserve_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "done", page.message.text()
    assert out_case not in progress.final_cases(ws, iid, KIND)
    parts = {r[0]: r[2] for r in _cells(page.drawn.view)}
    assert parts[out_case] == "Replaced by a reserve"
    assert "Transferred to another region" in page.evidence.rest.text()


def test_a_bad_long_list_shows_every_refused_row_and_changes_nothing(
        qtbot: Any, page: SamplePage, lead: tuple[Workspace, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws, iid = lead
    path, g = _longlist(tmp_path, 300, faults=("bad_date", "duplicate_id"))
    shown: list[sample_tabs.RefusedRowsDialog] = []
    monkeypatch.setattr(sample_tabs.RefusedRowsDialog, "exec",
                        lambda self: shown.append(self) or 0)
    _open_file(monkeypatch, path)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)

    assert page.message.property("kind") == "refused"
    assert "\n" not in page.message.text()
    rows = [shown[0].rows.item(i).text() for i in range(shown[0].rows.count())]
    for fault in ("bad_date", "duplicate_id"):
        assert any(r.startswith(f"Row {g.fault_rows[fault]}: ") for r in rows), (fault, rows)
    assert progress.progress(ws, iid, KIND) == progress.Progress(False, False, False, False)
    assert not page.draw_button.isEnabled()
    assert "No long list yet" in page.summary.text.text()


def test_a_long_import_shows_the_wait_cursor_until_it_is_done(
        qtbot: Any, page: SamplePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real = service.import_longlist

    def watched(*args: Any) -> Any:
        cursor = QtWidgets.QApplication.overrideCursor()
        seen.append(cursor.shape() if cursor is not None else None)
        return real(*args)

    monkeypatch.setattr(service, "import_longlist", watched)
    _open_file(monkeypatch, _longlist(tmp_path, 200)[0])
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert seen == [Qt.CursorShape.WaitCursor]
    assert QtWidgets.QApplication.overrideCursor() is None  # and back to normal afterwards
    assert page.message.property("kind") == "done"


def test_a_bad_seed_is_refused_in_one_line_and_nothing_is_drawn(
        qtbot: Any, page: SamplePage, lead: tuple[Workspace, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws, iid = lead
    _open_file(monkeypatch, _longlist(tmp_path, 400)[0])
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    page.final_size.setValue(40)
    page.seed.setText("twelve")
    qtbot.mouseClick(page.draw_button, Qt.MouseButton.LeftButton)
    assert page.message.property("kind") == "refused"
    assert "seed" in page.message.text() and "\n" not in page.message.text()
    assert not progress.progress(ws, iid, KIND).has_provisional
    assert page.drawn.view.model().rowCount() == 0
    assert not page.export_button.isEnabled()


def test_the_fairness_table_shows_the_numbers_the_service_computes(
        qtbot: Any, page: SamplePage, lead: tuple[Workspace, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws, iid = lead
    _open_file(monkeypatch, _longlist(tmp_path, 900)[0])
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    page.seed.setText("20260907")
    qtbot.mouseClick(page.draw_button, Qt.MouseButton.LeftButton)
    report = service.report(ws, iid, KIND)
    rules = ws.inspection_framework(iid).sampling.kind(KIND)  # type: ignore[union-attr]

    table = _cells(page.evidence.view)
    assert table == [[s.variable, progress.share_value(rules, s), f"{s.population:,}",
                      f"{s.population_percent:.1f}%", f"{s.sample:,}",
                      f"{s.sample_percent:.1f}%"] for s in report.shares]
    assert {r[0] for r in table} == {rules.column(v).label
                                     for v in rules.stratification.variables}
    assert all("_" not in r[1] for r in table)  # values as the long list labels them
    head = page.evidence.head.text()
    assert f"±{report.margin_of_error_points:.1f} percentage points" in head
    assert "seed 20260907" in head
    assert f"{report.sample} cases drawn from {report.population:,} eligible" in head
    rest = page.evidence.rest.text()
    for words, n in report.excluded_per_rule.items():
        assert f"{progress.rule_sentence(words)}: {n:,}" in rest


def _shown_texts(page: SamplePage) -> list[str]:
    """Every label, button, tab and table cell (with its heading) the page shows."""
    texts = [w.text() for w in page.findChildren(QtWidgets.QLabel)]
    texts += [w.text() for w in page.findChildren(QtWidgets.QPushButton)]
    texts += [page.tabs.tabText(i) for i in range(page.tabs.count())]
    texts += [page.kind.itemText(i) for i in range(page.kind.count())]
    for view in page.findChildren(QtWidgets.QTableView):
        m = view.model()
        texts += [str(m.headerData(c, Qt.Orientation.Horizontal)) for c in range(m.columnCount())]
        texts += [cell for row in _cells(view) for cell in row]
    return [t for t in texts if t]


def test_the_leads_demo_opens_on_its_drawn_sample_in_inspectors_words(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hmip_desktop.exchange.demo_team import create_team_demo  # noqa: PLC0415
    from hmip_desktop.gui.lead import sample_page  # noqa: PLC0415
    from hmip_desktop.sampling import demo_sample  # noqa: PLC0415

    team = create_team_demo(tmp_path / "team", PASSPHRASE)
    opened: list[SamplePage] = []
    monkeypatch.setattr(sample_page.SamplePage, "exec", lambda self: opened.append(self) or 0)
    with Workspace.open(team["lead"], PASSPHRASE) as ws:
        setup = SetupDialog(ws)
        qtbot.addWidget(setup)
        button = next(b for b in setup.findChildren(QtWidgets.QPushButton)
                      if b.text() == "Case sample…")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        [page] = opened  # the set-up window's child, closed with it
        page.kind.setCurrentIndex(page.kind.findData(demo_sample.KIND))
        assert page.seed.text() == demo_sample.SEED  # the seed the draw was made with
        assert page.drawn.view.model().rowCount() == len(
            progress.drawn_cases(ws, setup.iid() or "", page.rules()))  # type: ignore[arg-type]
        assert page.drawn.view.model().rowCount() > demo_sample.FINAL_SIZE
        assert page.export_button.isEnabled() and not page.final_button.isEnabled()

        rules = page.rules()
        assert rules is not None
        internal = {rules.id, *(e.id for e in rules.exclusions), *(c.id for c in rules.columns),
                    *(v for c in rules.columns for v in c.choices if "_" in v)}
        internal = {i for i in internal if "_" in i}  # a plain word may be a word too
        assert "very_high" in internal and "post_custody" in internal
        words = " ".join(_shown_texts(page))
        found = sorted(i for i in internal if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])",
                                                        words))
        assert found == [], found  # no rule, column or choice ids on screen
