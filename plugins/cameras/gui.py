"""The cameras GUI: a grid of the latest snapshots (cameras needing attention first), the
list of detections and the cameras on the map.

A view: the grid's order, the colours (which camera needs attention), the figures, the
detection episodes and since when a camera is offline come from the model
(:mod:`plugins.cameras.model`) through :meth:`CamerasGui.on_view`; the alarms (flooded
street, crowd, offline) are the engine's (:mod:`plugins.cameras.rules`).  The GUI keeps
the pictures: fetching snapshots is its own business."""
from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.image_tile import ImageTile, TileGrid
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import local_time, parse_time, tooltip
from widgets.theme import STATE_COLORS
from widgets.wall_style import style_for, wall_columns, wall_hidden
from widgets.table_base import fit_columns

from .model import DETECTION, FLOOD, MAX_EPISODES, NORMAL, OFFLINE
from .schema import CROWD, FLOOD_ALARM_CONFIDENCE, FLOODED_STREET, TOPIC, TRAFFIC_VIOLATION, detection_of

KIND_LABELS = {
    FLOODED_STREET: QT_TRANSLATE_NOOP("cameras", "flooded street"),
    CROWD: QT_TRANSLATE_NOOP("cameras", "crowd"),
    TRAFFIC_VIOLATION: QT_TRANSLATE_NOOP("cameras", "traffic violation"),
}
ALARM, WARN, STALE, INFO = STATE_COLORS["alarm"], STATE_COLORS["warn"], STATE_COLORS["stale"], STATE_COLORS["info"]
#: Detections kept in the list (the model's episodes and the ended ones read back).
MAX_DETECTIONS = MAX_EPISODES
#: Snapshot requests out at once (the fetcher works through them one by one anyway).
MAX_IN_FLIGHT = 3
#: After a failed fetch, the same URL is retried after this long.
RETRY_S = 30.0
#: Events read back from the cache at start to rebuild the detections list.
HISTORY_EVENTS = 20_000


def kind_label(kind: str | None) -> str:
    if kind in KIND_LABELS:
        return QCoreApplication.translate("cameras", KIND_LABELS[kind])
    return (kind or "").replace("_", " ")


def detection_text(det: dict | None) -> str:
    if not det:
        return ""
    return f"{kind_label(det.get('kind'))} {det.get('confidence') or 0.0:.0%}"


def camera_color(rank: int) -> str:
    """Map/tile colour from the camera's attention rank (the model's): red for a flooded
    street, amber for another detection, grey offline."""
    return {FLOOD: ALARM, DETECTION: WARN, OFFLINE: STALE}.get(rank, INFO)


def camera_features(key: str, data: dict, rank: int = NORMAL) -> list[dict]:
    det = detection_of(data)
    online = data.get("online")
    fields = [[QCoreApplication.translate("cameras", "Camera"), str(data.get("camera_id") or key)],
              [QCoreApplication.translate("cameras", "Status"),
               QCoreApplication.translate("cameras", "online") if online else QCoreApplication.translate("cameras", "OFFLINE")]]
    if det:
        fields.append([QCoreApplication.translate("cameras", "Detection"), detection_text(det)])
        fields.append([QCoreApplication.translate("cameras", "Since"), local_time(det.get("time"), "%d/%m %H:%M:%S")])
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
        "radius": 8 if det else 6, "fill": camera_color(rank), "color": "#0b0e11",
        "title": data.get("name") or key, "fields": fields,
    }]


@dataclass
class Snapshot:
    url: str
    image: QtGui.QImage
    fetched_at: float | None
    from_cache: bool


class CameraPanel(QtWidgets.QWidget):
    """Headline figures, the snapshot grid and the detections list."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        head = QtWidgets.QGridLayout()
        head.setHorizontalSpacing(18)
        head.setVerticalSpacing(0)
        self.figures: dict[str, QtWidgets.QLabel] = {}
        for i, name in enumerate(("online", "offline", "detections", "flood")):
            label = QtWidgets.QLabel(objectName=f"cameraFigure-{name}")
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            font = label.font()
            font.setPointSize(18)
            font.setBold(True)
            label.setFont(font)
            self.figures[name] = label
            head.addWidget(label, i // 2, i % 2)
        head.setColumnStretch(2, 1)
        layout.addLayout(head)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        self.grid = TileGrid(min_tile_width=250)
        self.grid.setMinimumHeight(180)
        self.splitter.addWidget(self.grid)
        layout.addWidget(self.splitter, 1)

    def set_figure(self, name: str, text: str, color: str | None) -> None:
        label = self.figures[name]
        label.setText(text)
        label.setStyleSheet(f"color: {color};" if color else "")


class CamerasGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        self.fetch_media = context.fetch_media
        self.items: dict[str, dict] = {}
        self.tiles: dict[str, ImageTile] = {}
        self.snapshots: dict[str, Snapshot] = {}
        self._in_flight: dict[str, str] = {}           # key -> URL being fetched
        self._failed: dict[str, tuple[str, float, str]] = {}   # key -> (URL, when, error)
        self._history: dict[str, dict] = {}            # ended detections read from the cache
        self._history_token = 0                        # the newest read asked for
        self._selected: str | None = None
        self._order: list[str] = []

        self.panel = CameraPanel()
        self.detections = KeyedTableModel([
            Column(QCoreApplication.translate("cameras", "Time"), lambda d: local_time(d.get("time"), "%H:%M:%S"),
                   sort=lambda d: parse_time(d.get("time")) or 0),
            Column(QCoreApplication.translate("cameras", "Camera"), lambda d: d.get("name") or d.get("camera_id")),
            Column(QCoreApplication.translate("cameras", "Detection"), lambda d: kind_label(d.get("kind")),
                   color=lambda d: (ALARM if d.get("kind") == FLOODED_STREET and d.get("confidence", 0) >= FLOOD_ALARM_CONFIDENCE
                                    else WARN) if d.get("active") else None),
            Column(QCoreApplication.translate("cameras", "Confidence"), lambda d: f"{d.get('confidence', 0):.0%}",
                   sort=lambda d: d.get("confidence", 0), align_right=True),
            Column(QCoreApplication.translate("cameras", "State"),
                   lambda d: QCoreApplication.translate("cameras", "active") if d.get("active")
                   else QCoreApplication.translate("cameras", "ended {0}").format(local_time(d.get("ended"), "%H:%M:%S")),
                   sort=lambda d: 0 if d.get("active") else 1,
                   color=lambda d: None if d.get("active") else STALE),
        ], tooltip_of=lambda d: [str(d.get("name") or ""), str(d.get("camera_id") or ""), detection_text(d)])
        self.table = KeyedTableView(self.detections)
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.keyActivated.connect(lambda k: self._activate((self.detections.item(k) or {}).get("camera_id")))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        fit_columns(self.table, (0, 2, 3, 4))
        header.setStretchLastSection(False)
        self.panel.splitter.addWidget(self.table)
        self.panel.splitter.setCollapsible(0, False)
        self.panel.splitter.setStretchFactor(0, 3)
        self.panel.splitter.setStretchFactor(1, 1)
        self.panel.splitter.setSizes([750, 250])

        wall_columns(self.table, (0, 1, 2), stretch=1)
        self.wall = style_for(context)
        if self.wall is not None:
            # the wall: a fixed grid of the cameras needing attention first, nothing else
            # (the figures are on the overview's tile, the detections in the alarms)
            options = context.wall_options or {}
            self.panel.grid.set_fixed_grid(options.get("cols") or 2, options.get("rows") or 2)
            self.panel.grid.set_wall_style(self.wall)
            wall_hidden(self.table, *self.panel.figures.values())
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("cameras", "City cameras"),
                              lambda key, data: camera_features(key, data, self._rank(key)), z=45)
        self.panels = [Panel("grid", QCoreApplication.translate("cameras", "City cameras"), self.panel,
                             QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, tabbed=True)]
        self._retry = QtCore.QTimer(self.panel, interval=int(RETRY_S * 1000))
        self._retry.timeout.connect(self._pump)
        self._retry.start()
        self._update_figures()

    # ------------------------------------------------------------------ the view's flags
    def _rank(self, key: str) -> int:
        return (self.view.get("attention") or {}).get(key, NORMAL)

    def _current_episode(self, key: str) -> str | None:
        for ep_key, ep in (self.view.get("episodes") or {}).items():
            if ep.get("camera_id") == key and ep.get("active"):
                return ep_key
        return None

    # ------------------------------------------------------------------ data
    def on_reset(self, state):
        items = state.get(TOPIC, {})
        for key in list(self.items):
            if key not in items:
                self._remove(key)
        self.items = dict(items)
        self._history = {}                   # read again below
        self._show_detections()
        for key in items:
            self._tile_for(key)
        self.layer.reset(items)
        for key in items:
            self._update_tile(key)
        self._reorder()
        self._pump()
        # the ended detections from the log (in review: cut at T); a read answered after
        # a newer reset (review jumps) is dropped, not mixed with the newer one's
        self._history_token += 1
        run_read = self.context.run_read
        if run_read is not None and items:
            token = self._history_token
            run_read(_read_history, lambda rows: self._on_history(rows, token))

    def on_changes(self, topic, ch):
        for key in ch.deletes:
            self._remove(key)
        for key, data in ch.upserts.items():
            self.items[key] = data
            self._tile_for(key)
            self._update_tile(key)
        self.layer.apply(ch)
        self._reorder()
        self._pump()

    def on_view(self, view, changed):
        if "attention" in changed or "offline_since" in changed:
            for key in self.items:
                self._update_tile(key)
            self.layer.update(self.items)
        if "episodes" in changed:
            self._show_detections()
        if "order" in changed:
            self._reorder()
        self._update_figures()

    def _remove(self, key: str) -> None:
        self.items.pop(key, None)
        tile = self.tiles.pop(key, None)
        if tile is not None:
            tile.deleteLater()
        self.snapshots.pop(key, None)
        self._failed.pop(key, None)

    # ------------------------------------------------------------------ detections list
    def _show_detections(self) -> None:
        """The model's episodes, and the ended ones read back from the cache that the
        model does not have (it starts from the state): newest kept."""
        rows = dict(self._history)
        rows.update(self.view.get("episodes") or {})
        if len(rows) > MAX_DETECTIONS:
            keep = sorted(rows, key=lambda k: (rows[k].get("active", False), parse_time(rows[k].get("time")) or 0))
            for k in keep[: len(rows) - MAX_DETECTIONS]:
                del rows[k]
        shown = self.detections.items()
        gone = [k for k in shown if k not in rows]
        upserts = {k: r for k, r in rows.items() if shown.get(k) != r}
        if gone or upserts:
            self.detections.apply(upserts, gone)

    def _on_history(self, rows, token: int | None = None) -> None:
        """Past detections from the cache's event log (ended ones the state no longer has);
        ``token``: the reset it was read for (an older one's is dropped)."""
        if not rows or (token is not None and token != self._history_token):
            return
        for key, name, kind, confidence, det_time, ended in rows:
            det_key = f"{key}|{det_time}|{kind}"
            try:
                confidence = float(confidence)
            except (TypeError, ValueError):
                confidence = 0.0
            self._history[det_key] = {"camera_id": key, "name": name, "kind": kind, "confidence": confidence,
                                      "time": det_time, "active": False, "ended": ended}
        self._show_detections()

    # ------------------------------------------------------------------ tiles
    def _tile_for(self, key: str) -> ImageTile:
        tile = self.tiles.get(key)
        if tile is None:
            tile = ImageTile()
            tile.setObjectName(f"camera-{key}")
            tile.set_placeholder(QCoreApplication.translate("cameras", "loading snapshot…"))
            tile.clicked.connect(lambda k=key: self._activate(k))
            tile.doubleClicked.connect(lambda k=key: self._enlarge(k))
            self.tiles[key] = tile
        return tile

    def _update_tile(self, key: str) -> None:
        data = self.items.get(key)
        tile = self.tiles.get(key)
        if data is None or tile is None:
            return
        det = detection_of(data)
        online = bool(data.get("online"))
        rank = self._rank(key)
        tile.set_caption(data.get("name") or key)
        if det:
            flood = rank == FLOOD
            tile.set_badge(self._badge_text(det), ALARM if flood else WARN, "#ffffff" if flood else "#111111")
        else:
            tile.set_badge("")
        tile.set_status("" if online else QCoreApplication.translate("cameras", "OFFLINE"), ALARM)
        tile.set_dimmed(not online)
        tile.set_frame_color(None if rank == NORMAL else camera_color(rank))
        snap = self.snapshots.get(key)
        tile.set_note(self._note(key, data, snap))
        lines = [data.get("name") or key, str(data.get("camera_id") or key),
                 QCoreApplication.translate("cameras", "online") if online else QCoreApplication.translate("cameras", "OFFLINE")]
        if snap is None and key in self._failed:
            # the downloader's words are technical (English): in the tooltip only
            tile.set_placeholder(QCoreApplication.translate("cameras", "no snapshot"))
            lines.append(QCoreApplication.translate("cameras", "technical details: {0}").format(
                self._failed[key][2][:200]))
        if det:
            lines.append(QCoreApplication.translate("cameras", "{0} since {1}").format(
                detection_text(det), local_time(det.get("time"), "%d/%m %H:%M:%S")))
        if snap is not None and snap.fetched_at:
            lines.append(QCoreApplication.translate("cameras", "snapshot fetched {0}").format(
                time.strftime("%d/%m %H:%M:%S", time.localtime(snap.fetched_at))))
        tile.setToolTip(tooltip(*lines))

    def _badge_text(self, det: dict) -> str:
        """What a tile's badge says: on the wall the figure first, so that a narrow
        tile elides the words, never the number ("87% FLOODED STREET")."""
        if self.wall is None:
            return detection_text(det).upper()
        return f"{det.get('confidence') or 0.0:.0%} {kind_label(det.get('kind'))}".upper()

    def _note(self, key: str, data: dict, snap: Snapshot | None) -> str:
        if snap is not None and snap.from_cache:
            when = local_time(_iso(snap.fetched_at), "%H:%M") if snap.fetched_at else "?"
            return QCoreApplication.translate("cameras", "cached image from {0}").format(when)
        since = (self.view.get("offline_since") or {}).get(key)
        if not data.get("online") and since:
            return QCoreApplication.translate("cameras", "offline since {0}").format(local_time(since, "%H:%M:%S"))
        return ""

    def _reorder(self) -> None:
        """The grid in the model's order (cameras it has not seen yet last)."""
        order = [k for k in self.view.get("order") or () if k in self.tiles]
        placed = set(order)
        order += [k for k in self.items if k in self.tiles and k not in placed]
        if order != self._order:
            self._order = order
            self.panel.grid.set_order([self.tiles[k] for k in order])

    def _update_figures(self) -> None:
        view = self.view
        total, offline = view.get("total") or 0, view.get("offline") or 0
        dets, floods = view.get("detections") or 0, view.get("flooded") or 0
        fig = self.panel.set_figure
        fig("online", QCoreApplication.translate("cameras", "{0}/{1} online").format(total - offline, total), None)
        fig("offline", QCoreApplication.translate("cameras", "{0} offline").format(offline), ALARM if offline else STALE)
        fig("detections", QCoreApplication.translate("cameras", "%n detection(s)", "", dets), WARN if dets else STALE)
        fig("flood", QCoreApplication.translate("cameras", "{0} flooded").format(floods), ALARM if floods else STALE)

    # ------------------------------------------------------------------ snapshots
    def _pump(self) -> None:
        """Request the snapshots whose URL changed, most urgent cameras first."""
        if self.fetch_media is None:
            return
        now = time.monotonic()
        for key in self._order or list(self.items):
            if len(self._in_flight) >= MAX_IN_FLIGHT:
                return
            data = self.items.get(key)
            url = data.get("snapshot_url") if data else None
            if not url or key in self._in_flight:
                continue
            snap = self.snapshots.get(key)
            if snap is not None and snap.url == url and not snap.from_cache:
                continue
            failed = self._failed.get(key)
            if failed is not None and failed[0] == url and now - failed[1] < RETRY_S:
                continue
            self._in_flight[key] = url
            self.fetch_media(url, lambda result, k=key, u=url: self._on_media(k, u, result))

    def _on_media(self, key: str, url: str, result) -> None:
        self._in_flight.pop(key, None)
        if key not in self.items:
            return
        image = QtGui.QImage.fromData(result.data) if getattr(result, "data", None) else QtGui.QImage()
        if not image.isNull():
            self.snapshots[key] = Snapshot(url, image, result.fetched_at, bool(result.from_cache))
            self.tiles[key].set_image(image)
            if result.from_cache:
                self._failed[key] = (url, time.monotonic(), str(result.error or ""))
            else:
                self._failed.pop(key, None)
        else:
            self._failed[key] = (url, time.monotonic(),
                                 str(getattr(result, "error", None) or QCoreApplication.translate("cameras", "not an image")))
        self._update_tile(key)
        self._pump()

    # ------------------------------------------------------------------ selection
    def _activate(self, key: str | None) -> None:
        if not key or key not in self.items:
            return
        self.select(TOPIC, key)
        self.layer.select(key)

    def select(self, topic, key):
        if self._selected in self.tiles:
            self.tiles[self._selected].set_selected(False)
        self._selected = key
        tile = self.tiles.get(key)
        if tile is not None:
            tile.set_selected(True)
            self.panel.grid.ensure_visible(tile)
        current = self._current_episode(key)
        if current:
            self.table.select_key(current)

    def _enlarge(self, key: str) -> None:
        """A bigger view of one camera's snapshot."""
        data = self.items.get(key)
        if data is None:
            return
        dialog = QtWidgets.QDialog(self.panel)
        dialog.setWindowTitle(data.get("name") or key)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose, True)
        big = ImageTile(dialog)
        src = self.tiles[key]
        big.set_image(src.image())
        big.set_caption(src.caption())
        flood = self._rank(key) == FLOOD
        big.set_badge(src.badge(), ALARM if flood else WARN, "#ffffff" if flood else "#111111")
        big.set_status(src.status(), ALARM)
        big.set_note(src.note())
        big.set_dimmed(src.is_dimmed())
        layout = QtWidgets.QVBoxLayout(dialog)
        layout.addWidget(big)
        dialog.resize(980, 600)
        dialog.show()

    def kpis(self) -> list[Kpi]:
        view = self.view
        total, offline = view.get("total") or 0, view.get("offline") or 0
        dets, floods = view.get("detections") or 0, view.get("flooded") or 0
        tip = QCoreApplication.translate("cameras", "{0} offline, {1} detections ({2} flooded streets)").format(
            offline, dets, floods)
        return [Kpi(QCoreApplication.translate("cameras", "cameras online"), f"{total - offline}/{total}",
                    abnormal=offline + dets, tooltip=tip),
                Kpi(QCoreApplication.translate("cameras", "detections"), str(dets), tooltip=tip)]


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    from datetime import datetime, timezone
    return datetime.fromtimestamp(ts, timezone.utc).isoformat()


def _read_history(conn) -> list[tuple]:
    """Detections in the newest cached camera events: one row per (camera, detection),
    with when the camera was next seen without it (None if not seen)."""
    rows = conn.execute(
        "SELECT key, time, json_extract(data, '$.name'), json_extract(data, '$.detection.kind'), "
        "json_extract(data, '$.detection.confidence'), json_extract(data, '$.detection.time') "
        "FROM (SELECT key, time, data, seq FROM events WHERE topic = ? AND op = 'upsert' "
        "      ORDER BY seq DESC LIMIT ?) ORDER BY seq", (TOPIC, HISTORY_EVENTS)).fetchall()
    out: dict[tuple, list] = {}
    current: dict[str, tuple] = {}
    for key, ev_time, name, kind, confidence, det_time in rows:
        det = (kind, det_time) if kind else None
        prev = current.get(key)
        if prev is not None and prev != det:
            entry = out.get((key,) + prev)
            if entry is not None and entry[5] is None:
                entry[5] = ev_time
        if det is not None and (key,) + det not in out:
            out[(key,) + det] = [key, name, kind, confidence, det_time, None]
        current[key] = det
    return [tuple(v) for v in out.values() if v[5] is not None]
