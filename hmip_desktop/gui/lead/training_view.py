"""The lead's training comparison screen: each trainee against the benchmark (issue 20).

A thin view over ``training.service.comparison``: a table of the trainees' agreement and kappa
with its meaning, and the full comparison (where the group went wrong, key questions, notes
side by side) as the same HTML the PDF prints. PDF and workbook are saved from here.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.pdf import write_pdf
from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.gui.common.training_banner import training_banner
from hmip_desktop.gui.lead.training_selection import SelectionPanel
from hmip_desktop.i18n import N_, _
from hmip_desktop.laptop_return.exports import write_recorded, write_tracked
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.training.compare import Comparison, percent
from hmip_desktop.training.report import comparison_html, comparison_xlsx, kappa_figure
from hmip_desktop.training.service import comparison
from hmip_desktop.wording import capitalised

COLUMNS = (N_("Trainee"), N_("Items agreed"), N_("Share agreed"), N_("Kappa"), N_("Agreement"))


class TrainingScreen(QtWidgets.QWidget):
    """Pick a training event; see every trainee against its benchmark; save PDF or XLSX."""

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.current: Comparison | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(training_banner())
        top = QtWidgets.QHBoxLayout()
        label = QtWidgets.QLabel(_("Training &event:"))
        self.event_box = QtWidgets.QComboBox()
        self.event_box.setAccessibleName(_("Training event"))
        label.setBuddy(self.event_box)
        top.addWidget(label)
        top.addWidget(self.event_box, 1)
        self.pdf_button = QtWidgets.QPushButton(_("Save as &PDF…"))
        self.xlsx_button = QtWidgets.QPushButton(_("Save as &workbook…"))
        self.pdf_button.clicked.connect(self.ask_pdf)
        self.xlsx_button.clicked.connect(self.ask_xlsx)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)
        layout.addLayout(top)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Each trainee against the benchmark"))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(220)
        layout.addWidget(self.table)
        self.report = QtWidgets.QTextBrowser()
        self.report.setAccessibleName(_("The comparison in full"))
        layout.addWidget(self.report, 1)
        self.selection = SelectionPanel(ws)
        layout.addWidget(self.selection)
        self.event_box.currentIndexChanged.connect(self.load)
        self.reload_events()

    def reload_events(self) -> None:
        self.event_box.blockSignals(True)
        self.event_box.clear()
        for i in self.ws.inspections():
            if i["training"]:
                self.event_box.addItem(str(i["title"]), i["id"])
        self.event_box.blockSignals(False)
        self.load()

    def load(self) -> None:
        iid = self.event_box.currentData()
        self.selection.load(None if iid is None else str(iid))
        self.current = None
        self.table.setRowCount(0)
        self.report.clear()
        if iid is None:
            self.message.setText(_("No training event in this workspace."))
        else:
            try:
                self.current = comparison(self.ws, str(iid))
            except UserError as e:
                self.message.setText(str(e))
        for b in (self.pdf_button, self.xlsx_button):
            b.setEnabled(self.current is not None)
        if self.current is None:
            return
        c = self.current
        self.message.setText(_("Against the benchmark version {n}.").format(
            n=c.benchmark_version) + (" " + _("The benchmark was changed after some trainees' "
                                            "answers had arrived: compared again against it.")
                                      if c.benchmark_changed else ""))
        self.table.setRowCount(len(c.trainees))
        for row, t in enumerate(c.trainees):
            cells = (t.name, f"{t.agreed} / {t.total}", percent(t.share), kappa_figure(t.kappa),
                     capitalised(t.band))
            for col, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(t.meaning)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.report.setHtml(comparison_html(c))

    def save_pdf(self, path: Path) -> Path:
        assert self.current is not None
        html, title = comparison_html(self.current), _("Training comparison")
        return write_recorded(self.ws, path, "training_pdf",
                              lambda full: write_pdf(full, html, title=title))

    def save_xlsx(self, path: Path) -> Path:
        assert self.current is not None
        return write_tracked(self.ws, path, comparison_xlsx(self.current), "training_xlsx")

    def ask_pdf(self) -> None:
        self._ask(_("Save the training comparison as PDF"), "training-comparison.pdf",
                  self.save_pdf)

    def ask_xlsx(self) -> None:
        self._ask(_("Save the training comparison as a workbook"), "training-comparison.xlsx",
                  self.save_xlsx)

    def _ask(self, title: str, name: str, save: object) -> None:
        chosen, _filter = QtWidgets.QFileDialog.getSaveFileName(self, title, name)
        if not chosen or not callable(save):
            return
        try:
            written = save(Path(chosen))
        except UserError as e:
            self.message.setText(str(e))
            return
        self.message.setText(_("Saved to {path}: it names trainees and is not encrypted.")
                             .format(path=written))
