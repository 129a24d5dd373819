"""A table model over live items keyed by id (vessels, alerts, stations).

Rows are updated in place from committed batches; the view sorts through a proxy.
For large, SQL-backed queues see :mod:`widgets.sql_table`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.table_base import ColumnsTableModel
from widgets.text import tooltip

Qt = QtCore.Qt


@dataclass
class Column:
    title: str                                        # already translated
    value: Callable[[dict], Any]                      # display value from the item's data
    sort: Callable[[dict], Any] | None = None         # sort key (default: value)
    color: Callable[[dict], str | None] | None = None  # foreground colour
    background: Callable[[dict], str | None] | None = None
    align_right: bool = False


class KeyedTableModel(ColumnsTableModel):
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    KEY_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, columns: list[Column], tooltip_of: Callable[[dict], list[str]] | None = None,
                 parent=None):
        super().__init__(parent)
        self.columns = columns
        self.tooltip_of = tooltip_of
        self._keys: list[str] = []
        self._rows: dict[str, dict] = {}
        self._index: dict[str, int] = {}

    # -------------------------------------------------------------- changes
    def reset(self, items: dict[str, dict]) -> None:
        self.beginResetModel()
        self._rows = dict(items)
        self._keys = list(self._rows)
        self._index = {k: i for i, k in enumerate(self._keys)}
        self.endResetModel()

    def apply(self, upserts: dict[str, dict], deletes=()) -> None:
        for key in deletes:
            row = self._index.get(key)
            if row is None:
                continue
            self.beginRemoveRows(QtCore.QModelIndex(), row, row)
            del self._keys[row]
            del self._rows[key]
            self.endRemoveRows()
            self._index = {k: i for i, k in enumerate(self._keys)}
        new = [k for k in upserts if k not in self._index]
        for key, data in upserts.items():
            if key in self._index:
                self._rows[key] = data
        if upserts:
            changed = sorted(self._index[k] for k in upserts if k in self._index)
            self._emit_changed(changed)
        if new:
            first = len(self._keys)
            self.beginInsertRows(QtCore.QModelIndex(), first, first + len(new) - 1)
            for key in new:
                self._index[key] = len(self._keys)
                self._keys.append(key)
                self._rows[key] = upserts[key]
            self.endInsertRows()

    #: more separate runs of changed rows than this: one signal over their whole span
    MAX_CHANGED_RUNS = 16

    def _emit_changed(self, rows: list[int]) -> None:
        """dataChanged for the changed ``rows`` (sorted), one signal per run of
        neighbouring rows: a sorting proxy re-places every row of a signal's span (a
        Python ``lessThan`` per comparison), so one span from the first changed row to
        the last made it re-sort nearly the whole table for a few changed rows."""
        if not rows:
            return
        last_column = len(self.columns) - 1
        runs = [[rows[0], rows[0]]]
        for row in rows[1:]:
            if row == runs[-1][1] + 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        if len(runs) > self.MAX_CHANGED_RUNS:
            runs = [[rows[0], rows[-1]]]
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def item(self, key: str) -> dict | None:
        return self._rows.get(key)

    def items(self) -> dict[str, dict]:
        return self._rows

    def row_of(self, key: str) -> int | None:
        return self._index.get(key)

    def refresh_all(self) -> None:
        """Recompute derived cells (e.g. ages) without new data."""
        if self._keys:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._keys) - 1, len(self.columns) - 1))

    # -------------------------------------------------------------- Qt model
    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self._keys[index.row()]
        item = self._rows[key]
        col = self.columns[index.column()]
        try:
            if role == Qt.ItemDataRole.DisplayRole:
                value = col.value(item)
                return "" if value is None else str(value)
            if role == self.SORT_ROLE:
                value = (col.sort or col.value)(item)
                return value if isinstance(value, (int, float)) else ("" if value is None else str(value))
            if role == self.KEY_ROLE:
                return key
            if role == Qt.ItemDataRole.ForegroundRole and col.color:
                c = col.color(item)
                return QtGui.QBrush(QtGui.QColor(c)) if c else None
            if role == Qt.ItemDataRole.BackgroundRole and col.background:
                c = col.background(item)
                return QtGui.QBrush(QtGui.QColor(c)) if c else None
            if role == Qt.ItemDataRole.ToolTipRole and self.tooltip_of:
                return tooltip(*self.tooltip_of(item))
            if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        except (KeyError, TypeError, ValueError):
            return None  # one odd item must not break the table
        return None


class KeyedTableView(QtWidgets.QTableView):
    """A sortable, read-only view over a :class:`KeyedTableModel`, addressed by key."""

    keyActivated = QtCore.Signal(str)    # a row was clicked: its item's key

    def __init__(self, model: KeyedTableModel, parent=None):
        super().__init__(parent)
        self.source = model
        self.proxy = QtCore.QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(KeyedTableModel.SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)
        self.clicked.connect(self._on_clicked)

    def _on_clicked(self, index) -> None:
        key = self.proxy.data(index, KeyedTableModel.KEY_ROLE)
        if key:
            self.keyActivated.emit(key)

    def select_key(self, key: str) -> bool:
        row = self.source.row_of(key)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.source.index(row, 0))
        self.selectRow(index.row())
        self.scrollTo(index)
        return True
