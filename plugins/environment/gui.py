"""The environment GUI: river levels against their flood lines (BĐ1/2/3), a table of
every station's latest reading, and the stations on the map.

A view: the flood levels reached (with their deadband), the releases and the KPIs come
from the model (:mod:`plugins.environment.model`) through :meth:`EnvironmentGui.on_view`;
the alarms are the engine's (:mod:`plugins.environment.rules`).

The graphs show a window the user picks (1 hour … 7 days, the cache's retention) ending
at the newest observation, or in review at the moment shown.  Their history is read
back from the cache's event log on the reader thread, downsampled there
(:mod:`plugins.environment.history`: at most ``2 * HISTORY_BUCKETS`` points a graph,
whatever the window); live observations are appended to it."""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.series import SeriesBuffer, downsample_minmax
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import local_time
from widgets.theme import STATE_COLORS, THRESHOLD_COLORS, aqi_color
from widgets.timeseries_plot import TimeSeriesPlot
from widgets.wall_style import WallStyle, style_for, wall_columns, wall_label

from .history import HISTORY_BUCKETS, epoch, read_series
from .schema import TOPIC, key_of

HOUR = 3600.0
#: Samples a graph keeps in memory: the cache's retention (7 days) at 1 Hz, the history
#: read (at most 2 * HISTORY_BUCKETS) and the live observations since: ~9.7 MB a station
#: when full (t and v float64) plus ~2.4 MB of min/max pyramid, resident only as it fills
#: (np.empty pages are not touched before).  ``SERIES_DTYPE = np.float32`` would save a
#: quarter (~7 significant digits: the tags would show 0.5669999 for 0.567).  A
#: station faster than 1 Hz fills it sooner: then what is older than the window goes and
#: the rest but the newest quarter is downsampled (:meth:`LevelGraphs.compact`).
SERIES_CAPACITY = 7 * 24 * 3600
SERIES_DTYPE = np.float64
#: The windows a graph can show (seconds, label); the longest is the cache's retention.
WINDOWS = (
    (HOUR, QT_TRANSLATE_NOOP("environment", "Last hour")),
    (6 * HOUR, QT_TRANSLATE_NOOP("environment", "Last 6 hours")),
    (24 * HOUR, QT_TRANSLATE_NOOP("environment", "Last 24 hours")),
    (7 * 24 * HOUR, QT_TRANSLATE_NOOP("environment", "Last 7 days")),
)
DEFAULT_WINDOW_S = 6 * HOUR
LEVEL_NAMES = {"BD1": "BĐ1", "BD2": "BĐ2", "BD3": "BĐ3"}
LEVEL_RANKS = {"BD1": 1, "BD2": 2, "BD3": 3}
QUANTITY_LABELS = {
    "water_level": QT_TRANSLATE_NOOP("environment", "water level"),
    "reservoir_level": QT_TRANSLATE_NOOP("environment", "reservoir level"),
    "rainfall": QT_TRANSLATE_NOOP("environment", "rainfall"),
    "inflow": QT_TRANSLATE_NOOP("environment", "inflow"),
    "outflow": QT_TRANSLATE_NOOP("environment", "outflow"),
    "pm25": "PM2.5", "aqi": "AQI",
}


def quantity_label(quantity: str | None) -> str:
    if quantity in QUANTITY_LABELS:
        return QCoreApplication.translate("environment", QUANTITY_LABELS[quantity])
    return quantity or ""
CURVE_COLORS = ("#4aa3ff", "#2fd07a", "#e0e0e0", "#c77dff")


def station_color(data: dict, rank: int = 0) -> str:
    """A reading's colour: its AQI band, the flood level ``rank`` (1…3) it reached (from
    the model's view), else its kind."""
    if data.get("quantity") == "aqi":
        return aqi_color(data.get("value", 0))
    if rank:
        return THRESHOLD_COLORS[min(rank, 3) - 1]
    return {"reservoir": "#2b7bd6", "rain_gauge": "#7fb3ff"}.get(data.get("kind"), "#38c8e8")


def station_features(key: str, data: dict, rank: int = 0) -> list[dict]:
    # one marker per station: the level (or AQI) reading speaks for it on the map
    if data.get("lat") is None or data.get("quantity") not in ("water_level", "reservoir_level", "aqi", "rainfall"):
        return []
    value = _value_text(data)
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
        "radius": 8 if rank else 6, "fill": station_color(data, rank), "color": "#0b0e11",
        "title": f"{data.get('station_name') or data.get('station_id')}: {value}",
        "fields": [[QCoreApplication.translate("environment", "Quantity"), quantity_label(data.get("quantity"))], [QCoreApplication.translate("environment", "Value"), value],
                   [QCoreApplication.translate("environment", "Time"), local_time(data.get("phenomenonTime"))]]
                  + [[LEVEL_NAMES.get(n, n), f"{v:.2f}"] for n, v in (data.get("thresholds") or {}).items()],
    }]


DECIMALS = {"aqi": 0, "pm25": 1, "rainfall": 1, "inflow": 1, "outflow": 1}


def _value_text(d: dict) -> str:
    decimals = DECIMALS.get(d.get("quantity"), 2)
    return f"{d.get('value', 0):.{decimals}f} {d.get('unit') or ''}".strip()


class LevelGraphs(QtWidgets.QWidget):
    """One graph per station that has flood lines.

    On the console a combo box picks the graphs' window (:data:`WINDOWS`;
    :attr:`windowChanged` then asks for its history).  On a wall window (``wall``): only
    the ``stations`` asked for (ids, names or keys; none: every one), over the last
    ``hours``, each graph titled by its station with every flood line (BĐ1/BĐ2/BĐ3) in
    view and labelled without overlap, laid out side by side in a wide cell and stacked
    in a tall one, at the wall's text size."""

    #: The window (seconds) was changed by the user: its history must be read again.
    windowChanged = QtCore.Signal(float)

    def __init__(self, parent=None, *, wall: WallStyle | None = None, stations=(),
                 hours: float | None = None):
        super().__init__(parent)
        self.wall = wall
        self.stations = {str(s).casefold() for s in stations or ()}
        self.window_s = float(hours) * 3600 if hours else DEFAULT_WINDOW_S
        self.end_time: float | None = None       # review: the moment shown
        self.window_box: QtWidgets.QComboBox | None = None
        if wall is None:
            self.layout_ = QtWidgets.QVBoxLayout(self)
            self.window_box = QtWidgets.QComboBox(self)
            self.window_box.setObjectName("levelsWindow")
            self.window_box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
            for seconds, label in WINDOWS:
                self.window_box.addItem(QCoreApplication.translate("environment", label), seconds)
            self.window_box.setToolTip(QCoreApplication.translate(
                "environment", "How far back the graphs go (at most the cache's retention)"))
            self._select_window_item()
            self.window_box.activated.connect(
                lambda i: self.set_window(self.window_box.itemData(i)))
            bar = QtWidgets.QHBoxLayout()
            bar.setContentsMargins(0, 0, 0, 0)
            bar.addWidget(self.window_box)
            bar.addStretch(1)
            self.layout_.addLayout(bar)
        else:
            self.layout_ = QtWidgets.QGridLayout(self)
            self.layout_.setSpacing(6)
        self.layout_.setContentsMargins(2, 2, 2, 2)
        self.plots: dict[str, TimeSeriesPlot] = {}
        self.buffers: dict[str, SeriesBuffer] = {}
        self.placeholder = QtWidgets.QLabel(self.tr("Waiting for water levels…"))
        if wall is not None:
            self.placeholder.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            self.placeholder.setWordWrap(True)
            self.placeholder.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            wall_label(self.placeholder, wall)
        self.layout_.addWidget(self.placeholder)

    def wanted(self, key: str, data: dict) -> bool:
        if not self.stations:
            return True
        names = {str(v).casefold() for v in (key, data.get("station_id"), data.get("station_name")) if v}
        return bool(names & self.stations)

    def ensure(self, key: str, data: dict) -> SeriesBuffer | None:
        buf = self.buffers.get(key)
        if buf is None:
            if not self.wanted(key, data):
                return None
            self.placeholder.setVisible(False)
            buf = self.buffers[key] = SeriesBuffer(SERIES_CAPACITY, value_dtype=SERIES_DTYPE)
            name = data.get("station_name") or data.get("station_id")
            title = name if self.wall is not None else self.tr("Water level — {0}").format(name)
            plot = TimeSeriesPlot(title, data.get("unit") or "m")
            if self.wall is not None:
                plot.set_wall_style(self.wall)
                plot.show_all_thresholds = True
            plot.add_series(key, buf, CURVE_COLORS[len(self.plots) % len(CURVE_COLORS)])
            plot.set_thresholds({LEVEL_NAMES.get(n, n): v for n, v in data["thresholds"].items()})
            plot.set_time_window(self.window_s)
            plot.set_end_time(self.end_time)
            self.plots[key] = plot
            if self.wall is None:
                self.layout_.addWidget(plot, 1)
            else:
                self._relayout()
        return buf

    def _relayout(self) -> None:
        """The wall: graphs side by side when the cell is wide, stacked when tall."""
        plots = list(self.plots.values())
        if not plots:
            return
        n = len(plots)
        w, h = max(self.width(), 1), max(self.height(), 1)
        # the number of columns whose graphs come closest to 2:1 (wide) each
        cols = min(range(1, n + 1), key=lambda c: abs((w / c) / (h / ((n + c - 1) // c)) - 2.0))
        for plot in plots:
            self.layout_.removeWidget(plot)
        for i, plot in enumerate(plots):
            self.layout_.addWidget(plot, i // cols, i % cols)
        for c in range(cols):
            self.layout_.setColumnStretch(c, 1)
        for r in range((n + cols - 1) // cols):
            self.layout_.setRowStretch(r, 1)
        self._cols = cols

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.wall is not None and self.plots:
            self._relayout()

    # -------------------------------------------------------------- window and time
    def _select_window_item(self) -> None:
        if self.window_box is None:
            return
        i = self.window_box.findData(self.window_s)
        if i < 0:                       # not one of the choices (set by code): add it
            hours = self.window_s / HOUR
            self.window_box.addItem(QCoreApplication.translate("environment", "Last {0:g} hours").format(hours),
                                    self.window_s)
            i = self.window_box.count() - 1
        self.window_box.setCurrentIndex(i)

    def set_window(self, seconds: float) -> None:
        """Show the last ``seconds`` on every graph; ``windowChanged`` when it changed (the
        history of the new window is to be read)."""
        seconds = float(seconds)
        if seconds == self.window_s:
            return
        self.window_s = seconds
        self._select_window_item()
        for plot in self.plots.values():
            plot.set_time_window(seconds)
        self.windowChanged.emit(seconds)

    def set_end_time(self, t: float | None) -> None:
        """The graphs' window ends at ``t`` (review) or at the newest observation (None)."""
        self.end_time = t
        for plot in self.plots.values():
            plot.set_end_time(t)

    def clear(self) -> None:
        """Empty every graph (its history is about to be read again)."""
        for key, buf in self.buffers.items():
            if len(buf):
                buf.clear()
                self.plots[key].mark_dirty(key)

    def load(self, key: str, ts, vs) -> None:
        """History read back for ``key`` (merged with what arrived live meanwhile: one
        sample per instant)."""
        buf = self.buffers.get(key)
        if buf is None or not len(ts):
            return
        buf.extend(ts, vs)
        if len(buf) >= buf.capacity:
            self.compact(key)
        self.plots[key].mark_dirty(key)

    def add(self, key: str, data: dict) -> None:
        t = epoch(data.get("phenomenonTime"))
        if t is None:
            return
        buf = self.ensure(key, data)
        if buf is None:
            return
        buf.append(t, float(data["value"]))
        if len(buf) >= buf.capacity:
            self.compact(key)
        self.plots[key].mark_dirty(key)

    def compact(self, key: str) -> None:
        """A full buffer: drop what is older than the window, and downsample all but the
        newest quarter (the long windows would otherwise lose their start)."""
        buf = self.buffers[key]
        t, v = buf.arrays()
        if not t.size:
            return
        keep = t >= t[-1] - self.window_s
        t, v = t[keep], v[keep]
        raw = buf.capacity // 4
        if t.size > 2 * raw:
            old_t, old_v = downsample_minmax(t[:-raw], v[:-raw], HISTORY_BUCKETS)
            t, v = np.concatenate((old_t, t[-raw:])), np.concatenate((old_v, v[-raw:]))
        buf.clear()
        buf.extend(t, v)


def is_graphed(data: dict) -> bool:
    return data.get("quantity") == "water_level" and bool(data.get("thresholds"))


class EnvironmentGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        wall = style_for(context)
        options = context.wall_options or {}
        self.graphs = LevelGraphs(wall=wall, stations=options.get("stations") or (),
                                  hours=options.get("hours")) if wall is not None else LevelGraphs()
        self.graphs.windowChanged.connect(lambda _s: self._read_history(clear=True))
        self._history_token = 0                  # the newest history read asked for
        self._levels: dict[str, str] = {}        # river key -> "BD1".. reached (the view's)
        self._releasing: set[str] = set()        # outflow keys at their flood release
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("environment", "Station"), lambda d: d.get("station_name") or d.get("station_id")),
            Column(QCoreApplication.translate("environment", "Quantity"), lambda d: quantity_label(d.get("quantity"))),
            Column(QCoreApplication.translate("environment", "Value"), _value_text, sort=lambda d: d.get("value", 0), align_right=True,
                   color=self._value_color),
            Column(QCoreApplication.translate("environment", "Flood level"), self._level_text,
                   color=lambda d: STATE_COLORS["alarm"] if self._rank(d) >= 2 or self._released(d) else None),
            Column(QCoreApplication.translate("environment", "Time"), lambda d: local_time(d.get("phenomenonTime"), "%H:%M:%S"),
                   sort=lambda d: d.get("phenomenonTime") or ""),
        ], tooltip_of=lambda d: [str(d.get("station_name")), str(d.get("river") or ""), _value_text(d)])
        self.table = KeyedTableView(self.model)
        self.table.keyActivated.connect(lambda key: self.layer.select(key))
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        wall_columns(self.table, (0, 2, 3), stretch=0)      # the wall: station, value, flood level
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("environment", "Hydrology and air"),
                              lambda key, data: station_features(key, data, self._rank(data)), z=20)
        R = QtCore.Qt.DockWidgetArea.RightDockWidgetArea
        self.panels = [
            Panel("levels", QCoreApplication.translate("environment", "River levels"), self.graphs, R, stretch=0.5),
            Panel("stations", QCoreApplication.translate("environment", "Stations"), self.table, R, tabbed=True),
        ]

    # -------------------------------------------------------------- the view's flags
    def _rank(self, data: dict) -> int:
        return LEVEL_RANKS.get(self._levels.get(_key(data)), 0)

    def _released(self, data: dict) -> bool:
        return _key(data) in self._releasing

    def _value_color(self, data: dict) -> str | None:
        rank = self._rank(data)
        if rank or data.get("quantity") == "aqi":
            return station_color(data, rank)
        return STATE_COLORS["warn"] if self._released(data) else None

    def _level_text(self, data: dict) -> str:
        if self._released(data):
            return QCoreApplication.translate("environment", "flood release")
        return LEVEL_NAMES.get(self._levels.get(_key(data)) or "", "")

    # -------------------------------------------------------------- data
    def on_review(self, at):
        super().on_review(at)
        # the graphs' window ends at T (their history, read at the reset that follows,
        # is the log cut at T); back to live: at the newest observation
        self.graphs.set_end_time(at)

    def on_reset(self, state):
        items = state.get(TOPIC, {})
        self.model.reset(items)
        self.layer.reset(items)
        graphed = [k for k, d in items.items() if is_graphed(d) and self.graphs.wanted(k, d)]
        for key in graphed:
            self.graphs.ensure(key, items[key])
        self._read_history(clear=True)

    def _read_history(self, *, clear: bool) -> None:
        """Read the graphs' window back from the cache (now, or as of T in review), one
        station at a time on the reader thread (other panels' reads go in between).  A
        read answered after a newer one was asked for is dropped."""
        self._history_token += 1
        token = self._history_token
        if clear:
            self.graphs.clear()
        run_read = self.context.run_read
        if run_read is None:
            return
        window, end = self.graphs.window_s, self.review_at
        for key in list(self.graphs.buffers):
            run_read(lambda conn, key=key: self._history(conn, [key], window, end),
                     lambda history: self._on_history(token, history))

    @staticmethod
    def _history(conn, keys: list[str], window_s: float = DEFAULT_WINDOW_S,
                 end: float | None = None) -> dict:
        """The graphed stations' observations in the window ending at ``end`` (or at
        their newest), downsampled (reader thread: :func:`plugins.environment.history.read_series`)."""
        return read_series(conn, keys, window_s, end=end)

    def _on_history(self, token: int, history) -> None:
        if history is None or token != self._history_token:
            return  # the read failed (logged: the graphs fill from live data), or is stale
        for key, (ts, vs) in history.items():
            self.graphs.load(key, ts, vs)

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)
        self.layer.apply(ch)
        # every observation goes on its graph, not only the newest per station
        for ev in ch.events:
            if ev.op == "upsert" and is_graphed(ev.data):
                self.graphs.add(ev.key, ev.data)

    def on_view(self, view, changed):
        if not changed & {"rivers", "discharging"}:
            return
        levels = {r["key"]: r["level"] for r in view.get("rivers") or () if r.get("level")}
        releasing = {r["key"] for r in view.get("discharging") or ()}
        moved = ({k for k in levels.keys() | self._levels.keys() if levels.get(k) != self._levels.get(k)}
                 | (releasing ^ self._releasing))
        self._levels, self._releasing = levels, releasing
        if moved:
            items = self.model.items()
            self.model.apply({k: items[k] for k in moved if k in items})
            self.layer.update({k: items[k] for k in moved if k in items})

    def kpis(self) -> list[Kpi]:
        view = self.view
        out = []
        rivers = view.get("rivers") or []
        if rivers:
            top = rivers[0]
            value = "—" if top.get("value") is None else f"{top['value']:.2f} {top.get('unit') or 'm'}"
            out.append(Kpi(top.get("name") or top.get("key"), value, abnormal=view.get("rivers_above") or 0,
                           tooltip=LEVEL_NAMES.get(top.get("level") or "", "")))
        if view.get("aqi_max") is not None:
            out.append(Kpi("AQI", f"{view['aqi_max']:.0f}", abnormal=view.get("aqi_poor") or 0))
        return out

    def select(self, topic, key):
        self.table.select_key(key)
        self.layer.select(key)


def _key(data: dict) -> str | None:
    try:
        return key_of(data)
    except (KeyError, TypeError):
        return None
