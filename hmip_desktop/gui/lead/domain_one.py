"""Domain one: the lead's rating of each lead-rated standard, and the recommendations' progress.

The lead proposes one rating per domain-one standard from all the evidence, with notes and the
rating characteristics weighed (000_ §7.1, 003_ Annex G) — a guide, not a checklist. Progress on
the previous inspection's recommendations is judged sufficient, insufficient or none and shown
on its own: it never enters a rating (000_ §7.1, 004_).
"""

from __future__ import annotations

from typing import Any

from hmip_desktop.consolidation.panel import (
    add_recommendation,
    lead_ratings,
    panel_decisions,
    recommendations,
    set_lead_rating,
    set_recommendation_progress,
)
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.qt import Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import (
    Column,
    MessageLine,
    RowsModel,
    rating_label,
    ratings,
    table_view,
    when,
)
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace

PROGRESS_LABELS = {"sufficient": _("Sufficient"), "insufficient": _("Insufficient"),
                   "none": _("None")}

RECOMMENDATION_COLUMNS = (
    Column(_("No."), lambda r: str(r.number), sort=lambda r: r.number),
    Column(_("Recommendation"), lambda r: r.text),
    Column(_("Progress"), lambda r: PROGRESS_LABELS.get(r.progress or "", _("not judged"))),
    Column(_("Note"), lambda r: r.note),
)


class DomainOneScreen(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        self.framework: Framework | None = None
        self.saved: dict[str, Any] = {}
        self.decisions: dict[str, Any] = {}
        layout = QtWidgets.QVBoxLayout(self)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(split, 1)

        # -- the lead's ratings ------------------------------------------------------------
        left = QtWidgets.QWidget()
        lv = QtWidgets.QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(heading(_("The lead's rating per standard")))
        self.standards = QtWidgets.QListWidget()
        self.standards.setAccessibleName(_("Lead-rated standards"))
        self.standards.setMaximumHeight(140)
        self.standards.currentRowChanged.connect(self._show_standard)
        lv.addWidget(self.standards)
        form = QtWidgets.QFormLayout()
        self.rating = QtWidgets.QComboBox()
        self.rating.setAccessibleName(_("Rating"))
        self.rating.addItem(_("— choose —"), None)
        for r in ratings():
            self.rating.addItem(rating_label(r), r)
        form.addRow(_("&Rating:"), self.rating)
        self.evidence = QtWidgets.QPlainTextEdit()
        self.evidence.setAccessibleName(_("Evidence notes"))
        self.evidence.setPlaceholderText(_("The evidence behind the rating, with its sources"))
        self.evidence.setTabChangesFocus(True)
        self.evidence.setMaximumHeight(self.evidence.fontMetrics().lineSpacing() * 7)
        form.addRow(_("&Evidence:"), self.evidence)
        lv.addLayout(form)
        lv.addWidget(QtWidgets.QLabel(_("Rating characteristics weighed (a guide, not a "
                                        "checklist):")))
        # The framework's rating characteristics for the chosen standard (003_ Annex G, 000_
        # §7.1): filled in by _show_standard, since a standard may have its own.
        chars = QtWidgets.QHBoxLayout()
        self.char_lists: dict[str, QtWidgets.QListWidget] = {}
        for level in ("outstanding", "inadequate"):
            column = QtWidgets.QVBoxLayout()
            column.addWidget(QtWidgets.QLabel(f"<b>{rating_label(level)}</b>"))
            lst = QtWidgets.QListWidget()
            lst.setWordWrap(True)
            lst.setSpacing(3)
            lst.setAccessibleName(_("Characteristics of {rating}").format(
                rating=rating_label(level)))
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            lst.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
            column.addWidget(lst)
            chars.addLayout(column)
            self.char_lists[level] = lst
        lv.addLayout(chars, 1)
        self.no_characteristics = QtWidgets.QLabel(
            _("The framework gives no rating characteristics for this standard."))
        self.no_characteristics.hide()
        lv.addWidget(self.no_characteristics)
        self.other = QtWidgets.QLineEdit()
        self.other.setAccessibleName(_("Other characteristics weighed"))
        self.other.setPlaceholderText(_("Other characteristics, separated by semicolons"))
        lv.addWidget(self.other)
        row = QtWidgets.QHBoxLayout()
        self.save_button = QtWidgets.QPushButton(_("&Save rating"))
        self.save_button.clicked.connect(self.save_rating)
        row.addWidget(self.save_button)
        self.decided = QtWidgets.QLabel()
        self.decided.setAccessibleName(_("Who decided and when"))
        row.addWidget(self.decided, 1)
        lv.addLayout(row)
        # The lead proposes; the ratings panel confirms or varies (000_ §7.2).
        self.panel_said = QtWidgets.QLabel()
        self.panel_said.setWordWrap(True)
        self.panel_said.setAccessibleName(_("The ratings panel's decision"))
        lv.addWidget(self.panel_said)
        split.addWidget(left)

        # -- recommendations ---------------------------------------------------------------
        right = QtWidgets.QWidget()
        rv = QtWidgets.QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(heading(_("Progress on the previous inspection's recommendations")))
        note = QtWidgets.QLabel(_("Shown on its own in the report; it is not rated and does "
                                  "not change any rating."))
        note.setObjectName("subNote")
        note.setWordWrap(True)
        rv.addWidget(note)
        self.recs = RowsModel(RECOMMENDATION_COLUMNS, self)
        self.recs_view = table_view(self.recs, _("Recommendations"), stretch=1)
        self.recs_view.selectionModel().currentRowChanged.connect(self._rec_selected)
        rv.addWidget(self.recs_view, 1)
        add_row = QtWidgets.QHBoxLayout()
        self.new_rec = QtWidgets.QLineEdit()
        self.new_rec.setAccessibleName(_("New recommendation"))
        self.new_rec.setPlaceholderText(_("A recommendation of the previous report"))
        self.new_rec.returnPressed.connect(self.add_recommendation)
        add_row.addWidget(self.new_rec, 1)
        add = QtWidgets.QPushButton(_("A&dd"))
        add.setAccessibleName(_("Add the recommendation"))
        add.clicked.connect(self.add_recommendation)
        add_row.addWidget(add)
        rv.addLayout(add_row)
        prog_row = QtWidgets.QHBoxLayout()
        self.progress = QtWidgets.QComboBox()
        self.progress.setAccessibleName(_("Progress"))
        for value, label in PROGRESS_LABELS.items():
            self.progress.addItem(label, value)
        prog_row.addWidget(QtWidgets.QLabel(_("Progress:")))
        prog_row.addWidget(self.progress)
        self.progress_note = QtWidgets.QLineEdit()
        self.progress_note.setAccessibleName(_("Progress note"))
        self.progress_note.setPlaceholderText(_("What was found"))
        prog_row.addWidget(self.progress_note, 1)
        self.save_progress_button = QtWidgets.QPushButton(_("Save &progress"))
        self.save_progress_button.clicked.connect(self.save_progress)
        prog_row.addWidget(self.save_progress_button)
        rv.addLayout(prog_row)
        split.addWidget(right)
        split.setSizes([620, 620])
        self.message = MessageLine()
        layout.addWidget(self.message)

    # -- data ------------------------------------------------------------------------------

    def set_inspection(self, iid: str | None, framework: Framework | None) -> None:
        self.iid = iid
        self.framework = framework
        self.standards.blockSignals(True)
        self.standards.clear()
        self.lead_standards = [s for s in framework.standards if s.rated_by == "lead"] \
            if framework is not None else []
        for s in self.lead_standards:
            self.standards.addItem(f"{s.id}  {s.title}")
        self.standards.blockSignals(False)
        enabled = bool(self.lead_standards) and bool(framework and framework.rated)
        for w in (self.rating, self.evidence, self.other, self.save_button,
                  *self.char_lists.values()):
            w.setEnabled(enabled)
        self.refresh()
        if self.lead_standards:
            self.standards.setCurrentRow(0)
        else:
            self.decided.setText(_("This framework has no lead-rated standards.")
                                 if framework is None or framework.rated
                                 else _("This framework is not rated."))

    def refresh(self) -> None:
        self.saved = lead_ratings(self.ws, self.iid) if self.iid else {}
        self.decisions = panel_decisions(self.ws, self.iid) if self.iid else {}
        self.refresh_recommendations()
        self._show_standard(self.standards.currentRow())
        items = self.standards.count()
        for i in range(items):
            s = self.lead_standards[i]
            saved = self.saved.get(s.id)
            self.standards.item(i).setText(
                f"{s.id}  {s.title}" + (f" — {rating_label(saved.rating)}" if saved else ""))

    def refresh_recommendations(self) -> None:
        """Only the recommendations: a rating being written beside them is left as typed."""
        self.recs.set_rows(recommendations(self.ws, self.iid) if self.iid else [])

    def current_standard(self) -> Any:
        row = self.standards.currentRow()
        return self.lead_standards[row] if 0 <= row < len(self.lead_standards) else None

    def _show_standard(self, _row: int) -> None:
        s = self.current_standard()
        saved = self.saved.get(s.id) if s is not None else None
        self.rating.setCurrentIndex(max(0, self.rating.findData(saved.rating)) if saved else 0)
        self.evidence.setPlainText(saved.evidence if saved else "")
        chosen = saved.characteristics if saved else ()
        listed = self._fill_characteristics(s, set(chosen))
        self.other.setText("; ".join(c for c in chosen if c not in listed))
        self.decided.setText(_("Decided by {who} at {at}").format(
            who=saved.decided_by, at=when(saved.decided_at)) if saved else
            (_("Not rated yet.") if s is not None else ""))
        self.panel_said.setText(self._panel_text(s, saved))

    def refresh_panel_decisions(self) -> None:
        """Only what the panel decided: a rating being written is left as typed."""
        self.decisions = panel_decisions(self.ws, self.iid) if self.iid else {}
        s = self.current_standard()
        self.panel_said.setText(self._panel_text(s, self.saved.get(s.id) if s else None))

    def _panel_text(self, standard: Any, saved: Any) -> str:
        d = self.decisions.get(standard.id) if standard is not None else None
        if d is None or saved is None:
            return _("The ratings panel has not yet decided on this rating.") if saved else ""
        if d.provisional_rating != saved.rating:
            return _("The panel decided on an earlier rating ({r}): it decides again.").format(
                r=rating_label(d.provisional_rating))
        if d.decision == "vary":
            return _("The panel varied it to {r}: {reason}").format(
                r=rating_label(d.rating), reason=d.reason)
        return _("The panel confirmed it.")

    def select_standard(self, standard_id: str) -> None:
        for i, s in enumerate(self.lead_standards):
            if s.id == standard_id:
                self.standards.setCurrentRow(i)

    # -- actions ---------------------------------------------------------------------------

    def _fill_characteristics(self, standard: Any, chosen: set[str]) -> set[str]:
        """List the standard's characteristics, ticking those chosen; return every listed text."""
        found = (self.framework.characteristics_of(standard.id)
                 if standard is not None and self.framework is not None else None)
        listed: set[str] = set()
        for level, lst in self.char_lists.items():
            lst.clear()
            for text in getattr(found, level, ()):
                item = QtWidgets.QListWidgetItem(text)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if text in chosen
                                   else Qt.CheckState.Unchecked)
                lst.addItem(item)
                listed.add(text)
            lst.setVisible(found is not None)
        self.no_characteristics.setVisible(found is None and standard is not None)
        return listed

    def tick(self, text: str) -> None:
        """Tick one listed characteristic (as a click on its box would)."""
        for lst in self.char_lists.values():
            for i in range(lst.count()):
                if lst.item(i).text() == text:
                    lst.item(i).setCheckState(Qt.CheckState.Checked)
                    return
        raise KeyError(text)

    def characteristics(self) -> tuple[str, ...]:
        ticked = [lst.item(i).text() for lst in self.char_lists.values()
                  for i in range(lst.count())
                  if lst.item(i).checkState() == Qt.CheckState.Checked]
        others = [o.strip() for o in self.other.text().split(";") if o.strip()]
        return tuple(ticked + others)

    def save_rating(self) -> None:
        s = self.current_standard()
        rating = self.rating.currentData()
        if s is None or self.iid is None:
            self.message.refused(_("Choose a standard first."))
            return
        if rating is None:
            self.message.refused(_("Choose a rating for {id} first.").format(id=s.id))
            return
        try:
            set_lead_rating(self.ws, self.iid, s.id, rating,
                            evidence=self.evidence.toPlainText(),
                            characteristics=self.characteristics())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("{id} rated {rating}.").format(id=s.id, rating=rating_label(rating)))
        self.refresh()
        self.changed.emit()

    def current_recommendation(self) -> Any:
        index = self.recs_view.currentIndex()
        return self.recs.rows[index.row()] if index.isValid() else None

    def _rec_selected(self, *_args: object) -> None:
        rec = self.current_recommendation()
        if rec is not None:
            self.progress.setCurrentIndex(max(0, self.progress.findData(rec.progress)))
            self.progress_note.setText(rec.note)

    def add_recommendation(self) -> None:
        if self.iid is None:
            return
        try:
            number = add_recommendation(self.ws, self.iid, self.new_rec.text())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.new_rec.clear()
        self.message.done(_("Recommendation {n} added.").format(n=number))
        self.refresh_recommendations()
        self.recs_view.selectRow(len(self.recs.rows) - 1)
        self.changed.emit()

    def save_progress(self) -> None:
        rec = self.current_recommendation()
        if rec is None or self.iid is None:
            self.message.refused(_("Select a recommendation first."))
            return
        try:
            set_recommendation_progress(self.ws, self.iid, rec.number,
                                        self.progress.currentData(), self.progress_note.text())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Progress on recommendation {n} saved.").format(n=rec.number))
        row = self.recs_view.currentIndex().row()
        self.refresh_recommendations()
        self.recs_view.selectRow(row)
        self.changed.emit()
