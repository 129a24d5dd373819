"""The wall's view of the citizen reports that need attention now: overdue, urgent, due
soon — the few that must be acted on, in large rows, few columns.

The rows come from SQL over the cache, read on the cache's reader thread
(``AppContext.run_read``), never on the GUI thread: the open reports whose earliest
"due soon" threshold has passed (overdue or due soon: ``sla_soon <= now``, an index
range of :mod:`.queue_query`'s SLA columns) or whose priority is urgent, most pressing
first (overdue, then urgent, then due soon; the earliest deadline first within each).
They are read again after committed batches (coalesced) and as time passes (the SLA
states change with the clock, not only with data).  The headline's counts are the
model's view (the same figures as the overview's tile and the alarms).

Colour is never the only signal: the SLA cell says OVERDUE or how long is left, the
priority cell "▲ URGENT".
"""
from __future__ import annotations

import json
from datetime import datetime

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from widgets.review.clock import view_datetime
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.text import clip, plain_label
from widgets.theme import TEXT_MUTED
from widgets.wall_style import WallStyle, wall_columns, wall_label, wall_table

from . import workflow
from .labels import PRIORITY_LABELS, SLA_COLORS, SLA_FIELDS, data_from_columns, duration, label
from .queue_query import PRIORITY_RANK, TABLE, sql_time

#: Rows read at most (a wall cell shows fewer; the headline counts them all).
LIMIT = 60
REFRESH_MS = 1_000        # after a batch: at most this often
TICK_MS = 30_000          # the SLA clocks run

URGENT_RANK = PRIORITY_RANK["urgent"]
URGENT_COLOR = "#ff2d2d"
OVERDUE, DUE_SOON = workflow.OVERDUE, workflow.DUE_SOON


def attention_rows(conn, now: datetime, limit: int = LIMIT) -> list[dict]:
    """The reports needing attention at ``now``, most pressing first (reader thread)."""
    t = sql_time(now)
    finished = ", ".join("?" * len(workflow.FINISHED))
    sql = (f"SELECT key, priority, ioc_status, service_name, service_code, commune, address, "
           f"json_array({', '.join(SLA_FIELDS)}), sla_due, sla_soon FROM {TABLE} "
           f"WHERE ioc_status NOT IN ({finished}) AND (sla_soon <= ? OR priority_rank = ?) "
           f"ORDER BY CASE WHEN sla_due < ? THEN 0 WHEN priority_rank = ? THEN 1 ELSE 2 END, "
           f"sla_due, requested_datetime, key LIMIT ?")
    try:
        cur = conn.execute(sql, (*workflow.FINISHED, t, URGENT_RANK, t, URGENT_RANK, limit))
    except Exception as exc:       # a cache without the reports table yet
        if "no such table" in str(exc):
            return []
        raise
    out = []
    for n, (key, priority, status, name, code, commune, address, sla, due, soon) in enumerate(cur):
        try:
            fields = dict(zip(SLA_FIELDS, json.loads(sla)))
        except (TypeError, ValueError):
            fields = {}
        out.append({"key": key, "order": n, "priority": priority or "normal", "ioc_status": status,
                    "category": name or code or "", "place": commune or address or "",
                    "sla": data_from_columns(fields) if fields else {}})
    return out


def sla_words(row: dict, now: datetime) -> tuple[str | None, str]:
    """(SLA state, words) for the wall: "OVERDUE 2 h", "20 min left", "" when fine."""
    data = row.get("sla") or {}
    if not data or workflow.ioc_state(data) in workflow.FINISHED:
        return None, ""
    running = [c for c in workflow.sla_clocks(data) if c.done is None]
    if not running:
        return workflow.OK, ""
    rank = {OVERDUE: 0, DUE_SOON: 1, workflow.OK: 2}
    clock = min(running, key=lambda c: (rank[c.state(now)], c.due))
    state = clock.state(now)
    left = (clock.due - now).total_seconds()
    if state == OVERDUE:
        return state, QCoreApplication.translate("reports", "OVERDUE {0}").format(duration(left))
    if state == DUE_SOON:
        return state, QCoreApplication.translate("reports", "{0} left").format(duration(left))
    return state, ""


class AttentionView(QtWidgets.QWidget):
    """The reports needing attention (module docstring), for a wall window: every text
    at least the wall's minimum (``style``)."""

    COLUMNS = ("sla", "category", "place", "priority")
    PRIORITY_MIN_WIDTH = 1500   # px: narrower cells leave the priority column out (▲ stays)
    PLACE_MIN_WIDTH = 1200      # px: narrower still, the place
    CATEGORY_MIN_WIDTH = 700    # px: narrower still, the category

    def __init__(self, run_read, style: WallStyle, now=None, parent=None):
        super().__init__(parent)
        self.setObjectName("reportsAttention")
        self.run_read = run_read
        self.wall_style = style
        self.now = now or (lambda: view_datetime(workflow.VN_TZ))
        self._reading = False
        self._again = False
        self.rows: list[dict] = []
        self.counts = plain_label(self, 12, True, "attentionCounts")
        self.counts.setWordWrap(True)
        wall_label(self.counts, style)
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("reports", "SLA"), self._sla_cell,
                   sort=lambda r: r["order"],
                   background=lambda r: self._sla_colors(r)[0],
                   color=lambda r: self._sla_colors(r)[1]),
            Column(QCoreApplication.translate("reports", "Category"), lambda r: clip(r["category"], 40),
                   sort=lambda r: r["order"]),
            Column(QCoreApplication.translate("reports", "Place"), lambda r: clip(r["place"], 30),
                   sort=lambda r: r["order"]),
            Column(QCoreApplication.translate("reports", "Priority"),
                   lambda r: label(PRIORITY_LABELS, r["priority"]) if r["priority"] != "normal" else "",
                   sort=lambda r: r["order"],
                   color=lambda r: URGENT_COLOR if r["priority"] == "urgent" else None),
        ], tooltip_of=lambda r: [str(r["key"]), r["category"], r["place"]], parent=self)
        self.table = KeyedTableView(self.model)
        self.table.setObjectName("attentionTable")
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(False)
        wall_columns(self.table, range(len(self.COLUMNS)), stretch=1)
        wall_table(self.table, style)
        self.empty = plain_label(self, 12, False, "attentionEmpty")
        self.empty.setText(QCoreApplication.translate("reports", "No report needs attention now"))
        self.empty.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {TEXT_MUTED};")
        wall_label(self.empty, style)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.set_counts({})
        self._show_empty()
        self._refresh = QtCore.QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.read)
        self._tick = QtCore.QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self.read)
        self._tick.start()
        self._now_cache: datetime | None = None

    # ------------------------------------------------------------------ data
    def request(self) -> None:
        """Read again soon (after a committed batch): coalesced."""
        if not self._refresh.isActive():
            self._refresh.start()

    def read(self) -> None:
        """Read the rows on the reader thread; a read asked for meanwhile follows it."""
        if self.run_read is None:
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        now = self.now()
        self.run_read(lambda conn: attention_rows(conn, now), lambda rows: self._on_rows(rows, now))

    def _on_rows(self, rows, now: datetime) -> None:
        self._reading = False
        if rows is not None:
            self._now_cache = now
            self.rows = rows
            self.model.reset({r["key"]: r for r in rows})
            self._show_empty()
        if self._again:
            self._again = False
            self.read()

    def set_counts(self, view: dict) -> None:
        """The headline from the model's view: overdue, urgent, due soon."""
        parts = [QCoreApplication.translate("reports", "{0} overdue").format(int(view.get("overdue") or 0)),
                 QCoreApplication.translate("reports", "{0} urgent").format(int(view.get("urgent") or 0)),
                 QCoreApplication.translate("reports", "{0} due soon").format(int(view.get("due_soon") or 0))]
        self.counts.setText(" · ".join(parts))

    def _sla(self, row: dict) -> tuple[str | None, str]:
        return sla_words(row, self._now_cache or self.now())

    def _sla_colors(self, row: dict) -> tuple[str | None, str | None]:
        """The SLA state's colours; an urgent report whose clock is still on time is
        red, not the on-time green (it is on this list because it is urgent)."""
        state = self._sla(row)[0]
        if row["priority"] == "urgent" and state not in (workflow.OVERDUE, workflow.DUE_SOON):
            return None, URGENT_COLOR
        return SLA_COLORS.get(state, (None, None))

    def _sla_cell(self, row: dict) -> str:
        """The SLA in words, "▲" first on an urgent report (a shape, whatever the
        columns shown): "▲ OVERDUE 2 h", "▲ URGENT", "20 min left"."""
        words = self._sla(row)[1]
        if row["priority"] != "urgent":
            return words
        return "▲ " + (words or QCoreApplication.translate("reports", "URGENT"))

    def _show_empty(self) -> None:
        empty = not self.rows
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)

    def keys(self) -> list[str]:
        """The reports shown, in order."""
        return [r["key"] for r in self.rows]

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        width = event.size().width()
        self.table.setColumnHidden(self.COLUMNS.index("priority"), width < self.PRIORITY_MIN_WIDTH)
        self.table.setColumnHidden(self.COLUMNS.index("place"), width < self.PLACE_MIN_WIDTH)
        self.table.setColumnHidden(self.COLUMNS.index("category"), width < self.CATEGORY_MIN_WIDTH)


__all__ = ["AttentionView", "attention_rows", "sla_words"]
