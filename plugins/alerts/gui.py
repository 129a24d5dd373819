"""The alerts GUI: the list of CAP warnings and the areas of those in force on the map.

A view: which warnings are in force (they end by themselves) and the KPIs come from the
model (:mod:`plugins.alerts.model`) through :meth:`AlertsGui.on_view`; the wall's alarms
are the engine's (:mod:`plugins.alerts.rules`)."""
from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication

from ioc_desktop.interop.cap import parse_circle, parse_polygon
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import local_time, parse_time
from widgets.theme import STATE_COLORS
from widgets.wall_style import wall_columns

from .model import CANCELLED, IN_FORCE, UPCOMING
from .schema import SEVERITIES, TOPIC, key_of, main_info

SEVERITY_LABELS = {
    "Extreme": QT_TRANSLATE_NOOP("alerts", "Extreme"), "Severe": QT_TRANSLATE_NOOP("alerts", "Severe"),
    "Moderate": QT_TRANSLATE_NOOP("alerts", "Moderate"), "Minor": QT_TRANSLATE_NOOP("alerts", "Minor"),
    "Unknown": QT_TRANSLATE_NOOP("alerts", "Unknown"),
}
SEVERITY_COLORS = {"Extreme": "#d40000", "Severe": "#ff2d2d", "Moderate": "#ff7e00",
                   "Minor": "#ffd400", "Unknown": "#a3acb5"}



STATE_LABELS = {
    IN_FORCE: QT_TRANSLATE_NOOP("alerts", "in force"), CANCELLED: QT_TRANSLATE_NOOP("alerts", "cancelled"),
    UPCOMING: QT_TRANSLATE_NOOP("alerts", "upcoming"),
}


def state_label(state: str | None) -> str:
    """A message's state (the model's) in words: anything not in force, cancelled or
    upcoming has ended."""
    return QCoreApplication.translate("alerts", STATE_LABELS.get(state, QT_TRANSLATE_NOOP("alerts", "ended")))


def severity_label(value: str | None) -> str:
    if value in SEVERITY_LABELS:
        return QCoreApplication.translate("alerts", SEVERITY_LABELS[value])
    return value or ""


def severity(data: dict) -> str:
    info = main_info(data) or {}
    return info.get("severity") or "Unknown"


def area_features(key: str, data: dict, in_force: bool = True) -> list[dict]:
    """The areas of a warning on the map (none unless ``in_force``)."""
    if not in_force:
        return []
    info = main_info(data) or {}
    colour = SEVERITY_COLORS.get(severity(data), "#a3acb5")
    title = info.get("headline") or info.get("event") or key
    feats = []
    for i, inf in enumerate(data.get("info") or ()):
        for j, area in enumerate(inf.get("area") or ()):
            fields = [[QCoreApplication.translate("alerts", "Area"), area.get("areaDesc") or ""], [QCoreApplication.translate("alerts", "Severity"), severity_label(inf.get("severity"))],
                      [QCoreApplication.translate("alerts", "Instruction"), (inf.get("instruction") or "")[:400]]]
            for k, poly in enumerate(area.get("polygon") or ()):
                try:
                    ring = parse_polygon(poly)
                except ValueError:
                    continue  # validated on arrival; a shape that still fails is skipped
                feats.append({"key": f"{key}#{i}.{j}.p{k}", "kind": "polygon",
                              "coords": [list(p) for p in ring], "color": colour, "fill": colour,
                              "fill_opacity": 0.18, "weight": 2, "title": title, "fields": fields})
            for k, circle in enumerate(area.get("circle") or ()):
                try:
                    lat, lon, radius_km = parse_circle(circle)
                except ValueError:
                    continue
                feats.append({"key": f"{key}#{i}.{j}.c{k}", "kind": "circle", "lat": lat, "lon": lon,
                              "radius_m": max(radius_km, 0.05) * 1000, "color": colour, "fill": colour,
                              "fill_opacity": 0.15, "weight": 2, "title": title, "fields": fields})
    return feats


class AlertsGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self._states: dict[str, str] = {}       # key -> the model's state (the view's)
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("alerts", "Severity"), lambda d: severity_label(severity(d)), sort=lambda d: -SEVERITIES.index(severity(d))
                   if severity(d) in SEVERITIES else 0,
                   color=lambda d: SEVERITY_COLORS.get(severity(d))),
            Column(QCoreApplication.translate("alerts", "State"), lambda d: state_label(self._state(d)),
                   color=lambda d: None if self._state(d) == IN_FORCE else STATE_COLORS["stale"]),
            Column(QCoreApplication.translate("alerts", "Event"), lambda d: (main_info(d) or {}).get("event") or ""),
            Column(QCoreApplication.translate("alerts", "Headline"), lambda d: (main_info(d) or {}).get("headline") or ""),
            Column(QCoreApplication.translate("alerts", "Sent"), lambda d: local_time(d.get("sent")), sort=lambda d: parse_time(d.get("sent")) or 0),
            Column(QCoreApplication.translate("alerts", "Sender"), lambda d: d.get("sender") or ""),
        ], tooltip_of=lambda d: [(main_info(d) or {}).get("headline") or "",
                                 (main_info(d) or {}).get("description") or "",
                                 (main_info(d) or {}).get("instruction") or ""])
        self.table = KeyedTableView(self.model)
        self.table.keyActivated.connect(lambda key: self.layer.select(key))
        self.table.sortByColumn(4, QtCore.Qt.SortOrder.DescendingOrder)
        wall_columns(self.table, (0, 1, 3), stretch=3)       # the wall: severity, state, headline
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("alerts", "Warnings (CAP)"),
                              lambda key, data: area_features(key, data, self._states.get(key) == IN_FORCE), z=10)
        self.panels = [Panel("list", QCoreApplication.translate("alerts", "Warnings"), self.table,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]

    def _state(self, data: dict) -> str | None:
        try:
            return self._states.get(key_of(data))
        except (KeyError, TypeError):
            return None

    def on_reset(self, state):
        items = state.get(TOPIC, {})
        self.model.reset(items)
        self.layer.reset(items)

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)
        self.layer.apply(ch)

    def on_view(self, view, changed):
        if "states" not in changed:
            return
        states = dict(view.get("states") or {})
        moved = {k for k in states.keys() | self._states.keys() if states.get(k) != self._states.get(k)}
        self._states = states
        items = self.model.items()
        moved = {k: items[k] for k in moved if k in items}
        if moved:
            self.model.apply(moved)
            self.layer.update(moved)

    def kpis(self) -> list[Kpi]:
        return [Kpi(QCoreApplication.translate("alerts", "in force"), str(self.view.get("in_force") or 0),
                    abnormal=self.view.get("serious") or 0)]

    def select(self, topic, key):
        self.table.select_key(key)
