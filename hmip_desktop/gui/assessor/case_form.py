"""The case form: navigation by standard and key question, the pages, and the guidance panel.

Every change goes straight to the store through ``Workspace.save_item``; there is no Save
button. After each save the form re-reads the assessment and refreshes in place. A save that
fails unexpectedly is marked "Not saved" next to its item and in the status line, the value is
kept on the form to be saved again, and the error is shown and logged (``gui/common/crash.py``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from hmip_desktop.assessment.completeness import kq_state
from hmip_desktop.assessment.items import CASE, NOTE, RECORD, item_label, key_question_of
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.alert_bundles import alert_recipients, export_alert
from hmip_desktop.frameworks.languages import has_welsh, shown
from hmip_desktop.frameworks.model import KeyQuestion
from hmip_desktop.frameworks.provenance import (
    TextItem,
    drafted_words,
    guidance_attribution,
    guidance_heading,
    marked,
)
from hmip_desktop.gui.assessor.alert_state import alerts_need_action, own_alert_words
from hmip_desktop.gui.assessor.autosave import AutosaveText
from hmip_desktop.gui.assessor.case_section import RECORD_GUIDANCE, AlertDialog, CaseSection
from hmip_desktop.gui.assessor.kq_page import (
    MARK_COLOURS,
    MARK_LABELS,
    MARK_STYLE,
    KqPage,
    mark_widget,
    marks_html,
    worst_mark,
)
from hmip_desktop.gui.assessor.nav_titles import elide_middle, sibling_titles
from hmip_desktop.gui.assessor.wrapping import wrap_rows
from hmip_desktop.gui.common import crash
from hmip_desktop.gui.common.provenance import with_tag_html
from hmip_desktop.gui.common.qt import Qt, QtGui, QtWidgets, Signal
from hmip_desktop.gui.common.queries import (
    QueryPanel,
    alert_words_for_reader,
    query_item_label,
)
from hmip_desktop.gui.common.widgets import Banner
from hmip_desktop.i18n import _
from hmip_desktop.qa.checks import Finding
from hmip_desktop.qa.readiness import Readiness, completion_readiness
from hmip_desktop.store.errors import IncompleteError, StorageFailureError, StoreError
from hmip_desktop.store.records import Assessment, Change
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import STATUS_LABELS, capitalised

CASE_PAGE = "__case__"
STATE_MARK = {
    "not_started": ("○", _("not started")),
    "partly": ("◐", _("partly answered")),
    "answered": ("●", _("answered")),
    "attention": ("⚠", _("needs attention")),
    "not_applicable": ("–", _("not applicable")),
}
STATE_COLOUR = {"answered": "#00703c", "attention": "#d4351c", "not_applicable": "#6f777b"}


class CaseForm(QtWidgets.QWidget):
    back = Signal()
    changed = Signal(str)  # case id

    def __init__(self, ws: Workspace, case_id: str,
                 parent: QtWidgets.QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self.ws = ws
        self.read_only = read_only  # the QA partner's view of an assessor's form
        self.finding_marks: dict[str, list[tuple[str, str]]] = {}
        self.a: Assessment = ws.read_assessment(case_id)
        self.fw = self.a.framework  # the case's own edition (Workspace.case_framework)
        self.case_id = self.a.case.id
        self.new_items = ws.new_in_edition(self.case_id)
        self.current = CASE_PAGE
        self.last_change: Change | None = None
        self._reopen_agreed = False  # the assessor said yes to reopening this completed case
        self._asking = False

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("← My cases"))
        self.back_button.setToolTip(_("Back to the case list (Alt+Left)"))
        self.back_button.clicked.connect(self._back)
        top.addWidget(self.back_button)
        self.title = QtWidgets.QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the case's details come from a pack
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)  # at a large text size it takes two lines, not the width
        top.addWidget(self.title, 1)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setAccessibleName(_("Completeness"))
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)  # the label beside it reads better than text on the bar
        top.addWidget(self.progress)
        self.progress_label = QtWidgets.QLabel()
        top.addWidget(self.progress_label)
        # Bilingual inspectors compare wordings: the framework's other language beside its own.
        self.beside = QtWidgets.QCheckBox(_("Both languages"))
        self.beside.setToolTip(_("Show the framework's words in the other language too, "
                                 "beneath each question and its guidance"))
        self.beside.setVisible(has_welsh(self.fw))
        self.beside.toggled.connect(self._show_beside)
        top.addWidget(self.beside)
        self.complete_button = QtWidgets.QPushButton(_("Mark complete"))
        self.complete_button.setToolTip(_("Check the form and mark it complete (Ctrl+M)"))
        self.complete_button.clicked.connect(self.mark_complete)
        top.addWidget(self.complete_button)
        self.complete_button.setVisible(not read_only)
        layout.addLayout(top)
        self.top_bar = top  # the QA view adds its buttons here
        self.read_only_banner = Banner("info")
        if read_only:
            self.read_only_banner.show_message(self._read_only_words())
        layout.addWidget(self.read_only_banner)
        self.alert_banner = Banner("alert")
        layout.addWidget(self.alert_banner)
        self.block_banner = Banner("warning")
        layout.addWidget(self.block_banner)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.nav = QtWidgets.QTreeWidget()
        self.nav.setHeaderHidden(True)
        self.nav.setAccessibleName(_("Form sections"))
        self.nav.setMinimumWidth(200)
        # Long key-question titles wrap rather than lose their distinguishing ending.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        wrap_rows(self.nav)
        self.nav.itemActivated.connect(self._nav_activated)
        self.nav.itemClicked.connect(self._nav_activated)
        split.addWidget(self.nav)
        self.scroller = QtWidgets.QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        middle = QtWidgets.QWidget()  # the page, under the QA marks of the case page
        column = QtWidgets.QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        self.case_marks = QtWidgets.QLabel()
        self.case_marks.setObjectName("qaMarks")
        self.case_marks.setWordWrap(True)
        self.case_marks.setTextFormat(Qt.TextFormat.RichText)
        self.case_marks.setStyleSheet(MARK_STYLE)
        self.case_marks.hide()
        column.addWidget(self.case_marks)
        column.addWidget(self.scroller, 1)
        split.addWidget(middle)
        self.guidance = QtWidgets.QTextBrowser()
        self.guidance.setAccessibleName(_("Guidance"))
        self.guidance.setMinimumWidth(180)
        side = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.guidance)
        self.query_panel = QueryPanel(ws, self.case_id, self.fw)
        self.query_panel.changed.connect(self.refresh_marks)
        side.addWidget(self.query_panel)
        side.setSizes([300, 400])
        split.addWidget(side)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 6)
        split.setStretchFactor(2, 3)
        split.setSizes([260, 700, 320])
        layout.addWidget(split, 1)
        status = QtWidgets.QHBoxLayout()
        self.status_line = QtWidgets.QLabel()
        self.status_line.setObjectName("saveStatus")
        self.status_line.setAccessibleName(_("Save status"))
        self.status_line.setWordWrap(True)
        self.status_line.setEnabled(False)
        status.addWidget(self.status_line, 1)
        self.retry_button = QtWidgets.QPushButton(_("Try again"))
        self.retry_button.setToolTip(_("Save again the answers that were not saved"))
        self.retry_button.clicked.connect(self.retry_unsaved)
        self.retry_button.hide()
        status.addWidget(self.retry_button)
        layout.addLayout(status)
        self.unsaved: dict[str, tuple[str, str]] = {}
        """Item → (value, reason) of each save that failed unexpectedly, kept to retry."""

        self._kq_items: dict[str, QtWidgets.QTreeWidgetItem] = {}
        self._nav_titles: dict[str, str] = {}  # key question → its title in the navigation
        self._build_nav()
        self.page: KqPage | CaseSection | None = None
        for seq, slot in (("Ctrl+Return", self.next_kq), ("Ctrl+Enter", self.next_kq),
                          ("Ctrl+Shift+Return", self.previous_kq), ("Ctrl+Z", self.undo),
                          ("Ctrl+M", self.mark_complete), ("Alt+Left", self._back)):
            sc = QtGui.QShortcut(QtGui.QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        self.show_page(CASE_PAGE)
        self.refresh()

    # -- navigation --------------------------------------------------------------------------

    def _visible_kqs(self) -> list[KeyQuestion]:
        return [k for k in self.fw.case_key_questions()
                if self.a.rules.applies(self.fw.parent_of[k.id])]

    def _build_nav(self) -> None:
        self.nav.clear()
        self._kq_items.clear()
        case_item = QtWidgets.QTreeWidgetItem([_("Case details")])
        case_item.setData(0, Qt.ItemDataRole.UserRole, CASE_PAGE)
        self.nav.addTopLevelItem(case_item)
        standard_items: dict[str, QtWidgets.QTreeWidgetItem] = {}
        # Titles are shortened among all the standard's key questions, shown or not, so a
        # title does not change when another one's applicability does.
        siblings: dict[str, list[KeyQuestion]] = {}
        for kq in self.fw.case_key_questions():
            siblings.setdefault(self.fw.parent_of[kq.id], []).append(kq)
        # In the interface's language; a text with no Welsh in a Welsh window is marked.
        english_only = " " + _("(English only)")
        self._nav_titles = {
            kq.id: title + (english_only if said.english_only else "")
            for kqs in siblings.values()
            for kq, said, title in zip(
                kqs, (shown(self.fw, k.text) for k in kqs),
                sibling_titles([shown(self.fw, k.text).text for k in kqs]), strict=True)}
        for kq in self._visible_kqs():
            sid = self.fw.parent_of[kq.id]
            if sid not in standard_items:
                s = self.fw.standards_by_id[sid]
                title = shown(self.fw, s.title).marked()
                st = QtWidgets.QTreeWidgetItem([f"{s.id} {title}"])
                st.setData(0, Qt.ItemDataRole.UserRole, kq.id)
                self.nav.addTopLevelItem(st)
                standard_items[sid] = st
            item = QtWidgets.QTreeWidgetItem([kq.id])
            item.setData(0, Qt.ItemDataRole.UserRole, kq.id)
            item.setToolTip(0, shown(self.fw, kq.text).marked())
            standard_items[sid].addChild(item)
            self._kq_items[kq.id] = item
        self.nav.expandAll()

    def _nav_activated(self, item: QtWidgets.QTreeWidgetItem, _col: int = 0) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target:
            self.show_page(target)
            self._focus_page()

    def show_page(self, target: str) -> None:
        if self.page is not None and self.current == target:
            return
        self._flush_texts()
        self.current = target
        page: KqPage | CaseSection
        if target == CASE_PAGE:
            section = CaseSection(self.fw, self.a, beside=self.beside.isChecked())
            section.raise_alert.connect(self.raise_alert)
            page = section
        else:
            page = KqPage(self.fw, self.fw.key_questions_by_id[target],
                          beside=self.beside.isChecked())
            page.new_items = self.new_items
        page.answered.connect(self.save)
        page.focused.connect(self.show_guidance)
        for text in page.findChildren(AutosaveText):
            text.textChanged.connect(lambda t=text: self._text_edited(t))
        if self.read_only:
            _make_read_only(page)
        page.refresh(self.a)
        self.page = page
        self._show_unsaved()
        self.scroller.setWidget(page)
        self.refresh_marks()
        tree_item = self._kq_items.get(target) if target != CASE_PAGE else \
            self.nav.topLevelItem(0)
        if tree_item is not None:
            self.nav.blockSignals(True)
            self.nav.setCurrentItem(tree_item)
            self.nav.blockSignals(False)
        self.show_guidance(target if target != CASE_PAGE else RECORD + "conflict_declared")

    def _focus_page(self) -> None:
        if isinstance(self.page, KqPage):
            self.page.focus_first_open()
        elif isinstance(self.page, CaseSection):
            self.page.first_widget().setFocus()

    def go_to_item(self, item: str) -> None:
        """Show the page holding ``item`` and put the focus on it."""
        self.show_page(self._page_of(item))
        if self.page is not None and not self.page.focus_item(item):
            self._focus_page()

    def next_kq(self, step: int = 1) -> None:
        order = [CASE_PAGE, *[k.id for k in self._visible_kqs()]]
        i = order.index(self.current) if self.current in order else 0
        j = min(max(i + step, 0), len(order) - 1)
        self.show_page(order[j])
        self._focus_page()

    def previous_kq(self) -> None:
        self.next_kq(-1)

    def _read_only_words(self) -> str:
        """The read-only banner: whose case this is, and for the QA partner what to do."""
        who = self.ws.ownership(self.case_id)
        words = _("Read-only: this case belongs to {owner}; only their workspace can change "
                  "it.").format(owner=html.escape(who.owner or _("the assessor")))  # HTML
        if who.reassigned_at:
            words += " " + _("It was reassigned on {date}.").format(
                date=html.escape(who.reassigned_at[:10]))
        if self.ws.owner_role == "qa":
            words += " " + _("Add a query to ask about an item.")
        return words

    # -- saving ----------------------------------------------------------------------------

    def save(self, item: str, value: str) -> None:
        if self.read_only:
            self.status_line.setText(
                _("Read-only: nothing was changed. Add a query instead.")
                if self.ws.owner_role == "qa" else
                _("Read-only: nothing was changed. Only the case's owner can change it."))
            self.refresh()
            return
        label = item_label(self.fw, item)
        if (self.a.items.get(item) or "") != value and not self.may_change():
            self._set_status(_("Nothing was changed: the case is still complete."))
            self.refresh()
            return
        try:
            change = self.ws.save_item(self.case_id, item, value)
        except StorageFailureError as e:
            # A valid answer the drive could not take (full, read-only, locked, pulled out):
            # it stays on the form, marked, to be saved again once the cause is put right.
            self.unsaved[item] = (value, _("Not saved — {why}. Your answer is kept here to "
                                           "save again: press Try again.").format(why=e))
            self._set_status(_("Not saved — {item}. Your answer is still on the form: try "
                               "again.").format(item=label), failed=True)
            self._show_unsaved()
            QtWidgets.QMessageBox.warning(self, _("Not saved"), str(e))
            return
        except UserError as e:  # refused by the rules: the stored value is shown again
            self.unsaved.pop(item, None)
            self._set_status(_("Not saved — {item}: {why}").format(item=label, why=e),
                             failed=True)
            QtWidgets.QMessageBox.warning(self, _("Not saved"), str(e))
            self.refresh()
            return
        except Exception as e:
            # The value stays on the form, marked, to be saved again; the error is logged
            # (no case data) and shown. Nothing was written: the save is one transaction.
            self.unsaved[item] = (value, _("Not saved — an unexpected error. Your answer is "
                                           "kept here to save again: press Try again."))
            self._set_status(_("Not saved — {item}. Your answer is still on the form: try "
                               "again.").format(item=label), failed=True)
            self._show_unsaved()
            crash.report(e, self, saving=True)
            return
        self.unsaved.pop(item, None)
        self.last_change = change
        if change.status_before == "complete":
            self._set_status(_("Saved {item}. The case is in progress again: mark it complete "
                               "when you have finished.").format(item=label))
        elif change.changed:
            self._set_status(_("Saved {item}.").format(item=label))
        self.refresh()
        if item.startswith(CASE) or item.startswith(RECORD):
            self._rebuild_nav_if_needed()
        self.changed.emit(self.case_id)

    def _set_status(self, text: str, *, failed: bool = False) -> None:
        """The line under the form; a failed save stays in red while any save is pending."""
        pending = [item_label(self.fw, i) for i in self.unsaved]
        if not failed and pending:
            text = _("{text} · not saved yet: {items}").format(text=text,
                                                               items=", ".join(pending))
            failed = True
        self.status_line.setText(text)
        self.status_line.setEnabled(failed)  # greyed when all is well, red when not
        self.status_line.setProperty("failed", "true" if failed else "false")
        self.status_line.style().unpolish(self.status_line)
        self.status_line.style().polish(self.status_line)
        self.retry_button.setVisible(bool(self.unsaved))

    def retry_unsaved(self) -> None:
        """Save again every answer whose save failed (the latest words in a text box)."""
        self._flush_texts()
        for item, (value, _reason) in list(self.unsaved.items()):
            self.save(item, value)

    def _show_unsaved(self) -> None:
        if self.page is not None:
            self.page.show_unsaved(self.unsaved, self.a.items)

    def may_change(self) -> bool:
        """Whether an answer may change now: a completed case is reopened only on a yes.

        Changing any answer of a completed case sets it back to In progress (and a QA
        sign-off lapses), so the first change asks; No leaves the answer as it was.
        """
        if self.read_only or self._asking:
            return False
        if self.a.status != "complete" or self._reopen_agreed:
            return True
        self._asking = True
        try:
            box = QtWidgets.QMessageBox(self)
            box.setIcon(QtWidgets.QMessageBox.Icon.Question)
            box.setWindowTitle(_("Reopen this completed case?"))
            box.setText(_("Reopen this completed case?"))
            words = _("{ref} is marked complete. Changing an answer sets it back to In "
                      "progress; mark it complete again when you have finished.").format(
                          ref=self.a.case.case_ref)
            if self.ws.case_summary(self.case_id).signed_off:
                words += " " + _("The QA partner's sign-off lapses: they check and sign off "
                                 "the changed case again.")
            box.setInformativeText(words)
            box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Yes
                                   | QtWidgets.QMessageBox.StandardButton.No)
            box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.No)
            box.exec()
            agreed = box.clickedButton() is box.button(QtWidgets.QMessageBox.StandardButton.Yes)
        finally:
            self._asking = False
        self._reopen_agreed = agreed
        return agreed

    def _text_edited(self, text: AutosaveText) -> None:
        """The first keystroke in a completed case asks before anything is typed over."""
        if self.read_only or self.a.status != "complete" or self._reopen_agreed:
            return
        if self._asking or not self.may_change():
            text.discard_edit()
            return
        text.flush()  # reopen now, so the title and the case list say In progress

    def undo(self) -> None:
        if self.read_only:
            return
        self._flush_texts()
        if not self.ws.can_undo(self.case_id):  # nothing to take back: nothing to ask
            self.status_line.setText(_("Nothing to undo"))
            return
        if not self.may_change():
            self._set_status(_("Nothing was undone: the case is still complete."))
            return
        change = self.ws.undo(self.case_id)
        if change is None:
            self.status_line.setText(_("Nothing to undo"))
            return
        if change.status == "complete":
            self._reopen_agreed = False  # complete again: the next change asks again
            self.status_line.setText(_("Undid the change to {item}; the case is complete "
                                       "again").format(item=item_label(self.fw, change.item)))
        else:
            self.status_line.setText(_("Undid the change to {item}").format(
                item=item_label(self.fw, change.item)))
        self.refresh()
        self._rebuild_nav_if_needed()
        self.go_to_item(change.item)
        self.changed.emit(self.case_id)

    def _flush_texts(self) -> None:
        if isinstance(self.page, KqPage):
            self.page.note.flush()
        elif isinstance(self.page, CaseSection):
            for t in self.page.texts.values():
                t.flush()

    def _rebuild_nav_if_needed(self) -> None:
        visible = [k.id for k in self._visible_kqs()]
        if visible != list(self._kq_items):
            self._build_nav()
            self._refresh_nav()

    def refresh(self) -> None:
        self.a = self.ws.read_assessment(self.case_id)
        self.refresh_title()
        comp = self.a.completeness
        self.progress.setValue(comp.percent)
        self.progress_label.setText(_("{n}% complete").format(n=comp.percent))
        self.progress.setAccessibleDescription(self.progress_label.text())
        if self.a.alerts and self.read_only:  # the owner raised it; the advice is theirs
            self.alert_banner.set_kind("alert")
            self.alert_banner.show_message(alert_words_for_reader(self.ws.owner_role,
                                                                  self.a.alerts))
        elif self.a.alerts:  # red while an alert needs action, grey once all are done
            self.alert_banner.set_kind(
                "alert" if alerts_need_action(self.ws, self.a.alerts) else "done")
            self.alert_banner.show_message(own_alert_words(self.ws, self.a.alerts))
        else:
            self.alert_banner.hide()
        if not self.read_only:  # the same banner tells the QA partner the form is read-only
            if self.a.status == "complete":
                self.read_only_banner.show_message(_(
                    "Marked complete. Changing an answer reopens the case: you are asked "
                    "first."))
            else:
                self.read_only_banner.hide()
        if comp.blocked:
            self.block_banner.show_message(_(
                "Conflict of interest declared: this form is blocked. Ask the lead inspector to "
                "re-allocate the case."))
        else:
            self.block_banner.hide()
        if self.page is not None:
            self.page.refresh(self.a)
            self._show_unsaved()
        self._refresh_nav()

    def refresh_title(self) -> None:
        """The title with the status the case list shows: queries and sign-off change it."""
        c = self.a.case
        shown = self.ws.case_summary(self.case_id).display_status  # queried, signed off too
        self.title.setText(" · ".join(part for part in (
            c.case_ref,
            _("Person on probation: {name}").format(name=c.person_name) if c.person_name else "",
            _("Practitioner: {name}").format(name=c.practitioner) if c.practitioner else "",
            _status_label(shown)) if part))

    def _refresh_nav(self) -> None:
        for kq_id, item in self._kq_items.items():
            kq = self.fw.key_questions_by_id[kq_id]
            state = kq_state(self.fw, kq, self.a.rules, self.a.items)
            mark, words = STATE_MARK[state]
            said = shown(self.fw, kq.text, beside=self.beside.isChecked())
            item.setText(0, f"{mark} {kq.id} {self._nav_titles.get(kq.id, said.marked())}")
            item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, words)
            item.setToolTip(0, f"{marked(said.plain(), kq.drafted)} ({words})")
            colour = STATE_COLOUR.get(state)
            item.setForeground(0, QtGui.QBrush(QtGui.QColor(colour)) if colour else
                               QtGui.QBrush())
        pages = self._page_marks()
        case_item = self.nav.topLevelItem(0)
        if case_item is not None:
            case_item.setText(0, _("Case details"))
            case_item.setToolTip(0, "")
            case_item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, "")
            case_item.setForeground(0, QtGui.QBrush())
        targets = [*([(CASE_PAGE, case_item)] if case_item else []), *self._kq_items.items()]
        for target, item in targets:
            marks = pages.get(target, [])
            if not marks:
                continue
            kinds = {k for k, _t in marks}
            flags = ("⚑" if kinds - {"query"} else "") + ("✉" if "query" in kinds else "")
            item.setText(0, f"{flags} {item.text(0)}")
            words = ", ".join(f"{MARK_LABELS[k]}: {sum(m[0] == k for m in marks)}"
                              for k in MARK_COLOURS if k in kinds)
            item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole,
                         f"{item.data(0, Qt.ItemDataRole.AccessibleDescriptionRole) or ''}; "
                         f"{words}")
            item.setToolTip(0, f"{item.toolTip(0)}\n{words}")
            item.setForeground(0, QtGui.QBrush(QtGui.QColor(MARK_COLOURS[worst_mark(marks)])))

    # -- QA findings and queries ----------------------------------------------------------

    def set_highlights(self, findings: Iterable[Finding]) -> None:
        """Outline the items these findings point at, on their page and in the navigation."""
        self.finding_marks = {}
        for f in findings:
            self.finding_marks.setdefault(f.item, []).append((f.severity, f.message))
        self.refresh_marks()

    def _marks(self) -> dict[str, list[tuple[str, str]]]:
        marks = {k: list(v) for k, v in self.finding_marks.items()}
        for q in self.query_panel.queries:
            if q.is_open:
                marks.setdefault(q.item, []).append(("query", q.text))
        return marks

    def _page_of(self, item: str) -> str:
        return key_question_of(self.fw, item) or CASE_PAGE

    def _page_marks(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for item, marks in self._marks().items():
            out.setdefault(self._page_of(item), []).extend(marks)
        return out

    def refresh_marks(self) -> None:
        marks = self._marks()
        if isinstance(self.page, KqPage):
            self.page.set_marks(marks)
        elif isinstance(self.page, CaseSection):
            self.page.setStyleSheet(MARK_STYLE)
            for item, w in [*self.page.combos.items(), *self.page.texts.items()]:
                mark_widget(w, marks.get(item, []))
        text = "" if self.current != CASE_PAGE else marks_html(
            [i for i in marks if self._page_of(i) == CASE_PAGE], marks,
            lambda i: query_item_label(self.fw, i))
        self.case_marks.setText(text)
        self.case_marks.setVisible(bool(text))
        self.query_panel.show_items({q.item for q in self.query_panel.queries
                                     if self._page_of(q.item) == self.current})
        self._refresh_nav()
        self.refresh_title()

    # -- guidance, completion, alerts --------------------------------------------------------

    def _show_beside(self, beside: bool) -> None:
        if isinstance(self.page, KqPage):
            self.page.set_beside(beside)
        elif isinstance(self.page, CaseSection):  # its labels are laid out once: build again
            self.current = ""
            self.show_page(CASE_PAGE)
        self._refresh_nav()
        if getattr(self, "current_item", None):
            self.show_guidance(self.current_item)

    def show_guidance(self, item: str) -> None:
        self.current_item = item  # the item a query added now would be about
        fw = self.fw
        title, text, prefix = item, "", ""
        source: TextItem | None = None
        kq_id = item[len(NOTE):] if item.startswith(NOTE) else item
        if kq_id in fw.prompts_by_id:
            source = p = fw.prompts_by_id[kq_id]
            prefix, title, text = f"{p.id} ", p.text, p.guidance
        elif kq_id in fw.key_questions_by_id:
            source = k = fw.key_questions_by_id[kq_id]
            prefix, title, text = f"{k.id} ", k.text, k.guidance
        elif item.startswith(CASE) and item[len(CASE):] in fw.fields_by_id:
            source = f = fw.fields_by_id[item[len(CASE):]]
            title, text = f.label, f.guidance
        elif item in RECORD_GUIDANCE:
            title, text = item_label(fw, item), RECORD_GUIDANCE[item]
        if source is not None:  # the framework's words, in the interface's language
            beside = self.beside.isChecked()
            title_shown, text_shown = shown(fw, title, beside=beside), shown(fw, text,
                                                                             beside=beside)
            title = prefix + title_shown.marked()
            other = "".join(f"<p style='color:#505a5f'><i>{_esc(x)}</i></p>"
                            for x in (title_shown.other, text_shown.other) if x)
            text = text_shown.marked()
        else:
            other = ""
        # Whose words these are: the heading, a tag on drafted text, and the attribution.
        heading = guidance_heading(source)
        title_html = with_tag_html(f"<b>{_esc(title)}</b>", source is not None and source.drafted)
        if source is not None and source.drafted:
            title_html += f"<br><i>{_esc(drafted_words())}</i>"
        whose = f"<p style='color:#594d00'><i>{_esc(guidance_attribution(fw, source))}</i></p>"
        extra = ""
        reason = self.a.rules.not_applicable.get(kq_id)
        if reason:
            not_applicable = _("Not applicable for this case")
            extra = f"<p><i>{not_applicable}: {_esc(reason)}</i></p>"
        keys = _("Keys: Y yes · N no · A not applicable · J/K or arrows move · "
                 "Ctrl+Enter next key question · Ctrl+Z undo")
        self.guidance.setHtml(
            f"<h3>{_esc(heading)}</h3><p>{title_html}</p><p>{_esc(text)}</p>{other}{whose}{extra}"
            f"<hr><p style='color:#6f777b'>{keys}</p>")

    def mark_complete(self) -> None:
        """Mark the case complete, refused as the QA partner's sign-off would be.

        Items still empty and must-fix findings on the form are listed (in the form's words)
        and the case stays in progress; an open query asks first (``qa/readiness.py``).
        """
        if self.read_only:
            return
        self._flush_texts()
        ready = completion_readiness(self.ws, self.case_id)
        if ready.blocked is None and ready.refused:
            self._show_not_ready(ready)
            return
        if ready.blocked is None and ready.open_queries and not self._complete_with_queries(
                ready.open_queries):
            return
        try:
            self.ws.mark_complete(self.case_id)
        except IncompleteError as e:
            self._show_missing(str(e), e.missing)
            return
        self._reopen_agreed = False
        self.refresh()
        self.changed.emit(self.case_id)
        n = len(ready.worth_a_look)
        self.status_line.setText(_("Marked complete") if not n else _(
            "Marked complete · {n} worth a look before the QA meeting: Check my cases lists "
            "them").format(n=n))

    def _show_not_ready(self, ready: Readiness) -> None:
        """What stops the case being marked complete: must-fix findings, then empty items."""
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Information)
        box.setWindowTitle(_("Not complete yet"))
        parts = []
        if ready.must_fix:
            parts.append(_("1 thing to put right") if len(ready.must_fix) == 1 else
                         _("{n} things to put right").format(n=len(ready.must_fix)))
        if ready.blanks:
            parts.append(_("1 item still to do") if len(ready.blanks) == 1 else
                         _("{n} items still to do").format(n=len(ready.blanks)))
        box.setText(_("{ref} cannot be marked complete yet: {what}.").format(
            ref=ready.case_ref, what=_(" and ").join(parts)))
        lines: list[str] = []
        cap = 5 if ready.must_fix and ready.blanks else 10  # the box stays on the screen
        if ready.must_fix:
            lines.append(_("The QA partner could not sign it off until these are put right:"))
            lines += [f"• {elide_middle(p.where, 110)}\n   {p.message}"
                      for p in ready.must_fix[:cap]]
            if len(ready.must_fix) > cap:
                lines.append(_("… and {n} more").format(n=len(ready.must_fix) - cap))
        if ready.blanks:
            if lines:
                lines.append("")
            lines.append(_("Still to answer:"))
            lines += [f"• {elide_middle(p.where, 110)}" for p in ready.blanks[:cap]]
            if len(ready.blanks) > cap:
                lines.append(_("… and {n} more").format(n=len(ready.blanks) - cap))
        box.setInformativeText("\n".join(lines))
        go = box.addButton(_("Go to the first"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QtWidgets.QMessageBox.StandardButton.Close)
        box.setDefaultButton(go)
        box.exec()
        if box.clickedButton() is go:
            self.go_to_item((ready.must_fix or ready.blanks)[0].item)

    def _complete_with_queries(self, n: int) -> bool:
        """An open query does not stop completion, but the QA partner cannot sign off: ask."""
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
        box.setWindowTitle(_("A query is still open"))
        box.setText(_("1 query from the QA partner is still open on this case.") if n == 1
                    else _("{n} queries from the QA partner are still open on this case.")
                    .format(n=n))
        box.setInformativeText(_(
            "The QA partner cannot sign the case off while a query is open: reply to it, and "
            "they close it. Mark it complete anyway?"))
        box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Yes
                               | QtWidgets.QMessageBox.StandardButton.No)
        box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.No)
        box.exec()
        return box.clickedButton() is box.button(QtWidgets.QMessageBox.StandardButton.Yes)

    def _show_missing(self, message: str, missing: list[str]) -> None:
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Information)
        box.setWindowTitle(_("Not complete yet"))
        if not missing:
            box.setText(message)
            box.exec()
            return
        lines = [f"• {capitalised(item_label(self.fw, m))}" for m in missing[:12]]
        if len(missing) > 12:
            lines.append(_("… and {n} more").format(n=len(missing) - 12))
        box.setText(_("{n} item(s) still to do:").format(n=len(missing)))
        box.setInformativeText("\n".join(lines))
        go = box.addButton(_("Go to the first"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QtWidgets.QMessageBox.StandardButton.Close)
        box.setDefaultButton(go)
        box.exec()
        if box.clickedButton() is go:
            self.go_to_item(missing[0])

    def raise_alert(self) -> None:
        if self.read_only:
            return
        dialog = AlertDialog(self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        try:
            alert = self.ws.raise_alert(self.case_id, **dialog.values())
        except StoreError as e:
            QtWidgets.QMessageBox.warning(self, _("Alert not raised"), str(e))
            return
        self.refresh()
        self.changed.emit(self.case_id)
        self._offer_alert_bundle(alert.id, alert.raised_at)

    def _offer_alert_bundle(self, alert_id: str, raised_at: str) -> None:
        """Offer to write the alert at once, on its own, for the lead and the deputy lead."""
        case = self.ws.find_case(self.case_id)
        if not alert_recipients(self.ws, case.inspection_id):
            return  # no lead's pack imported yet: nobody to address it to
        asked = QtWidgets.QMessageBox.question(
            self, _("Send the alert now"),
            _("An alert should not wait for your next bundle. Write it now for the lead and "
              "the deputy lead, to a folder or memory stick you choose?"))
        if asked != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, _("Where to write the alert"))
        if not folder:
            return
        ref = re.sub(r"[^A-Za-z0-9_-]+", "-", case.case_ref)
        name = f"alert-{ref}-{raised_at[:19].replace(':', '').replace('T', '-')}.hmipalert"
        try:
            path = export_alert(self.ws, alert_id, Path(folder) / name)
        except UserError as e:
            QtWidgets.QMessageBox.warning(self, _("Alert not written"), str(e))
            return
        QtWidgets.QMessageBox.information(
            self, _("Alert written"),
            _("The alert for the lead and the deputy lead is written to {path}.").format(
                path=path))

    def _back(self) -> None:
        self._flush_texts()
        self.back.emit()

    def flush(self) -> None:
        self._flush_texts()


def _make_read_only(page: KqPage | CaseSection) -> None:
    if isinstance(page, KqPage):
        page.read_only = True
        return
    for combo in page.combos.values():
        combo.setEnabled(False)
    for text in page.texts.values():
        text.setReadOnly(True)
    page.alert_button.setEnabled(False)


def _status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
