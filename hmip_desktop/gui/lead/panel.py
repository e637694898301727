"""The ratings panel: per standard, confirm the rating or vary it where the rules allow.

A case-data rating may be varied only where a discretion flag is raised (000_ §7.2), and the
unpaid-work standard by one band either way on the qualitative evidence (000_ §7.1); every
decision needs a reason and records who decided and when. Where the rules allow no variation
the control is disabled and says why. A lead-rated standard (domain one) may be varied to any
other rating, with a reason (000_ §7.2: the panel determines whether the lead's proposed rating
is appropriate). Above: the panel's sitting — date, chair, members, note-taker — which must be
recorded before any decision. Below: the overall rating by the framework's bands, and the panel
summary, shown in the app and saved as PDF.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hmip_desktop.consolidation.panel import allowed_variations, record_panel_decision
from hmip_desktop.consolidation.panel_sitting import (
    PanelSitting,
    panel_sitting,
    record_panel_sitting,
)
from hmip_desktop.consolidation.summary import panel_summary_html
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.pdf import ReportView
from hmip_desktop.gui.common.qt import Qt, QtCore, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import chosen_day, date_edit, heading
from hmip_desktop.gui.lead.common import (
    RATING_COLOURS,
    Column,
    MessageLine,
    RowsModel,
    flag_label,
    rating_label,
    table_view,
    when,
)
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import write_recorded
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import capitalised


class PanelRow:
    """One standard as the panel sees it: what the data (or the lead) gives, what was decided."""

    def __init__(self, table: Any, rated: bool, variations: list[str] | None = None) -> None:
        self.table = table
        self.rated = rated
        self._variations = variations or []

    @property
    def standard_id(self) -> str:
        return str(self.table.standard_id)

    @property
    def decision(self) -> Any:
        return self.table.decision

    @property
    def flags(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.table.discretion)

    @property
    def adjustable(self) -> bool:
        return bool(self.table.adjustable)

    def vary_refusal(self) -> str | None:
        """Why the panel may not vary this rating, or None when it may."""
        if not self.rated:
            return _("This framework is not rated.")
        if self.table.rated_by == "lead":
            if self.table.provisional_rating is None:
                return _("No lead rating yet: record it on the Domain one tab first.")
            return None
        if self.table.provisional_rating is None:
            return _("No case data yet: there is nothing to vary.")
        if self.flags:
            return None
        if self.adjustable:
            return _("No discretion flag: only the unpaid-work judgement (one band up or "
                     "down) may move this rating.")
        return _("No discretion flag: the case-data rating stands (manual §7.2).")

    def variations(self) -> list[str]:
        """The ratings a variation may give (``allowed_variations``: one band, flag-wise)."""
        return list(self._variations)


def _decision(r: PanelRow) -> str:
    d = r.decision
    if d is None:
        return _("Not decided")
    text = str({"confirm": _("Confirmed"), "vary": _("Varied")}.get(d.decision, d.decision))
    if d.adjustment:
        text += " " + (_("(one band up)") if d.adjustment > 0 else _("(one band down)"))
    if not r.table.decision_applied:
        text += " — " + _("taken on other figures, not applied")
    return text


PANEL_COLUMNS = (
    Column(_("Standard"), lambda r: f"{r.standard_id} {r.table.title}"),
    Column(_("Rated by"), lambda r: _("Lead inspector") if r.table.rated_by == "lead"
           else _("Case data")),
    Column(_("Provisional"), lambda r: rating_label(r.table.provisional_rating),
           colour=lambda r: RATING_COLOURS.get(r.table.provisional_rating or "")),
    Column(_("Discretion flags"), lambda r: "\n".join(
        ("• " if len(r.flags) > 1 else "") + flag_label(f) for f, _r in r.flags)),
    Column(_("Decision"), _decision,
           bold=lambda r: r.decision is None or not r.table.decision_applied),
    Column(_("Rating"), lambda r: rating_label(r.table.rating),
           colour=lambda r: RATING_COLOURS.get(r.table.rating or ""), bold=lambda r: True),
    Column(_("Reason"), lambda r: r.decision.reason if r.decision else ""),
    Column(_("Decided by"), lambda r: r.decision.decided_by if r.decision else ""),
    Column(_("When"), lambda r: when(r.decision.decided_at) if r.decision else ""),
)


class PanelScreen(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        self.framework: Framework | None = None
        self.consolidation: Any = None
        self.sitting: PanelSitting | None = None
        self._sitting_shown: tuple[str | None, PanelSitting | None] | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self._sitting_box())
        top = QtWidgets.QHBoxLayout()
        self.overall = QtWidgets.QLabel()
        self.overall.setObjectName("ratingBadge")
        self.overall.setAccessibleName(_("Overall rating"))
        top.addWidget(self.overall)
        self.overall_detail = QtWidgets.QLabel()
        self.overall_detail.setWordWrap(True)
        top.addWidget(self.overall_detail, 1)
        self.summary_button = QtWidgets.QPushButton(_("Panel &summary…"))
        self.summary_button.clicked.connect(self.show_summary)
        top.addWidget(self.summary_button)
        layout.addLayout(top)
        self.model = RowsModel(PANEL_COLUMNS, self)
        self.view = table_view(self.model, _("Standards and the panel's decisions"), stretch=3)
        self.view.horizontalHeader().setSectionResizeMode(
            6, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        layout.addWidget(self.view, 1)

        box = QtWidgets.QGroupBox(_("Decision"))
        form = QtWidgets.QGridLayout(box)
        self.chosen = heading("")
        form.addWidget(self.chosen, 0, 0, 1, 4)
        self.confirm = QtWidgets.QRadioButton(_("&Confirm the rating"))
        self.vary = QtWidgets.QRadioButton(_("&Vary it to:"))
        self.confirm.setChecked(True)
        group = QtWidgets.QButtonGroup(self)
        group.addButton(self.confirm)
        group.addButton(self.vary)
        self.vary.toggled.connect(self._vary_toggled)
        form.addWidget(self.confirm, 1, 0)
        form.addWidget(self.vary, 1, 1)
        self.rating = QtWidgets.QComboBox()
        self.rating.setAccessibleName(_("Varied rating"))
        form.addWidget(self.rating, 1, 2)
        self.vary_reason = QtWidgets.QLabel()
        self.vary_reason.setWordWrap(True)
        self.vary_reason.setAccessibleName(_("Whether the rating may be varied, and why"))
        # Wrapped text inside a group box does not get its height for the width: keep room
        # for three lines of discretion reasons.
        self.vary_reason.setMinimumHeight(3 * self.fontMetrics().lineSpacing() + 4)
        self.vary_reason.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        form.addWidget(self.vary_reason, 2, 0, 1, 4)
        self.adjust_label = QtWidgets.QLabel(_("Unpaid work, on the qualitative evidence:"))
        form.addWidget(self.adjust_label, 3, 0, 1, 2)
        self.adjustment = QtWidgets.QComboBox()
        self.adjustment.setAccessibleName(_("Unpaid-work band judgement"))
        for value, label in ((0, _("keep the indicative band")), (1, _("one band up")),
                             (-1, _("one band down"))):
            self.adjustment.addItem(label, value)
        self.adjust_label.setBuddy(self.adjustment)
        form.addWidget(self.adjustment, 3, 2)
        self.adjust_reason = QtWidgets.QLabel()
        self.adjust_reason.setWordWrap(True)
        form.addWidget(self.adjust_reason, 3, 3)
        reason_label = QtWidgets.QLabel(_("&Reason:"))
        self.reason = QtWidgets.QLineEdit()
        self.reason.setAccessibleName(_("Reason for the decision"))
        self.reason.setPlaceholderText(_("Why the panel decided so, on what evidence (required "
                                         "to vary or move a band)"))
        self.reason.returnPressed.connect(self.record)
        reason_label.setBuddy(self.reason)
        form.addWidget(reason_label, 4, 0)
        reason_row = QtWidgets.QHBoxLayout()
        reason_row.addWidget(self.reason, 1)
        self.record_button = QtWidgets.QPushButton(_("Record &decision"))
        self.record_button.clicked.connect(self.record)
        reason_row.addWidget(self.record_button)
        form.addLayout(reason_row, 4, 1, 1, 3)
        form.setColumnStretch(3, 1)
        layout.addWidget(box)
        self.message = MessageLine()
        layout.addWidget(self.message)

    def _sitting_box(self) -> QtWidgets.QGroupBox:
        """Date, chair, members and note-taker of the panel's sitting (000_ §7.2)."""
        box = QtWidgets.QGroupBox(_("The panel's sitting"))
        grid = QtWidgets.QGridLayout(box)
        self.sat_on = date_edit(date.today(), _("Date the panel sat"))
        self.chair = QtWidgets.QLineEdit()
        self.chair.setAccessibleName(_("Chair of the panel"))
        self.chair.setPlaceholderText(_("Usually the director of operations"))
        self.note_taker = QtWidgets.QLineEdit()
        self.note_taker.setAccessibleName(_("Note-taker of the panel"))
        self.note_taker.setPlaceholderText(_("Who records the decisions"))
        self.members = QtWidgets.QLineEdit()
        self.members.setAccessibleName(_("Members of the panel"))
        self.members.setPlaceholderText(_("The others who sat, separated by semicolons"))
        for column, (text, field) in enumerate(((_("Da&te:"), self.sat_on),
                                                (_("C&hair:"), self.chair),
                                                (_("N&ote-taker:"), self.note_taker))):
            label = QtWidgets.QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, 0, 2 * column)
            grid.addWidget(field, 0, 2 * column + 1)
        members_label = QtWidgets.QLabel(_("&Members:"))
        members_label.setBuddy(self.members)
        grid.addWidget(members_label, 1, 0)
        grid.addWidget(self.members, 1, 1, 1, 3)
        self.sitting_button = QtWidgets.QPushButton(_("Record sittin&g"))
        self.sitting_button.clicked.connect(self.record_sitting)
        grid.addWidget(self.sitting_button, 1, 4)
        self.sitting_state = QtWidgets.QLabel()
        self.sitting_state.setWordWrap(True)
        self.sitting_state.setAccessibleName(_("Whether the sitting is recorded"))
        grid.addWidget(self.sitting_state, 1, 5)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        return box

    def _show_sitting(self, sitting: PanelSitting | None) -> None:
        self.sitting = sitting
        self._sitting_shown = (self.iid, sitting)
        day = date.fromisoformat(sitting.sat_on) if sitting else date.today()
        self.sat_on.setDate(QtCore.QDate(day.year, day.month, day.day))
        self.chair.setText(sitting.chair if sitting else "")
        self.note_taker.setText(sitting.note_taker if sitting else "")
        self.members.setText("; ".join(sitting.members) if sitting else "")
        self.sitting_state.setText(
            _("Recorded by {who}, {at}.").format(who=sitting.recorded_by,
                                                 at=when(sitting.recorded_at))
            if sitting else _("Not yet recorded: record it before the panel's decisions."))
        self.sitting_button.setText(_("Amend sittin&g") if sitting else _("Record sittin&g"))

    # -- data ------------------------------------------------------------------------------

    def set_inspection(self, iid: str | None, framework: Framework | None) -> None:
        self.iid = iid
        self.framework = framework
        # The one-band judgement exists only where the framework has an adjustable standard.
        has_adjustable = framework is not None and any(s.adjustable for s in framework.standards)
        for w in (self.adjust_label, self.adjustment, self.adjust_reason):
            w.setVisible(has_adjustable)

    def set_consolidation(self, consolidation: Any) -> None:
        self.consolidation = consolidation
        self.refresh()

    def refresh(self) -> None:
        c = self.consolidation
        if c is None or self.iid is None or self.framework is None:
            self.model.set_rows([])
            return
        current = self.view.currentIndex().row()
        sitting = panel_sitting(self.ws, self.iid)
        if (self.iid, sitting) != self._sitting_shown:  # what is being typed is left as typed
            self._show_sitting(sitting)
        self.model.set_rows([PanelRow(t, c.rated, allowed_variations(c, t.standard_id))
                             for t in c.tables])
        self._show_overall(c)
        enabled = bool(c.rated)
        self.summary_button.setEnabled(True)
        self.view.selectRow(max(0, current))
        self.sitting_button.setEnabled(enabled)
        self.record_button.setEnabled(enabled and self.sitting is not None)
        self.record_button.setToolTip("" if self.sitting is not None or not enabled else _(
            "Record the panel's sitting first."))

    def _show_overall(self, c: Any) -> None:
        if not c.rated:
            self.overall.setText(_("Not rated"))
            self.overall.setStyleSheet("background: #505a5f;")
            self.overall_detail.setText(_("This framework is not rated: the tables show the "
                                          "data without ratings."))
            return
        overall = c.ratings.overall
        if overall.rating:
            self.overall.setText(_("Overall: {r}").format(r=rating_label(overall.rating)))
            self.overall.setStyleSheet(f"background: {RATING_COLOURS[overall.rating]};")
            detail = _("Score {score} of {top}, by the framework's bands.").format(
                score=overall.score, top=overall.max)
            if c.pending_decisions:
                detail += " " + _("Provisional: the panel has yet to decide {ids}.").format(
                    ids=", ".join(c.pending_decisions))
            self.overall_detail.setText(detail)
        else:
            self.overall.setText(_("Overall: not yet"))
            self.overall.setStyleSheet("background: #505a5f;")
            self.overall_detail.setText(capitalised(overall.reason or ""))

    def current_row(self) -> PanelRow | None:
        index = self.view.currentIndex()
        rows = self.model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def select_standard(self, standard_id: str) -> None:
        for i, r in enumerate(self.model.rows):
            if r.standard_id == standard_id:
                self.view.selectRow(i)

    def _selected(self, *_args: object) -> None:
        r = self.current_row()
        if r is None:
            self.chosen.setText("")
            return
        self.chosen.setText(f"{r.standard_id} {r.table.title} — " + (
            _("Provisional: {r}").format(r=rating_label(r.table.provisional_rating))
            if r.table.provisional_rating else _("No rating yet")))
        refusal = r.vary_refusal()
        self.rating.clear()
        for rating in r.variations():
            self.rating.addItem(rating_label(rating), rating)
        self.vary.setEnabled(refusal is None)
        self.vary.setToolTip(refusal or "")
        if refusal is not None:
            self.vary_reason.setText(refusal)
        elif r.table.rated_by == "lead":
            self.vary_reason.setText(_(
                "The panel may confirm the lead's proposed rating or set another, with its "
                "reason (manual §7.2)."))
        else:
            self.vary_reason.setText(_("Discretion allows it:") + "".join(
                f"\n• {flag_label(f)}: {why}" for f, why in r.flags))
        d = r.decision
        (self.vary if d is not None and d.decision == "vary" and refusal is None
         else self.confirm).setChecked(True)
        self.rating.setEnabled(refusal is None and self.vary.isChecked())
        if d is not None and d.decision == "vary":
            self.rating.setCurrentIndex(max(0, self.rating.findData(d.rating)))
        allowed = r.adjustable and r.rated and r.table.provisional_rating is not None
        self.adjustment.setEnabled(allowed and self.confirm.isChecked())
        self.adjust_label.setEnabled(allowed)
        self.adjust_reason.setText(
            _("On the qualitative evidence for the observed key question (manual §7.1).")
            if r.adjustable else _("Only the unpaid-work standard takes this judgement."))
        self.adjustment.setCurrentIndex(max(0, self.adjustment.findData(
            d.adjustment if d is not None else 0)))
        self.reason.setText(d.reason if d is not None else "")

    def _vary_toggled(self, on: bool) -> None:
        self.rating.setEnabled(on and self.vary.isEnabled())
        r = self.current_row()
        self.adjustment.setEnabled(not on and r is not None and r.adjustable and r.rated)

    # -- actions ---------------------------------------------------------------------------

    def record(self) -> None:
        r = self.current_row()
        if r is None or self.iid is None:
            self.message.refused(_("Select a standard first."))
            return
        decision = "vary" if self.vary.isChecked() else "confirm"
        try:
            result = record_panel_decision(
                self.ws, self.iid, r.standard_id, decision=decision,
                rating=self.rating.currentData() if decision == "vary" else None,
                adjustment=int(self.adjustment.currentData())
                if r.adjustable and decision == "confirm" else 0,
                reason=self.reason.text().strip())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("{id}: {decision}, {rating} — recorded by {who}.").format(
            id=r.standard_id, decision=_("varied") if decision == "vary" else _("confirmed"),
            rating=rating_label(result.rating), who=result.decided_by))
        self.changed.emit()

    def record_sitting(self) -> None:
        if self.iid is None:
            return
        members = [m.strip() for m in self.members.text().split(";") if m.strip()]
        try:
            sitting = record_panel_sitting(
                self.ws, self.iid, sat_on=chosen_day(self.sat_on).isoformat(),
                chair=self.chair.text(), members=members, note_taker=self.note_taker.text())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("The panel's sitting of {date} is recorded.").format(
            date=sitting.sat_on))
        self.changed.emit()
        self.refresh()

    def show_summary(self) -> ReportView | None:
        if self.iid is None:
            return None
        try:
            html = panel_summary_html(self.ws, self.iid)
        except UserError as e:
            self.message.refused(str(e))
            return None
        ws, iid = self.ws, self.iid
        view = ReportView(html, title=_("Ratings panel summary"),
                          make_html=lambda: panel_summary_html(ws, iid),
                          suggested_name="panel-summary.pdf", parent=self,
                          save_with=lambda path, write: write_recorded(
                              self.ws, path, "panel_summary", write))
        self.report = view
        view.open()
        return view
