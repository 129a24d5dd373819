"""The vessels GUI: positions and recent tracks on the map, the monitored sea areas, and
the fleet table with lost-signal vessels standing out.

The tracks (:mod:`plugins.vessels.tracks`) are read back from the cache's event log at
every reset (start, a snapshot, review at T: then the log is cut at T) and extended
by every committed fix.

A view: which vessels are lost or late, the KPIs and the areas (with how many vessels
are in each) come from the model (:meth:`plugins.vessels.model.VesselsModel.view`)
through :meth:`VesselsGui.on_view`; the alarms are the engine's
(:mod:`plugins.vessels.rules`)."""
from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.review.clock import view_time
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import age_text, local_time, parse_time
from widgets.theme import STATE_COLORS
from widgets.wall_style import style_for, wall_columns

from .schema import TOPIC
from .tracks import TRACK_POINTS, Tracks, read_tracks

__all__ = ["TRACK_POINTS", "VesselsGui", "area_features", "signal_age", "vessel_color",
           "vessel_features"]
STATUS_LABELS = {
    "fishing": QT_TRANSLATE_NOOP("vessels", "fishing"), "underway": QT_TRANSLATE_NOOP("vessels", "underway"),
    "in_port": QT_TRANSLATE_NOOP("vessels", "in port"), "anchored": QT_TRANSLATE_NOOP("vessels", "anchored"),
    "lost_signal": QT_TRANSLATE_NOOP("vessels", "lost signal"),
}
STATUS_COLORS = {"fishing": "#2fd07a", "underway": "#4aa3ff", "in_port": "#a3acb5",
                 "anchored": "#c77dff", "lost_signal": STATE_COLORS["alarm"]}
#: Monitored areas on the map: a restricted area in the warning colour, others by kind.
AREA_COLORS = {"restricted": STATE_COLORS["warn"], "protected": "#2fd07a"}
AREA_COLOR = "#4aa3ff"
AREA_KINDS = {
    "restricted": QT_TRANSLATE_NOOP("vessels", "restricted area"),
    "protected": QT_TRANSLATE_NOOP("vessels", "protected area"),
}


def signal_age(data: dict, now: float | None = None) -> float | None:
    """Seconds since the report's fix, for the "last fix" column (the views' clock: now,
    or in review the moment shown; whether the vessel is late or lost is the model's)."""
    t = parse_time(data.get("time"))
    return None if t is None else (now or view_time()) - t


def vessel_color(data: dict, lost: bool = False) -> str:
    return STATE_COLORS["alarm"] if lost else STATUS_COLORS.get(data.get("status"), "#4aa3ff")


def vessel_features(key: str, data: dict, lost: bool = False) -> list[dict]:
    speed = data.get("sog")
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"], "radius": 5,
        "fill": vessel_color(data, lost), "color": "#0b0e11",
        "title": f"{data.get('name') or key} ({data.get('registration') or '—'})",
        "fields": [[QCoreApplication.translate("vessels", "Status"), QCoreApplication.translate("vessels", STATUS_LABELS.get(data.get("status"), "")) or data.get("status") or ""],
                   [QCoreApplication.translate("vessels", "Speed"), "—" if speed is None else QCoreApplication.translate("vessels", "{0:.1f} kn").format(speed)],
                   [QCoreApplication.translate("vessels", "Course"), "—" if data.get("cog") is None else f"{data['cog']:.0f}°"],
                   [QCoreApplication.translate("vessels", "Last fix"), local_time(data.get("time"), "%d/%m %H:%M:%S")],
                   [QCoreApplication.translate("vessels", "Home port"), data.get("home_port") or ""]],
    }]


def area_features(key: str, area: dict) -> list[dict]:
    """A monitored area (an entry of the view's ``areas``) as a map polygon named by its
    area name."""
    colour = AREA_COLORS.get(area.get("kind"), AREA_COLOR)
    kind = area.get("kind") or ""
    return [{
        "key": key, "kind": "polygon", "coords": [list(p) for p in area.get("polygon") or ()],
        "color": colour, "fill": colour, "fill_opacity": 0.12, "weight": 2,
        "title": area.get("name") or key,
        "fields": [[QCoreApplication.translate("vessels", "Area"),
                    QCoreApplication.translate("vessels", AREA_KINDS[kind]) if kind in AREA_KINDS else kind],
                   [QCoreApplication.translate("vessels", "Vessels inside"), str(area.get("inside", 0))]],
    }]


class VesselsGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        self.tracks = Tracks(TRACK_POINTS)
        self._lost: set[str] = set()           # the view's flags
        self._late: set[str] = set()
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("vessels", "Vessel"), lambda d: d.get("name") or d.get("vessel_id")),
            Column(QCoreApplication.translate("vessels", "Registration"), lambda d: d.get("registration") or ""),
            Column(QCoreApplication.translate("vessels", "Status"), lambda d: QCoreApplication.translate("vessels", "lost signal") if self._is_lost(d)
                   else QCoreApplication.translate("vessels", STATUS_LABELS.get(d.get("status"), "")) or d.get("status") or "",
                   color=lambda d: vessel_color(d, self._is_lost(d))),
            Column(QCoreApplication.translate("vessels", "Speed (kn)"), lambda d: "" if d.get("sog") is None else f"{d['sog']:.1f}",
                   sort=lambda d: d.get("sog") or 0, align_right=True),
            Column(QCoreApplication.translate("vessels", "Last fix"), lambda d: age_text(signal_age(d)),
                   sort=lambda d: -(signal_age(d) or 0),
                   color=lambda d: STATE_COLORS["warn"] if d.get("vessel_id") in self._late else None),
            Column(QCoreApplication.translate("vessels", "Home port"), lambda d: d.get("home_port") or ""),
        ], tooltip_of=lambda d: [str(d.get("name")), str(d.get("registration")), str(d.get("time"))])
        self.table = KeyedTableView(self.model)
        self.table.keyActivated.connect(lambda key: self.layer.select(key))
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        # the wall: vessel, status, last fix; the longest silent first
        wall_columns(self.table, (0, 2, 4), stretch=0)
        if style_for(context) is not None:
            self.table.sortByColumn(4, QtCore.Qt.SortOrder.AscendingOrder)
        self.area_layer = MapLayer(context.map, "vessel-areas", QCoreApplication.translate("vessels", "Monitored sea areas"),
                                   area_features, z=30, topic=TOPIC)
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("vessels", "Fishing vessels"),
                              lambda key, data: vessel_features(key, data, key in self._lost), z=40)
        self.track_layer = MapLayer(context.map, "vessel-tracks", QCoreApplication.translate("vessels", "Vessel tracks"),
                                     self._track_features, z=35, topic=TOPIC)
        self.panels = [Panel("fleet", QCoreApplication.translate("vessels", "Fishing vessels"), self.table,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]
        self._ages = QtCore.QTimer(self.table, interval=5000)   # "last fix" ages move with time
        self._ages.timeout.connect(self.model.refresh_all)
        self._ages.start()

    def _is_lost(self, data: dict) -> bool:
        return data.get("vessel_id") in self._lost

    def _track_features(self, key: str, data: dict) -> list[dict]:
        points = self.tracks.coords(key)
        if len(points) < 2:
            return []
        return [{"key": key, "kind": "polyline", "coords": points, "color": vessel_color(data, key in self._lost),
                 "weight": 2, "opacity": 0.6, "title": data.get("name") or key, "fields": []}]

    def on_reset(self, state):
        items = state.get(TOPIC, {})
        token = self.tracks.reset(items)      # each track starts at its vessel's position
        self.model.reset(items)
        self.layer.reset(items)
        self.track_layer.reset(items)
        run_read = self.context.run_read
        if run_read is not None and items:
            # the recent tracks from the log (cut at T in review), off the GUI thread;
            # what arrives meanwhile is merged by seq (Tracks.load)
            keys = list(items)
            run_read(lambda conn: read_tracks(conn, keys),
                     lambda history: self._on_tracks(token, history))

    def _on_tracks(self, token: int, history) -> None:
        changed = self.tracks.load(token, history)   # [] if stale (a newer reset) or failed
        if changed:
            items = self.model.items()
            self.track_layer.update({k: items[k] for k in changed if k in items})

    def on_changes(self, topic, ch):
        for ev in ch.events:   # every fix extends its track, not only the newest
            if ev.op == "upsert":
                self.tracks.add(ev.key, ev.seq, ev.data)
            elif ev.op == "delete":
                self.tracks.drop(ev.key, ev.seq)
        if not ch.events:
            for key in ch.deletes:
                self.tracks.drop(key)
        self.model.apply(ch.upserts, ch.deletes)
        self.layer.apply(ch)
        self.track_layer.update(ch.upserts, ch.deletes)

    def on_review(self, at):
        super().on_review(at)
        self.model.refresh_all()            # "last fix" ages: at T in review, else now

    def on_view(self, view, changed):
        if "areas" in changed:
            self.area_layer.reset({a["id"]: a for a in view.get("areas") or ()})
        if changed & {"lost_keys", "late_keys"}:
            lost, late = set(view.get("lost_keys") or ()), set(view.get("late_keys") or ())
            moved = (lost ^ self._lost) | (late ^ self._late)
            self._lost, self._late = lost, late
            items = self.model.items()
            moved = {k: items[k] for k in moved if k in items}
            if moved:
                self.model.apply(moved)
                self.layer.update(moved)
                self.track_layer.update(moved)

    def kpis(self) -> list[Kpi]:
        lost = self.view.get("lost") or 0
        return [Kpi(QCoreApplication.translate("vessels", "at sea"), str(self.view.get("at_sea") or 0)),
                Kpi(QCoreApplication.translate("vessels", "lost signal"), str(lost), abnormal=lost)]

    def select(self, topic, key):
        self.table.select_key(key)
