"""The case data linked to organisational key questions, and the DIPP outputs on the Tables tab.

``CaseDataView`` shows, beside the findings (the Domain one tab per standard, the Findings and
evidence tab per key question), each case key question or prompt the framework links to the
question with the consolidation's own figure over the counted cases (``findings.case_links``).
``PduView`` is the key-question table per PDU with the region (``consolidation.pdu_tables``),
``ReportView`` the findings per organisational question (``findings.report``), both printable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hmip_desktop.consolidation.pdu_tables import NOT_RECORDED, PduCell, PduTables
from hmip_desktop.findings.case_links import CaseLink, LinkedFigure
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets
from hmip_desktop.gui.lead.common import Column, EmptyState, RowsModel, table_view
from hmip_desktop.gui.lead.findings_words import item_ref
from hmip_desktop.i18n import _, ngettext


def figure_text(f: LinkedFigure | PduCell) -> str:
    """``64% (7 of 11)``; a dash where no case was judged yes or no."""
    if f.percent is None:
        return "–"
    return _("{p}% ({yes} of {n})").format(p=f.percent, yes=f.yes, n=f.n)


class CaseDataView(QtWidgets.QWidget):
    """The linked case data of some organisational key questions, one row per linked item."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.framework: Framework | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName(_("What the case data is over"))
        layout.addWidget(self.caption)
        self.rows = RowsModel((
            Column(_("For"), lambda r: r[0]),
            Column(_("Case key question or prompt"), self._item),
            Column(_("Yes"), lambda r: figure_text(r[1])),
        ), self)
        self.view = table_view(self.rows, _("Case data linked to the key questions"),
                               stretch=1)
        self.stack = EmptyState(self.view, _(
            "The framework links no case key question to these key questions."))
        layout.addWidget(self.stack, 1)

    def _item(self, row: Any) -> str:
        f = row[1]
        fw = self.framework
        ref = item_ref(fw, f.item) if fw is not None else f.item
        return f"{ref} {f.text}"

    def set_links(self, framework: Framework | None, links: Sequence[CaseLink],
                  cases: int | None) -> None:
        """``cases`` None: not consolidated yet (or refused), so no figures to show."""
        self.framework = framework
        self.rows.set_rows([(k.key_question, f) for k in links for f in k.figures]
                           if cases is not None else [])
        self.caption.setText(
            _("Case data, not yet consolidated.") if cases is None else
            ngettext("Case data linked by the framework, over {n} counted case (marked "
                     "complete):", "Case data linked by the framework, over {n} counted cases "
                     "(marked complete):", cases).format(n=cases))


class PduView(QtWidgets.QWidget):
    """Each case key question's figure per PDU, side by side, then the region's."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.mark = QtWidgets.QLabel()  # as the tables per standard mark provisional figures
        self.mark.setObjectName("provisionalMark")
        self.mark.setAccessibleName(_("Provisional figures"))
        self.mark.setStyleSheet("font-weight: bold; color: #d4351c;")
        self.mark.hide()
        layout.addWidget(self.mark)
        self.model = QtGui.QStandardItemModel(self)
        self.view = table_view(self.model, _("Key questions per PDU"), stretch=1)
        layout.addWidget(self.view, 1)
        self.tables: PduTables | None = None

    def column_names(self) -> list[str]:
        t = self.tables
        if t is None:
            return []
        return [_(NOT_RECORDED) if p == NOT_RECORDED else p for p in t.pdus] + [_("Region")]

    def set_tables(self, t: PduTables | None) -> None:
        self.tables = t
        self.model.clear()
        mark = t.provisional_mark if t is not None else ""
        self.mark.setText(mark[:1].upper() + mark[1:])
        self.mark.setVisible(bool(mark))
        if t is None:
            self.caption.setText(_("Not yet consolidated."))
            return
        names = self.column_names()
        self.model.setHorizontalHeaderLabels([
            _("Key question"), _("Text"),
            *(ngettext("{name}\n{n} case", "{name}\n{n} cases", n).format(name=name, n=n)
              for name, n in zip(names, t.cases, strict=True))])
        for r in t.rows:
            cells = [QtGui.QStandardItem(r.kq_id), QtGui.QStandardItem(r.text)]
            for name, c in zip(names, r.cells, strict=True):
                item = QtGui.QStandardItem(figure_text(c))
                item.setData(f"{name}: {figure_text(c)}", Qt.ItemDataRole.AccessibleTextRole)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cells.append(item)
            for item in cells:
                item.setEditable(False)
            self.model.appendRow(cells)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        if mark:
            said = _("Per key question, the share judged yes of the cases judged yes or no, in "
                     "each PDU and in the region, over the cases marked complete and those in "
                     "progress. Every cell is as counted: not for publication as it is.")
        else:
            said = _("Per key question, the share judged yes of the cases judged yes or no, in "
                     "each PDU and in the region, over the cases marked complete. Every cell is "
                     "as counted: not for publication as it is.")
        self.caption.setText(said)

    def text(self, row: int, column: int) -> str:
        return str(self.model.item(row, column).text())


class ReportView(QtWidgets.QPlainTextEdit):
    """The findings per organisational key question, as ``finding report`` prints them."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName(_("Findings per organisational key question"))

    def set_lines(self, lines: Sequence[str]) -> None:
        self.setPlainText("\n".join(lines) if lines else _(
            "This framework has no organisational key questions."))
