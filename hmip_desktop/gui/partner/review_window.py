"""The partner inspector's window: the cases given to them, read-only, with their comments.

A partner inspector reads the cases of the first fieldwork week at the start of the second
(youth offending services manual §6.1). Each case is shown as text that cannot be edited: every
key question's judgement, prompt answers and evidence note as the lead held them. The partner
comments on the case as a whole or on one key question; each comment is saved at once (durable,
audited) and goes to the lead with "Send comments to the lead…". Nothing here writes an answer.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.assessment.items import NOTE
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.review_bundles import export_comments
from hmip_desktop.frameworks.model import Framework
from hmip_desktop.gui.common.plain_text import plain_label, warn
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.html_text import html_text
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team import review

ANSWERS = {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}


def case_html(fw: Framework, case: review.ReviewCase) -> str:
    """The case as the partner reads it: each key question with its answers and note."""
    title = _("Case {ref}").format(ref=case.case_ref)
    judgement, evidence, unanswered = _("Judgement:"), _("Evidence note:"), _("Not answered")
    parts = [f"<h2>{html_text(title)}</h2>"]
    for kq in fw.case_key_questions():
        judged = ANSWERS.get(case.items.get(kq.id, ""), unanswered)
        parts.append(f"<h3>{html_text(kq.id)} {html_text(kq.text)}</h3>"
                     f"<p><b>{html_text(judgement)}</b> {html_text(judged)}</p>")
        rows = "".join(
            f"<li>{html_text(p.text)} — "
            f"<b>{html_text(ANSWERS.get(case.items.get(p.id, ''), unanswered))}</b></li>"
            for p in kq.prompts)
        if rows:
            parts.append(f"<ul>{rows}</ul>")
        note = case.items.get(NOTE + kq.id)
        if note:
            parts.append(f"<p><b>{html_text(evidence)}</b> {html_text(note)}</p>")
    return "".join(parts)


def comment_line(fw: Framework, c: review.Comment) -> str:
    about = _("the case as a whole") if c.kq_id is None else _("key question {n}").format(
        n=c.kq_id)
    return _("{who}, {when}, on {about}: {text}").format(
        who=c.author_name, when=c.written_at[:16].replace("T", " "), about=about, text=c.text)


class ReviewWindow(QtWidgets.QDialog):
    def __init__(self, ws: Workspace, iid: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.iid = ws, iid
        self.fw = ws.inspection_framework(iid)
        self.setWindowTitle(_("Cases to review"))
        self.resize(1100, 700)
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "The lead has given you these cases to review. You can read every answer and "
            "comment on the case or on a key question; the answers cannot be changed here."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.cases = QtWidgets.QListWidget()
        self.cases.setAccessibleName(_("Cases to review"))
        self.cases.currentRowChanged.connect(self.show_case)
        split.addWidget(self.cases)
        right = QtWidgets.QWidget()
        rv = QtWidgets.QVBoxLayout(right)
        self.reader = QtWidgets.QTextBrowser()
        self.reader.setAccessibleName(_("The case, read-only"))
        self.reader.setReadOnly(True)
        rv.addWidget(self.reader, 3)
        rv.addWidget(heading(_("Your comments")))
        self.comments = QtWidgets.QListWidget()
        self.comments.setAccessibleName(_("Your comments"))
        self.comments.setWordWrap(True)
        rv.addWidget(self.comments, 1)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel(_("About:")))
        self.about = QtWidgets.QComboBox()
        self.about.setAccessibleName(_("What the comment is about"))
        self._about_for(self.fw)
        row.addWidget(self.about, 1)
        rv.addLayout(row)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setAccessibleName(_("Comment"))
        self.text.setPlaceholderText(_("Your comment for the lead"))
        self.text.setMaximumHeight(90)
        rv.addWidget(self.text)
        buttons = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton(_("Add comment"))
        self.add_button.clicked.connect(self.add_comment)
        self.send_button = QtWidgets.QPushButton(_("Send comments to the lead…"))
        self.send_button.clicked.connect(self.send)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        rv.addLayout(buttons)
        split.addWidget(right)
        split.setSizes([220, 880])
        layout.addWidget(split, 1)
        self.message = plain_label()
        layout.addWidget(self.message)
        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.copies: list[review.ReviewCase] = []
        self.reload()

    def _about_for(self, fw: Framework) -> None:
        """What a comment may be about: the case, or a key question of the case's edition."""
        self.about.clear()
        self.about.addItem(_("The case as a whole"), None)
        for kq in fw.case_key_questions():
            self.about.addItem(_("Key question {n}: {text}").format(n=kq.id, text=kq.text[:70]),
                               kq.id)

    def case_framework(self, case: review.ReviewCase) -> Framework:
        """The edition the case is on: the one it came on, else the inspection's."""
        return self.ws.framework(case.framework_hash) if case.framework_hash else self.fw

    def reload(self) -> None:
        self.copies = review.review_copies(self.ws, self.iid)
        self.cases.clear()
        for c in self.copies:
            self.cases.addItem(c.case_ref)
        if self.copies:
            self.cases.setCurrentRow(0)
        else:
            self.reader.setPlainText(_("No cases to review yet: the lead sends them to you "
                                       "in a review bundle, which you import."))

    def current(self) -> review.ReviewCase | None:
        row = self.cases.currentRow()
        return self.copies[row] if 0 <= row < len(self.copies) else None

    def show_case(self, _row: int = 0) -> None:
        case = self.current()
        if case is None:
            return
        fw = self.case_framework(case)
        self.reader.setHtml(case_html(fw, case))
        if [self.about.itemData(i) for i in range(1, self.about.count())] != [
                kq.id for kq in fw.case_key_questions()]:
            self._about_for(fw)
        self.comments.clear()
        for c in review.comments_on(self.ws, case.case_id):
            self.comments.addItem(comment_line(fw, c))

    def add_comment(self) -> None:
        case = self.current()
        if case is None:
            return
        try:
            review.add_comment(self.ws, self.iid, case.case_id, self.text.toPlainText(),
                               self.about.currentData())
        except UserError as e:
            warn(self, _("Comment not saved"), str(e))
            return
        self.text.clear()
        self.show_case()
        self.message.setText(_("Comment saved on {ref}.").format(ref=case.case_ref))

    def send(self, out: Path | None = None) -> Path | None:
        if out is None:
            name, _f = QtWidgets.QFileDialog.getSaveFileName(
                self, _("Send comments to the lead"), str(Path.home() / "comments.hmipb"),
                _("Bundles (*.hmipb)"))
            if not name:
                return None
            out = Path(name)
        try:
            path = export_comments(self.ws, self.iid, out)
        except UserError as e:
            warn(self, _("Comments not sent"), str(e))
            return None
        self.message.setText(_("Comments for the lead written to {path}.").format(path=path))
        return path
