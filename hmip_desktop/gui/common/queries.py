"""QA queries in the case form: each query's thread, a reply box, the dialog that raises one.

A query points at any item of the case (000_ §3.10).

The assessor and the QA partner see the same panel: both can reply while a query is open; only
the QA partner's workspace can raise or close one (the core refuses anyone else).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from hmip_desktop.assessment.items import CASE, NOTE, RECORD_FIELDS, item_label
from hmip_desktop.errors import UserError
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common import jobs
from hmip_desktop.gui.common.qt import Qt, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.i18n import _
from hmip_desktop.qa.queries import (
    WHOLE_CASE,
    Query,
    close_query,
    list_queries,
    raise_query,
    reply_to_query,
)
from hmip_desktop.store.records import Alert
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import capitalised


def query_item_label(fw: Framework, item: str) -> str:
    """An item as a person reads it, including the two keys only queries use."""
    if item == WHOLE_CASE:
        return _("the case as a whole")
    if item.startswith("alert:"):
        return _("an alert")
    if item == "status":
        return _("the case's status")
    return item_label(fw, item)


def queryable_items(fw: Framework, kq_ids: Iterable[str]) -> list[str]:
    """Every item a query may point at, in form order (the given key questions only)."""
    out = [WHOLE_CASE, *(f.key for f in RECORD_FIELDS), *(CASE + q.id for q in fw.case_questions)]
    for kq_id in kq_ids:
        kq = fw.key_questions_by_id[kq_id]
        out.extend(p.id for p in kq.prompts)
        out.extend((kq.id, NOTE + kq.id))
    return out


def reply_placeholder(is_qa: bool) -> str:
    """The reply box's hint, worded for whoever writes in it."""
    if is_qa:
        return _("Your reply to the assessor (close the query once their answer settles it)")
    return _("Your reply to the QA partner (change the answer too if the query is right)")


def alert_words_for_reader(role: str, alerts: Sequence[Alert]) -> str:
    """The alert banner on a case the reader does not own, as HTML, worded for them.

    The assessor who raised the alert is told to phone the deputy lead (the form's own
    banner); the QA partner is told whose alert it is and to check it is in hand; the lead
    where to acknowledge it.
    """
    e = html.escape
    waiting = [a for a in alerts if a.acknowledged_at is None]
    if len(alerts) == 1:
        a = alerts[0]
        raised = _("{who} raised an alert on this case on {day}").format(
            who=e(a.raised_by), day=e(a.raised_at[:10]))
    else:
        raised = _("{n} alerts have been raised on this case").format(n=len(alerts))
    if role == "qa":
        then = (_("the deputy lead inspector has not acknowledged it yet: check in the meeting "
                  "that it is in hand.") if waiting and len(alerts) == 1 else
                _("{n} not yet acknowledged by the deputy lead inspector: check in the meeting "
                  "that they are in hand.").format(n=len(waiting)) if waiting else
                _("the deputy lead inspector has acknowledged it.") if len(alerts) == 1 else
                _("the deputy lead inspector has acknowledged them."))
    elif role == "lead":
        then = (_("acknowledge it in the alerts inbox once it is in hand.") if waiting else
                _("the alerts inbox shows it acknowledged."))
    else:
        then = _("the alert is the case owner's to follow up.")
    return f"{raised}; {then}"


def _when(at: str | None) -> str:
    return (at or "")[:16].replace("T", " ")


class QueryPanel(QtWidgets.QWidget):
    """The queries on the items of the page shown, one selected at a time, with its thread."""

    changed = Signal()  # a reply was sent or a query closed or raised

    def __init__(self, ws: Workspace, case_id: str, fw: Framework,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.case_id = case_id
        self.fw = fw
        self.is_qa = ws.owner_role == "qa"
        self.items: set[str] | None = None
        self.queries: list[Query] = []
        self.shown: list[Query] = []
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.title = heading(_("Queries"))
        layout.addWidget(self.title)
        self.empty = QtWidgets.QLabel(_("No query on this page."))
        self.empty.setEnabled(False)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.empty, 1)
        self.list = QtWidgets.QListWidget()
        self.list.setAccessibleName(_("Queries on this page"))
        self.list.setMaximumHeight(self.list.fontMetrics().height() * 3 + 12)
        self.list.currentRowChanged.connect(self._show_thread)
        layout.addWidget(self.list)
        self.thread_view = QtWidgets.QTextBrowser()
        self.thread_view.setAccessibleName(_("Query thread"))
        self.thread_view.setMinimumHeight(110)
        layout.addWidget(self.thread_view, 1)
        self.reply = QtWidgets.QPlainTextEdit()
        self.reply.setAccessibleName(_("Reply to the query"))
        self.reply.setPlaceholderText(reply_placeholder(self.is_qa))
        self.reply.setTabChangesFocus(True)
        self.reply.setMaximumHeight(60)
        layout.addWidget(self.reply)
        row = QtWidgets.QHBoxLayout()
        self.send = QtWidgets.QPushButton(_("Send reply"))
        self.send.setToolTip(_("Save the reply to this query (Tab from the reply box)"))
        # Writes wait for a background job on the same connection (the QA partner's checks).
        self.send.clicked.connect(lambda: jobs.when_idle(self.send_reply))
        row.addWidget(self.send)
        self.close_button = QtWidgets.QPushButton(_("Close query"))
        self.close_button.setToolTip(_("The reply or the changed answer settles it"))
        self.close_button.clicked.connect(lambda: jobs.when_idle(self.close_selected))
        row.addWidget(self.close_button)
        row.addStretch(1)
        layout.addLayout(row)
        # The lead reads the threads; replies travel only between an assessor and their QA
        # partner, so the lead has no reply box.
        self.can_reply = ws.owner_role != "lead"
        self.reload()

    def reload(self) -> None:
        self.queries = list_queries(self.ws, self.case_id)
        self._fill()

    def show_items(self, items: set[str] | None) -> None:
        """Show the queries on these items (None: every query on the case)."""
        self.items = items
        self._fill()

    def _fill(self) -> None:
        keep = self.shown[self.list.currentRow()].id if 0 <= self.list.currentRow() < len(
            self.shown) else None
        self.shown = [q for q in self.queries if self.items is None or q.item in self.items]
        self.shown.sort(key=lambda q: (not q.is_open, q.raised_at))
        self.list.blockSignals(True)
        self.list.clear()
        for q in self.shown:
            on = query_item_label(self.fw, q.item)
            self.list.addItem("● " + _("Open query on {item}").format(item=on) if q.is_open
                              else "○ " + _("Closed query on {item}").format(item=on))
        self.list.blockSignals(False)
        n_open = sum(q.is_open for q in self.shown)
        self.title.setText(_("Queries ({n} open)").format(n=n_open) if self.shown
                           else _("Queries"))
        has = bool(self.shown)
        for w in (self.list, self.thread_view, self.reply, self.send, self.close_button):
            w.setVisible(has and (w is not self.close_button or self.is_qa)
                         and (w not in (self.reply, self.send) or self.can_reply))
        self.empty.setVisible(not has)
        ids = [q.id for q in self.shown]
        self.list.setCurrentRow(ids.index(keep) if keep in ids else (0 if ids else -1))
        self._show_thread(self.list.currentRow())

    def selected(self) -> Query | None:
        i = self.list.currentRow()
        return self.shown[i] if 0 <= i < len(self.shown) else None

    def _show_thread(self, _row: int) -> None:
        q = self.selected()
        if q is None:
            self.thread_view.clear()
            return
        e = html.escape
        parts = [f"<p><b>{e(capitalised(query_item_label(self.fw, q.item)))}</b> — "
                 f"{e(q.raised_by)}, {e(_when(q.raised_at))}</p><p>{e(q.text)}</p>"]
        for r in q.replies:
            parts.append(f"<p style='margin-left:12px'><b>{e(r.author)}</b>, {e(_when(r.at))}"
                         f"<br>{e(r.text)}</p>")
        if not q.is_open:
            parts.append("<p><i>" + e(_("Closed by {who}, {when}").format(
                who=q.closed_by or "", when=_when(q.closed_at))) + "</i></p>")
        self.thread_view.setHtml("".join(parts))
        self.reply.setEnabled(q.is_open)
        self.send.setEnabled(q.is_open)
        self.close_button.setEnabled(q.is_open)

    def send_reply(self) -> None:
        q = self.selected()
        if q is None:
            return
        try:
            reply_to_query(self.ws, q.id, self.reply.toPlainText())
        except UserError as e:
            QtWidgets.QMessageBox.warning(self, _("Reply not sent"), str(e))
            return
        self.reply.clear()
        self.reload()
        self.changed.emit()

    def close_selected(self) -> None:
        q = self.selected()
        if q is None:
            return
        try:
            close_query(self.ws, q.id)
        except UserError as e:
            QtWidgets.QMessageBox.warning(self, _("Query not closed"), str(e))
            return
        self.reload()
        self.changed.emit()


class AddQueryDialog(QtWidgets.QDialog):
    """Raise a query: which item it is about, and what to ask."""

    def __init__(self, fw: Framework, items: list[str], current: str | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a query"))
        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        self.item = QtWidgets.QComboBox()
        self.item.setAccessibleName(_("Item the query is about"))
        for it in items:
            self.item.addItem(_choice_label(fw, it), it)
        if current in items:
            self.item.setCurrentIndex(items.index(current))
        form.addRow(_("&Item:"), self.item)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setAccessibleName(_("Query text"))
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(_("What should the assessor look at again, and why?"))
        self.text.setMinimumSize(420, 110)
        form.addRow(_("&Query:"), self.text)
        layout.addLayout(form)
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet("color: #d4351c")
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(_("Add query"),
                                    QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> tuple[str, str]:
        return str(self.item.currentData()), self.text.toPlainText().strip()

    def _accept(self) -> None:
        if not self.values()[1]:
            self.error.setText(_("Write the query before adding it."))
            return
        self.accept()


def _choice_label(fw: Framework, item: str) -> str:
    """What the item list shows: the key and the question's words where there are some."""
    text = ""
    if item in fw.prompts_by_id:
        text = fw.prompts_by_id[item].text
    elif item in fw.key_questions_by_id:
        text = _("judgement: {q}").format(q=fw.key_questions_by_id[item].text)
    elif item.startswith(NOTE) and item[len(NOTE):] in fw.key_questions_by_id:
        text = _("evidence note")
    if not text:
        return capitalised(query_item_label(fw, item))
    key = item[len(NOTE):] if item.startswith(NOTE) else item
    return f"{key} {text}" if len(text) <= 70 else f"{key} {text[:69].rstrip()}…"


def ask_and_raise(parent: QtWidgets.QWidget, ws: Workspace, case_id: str, fw: Framework,
                  items: list[str], current: str | None = None) -> Query | None:
    """Show the dialog and raise the query; None if cancelled or refused (with why)."""
    dialog = AddQueryDialog(fw, items, current, parent)
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return None
    item, text = dialog.values()
    try:
        return raise_query(ws, case_id, item, text)
    except UserError as e:
        QtWidgets.QMessageBox.warning(parent, _("Query not added"), str(e))
        return None
