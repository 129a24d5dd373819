"""A table model that is a window onto a SQL query over the cache.

The view asks for rows; the model fetches the page they are on through the app's reader
thread (never on the GUI thread) and shows a placeholder until it arrives.  Counting,
ordering and paging happen in SQLite, so a queue of a million rows costs what a page
costs.  Nothing is copied into a QStandardItemModel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from PySide6 import QtCore, QtGui

from widgets.table_base import ColumnsTableModel
from widgets.text import tooltip

Qt = QtCore.Qt
PLACEHOLDER = "…"


_TERM = re.compile(r"^\s*(?P<expr>.+?)(?:\s+(?P<dir>ASC|DESC))?\s*$", re.IGNORECASE | re.DOTALL)


def order_terms(order_by: str) -> list[tuple[str, bool]] | None:
    """``ORDER BY`` text as ``[(expression, descending)]``; None when it is more than
    plain terms (a comma in brackets, NULLS FIRST/LAST, COLLATE): the caller falls
    back to numbering the rows."""
    if "(" in order_by or re.search(r"\b(NULLS|COLLATE)\b", order_by, re.IGNORECASE):
        return None
    terms = []
    for part in order_by.split(","):
        m = _TERM.match(part)
        if m is None or not m.group("expr").strip():
            return None
        terms.append((m.group("expr").strip(), (m.group("dir") or "").upper() == "DESC"))
    return terms


def rows_before(terms: list[tuple[str, bool]], values: tuple) -> tuple[str, list]:
    """A condition true of the rows that ``ORDER BY terms`` puts before a row whose
    terms are ``values`` (SQLite's order: NULL first ascending, last descending), and
    its parameters."""
    ors, params = [], []
    for i, ((expr, desc), value) in enumerate(zip(terms, values)):
        ands, p = [], []
        for (e, _d), v in zip(terms[:i], values[:i]):
            ands.append(f"({e}) IS ?")
            p.append(v)
        if value is None:
            if not desc:
                continue                  # nothing sorts before NULL ascending
            ands.append(f"({expr}) IS NOT NULL")
        elif desc:
            ands.append(f"({expr}) > ?")
            p.append(value)
        else:
            ands.append(f"(({expr}) < ? OR ({expr}) IS NULL)")
            p.append(value)
        ors.append("(" + " AND ".join(ands) + ")")
        params.extend(p)
    return ("(" + " OR ".join(ors) + ")" if ors else "0"), params


@dataclass
class SqlColumn:
    title: str                                   # already translated
    expr: str                                    # SQL expression selected for this column
    display: Callable[[Any, dict], str] | None = None    # (value, row) -> text
    color: Callable[[Any, dict], str | None] | None = None
    background: Callable[[Any, dict], str | None] | None = None
    bold: Callable[[Any, dict], bool] | None = None


class SqlPagedModel(ColumnsTableModel):
    KEY_ROLE = Qt.ItemDataRole.UserRole + 2
    pageLoaded = QtCore.Signal(int)
    countChanged = QtCore.Signal(int)
    refreshed = QtCore.Signal()         # count and visible pages re-read

    def __init__(self, run_read: Callable[[Callable, Callable], None], table: str,
                 columns: list[SqlColumn], order_by: str, *, key_expr: str = "key",
                 where: str = "", params: tuple = (), page_size: int = 200,
                 tooltip_of: Callable[[dict], list[str]] | None = None, parent=None):
        super().__init__(parent)
        self.run_read = run_read
        self.table = table
        self.columns = columns
        self.order_by = order_by
        self.key_expr = key_expr
        self.where = where
        self.params = params
        self.page_size = page_size
        self.tooltip_of = tooltip_of
        self._count = 0
        self._pages: dict[int, list[dict]] = {}
        self._requested: set[int] = set()
        # pages the view asked for since the last refresh began: the ones in view
        self._touched: set[int] = set()
        self._late: set[int] = set()      # pages loaded while a refresh ran
        self._generation = 0
        self._refreshing = False
        self._refresh_again = False
        self.count_query: tuple[str, tuple] | None = None

    # -------------------------------------------------------------- SQL
    def _select(self) -> str:
        cols = ", ".join(f"{c.expr} AS c{i}" for i, c in enumerate(self.columns))
        where = f"WHERE {self.where}" if self.where else ""
        return (f"SELECT {self.key_expr} AS k, {cols} FROM {self.table} {where} "
                f"ORDER BY {self.order_by} LIMIT ? OFFSET ?")

    def _count_sql(self) -> tuple[str, tuple]:
        if self.count_query is not None:
            return self.count_query
        where = f"WHERE {self.where}" if self.where else ""
        return f"SELECT count(*) FROM {self.table} {where}", self.params

    def _rows(self, conn, page: int) -> list[dict]:
        cur = conn.execute(self._select(), (*self.params, self.page_size, page * self.page_size))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def set_order(self, order_by: str) -> None:
        """A new ORDER BY (SQL text from code, never from user input)."""
        self.set_filter(self.where, self.params, order_by)

    def set_filter(self, where: str, params: tuple = (), order_by: str | None = None,
                   reset: bool = True, count: tuple[str, tuple] | None = None) -> None:
        """A new WHERE (SQL text with ? placeholders; values in ``params``).

        ``reset=False`` keeps the rows on screen until the new ones arrive (the same
        filter with a new "now", say): no flicker, selection kept.  ``count`` is a
        cheaper query for the row count, when the caller knows one (e.g. an index-only
        count), as ``(sql, params)``; by default ``count(*)`` over the same WHERE.
        """
        self.where, self.params = where, params
        self.count_query = count
        if order_by:
            self.order_by = order_by
        if not reset:
            self.refresh()
            return
        self.beginResetModel()
        self._count, self._pages, self._requested = 0, {}, set()
        self._touched, self._late = set(), set()
        self._generation += 1
        self.endResetModel()
        self.refresh()

    # -------------------------------------------------------------- refresh
    def refresh(self) -> None:
        """Re-read the count and the pages on screen (after a committed batch): those
        the view asked for since the last refresh (it asks for the rows it shows); the
        others are dropped, and read again if they come back into view."""
        if self._refreshing:
            self._refresh_again = True   # coalesce: one more pass after this one
            return
        self._refreshing = True
        pages = sorted(p for p in self._touched if p in self._pages) or [0]
        self._touched = set()
        self._late = set()
        gen = self._generation
        count_sql, count_params = self._count_sql()

        def work(conn):
            n = conn.execute(count_sql, count_params).fetchone()[0]
            return n, {p: self._rows(conn, p) for p in pages}

        self.run_read(work, lambda result: self._on_refreshed(gen, result))

    def _on_refreshed(self, gen: int, result) -> None:
        self._refreshing = False
        if gen == self._generation and result is not None:
            n, pages = result
            for p in self._late - set(pages):   # came in meanwhile: as new as these
                if p in self._pages:
                    pages[p] = self._pages[p]
            self._late = set()
            old = self._count
            if n > old:
                # Newest first: new rows appear at the top.
                self.beginInsertRows(QtCore.QModelIndex(), 0, n - old - 1)
                self._count = n
                self._pages = pages
                self.endInsertRows()
            elif n < old:
                self.beginRemoveRows(QtCore.QModelIndex(), n, old - 1)
                self._count = n
                self._pages = pages
                self.endRemoveRows()
            else:
                self._pages = pages
            if n:
                self.dataChanged.emit(self.index(0, 0), self.index(n - 1, len(self.columns) - 1))
            if n != old:
                self.countChanged.emit(n)
            self.refreshed.emit()
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        gen = self._generation
        self.run_read(lambda conn: self._rows(conn, page),
                      lambda rows: self._on_page(gen, page, rows))

    def _on_page(self, gen: int, page: int, rows) -> None:
        self._requested.discard(page)
        if gen != self._generation or rows is None:
            return
        self._pages[page] = rows
        if self._refreshing:
            self._late.add(page)
        first = page * self.page_size
        last = min(self._count, first + len(rows)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
        self.pageLoaded.emit(page)

    def row_data(self, row: int) -> dict | None:
        n = row // self.page_size
        self._touched.add(n)
        page = self._pages.get(n)
        if page is None:
            self._request_page(n)
            return None
        i = row % self.page_size
        return page[i] if i < len(page) else None

    def key_at(self, row: int) -> str | None:
        data = self.row_data(row)
        return data["k"] if data else None

    def find_row(self, key: str, callback: Callable[[int | None], None]) -> None:
        """Position of ``key`` in the current order (async; None if filtered out).

        Without numbering the table: the key's own sort values, then a count of the
        rows the order puts before them (an index range, not a scan and a sort of
        every row the filter passes)."""
        terms = order_terms(self.order_by)
        where, params = self.where, tuple(self.params)
        table, key_expr, order_by = self.table, self.key_expr, self.order_by
        if terms is None:
            w = f"WHERE {where}" if where else ""
            sql = (f"SELECT rn FROM (SELECT {key_expr} AS k, row_number() OVER "
                   f"(ORDER BY {order_by}) - 1 AS rn FROM {table} {w}) WHERE k = ?")
            self.run_read(lambda conn: conn.execute(sql, (*params, key)).fetchone(),
                          lambda row: callback(row[0] if row else None))
            return
        filt = f"({where}) AND " if where else ""
        own = (f"SELECT {', '.join(f'({e})' for e, _ in terms)} FROM {table} "
               f"WHERE {filt}{key_expr} = ? LIMIT 1")

        def position(conn):
            values = conn.execute(own, (*params, key)).fetchone()
            if values is None:
                return None
            cond, cond_params = rows_before(terms, tuple(values))
            return conn.execute(f"SELECT count(*) FROM {table} WHERE {filt}{cond}",
                                (*params, *cond_params)).fetchone()[0]
        self.run_read(position, callback)

    # -------------------------------------------------------------- Qt model
    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_data(index.row())
        if row is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        col = self.columns[index.column()]
        value = row.get(f"c{index.column()}")
        if role == Qt.ItemDataRole.DisplayRole:
            if col.display:
                return col.display(value, row)
            return "" if value is None else str(value)
        if role == self.KEY_ROLE:
            return row["k"]
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            c = col.color(value, row)
            return QtGui.QBrush(QtGui.QColor(c)) if c else None
        if role == Qt.ItemDataRole.BackgroundRole and col.background:
            c = col.background(value, row)
            return QtGui.QBrush(QtGui.QColor(c)) if c else None
        if role == Qt.ItemDataRole.FontRole and col.bold and col.bold(value, row):
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and self.tooltip_of:
            return tooltip(*self.tooltip_of(row))
        return None
