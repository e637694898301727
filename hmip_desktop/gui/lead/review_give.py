"""The lead gives a partner inspector cases to review, and writes them their review bundle.

Opened from the set-up window ("Cases to review…"). The lead picks a partner inspector (a member
granted that role under "Roles…"), ticks the cases to give them, and writes the review bundle:
the cases with the answers the lead holds now, read-only at the partner's end (youth offending
services manual §6.1). Each case given or taken back is audited.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.exchange.review_bundles import export_review
from hmip_desktop.gui.common.plain_text import plain_label, warn
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.member_labels import member_labels
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.team import review
from hmip_desktop.team.roles import members_holding


class GiveReviewDialog(QtWidgets.QDialog):
    def __init__(self, ws: Workspace, iid: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.iid = ws, iid
        self.setWindowTitle(_("Cases to review"))
        self.resize(560, 560)
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_(
            "Give a partner inspector cases to review. They read the answers you hold now and "
            "may comment; they cannot change an answer. Their comments come back to you and "
            "are shown beside each case in the drill-down."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel(_("Partner inspector:")))
        self.partner = QtWidgets.QComboBox()
        self.partner.setAccessibleName(_("Partner inspector"))
        members = ws.members(iid)
        names = member_labels((m["id"], m["name"]) for m in members)
        for mid in members_holding(ws, iid, "partner"):
            self.partner.addItem(names[mid], mid)
        self.partner.currentIndexChanged.connect(self.refresh)
        row.addWidget(self.partner, 1)
        layout.addLayout(row)
        self.cases = QtWidgets.QListWidget()
        self.cases.setAccessibleName(_("Cases"))
        layout.addWidget(self.cases, 1)
        self.write = QtWidgets.QPushButton(_("Give and write the review bundle…"))
        self.write.clicked.connect(self.give_and_write)
        layout.addWidget(self.write)
        self.message = plain_label(
            "" if self.partner.count() else
            _("No member is a partner inspector yet: grant the role under Roles… first."))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.write.setEnabled(self.partner.count() > 0)
        self.refresh()

    def partner_id(self) -> str | None:
        data = self.partner.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        self.cases.clear()
        mid = self.partner_id()
        for case in self.ws.allocations(self.iid):
            item = QtWidgets.QListWidgetItem(case["case_ref"])
            item.setData(Qt.ItemDataRole.UserRole, case["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            given = mid is not None and mid in review.reviewers_of(self.ws, case["id"])
            item.setCheckState(Qt.CheckState.Checked if given else Qt.CheckState.Unchecked)
            self.cases.addItem(item)

    def ticked(self) -> list[str]:
        return [str(self.cases.item(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self.cases.count())
                if self.cases.item(r).checkState() == Qt.CheckState.Checked]

    def give_and_write(self, out: Path | None = None) -> Path | None:
        """Give the ticked cases, take back the unticked, and write the bundle (one line if not)."""
        mid = self.partner_id()
        if mid is None:
            return None
        ticked = self.ticked()
        if out is None:
            name, _f = QtWidgets.QFileDialog.getSaveFileName(
                self, _("Write the review bundle"),
                str(Path.home() / f"{self.partner.currentText().replace(' ', '-')}-review.hmipb"),
                _("Bundles (*.hmipb)"))
            if not name:
                return None
            out = Path(name)
        try:
            review.give_for_review(self.ws, self.iid, mid, ticked)
            for r in range(self.cases.count()):
                cid = str(self.cases.item(r).data(Qt.ItemDataRole.UserRole))
                if cid not in ticked:
                    review.take_back_review(self.ws, self.iid, mid, cid)
            path = export_review(self.ws, self.iid, mid, out)
        except UserError as e:
            warn(self, _("Not done"), str(e))
            return None
        self.message.setText(_("{n} cases to review written to {path}.").format(
            n=len(ticked), path=path))
        return path
