"""The reports GUI: the supervisor's console and the wall's map pins and figures.

* :class:`ReportQueue` — the queue: a window onto SQL over the cache
  (:class:`widgets.sql_table.SqlPagedModel`), filtered and sorted in the database
  (:mod:`plugins.reports.queue_query`) from a :class:`widgets.filter_bar.FilterBar`;
  counts (matching, overdue, due soon) read off the GUI thread, coalesced; an SLA column
  (colour and text) and an Action column (pending / done / refused); marks for bulk
  actions; the triage toolbar and keys (:mod:`.triage`); a help overlay (? / F1).
* :class:`plugins.reports.details.ReportDetails` — the details pane, docked next to it.
* :class:`ReportsGui` — wires them to the app: map pins, select from the map, KPIs.
  The wall's figures (open, urgent, overdue) come from the model's view
  (:mod:`plugins.reports.model`, run by the situation layer off the GUI thread); the
  overdue alarms, one per category (and one for the IOC's own queue), are the engine's
  (:mod:`plugins.reports.rules`); following one shows that group's overdue reports.
"""
from __future__ import annotations

import json
from datetime import datetime

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.review.clock import view_datetime
from widgets.filter_bar import ChoiceField, FilterBar, MultiField
from widgets.map_layer import MapLayer, PopupFields
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.sql_table import SqlColumn, SqlPagedModel
from widgets.text import clip, local_time
from widgets.theme import ALARM, OK, STATE_COLORS, WARN
from widgets.wall_style import style_for

from . import workflow
from .attention import AttentionView
from .details import ReportDetails
from .duplicates import suggest_duplicates
from .export import export_for_agency
from .labels import (CHANNEL_LABELS, PRIORITY_LABELS, SLA_COLORS, SLA_FIELDS, STATUS_COLORS,
                     STATUS_LABELS, data_from_columns, label, sla_summary)
from .model import IOC_QUEUE, category_of, is_group_key
from .queue_query import SORTS, QueueFilter, count_by_sla, facets, plan
from .rules import category_name
from .schema import CATEGORIES, TOPIC
from .triage import KEY_HELP, ActionTracker, Triage

__all__ = ["ReportQueue", "ReportsGui", "pin_features", "STATUS_LABELS", "PRIORITY_LABELS",
           "CHANNEL_LABELS", "STATUS_COLORS"]

PIN_COLORS = {"received": "#4aa3ff", "verified": "#38c8e8", "assigned": "#ffb000",
              "in_progress": "#ff7e00", "resolved": "#2fd07a"}
FINISHED = workflow.FINISHED
MARK_BG = "#2e4a73"
ACTION_COLORS = {"refused": ALARM, "pending": WARN, "sent": WARN, "done": OK}
SORT_LABELS = {
    "newest": QT_TRANSLATE_NOOP("reports", "newest first"),
    "oldest": QT_TRANSLATE_NOOP("reports", "oldest first"),
    "due_first": QT_TRANSLATE_NOOP("reports", "most urgent deadline first"),
    "priority_first": QT_TRANSLATE_NOOP("reports", "priority first"),
    "updated": QT_TRANSLATE_NOOP("reports", "recently updated"),
}
SLA_CHOICES = (
    (None, QT_TRANSLATE_NOOP("reports", "any")),
    (workflow.OVERDUE, QT_TRANSLATE_NOOP("reports", "overdue")),
    (workflow.DUE_SOON, QT_TRANSLATE_NOOP("reports", "due soon")),
    (workflow.OK, QT_TRANSLATE_NOOP("reports", "ok")),
)
#: FilterBar field -> QueueFilter field (the same names).
FILTER_FIELDS = ("states", "categories", "communes", "agencies", "priorities", "sla", "text")
COUNT_DELAY_MS = 400          # counts follow the data at most this often
TICK_MS = 30_000              # the SLA clocks run: re-read what depends on "now"




def pin_features(key: str, data: dict) -> list[dict]:
    """Open reports with a place become pins; finished ones leave the map."""
    status = data.get("ioc_status")
    if status in FINISHED or data.get("lat") is None or data.get("long") is None:
        return []
    urgent = data.get("priority") == "urgent"
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
        "radius": 9 if urgent else 6, "color": "#ffffff" if urgent else "#0b0e11",
        "fill": PIN_COLORS.get(status, "#4aa3ff"), "weight": 2 if urgent else 1,
        "title": f"{key} · {data.get('service_name') or data.get('service_code', '')}",
        # made when its popup opens (or the layer is exported), not for every pin
        "fields": PopupFields(pin_fields, data),
    }]


def pin_fields(data: dict) -> list[list[str]]:
    """A pin's popup: status, priority, description, address, received, agency."""
    return [
        [QCoreApplication.translate("reports", "Status"), label(STATUS_LABELS, data.get("ioc_status"))],
        [QCoreApplication.translate("reports", "Priority"),
         label(PRIORITY_LABELS, data.get("priority") or "normal")],
        [QCoreApplication.translate("reports", "Description"), clip(data.get("description"), 300)],
        [QCoreApplication.translate("reports", "Address"), data.get("address") or ""],
        [QCoreApplication.translate("reports", "Received"), local_time(data.get("requested_datetime"))],
        [QCoreApplication.translate("reports", "Agency"), data.get("agency_responsible") or ""],
    ]


def now_local() -> datetime:
    """The views' now: the moment shown in review (SLA clocks as they were then)."""
    return view_datetime(workflow.VN_TZ)


class HelpOverlay(QtWidgets.QFrame):
    """The keys, over the queue (? / F1 / the Keys button; any key or click closes)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("triageHelp")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#triageHelp { background: #0d1013; border: 2px solid #4aa3ff; }")
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(16, 12, 16, 12)
        title = QtWidgets.QLabel(self.tr("Keys of the queue"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        grid.addWidget(title, 0, 0, 1, 4)
        half = (len(KEY_HELP) + 1) // 2
        for i, (keys, text) in enumerate(KEY_HELP):
            row, col = 1 + i % half, (i // half) * 2
            k = QtWidgets.QLabel(keys)
            k.setStyleSheet("font-weight: bold; color: #4aa3ff;")
            grid.addWidget(k, row, col)
            grid.addWidget(QtWidgets.QLabel(QCoreApplication.translate("ReportsTriage", text)), row, col + 1)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        parent = self.parentWidget()
        self.adjustSize()
        self.move(max(0, (parent.width() - self.width()) // 2), max(0, (parent.height() - self.height()) // 3))
        self.show()
        self.raise_()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.hide()


class ReportQueue(QtWidgets.QWidget):
    """The queue (see the module docstring).  Status, priority and SLA readable at a
    glance: colour plus text, never colour alone."""

    keySelected = QtCore.Signal(str)

    def __init__(self, run_read, tracker: ActionTracker | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("reportConsole")
        self.run_read = run_read
        self.tracker = tracker
        self.marked: dict[str, dict] = {}          # key -> row fields (bulk actions)
        self.filter = QueueFilter()
        self.sort = next(iter(SORTS))
        self.sla_counts: dict[str, int] | None = None
        self._sla_cache: dict[str, dict] = {}

        # -- filter bar
        sla_options = [(v, QCoreApplication.translate("reports", t)) for v, t in SLA_CHOICES]
        sort_options = [(name, label(SORT_LABELS, name, name)) if name in SORT_LABELS
                        else (name, name.replace("_", " ")) for name in SORTS]
        self.filters = FilterBar(
            [MultiField("states", self.tr("Status"), [(s, label(STATUS_LABELS, s)) for s in workflow.STATES]),
             MultiField("categories", self.tr("Category"), self._category_options(CATEGORIES)),
             MultiField("communes", self.tr("Commune"), []),
             MultiField("agencies", self.tr("Agency"), []),
             MultiField("priorities", self.tr("Priority"),
                        [(p, label(PRIORITY_LABELS, p)) for p in reversed(workflow.PRIORITIES)])],
            [ChoiceField("sla", self.tr("SLA"), sla_options), ChoiceField("sort", self.tr("Sort"), sort_options)],
            search_placeholder=self.tr("Search (/) · diacritics optional"))
        self.filters.filterChanged.connect(self.apply_filter)
        self.filters.searchLeft.connect(lambda: self.view.setFocus())
        self.help_button = QtWidgets.QToolButton(text=self.tr("Keys ?"))
        self.help_button.setToolTip(self.tr("Keyboard triage: the keys (? or F1)"))
        self.filters.add_trailing(self.help_button)

        self.summary = QtWidgets.QLabel(objectName="panelSummary")
        self.summary.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.status = QtWidgets.QLabel(objectName="triageStatus")
        self.status.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.status.setStyleSheet(f"color: {WARN};")

        # -- the table
        def marked_bg(fn=None):
            return lambda v, r: MARK_BG if r.get("k") in self.marked else (fn(v, r) if fn else None)
        s = lambda v, r: STATUS_COLORS.get(v, ("", ""))  # noqa: E731
        columns = [
            SqlColumn("✓", "NULL", display=lambda v, r: "☑" if r.get("k") in self.marked else "",
                      background=marked_bg()),
            SqlColumn(self.tr("Priority"), "priority",
                      display=lambda v, r: label(PRIORITY_LABELS, v or "normal"),
                      color=lambda v, r: {"urgent": STATE_COLORS["alarm"], "high": STATE_COLORS["warn"]}.get(v),
                      bold=lambda v, r: v == "urgent", background=marked_bg()),
            SqlColumn(self.tr("Status"), "ioc_status", display=lambda v, r: label(STATUS_LABELS, v),
                      background=lambda v, r: s(v, r)[0] or None, color=lambda v, r: s(v, r)[1] or None),
            SqlColumn(self.tr("SLA"), f"json_array({', '.join(SLA_FIELDS)})",
                      display=lambda v, r: self._sla(v)[1],
                      background=lambda v, r: SLA_COLORS.get(self._sla(v)[0], (None, None))[0],
                      color=lambda v, r: SLA_COLORS.get(self._sla(v)[0], (None, None))[1],
                      bold=lambda v, r: self._sla(v)[0] == workflow.OVERDUE),
            SqlColumn(self.tr("Action"), "NULL", display=lambda v, r: self._action(r)[1],
                      color=lambda v, r: ACTION_COLORS.get(self._action(r)[0]), background=marked_bg()),
            SqlColumn(self.tr("Received"), "requested_datetime", display=lambda v, r: local_time(v),
                      background=marked_bg()),
            SqlColumn(self.tr("Category"), "service_name", display=lambda v, r: clip(v, 40),
                      background=marked_bg()),
            SqlColumn(self.tr("Description"), "description", display=lambda v, r: clip(v, 90),
                      background=marked_bg()),
            SqlColumn(self.tr("Place"), "coalesce(commune, address)", display=lambda v, r: clip(v, 40),
                      background=marked_bg()),
            SqlColumn(self.tr("Channel"), "channel", display=lambda v, r: label(CHANNEL_LABELS, v),
                      background=marked_bg()),
            SqlColumn(self.tr("Agency"), "agency_responsible", display=lambda v, r: clip(v, 40),
                      background=marked_bg()),
            SqlColumn(self.tr("Resolve by"), "expected_datetime", display=lambda v, r: local_time(v),
                      background=marked_bg()),
            SqlColumn(self.tr("Report no."), "key", background=marked_bg()),
        ]
        self.col = {"priority": 1, "ioc_status": 2, "sla": 3, "action": 4, "description": 7,
                    "agency_responsible": 10}
        self.model = SqlPagedModel(run_read, TOPIC, columns, order_by=SORTS[self.sort],
                                   tooltip_of=lambda r: [str(r.get("k")), str(r.get("c7") or "")],
                                   parent=self)
        self.model.countChanged.connect(self._update_summary)
        self.model.refreshed.connect(self.request_counts)
        self.view = QtWidgets.QTableView(objectName="reportQueue")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(30)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        for col, width in enumerate((30, 100, 105, 215, 190, 105, 150, 380, 160, 90, 200, 110)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.selected_key: str | None = None
        self._reselecting = False
        self.model.refreshed.connect(self._keep_selection)

        self._toolbar_slot = QtWidgets.QVBoxLayout()
        self._toolbar_slot.setContentsMargins(0, 0, 0, 0)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filters)
        line = QtWidgets.QHBoxLayout()
        line.addWidget(self.summary)
        line.addStretch(1)
        line.addWidget(self.status)
        layout.addLayout(line)
        layout.addLayout(self._toolbar_slot)
        layout.addWidget(self.view, 1)
        self.help = HelpOverlay(self)
        self.help_button.clicked.connect(self.help.toggle)

        self._count_timer = QtCore.QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._read_counts)
        self._counting = False
        self._count_again = False
        self._tick = QtCore.QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._status_clear = QtCore.QTimer(self, singleShot=True, interval=15_000)
        self._status_clear.timeout.connect(lambda: self.status.setText(""))
        if tracker is not None:
            tracker.changed.connect(self._action_changed)
        self.apply_filter(self.filters.values())

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 (Qt API): a console needs rows to triage
        return QtCore.QSize(1100, 560)

    # ------------------------------------------------------------------ triage hookup
    def set_triage(self, triage: Triage) -> None:
        self._toolbar_slot.addWidget(triage.toolbar)
        triage.message.connect(self.show_message)
        triage.helpRequested.connect(self.help.toggle)

    def show_message(self, text: str) -> None:
        self.status.setText(text)
        self._status_clear.start()

    # ------------------------------------------------------------------ filter, counts
    @staticmethod
    def _category_options(values) -> list[tuple[str, str]]:
        return [(code, f"{CATEGORIES.get(code, code)} ({code})" if code in CATEGORIES else str(code))
                for code in values]

    def apply_filter(self, values: dict) -> None:
        """The filter bar's values -> WHERE and ORDER BY, run by SQLite."""
        self.filter = QueueFilter(**{k: values.get(k) or (None if k == "sla" else "" if k == "text" else ())
                                     for k in FILTER_FIELDS})
        self.sort = values.get("sort") or self.sort
        self._plan_and_apply(reset=True)
        self.sla_counts = None
        self._update_summary()
        self.request_counts()

    def _plan_and_apply(self, reset: bool) -> None:
        """The fastest SQL for the filter (FTS when the cache has it, an index-only
        count) is chosen on the reader thread: it looks at the cache."""
        f, sort, now = self.filter, self.sort, now_local()

        def apply(p):
            if p is None or f is not self.filter:
                return   # a newer filter is on its way
            self.model.set_filter(p.where, tuple(p.params), SORTS[sort], reset=reset,
                                  count=(p.count_sql, tuple(p.count_params)))
        self.run_read(lambda conn: plan(conn, f, now), apply)

    def set_facets(self, found: dict) -> None:
        codes = list(CATEGORIES) + sorted(set(found.get("categories") or ()) - set(CATEGORIES))
        self.filters.set_options("categories", self._category_options(codes))
        self.filters.set_options("communes", [(c, c) for c in found.get("communes") or ()])
        self.filters.set_options("agencies", [(a, a) for a in found.get("agencies") or ()])

    def request_counts(self) -> None:
        if not self._count_timer.isActive():
            self._count_timer.start()

    def _read_counts(self) -> None:
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        f, now = self.filter, now_local()

        def done(counts):
            self._counting = False
            if counts is not None and f is self.filter:
                self.sla_counts = counts
                self._update_summary()
            if self._count_again or f is not self.filter:
                self._count_again = False
                self.request_counts()
        self.run_read(lambda conn: count_by_sla(conn, f, now), done)

    def _update_summary(self, *_):
        parts = [self.tr("{0} matching").format(self.model.rowCount())]
        c = self.sla_counts
        if c is not None:
            parts.append(self.tr("{0} overdue").format(c.get(workflow.OVERDUE, 0)))
            parts.append(self.tr("{0} due soon").format(c.get(workflow.DUE_SOON, 0)))
        if self.marked:
            parts.append(self.tr("{0} marked (actions apply to all)").format(len(self.marked)))
        self.summary.setText(" · ".join(parts))

    def _on_tick(self) -> None:
        """Time passes: SLA texts change, and an SLA filter's WHERE depends on now."""
        if self.filter.sla:
            self._plan_and_apply(reset=False)
        self._repaint_column(self.col["sla"])
        self.request_counts()

    # ------------------------------------------------------------------ cells
    def _sla(self, value) -> tuple[str | None, str]:
        if not value:
            return None, ""
        data = self._sla_cache.get(value)
        if data is None:
            if len(self._sla_cache) > 5000:
                self._sla_cache.clear()
            try:
                data = data_from_columns(dict(zip(SLA_FIELDS, json.loads(value))))
            except (ValueError, TypeError):
                data = {}
            self._sla_cache[value] = data
        return sla_summary(data, now_local()) if data else (None, "")

    def _action(self, row: dict) -> tuple[str | None, str]:
        if self.tracker is None:
            return None, ""
        return self.tracker.summary(row.get("k"))

    def _repaint_column(self, col: int) -> None:
        n = self.model.rowCount()
        if n:
            self.model.dataChanged.emit(self.model.index(0, col), self.model.index(n - 1, col))

    def _repaint_rows(self) -> None:
        n = self.model.rowCount()
        if n:
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(n - 1, self.model.columnCount() - 1))

    def _action_changed(self, _key: str) -> None:
        self._repaint_column(self.col["action"])

    # ------------------------------------------------------------------ rows
    def fields_at(self, row: int) -> dict | None:
        """The report at ``row`` as the triage needs it (None while its page loads)."""
        if row < 0 or row >= self.model.rowCount():
            return None
        r = self.model.row_data(row)
        if r is None:
            return None
        c = self.col
        return {"key": r["k"], "ioc_status": r.get(f"c{c['ioc_status']}"),
                "priority": r.get(f"c{c['priority']}"),
                "agency_responsible": r.get(f"c{c['agency_responsible']}")}

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def current_fields(self) -> dict | None:
        fields = self.fields_at(self.current_row())
        if fields is not None and self.selected_key and fields["key"] != self.selected_key:
            return None         # the rows moved under the cursor: wait for the reselection
        return fields

    def move_to(self, row: int) -> None:
        n = self.model.rowCount()
        if not n:
            return
        row = min(max(row, 0), n - 1)
        index = self.model.index(row, self.view.currentIndex().column() if self.view.currentIndex().isValid() else 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        if self.model.key_at(row) is None:
            self.selected_key = None

    def step(self, delta: int) -> None:
        row = self.current_row()
        self.move_to(0 if row < 0 else row + delta)

    def toggle_mark(self, row: int) -> None:
        fields = self.fields_at(row)
        if fields is None:
            return
        if fields["key"] in self.marked:
            del self.marked[fields["key"]]
        else:
            self.marked[fields["key"]] = fields
        self._repaint_rows()
        self._update_summary()

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self._repaint_rows()
            self._update_summary()

    def escape(self) -> None:
        """Esc: the marks go first, then the filters (the sort stays)."""
        if self.help.isVisible():
            self.help.hide()
        elif self.marked:
            self.clear_marks()
            self.show_message(self.tr("Marks cleared"))
        elif not self.filters.is_default(ignore=("sort",)):
            self.filters.clear(keep=("sort",))
            self.show_message(self.tr("Filters cleared"))

    def _row_changed(self, current, _previous) -> None:
        if self._reselecting:
            return
        key = self.model.key_at(current.row()) if current.isValid() else None
        if key:
            self.selected_key = key
            self.keySelected.emit(key)

    def select_key(self, key: str) -> None:
        """Select ``key`` and keep it selected while new reports push the rows down."""
        self.selected_key = key
        self.model.refresh()          # the report may be newer than the rows on screen

    def _keep_selection(self) -> None:
        key = self.selected_key
        if key is None:
            current = self.view.currentIndex()
            if current.isValid():
                self._row_changed(current, None)
            return

        def go(row):
            if row is None or key != self.selected_key:
                return
            current = self.view.currentIndex()
            if current.isValid() and current.row() == row:
                return
            self._reselecting = True
            try:
                self.view.setCurrentIndex(self.model.index(row, max(0, current.column())))
                self.view.scrollTo(self.model.index(row, 0))
            finally:
                self._reselecting = False

        self.model.find_row(key, go)

    def keyPressEvent(self, event) -> None:  # noqa: N802: "/" and "?" from anywhere in the console
        if event.key() == QtCore.Qt.Key.Key_Slash:
            self.filters.focus_search()
        elif event.key() in (QtCore.Qt.Key.Key_Question, QtCore.Qt.Key.Key_F1):
            self.help.toggle()
        else:
            super().keyPressEvent(event)


#: What a pin needs (:func:`pin_features`), read from the state table's columns for the
#: open reports with a place — never every report's JSON (a day's cache holds thousands).
PIN_FIELDS = ("ioc_status", "lat", "long", "priority", "service_name", "service_code",
              "description", "address", "requested_datetime", "agency_responsible")
PIN_SQL = (f"SELECT key, {', '.join(PIN_FIELDS[:6])}, substr(description, 1, 301), "
           f"{', '.join(PIN_FIELDS[7:])} FROM reports "
           f"WHERE ioc_status NOT IN ({', '.join(repr(s) for s in FINISHED)}) "
           f"AND lat IS NOT NULL AND long IS NOT NULL")


def read_pins(conn) -> dict[str, dict]:
    """The map's reports, compact: key -> the fields of :data:`PIN_FIELDS`."""
    return {row[0]: dict(zip(PIN_FIELDS, row[1:])) for row in conn.execute(PIN_SQL)}


class ReportsGui(PluginGui):
    topics = (TOPIC,)
    #: The state of reports is read through SQL here (the queue pages through it, the
    #: map reads its pins compactly): the app doesn't decode it for this GUI at start.
    state_in_cache = (TOPIC,)

    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        run_read = context.run_read
        dispatch = context.dispatch
        self.run_read = run_read
        self.attention = None
        self._pins_pending: list | None = None    # batches while the pins are read
        wall = style_for(context)
        if wall is not None:
            self._init_wall(context, wall)
            return
        self.tracker = ActionTracker(dispatch)
        self.queue = ReportQueue(run_read, self.tracker)
        self.tracker.setParent(self.queue)
        self.triage = Triage(self.queue, run_read, dispatch, self.tracker, parent=self.queue)
        self.triage.suggest = suggest_duplicates
        self.triage.export = export_for_agency
        self.queue.set_triage(self.triage)
        self.details = ReportDetails(run_read, context.fetch_media, self.tracker,
                                     roles=self.triage.roles, suggest=suggest_duplicates)
        self.queue.keySelected.connect(self._on_selected)
        self.queue.model.refreshed.connect(self.triage.update_enabled)
        self.details.linkActivated.connect(self.show_report)
        self.details.mergeRequested.connect(self.triage.merge_one)
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("reports", "Citizen reports"),
                              pin_features, z=30)
        self.panels = [
            Panel("queue", QCoreApplication.translate("reports", "Citizen reports"), self.queue,
                  QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, stretch=0.62),
            Panel("details", QCoreApplication.translate("reports", "Report details"), self.details,
                  QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, stretch=0.38),
        ]
        self._refresh = QtCore.QTimer(self.queue, singleShot=True, interval=300)
        self._refresh.timeout.connect(self.queue.model.refresh)
        self._facets_due = True
        self._facet_timer = QtCore.QTimer(self.queue, interval=3_000)   # only when data came
        self._facet_timer.timeout.connect(self._read_facets)
        self._facet_timer.start()
        self.tracker.load_all()

    def _init_wall(self, context, wall) -> None:
        """On a wall window: the reports that need attention (no console: the queue,
        the details and the triage are the supervisor's), and the pins on the map."""
        self.queue = self.details = self.triage = self.tracker = None
        self.attention = AttentionView(context.run_read, wall)
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("reports", "Citizen reports"),
                              pin_features, z=30)
        self.panels = [Panel("attention", QCoreApplication.translate("reports", "Reports needing attention"),
                             self.attention)]

    def on_view(self, view, changed):
        if self.attention is not None:
            self.attention.set_counts(view)
            if changed & {"overdue", "urgent", "due_soon"}:
                self.attention.request()

    def on_reset(self, state):
        items = state.get(TOPIC, {})
        if getattr(items, "in_cache", False):
            self._read_pins()
        else:
            self._pins_pending = None
            self.layer.reset(items)
        if self.attention is not None:
            self.attention.read()
            return
        self.queue.model.refresh()
        self._facets_due = True
        self._read_facets()

    def _read_pins(self) -> None:
        """The pins from the cache, read and made into map features off the GUI thread
        (thousands of reports); batches that arrive meanwhile are applied again on top
        of what was read (newer or the same)."""
        self._pins_pending = pending = []
        build = self.layer.build

        def done(pins):
            if self._pins_pending is not pending:
                return              # reset again meanwhile
            self._pins_pending = None
            if pins is None:
                return
            self.layer.reset_built(pins)
            for ch in pending:
                self.layer.apply(ch)
        self.run_read(lambda conn: build(read_pins(conn)), done)

    def on_changes(self, topic, ch):
        if getattr(self, "_pins_pending", None) is not None:
            self._pins_pending.append(ch)
        self.layer.apply(ch)
        if self.attention is not None:
            self.attention.request()
            return
        if self.tracker.follows(ch.upserts):
            self.queue.model.refresh()      # an action's effect: show it with its ack
        elif not self._refresh.isActive():
            self._refresh.start()
        self._facets_due = True
        key = self.details.key
        if key is not None:
            if key in ch.upserts:
                self.details.set_data(key, ch.upserts[key])
            elif key in ch.deletes:
                self.details.set_data(key, None)

    # ------------------------------------------------------------------ figures
    @property
    def counts(self) -> tuple[int, int, int]:
        """``(open, urgent, overdue)`` reports: the model's view (the situation layer
        counts them off the GUI thread, and again as time passes)."""
        v = self.view
        return int(v.get("open") or 0), int(v.get("urgent") or 0), int(v.get("overdue") or 0)

    def _read_facets(self) -> None:
        if not self._facets_due:
            return
        self._facets_due = False

        def done(found):
            if found:
                self.queue.set_facets(found)
                self.triage.agencies = list(found.get("agencies") or ())
        self.run_read(facets, done)

    def kpis(self) -> list[Kpi]:
        open_, urgent, overdue = self.counts
        worst = ", ".join(f"{self.group_name(key)} {n}" for key, n in self.view.get("overdue_by") or ())
        return [Kpi(QCoreApplication.translate("reports", "open"), str(open_)),
                Kpi(QCoreApplication.translate("reports", "urgent"), str(urgent), abnormal=urgent),
                Kpi(QCoreApplication.translate("reports", "overdue"), str(overdue), abnormal=overdue,
                    tooltip=QCoreApplication.translate("reports", "most overdue: {0}").format(worst)
                    if worst else "")]

    @staticmethod
    def group_name(key: str) -> str:
        """An overdue group's name (:func:`plugins.reports.model.group_key`)."""
        if key == IOC_QUEUE:
            return QCoreApplication.translate("reports", "IOC queue (not yet assigned)")
        return category_name(category_of(key))

    # ------------------------------------------------------------------ selection
    def _on_selected(self, key: str) -> None:
        self.layer.select(key)
        self.details.show_key(key)

    def show_report(self, key: str) -> None:
        """A link in the details pane: show that report there, and in the queue if it
        passes the filter."""
        self.details.show_key(key)
        self.queue.select_key(key)
        self.layer.select(key)

    def select(self, topic, key):
        if self.attention is not None:
            self.layer.select(key)
            return
        if is_group_key(key):         # an overdue group's alarm: show its overdue reports
            self.show_overdue(key)
            return
        self.queue.select_key(key)
        self.details.show_key(key)

    def show_overdue(self, group: str) -> None:
        """The queue filtered to one group's overdue reports: a category's, or the IOC
        queue's (received or verified: not yet assigned)."""
        f = self.queue.filters
        f.clear(keep=("sort",))
        code = category_of(group)
        if code is not None:
            f.set_value("categories", (code,))
        else:
            f.set_value("states", (workflow.RECEIVED, workflow.VERIFIED))
        f.set_value("sla", workflow.OVERDUE)
