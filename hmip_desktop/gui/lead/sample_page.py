"""The case sample, step by step, for the lead: opened from the inspection set-up.

Per sample kind of the inspection's framework: import the organisation's long list, decide its
exclusion flags, draw the provisional list with a seed, export it for the organisation, import
what they return, make the final sample (its cases join the inspection's, ready for the
allocation) and swap an ineligible case for a reserve; beside the steps, the long list's
summary, the flags, the cases drawn and the evidence that the sample is fair. Each step is
enabled only when the service would take it; every step goes through
``sampling/service.py``, and a refusal is shown in one line with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import MessageLine
from hmip_desktop.gui.lead.sample_tabs import (
    DrawnTab,
    EvidenceTab,
    FlagsTab,
    RefusedRowsDialog,
    SummaryTab,
)
from hmip_desktop.i18n import _
from hmip_desktop.sampling import progress, service
from hmip_desktop.sampling.longlist import LongListError
from hmip_desktop.sampling.rules import SampleKind
from hmip_desktop.store.workspace import Workspace

PERSONAL_DATA = _("This file is personal data in plaintext: anyone who can open the folder can "
                  "read it. Send it to the organisation by a secure route, and delete it once "
                  "the final sample is made.")


@contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor while a long step (a 50,000-case long list) runs on this thread."""
    QtWidgets.QApplication.setOverrideCursor(QtGui.QCursor(Qt.CursorShape.WaitCursor))
    QtWidgets.QApplication.processEvents()
    try:
        yield
    finally:
        QtWidgets.QApplication.restoreOverrideCursor()


class SamplePage(QtWidgets.QDialog):
    """The case sample of one inspection, one sample kind at a time."""

    def __init__(self, ws: Workspace, iid: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.iid = ws, iid
        self.setWindowTitle(_("Case sample"))
        self.resize(1180, 700)
        layout = QtWidgets.QVBoxLayout(self)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel(_("Sample:")))
        self.kind = QtWidgets.QComboBox()
        self.kind.setAccessibleName(_("Sample"))
        self.kind.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(20)
        for kind_id, label in service.sample_kinds(ws, iid):
            self.kind.addItem(label, kind_id)
        top.addWidget(self.kind, 1)
        layout.addLayout(top)
        self.stage = QtWidgets.QLabel()
        self.stage.setTextFormat(Qt.TextFormat.PlainText)
        self.stage.setWordWrap(True)
        self.stage.setAccessibleName(_("How far the sample has got"))
        layout.addWidget(self.stage)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        steps = QtWidgets.QScrollArea()
        steps.setWidgetResizable(True)
        steps.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        steps.setWidget(self._steps())
        steps.setMinimumWidth(260)
        split.addWidget(steps)
        self.tabs = QtWidgets.QTabWidget()
        self.summary = SummaryTab()
        self.flags = FlagsTab(self.decide)
        self.drawn = DrawnTab()
        self.evidence = EvidenceTab()
        self.tabs.addTab(self.summary, _("Long list"))
        self.tabs.addTab(self.flags, _("Exclusion flags"))
        self.tabs.addTab(self.drawn, _("Cases drawn"))
        self.tabs.addTab(self.evidence, _("Evidence the sample is fair"))
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 880])
        layout.addWidget(split, 1)

        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._flags_stale = True
        self._flags_for: tuple[str, progress.Progress] = (
            "", progress.Progress(False, False, False, False))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _steps(self) -> QtWidgets.QWidget:
        box = QtWidgets.QWidget()
        v = QtWidgets.QVBoxLayout(box)
        v.addWidget(heading(_("Steps")))

        def step(text: str, slot: Callable[[], object], hint: str) -> QtWidgets.QPushButton:
            b = QtWidgets.QPushButton(text)
            b.setToolTip(hint)
            b.clicked.connect(slot)
            v.addWidget(b)
            return b

        self.import_button = step(_("1. Import the long list…"), self.import_longlist, _(
            "The organisation's long list of this sample, as CSV or XLSX: every row is checked "
            "and nothing is imported until the file is clean."))
        v.addWidget(QtWidgets.QLabel(_("2. Draw with the seed:")))
        seed_row = QtWidgets.QHBoxLayout()
        self.seed = QtWidgets.QLineEdit(progress.fresh_seed())
        self.seed.setAccessibleName(_("Seed"))
        self.seed.setToolTip(_("A whole number, recorded with the draw: the same long list, "
                               "decisions and seed always draw the same cases."))
        seed_row.addWidget(self.seed, 1)
        self.new_seed = QtWidgets.QPushButton(_("New seed"))
        self.new_seed.clicked.connect(lambda: self.seed.setText(progress.fresh_seed()))
        seed_row.addWidget(self.new_seed)
        v.addLayout(seed_row)
        size_row = QtWidgets.QHBoxLayout()
        size_row.addWidget(QtWidgets.QLabel(_("Final size:")))
        self.final_size = QtWidgets.QSpinBox()
        self.final_size.setRange(0, 10_000)
        self.final_size.setSpecialValueText(_("As the rules say"))
        self.final_size.setAccessibleName(_("Final sample size"))
        self.final_size.setToolTip(_("Leave at 'As the rules say' for the manual's size; give a "
                               "number when the size table has no row for this organisation."))
        size_row.addWidget(self.final_size, 1)
        v.addLayout(size_row)
        self.draw_button = step(_("Draw the provisional list"), self.draw, _(
            "A stratified random draw, larger than the final sample by the rules' margin."))
        self.export_button = step(_("3. Export the provisional list…"), self.export, _(
            "An XLSX for the organisation to add availability, consent and late exclusions. "
            "It holds personal data in plaintext."))
        self.returned_button = step(_("4. Import the returned list…"), self.import_returned, _(
            "The provisional list as the organisation returned it."))
        self.final_button = step(_("5. Make the final sample"), self.finalise, _(
            "The final cases join the inspection's case list, ready for the allocation."))
        self.reserve_button = step(_("6. Use a reserve…"), self.use_reserve, _(
            "Swap a final case found ineligible at fieldwork for a reserve of its stratum."))
        v.addStretch(1)
        return box

    # -- state ---------------------------------------------------------------------------

    def kind_id(self) -> str:
        return str(self.kind.currentData() or "")

    def rules(self) -> SampleKind | None:
        sampling = self.ws.inspection_framework(self.iid).sampling
        kind = self.kind_id()
        return sampling.kind(kind) if sampling and kind else None

    def _kind_changed(self) -> None:
        kind = self.kind_id()
        seed = progress.seed_of(self.ws, self.iid, kind) if kind else None
        self.seed.setText(seed or progress.fresh_seed())
        self.refresh()

    def refresh(self) -> None:
        """Show the chosen kind as stored (under the wait cursor: a long list is read back)."""
        with busy_cursor():
            self._refresh()

    def _refresh(self) -> None:
        rules = self.rules()
        if rules is None:
            self.stage.setText(_("The framework of this inspection has no sampling rules."))
            for b in self._buttons():
                b.setEnabled(False)
            return
        kind = rules.id
        p = progress.progress(self.ws, self.iid, kind)
        self.stage.setText(progress.stage_words(p))
        self.import_button.setEnabled(not p.has_final)
        for w in (self.draw_button, self.seed, self.new_seed, self.final_size):
            w.setEnabled(p.can_draw)
        self.export_button.setEnabled(p.has_provisional)
        self.returned_button.setEnabled(p.can_return)
        self.final_button.setEnabled(p.can_finalise)
        self.reserve_button.setEnabled(p.has_final)
        summary = service.longlist_summary(self.ws, self.iid, kind) if p.has_long_list else None
        self.summary.show_summary(summary)
        self._flags_for = (kind, p)
        if self.tabs.currentWidget() is self.flags:
            self._load_flags()
        else:
            self._flags_stale = True
        self.drawn.show_cases(progress.drawn_cases(self.ws, self.iid, rules))
        self.evidence.show_report(rules, service.report(self.ws, self.iid, kind)
                                  if p.has_provisional else None)

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.flags and self._flags_stale:
            with busy_cursor():
                self._load_flags()

    def _load_flags(self) -> None:
        """The flags are read when their tab is shown: a big long list has thousands."""
        kind, p = self._flags_for
        self.flags.show_flags(service.exclusion_flags(self.ws, self.iid, kind)
                              if p.has_long_list else [], can_decide=p.can_decide,
                              has_long_list=p.has_long_list)
        self._flags_stale = False

    def _buttons(self) -> tuple[QtWidgets.QWidget, ...]:
        return (self.import_button, self.draw_button, self.seed, self.new_seed, self.final_size,
                self.export_button, self.returned_button, self.final_button,
                self.reserve_button)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], str]) -> bool:
        """Take a step under the wait cursor; a refusal in one line (or its rows listed)."""
        try:
            with busy_cursor():
                result = work()
        except LongListError as e:
            self.message.refused(str(e))
            RefusedRowsDialog(str(e), e.problems, self).exec()
            return False
        except UserError as e:
            self.message.refused(str(e))
            return False
        self.refresh()
        self.message.done(done(result))
        return True

    # -- steps ---------------------------------------------------------------------------

    def import_longlist(self) -> None:
        rules = self.rules()
        if rules is None:
            return
        name, _f = QtWidgets.QFileDialog.getOpenFileName(
            self, _("Long list: {kind}").format(kind=rules.label), str(Path.home()),
            _("Long lists (*.csv *.xlsx)"))
        if name:
            self._run(lambda: service.import_longlist(self.ws, self.iid, rules.id, Path(name)),
                      lambda s: _("{n} cases imported from {file}: {e} eligible.").format(
                          n=f"{s.cases:,}", file=s.file_name, e=f"{s.eligible:,}"))

    def decide(self, case_ref: str, rule: str, confirm: bool) -> None:
        word = _("Confirm the exclusion") if confirm else _("Overrule the exclusion")
        reason, ok = QtWidgets.QInputDialog.getText(
            self, word, _("Case {ref}. The reason, for the record:").format(ref=case_ref))
        if ok:
            self._run(lambda: service.decide_exclusion(self.ws, self.iid, self.kind_id(),
                                                       case_ref, rule, confirm, reason),
                      lambda f: (_("Case {ref} excluded: {reason}") if f.excluded
                                 else _("Case {ref} kept in the draw: {reason}")).format(
                          ref=case_ref, reason=f.decision.reason if f.decision else reason))

    def draw(self) -> None:
        size = self.final_size.value() or None
        seed = self.seed.text()
        self._run(lambda: service.draw_provisional(self.ws, self.iid, self.kind_id(), seed,
                                                   size),
                  lambda d: _("Provisional list drawn with seed {seed}: {n} cases for a final "
                              "sample of {target}.").format(seed=d.seed, n=len(d.provisional),
                                                           target=d.target))
        if self.message.property("kind") == "done":
            self.tabs.setCurrentWidget(self.drawn)

    def export(self) -> None:
        rules = self.rules()
        if rules is None:
            return
        suggested = Path.home() / f"provisional-{rules.id.replace('_', '-')}.xlsx"
        name, _f = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Provisional list — personal data, not encrypted"), str(suggested),
            _("Workbooks (*.xlsx)"))
        if name:
            self._run(lambda: service.export_provisional(self.ws, self.iid, rules.id,
                                                         Path(name)),
                      lambda p: _("Saved to {path}. {warning}").format(path=p,
                                                                       warning=PERSONAL_DATA))

    def import_returned(self) -> None:
        name, _f = QtWidgets.QFileDialog.getOpenFileName(
            self, _("The provisional list as returned"), str(Path.home()),
            _("Workbooks (*.xlsx);;CSV files (*.csv)"))
        if name:
            self._run(lambda: service.import_returned(self.ws, self.iid, self.kind_id(),
                                                      Path(name)),
                      lambda r: _("{n} cases returned, {usable} available with consent."
                                  ).format(n=r.cases, usable=r.usable) + (
                          _(" Not in the file: {refs}.").format(refs=", ".join(r.not_returned))
                          if r.not_returned else ""))

    def finalise(self) -> None:
        if self._run(lambda: service.finalise(self.ws, self.iid, self.kind_id()),
                     lambda f: _("Final sample made: {n} cases, {r} reserves. {added} cases "
                                 "added to the inspection's case list, ready to allocate."
                                 ).format(n=len(f.draw.final), r=len(f.draw.reserves),
                                          added=f.cases_added)):
            self.tabs.setCurrentWidget(self.evidence)

    def use_reserve(self) -> None:
        cases = progress.final_cases(self.ws, self.iid, self.kind_id())
        if not cases:
            return
        case, ok = QtWidgets.QInputDialog.getItem(
            self, _("Use a reserve"), _("The case found ineligible:"), cases, 0, False)
        if not ok:
            return
        reason, ok = QtWidgets.QInputDialog.getText(
            self, _("Use a reserve"), _("Why case {ref} is ineligible:").format(ref=case))
        if not ok:
            return
        if not reason.strip():
            self.message.refused(_("Give the reason case {ref} is ineligible: nothing was "
                                   "changed.").format(ref=case))
            return
        self._run(lambda: service.use_reserve(self.ws, self.iid, self.kind_id(), case, reason),
                  lambda s: _("Case {out} replaced by reserve {in_} of the same stratum; "
                              "{left} reserves left in it.").format(
                      out=s.out_case, in_=s.in_case, left=s.reserves_left))
