"""The environment GUI: river levels against their flood lines (BĐ1/2/3), a table of
every station's latest reading, stations on the map, and an alarm when a level passes
a flood line."""
from __future__ import annotations

import json
import time

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.series import SeriesBuffer
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import local_time, parse_time
from widgets.theme import STATE_COLORS, THRESHOLD_COLORS, aqi_color
from widgets.timeseries_plot import TimeSeriesPlot

from .schema import TOPIC, threshold_reached

HISTORY_EVENTS = 50_000        # observations read back from the cache per graph at start
SERIES_CAPACITY = 100_000
LEVEL_NAMES = {"BD1": "BĐ1", "BD2": "BĐ2", "BD3": "BĐ3"}
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



def level_rank(data: dict) -> int:
    """0 below every flood line, 1..3 for BĐ1..BĐ3 reached."""
    reached = threshold_reached(data.get("value", 0.0), data.get("thresholds"))
    if reached is None:
        return 0
    order = sorted(data["thresholds"].values())
    return order.index(data["thresholds"][reached]) + 1


def station_color(data: dict) -> str:
    if data.get("quantity") == "aqi":
        return aqi_color(data.get("value", 0))
    rank = level_rank(data)
    if rank:
        return THRESHOLD_COLORS[min(rank, 3) - 1]
    return {"reservoir": "#2b7bd6", "rain_gauge": "#7fb3ff"}.get(data.get("kind"), "#38c8e8")


def station_features(key: str, data: dict) -> list[dict]:
    # one marker per station: the level (or AQI) reading speaks for it on the map
    if data.get("lat") is None or data.get("quantity") not in ("water_level", "reservoir_level", "aqi", "rainfall"):
        return []
    value = _value_text(data)
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
        "radius": 8 if level_rank(data) else 6, "fill": station_color(data), "color": "#0b0e11",
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
    """One graph per station that has flood lines."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layout_ = QtWidgets.QVBoxLayout(self)
        self.layout_.setContentsMargins(2, 2, 2, 2)
        self.plots: dict[str, TimeSeriesPlot] = {}
        self.buffers: dict[str, SeriesBuffer] = {}
        self.placeholder = QtWidgets.QLabel(self.tr("Waiting for water levels…"))
        self.layout_.addWidget(self.placeholder)

    def ensure(self, key: str, data: dict) -> SeriesBuffer:
        buf = self.buffers.get(key)
        if buf is None:
            self.placeholder.setVisible(False)
            buf = self.buffers[key] = SeriesBuffer(SERIES_CAPACITY)
            title = self.tr("Water level — {0}").format(data.get("station_name") or data.get("station_id"))
            plot = TimeSeriesPlot(title, data.get("unit") or "m")
            plot.add_series(key, buf, CURVE_COLORS[len(self.plots) % len(CURVE_COLORS)])
            plot.set_thresholds({LEVEL_NAMES.get(n, n): v for n, v in data["thresholds"].items()})
            plot.set_time_window(6 * 3600)
            self.plots[key] = plot
            self.layout_.addWidget(plot, 1)
        return buf

    def add(self, key: str, data: dict) -> None:
        t = parse_time(data.get("phenomenonTime"))
        if t is None:
            return
        self.ensure(key, data).append(t, float(data["value"]))
        self.plots[key].mark_dirty(key)


def is_graphed(data: dict) -> bool:
    return data.get("quantity") == "water_level" and bool(data.get("thresholds"))


class EnvironmentGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        self.banner = context.banner
        self.graphs = LevelGraphs()
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("environment", "Station"), lambda d: d.get("station_name") or d.get("station_id")),
            Column(QCoreApplication.translate("environment", "Quantity"), lambda d: quantity_label(d.get("quantity"))),
            Column(QCoreApplication.translate("environment", "Value"), _value_text, sort=lambda d: d.get("value", 0), align_right=True,
                   color=lambda d: station_color(d) if level_rank(d) or d.get("quantity") == "aqi" else None),
            Column(QCoreApplication.translate("environment", "Flood level"), lambda d: LEVEL_NAMES.get(
                threshold_reached(d.get("value", 0), d.get("thresholds")) or "", ""),
                   color=lambda d: STATE_COLORS["alarm"] if level_rank(d) >= 2 else None),
            Column(QCoreApplication.translate("environment", "Time"), lambda d: local_time(d.get("phenomenonTime"), "%H:%M:%S"),
                   sort=lambda d: d.get("phenomenonTime") or ""),
        ], tooltip_of=lambda d: [str(d.get("station_name")), str(d.get("river") or ""), _value_text(d)])
        self.table = KeyedTableView(self.model)
        self.table.keyActivated.connect(lambda key: self.layer.select(key))
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("environment", "Hydrology and air"), station_features, z=20)
        R = QtCore.Qt.DockWidgetArea.RightDockWidgetArea
        self.panels = [
            Panel("levels", QCoreApplication.translate("environment", "River levels"), self.graphs, R, stretch=0.5),
            Panel("stations", QCoreApplication.translate("environment", "Stations"), self.table, R, tabbed=True),
        ]
        self._alarmed: dict[str, int] = {}

    # -------------------------------------------------------------- data
    def on_reset(self, state):
        items = state.get(TOPIC, {})
        self.model.reset(items)
        self.layer.reset(items)
        graphed = [k for k, d in items.items() if is_graphed(d)]
        for key in graphed:
            self.graphs.ensure(key, items[key])
        self._check_alarms(items)
        if graphed:
            self.context.run_read(lambda conn: self._history(conn, graphed), self._on_history)

    @staticmethod
    def _history(conn, keys: list[str]) -> dict[str, tuple[list, list]]:
        """Read back recent observations of the graphed stations (reader thread)."""
        out = {}
        for key in keys:
            ts, vs = [], []
            rows = conn.execute("SELECT data FROM events WHERE topic = ? AND key = ? AND op = 'upsert' "
                                "ORDER BY seq DESC LIMIT ?", (TOPIC, key, HISTORY_EVENTS))
            for (text,) in rows:
                d = json.loads(text)
                t = parse_time(d.get("phenomenonTime"))
                if t is not None:
                    ts.append(t)
                    vs.append(float(d["value"]))
            out[key] = (ts[::-1], vs[::-1])
        return out

    def _on_history(self, history) -> None:
        if history is None:
            return  # the read failed (logged); the graphs fill from live data
        for key, (ts, vs) in history.items():
            buf = self.graphs.buffers.get(key)
            if buf is not None and ts:
                buf.extend(ts, vs)
                self.graphs.plots[key].mark_dirty(key)

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)
        self.layer.apply(ch)
        # every observation goes on its graph, not only the newest per station
        for ev in ch.events:
            if ev.op == "upsert" and is_graphed(ev.data):
                self.graphs.add(ev.key, ev.data)
        self._check_alarms(ch.upserts)

    def _check_alarms(self, items: dict) -> None:
        if self.banner is None:
            return
        for key, d in items.items():
            if not is_graphed(d):
                continue
            rank = level_rank(d)
            if rank == self._alarmed.get(key, 0):
                continue
            self._alarmed[key] = rank
            if rank == 0:
                self.banner.clear(TOPIC, key)
            else:
                name = LEVEL_NAMES.get(threshold_reached(d["value"], d["thresholds"]), "")
                text = QCoreApplication.translate("environment", "{0}: water level {1} — above {2}").format(
                    d.get("station_name") or d.get("station_id"), _value_text(d), name)
                self.banner.raise_alarm(TOPIC, key, text, {1: "medium", 2: "high", 3: "critical"}[min(rank, 3)])

    def kpis(self) -> list[Kpi]:
        items = self.model.items()
        graphed = sorted((d for d in items.values() if is_graphed(d)),
                         key=lambda d: (-level_rank(d), d.get("station_name") or ""))
        above = sum(1 for d in graphed if level_rank(d))
        out = []
        if graphed:
            top = graphed[0]
            out.append(Kpi(top.get("station_name") or top.get("station_id"), _value_text(top), abnormal=above,
                           tooltip=LEVEL_NAMES.get(threshold_reached(top["value"], top["thresholds"]) or "", "")))
        aqi = [d["value"] for d in items.values() if d.get("quantity") == "aqi"]
        if aqi:
            out.append(Kpi("AQI", f"{max(aqi):.0f}", abnormal=sum(1 for v in aqi if v > 150)))
        return out

    def select(self, topic, key):
        self.table.select_key(key)
        self.layer.select(key)
