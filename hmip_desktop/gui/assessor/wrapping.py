"""Tree rows as tall as their text wrapped at the column's width, so nothing is cut off."""

from __future__ import annotations

from hmip_desktop.gui.common.qt import QObject, Qt, QtCore, QtGui, QtWidgets


class WrappingDelegate(QtWidgets.QStyledItemDelegate):
    """Sizes each row of a tree to its text wrapped at its column's width.

    Qt wraps the text when the view's word wrap is on, but leaves the row one line high.
    """

    def sizeHint(self, option: QtWidgets.QStyleOptionViewItem,
                 index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> QtCore.QSize:
        size = super().sizeHint(option, index)
        tree = self.parent()
        if not isinstance(tree, QtWidgets.QTreeView):
            return size
        width = tree.columnWidth(index.column()) - 8
        if index.column() == 0:
            depth, parent = (1 if tree.rootIsDecorated() else 0), index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= tree.indentation() * depth
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if width <= 40 or not text:
            return size
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QtGui.QFontMetrics(font if isinstance(font, QtGui.QFont) else tree.font())
        bound = metrics.boundingRect(QtCore.QRect(0, 0, width, 10_000),
                                     int(Qt.TextFlag.TextWordWrap), text)
        return QtCore.QSize(size.width(), max(size.height(), bound.height() + 6))


class _Relayout(QObject):
    def __init__(self, tree: QtWidgets.QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree

    def eventFilter(self, obj: QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Resize:
            self.tree.doItemsLayout()
        return False


def wrap_rows(tree: QtWidgets.QTreeView) -> None:
    """Let ``tree`` wrap long text onto more lines, re-measuring rows as it is resized."""
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setItemDelegate(WrappingDelegate(tree))
    tree.viewport().installEventFilter(_Relayout(tree))
    tree.header().sectionResized.connect(lambda *_a: tree.doItemsLayout())
