"""The QA partner's home screen: assessors → cases → findings, queries and sign-off.

For a workspace whose owner is a QA partner (``ws.owner_role == "qa"``) the main window shows
this instead of the case list. The checks run over every case off the GUI thread
(``gui/common/jobs.py``) each time the screen is shown or a bundle is imported. A case opens in the
same case form, read-only, with the items that have findings outlined; the QA partner adds
queries, closes them, signs the case off, and prints the lunchtime sheet. Their own cases (a
QA partner may assess some too) are listed under their name and open for editing as usual.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.contacts import own_member_ids
from hmip_desktop.exchange.files import EXTENSIONS
from hmip_desktop.exchange.qa import export_qa
from hmip_desktop.gui.assessor.case_form import CaseForm
from hmip_desktop.gui.assessor.kq_page import MARK_COLOURS
from hmip_desktop.gui.common import jobs
from hmip_desktop.gui.common.exchange_actions import BUNDLE_FILTER
from hmip_desktop.gui.common.jobs import run_job
from hmip_desktop.gui.common.qt import Qt, QtGui, QThreadPool, QTimer, QtWidgets, Signal
from hmip_desktop.gui.common.queries import (
    QueryPanel,
    ask_and_raise,
    query_item_label,
    queryable_items,
)
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.debrief import DebriefDialog
from hmip_desktop.gui.qa.sheet import sheet_view
from hmip_desktop.i18n import _
from hmip_desktop.laptop_return.exports import write_recorded
from hmip_desktop.qa.checks import UNANSWERED
from hmip_desktop.qa.queries import QueryError, refuse_own_case
from hmip_desktop.qa.service import case_findings
from hmip_desktop.qa.sheet import FOLD_BLANKS_OVER, CaseLine, Sheet, sheet_data
from hmip_desktop.qa.signoff import sign_off
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import SEVERITY_LABELS, STATUS_LABELS, capitalised


class CaseHost(Protocol):
    """What the QA view needs of the window that holds it.

    The workspace, and a way to open a case in the form: the main window has both, and the
    view does not import it.
    """

    @property
    def ws(self) -> Workspace | None: ...

    @property
    def form(self) -> CaseForm | None: ...

    def open_case(self, case_id: str) -> None: ...

CASE_ROLE = Qt.ItemDataRole.UserRole
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
ASSESSOR_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3  # the row in full, as HTML, for the detail pane
COLUMNS = (_("Assessor, case or finding"), _("Status or severity"), _("Must fix"),
           _("Worth a look"), _("Queries open"))


def is_own_case(ws: Workspace, case_id: str) -> bool:
    """A case assigned to this workspace's owner: theirs to edit, not to check."""
    try:
        refuse_own_case(ws, ws.find_case(case_id), "")
    except QueryError:
        return True
    return False



UNALLOCATED = "-"  # the assessor role of the not-allocated group (no member id)

class QaView(QtWidgets.QWidget):
    """Assessors → cases → findings, with the actions on the selected case."""

    loaded = Signal()  # after each refresh has filled the tree (tests wait on it)
    exported = Signal(str)  # the QA bundle written, or "" if refused

    def __init__(self, window: CaseHost) -> None:
        super().__init__()
        self.window_ = window
        self.sheet: Sheet | None = None
        self.busy = False
        self._again = False
        self._after: list[Callable[[], None]] = []  # actions waiting for the checks
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.title = heading(_("Lunchtime QA"))
        top.addWidget(self.title, 1)
        summaries = QtWidgets.QVBoxLayout()
        self.summary = QtWidgets.QLabel()
        self.summary.setAccessibleName(_("QA summary"))
        self.summary.setToolTip(_("The cases of the assessors you support"))
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight)
        summaries.addWidget(self.summary)
        self.own_summary = QtWidgets.QLabel()  # the QA partner's own cases, counted apart
        self.own_summary.setAccessibleName(_("Your own cases"))
        self.own_summary.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.own_summary.setVisible(False)
        summaries.addWidget(self.own_summary)
        top.addLayout(summaries)
        layout.addLayout(top)

        buttons = QtWidgets.QHBoxLayout()
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for key, label, tip, slot in (
            ("open", _("&Open case"), _("Open the selected case read-only (Enter)"),
             self.open_selected),
            ("query", _("Add &query…"), _("Ask the assessor about an item of the selected case"),
             self.add_query),
            ("signoff", _("&Sign off"), _("Sign the selected case off at its current revision"),
             self.sign_off_selected),
            ("export", _("&Export QA bundle…"),
             _("Queries and sign-offs for the selected assessor, signed and encrypted for "
               "them and the lead"), self.export_bundle),
            ("sheet", _("Lunchtime s&heet…"), _("The printable summary per assessor"),
             self.show_sheet),
            ("debrief", _("&Debrief…"), _("Your feedback on the selected assessor for the "
                                          "lead; kept here, never sent to the assessor"),
             self.show_debrief),
            ("refresh", _("&Refresh"), _("Run the checks again (F5)"), self.reload),
        ):
            b = QtWidgets.QPushButton(label)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            buttons.addWidget(b)
            self.buttons[key] = b
        buttons.addStretch(1)
        layout.addLayout(buttons)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAccessibleName(_("Assessors, cases and findings"))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(lambda _item, _col: self.open_selected())
        self.tree.currentItemChanged.connect(lambda _new, _old: self._selection_changed())
        split.addWidget(self.tree)
        # The selected row in full: a finding's text is never only in a tooltip.
        side_split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.detail = QtWidgets.QTextBrowser()
        self.detail.setAccessibleName(_("The selected case or finding in full"))
        self.detail.setOpenLinks(False)
        self.detail.setMinimumHeight(90)
        side_split.addWidget(self.detail)
        self.side = QtWidgets.QStackedWidget()
        self.side.setMinimumWidth(260)
        self.side_hint = QtWidgets.QLabel(_("Select a case to see its queries."))
        self.side_hint.setWordWrap(True)
        self.side_hint.setEnabled(False)
        self.side_hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.side.addWidget(self.side_hint)
        self.queries: QueryPanel | None = None
        side_split.addWidget(self.side)
        side_split.setStretchFactor(0, 1)
        side_split.setStretchFactor(1, 2)
        side_split.setSizes([200, 400])
        split.addWidget(side_split)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([960, 360])
        layout.addWidget(split, 1)
        self.message = QtWidgets.QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes assessors' names
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Last action"))
        layout.addWidget(self.message)
        hint = QtWidgets.QLabel(_("Enter opens the selected case · F5 runs the checks again · "
                                  "Import… (Ctrl+I) brings in an assessor's bundle"))
        hint.setEnabled(False)
        layout.addWidget(hint)
        QtGui.QShortcut(QtGui.QKeySequence("F5"), self, self.reload)
        self.setFocusProxy(self.tree)
        self._selection_changed()

    @property
    def ws(self) -> Workspace | None:
        return self.window_.ws

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Run the checks again (coalesced: one run at a time, one more if asked meanwhile)."""
        if self.busy:
            self._again = True
            return
        ws = self.ws
        if ws is None:
            return
        self._set_busy(True)
        self.title.setText(_("Lunchtime QA — {name}").format(name=ws.owner_name))
        if self.sheet is None:  # later runs keep the last counts until the new ones come
            self.summary.setText(_("Checking…"))

        def done(sheet: Any) -> None:
            self._set_busy(False)
            if self.ws is ws:
                self._fill(sheet)
            self._finish()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if self.ws is not ws:  # locked or closed meanwhile: nothing to show
                self._finish()
                return
            if not isinstance(error, UserError):
                raise error
            self.summary.setText(_("The checks did not run: {why}").format(why=error))
            self._finish()

        def start() -> None:
            if self.ws is not ws:  # locked or closed before it could start
                self._set_busy(False)
                return
            iid = _only_inspection(ws)
            run_job(self, _("Running the checks…"), lambda: sheet_data(ws, iid), done, failed)

        jobs.when_idle(start)  # one job at a time on the workspace's one connection

    def _set_busy(self, busy: bool) -> None:
        """While the checks run, the actions that write wait (the job shares the connection)."""
        self.busy = busy
        if busy:
            for b in self.buttons.values():
                b.setEnabled(False)
            self.side.setEnabled(False)
        else:
            self.side.setEnabled(True)
            self._selection_changed()

    def _finish(self) -> None:
        self.loaded.emit()
        self._idle()

    def _idle(self) -> None:
        """A job is over: start what waited for it (one at a time), then any refresh asked."""
        if self._after and not self.busy:
            self._after.pop(0)()
        if self._again:
            self._again = False
            self.reload()

    def clear(self) -> None:
        """Hide every case detail (locking or closing); a check still running is waited for.

        The check reads the same connection, which is about to close.
        """
        if self.busy:
            QThreadPool.globalInstance().waitForDone(10_000)
        self._again = False
        self._after.clear()
        self.sheet = None
        self.tree.clear()
        self.summary.clear()
        self.own_summary.clear()
        self.own_summary.setVisible(False)
        self.detail.clear()
        self.message.clear()
        self._set_side(None)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.reload)

    def _fill(self, sheet: Sheet) -> None:
        keep = self.selected_case()
        self.sheet = sheet
        self.tree.clear()
        select: QtWidgets.QTreeWidgetItem | None = None
        theirs = Totals()
        mine = Totals()
        for a in sheet.assessors:  # the owner's own cases come last (sheet_data's order)
            totals = mine if a.own else theirs
            must = sum(c.count("must_fix") for c in a.cases)
            look = sum(c.count("worth_a_look") for c in a.cases)
            name = _("Your own cases ({name})").format(name=a.assessor) if a.own else a.assessor
            top = QtWidgets.QTreeWidgetItem([
                name, _("{n} case(s), {k} complete").format(n=len(a.cases), k=a.complete),
                str(must), str(look), str(a.queries_open)])
            _bold(top)
            for col in (2, 3, 4):
                top.setTextAlignment(col, Qt.AlignmentFlag.AlignCenter)
            top.setData(0, ASSESSOR_ROLE, a.member_id or UNALLOCATED)
            top.setData(0, DETAIL_ROLE, _assessor_detail(name, a, must, look))
            self.tree.addTopLevelItem(top)
            for c in a.cases:
                row = self._case_row(c)
                row.setData(0, ASSESSOR_ROLE, a.member_id or UNALLOCATED)
                top.addChild(row)
                if c.case_id == keep:
                    select = row
            totals.add(len(a.cases), must, look, a.queries_open)
        for i in range(self.tree.topLevelItemCount()):  # cases stay folded: Right opens one
            item = self.tree.topLevelItem(i)
            if item is not None:
                item.setExpanded(True)
        self.summary.setText(_("Assessors you support: {totals}").format(
            totals=theirs.words()) if theirs.cases or not mine.cases else "")
        self.own_summary.setText(_("Your own cases: {totals}").format(totals=mine.words()))
        self.own_summary.setVisible(bool(mine.cases))
        if select is None and self.tree.topLevelItemCount():
            top0 = self.tree.topLevelItem(0)
            select = top0.child(0) if top0 is not None and top0.childCount() else top0
        if select is not None:
            self.tree.setCurrentItem(select)
            select.setExpanded(True)
        self._selection_changed()

    def _case_row(self, c: CaseLine) -> QtWidgets.QTreeWidgetItem:
        ws = self.ws
        assert ws is not None
        status = STATUS_LABELS.get(c.status, c.status)
        row = QtWidgets.QTreeWidgetItem([
            f"{c.case_ref}  ({c.percent}%)", status,
            str(c.count("must_fix")), str(c.count("worth_a_look")), str(c.queries_open)])
        row.setData(0, CASE_ROLE, c.case_id)
        row.setData(0, ITEM_ROLE, "")
        row.setData(0, DETAIL_ROLE, _case_detail(c, status))
        for col in (2, 3, 4):
            row.setTextAlignment(col, Qt.AlignmentFlag.AlignCenter)
        if c.status == "signed_off":
            row.setForeground(1, QtGui.QBrush(QtGui.QColor("#00703c")))
        fw = ws.framework(ws.find_case(c.case_id).framework_hash)
        # A form half done at lunchtime has many blanks: they fold into one line, so the
        # findings worth the meeting (judgements, notes, hurdles) are seen first.
        blanks = [f for f in c.findings if f.check == UNANSWERED]
        fold = len(blanks) > FOLD_BLANKS_OVER
        for f in c.findings:
            if not (fold and f.check == UNANSWERED):
                row.addChild(self._finding_row(c.case_id, f, fw))
        if fold:
            group = QtWidgets.QTreeWidgetItem([
                _("Not answered: {n} items (the first: {item})").format(
                    n=len(blanks), item=query_item_label(fw, blanks[0].item)),
                SEVERITY_LABELS[blanks[0].severity]])
            group.setData(0, CASE_ROLE, c.case_id)
            group.setData(0, ITEM_ROLE, blanks[0].item)  # Open case goes to the first blank
            group.setData(0, ASSESSOR_ROLE, "")
            group.setData(0, DETAIL_ROLE, _detail(
                SEVERITY_LABELS[blanks[0].severity],
                _("{n} items are not answered").format(n=len(blanks)),
                [capitalised(query_item_label(fw, f.item)) for f in blanks]))
            for col in (0, 1):
                group.setForeground(col, QtGui.QBrush(QtGui.QColor(
                    MARK_COLOURS[blanks[0].severity])))
            for f in blanks:
                group.addChild(self._finding_row(c.case_id, f, fw))
            row.addChild(group)
        return row

    @staticmethod
    def _finding_row(case_id: str, f: Any, fw: Any) -> QtWidgets.QTreeWidgetItem:
        severity = SEVERITY_LABELS[f.severity]
        child = QtWidgets.QTreeWidgetItem([f.message, severity])
        child.setData(0, CASE_ROLE, case_id)
        child.setData(0, ITEM_ROLE, f.item)
        child.setToolTip(0, f"{capitalised(query_item_label(fw, f.item))}: {f.message}")
        child.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{severity}: {f.message}")
        child.setData(0, DETAIL_ROLE, _detail(
            severity, f.case_ref, [f.message], about=query_item_label(fw, f.item)))
        for col in (0, 1):
            child.setForeground(col, QtGui.QBrush(QtGui.QColor(MARK_COLOURS[f.severity])))
        child.setData(0, ASSESSOR_ROLE, "")
        return child

    # -- selection -------------------------------------------------------------------------

    def selected_case(self) -> str | None:
        item = self.tree.currentItem()
        cid = item.data(0, CASE_ROLE) if item is not None else None
        return str(cid) if cid else None

    def selected_item(self) -> str:
        item = self.tree.currentItem()
        return str(item.data(0, ITEM_ROLE) or "") if item is not None else ""

    def _selection_changed(self) -> None:
        if self.busy:
            return
        cid = self.selected_case()
        ws = self.ws
        reviewable = cid is not None and ws is not None and not is_own_case(ws, cid)
        self.buttons["open"].setEnabled(cid is not None)
        self.buttons["query"].setEnabled(reviewable)
        self.buttons["signoff"].setEnabled(reviewable)
        self.buttons["sheet"].setEnabled(self.sheet is not None)
        self.buttons["export"].setEnabled(self._selected_member() is not None)
        self.buttons["debrief"].setEnabled(self._selected_member() is not None)
        self.buttons["refresh"].setEnabled(True)
        item = self.tree.currentItem()
        self.detail.setHtml(str(item.data(0, DETAIL_ROLE) or "") if item is not None else "")
        self._set_side(cid)

    def _set_side(self, case_id: str | None) -> None:
        ws = self.ws
        if self.queries is not None and (case_id is None or self.queries.case_id != case_id):
            self.side.removeWidget(self.queries)
            self.queries.deleteLater()
            self.queries = None
        if case_id is not None and ws is not None and self.queries is None:
            fw = ws.framework(ws.find_case(case_id).framework_hash)
            self.queries = QueryPanel(ws, case_id, fw, self.side)
            self.queries.setAccessibleName(_("Queries on the selected case"))
            self.queries.changed.connect(self.reload)
            self.side.addWidget(self.queries)
        elif self.queries is not None:
            self.queries.reload()  # a query raised in the form, or imported
        self.side.setCurrentWidget(self.queries or self.side_hint)

    # -- actions ---------------------------------------------------------------------------

    def make_form(self, case_id: str) -> CaseForm:
        """The case form: read-only with findings outlined, unless the case is the owner's."""
        ws = self.ws
        assert ws is not None
        if is_own_case(ws, case_id):
            return CaseForm(ws, case_id)
        form = CaseForm(ws, case_id, read_only=True)
        form.back_button.setText(_("← Lunchtime QA"))
        form.back_button.setToolTip(_("Back to the QA view (Alt+Left)"))
        query = QtWidgets.QPushButton(_("Add &query…"))
        query.setObjectName("addQuery")
        query.setToolTip(_("Ask the assessor about the item that has the focus"))
        # A click that writes waits for the checks running in the background, which read the
        # same database connection (jobs.when_idle; at once when none is running).
        query.clicked.connect(lambda: jobs.when_idle(lambda: self._form_query(form)))
        sign = QtWidgets.QPushButton(_("&Sign off"))
        sign.setObjectName("signOff")
        sign.setToolTip(_("Sign this case off at its current revision"))
        sign.clicked.connect(lambda: jobs.when_idle(lambda: self._sign_off(form.case_id, form)))
        form.top_bar.addWidget(query)
        form.top_bar.addWidget(sign)
        form.set_highlights(case_findings(ws, case_id))
        return form

    def open_selected(self) -> None:
        if self.busy:  # the checks are reading the workspace: open once they are shown
            if self.open_selected not in self._after:
                self._after.append(self.open_selected)
            return
        cid = self.selected_case()
        if cid is None:
            return
        item = self.selected_item()
        self.window_.open_case(cid)
        form = self.window_.form
        if form is not None and item and not item.startswith(("alert:", "status")):
            form.go_to_item(item)

    def _items_for(self, case_id: str) -> list[str]:
        ws = self.ws
        assert ws is not None
        a = ws.read_assessment(case_id)
        kqs = [k.id for k in a.framework.case_key_questions()
               if a.rules.applies(a.framework.parent_of[k.id])]
        items = queryable_items(a.framework, kqs)
        return items + [f"alert:{x.id}" for x in a.alerts]

    def add_query(self, item: str | None = None) -> None:
        cid = self.selected_case()
        ws = self.ws
        if cid is None or ws is None:
            return
        current = item or self.selected_item() or None
        fw = ws.framework(ws.find_case(cid).framework_hash)
        q = ask_and_raise(self, ws, cid, fw, self._items_for(cid), current)
        if q is not None:
            self.message.setText(_("Query added on {item}.").format(
                item=query_item_label(fw, q.item)))
            self.reload()

    def _form_query(self, form: CaseForm) -> None:
        ws = self.ws
        if ws is None:
            return
        q = ask_and_raise(form, ws, form.case_id, form.fw, self._items_for(form.case_id),
                          form.current_item)
        if q is not None:
            form.query_panel.reload()
            form.refresh_marks()
            form.status_line.setText(_("Query added on {item}.").format(
                item=query_item_label(form.fw, q.item)))

    def sign_off_selected(self) -> None:
        cid = self.selected_case()
        if cid is not None:
            self._sign_off(cid, self)

    def _sign_off(self, case_id: str, parent: QtWidgets.QWidget) -> bool:
        ws = self.ws
        if ws is None:
            return False
        ref = ws.find_case(case_id).case_ref
        try:
            sign_off(ws, case_id)
        except UserError as e:
            QtWidgets.QMessageBox.information(parent, _("Not signed off"), capitalised(str(e)))
            return False
        text = _("{ref} signed off as its answers stand now.").format(ref=ref)
        self.message.setText(text)
        if isinstance(parent, CaseForm):
            parent.status_line.setText(text)
            parent.refresh_title()
        self.reload()
        return True

    def _selected_member(self) -> tuple[str, dict[str, Any]] | None:
        """(inspection id, member) of the assessor whose row or case is selected."""
        ws = self.ws
        item = self.tree.currentItem()
        while item is not None and not item.data(0, ASSESSOR_ROLE):
            item = item.parent()
        if ws is None or item is None or self.sheet is None:
            return None
        mid = str(item.data(0, ASSESSOR_ROLE))
        group = next((a for a in self.sheet.assessors if a.member_id == mid), None)
        if group is None or not group.cases or not mid or mid in own_member_ids(ws):
            return None
        iid = ws.find_case(group.cases[0].case_id).inspection_id
        member = next((m for m in ws.members(iid) if m["id"] == mid), None)
        return (iid, member) if member is not None else None

    def export_bundle(self, path: Path | None = None) -> None:
        """Write the selected assessor's QA bundle (queries and sign-offs) off the GUI thread."""
        ws = self.ws
        chosen = self._selected_member()
        if ws is None or chosen is None:
            return
        iid, member = chosen
        shown = next((a.assessor for a in self.sheet.assessors  # type: ignore[union-attr]
                      if a.member_id == member["id"]), member["name"])
        if path is None:
            slug = "-".join(member["name"].split()).lower()
            if shown != member["name"]:  # another member has this name
                slug = f"{slug}-{member['id'][:8]}"
            name, _f = QtWidgets.QFileDialog.getSaveFileName(
                self, _("Export a QA bundle"), str(Path.home() / f"qa-{slug}{EXTENSIONS['qa']}"),
                BUNDLE_FILTER)
            if not name:
                return
            path = Path(name)
        out = path

        def done(written: Any) -> None:
            self._set_busy(False)
            self.message.setText(_("Written to {path}, signed and encrypted for {name} and the "
                                   "lead.").format(path=written, name=shown))
            self.exported.emit(str(written))
            self._idle()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if not isinstance(error, UserError):
                raise error
            self.message.setText(_("Not exported: {why}").format(why=error))
            self.exported.emit("")
            self._idle()

        def start() -> None:
            if self.ws is not ws:
                self._set_busy(False)
                return
            run_job(self, _("Writing the QA bundle…"),
                    lambda: export_qa(ws, iid, member["id"], out), done, failed)

        def begin() -> None:
            self._set_busy(True)
            jobs.when_idle(start)

        if self.busy:  # the checks are running: export once they are shown
            self._after.append(begin)
        else:
            begin()

    def show_debrief(self) -> DebriefDialog | None:
        """The debrief on the selected assessor (the supporting inspector's own record)."""
        ws, chosen = self.ws, self._selected_member()
        if ws is None or chosen is None:
            return None
        iid, member = chosen
        dialog = DebriefDialog(ws, iid, self)
        page = dialog.page
        for row in range(page.assessors.count()):
            if page.assessors.item(row).data(Qt.ItemDataRole.UserRole) == member["id"]:
                page.assessors.setCurrentRow(row)
        dialog.open()
        return dialog

    def show_sheet(self) -> None:
        ws = self.ws
        if self.sheet is not None and ws is not None:
            self.sheet_view = sheet_view(
                self.sheet, self, save_with=lambda path, write: write_recorded(
                    ws, path, "lunchtime_sheet", write),
                remake=lambda: sheet_data(ws, _only_inspection(ws)))
            self.sheet_view.exec()


def _only_inspection(ws: Workspace) -> str | None:
    """The inspection the sheet is for: the only one held, else every case."""
    inspections = ws.inspections()
    return inspections[0]["id"] if len(inspections) == 1 else None


class Totals:
    """Cases, findings and open queries added up over some assessors' groups."""

    def __init__(self) -> None:
        self.cases = self.must = self.look = self.queries = 0

    def add(self, cases: int, must: int, look: int, queries: int) -> None:
        self.cases += cases
        self.must += must
        self.look += look
        self.queries += queries

    def words(self) -> str:
        return _("{n} case(s) · {must} must fix · {look} worth a look · {q} open").format(
            n=self.cases, must=self.must, look=self.look,
            q=_("1 query") if self.queries == 1 else _("{n} queries").format(n=self.queries))


def _detail(heading_: str, title: str, lines: list[str], about: str = "") -> str:
    """A row in full for the detail pane; every recorded text escaped."""
    e = html.escape
    parts = [f"<p><b>{e(heading_[:1].upper() + heading_[1:])}</b> · {e(title)}</p>"]
    if about:
        parts.append("<p>" + e(_("About: {item}").format(item=about)) + "</p>")
    if len(lines) == 1:
        parts.append(f"<p>{e(lines[0])}</p>")
    else:
        parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>")
    return "".join(parts)


def _case_detail(c: CaseLine, status: str) -> str:
    lines = [_("{status}; {percent}% answered.").format(status=status, percent=c.percent)]
    if c.interview_at:
        lines.append(_("Interview: {when}.").format(when=c.interview_at.replace("T", " ")))
    if c.interview:
        lines.append(_("Interview record: {record}.").format(record=c.interview))
    lines.append(_("{must} must fix, {look} worth a look; queries: {open} open, {closed} "
                   "closed.").format(must=c.count("must_fix"), look=c.count("worth_a_look"),
                                     open=c.queries_open, closed=c.queries_closed))
    return _detail(_("Case"), c.case_ref, lines)


def _assessor_detail(name: str, a: Any, must: int, look: int) -> str:
    return _detail(name, _("{n} case(s), {k} complete").format(n=len(a.cases), k=a.complete), [
        _("{must} must fix, {look} worth a look; queries: {open} open, {closed} closed.").format(
            must=must, look=look, open=a.queries_open, closed=a.queries_closed)])


def _bold(item: QtWidgets.QTreeWidgetItem) -> None:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)

