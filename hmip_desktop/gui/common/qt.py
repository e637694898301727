"""The GUI's one gateway to Qt: every other GUI module imports Qt names from here.

Keeping the import in one place makes the binding easy to audit and to swap, and lets the
architecture test check that nothing outside ``hmip_desktop/gui`` touches Qt.
"""

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
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
