"""The deputy lead's alerts page, in the main window of an assessor's or QA partner's laptop.

The deputy lead inspector handles alerts (Probation inspections external guidance manual,
sections 3.1 and 6.7). A member whose workspace was made for assessing or QA but who holds the
deputy role (``team.roles``) gets the lead's alerts inbox (``alerts_inbox.py``) as a page of
their main window, over each inspection in which they hold the role; without the role the page
is never offered (``inspections_tracked``).
"""

from __future__ import annotations

from hmip_desktop.gui.common.qt import QtGui, QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.alert_rows import inspections_tracked
from hmip_desktop.gui.lead.alerts_inbox import AlertsInbox
from hmip_desktop.gui.lead.common import LEAD_STYLE, inspection_label
from hmip_desktop.i18n import _
from hmip_desktop.store.workspace import Workspace


class AlertsPage(QtWidgets.QWidget):
    back = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.setStyleSheet(LEAD_STYLE)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("← My cases"))
        self.back_button.setToolTip(_("Back to your cases (Alt+Left)"))
        self.back_button.clicked.connect(self.back)
        QtGui.QShortcut(QtGui.QKeySequence("Alt+Left"), self, self.back.emit)
        top.addWidget(self.back_button)
        self.title = heading(_("Alerts, as deputy lead inspector"), "kqText")
        top.addWidget(self.title, 1)
        self.inspection_label = QtWidgets.QLabel(_("&Inspection:"))
        self.inspection = QtWidgets.QComboBox()
        self.inspection.setAccessibleName(_("Inspection"))
        self.inspection_label.setBuddy(self.inspection)
        self.inspection.currentIndexChanged.connect(self._inspection_chosen)
        top.addWidget(self.inspection_label)
        top.addWidget(self.inspection)
        layout.addLayout(top)
        self.inbox = AlertsInbox(None)
        layout.addWidget(self.inbox, 1)

    def set_workspace(self, ws: Workspace | None) -> None:
        """Read the inspections whose alerts this owner tracks (none while locked)."""
        self.ws = ws
        kept = self.inspection.currentData()
        self.inspection.blockSignals(True)
        self.inspection.clear()
        if ws is not None:
            for i in ws.inspections():
                if str(i["id"]) in inspections_tracked(ws):
                    self.inspection.addItem(inspection_label(ws, i), i["id"])
        found = self.inspection.findData(kept) if kept is not None else -1
        self.inspection.setCurrentIndex(max(found, 0) if self.inspection.count() else -1)
        self.inspection.blockSignals(False)
        several = self.inspection.count() > 1
        self.inspection.setVisible(several)
        self.inspection_label.setVisible(several)
        self._inspection_chosen()

    def _inspection_chosen(self, *_args: object) -> None:
        data = self.inspection.currentData()
        self.inbox.set_inspection(self.ws, str(data) if data else None)

    def waiting(self) -> int:
        """How many alerts in the inspection shown are not yet acknowledged."""
        return sum(not a.acknowledged for a in self.inbox.rows())
