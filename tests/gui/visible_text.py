"""Every text a person can read on a rendered screen, and the identifier-shaped words in it.

``visible_texts`` walks a widget and everything visible inside it: window titles, labels,
buttons, group boxes, tabs, entered and read-only text, combo box choices, placeholders,
tooltips, and every cell and header of every list, table and tree (whatever their model).
``internal_names`` finds what an inspector should never read there: item keys, check ids, file
prefixes of the manuals, revision and bundle numbers, bare role keys, and messages that start in
lower case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hmip_desktop.gui.common.qt import Qt, QtCore, QtGui, QtWidgets

# Identifier-shaped text: snake_case keys (rosh_difference_unexplained), prefixed keys
# (case:inspector_rosh, note:2.1.3, alert:3f2a…), a manual's file prefix (000_), revision and
# bundle numbers, a framework's id (nps-2019-20), and the stored role keys standing alone.
PATTERNS = {
    "snake_case key": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "prefixed key": re.compile(r"\b(case|note|alert|kq|prompt|check|record):[\w.]+"),
    "manual's file prefix": re.compile(r"\b\d{3}_"),
    "revision number": re.compile(r"\brev(ision)? \d+", re.IGNORECASE),
    "bundle number": re.compile(r"\(number \d+\)"),
    "framework id": re.compile(r"\b[a-z]+-\d{4}(-\d{2})?\b"),
    "role key": re.compile(r"^(assessor|qa|lead)$|\((assessor|qa|lead)\)"),
}
# A message starts with a capital, a digit, a quotation or a bullet; never a lower-case word.
LOWER_START = re.compile(r"^[a-z]")
# Texts that may start in lower case because they are not sentences: the app's own name, a
# file name, and a prompt's letter ("a) Does assessment ...").
LOWER_ALLOWED = re.compile(r"^(hmip-desktop\b|[\w.-]+\.(hmip\w*|pdf|xlsx|json|csv)\b|[a-z]\) )")

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def _model_texts(view: QtWidgets.QAbstractItemView) -> list[str]:
    model = view.model()
    out: list[str] = []
    if model is None:
        return out
    top = QtCore.QModelIndex()

    def columns(parent: QtCore.QModelIndex) -> int:
        try:
            return int(model.columnCount(parent))
        except TypeError:  # a list's model keeps its one column to itself
            return 1

    out += [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                or "") for c in range(columns(top))]

    def walk(parent):  # type: ignore[no-untyped-def]
        for r in range(model.rowCount(parent)):
            for c in range(columns(parent)):
                index = model.index(r, c, parent)
                for role in ROLES:
                    value = model.data(index, role)
                    if isinstance(value, str):
                        out.append(value)
                if c == 0 and model.rowCount(index) > 0:
                    walk(index)

    walk(top)
    return out


def visible_texts(widget: QtWidgets.QWidget) -> list[str]:
    """Every text shown by ``widget`` and its visible children, one string per text."""
    out = [widget.window().windowTitle()]
    for w in [widget, *widget.findChildren(QtWidgets.QWidget)]:
        if not (w is widget or w.isVisibleTo(widget)):
            continue
        out.append(w.toolTip())
        if isinstance(w, (QtWidgets.QLabel, QtWidgets.QAbstractButton)):
            out.append(w.text())
        elif isinstance(w, QtWidgets.QLineEdit):
            out += [w.text(), w.placeholderText()]
        elif isinstance(w, QtWidgets.QGroupBox):
            out.append(w.title())
        elif isinstance(w, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
            out += [w.toPlainText(), w.placeholderText()]
        elif isinstance(w, QtWidgets.QTabBar):
            out += [w.tabText(i) for i in range(w.count())]
            out += [w.tabToolTip(i) for i in range(w.count())]
        elif isinstance(w, QtWidgets.QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QtWidgets.QAbstractItemView):
            out += _model_texts(w)
    for action in widget.findChildren(QtGui.QAction):
        out += [action.text(), action.toolTip()]
    if isinstance(widget, QtWidgets.QMainWindow):
        out.append(widget.statusBar().currentMessage())
    return [t for t in out if t and t.strip()]


def internal_names(texts: Iterable[str]) -> list[str]:
    """Each identifier-shaped word found, as 'kind: word in «text»'; empty if none."""
    found: list[str] = []
    for text in texts:
        for kind, pattern in PATTERNS.items():
            for line in text.splitlines():
                m = pattern.search(line.strip())
                if m:
                    found.append(f"{kind}: {m.group(0)!r} in «{line.strip()[:120]}»")
        for raw in text.splitlines():
            line = raw.strip().lstrip("•·-–—●○ ").strip()
            if LOWER_START.match(line) and not LOWER_ALLOWED.match(line):
                found.append(f"lower-case start: «{line[:120]}»")
    return sorted(set(found))
