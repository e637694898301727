"""The lead's retention of one inspection: its retention date, archive, purge.

Archive and purge cannot be undone, so the button that does either is enabled only once the
lead has typed the inspection's name; an archive with cases still in conflict or not signed off
also needs the lead's reason in words. The work runs off the GUI thread. The service
(``retention/service.py``) decides and refuses; a refusal shows as one line here and changes
nothing.
"""

from __future__ import annotations

from datetime import date

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.jobs import run_job
from hmip_desktop.gui.common.plain_text import plain_label
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.gui.common.widgets import chosen_day, date_edit, heading
from hmip_desktop.gui.lead.common import LEAD_STYLE, MessageLine
from hmip_desktop.i18n import _
from hmip_desktop.retention.reminders import retention
from hmip_desktop.retention.service import (
    Removal,
    archive_inspection,
    purge_inspection,
    set_retention_date,
)
from hmip_desktop.store.workspace import Workspace

ARCHIVE_WORDS = _(
    "Archive keeps the published figures: the key-question table, the ratings, the ratings "
    "panel's record and where the figures came from. It removes every case's answers, notes, "
    "interview record, facts, alerts, queries and history, and the case sample's lists.")
PURGE_WORDS = _(
    "Purge removes the inspection entirely: its cases, its kept figures, its members, the "
    "ratings and the panel's record.")


class RetentionDialog(QtWidgets.QDialog):
    """Keep, archive or purge one inspection; ``done_removal`` holds what was done."""

    def __init__(self, ws: Workspace, inspection_id: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.inspection_id = inspection_id
        self.done_removal: Removal | None = None
        held = next(r for r in retention(ws) if r.inspection_id == inspection_id)
        self.title = held.title
        self.setWindowTitle(_("Retention of {title}").format(title=held.title))
        self.setStyleSheet(LEAD_STYLE)
        self.setMinimumWidth(560)
        layout = QtWidgets.QVBoxLayout(self)

        state = (_("{title} was archived on {day} by {who}: its published figures are "
                   "kept.").format(title=held.title, day=(held.archived_at or "")[:10],
                                   who=held.archived_by)
                 if held.archived_at else
                 _("{title} is held in full, with every case's data.").format(title=held.title))
        top = heading(state)
        top.setTextFormat(Qt.TextFormat.PlainText)  # the title is the lead's own words
        layout.addWidget(top)
        date_row = QtWidgets.QHBoxLayout()
        date_label = QtWidgets.QLabel(_("&Keep until:"))
        kept = date.fromisoformat(held.retain_until) if held.retain_until else date.today()
        self.retain_until = date_edit(kept, _("Keep until"))
        date_label.setBuddy(self.retain_until)
        set_date = QtWidgets.QPushButton(_("&Set date"))
        set_date.clicked.connect(self.set_date)
        date_row.addWidget(date_label)
        date_row.addWidget(self.retain_until, 1)
        date_row.addWidget(set_date)
        layout.addLayout(date_row)

        self.archive_choice = QtWidgets.QRadioButton(_("&Archive"))
        self.purge_choice = QtWidgets.QRadioButton(_("&Purge"))
        for choice, words in ((self.archive_choice, ARCHIVE_WORDS),
                              (self.purge_choice, PURGE_WORDS)):
            layout.addWidget(choice)
            explain = plain_label(words)
            explain.setWordWrap(True)
            explain.setContentsMargins(24, 0, 0, 0)
            layout.addWidget(explain)
        self.archive_choice.setEnabled(not held.archived_at)
        (self.purge_choice if held.archived_at else self.archive_choice).setChecked(True)

        self.override = QtWidgets.QLineEdit()
        self.override.setAccessibleName(_("Reason to archive cases not signed off"))
        self.override.setPlaceholderText(_("Needed only with cases in conflict or not signed "
                                           "off"))
        self.confirm = QtWidgets.QLineEdit()
        self.confirm.setAccessibleName(_("The inspection's name, to confirm"))
        self.confirm.textChanged.connect(self._changed)
        for words, field in ((_("&Reason for archiving anyway, in words:"), self.override),
                             (_("&Type the inspection's name to confirm: {title}").format(
                                 title=held.title), self.confirm)):
            label = QtWidgets.QLabel(words)
            label.setBuddy(field)
            label.setWordWrap(True)
            layout.addWidget(label)
            layout.addWidget(field)
        warning = plain_label(_("This cannot be undone."))
        warning.setStyleSheet("font-weight: bold;")
        layout.addWidget(warning)

        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        self.go = buttons.addButton(_("Archive"),
                                    QtWidgets.QDialogButtonBox.ButtonRole.DestructiveRole)
        self.go.clicked.connect(self.carry_out)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.archive_choice.toggled.connect(self._changed)
        self._changed()

    def _typed(self) -> bool:
        return (" ".join(self.confirm.text().split()).casefold()
                == " ".join(self.title.split()).casefold())

    def _changed(self, *_args: object) -> None:
        archive = self.archive_choice.isChecked()
        self.go.setText(_("Archive") if archive else _("Purge"))
        self.override.setEnabled(archive)
        self.go.setEnabled(self._typed())

    def set_date(self) -> None:
        try:
            day = set_retention_date(self.ws, self.inspection_id,
                                     chosen_day(self.retain_until).isoformat())
        except UserError as e:
            self.message.refused(str(e))
            return
        self.message.done(_("Kept until {day}.").format(day=day))

    def carry_out(self) -> None:
        """Archive or purge off the GUI thread (a large inspection takes a second or so)."""
        archive, confirm, override = (self.archive_choice.isChecked(), self.confirm.text(),
                                      self.override.text())

        def work() -> Removal:
            if archive:
                return archive_inspection(self.ws, self.inspection_id, confirm=confirm,
                                          override=override)
            return purge_inspection(self.ws, self.inspection_id, confirm=confirm)

        def done(removal: Removal) -> None:
            self.done_removal = removal
            self.accept()

        def failed(error: BaseException) -> None:
            self.setEnabled(True)
            if not isinstance(error, UserError):
                raise error
            self.message.refused(str(error))
            self.adjustSize()  # room for the line, however it wraps

        self.setEnabled(False)  # nothing else is asked of the workspace meanwhile
        run_job(self, _("Archiving…") if archive else _("Purging…"), work, done, failed)
