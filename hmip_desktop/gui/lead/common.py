"""What the lead's consolidation screens share: rating names, a read-only table model, messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hmip_desktop.gui.common.qt import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
    QtCore,
    QtGui,
    QtWidgets,
)
from hmip_desktop.i18n import _
from hmip_desktop.i18n import rating_label as core_rating_label
from hmip_desktop.rules.scale import RATINGS
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.wording import capitalised

AnyIndex = QModelIndex | QtCore.QPersistentModelIndex

RATING_COLOURS = {
    "inadequate": "#d4351c",
    "requires_improvement": "#f47738",
    "good": "#00703c",
    "outstanding": "#1d70b8",
}
FLAG_LABELS = {
    "five_or_fewer_cases": _("Based on five cases or fewer"),
    "one_case_changes_band": _("A differing judgement in one case changes the band"),
    "within_5_points": _("Within five percentage points of a rating boundary"),
}


def rating_label(rating: str | None) -> str:
    """The rating as the manuals write it; empty for none."""
    return core_rating_label(rating) if rating else ""


def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, capitalised(flag.replace("_", " ")))


def ratings() -> tuple[str, ...]:
    return RATINGS


def when(at: str | None) -> str:
    """An ISO timestamp as a person reads it: '2026-11-24 09:30'."""
    if not at:
        return ""
    day, _sep, time = at.partition("T")
    return f"{day} {time[:5]}".strip()


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    colour: Callable[[Any], str | None] | None = None
    bold: Callable[[Any], bool] | None = None


class RowsModel(QAbstractTableModel):
    """A read-only table of plain records, one row each, with columns declared as functions."""

    def __init__(self, columns: Sequence[Column], parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def text(self, row: int, column: int) -> str:
        return self.columns[column].text(self.rows[row])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        col = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return col.text(record)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{col.title}: {col.text(record)}"
        if role == Qt.ItemDataRole.UserRole:
            return col.sort(record) if col.sort else col.text(record)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour:
            colour = col.colour(record)
            return QtGui.QBrush(QtGui.QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.FontRole and col.bold and col.bold(record):
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None


def table_view(model: QtCore.QAbstractItemModel, name: str, *,
               stretch: int | Sequence[int] | None = None) -> QtWidgets.QTableView:
    """A keyboard-friendly read-only table: one row selected at a time, columns sized to fit."""
    view = QtWidgets.QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        for column in [stretch] if isinstance(stretch, int) else stretch:
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view


class EmptyState(QtWidgets.QStackedWidget):
    """A view, or in its place a sentence saying what to do while it has nothing to show.

    With ``follow_model`` (an item view) the sentence shows whenever the view's model has no
    rows; otherwise the screen says when (``show_empty``).
    """

    def __init__(self, content: QtWidgets.QWidget, text: str, *,
                 follow_model: bool = True) -> None:
        super().__init__()
        self.content = content
        self.empty = QtWidgets.QLabel(text)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAccessibleName(_("What to do here"))
        self.empty.setContentsMargins(24, 24, 24, 24)
        self.addWidget(content)
        self.addWidget(self.empty)
        if follow_model and isinstance(content, QtWidgets.QAbstractItemView):
            model = content.model()
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                           model.layoutChanged):
                signal.connect(self._follow)
            self._follow()

    def set_text(self, text: str) -> None:
        self.empty.setText(text)

    def show_empty(self, empty: bool) -> None:
        self.setCurrentWidget(self.empty if empty else self.content)

    def is_empty(self) -> bool:
        return self.currentWidget() is self.empty

    def _follow(self, *_args: object) -> None:
        assert isinstance(self.content, QtWidgets.QAbstractItemView)
        self.show_empty(self.content.model().rowCount() == 0)


class MessageLine(QtWidgets.QLabel):
    """The one-line message under a screen: what was done, or why it was refused."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadMessage")
        self.setTextFormat(Qt.TextFormat.PlainText)  # refusals quote members' names
        self.setWordWrap(True)
        self.setAccessibleName(_("Message"))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def done(self, text: str) -> None:
        self.setProperty("kind", "done")
        self._show(text)

    def refused(self, text: str) -> None:
        self.setProperty("kind", "refused")
        self._show(text)

    def _show(self, text: str) -> None:
        text = capitalised(text)  # a refusal's words may be the CLI's lower-case line
        self.setText(text)
        self.setAccessibleDescription(text)
        self.style().unpolish(self)
        self.style().polish(self)


LEAD_STYLE = """
QLabel#leadMessage[kind="refused"] { color: #d4351c; font-weight: bold; }
QLabel#leadMessage[kind="done"] { color: #00703c; }
QLabel#ratingBadge { font-size: 12pt; font-weight: bold; padding: 2px 8px; color: white;
                     border-radius: 3px; }
QLabel#subNote { font-style: italic; }
QLabel#emptyState { color: palette(text); background: palette(base);
                    border: 1px dashed palette(mid); font-size: 11pt; }
"""


def inspection_label(ws: Workspace, inspection: Mapping[str, Any]) -> str:
    """An inspection as a chooser lists it: its title and its framework's, never an id."""
    fw = ws.inspection_framework(inspection["id"])
    return f"{inspection['title']} — {fw.title}"
