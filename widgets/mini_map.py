"""A small static map: the offline basemap outline and one point, drawn with QPainter.

For a details pane: where is this one item?  A second Leaflet page (QtWebEngine) would
cost a renderer process and tens of MB for a 300×200 picture; this draws the province's
hand-simplified outline, its lagoon and rivers from ``resources/basemap/hue.geojson``
(the same file the main map shows) and the point, in a few milliseconds, offline.
Click toggles between a close-up around the point and the whole province.

Knows no service.  GUI thread only; the basemap (a few KB, shipped with the app) is
read once per process.
"""
from __future__ import annotations

import functools
import importlib.resources
import json
import math

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.theme import ALARM, BORDER, TEXT_MUTED

Qt = QtCore.Qt
LAND, NEIGHBOUR, LAGOON, RIVER, OUTLINE = "#f4f1e8", "#e6e2d9", "#a7cfe0", "#8fbfd4", "#9a8fb5"
SEA = "#cfe3ec"
CLOSE_SPAN_DEG = 0.10           # half the height of the close-up, in degrees of latitude


@functools.lru_cache(maxsize=1)
def basemap() -> dict:
    path = importlib.resources.files("resources") / "basemap" / "hue.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def _bounds(features) -> tuple[float, float, float, float]:
    lons, lats = [], []
    for f in features:
        geom = f["geometry"]
        coords = geom["coordinates"]
        rings = {"Polygon": coords, "LineString": [coords], "Point": [[coords]]}.get(geom["type"], [])
        for ring in rings:
            for lon, lat in ring:
                lons.append(lon)
                lats.append(lat)
    return min(lons), min(lats), max(lons), max(lats)


class MiniMap(QtWidgets.QWidget):
    clicked = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(220, 150)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.point: tuple[float, float] | None = None     # (lat, lon)
        self.close_up = True
        self.caption = ""
        self._features = basemap().get("features", [])
        city = [f for f in self._features if f.get("properties", {}).get("role") == "city"]
        self._province = _bounds(city or self._features)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 (Qt API)
        return QtCore.QSize(320, 200)

    def set_point(self, lat: float | None, lon: float | None, caption: str = "") -> None:
        self.point = (lat, lon) if lat is not None and lon is not None else None
        self.caption = caption
        self.update()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.close_up = not self.close_up
        self.update()
        self.clicked.emit()

    # ------------------------------------------------------------------ drawing
    def _view(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of what is shown, at the widget's aspect ratio."""
        w, h = max(1, self.width()), max(1, self.height())
        if self.close_up and self.point is not None:
            lat, lon = self.point
            half_lat = CLOSE_SPAN_DEG
        else:
            west, south, east, north = self._province
            lat, lon = (south + north) / 2, (west + east) / 2
            k = math.cos(math.radians(lat))
            half_lat = max((north - south) / 2, (east - west) / 2 * k * h / w) * 1.05
        k = math.cos(math.radians(lat))
        half_lon = half_lat * w / h / k
        return lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        west, south, east, north = self._view()

        def xy(lon, lat) -> QtCore.QPointF:
            return QtCore.QPointF((lon - west) / (east - west) * w, (north - lat) / (north - south) * h)

        p.fillRect(self.rect(), QtGui.QColor(SEA))
        for f in self._features:
            geom, props = f["geometry"], f.get("properties", {})
            kind = props.get("kind")
            if geom["type"] == "Polygon":
                poly = QtGui.QPolygonF([xy(lon, lat) for lon, lat in geom["coordinates"][0]])
                if kind == "lagoon":
                    p.setPen(QtGui.QPen(QtGui.QColor(RIVER), 1))
                    p.setBrush(QtGui.QColor(LAGOON))
                elif props.get("role") == "city":
                    p.setPen(QtGui.QPen(QtGui.QColor(OUTLINE), 1.5, Qt.PenStyle.DashLine))
                    p.setBrush(QtGui.QColor(LAND))
                else:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QtGui.QColor(NEIGHBOUR))
                p.drawPolygon(poly)
            elif geom["type"] == "LineString":
                p.setPen(QtGui.QPen(QtGui.QColor(RIVER), 2.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolyline(QtGui.QPolygonF([xy(lon, lat) for lon, lat in geom["coordinates"]]))
        font = QtGui.QFont(self.font())
        font.setPointSize(max(8, font.pointSize() - 3))
        p.setFont(font)
        for f in self._features:
            geom, props = f["geometry"], f.get("properties", {})
            if geom["type"] == "Point" and props.get("name"):
                pt = xy(*geom["coordinates"])
                if 0 <= pt.x() <= w and 0 <= pt.y() <= h:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QtGui.QColor("#5b5560"))
                    p.drawEllipse(pt, 2.5, 2.5)
                    p.setPen(QtGui.QColor("#3b3540"))
                    p.drawText(pt + QtCore.QPointF(4, -3), props["name"])
        if self.point is not None:
            pt = xy(self.point[1], self.point[0])
            p.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 3))
            p.setBrush(QtGui.QColor(ALARM))
            p.drawEllipse(pt, 7, 7)
            p.setPen(QtGui.QPen(QtGui.QColor(ALARM), 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(pt, 14, 14)
        else:
            p.setPen(QtGui.QColor(TEXT_MUTED))
            p.fillRect(self.rect(), QtGui.QColor(0, 0, 0, 110))
            p.setPen(QtGui.QColor("#ffffff"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       QtCore.QCoreApplication.translate("MiniMap", "no position"))
        if self.caption:
            # plain text drawn by QPainter: a feed's text is never interpreted
            metrics = QtGui.QFontMetrics(font)
            text = metrics.elidedText(self.caption, Qt.TextElideMode.ElideRight, w - 12)
            band = QtCore.QRectF(0, h - metrics.height() - 6, w, metrics.height() + 6)
            p.fillRect(band, QtGui.QColor(0, 0, 0, 150))
            p.setPen(QtGui.QColor("#ffffff"))
            p.drawText(band.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        p.setPen(QtGui.QPen(QtGui.QColor(BORDER), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()
