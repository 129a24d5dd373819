"""What every table of the app shares: columns with translated titles, and columns
fitted to their contents without measuring every cell at every batch."""
from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets

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


class ColumnFitter(QtCore.QObject):
    """Fits some columns of a live table to their contents now and then, instead of
    ``QHeaderView.ResizeToContents``, which measures every cell of those columns again
    at each ``dataChanged``: 25-55 ms per batch for a 20-row table on the GUI thread,
    the largest share of its freezes under load (bench/gui_gaps.py, profiled).

    Columns are fitted soon after the table shows or its rows change, then at most
    every ``every_ms``, and only while the table is visible; the user may still drag a
    column wider in between.  Get one with :func:`fit_columns`.
    """

    def __init__(self, view: QtWidgets.QTableView, every_ms: int = 3000):
        super().__init__(view)
        self.view, self.every_ms = view, every_ms
        self.columns: list[int] = []
        self._last = -1e9
        self._pending = False
        self._timer = QtCore.QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.fit)
        self._model = None
        view.installEventFilter(self)
        self._watch()

    def _watch(self) -> None:
        model = self.view.model()
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged, model.dataChanged):
            signal.connect(self.schedule)

    def schedule(self, *_args) -> None:
        """A fit once ``every_ms`` has passed since the last one."""
        self._pending = True
        if not self._timer.isActive():
            wait = self.every_ms - (time.monotonic() - self._last) * 1000
            self._timer.start(max(0, int(wait)))

    def fit(self) -> None:
        self._watch()
        if not self.view.isVisible():
            return                       # fitted when shown (eventFilter)
        self._pending = False
        self._last = time.monotonic()
        for col in self.columns:
            if not self.view.isColumnHidden(col):
                self.view.resizeColumnToContents(col)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.view and event.type() == QtCore.QEvent.Type.Show and self._pending:
            self._timer.start(0)
        return False


def fit_columns(view: QtWidgets.QTableView, columns, every_ms: int = 3000) -> ColumnFitter:
    """Fit ``columns`` of ``view`` to their contents as :class:`ColumnFitter` does
    (Interactive resize mode); called again, the view's fitter takes the new columns."""
    fitter = getattr(view, "_column_fitter", None)
    if fitter is None:
        fitter = view._column_fitter = ColumnFitter(view, every_ms)
    header = view.horizontalHeader()
    fitter.columns = sorted(set(columns))
    for col in fitter.columns:
        header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Interactive)
    fitter.schedule()
    return fitter
