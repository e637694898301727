"""The Tables tab's sub-group table: the standard's key questions by the groups of a case fact.

One reportable case fact at a time (the framework's ``publication.sub_groups``), chosen in a
drop-down: a column per group and "All cases", each cell "yes % (yes/answered)". This is the
internal view, so nothing is suppressed; a line under it says where the suppressed figures are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hmip_desktop.consolidation.subgroups import GroupCell, SubgroupTable
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import Column, RowsModel, table_view
from hmip_desktop.i18n import _


def cell_text(cell: GroupCell) -> str:
    """"77% (40/52)"; a dash where no case of the group answered."""
    if cell.n == 0:
        return "–"
    return f"{cell.percent}% ({cell.yes}/{cell.n})"


def columns_of(table: SubgroupTable) -> list[Column]:
    cols = [Column(_("Key question"), lambda r: r.kq_id)]
    for i, (_value, label) in enumerate(table.groups):
        n = table.cases[i]
        cols.append(Column(f"{label} ({n})", _group_cell(i)))
    cols.append(Column(_("All cases ({n})").format(n=table.counted),
                       lambda r: cell_text(r.total)))
    return cols


def _group_cell(i: int) -> Callable[[Any], str]:
    return lambda r: cell_text(r.cells[i])


class SubgroupsPanel(QtWidgets.QWidget):
    """A fact to choose and the chosen standard's key questions by its groups."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.tables: tuple[SubgroupTable, ...] = ()
        self.kq_ids: tuple[str, ...] = ()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(heading(_("Sub-groups")))
        label = QtWidgets.QLabel(_("&By:"))
        self.fact = QtWidgets.QComboBox()
        self.fact.setAccessibleName(_("Sub-groups by"))
        label.setBuddy(self.fact)
        self.fact.currentIndexChanged.connect(lambda _i: self._show())
        top.addStretch(1)
        top.addWidget(label)
        top.addWidget(self.fact)
        layout.addLayout(top)
        self.model = RowsModel([], self)
        self.view = table_view(self.model, _("Key questions by sub-group"))
        layout.addWidget(self.view, 1)
        self.note = QtWidgets.QLabel(_(
            "Every count is shown here, however small. The publishable workbook (Exports tab) "
            "hides groups of fewer cases than the framework's threshold."))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def set_tables(self, tables: Sequence[SubgroupTable]) -> None:
        chosen = self.fact.currentData()
        self.tables = tuple(tables)
        self.fact.blockSignals(True)
        self.fact.clear()
        for t in self.tables:
            self.fact.addItem(t.label, t.fact_id)
        self.fact.setCurrentIndex(max(0, self.fact.findData(chosen)))
        self.fact.blockSignals(False)
        self.setVisible(bool(self.tables))
        self._show()

    def set_key_questions(self, kq_ids: Sequence[str]) -> None:
        self.kq_ids = tuple(kq_ids)
        self._show()

    def current(self) -> SubgroupTable | None:
        i = self.fact.currentIndex()
        return self.tables[i] if 0 <= i < len(self.tables) else None

    def _show(self) -> None:
        table = self.current()
        rows: list[Any] = [] if table is None else [
            r for r in table.rows if r.kq_id in self.kq_ids]
        model = RowsModel(columns_of(table) if table is not None else [], self)
        model.set_rows(rows)
        self.view.setModel(model)
        self.model = model
