"""The case sample page's tabs, and the list of a refused file's rows.

The tabs: the long list, its exclusion flags, the cases drawn, the evidence that the sample
is fair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hmip_desktop.gui.common.plain_text import plain_label
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.lead.common import Column, EmptyState, RowsModel, table_view
from hmip_desktop.i18n import _
from hmip_desktop.sampling import progress
from hmip_desktop.sampling.rules import SampleKind
from hmip_desktop.sampling.service import FlagView, LongListSummary, SampleReport
from hmip_desktop.sampling.sizes import Share


def _scrolled(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _text_label(name: str) -> QtWidgets.QLabel:
    label = plain_label()
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def _n(value: int) -> str:
    return f"{value:,}"


class SummaryTab(QtWidgets.QWidget):
    """What the long list holds: cases, eligible, excluded per rule, the organisation's marks."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        self.text = _text_label(_("Long list summary"))
        layout.addWidget(_scrolled(self.text))

    def show_summary(self, s: LongListSummary | None) -> None:
        if s is None:
            self.text.setText(_("No long list yet. Import the organisation's long list of "
                                "this sample (step 1): one file per sample, CSV or XLSX."))
            return
        lines = [_("File: {file}").format(file=s.file_name),
                 _("Cases on the long list: {n}").format(n=_n(s.cases)),
                 _("Eligible for the draw: {n}").format(n=_n(s.eligible)),
                 _("Cases with an exclusion flag: {n} ({u} flags still to decide)").format(
                     n=_n(s.flagged), u=_n(s.undecided)),
                 _("Potential exclusions the organisation marked: {n}").format(n=_n(s.marked)),
                 "", _("Excluded, per rule:")]
        lines += [f"  • {progress.rule_sentence(words)}: {_n(n)}"
                  for words, n in s.excluded_per_rule.items()]
        if not s.excluded_per_rule:
            lines.append("  " + _("None: these rules have no exclusions."))
        self.text.setText("\n".join(lines))


class FlagsTab(QtWidgets.QWidget):
    """Each exclusion flag, with confirm and overrule (a reason asked for each)."""

    def __init__(self, decide: Callable[[str, str, bool], None]) -> None:
        super().__init__()
        self._decide = decide
        layout = QtWidgets.QVBoxLayout(self)
        self.model = RowsModel([
            Column(_("Row"), lambda f: str(f.row), sort=lambda f: f.row),
            Column(_("Case"), lambda f: f.case_ref),
            Column(_("Exclusion"), lambda f: progress.rule_sentence(f.words)),
            Column(_("From"), lambda f: f.source),
            Column(_("Decision"), _decision_words),
            Column(_("In the draw"), lambda f: _("No") if f.excluded else _("Yes")),
        ])
        # A long list of 50,000 cases has thousands of flags: one line per flag, the columns
        # sized once rather than measured over every row, and the chosen flag in full below.
        self.view = table_view(self.model, _("Exclusion flags"), stretch=2)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        for column, width in ((0, 60), (1, 90), (3, 170), (4, 340), (5, 90)):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.empty = EmptyState(self.view, _("No long list yet."))
        layout.addWidget(self.empty, 1)
        self.detail = _text_label(_("The chosen flag in full"))
        layout.addWidget(self.detail)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        row = QtWidgets.QHBoxLayout()
        self.confirm = QtWidgets.QPushButton(_("Confirm the exclusion…"))
        self.confirm.clicked.connect(lambda: self._chosen(True))
        self.overrule = QtWidgets.QPushButton(_("Overrule it…"))
        self.overrule.clicked.connect(lambda: self._chosen(False))
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        row.addWidget(self.confirm)
        row.addWidget(self.overrule)
        row.addWidget(self.note, 1)
        layout.addLayout(row)

    def show_flags(self, flags: Sequence[FlagView], *, can_decide: bool,
                   has_long_list: bool) -> None:
        self.model.set_rows(flags)
        if flags:
            self.view.selectRow(0)  # the first flag in full below, until another is chosen
        self._show_detail()
        self.empty.set_text(_("No case on the long list meets an exclusion rule.")
                            if has_long_list else _("No long list yet."))
        for b in (self.confirm, self.overrule):
            b.setEnabled(can_decide and bool(flags))
        self.note.setText("" if can_decide or not has_long_list else _(
            "The provisional list was drawn on these decisions: to change one, import the "
            "long list again."))

    def select(self, row: int) -> None:
        self.view.selectRow(row)

    def _show_detail(self, *_args: object) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.detail.setText("")
            return
        f = self.model.rows[index.row()]
        self.detail.setText(_("Row {row}, case {ref}: {words} ({source}). {decision}.").format(
            row=f.row, ref=f.case_ref, words=progress.rule_sentence(f.words), source=f.source,
            decision=_decision_words(f)))

    def _chosen(self, confirm: bool) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.note.setText(_("Select a flag first."))
            return
        flag = self.model.rows[rows[0].row()]
        self._decide(flag.case_ref, flag.rule, confirm)


def _decision_words(f: FlagView) -> str:
    if f.decision is not None:
        return (_("Confirmed: {reason}") if f.decision.confirmed
                else _("Overruled: {reason}")).format(reason=f.decision.reason)
    return (_("Not decided: excluded unless overruled") if f.firm
            else _("Not decided: a potential exclusion, kept unless confirmed"))


class DrawnTab(QtWidgets.QWidget):
    """The provisional list (and, once made, the final sample and its reserves)."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        self.model = RowsModel([
            Column(_("Case"), lambda c: c.case_ref),
            Column(_("Stratum"), lambda c: c.stratum),
            Column(_("Part of the sample"), lambda c: c.part),
        ])
        self.view = table_view(self.model, _("Cases drawn"), stretch=1)
        layout.addWidget(EmptyState(self.view, _(
            "Nothing drawn yet. Once the long list is in and its flags decided, draw the "
            "provisional list with a seed (step 2).")), 1)

    def show_cases(self, cases: Sequence[progress.DrawnCase]) -> None:
        self.model.set_rows(cases)


class EvidenceTab(QtWidgets.QWidget):
    """The evidence that the sample is fair (000_ §4.2): what the service's report holds."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        self.head = _text_label(_("The draw"))
        layout.addWidget(self.head)
        self.model = RowsModel([
            Column(_("Variable"), lambda r: r[0].variable),
            Column(_("Value"), lambda r: r[1]),
            Column(_("Population"), lambda r: _n(r[0].population)),
            Column(_("Population %"), lambda r: f"{r[0].population_percent:.1f}%"),
            Column(_("Sample"), lambda r: _n(r[0].sample)),
            Column(_("Sample %"), lambda r: f"{r[0].sample_percent:.1f}%"),
        ])
        self.view = table_view(self.model, _("Population against sample"), stretch=1)
        self.empty = EmptyState(self.view, _("Nothing drawn yet: the evidence appears once the "
                                             "provisional list is drawn."), follow_model=False)
        layout.addWidget(self.empty, 1)
        self.rest = _text_label(_("Exclusions, adjustments and constraints"))
        layout.addWidget(_scrolled(self.rest), 1)

    def show_report(self, rules: SampleKind, r: SampleReport | None) -> None:
        if r is None:
            self.model.set_rows([])
            self.empty.show_empty(True)
            self.empty.setMaximumHeight(16_777_215)  # Qt's "no maximum": the sentence centred
            self.head.setText("")
            self.rest.setText("")
            return
        rows: list[tuple[Share, str]] = [(s, progress.share_value(rules, s)) for s in r.shares]
        self.model.set_rows(rows)
        self.empty.show_empty(False)
        self._fit_rows()
        which = (_("The final sample") if r.stage == "final"
                 else _("The provisional list's final part"))
        self.head.setText("\n".join([
            _("{which}: {n} cases drawn from {pop} eligible ({cases} on the long list), with "
              "the seed {seed}.").format(which=which, n=_n(r.sample), pop=_n(r.population),
                                         cases=_n(r.long_list_cases), seed=r.seed),
            _("Margin of error at 80% confidence for {n} cases: ±{moe} percentage points."
              ).format(n=_n(r.sample), moe=f"{r.margin_of_error_points:.1f}"),
        ]))
        lines = [_("Excluded, per rule:")]
        lines += [f"  • {progress.rule_sentence(words)}: {_n(n)}"
                  for words, n in r.excluded_per_rule.items()] or [
            "  " + _("None: these rules have no exclusions.")]
        lines += ["", _("Adjustments to meet the constraints:")]
        lines += [f"  • {progress.adjustment_words(rules, a)}" for a in r.adjustments] or [
            "  " + _("None were needed.")]
        lines += ["", _("Constraints not met:")]
        lines += [f"  • {u}" for u in r.unmet] or ["  " + _("None: every constraint is met.")]
        if r.swaps:
            lines += ["", _("Reserves used:")]
            lines += ["  • " + _("{out} replaced by {in_}: {reason}").format(
                out=s.out_case, in_=s.in_case, reason=s.reason) for s in r.swaps]
        self.rest.setText("\n".join(lines))


    def _fit_rows(self) -> None:
        """No taller than its rows, so the exclusions and constraints below get the room."""
        v = self.view
        v.resizeRowsToContents()
        height = (v.horizontalHeader().sizeHint().height() + 2 * v.frameWidth() + 2
                  + sum(v.rowHeight(r) for r in range(self.model.rowCount())))
        v.setMaximumHeight(height)
        self.empty.setMaximumHeight(height)


class RefusedRowsDialog(QtWidgets.QDialog):
    """A refused file: the one-line reason, then every refused row, readably."""

    def __init__(self, summary: str, problems: Sequence[tuple[int, str]],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Nothing imported"))
        self.resize(720, 420)
        layout = QtWidgets.QVBoxLayout(self)
        head = plain_label(summary)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.rows = QtWidgets.QListWidget()
        self.rows.setAccessibleName(_("The rows refused"))
        self.rows.setWordWrap(True)
        for row, why in problems:
            self.rows.addItem(_("Row {row}: {why}").format(row=row, why=why) if row
                              else _("The whole file: {why}").format(why=why))
        layout.addWidget(self.rows, 1)
        layout.addWidget(QtWidgets.QLabel(_("Correct the file and import it again: nothing "
                                            "was imported.")))
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
