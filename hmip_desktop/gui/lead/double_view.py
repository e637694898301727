"""The lead's double assessment screen: a case assessed independently by a second member.

A thin view over ``hmip_desktop/double``: the lead marks an allocated case for a second
assessment (the member, and the reason: the observation case of 000_ §3.10 or a routine
benchmark), sees every double-assessed case and whom it waits for, and, once both assessors
have completed it, reads their agreement in the training comparison's own report
(``training/report.py``, worded for two assessors) and names one of the two as the case's
record. The core's refusals show as one line in the screen's message line.
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.double.compare import (
    double_comparison,
    double_words,
    kappa_undefined_words,
)
from hmip_desktop.double.records import DONE, REASONS, Double, assign_second, choose_record
from hmip_desktop.double.records import doubles as held_doubles
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import Column, MessageLine, RowsModel, table_view
from hmip_desktop.i18n import _
from hmip_desktop.store.reads import case_members
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.compare import percent
from hmip_desktop.training.report import comparison_html, kappa_figure
from hmip_desktop.wording import capitalised


def state_words(d: Double) -> str:
    """Whom the comparison waits for, or that both are complete."""
    first, second = d.first_status in DONE, d.second_status in DONE
    if first and second:
        return _("Both complete")
    if not first and not second:
        return _("Waiting for both")
    return _("Waiting for {name}").format(name=d.second_name if first else d.first_name)


DOUBLE_COLUMNS = (
    Column(_("Case"), lambda d: d.case_ref),
    Column(_("Case's assessor"), lambda d: d.first_name),
    Column(_("Second assessor"), lambda d: d.second_name),
    Column(_("Reason"), lambda d: capitalised(_(REASONS[d.reason]))),
    Column(_("State"), state_words),
    Column(_("Record"), lambda d: d.record_name or _("Not named yet")),
)


class DoubleScreen(QtWidgets.QWidget):
    """Mark a case for double assessment; see each one's state, agreement and record."""

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        layout = QtWidgets.QVBoxLayout(self)

        mark = QtWidgets.QHBoxLayout()
        self.case_box = QtWidgets.QComboBox()
        self.member_box = QtWidgets.QComboBox()
        self.reason_box = QtWidgets.QComboBox()
        for box, label, name in ((self.case_box, _("C&ase:"), _("Case to assess twice")),
                                 (self.member_box, _("Second &assessor:"), _("Second assessor")),
                                 (self.reason_box, _("R&eason:"), _("Reason"))):
            box.setAccessibleName(name)
            box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
            text = QtWidgets.QLabel(label)
            text.setBuddy(box)
            mark.addWidget(text)
            mark.addWidget(box)
        self.mark_button = QtWidgets.QPushButton(_("&Mark for double assessment"))
        self.mark_button.setToolTip(_("The second assessor receives the case in their next "
                                      "pack; neither sees the other's answers"))
        self.mark_button.clicked.connect(self.mark)
        mark.addWidget(self.mark_button)
        mark.addStretch(1)
        layout.addWidget(heading(_("Double-assessed cases")))
        layout.addLayout(mark)

        self.rows = RowsModel(DOUBLE_COLUMNS, self)
        self.table = table_view(self.rows, _("Double-assessed cases"), stretch=5)
        self.table.setMaximumHeight(150)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        layout.addWidget(self.table)

        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName(_("Agreement of the two assessments"))
        self.summary.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred,
                                   QtWidgets.QSizePolicy.Policy.Minimum)
        layout.addWidget(self.summary)
        record = QtWidgets.QHBoxLayout()
        self.first_button = QtWidgets.QPushButton()
        self.second_button = QtWidgets.QPushButton()
        self.first_button.setAccessibleName(_("Make the case's assessor's assessment the record"))
        self.second_button.setAccessibleName(_("Make the second assessor's assessment the record"))
        self.first_button.clicked.connect(lambda: self.name_record(first=True))
        self.second_button.clicked.connect(lambda: self.name_record(first=False))
        record.addWidget(self.first_button)
        record.addWidget(self.second_button)
        record.addStretch(1)
        layout.addLayout(record)
        self.report = QtWidgets.QTextBrowser()
        self.report.setAccessibleName(_("The two assessments compared"))
        layout.addWidget(self.report, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        for r in REASONS:
            self.reason_box.addItem(capitalised(_(REASONS[r])), r)

    # -- loading ---------------------------------------------------------------------------

    def set_inspection(self, iid: str | None) -> None:
        self.iid = iid
        self.refresh()

    def refresh(self, keep: str | None = None) -> None:
        """Read the double-assessed cases again; select ``keep`` (a case id) if given."""
        shown = self.current()
        keep = keep or (shown.case_id if shown is not None else None)
        found: list[Double] = []
        self.case_box.clear()
        self.member_box.clear()
        iid = self.iid
        if iid is not None and not self._training(iid):
            try:
                found = held_doubles(self.ws, iid)
            except UserError as e:
                self.message.refused(str(e))
            allocated = {cid for cid, _m, _n in case_members(self.ws, iid)}
            marked = {d.case_id for d in found}
            for s in self.ws.list_cases(iid, on_demand=True):
                if s.case.id in allocated and s.case.id not in marked:
                    self.case_box.addItem(s.case.case_ref, s.case.id)
            for m in self.ws.members(iid):
                if m["role"] != "lead":
                    self.member_box.addItem(str(m["name"]), m["id"])
        self.mark_button.setEnabled(self.case_box.count() > 0 and self.member_box.count() > 0)
        self.rows.set_rows(found)
        row = next((i for i, d in enumerate(found) if d.case_id == keep), 0)
        if found:
            self.table.selectRow(row)
        self._selected()

    def _training(self, iid: str) -> bool:
        return any(i["id"] == iid and i["training"] for i in self.ws.inspections())

    def current(self) -> Double | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.rows.rows):
            return None
        d: Double = self.rows.rows[index.row()]
        return d

    def _selected(self, *_args: Any) -> None:
        d = self.current()
        self.report.clear()
        for button in (self.first_button, self.second_button):
            button.setVisible(d is not None)
        if d is None:
            self.summary.setText(_("No case is marked for double assessment yet.")
                                 if self.iid else "")
            return
        self.first_button.setText(_("Make {name}'s assessment the record").format(
            name=d.first_name))
        self.second_button.setText(_("Make {name}'s assessment the record").format(
            name=d.second_name))
        if not d.both_complete:
            self.summary.setText(_("Case {ref}: {state}. The agreement shows once both "
                                   "assessors have completed it.").format(
                                       ref=d.case_ref, state=state_words(d).lower()))
            return
        assert self.iid is not None
        try:
            dc = double_comparison(self.ws, self.iid, d.case_id)
        except UserError as e:
            self.message.refused(str(e))
            return
        (t,) = dc.comparison.trainees
        record = d.record_name or _("not named yet")
        undefined = kappa_undefined_words() if t.kappa is None else ""
        self.summary.setText(" ".join(filter(None, (_(
            "Case {ref}: {agreed} of {total} items agreed ({share}), kappa {kappa}: {band}. "
            "Record: {record}.").format(
                ref=d.case_ref, agreed=t.agreed, total=t.total, share=percent(t.share),
                kappa=kappa_figure(t.kappa), band=t.band, record=record), undefined))))
        self.report.setHtml(comparison_html(dc.comparison, double_words(d)))

    # -- actions ---------------------------------------------------------------------------

    def mark(self) -> None:
        """Mark the chosen case for a second assessment by the chosen member."""
        case, member = self.case_box.currentData(), self.member_box.currentData()
        if self.iid is None or case is None or member is None:
            self.message.refused(_("Choose a case and a second assessor first."))
            return
        try:
            d = assign_second(self.ws, self.iid, str(case), str(member),
                              str(self.reason_box.currentData()))
        except UserError as e:
            self.message.refused(str(e))
            return
        self.refresh(keep=d.case_id)
        self.message.done(_("Case {ref}: {name} will assess it as a second assessment; send "
                            "them their pack again.").format(ref=d.case_ref, name=d.second_name))

    def name_record(self, *, first: bool) -> None:
        """Name one of the two assessments of the selected case as its record."""
        d = self.current()
        if d is None or self.iid is None:
            self.message.refused(_("Select a double-assessed case first."))
            return
        try:
            done = choose_record(self.ws, self.iid, d.case_id,
                                 d.first_id if first else d.second_id)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.refresh(keep=done.case_id)
        self.message.done(_("Case {ref}: {name}'s assessment is now its record.").format(
            ref=done.case_ref, name=done.record_name))
