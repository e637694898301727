"""Exports for the data team: the XLSX workbook, CSV, the ratings JSON, and a comparison.

Each export runs off the GUI thread (``gui/common/jobs.py``); the window's other controls wait while
it runs, and a message says where the file went. The comparison reads a previous export of
this app (ratings JSON, CSV or workbook) or an aggregate file and lists the change per key
question, flagged where the two-proportion test gives p < 0.1 (000_ §7.3).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hmip_desktop.consolidation.compare import compare_inspection
from hmip_desktop.consolidation.counting import FINAL, CountRule
from hmip_desktop.consolidation.export import ratings_json, write_csv, write_workbook
from hmip_desktop.consolidation.publication import write_publishable_workbook
from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.document_language import DocumentLanguage, written_in
from hmip_desktop.gui.common.jobs import run_job
from hmip_desktop.gui.common.qt import QtWidgets, Signal
from hmip_desktop.gui.common.widgets import heading
from hmip_desktop.gui.lead.common import (
    Column,
    EmptyState,
    MessageLine,
    RowsModel,
    table_view,
)
from hmip_desktop.i18n import _, ngettext
from hmip_desktop.laptop_return.exports import write_tracked
from hmip_desktop.store.workspace import Workspace


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _of(yes: int | None, n: int | None) -> str:
    return "" if yes is None or not n else f" ({yes}/{n})"


COMPARISON_COLUMNS = (
    Column(_("Key question"), lambda c: c.kq_id),
    Column(_("Text"), lambda c: c.text),
    Column(_("Previous"), lambda c: _pct(c.previous_percent) + _of(c.previous_yes,
                                                                   c.previous_n)),
    Column(_("Now"), lambda c: _pct(c.current_percent) + _of(c.current_yes, c.current_n)),
    Column(_("Change (points)"), lambda c: "" if c.change is None else f"{c.change:+}",
           sort=lambda c: c.change or 0),
    Column(_("p"), lambda c: "" if c.p_value is None else f"{c.p_value:.3f}",
           sort=lambda c: c.p_value if c.p_value is not None else 2.0),
    Column(_("Significant"), lambda c: _("Yes, p < 0.1") if c.flagged else "",
           colour=lambda c: "#d4351c" if c.flagged else None, bold=lambda c: c.flagged),
)


def write_ratings_json(ws: Workspace, iid: str, path: Path) -> Path:
    data = json.dumps(ratings_json(ws, iid), indent=2, ensure_ascii=False, sort_keys=True)
    return write_tracked(ws, path, (data + "\n").encode(), "ratings_json")


class ExportsScreen(QtWidgets.QWidget):
    busy = Signal(bool)
    finished = Signal(object)  # the path written, or the comparison

    def __init__(self, ws: Workspace, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.iid: str | None = None
        self.title = ""
        self.rule: CountRule = FINAL
        self.last: Any = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(heading(_("Exports for the data team")))
        text = QtWidgets.QLabel(_(
            "The data workbook holds every case's answers and judgements, the key-question "
            "tables, sub-groups, ratings, flags, the inspection's facts and the bundles behind "
            "the figures: it contains personal data and is for the internal data team only. "
            "The publishable workbook holds aggregates only, with no case reference, name or "
            "note, and small groups suppressed. Cell text that a spreadsheet would run as a "
            "formula is neutralised."))
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QtWidgets.QHBoxLayout()
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for key, label, slot in (
            ("xlsx", _("Data &workbook, personal data (XLSX)…"), self.export_workbook),
            ("publish", _("&Publishable workbook (XLSX)…"), self.export_publishable),
            ("csv", _("&CSV…"), self.export_csv),
            ("json", _("Ratings &JSON…"), self.export_json),
            ("compare", _("Co&mpare with a previous export…"), self.compare_previous),
        ):
            b = QtWidgets.QPushButton(label)
            b.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(b)
            self.buttons[key] = b
        buttons.addStretch(1)
        layout.addLayout(buttons)
        # The workbook's labels (sheet names, headings, words) in the language chosen here.
        self.language = DocumentLanguage()
        self.language.setToolTip(_("The language of the workbook's labels; answers, ids and "
                                   "other data stay as they are"))
        language_row = QtWidgets.QHBoxLayout()
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        layout.addLayout(language_row)
        self.message = MessageLine()
        layout.addWidget(self.message)
        layout.addWidget(heading(_("Change since the previous export")))
        self.comparison = RowsModel(COMPARISON_COLUMNS, self)
        self.comparison_view = table_view(self.comparison, _("Comparison with a previous "
                                                             "export"), stretch=1)
        self.comparison_stack = EmptyState(self.comparison_view, _(
            "Nothing compared yet. To see how each key question has moved since the last "
            "inspection, choose \"Compare with a previous export…\" above and open the ratings "
            "file (JSON) exported then."))
        layout.addWidget(self.comparison_stack, 1)

    def set_inspection(self, iid: str | None, title: str = "") -> None:
        self.iid = iid
        self.title = title
        for b in self.buttons.values():
            b.setEnabled(iid is not None)
        self.set_rule(self.rule)

    def set_rule(self, rule: CountRule) -> None:
        """The Tables tab's counting rule: the CSV follows it; the workbook is never provisional."""
        self.rule = rule
        workbook = self.buttons["xlsx"]
        workbook.setEnabled(self.iid is not None and not rule.provisional)
        workbook.setToolTip(_(
            "The workbook counts only cases marked complete: turn off 'Include cases in "
            "progress' on the Tables tab to write it.") if rule.provisional else "")

    def _name(self, ext: str) -> str:
        base = "".join(ch if ch.isalnum() else "-" for ch in self.title).strip("-") or "inspection"
        return str(Path.home() / f"{base}.{ext}")

    def _save_path(self, caption: str, ext: str, filter_: str) -> Path | None:
        chosen, _f = QtWidgets.QFileDialog.getSaveFileName(self, caption, self._name(ext),
                                                           filter_)
        return Path(chosen) if chosen else None

    def _run(self, label: str, work: Callable[[], Any], done: Callable[[Any], str]) -> None:
        self.busy.emit(True)

        def ok(result: Any) -> None:
            self.busy.emit(False)
            self.last = result
            self.message.done(done(result))
            self.finished.emit(result)

        def failed(error: BaseException) -> None:
            self.busy.emit(False)
            if isinstance(error, (UserError, OSError)):
                self.message.refused(str(error).splitlines()[0] if str(error) else
                                     type(error).__name__)
                self.finished.emit(error)
                return
            self.finished.emit(error)
            if self.isVisible():  # else the workspace was locked while the job ran
                raise error

        run_job(self, label, work, ok, failed)

    def export_workbook(self, path: Path | None = None) -> None:
        path = path or self._save_path(_("Data workbook"), "xlsx", _("Workbooks (*.xlsx)"))
        if path is None or self.iid is None:
            return
        iid = self.iid
        language = self.language.language()
        self._run(_("Writing the workbook…"),
                  lambda: written_in(language, lambda: write_workbook(self.ws, iid, path)),
                  lambda p: _("Workbook written to {path}").format(path=path))

    def export_publishable(self, path: Path | None = None) -> None:
        path = path or self._save_path(_("Publishable workbook"), "xlsx",
                                       _("Workbooks (*.xlsx)"))
        if path is None or self.iid is None:
            return
        iid = self.iid
        self._run(_("Writing the publishable workbook…"),
                  lambda: write_publishable_workbook(self.ws, iid, path),
                  lambda w: ngettext(
                      "Publishable workbook written to {path}: aggregates only, {n} cell "
                      "suppressed", "Publishable workbook written to {path}: aggregates only, "
                      "{n} cells suppressed", w.suppressed).format(path=w.path, n=w.suppressed))

    def export_csv(self, path: Path | None = None) -> None:
        path = path or self._save_path(_("CSV"), "csv", _("CSV files (*.csv)"))
        if path is None or self.iid is None:
            return
        iid = self.iid
        rule = self.rule
        self._run(_("Writing the CSV…"), lambda: write_csv(self.ws, iid, path, rule) or path,
                  lambda p: _("CSV written to {path}").format(path=path))

    def export_json(self, path: Path | None = None) -> None:
        path = path or self._save_path(_("Ratings JSON"), "json", _("JSON files (*.json)"))
        if path is None or self.iid is None:
            return
        iid = self.iid
        self._run(_("Writing the ratings…"), lambda: write_ratings_json(self.ws, iid, path),
                  lambda p: _("Ratings written to {path}").format(path=path))

    def compare_previous(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _f = QtWidgets.QFileDialog.getOpenFileName(
                self, _("A previous export or an aggregate file"), str(Path.home()),
                _("Exports and aggregates (*.json *.csv *.xlsx)"))
            path = Path(chosen) if chosen else None
        if path is None or self.iid is None:
            return
        iid = self.iid
        previous_path = path

        def work() -> list[Any]:
            return compare_inspection(self.ws, iid, previous_path)

        def done(rows: list[Any]) -> str:
            self.comparison.set_rows(rows)
            flagged = sum(1 for r in rows if r.flagged)
            return _("Compared with {name}: {n} key questions, {f} flagged at p < 0.1.").format(
                name=previous_path.name, n=len(rows), f=flagged)

        self._run(_("Comparing…"), work, done)
