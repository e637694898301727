"""Check my cases: the QA partner's checks run on the assessor's own cases, before the meeting.

One row per case with something to raise, and under it each finding: must fix first, then
worth a look, and the items still empty folded into one line. Enter (or a double click) opens
the case at the item, outlined as the QA partner will see it (``qa/readiness.check_my_cases``).
"""

from __future__ import annotations

from hmip_desktop.gui.assessor.kq_page import MARK_COLOURS
from hmip_desktop.gui.assessor.wrapping import wrap_rows
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import _
from hmip_desktop.qa.checks import MUST_FIX
from hmip_desktop.qa.readiness import CaseCheck, Point
from hmip_desktop.wording import STATUS_LABELS

TARGET = Qt.ItemDataRole.UserRole  # (case id, item) a row opens
TO_DO_COLOUR = "#505a5f"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.format(n=n)


def case_counts(c: CaseCheck) -> str:
    """The findings of one case in a few words: "1 must fix · 2 worth a look · …"."""
    parts = []
    if c.must_fix:
        parts.append(_("{n} must fix").format(n=c.must_fix))
    if c.worth_a_look:
        parts.append(_("{n} worth a look").format(n=c.worth_a_look))
    if c.blanks:
        parts.append(_plural(len(c.blanks), _("1 item still to answer"),
                             _("{n} items still to answer")))
    return " · ".join(parts)


class CheckView(QtWidgets.QWidget):
    """The assessor's own run of the lunchtime QA checks, from the case list."""

    open_item = Signal(str, str)  # case id, item
    back = Signal()
    rerun = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("← My cases"))
        self.back_button.setToolTip(_("Back to the case list (Alt+Left or Esc)"))
        self.back_button.clicked.connect(self.back)
        top.addWidget(self.back_button)
        self.title = heading(_("Check my cases"))
        top.addWidget(self.title, 1)
        self.again = QtWidgets.QPushButton(_("Check again"))
        self.again.setToolTip(_("Run the checks again (F5)"))
        self.again.clicked.connect(self.rerun)
        top.addWidget(self.again)
        layout.addLayout(top)
        intro = QtWidgets.QLabel(_(
            "The checks the QA partner runs at the lunchtime meeting, run on your cases. "
            "Must fix: the QA partner cannot sign the case off until it is put right. Worth a "
            "look: it may be right, but be ready to explain it."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Case"), _("Where on the form"), _("What the check found")])
        self.tree.setAccessibleName(_("Findings on your cases"))
        self.tree.setAlternatingRowColors(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 260)
        header.resizeSection(1, 420)
        wrap_rows(self.tree)
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        hint = QtWidgets.QLabel(_("Enter opens the case at the item · F5 checks again · "
                                  "Esc goes back to the case list"))
        hint.setEnabled(False)
        layout.addWidget(hint)
        for keys, slot in (("Esc", self.back), ("Alt+Left", self.back), ("F5", self.rerun)):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.checks: list[CaseCheck] = []

    def set_checks(self, checks: list[CaseCheck]) -> None:
        """Show the findings; the row selected before stays selected where it still is."""
        was = self.tree.currentItem()
        keep = was.data(0, TARGET) if was is not None else None
        self.checks = checks
        self.tree.clear()
        raised = [c for c in checks if c.points or c.blanks]
        clean = [c for c in checks if not (c.points or c.blanks)]
        must = sum(c.must_fix for c in checks)
        look = sum(c.worth_a_look for c in checks)
        if not checks:
            self.summary.setText(_("You have no cases in this workspace."))
        elif not raised:
            self.summary.setText(_("Nothing to raise on any of your {n} cases.").format(
                n=len(checks)))
        else:
            found = [text for count, text in (
                (must, _plural(must, _("1 must fix"), _("{n} must fix"))),
                (look, _plural(look, _("1 worth a look"), _("{n} worth a look")))) if count]
            words = (_("{found} across {cases} of your {n} cases.") if found else
                     _("Only items still to answer, on {cases} of your {n} cases."))
            self.summary.setText(words.format(
                found=_(" and ").join(found), cases=len(raised), n=len(checks)) + (" " + _plural(
                    len(clean), _("Nothing to raise on the other one."),
                    _("Nothing to raise on the other {n}.")) if clean else ""))
        select: QtWidgets.QTreeWidgetItem | None = None
        for c in raised:
            row = self._case_row(c)
            self.tree.addTopLevelItem(row)
            for i in range(row.childCount()):
                child = row.child(i)
                if child is not None and child.data(0, TARGET) == keep:
                    select = child
            if row.data(0, TARGET) == keep and select is None:
                select = row
        if clean:
            group = QtWidgets.QTreeWidgetItem([_("Nothing to raise"), "", _plural(
                len(clean), _("1 case"), _("{n} cases"))])
            _bold(group)
            for c in clean:
                s = c.summary
                child = QtWidgets.QTreeWidgetItem([s.case.case_ref, _person(c), _status(c)])
                child.setData(0, TARGET, (s.case.id, ""))
                group.addChild(child)
            self.tree.addTopLevelItem(group)
        self.tree.expandAll()
        if clean:
            group.setExpanded(False)  # the cases with nothing to raise, folded
        first = select or self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _case_row(self, c: CaseCheck) -> QtWidgets.QTreeWidgetItem:
        s = c.summary
        first = (c.points or c.blanks)[0].item
        row = QtWidgets.QTreeWidgetItem([s.case.case_ref, _person(c),
                                         f"{_status(c)} · {case_counts(c)}"])
        row.setData(0, TARGET, (s.case.id, first))
        _bold(row)
        for p in c.points:
            row.addChild(self._point_row(s.case.id, p))
        if c.blanks:
            words = _plural(len(c.blanks), _("1 item still to answer"),
                            _("{n} items still to answer")) + _(", the first shown here: "
                                                                 "Enter goes to it.")
            child = QtWidgets.QTreeWidgetItem([_("Still to do"), c.blanks[0].where, words])
            child.setForeground(0, QtGui.QBrush(QtGui.QColor(TO_DO_COLOUR)))
            child.setData(0, TARGET, (s.case.id, c.blanks[0].item))
            child.setToolTip(1, "\n".join(p.where for p in c.blanks[:20]))
            row.addChild(child)
        return row

    @staticmethod
    def _point_row(case_id: str, p: Point) -> QtWidgets.QTreeWidgetItem:
        severity = _("Must fix") if p.severity == MUST_FIX else _("Worth a look")
        child = QtWidgets.QTreeWidgetItem([severity, p.where, p.message])
        child.setForeground(0, QtGui.QBrush(QtGui.QColor(MARK_COLOURS[p.severity])))
        child.setData(0, TARGET, (case_id, p.item))
        child.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole,
                      f"{severity}: {p.where}: {p.message}")
        return child

    def _activated(self, item: QtWidgets.QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, TARGET)
        if target:
            case_id, where = target
            self.open_item.emit(case_id, where)


def _person(c: CaseCheck) -> str:
    name = c.summary.case.person_name
    return _("Person on probation: {name}").format(name=name) if name else ""


def _status(c: CaseCheck) -> str:
    return STATUS_LABELS.get(c.summary.display_status, c.summary.display_status)


def _bold(item: QtWidgets.QTreeWidgetItem) -> None:
    for col in range(3):
        font = item.font(col)
        font.setBold(True)
        item.setFont(col, font)
