"""A standard's key questions as horizontal bars (percentage 'yes') with the rating band lines.

Drawn with QPainter rather than QtCharts: QtCharts ships only in PySide6-Addons, which would
add well over 100 MB to the frozen app for one kind of chart (docs/architecture.md). The
geometry is exposed (``x_for``, ``bar_rect``, ``band_lines``) so tests check where a bar ends
without reading pixels.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from hmip_desktop.gui.common.qt import Qt, QtCore, QtGui, QtWidgets
from hmip_desktop.gui.lead.common import RATING_COLOURS, rating_label
from hmip_desktop.i18n import _

DEFAULT_BAND_LINES = (50, 65, 80)
NO_BAND_COLOUR = "#505a5f"


def legend_entries(bands: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    """(colour, words) for each rating band, lowest first, from (band, lowest percent) pairs.

    A bar takes the colour of the band its percentage falls in (000_ §7.1); these are the words
    shown beside each colour, with the band's range, so the colours need no guessing.
    """
    out = []
    for i, (band, low) in enumerate(bands):
        high = bands[i + 1][1] - 1 if i + 1 < len(bands) else None
        span = (_("below {hi}%").format(hi=high + 1) if i == 0 and high is not None
                else _("{lo}% and over").format(lo=low) if high is None
                else _("{lo}–{hi}%").format(lo=low, hi=high))
        out.append((RATING_COLOURS.get(band, NO_BAND_COLOUR),
                    f"{rating_label(band)} ({span})"))
    return out


def legend_html(bands: Sequence[tuple[str, int]], lines: Sequence[int]) -> str:
    """The chart's legend as rich text: a coloured square and the band's words, then the lines."""
    swatches = " &nbsp; ".join(
        f'<span style="color:{colour}">&#9632;</span>&nbsp;{html.escape(words)}'
        for colour, words in legend_entries(bands))
    text = _("Bar colours: the band each percentage falls in.") + "<br>" + swatches
    if lines:
        text += "<br>" + html.escape(_("Dashed lines: the band boundaries at {lines} %.").format(
            lines=", ".join(str(x) for x in lines)))
    return text


@dataclass(frozen=True)
class Bar:
    kq_id: str
    percent: int | None
    band: str | None = None


class KqChart(QtWidgets.QWidget):
    """Each key question's percentage as a bar from 0 to 100, band lines drawn across."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[Bar, ...] = ()
        self.lines: tuple[int, ...] = DEFAULT_BAND_LINES
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName(_("Chart of key-question percentages"))
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[Bar], band_lines: Sequence[int] = DEFAULT_BAND_LINES
                 ) -> None:
        self.bars = tuple(bars)
        self.lines = tuple(band_lines)
        no_cases = _("no cases")
        self.setAccessibleDescription("; ".join(
            f"{b.kq_id}: {b.percent}%" if b.percent is not None
            else f"{b.kq_id}: {no_cases}" for b in self.bars))
        self.updateGeometry()
        self.update()

    # -- geometry --------------------------------------------------------------------------

    def _row_height(self) -> int:
        return max(self.fontMetrics().height() + 10, 22)

    def _top(self) -> int:
        return self.fontMetrics().height() + 8

    def plot_rect(self) -> QtCore.QRectF:
        """Where 0 % (left edge) to 100 % (right edge) lie."""
        fm = self.fontMetrics()
        label = max((fm.horizontalAdvance(b.kq_id) for b in self.bars), default=0) + 16
        right = fm.horizontalAdvance(" 100% ") + 8
        height = self._row_height() * max(len(self.bars), 1)
        return QtCore.QRectF(label, self._top(), max(self.width() - label - right, 40), height)

    def x_for(self, percent: float) -> float:
        plot = self.plot_rect()
        return plot.left() + plot.width() * percent / 100

    def bar_rect(self, row: int) -> QtCore.QRectF:
        """The bar of the ``row``-th key question; zero wide when it has no cases."""
        plot = self.plot_rect()
        h = self._row_height()
        bar_h = round(h * 0.6)
        percent = self.bars[row].percent or 0
        top = plot.top() + row * h + (h - bar_h) / 2
        return QtCore.QRectF(plot.left(), top, self.x_for(percent) - plot.left(), bar_h)

    def band_lines(self) -> list[tuple[int, QtCore.QLineF]]:
        plot = self.plot_rect()
        return [(p, QtCore.QLineF(self.x_for(p), plot.top() - 2, self.x_for(p), plot.bottom()))
                for p in self.lines]

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(480, self._top() + self._row_height() * max(len(self.bars), 1) + 8)

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(240, self.sizeHint().height())

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QtGui.QPalette.ColorRole.WindowText)
        fm = self.fontMetrics()
        plot = self.plot_rect()
        p.fillRect(plot, palette.color(QtGui.QPalette.ColorRole.Base))
        p.setPen(QtGui.QPen(palette.color(QtGui.QPalette.ColorRole.Mid), 1))
        p.drawRect(plot)
        h = self._row_height()
        labels: list[tuple[QtCore.QRectF, str]] = []
        for i, bar in enumerate(self.bars):
            row_top = plot.top() + i * h
            p.setPen(text)
            p.drawText(QtCore.QRectF(0, row_top, plot.left() - 8, h),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       bar.kq_id)
            rect = self.bar_rect(i)
            colour = QtGui.QColor(RATING_COLOURS.get(bar.band or "", NO_BAND_COLOUR))
            p.fillRect(rect, colour)
            label = f"{bar.percent}%" if bar.percent is not None else _("no cases")
            box = QtCore.QRectF(rect.right() + 3, rect.top(), fm.horizontalAdvance(label) + 4,
                                rect.height())
            labels.append((box, label))
        pen = QtGui.QPen(text, 1, Qt.PenStyle.DashLine)
        for percent, line in self.band_lines():
            p.setPen(pen)
            p.drawLine(line)
            p.setPen(text)
            mark = str(percent)
            w = fm.horizontalAdvance(mark)
            p.drawText(QtCore.QPointF(line.x1() - w / 2, plot.top() - 6), mark)
        # The percentages last, on the base colour, so a band line never crosses them.
        for box, label in labels:
            p.fillRect(box, palette.color(QtGui.QPalette.ColorRole.Base))
            p.setPen(text)
            p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
        p.end()
