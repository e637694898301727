"""The key-question chart and the printed table layout, from hand-made tables (geometry, not
pixels)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from hmip_desktop.consolidation.tables import KqRow, StandardTable
from hmip_desktop.gui.lead.chart import Bar, KqChart, legend_entries, legend_html
from hmip_desktop.gui.lead.common import RATING_COLOURS
from hmip_desktop.gui.lead.tables import NOT_APPLICABLE, SUBSAMPLE_NOTE, StandardTableModel

pytestmark = pytest.mark.gui


def row(kq: str, yes: int, no: int, na: int = 0, band: str | None = None) -> KqRow:
    n = yes + no
    pct = (200 * yes + n) // (2 * n)
    return KqRow(kq, f"Question {kq}?", yes, no, na, n, pct, Fraction(100 * yes, n), band,
                 na > 0)


# The manual's example (000_ §7.1): 95/35, 86/44, 53/42 with a sub-sample on D 3.
EXAMPLE = StandardTable("2.3", "Implementation and delivery", "cases",
                        (row("2.3.1", 95, 35, band="good"), row("2.3.2", 86, 44, band="good"),
                         row("2.3.3", 53, 42, na=35, band="requires_improvement")),
                        "requires_improvement", ())


def test_each_bar_ends_at_its_percentage_and_band_lines_sit_at_50_65_80(qtbot: Any) -> None:
    chart = KqChart()
    qtbot.addWidget(chart)
    chart.resize(600, 200)
    chart.set_bars([Bar("2.3.1", 73, "good"), Bar("2.3.2", 66, "good"),
                    Bar("2.3.3", 56, "requires_improvement"), Bar("2.3.4", None)])
    plot = chart.plot_rect()
    assert plot.width() > 300
    for i, percent in enumerate((73, 66, 56)):
        bar = chart.bar_rect(i)
        assert bar.left() == pytest.approx(plot.left())
        assert bar.right() == pytest.approx(plot.left() + plot.width() * percent / 100)
        assert plot.top() <= bar.top() < bar.bottom() <= plot.bottom()
    assert chart.bar_rect(3).width() == 0  # no cases: no bar
    assert chart.bar_rect(0).top() < chart.bar_rect(1).top() < chart.bar_rect(2).top()
    lines = chart.band_lines()
    assert [p for p, _line in lines] == [50, 65, 80]
    for percent, line in lines:
        assert line.x1() == line.x2() == pytest.approx(plot.left() + plot.width() * percent / 100)
        assert line.y2() == pytest.approx(plot.bottom())
    assert chart.x_for(0) == pytest.approx(plot.left())
    assert chart.x_for(100) == pytest.approx(plot.right())
    assert "2.3.1: 73%" in chart.accessibleDescription()


def test_bars_follow_a_resize(qtbot: Any) -> None:
    chart = KqChart()
    qtbot.addWidget(chart)
    chart.set_bars([Bar("1", 50, "requires_improvement")])
    chart.resize(400, 100)
    narrow = chart.bar_rect(0).width()
    chart.resize(800, 100)
    assert chart.bar_rect(0).width() > narrow
    assert chart.bar_rect(0).right() == pytest.approx(chart.band_lines()[0][1].x1())


def test_table_reads_as_the_manual_prints_it(qtbot: Any) -> None:
    model = StandardTableModel()
    model.set_table(EXAMPLE)
    rows = [[model.text(r, c) for c in range(4)] for r in range(model.rowCount())]
    assert rows[:3] == [["2.3.1", "Question 2.3.1?", "#", "%"], ["", "Yes", "95", "73%"],
                        ["", "No", "35", "27%"]]
    assert rows[3:6] == [["2.3.2", "Question 2.3.2?", "#", "%"], ["", "Yes", "86", "66%"],
                         ["", "No", "44", "34%"]]
    assert rows[6:] == [["2.3.3", "Question 2.3.3?", "#", "%"], ["", SUBSAMPLE_NOTE, "", ""],
                        ["", "Yes", "53", "56%"], ["", "No", "42", "44%"],
                        ["", NOT_APPLICABLE, "35", ""]]
    assert SUBSAMPLE_NOTE == "Note: question not applicable for all cases"


def test_the_legend_says_what_each_bar_colour_means() -> None:
    bands = [("inadequate", 0), ("requires_improvement", 50), ("good", 65), ("outstanding", 80)]
    entries = legend_entries(bands)
    assert [words for _c, words in entries] == [
        "Inadequate (below 50%)", "Requires improvement (50–64%)", "Good (65–79%)",
        "Outstanding (80% and over)"]
    # each colour is the one its bars are painted in
    assert [c for c, _w in entries] == [RATING_COLOURS[b] for b, _low in bands]
    text = legend_html(bands, (50, 65, 80))
    assert "Bar colours" in text and "Dashed lines: the band boundaries at 50, 65, 80 %" in text
