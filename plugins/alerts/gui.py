"""The alerts GUI: the list of CAP warnings, their areas on the map, and the wall banner
for the ones in force."""
from __future__ import annotations

import time

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication

from ioc_desktop.interop.cap import parse_circle, parse_polygon
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import local_time, parse_time
from widgets.theme import STATE_COLORS

from .schema import SEVERITIES, TOPIC, main_info

SEVERITY_LABELS = {
    "Extreme": QT_TRANSLATE_NOOP("alerts", "Extreme"), "Severe": QT_TRANSLATE_NOOP("alerts", "Severe"),
    "Moderate": QT_TRANSLATE_NOOP("alerts", "Moderate"), "Minor": QT_TRANSLATE_NOOP("alerts", "Minor"),
    "Unknown": QT_TRANSLATE_NOOP("alerts", "Unknown"),
}
SEVERITY_COLORS = {"Extreme": "#d40000", "Severe": "#ff2d2d", "Moderate": "#ff7e00",
                   "Minor": "#ffd400", "Unknown": "#a3acb5"}



def in_force(data: dict, now: float | None = None) -> bool:
    """An actual, not cancelled alert whose infos have not all expired."""
    if data.get("status") != "Actual" or data.get("msgType") not in ("Alert", "Update"):
        return False
    now = now or time.time()
    expiries = [parse_time(i.get("expires")) for i in data.get("info") or ()]
    if expiries and all(e is not None and e < now for e in expiries):
        return False
    return True


def severity_label(value: str | None) -> str:
    if value in SEVERITY_LABELS:
        return QCoreApplication.translate("alerts", SEVERITY_LABELS[value])
    return value or ""


def severity(data: dict) -> str:
    info = main_info(data) or {}
    return info.get("severity") or "Unknown"


def area_features(key: str, data: dict) -> list[dict]:
    if not in_force(data):
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
        self.banner = context.banner
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("alerts", "Severity"), lambda d: severity_label(severity(d)), sort=lambda d: -SEVERITIES.index(severity(d))
                   if severity(d) in SEVERITIES else 0,
                   color=lambda d: SEVERITY_COLORS.get(severity(d))),
            Column(QCoreApplication.translate("alerts", "State"), lambda d: QCoreApplication.translate("alerts", "in force") if in_force(d) else
                   (QCoreApplication.translate("alerts", "cancelled") if d.get("msgType") == "Cancel" else QCoreApplication.translate("alerts", "ended")),
                   color=lambda d: None if in_force(d) else STATE_COLORS["stale"]),
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
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("alerts", "Warnings (CAP)"), area_features, z=10)
        self.panels = [Panel("list", QCoreApplication.translate("alerts", "Warnings"), self.table,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]
        self._expiry = QtCore.QTimer(self.table, interval=30_000)  # alerts end by themselves
        self._expiry.timeout.connect(self._recheck)
        self._expiry.start()

    def _banner(self, items: dict) -> None:
        if self.banner is None:
            return
        for key, d in items.items():
            if in_force(d):
                info = main_info(d) or {}
                text = f"⚠ {info.get('headline') or info.get('event') or key}"
                self.banner.raise_alarm(TOPIC, key, text, severity(d))
            else:
                self.banner.clear(TOPIC, key)

    def on_reset(self, state):
        items = state.get(TOPIC, {})
        self.model.reset(items)
        self.layer.reset(items)
        self._banner(items)

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)
        self.layer.apply(ch)
        self._banner(ch.upserts)
        for key in ch.deletes:
            if self.banner:
                self.banner.clear(TOPIC, key)

    def _recheck(self) -> None:
        items = self.model.items()
        self.model.refresh_all()
        self.layer.update(items)
        self._banner(items)

    def kpis(self) -> list[Kpi]:
        active = [d for d in self.model.items().values() if in_force(d)]
        serious = sum(1 for d in active if severity(d) in ("Extreme", "Severe"))
        return [Kpi(QCoreApplication.translate("alerts", "in force"), str(len(active)), abnormal=serious)]

    def select(self, topic, key):
        self.table.select_key(key)
