"""The GUI's one gateway to Qt: every other GUI module imports Qt names from here.

Keeping the import in one place makes the binding easy to audit and to swap, and lets the
architecture test check that nothing outside ``hmip_desktop/gui`` touches Qt.
"""

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)

if TYPE_CHECKING:
    from PySide6 import QtPrintSupport


def __getattr__(name: str) -> Any:
    """``QtPrintSupport``, loaded when first asked for: only printing needs it, not start-up."""
    if name == "QtPrintSupport":
        from PySide6 import QtPrintSupport  # noqa: PLC0415

        return QtPrintSupport
    raise AttributeError(name)


__all__ = [
    "QAbstractTableModel",
    "QEvent",
    "QModelIndex",
    "QObject",
    "QRunnable",
    "QSortFilterProxyModel",
    "QThreadPool",
    "QTimer",
    "Qt",
    "QtCore",
    "QtGui",
    "QtPrintSupport",
    "QtWidgets",
    "Signal",
]
