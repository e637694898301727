"""The consolidated tables: per standard, the key questions as the manuals print them (000_ §7.1).

Each key question is a block of rows: its code and text with the '#' and '%' headings, the
note "question not applicable for all cases" where a sub-sample was used, then Yes and No with
their counts and percentages. Above the table: the provisional rating and the discretion flags
with their reasons; beside it, the chart. Filters by PDU, team and case facts, and the
switch "Include cases in progress (provisional)", re-run the consolidation off the GUI thread;
made with the switch on, the table and the chart carry the mark "provisional: includes N cases
in progress". Above the table: how many cases were counted, which were left out and why, and
how many the QA partner has signed off. Double-click or Enter on a key question opens the cases
behind it (``lead_drilldown``). Under the table, the standard's key questions by the groups of a
reportable case fact (``subgroups.SubgroupsPanel``), unsuppressed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hmip_desktop.consolidation.count_notes import (
    counted_sentence,
    left_out_sentence,
    standard_counts,
)
from hmip_desktop.consolidation.counting import FINAL, PROVISIONAL, CountRule
from hmip_desktop.consolidation.pdu_tables import PduTables
from hmip_desktop.consolidation.tables import Filters
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.frameworks.provenance import drafted_words, marked
from hmip_desktop.gui.common.provenance import drafted_note
from hmip_desktop.gui.common.qt import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
    QtGui,
    QtWidgets,
    Signal,
)
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.case_data import PduView, ReportView
from hmip_desktop.gui.lead.chart import DEFAULT_BAND_LINES, Bar, KqChart, legend_html
from hmip_desktop.gui.lead.common import (
    RATING_COLOURS,
    AnyIndex,
    Column,
    RowsModel,
    flag_label,
    rating_label,
    table_view,
)
from hmip_desktop.gui.lead.subgroups import SubgroupsPanel
from hmip_desktop.i18n import _
from hmip_desktop.rules.ratings import whole_percent

SUBSAMPLE_NOTE = _("Note: question not applicable for all cases")
NOT_APPLICABLE = _("Not applicable (left out of the percentage)")


PROMPT_COLUMNS = (
    Column(_("Prompt"), lambda kp: kp[1].prompt_id),
    Column(_("Yes"), lambda kp: str(kp[1].yes)),
    Column(_("No"), lambda kp: str(kp[1].no)),
    Column(_("N/A"), lambda kp: str(kp[1].na)),
    Column(_("% yes"), lambda kp: "" if kp[1].percent is None else f"{kp[1].percent}%"),
    Column(_("Text"), lambda kp: kp[1].text),
)
"""Prompt-level counts (the data annexes'): the text last, on one line, in full in the
drill-down."""


@dataclass(frozen=True)
class _Line:
    kind: str  # "kq", "note", "yes", "no"
    row: Any  # the KqRow


def no_percent(row: Any) -> int | None:
    n = row.yes + row.no
    return None if n == 0 else whole_percent(row.no, n)


class StandardTableModel(QAbstractTableModel):
    """One standard's key questions, four columns as printed: code, text, '#', '%'."""

    COLUMNS = (_("Key question"), "", "#", "%")

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[_Line] = []
        self.table: Any = None
        self.drafted: frozenset[str] = frozenset()
        """Key questions whose text was drafted for the product: shown with the mark."""

    def set_table(self, table: Any) -> None:
        self.beginResetModel()
        self.table = table
        self.lines = []
        for row in table.rows if table is not None else ():
            self.lines.append(_Line("kq", row))
            if row.subsample:
                self.lines.append(_Line("note", row))
            self.lines.append(_Line("yes", row))
            self.lines.append(_Line("no", row))
            if row.na:
                self.lines.append(_Line("na", row))
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def text(self, line: int, col: int) -> str:
        kind, row = self.lines[line].kind, self.lines[line].row
        if kind == "kq":
            return (row.kq_id, marked(row.text, row.kq_id in self.drafted), "#", "%")[col]
        if kind == "note":
            return ("", SUBSAMPLE_NOTE, "", "")[col]
        if kind == "na":
            return ("", NOT_APPLICABLE, str(row.na), "")[col]
        count = row.yes if kind == "yes" else row.no
        percent = row.percent if kind == "yes" else no_percent(row)
        return ("", _("Yes") if kind == "yes" else _("No"), str(count),
                "" if percent is None else f"{percent}%")[col]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if line.kind in ("yes", "no"):
                return f"{line.row.kq_id} {self.text(index.row(), 1)}: " \
                       f"{self.text(index.row(), 2)}, {self.text(index.row(), 3)}"
            return self.text(index.row(), col)
        if (role == Qt.ItemDataRole.ToolTipRole and line.kind == "kq"
                and line.row.kq_id in self.drafted):
            return drafted_words()
        if role == Qt.ItemDataRole.FontRole and line.kind in ("kq", "note", "na"):
            font = QtGui.QFont()
            font.setBold(line.kind == "kq")
            font.setItalic(line.kind in ("note", "na"))
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and line.kind == "kq":
            return QtGui.QBrush(QtGui.QColor("#f3f2f1"))
        return None

    def kq_at(self, line: int) -> str | None:
        """The key question of the block a line belongs to."""
        return self.lines[line].row.kq_id if 0 <= line < len(self.lines) else None

    def counts(self) -> dict[str, tuple[int, int, int | None]]:
        """Key question → (yes, no, percent yes), as shown."""
        return {ln.row.kq_id: (ln.row.yes, ln.row.no, ln.row.percent)
                for ln in self.lines if ln.kind == "kq"}


def fact_label(framework: Framework | None, key: str) -> str:
    if key == "pdu":
        return _("PDU")
    if key == "team":
        return _("Team")
    if framework is not None and key in framework.fields_by_id:
        return framework.fields_by_id[key].label
    return key.replace("_", " ").capitalize()


def value_label(framework: Framework | None, key: str, value: str) -> str:
    if framework is not None and key in framework.fields_by_id:
        for c in framework.fields_by_id[key].choices:
            if c.value == value:
                return c.label
    return value


class FiltersBar(QtWidgets.QGroupBox):
    """One drop-down per filter that ``filter_options`` offers; 'All' leaves it out."""

    changed = Signal(object)  # Filters
    PER_ROW = 3

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(_("Filters"), parent)
        self.grid = QtWidgets.QGridLayout(self)
        self.grid.setContentsMargins(8, 4, 8, 4)
        self.combos: dict[str, QtWidgets.QComboBox] = {}
        self.clear_button = QtWidgets.QPushButton(_("Clear filters"))
        self.clear_button.clicked.connect(self.clear)

    def set_options(self, options: Mapping[str, Sequence[str]],
                    framework: Framework | None) -> None:
        for combo in self.combos.values():
            combo.blockSignals(True)
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None and w is not self.clear_button:
                w.hide()  # at once: deleteLater waits for the event loop
                w.deleteLater()
        self.combos = {}
        shown = [(k, v) for k, v in options.items() if v]
        for i, (key, values) in enumerate(shown):
            label = QtWidgets.QLabel(fact_label(framework, key) + ":")
            combo = QtWidgets.QComboBox()
            combo.setAccessibleName(_("Filter by {what}").format(what=fact_label(framework,
                                                                                   key)))
            combo.addItem(_("All"), None)
            for v in values:
                combo.addItem(value_label(framework, key, v), v)
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(self._changed)
            label.setBuddy(combo)
            row, col = divmod(i, self.PER_ROW)
            self.grid.addWidget(label, row, 2 * col)
            self.grid.addWidget(combo, row, 2 * col + 1)
            self.combos[key] = combo
        self.grid.addWidget(self.clear_button, 0, 2 * self.PER_ROW)
        for col in range(self.PER_ROW):
            self.grid.setColumnStretch(2 * col + 1, 1)

    def filters(self) -> Filters:
        chosen = {k: c.currentData() for k, c in self.combos.items()
                  if c.currentData() is not None}
        pdu = chosen.pop("pdu", None)
        team = chosen.pop("team", None)
        return Filters(pdu=pdu, team=team, facts=chosen)

    def select(self, key: str, value: str | None) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def clear(self) -> None:
        for c in self.combos.values():
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self._changed()

    def _changed(self, *_args: object) -> None:
        self.changed.emit(self.filters())


class KqTableView(QtWidgets.QTableView):
    """The standard's table: Enter on a line opens the cases behind its key question."""

    drill = Signal(int)  # the line

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.currentIndex().isValid():
            self.drill.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


class TablesScreen(QtWidgets.QWidget):
    """Standards on the left; the chosen standard's table and chart on the right."""

    filters_changed = Signal(object)  # Filters
    drill_requested = Signal(str)  # key question id

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.consolidation: Any = None
        self.framework: Framework | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.filters = FiltersBar()
        self.filters.changed.connect(self.filters_changed)
        layout.addWidget(self.filters)
        self.provisional = QtWidgets.QCheckBox(_("Include cases in &progress (provisional)"))
        self.provisional.setToolTip(_(
            "Show the live picture: cases not yet marked complete count too. Not for "
            "publication: the panel summary and the workbook count completed cases only."))
        self.provisional.toggled.connect(
            lambda _on: self.filters_changed.emit(self.filters.filters()))
        layout.addWidget(self.provisional)
        self.mark = QtWidgets.QLabel()
        self.mark.setObjectName("provisionalMark")
        self.mark.setAccessibleName(_("Provisional figures"))
        self.mark.setStyleSheet("font-weight: bold; color: #d4351c;")
        self.mark.hide()
        layout.addWidget(self.mark)
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.standards = QtWidgets.QListWidget()
        self.standards.setAccessibleName(_("Standards"))
        self.standards.setWordWrap(True)
        self.standards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.standards.currentRowChanged.connect(self._show_standard)
        split.addWidget(self.standards)

        middle = QtWidgets.QWidget()
        mv = QtWidgets.QVBoxLayout(middle)
        mv.setContentsMargins(0, 0, 0, 0)
        self.title = heading("")
        mv.addWidget(self.title)
        self.standard_counts = QtWidgets.QLabel()
        self.standard_counts.setAccessibleName(_("Cases the standard rests on"))
        mv.addWidget(self.standard_counts)
        self.rating = QtWidgets.QLabel()
        self.rating.setObjectName("ratingBadge")
        self.rating.setAccessibleName(_("Provisional rating"))
        rating_row = QtWidgets.QHBoxLayout()
        rating_row.addWidget(self.rating)
        rating_row.addStretch(1)
        mv.addLayout(rating_row)
        self.discretion = QtWidgets.QLabel()
        self.discretion.setWordWrap(True)
        self.discretion.setAccessibleName(_("Discretion flags"))
        mv.addWidget(self.discretion)
        self.model = StandardTableModel()
        self.table = KqTableView()
        self.table.setModel(self.model)
        self.table.setToolTip(_("Double-click or press Enter on a key question to see the "
                                "cases behind it"))
        self.table.drill.connect(self._drill)
        self.table.doubleClicked.connect(lambda index: self._drill(index.row()))
        self.table.setAccessibleName(_("Key questions of the standard"))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        mv.addWidget(self.table, 3)
        self.drafted_note = drafted_note()
        mv.addWidget(self.drafted_note)
        self.subgroups = SubgroupsPanel()
        mv.addWidget(self.subgroups, 2)
        split.addWidget(middle)

        right = QtWidgets.QWidget()
        rv = QtWidgets.QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.chart_title = heading(_("Percentage 'yes' per key question"))
        rv.addWidget(self.chart_title)
        self.chart = KqChart()
        rv.addWidget(self.chart)
        self.legend = QtWidgets.QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAccessibleName(_("What the chart's colours and lines mean"))
        self.legend.setWordWrap(True)
        rv.addWidget(self.legend)
        self.prompts_title = heading(_("Prompts"))
        rv.addWidget(self.prompts_title)
        self.prompt_model = RowsModel(PROMPT_COLUMNS, self)
        self.prompt_table = table_view(self.prompt_model, _("Prompt counts of the standard"),
                                       stretch=5)
        # Sibling prompts open with the same words: wrapped, each reads in full (not "…").
        self.prompt_table.setWordWrap(True)
        self.prompt_table.setTextElideMode(Qt.TextElideMode.ElideNone)
        rv.addWidget(self.prompt_table, 1)
        self.prompt_counts: Mapping[str, Sequence[Any]] = {}
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([220, 640, 420])
        # The DIPP outputs beside the tables per standard: per PDU, and the findings.
        self.views = QtWidgets.QTabWidget()
        self.views.setAccessibleName(_("Views of the tables"))
        self.views.addTab(split, _("By standard"))
        self.pdu = PduView()
        self.views.addTab(self.pdu, _("By PDU"))
        self.report = ReportView()
        self.views.addTab(self.report, _("Findings per question"))
        # The tab bar must not make the screen taller than before it: the views scroll instead.
        self.views.setMinimumHeight(160)
        layout.addWidget(self.views, 1)

    def set_outputs(self, pdu: PduTables | None, report: Sequence[str] | None) -> None:
        """The table per PDU (under the tick box's rule) and the findings per question."""
        self.pdu.set_tables(pdu)
        if report is None:
            self.report.setPlainText("")
        else:
            self.report.set_lines(report)

    def set_options(self, options: Mapping[str, Sequence[str]], framework: Framework) -> None:
        self.framework = framework
        self.filters.set_options(options, framework)

    def set_consolidation(self, consolidation: Any, framework: Framework,
                          prompts: Mapping[str, Sequence[Any]] | None = None) -> None:
        """Show a consolidation; ``prompts`` are its ``prompt_counts`` (key question → rows)."""
        self.framework = framework
        self.consolidation = consolidation
        self.prompt_counts = prompts or {}
        self.model.drafted = frozenset(
            k.id for k in framework.key_questions_by_id.values() if k.drafted)
        current = self.standards.currentRow()
        self.standards.blockSignals(True)
        self.standards.clear()
        for t in consolidation.tables:
            if t.rated_by == "cases":
                self.standards.addItem(f"{t.standard_id}  {t.title}")
        self.standards.blockSignals(False)
        self.summary.setText(" ".join(part for part in self._summary(consolidation) if part))
        mark = consolidation.provisional_mark
        self.mark.setText(mark[:1].upper() + mark[1:])
        self.mark.setVisible(bool(mark))
        self.chart_title.setText(_("Percentage 'yes' per key question") + (
            f" — {mark}" if mark else ""))
        self.standards.setCurrentRow(max(0, min(current, self.standards.count() - 1)))
        self._show_standard(self.standards.currentRow())

    def rule(self) -> CountRule:
        return PROVISIONAL if self.provisional.isChecked() else FINAL

    def _drill(self, line: int) -> None:
        kq = self.model.kq_at(line)
        if kq is not None:
            self.drill_requested.emit(kq)

    @staticmethod
    def _summary(c: Any) -> list[str]:
        return [
            counted_sentence(c),
            left_out_sentence(c),
            _("Filtered to {what}: the ratings are the case data's own, without the panel's "
              "decisions.").format(what=c.filters.describe()) if c.filters.active else "",
            "" if c.rated else _("This framework is not rated: the data is shown without "
                                 "ratings."),
        ]

    def case_tables(self) -> list[Any]:
        if self.consolidation is None:
            return []
        return [t for t in self.consolidation.tables if t.rated_by == "cases"]

    def show_standard(self, standard_id: str) -> None:
        for i, t in enumerate(self.case_tables()):
            if t.standard_id == standard_id:
                self.standards.setCurrentRow(i)

    def current_table(self) -> Any:
        tables = self.case_tables()
        row = self.standards.currentRow()
        return tables[row] if 0 <= row < len(tables) else None

    def set_subgroups(self, tables: Sequence[Any]) -> None:
        """The sub-group tables of the consolidation shown (``consolidation.subgroups``)."""
        self.subgroups.set_tables(tables)

    def _show_standard(self, row: int) -> None:
        table = self.current_table()
        self.model.set_table(table)
        self.subgroups.set_key_questions([r.kq_id for r in table.rows] if table else [])
        self.prompt_model.set_rows([
            (r.kq_id, p) for r in (table.rows if table is not None else ())
            for p in self.prompt_counts.get(r.kq_id, ())])
        mark = self.consolidation.provisional_mark if self.consolidation is not None else ""
        self.prompts_title.setText(_("Prompts") + (f" — {mark}" if mark else ""))
        self.drafted_note.setVisible(table is not None and any(
            r.kq_id in self.model.drafted for r in table.rows))
        if table is None:
            self.title.setText("")
            self.standard_counts.setText("")
            self.rating.hide()
            self.discretion.setText("")
            self.chart.set_bars([])
            return
        self.title.setText(f"{table.standard_id} {table.title}")
        self.standard_counts.setText(standard_counts(table))
        rated = self.consolidation.rated
        if rated and table.provisional_rating:
            self.rating.setText(_("Provisional rating: {r}").format(
                r=rating_label(table.provisional_rating)))
            colour = RATING_COLOURS.get(table.provisional_rating, "#505a5f")
            self.rating.setStyleSheet(f"background: {colour};")
            self.rating.show()
        elif rated:
            self.rating.setText(_("No rating: no cases answered this standard"))
            self.rating.setStyleSheet("background: #505a5f;")
            self.rating.show()
        else:
            self.rating.hide()
        if table.discretion:
            self.discretion.setText(_("Discretion flags for the panel:") + "\n" + "\n".join(
                f"• {flag_label(flag)}: {reason}" for flag, reason in table.discretion))
        else:
            self.discretion.setText(_("No discretion flag: the rating follows the data.")
                                    if rated else "")
        lines: tuple[int, ...] = DEFAULT_BAND_LINES
        if self.framework is not None and rated:
            lines = tuple(b.min_percent for b in self.framework.rating_bands[1:])
        self.chart.set_bars([Bar(r.kq_id, r.percent, r.band if rated else None)
                             for r in table.rows], lines if rated else ())
        bands = [(b.band, b.min_percent) for b in self.framework.rating_bands] \
            if self.framework is not None and rated else []
        self.legend.setText(legend_html(bands, lines) if bands else "")
