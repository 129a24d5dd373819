"""What every table model of the app shares: columns with translated titles."""
from __future__ import annotations

from PySide6 import QtCore

Qt = QtCore.Qt


class ColumnsTableModel(QtCore.QAbstractTableModel):
    """A flat table whose ``columns`` each have a ``title`` (already translated)."""

    columns: list

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None
