"""Domain one: the lead's rating of each lead-rated standard, and the recommendations' progress.

The lead proposes one rating per domain-one standard from all the evidence, with notes and the
rating characteristics weighed (000_ §7.1, 003_ Annex G) — a guide, not a checklist. Progress on
the previous inspection's recommendations is judged sufficient, insufficient or none and shown
on its own: it never enters a rating (000_ §7.1, 004_).

Like the assessor's form, everything here saves itself (each save audited as before): a rating
or a ticked characteristic at once, typed text shortly after typing stops and when the focus,
the standard or the recommendation changes. A rating is kept once it has both a rating and
evidence; progress starts as "Not yet judged" and is kept once judged. The rest of the window
consolidates again when the lead leaves this screen, not under their typing.
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
from hmip_desktop.findings.case_links import CaseLinks
from hmip_desktop.findings.service import documents, standard_findings
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.qt import QEvent, QObject, Qt, QtGui, QTimer, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.case_data import CaseDataView
from hmip_desktop.gui.lead.common import (
    Column,
    EmptyState,
    MessageLine,
    RowsModel,
    rating_label,
    ratings,
    table_view,
    when,
)
from hmip_desktop.gui.lead.findings_words import standard_summary
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace

PROGRESS_LABELS = {"sufficient": _("Sufficient"), "insufficient": _("Insufficient"),
                   "none": _("None")}
NOT_JUDGED = _("Not yet judged")
SAVE_AFTER_MS = 700  # as the assessor's fields (gui/assessor/autosave.py)

RECOMMENDATION_COLUMNS = (
    Column(_("No."), lambda r: str(r.number), sort=lambda r: r.number),
    Column(_("Recommendation"), lambda r: r.text),
    Column(_("Progress"), lambda r: PROGRESS_LABELS.get(r.progress or "", NOT_JUDGED)),
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
        self.lead_standards: list[Any] = []
        self._loading = False  # fields being filled from the store: nothing to save
        self._shown: Any = None  # the standard whose rating the fields hold
        self._shown_rec: int | None = None  # the recommendation whose progress they hold
        self.unsaved_change = False  # saved since the window last consolidated
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
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
        self.standards.setMaximumHeight(100)
        self.standards.currentRowChanged.connect(self._standard_changed)
        lv.addWidget(self.standards)
        # The findings on the standard's key questions, which the rating draws on.
        self.findings_said = QtWidgets.QPlainTextEdit()
        self.findings_said.setReadOnly(True)
        self.findings_said.setAccessibleName(_("Findings the rating draws on"))
        self.findings_said.setFixedHeight(self.findings_said.fontMetrics().lineSpacing() * 5)
        lv.addWidget(self.findings_said)
        # The case data the framework links to the standard's key questions, read with them.
        self.case_data = CaseDataView()
        self.case_data.setMinimumHeight(self.findings_said.fontMetrics().lineSpacing() * 5)
        self.case_data.view.setMinimumHeight(0)
        lv.addWidget(self.case_data, 1)
        self.case_links: CaseLinks | None = None
        form = QtWidgets.QFormLayout()
        self.rating = QtWidgets.QComboBox()
        self.rating.setAccessibleName(_("Rating"))
        self.rating.addItem(_("— Choose —"), None)
        for r in ratings():
            self.rating.addItem(rating_label(r), r)
        self.rating.currentIndexChanged.connect(self._changed_now)
        form.addRow(_("&Rating:"), self.rating)
        self.evidence = QtWidgets.QPlainTextEdit()
        self.evidence.setAccessibleName(_("Evidence notes"))
        self.evidence.setPlaceholderText(_("The evidence behind the rating, with its sources"))
        self.evidence.setTabChangesFocus(True)
        self.evidence.setMaximumHeight(self.evidence.fontMetrics().lineSpacing() * 7)
        self.evidence.textChanged.connect(self._typed)
        self.evidence.installEventFilter(self)
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
            lst.itemChanged.connect(self._changed_now)
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
        self.other.textEdited.connect(self._typed)
        self.other.editingFinished.connect(self.flush)
        lv.addWidget(self.other)
        self.decided = QtWidgets.QLabel()
        self.decided.setWordWrap(True)
        self.decided.setAccessibleName(_("Who decided and when"))
        lv.addWidget(self.decided)
        # The lead proposes; the ratings panel confirms or varies (000_ §7.2).
        self.panel_said = QtWidgets.QLabel()
        self.panel_said.setWordWrap(True)
        self.panel_said.setAccessibleName(_("The ratings panel's decision"))
        lv.addWidget(self.panel_said)
        self.standards_stack = EmptyState(left, "", follow_model=False)
        split.addWidget(self.standards_stack)

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
        self.recs_stack = EmptyState(self.recs_view, _(
            "No recommendations yet. Type each recommendation of the previous inspection's "
            "report in the box below and press Enter; then judge the progress made on it."))
        rv.addWidget(self.recs_stack, 1)
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
        self.progress.addItem(NOT_JUDGED, None)
        for value, label in PROGRESS_LABELS.items():
            self.progress.addItem(label, value)
        self.progress.currentIndexChanged.connect(self._progress_changed)
        progress_label = QtWidgets.QLabel(_("&Progress:"))
        progress_label.setBuddy(self.progress)
        prog_row.addWidget(progress_label)
        prog_row.addWidget(self.progress)
        self.progress_note = QtWidgets.QLineEdit()
        self.progress_note.setAccessibleName(_("Progress note"))
        self.progress_note.setPlaceholderText(_("What was found"))
        self.progress_note.textEdited.connect(self._typed)
        self.progress_note.editingFinished.connect(self.flush)
        prog_row.addWidget(self.progress_note, 1)
        rv.addLayout(prog_row)
        split.addWidget(right)
        split.setSizes([620, 620])
        self.message = MessageLine()
        layout.addWidget(self.message)

    # -- data ------------------------------------------------------------------------------

    def set_inspection(self, iid: str | None, framework: Framework | None) -> None:
        self.flush()
        self._shown = None
        self._shown_rec = None
        self.iid = iid
        self.framework = framework
        self.case_links = None
        self.standards.blockSignals(True)
        self.standards.clear()
        self.lead_standards = [s for s in framework.standards if s.rated_by == "lead"] \
            if framework is not None else []
        for s in self.lead_standards:
            self.standards.addItem(f"{s.id}  {s.title}")
        self.standards.blockSignals(False)
        enabled = bool(self.lead_standards) and bool(framework and framework.rated)
        for w in (self.rating, self.evidence, self.other, *self.char_lists.values()):
            w.setEnabled(enabled)
        self.refresh()
        if self.lead_standards:
            self.standards.setCurrentRow(0)
        self.standards_stack.show_empty(not enabled)
        self.standards_stack.set_text(
            _("No inspection yet: set one up first (Inspection set-up in the main window).")
            if framework is None else
            _("This framework is not rated: there is no lead rating to give. Record findings "
              "on its organisational questions on the Findings and evidence tab.")
            if not framework.rated else
            _("This framework has no standard the lead rates: every rating comes from the "
              "case data (see the Tables and the Ratings panel)."))

    def refresh(self) -> None:
        self.saved = lead_ratings(self.ws, self.iid) if self.iid else {}
        self.decisions = panel_decisions(self.ws, self.iid) if self.iid else {}
        self.refresh_recommendations()
        self._show_standard(self.standards.currentRow())
        self._label_standards()

    def _label_standards(self) -> None:
        for i in range(self.standards.count()):
            s = self.lead_standards[i]
            saved = self.saved.get(s.id)
            self.standards.item(i).setText(
                f"{s.id}  {s.title}" + (f" — {rating_label(saved.rating)}" if saved else ""))

    def refresh_recommendations(self) -> None:
        """Only the recommendations: a rating being written beside them is left as typed."""
        self.recs.set_rows(recommendations(self.ws, self.iid) if self.iid else [])
        self._rec_selected()

    def current_standard(self) -> Any:
        row = self.standards.currentRow()
        return self.lead_standards[row] if 0 <= row < len(self.lead_standards) else None

    def _standard_changed(self, row: int) -> None:
        self.flush()  # what was typed for the standard shown before
        self._show_standard(row)

    def _show_standard(self, _row: int) -> None:
        s = self.current_standard()
        self._shown = s
        saved = self.saved.get(s.id) if s is not None else None
        self._loading = True
        try:
            self.rating.setCurrentIndex(
                max(0, self.rating.findData(saved.rating)) if saved else 0)
            self.evidence.setPlainText(saved.evidence if saved else "")
            chosen = saved.characteristics if saved else ()
            listed = self._fill_characteristics(s, set(chosen))
            self.other.setText("; ".join(c for c in chosen if c not in listed))
        finally:
            self._loading = False
        self._say_decided(s, saved)
        self.panel_said.setText(self._panel_text(s, saved))
        self.show_findings()
        self.show_case_data()

    def show_findings(self) -> None:
        s = self.current_standard()
        fw, iid = self.framework, self.iid
        if s is None or fw is None or iid is None:
            self.findings_said.setPlainText("")
            return
        register = {d.number: d for d in documents(self.ws, iid)}
        self.findings_said.setPlainText(standard_summary(fw, standard_findings(self.ws, iid, s.id),
                                                    register))

    def set_case_links(self, links: CaseLinks | None) -> None:
        """The linked case data of the latest consolidation (None: none yet)."""
        self.case_links = links
        self.show_case_data()

    def show_case_data(self) -> None:
        s, links = self.current_standard(), self.case_links
        self.case_data.set_links(self.framework, links.of_standard(s.id) if links and s else (),
                                 links.cases if links is not None else None)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        """Coming back from the Findings and evidence tab shows the findings as they are now."""
        super().showEvent(event)
        self.show_findings()

    def _say_decided(self, standard: Any, saved: Any) -> None:
        self.decided.setText(_("Saved: decided by {who} at {at}.").format(
            who=saved.decided_by, at=when(saved.decided_at)) if saved else
            (_("Not rated yet: choose a rating and write the evidence; it saves itself.")
             if standard is not None else ""))

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

    # -- saving as the lead goes -------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and obj is getattr(self, "evidence", None):
            self.flush()
        return False

    def _typed(self, *_args: object) -> None:
        if not self._loading:
            self._timer.start()

    def _changed_now(self, *_args: object) -> None:
        if not self._loading:
            self.flush()

    def _progress_changed(self, *_args: object) -> None:
        if not self._loading:
            self.flush()

    def hideEvent(self, event: QtGui.QHideEvent) -> None:
        """Leaving the screen saves what is typed, then the window consolidates again."""
        self.flush()
        super().hideEvent(event)
        if self.unsaved_change:
            self.unsaved_change = False
            self.changed.emit()

    def flush(self) -> None:
        """Save the shown rating and the shown recommendation's progress if they changed."""
        self._timer.stop()
        if self.iid is None or self._loading:
            return
        self._save_rating()
        self._save_progress()

    def _save_rating(self) -> None:
        s = self._shown
        if s is None or self.iid is None or not self.rating.isEnabled():
            return
        rating = self.rating.currentData()
        evidence = self.evidence.toPlainText().strip()
        characteristics = self.characteristics()
        saved = self.saved.get(s.id)
        if saved is not None and (saved.rating, saved.evidence.strip(),
                                  tuple(saved.characteristics)) == (
                rating, evidence, characteristics):
            return
        if saved is None and rating is None and not evidence and not characteristics:
            return
        if rating is None or not evidence:
            self.message.refused(_(
                "{id} is not saved yet: it needs a rating and evidence.").format(id=s.id))
            return
        try:
            set_lead_rating(self.ws, self.iid, s.id, rating, evidence=evidence,
                            characteristics=characteristics)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.saved = lead_ratings(self.ws, self.iid)
        self.unsaved_change = True
        self.message.done(_("{id} rated {rating}; saved.").format(
            id=s.id, rating=rating_label(rating)))
        self._label_standards()
        if self.current_standard() is s:
            self._say_decided(s, self.saved.get(s.id))
            self.panel_said.setText(self._panel_text(s, self.saved.get(s.id)))

    def current_recommendation(self) -> Any:
        index = self.recs_view.currentIndex()
        return self.recs.rows[index.row()] if index.isValid() else None

    def _rec_selected(self, *_args: object) -> None:
        if self._shown_rec is not None and not self._loading:
            self._save_progress()
        rec = self.current_recommendation()
        self._shown_rec = rec.number if rec is not None else None
        self._loading = True
        try:
            self.progress.setCurrentIndex(max(0, self.progress.findData(rec.progress))
                                          if rec is not None and rec.progress else 0)
            self.progress_note.setText(rec.note if rec is not None else "")
        finally:
            self._loading = False
        for w in (self.progress, self.progress_note):
            w.setEnabled(rec is not None)

    def add_recommendation(self) -> None:
        if self.iid is None:
            return
        self.flush()
        try:
            number = add_recommendation(self.ws, self.iid, self.new_rec.text())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.new_rec.clear()
        self.message.done(_("Recommendation {n} added.").format(n=number))
        self._shown_rec = None
        self.refresh_recommendations()
        self.recs_view.selectRow(len(self.recs.rows) - 1)
        self.unsaved_change = True

    def _save_progress(self) -> None:
        number = self._shown_rec
        rec = next((r for r in self.recs.rows if r.number == number), None)
        if rec is None or number is None or self.iid is None:
            return
        progress = self.progress.currentData()
        note = self.progress_note.text().strip()
        if (progress, note) == (rec.progress, (rec.note or "").strip()):
            return
        if progress is None:
            if note:
                self.message.refused(_(
                    "The note on recommendation {n} is saved once its progress is judged."
                    ).format(n=number))
            return
        try:
            set_recommendation_progress(self.ws, self.iid, number, progress, note)
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Progress on recommendation {n} saved.").format(n=number))
        row = self.recs_view.currentIndex().row()
        self._loading = True
        try:
            self.recs.set_rows(recommendations(self.ws, self.iid))
            self.recs_view.selectRow(row)
        finally:
            self._loading = False
        self.unsaved_change = True
