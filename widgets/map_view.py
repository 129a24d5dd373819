"""The live map: a folium-generated Leaflet page in a QWebEngineView, fully offline.

The page loads Leaflet from the ``xstatic-leaflet`` package and our glue
(``resources/map/ioc_map.js``) from disk, draws the hand-made basemap of Huế, and may
add one configured tile server, or the tiles of an MBTiles file through its own
``mbtiles://`` scheme (:mod:`widgets.tile_scheme`; missing tiles show the basemap).  Nothing else is loaded: a request interceptor lets
through only local schemes and that tile server (and counts what it blocks); with no
tile server Chromium's local-content rule refuses remote loads even before that.

Data reaches the page as *diffs*: :meth:`MapView.apply_diff` only merges into a pending
diff per layer; the next turn of the event loop sends every pending layer in ONE
``runJavaScript`` call, and the next one waits until the page reports it has drawn
the last (``ioc.frame`` -> ``bridge.frameDrawn``): one diff in flight, coalesced per
frame of the page.  The widget keeps a mirror of what it sent so the page can be
rebuilt after a reload or a renderer crash.  It knows nothing about any service.

Points -- the hot path: reports, vessels, cameras, stations -- travel compactly: each
gets a small integer id per layer; positions go as base64 ``Int32Array`` of 1e-7
degrees, styles (a shared table per layer) and titles only when they change
(:class:`_PointDiff`); a point's popup fields stay here until the page shows its popup
and asks for them (``bridge.fieldsWanted``), and may be made only then
(:class:`~widgets.map_layer.PopupFields`); :meth:`MapView.move_points` moves known points from
arrays without building a feature at all.  The page draws them on one canvas per
layer from typed arrays and aggregates overlapping markers into counted circles below
a zoom (``resources/map/ioc_map.js``).  Areas, circles and tracks (few) go as JSON
features to Leaflet vector objects.

GUI thread only.
"""
from __future__ import annotations

import atexit
import base64
import hashlib
import html
import json
import logging
import math
import os
import tempfile
import weakref
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import numpy as np
import orjson
import shiboken6
import xstatic.pkg.leaflet as xstatic_leaflet
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from widgets.map_layer import PopupFields, fields_of
from widgets import tile_scheme      # registers mbtiles:// (before the QApplication, if imported first)

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
GLUE_JS = RESOURCES / "map" / "ioc_map.js"
GLUE_CSS = RESOURCES / "map" / "ioc_map.css"
BASEMAP = RESOURCES / "basemap" / "hue.geojson"
LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
# Qt WebEngine ships this file in its resources; a file:// page may load qrc: URLs.
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"

LOCAL_SCHEMES = frozenset({"file", "qrc", "data", "blob", tile_scheme.SCHEME.decode()})
FLUSH_INTERVAL_MS = 0         # the next turn of the event loop: every diff of this one, together
ACK_TIMEOUT_MS = 1000         # no "drawn" from the page by then: send the next diff anyway
MAX_STYLES = 65535            # point styles per layer (the page keeps one sprite each)
BASEMAP_TITLE = "Bản đồ nền (ngoại tuyến)"
BASEMAP_ATTRIBUTION = "Bản đồ nền: phác họa giản lược, không phải số liệu đo đạc"


def wall_css(cap_px: float, device_pixel_ratio: float = 1.0) -> str:
    """CSS for a map on a wall window: every text of the page (place labels, tooltips,
    popups, attribution, scale, the "not current" label) with capitals of at least
    ``cap_px`` device pixels; no controls to handle (layers, zoom): a wall is watched.
    DejaVu/Noto capitals are ~0.73 em: the font size is the cap height / 0.70, rounded
    up (checked in the page by :meth:`MapView.wall_text_check`)."""
    px = int(math.ceil(cap_px / max(device_pixel_ratio, 0.1) / 0.70)) + 1
    return (
        f".leaflet-container, .leaflet-container * {{ font-size: {px}px !important;"
        f" line-height: 1.2 !important; }}\n"
        f".leaflet-tooltip.ioc-label {{ font-weight: 700; }}\n"
        f".leaflet-control-attribution {{ padding: 2px 10px !important; }}\n"
        f".leaflet-control-scale-line {{ padding: 2px 8px !important; border-width: 3px !important; }}\n"
        f".ioc-tooltip {{ max-width: 60vw !important; }}\n"
        f".leaflet-popup-content {{ width: auto !important; max-width: 60vw !important; }}\n"
        f".leaflet-control-layers, .leaflet-control-zoom {{ display: none !important; }}\n"
    )


#: JS: every visible text of the page with its capitals' height in device px (canvas
#: measureText of "H" in the element's computed font × devicePixelRatio).
WALL_TEXT_JS = """(function () {
  var out = [], ctx = document.createElement('canvas').getContext('2d');
  var all = document.querySelectorAll('.leaflet-container *');
  for (var i = 0; i < all.length; i++) {
    var e = all[i], own = '';
    for (var j = 0; j < e.childNodes.length; j++) {
      if (e.childNodes[j].nodeType === 3) { own += e.childNodes[j].textContent; }
    }
    own = own.trim();
    if (!own) { continue; }
    var st = getComputedStyle(e), r = e.getBoundingClientRect();
    if (st.display === 'none' || st.visibility === 'hidden' || r.width === 0 || r.height === 0) { continue; }
    ctx.font = st.fontStyle + ' ' + st.fontWeight + ' ' + st.fontSize + ' ' + st.fontFamily;
    var m = ctx.measureText('H');
    var c = e;          // the nearest element with a class names it (a label's span)
    while (c && !(typeof c.className === 'string' && c.className)) { c = c.parentElement; }
    out.push({text: own.slice(0, 60), cls: c ? c.className : e.tagName,
              fontSize: parseFloat(st.fontSize),
              cap: m.actualBoundingBoxAscent * (window.devicePixelRatio || 1)});
  }
  return JSON.stringify(out);
})()"""


def _json_default(value: Any) -> Any:
    """What orjson can't write: lazy popup fields are made, anything else is its text."""
    if isinstance(value, PopupFields):
        return value()
    return str(value)


def js_literal(value: Any) -> str:
    """``value`` as a JS expression that is safe inside runJavaScript and inside <script>.

    JSON is a JS expression except for U+2028/U+2029 in older engines; ``<`` is escaped
    so a ``</script>`` in feed text cannot end an inline script.  These characters only
    occur inside JSON strings, where the ``\\uXXXX`` form means the same.
    """
    # orjson: the map's diffs are the GUI thread's largest JSON (the standard library's
    # encoder was a tenth of its busy time at 2,000 events/s)
    text = orjson.dumps(value, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode()
    return (text.replace("<", "\\u003c")
                .replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029"))


# Views still alive when Python exits (e.g. deleteLater() posted but never processed,
# as pytest-qt does).  QtWebEngine's own exit cleanup then releases their profile while
# the page lives: "Release of profile requested but WebEnginePage still not deleted",
# sometimes a crash.  Deleting each such view first runs the normal child order.
_live_views: "weakref.WeakSet[MapView]" = weakref.WeakSet()


@atexit.register   # runs before PySide's own exit cleanup (registered earlier: LIFO)
def _delete_live_views() -> None:
    for view in list(_live_views):
        if shiboken6.isValid(view):
            shiboken6.delete(view)


def build_map_html(center: tuple[float, float], zoom: int, tile_url: str | None = None,
                   mbtiles: dict[str, Any] | None = None) -> str:
    """The map page: Leaflet + glue from local files, the basemap embedded as JSON.
    ``mbtiles``: a tile layer on ``mbtiles://`` instead of ``tile_url`` (``attribution``,
    ``max_native_zoom``); a missing tile is transparent, the basemap shows through.

    folium generates it.  Importing folium (jinja2, branca, requests) costs about half
    a second of the GUI thread, so the page is kept in the user's cache folder, keyed
    by everything it is made of (folium's version included); a start with the same
    inputs reads it back without importing folium.  An unwritable cache only costs
    that half second."""
    init = {
        "basemap": json.loads(BASEMAP.read_text(encoding="utf-8")),
        "basemapTitle": BASEMAP_TITLE,
        "attribution": BASEMAP_ATTRIBUTION,
        #: On hovering a counted circle of map markers; {0}: how many markers it stands for.
        "clusterTip": QCoreApplication.translate("MapView", "{0} markers here: click to zoom in"),
    }
    inputs = json.dumps([list(center), zoom, tile_url, mbtiles, init, _folium_version(),
                         str(LEAFLET_DIR), QWEBCHANNEL_JS, str(GLUE_JS), str(GLUE_CSS),
                         tile_scheme.TEMPLATE], sort_keys=True, default=str)
    cached = page_cache_dir() / f"map-{hashlib.sha256(inputs.encode()).hexdigest()[:32]}.html"
    try:
        page = cached.read_text(encoding="utf-8")
        if page.rstrip().endswith("</html>"):     # whole (else: made again below)
            return page
    except (OSError, UnicodeDecodeError):
        pass
    page = _render_with_folium(center, zoom, tile_url, mbtiles, init)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, cached)            # whole or absent, even with two consoles
    except OSError as exc:
        log.info("map page not cached (%s): generated at each start", exc)
    return page


def page_cache_dir() -> Path:
    """Where generated map pages are kept (``$XDG_CACHE_HOME``, else ``~/.cache``)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "hueioc-desktop" / "map-pages"


def _folium_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("folium")
    except PackageNotFoundError:
        return "?"


def _render_with_folium(center: tuple[float, float], zoom: int, tile_url: str | None,
                        mbtiles: dict[str, Any] | None, init: dict[str, Any]) -> str:
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    class IocInit(MacroElement):
        """Calls ``ioc.init(map, options)`` right after folium creates the Leaflet map."""

        _template = Template(
            "{% macro script(this, kwargs) %}\n"
            "ioc.init({{ this._parent.get_name() }}, {{ this.options_js }});\n"
            "{% endmacro %}"
        )

        def __init__(self, options: dict[str, Any]):
            super().__init__()
            self._name = "IocInit"
            self.options_js = js_literal(options)

    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None,
                      prefer_canvas=True, control_scale=True)
    # Replace folium's CDN assets (leaflet, jquery, bootstrap, awesome-markers...) with
    # local files: the map must work with no network and load no remote script.
    fmap.default_js = [
        ("leaflet", (LEAFLET_DIR / "leaflet.js").as_uri()),
        ("qwebchannel", QWEBCHANNEL_JS),
        ("ioc_map", GLUE_JS.as_uri()),
    ]
    fmap.default_css = [
        ("leaflet_css", (LEAFLET_DIR / "leaflet.css").as_uri()),
        ("ioc_map_css", GLUE_CSS.as_uri()),
    ]
    if mbtiles is not None:
        folium.TileLayer(tiles=tile_scheme.TEMPLATE, attr=html.escape(mbtiles.get("attribution") or "Tiles"),
                         name="Tiles", overlay=False, control=False, max_zoom=19,
                         max_native_zoom=mbtiles.get("max_native_zoom") or 19,
                         error_tile_url=tile_scheme.TRANSPARENT_PNG).add_to(fmap)
    elif tile_url:
        # Tile pane (z 200) sits above the basemap pane and below every data layer.
        folium.TileLayer(tiles=tile_url, attr="Local tiles", name="Tiles",
                         overlay=False, control=False, max_zoom=19).add_to(fmap)
    fmap.add_child(IocInit(init))
    return fmap.get_root().render()


class _LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request except local schemes and the configured tile server."""

    def __init__(self, tile_url: str | None, parent: QObject):
        super().__init__(parent)
        self.blocked = 0
        self.blocked_urls: deque[str] = deque(maxlen=50)
        self._tile_origin: tuple[str, str, int] | None = None
        if tile_url:
            parts = urlsplit(tile_url)
            default_port = 443 if parts.scheme == "https" else 80
            self._tile_origin = (parts.scheme, (parts.hostname or "").lower(),
                                 parts.port or default_port)

    def interceptRequest(self, info) -> None:  # noqa: N802 (Qt override)
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme in LOCAL_SCHEMES:
            return
        if self._tile_origin is not None:
            t_scheme, t_host, t_port = self._tile_origin
            default_port = 443 if scheme == "https" else 80
            if scheme == t_scheme and url.host().lower() == t_host and url.port(default_port) == t_port:
                return
        info.block(True)
        self.blocked += 1
        self.blocked_urls.append(url.toString())
        log.warning("map: blocked request to %s", url.toString())


class _MapPage(QWebEnginePage):
    """Routes console messages to logging and refuses to navigate away from the map."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject, on_console: Callable):
        super().__init__(profile, parent)
        self.home_url: QUrl | None = None
        self._on_console = on_console

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802
        self._on_console(level, message, line, source)

    def acceptNavigationRequest(self, url, nav_type, is_main_frame):  # noqa: N802
        url = QUrl(url)
        ok = (is_main_frame and self.home_url is not None and url.isLocalFile()
              and url.toLocalFile() == self.home_url.toLocalFile())
        if not ok:
            log.warning("map: navigation to %s refused", url.toString())
        return ok


class _Bridge(QObject):
    """The object the page sees as ``bridge`` through QWebChannel."""

    page_ready = Signal()
    clicked = Signal(str, str)
    frame_drawn = Signal(int)
    fields_wanted = Signal(str, str)

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 (called from JS)
        self.page_ready.emit()

    @Slot(int)
    def frameDrawn(self, seq: int) -> None:  # noqa: N802 (called from JS)
        self.frame_drawn.emit(seq)

    @Slot(str, str)
    def markerClicked(self, layer_id: str, key: str) -> None:  # noqa: N802 (called from JS)
        self.clicked.emit(layer_id, key)

    @Slot(str, str)
    def fieldsWanted(self, layer_id: str, key: str) -> None:  # noqa: N802 (called from JS)
        self.fields_wanted.emit(layer_id, key)


class _PendingDiff:
    __slots__ = ("clear", "upserts", "removes", "unkeyed")

    def __init__(self) -> None:
        self.clear = False
        self.upserts: dict[str, dict] = {}
        self.removes: set[str] = set()
        self.unkeyed: list[Any] = []   # sent as-is so the page counts them as skipped

    def to_js(self) -> dict[str, Any]:
        return {"clear": self.clear, "removes": sorted(self.removes),
                "upserts": list(self.upserts.values()) + self.unkeyed}


def _b64(values, dtype) -> str:
    return base64.b64encode(np.asarray(values, dtype=dtype).tobytes()).decode("ascii")


def _coord(value: Any, limit: float) -> bool:
    """A number within +-limit (not NaN, not infinite, not a bool or a string)."""
    t = type(value)
    if t is float or t is int:
        return -limit <= value <= limit
    return isinstance(value, (int, float)) and t is not bool and -limit <= value <= limit


def _quantised(value: Any, step: float) -> Any:
    # Styles are a table per layer, one sprite each on the page: a radius computed from
    # a continuous figure must not make one style per feature.
    if type(value) in (int, float) and math.isfinite(value):
        return round(value / step) * step
    return value


def _last_wins(ids: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> tuple:
    """Each id once, with its last position (moves sent in order)."""
    _, first = np.unique(ids[::-1], return_index=True)
    keep = np.sort(len(ids) - 1 - first)
    return ids[keep], lat[keep], lon[keep]


def _style_of(f: dict) -> tuple:
    """The look of a point: stroke and fill colour, radius, weight, opacities, selected."""
    t = (f.get("color"), f.get("fill"), _quantised(f.get("radius"), 0.5), _quantised(f.get("weight"), 0.5),
         _quantised(f.get("opacity"), 0.05), _quantised(f.get("fill_opacity"), 0.05), bool(f.get("selected")))
    try:
        hash(t)
    except TypeError:       # a list for a colour...: the page would ignore it anyway
        t = tuple(v if isinstance(v, (str, int, float, bool, type(None))) else None for v in t)
    return t


class _PointIndex:
    """One layer's points as the page holds them: a small integer id per key (reused
    only after the page has been told the old one is gone), and the table of styles
    both sides share (style tuple -> index)."""

    __slots__ = ("ids", "keys", "sidx", "free", "freed", "styles", "unsynced", "unsynced_n", "version",
                 "lookup")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: list[str | None] = []
        self.sidx: list[int] = []           # id -> style index
        self.free: list[int] = []
        self.freed: list[int] = []          # free once the diff that removes them is sent
        self.styles: dict[tuple, int] = {}
        # move_points' positions not yet written into the mirror's dicts: (ids, lat,
        # lon) arrays, in order; written before anything reads the mirror or ids change
        self.unsynced: list[tuple] = []
        self.unsynced_n = 0
        self.version = 0                    # changes whenever a key gets or loses its id
        self.lookup: tuple | None = None    # (version, keys, ids) of the last move_points

    def ids_of(self, keys: list) -> np.ndarray:
        """The id of each key (-1: not a point of the layer); a caller that moves the
        same keys again and again (a fleet, a sensor network) pays a list compare."""
        last = self.lookup
        if last is not None and last[0] == self.version and len(last[1]) == len(keys) and last[1] == keys:
            return last[2]
        get = self.ids.get
        pid = np.fromiter((get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        self.lookup = (self.version, list(keys), pid)
        return pid

    def new_id(self, key: str) -> int:
        if self.free:
            pid = self.free.pop()
            self.keys[pid] = key
            self.sidx[pid] = -1
        else:
            pid = len(self.keys)
            self.keys.append(key)
            self.sidx.append(-1)
        self.ids[key] = pid
        self.version += 1
        return pid

    def release(self, key: str) -> int:
        self.version += 1
        pid = self.ids.pop(key)
        self.keys[pid] = None
        self.freed.append(pid)
        return pid

    def clear(self) -> None:
        """Every id free (the page clears the layer first); the styles stay known."""
        self.ids = {}
        self.keys = []
        self.sidx = []
        self.free = []
        self.freed = []
        self.unsynced = []
        self.unsynced_n = 0
        self.version += 1
        self.lookup = None

    def sync(self, mirror: dict[str, dict]) -> None:
        """Write the positions move_points left aside into the mirror's features."""
        if not self.unsynced:
            return
        ids, lat, lon = _last_wins(*(np.concatenate(parts) for parts in zip(*self.unsynced)))
        keys = self.keys
        for pid, la, lo in zip(ids.tolist(), lat.tolist(), lon.tolist()):
            f = mirror[keys[pid]]
            f["lat"] = la
            f["lon"] = lo
        self.unsynced = []
        self.unsynced_n = 0

    def sent(self) -> None:
        self.free.extend(self.freed)
        self.freed.clear()


class _PointDiff:
    """What is pending for one layer's points, in the page's order: clear, new styles,
    removed ids, new ids with their keys, style and text changes, positions."""

    __slots__ = ("clear", "styles", "removed", "added", "style", "meta", "ids", "lats", "lons",
                 "chunks", "skipped")

    def __init__(self) -> None:
        self.styles: list[list] = []
        self.skipped = 0
        self.reset(False)

    def reset(self, clear: bool) -> None:
        """Forget everything but new styles and the skipped count (the page needs those)."""
        self.clear = clear
        self.removed: list[int] = []
        self.added: dict[int, str] = {}
        self.style: dict[int, int] = {}
        self.meta: dict[int, Any] = {}          # id -> title (the page asks for fields)
        self.ids: list[int] = []          # moves, in order: the last one of an id wins
        self.lats: list[float] = []
        self.lons: list[float] = []
        self.chunks: list[tuple] = []     # sealed moves: (ids, lat, lon) arrays

    def empty(self) -> bool:
        return not (self.clear or self.styles or self.removed or self.added or self.style or self.meta
                    or self.ids or self.chunks or self.skipped)

    def drop(self, pid: int) -> None:
        if self.added.pop(pid, None) is None:      # new in this diff: the page never hears of it
            self.removed.append(pid)
        self.style.pop(pid, None)
        self.meta.pop(pid, None)                  # its moves stay: the page ignores dead ids

    def add_moves(self, ids: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> None:
        self._seal()
        self.chunks.append((ids, lat, lon))

    def _seal(self) -> None:
        if self.ids:
            self.chunks.append((np.asarray(self.ids, dtype=np.uint32), np.asarray(self.lats, dtype=np.float64),
                                np.asarray(self.lons, dtype=np.float64)))
            self.ids, self.lats, self.lons = [], [], []

    def _moves(self, alive: int, ids_in_use: int) -> tuple[np.ndarray | None, np.ndarray, np.ndarray] | None:
        """The moves to send, each id once (its last position).  When every point of
        the layer moved and its ids have no holes, positions in id order and no ids
        (None): a third less to send."""
        self._seal()
        if not self.chunks:
            return None
        if len(self.chunks) == 1:
            ids, lat, lon = self.chunks[0]
        else:
            ids, lat, lon = (np.concatenate(parts) for parts in zip(*self.chunks))
        if len(ids) > alive:             # moved more than once while a frame was drawn: the last wins
            ids, lat, lon = _last_wins(ids, lat, lon)
        n = len(ids)
        if n == alive == ids_in_use and n and int(ids.max()) < n:
            seen = np.zeros(n, dtype=bool)
            seen[ids] = True
            if seen.all():              # a permutation of 0..n-1: scatter into id order
                dense_lat = np.empty(n)
                dense_lon = np.empty(n)
                dense_lat[ids] = lat
                dense_lon[ids] = lon
                return None, dense_lat, dense_lon
        return ids, lat, lon

    def to_js(self, alive: int, ids_in_use: int) -> str:
        out = []
        if self.clear:
            out.append('"c":1')
        if self.styles:
            out.append('"st":' + js_literal(self.styles))
        if self.removed:
            out.append(f'"rm":"{_b64(self.removed, np.uint32)}"')
        if self.added:
            out.append('"add":' + js_literal(list(self.added.items())))
        if self.style:
            out.append(f'"sid":"{_b64(list(self.style), np.uint32)}",'
                       f'"sv":"{_b64(list(self.style.values()), np.uint32)}"')
        if self.meta:       # titles only: the fields go when a popup shows them
            out.append('"meta":' + js_literal([[pid, title] for pid, title in self.meta.items()]))
        moves = self._moves(alive, ids_in_use)
        if moves is not None:
            ids, lat, lon = moves
            if ids is not None:
                out.append(f'"pid":"{_b64(ids, np.uint32)}"')
            out.append(f'"plat":"{_b64(np.rint(lat * 1e7), np.int32)}",'
                       f'"plon":"{_b64(np.rint(lon * 1e7), np.int32)}"')
        if self.skipped:
            out.append(f'"sk":{int(self.skipped)}')
        return "{" + ",".join(out) + "}"


class MapView(QtWidgets.QWidget):
    """Offline Leaflet map with per-layer canvas renderers, fed by batched diffs."""

    ready = Signal()
    markerClicked = Signal(str, str)   # layer_id, key
    #: The page has drawn everything sent up to flush number N (see :attr:`sent_seq`).
    drawn = Signal(int)

    def __init__(self, center: tuple[float, float] = (16.46, 107.59), zoom: int = 10,
                 tile_url: str | None = None, parent: QtWidgets.QWidget | None = None,
                 tiles: "tile_scheme.TileSource | bool | None" = None):
        super().__init__(parent)
        # tiles: an MBTiles TileSource (the app's, tile_scheme.configure, by default;
        # False: none).  With one, tiles come through mbtiles:// -- the source reads
        # through its own tile server -- and the page itself loads nothing remote.
        source = tile_scheme.default_source() if tiles is None else (tiles or None)
        self.tiles = source if source is not None and tile_scheme.scheme_ready() else None
        if self.tiles is not None:
            tile_url = None
        self.tile_url = tile_url
        self.js_errors: deque[str] = deque(maxlen=100)
        self._ready = False
        self._layers: dict[str, tuple[str, int]] = {}          # id -> (title, z), in order
        self._layer_topics: dict[str, str] = {}                # id -> the topic it shows
        self._features: dict[str, dict[str, dict]] = {}        # mirror: id -> key -> feature
        self._points: dict[str, _PointIndex] = {}              # id -> the page's point ids
        self._cluster: dict[str, bool] = {}
        self._visible: dict[str, bool] = {}
        self._selected: tuple[str, str] | None = None
        self._pending: dict[str, _PendingDiff] = {}            # areas, circles, tracks
        self._pending_points: dict[str, _PointDiff] = {}
        self._dirty = False                                    # anything pending at all
        self._seq = 0                                          # flushes sent
        self._drawn_seq = 0                                    # ... and drawn by the page
        self._inflight = False
        self.sent_chars = 0                                    # of every script sent
        self._pending_layers: list[str] = []
        self._pending_ops: list[str] = []
        self._queued_js: list[tuple[str, Callable | None]] = []
        self._stale: dict[str, Any] = {"text": "", "layers": [], "all": False}
        self._wall_css = ""                                    # set_wall_text

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._ack_timer = QTimer(self)
        self._ack_timer.setSingleShot(True)
        self._ack_timer.setInterval(ACK_TIMEOUT_MS)
        self._ack_timer.timeout.connect(self._on_ack_timeout)

        # Page + profile.  The page must be deleted before its profile (Qt warns
        # "Release of profile requested but WebEnginePage still not deleted" and may
        # crash otherwise).  The page is a child of the view, and the profile is
        # re-parented to this widget only AFTER the view exists, so it comes later in
        # the children list and Qt deletes it after the view and page.
        self._view = QWebEngineView(self)
        profile = QWebEngineProfile()          # no storage name: off-the-record
        self._interceptor = _LocalOnlyInterceptor(tile_url, profile)
        profile.setUrlRequestInterceptor(self._interceptor)
        self._tile_handler = None
        if self.tiles is not None:
            self._tile_handler = tile_scheme.TileSchemeHandler(self.tiles, profile)
            profile.installUrlSchemeHandler(tile_scheme.SCHEME, self._tile_handler)
        self._page = _MapPage(profile, self._view, self._on_console)
        profile.setParent(self)
        self._profile = profile
        settings = self._page.settings()
        # With this off, Chromium refuses every remote load from our file:// page before
        # the interceptor even sees it -- tiles included.  So it is on only when a tile
        # server is configured, and then the interceptor is the gate (and the counter).
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
                              bool(tile_url))
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)

        self._bridge = _Bridge(self)
        self._bridge.page_ready.connect(self._on_page_ready)
        self._bridge.clicked.connect(self.markerClicked)
        self._bridge.frame_drawn.connect(self._on_frame_drawn)
        self._bridge.fields_wanted.connect(self._send_fields)
        self._channel = QWebChannel(self._page)
        self._channel.registerObject("bridge", self._bridge)
        self._page.setWebChannel(self._channel)
        self._page.loadFinished.connect(self._on_load_finished)
        self._page.renderProcessTerminated.connect(self._on_render_terminated)
        self._view.setPage(self._page)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        # A file URL gives the page a real origin (setHtml: 2 MB limit, null origin).
        self._tmpdir = tempfile.TemporaryDirectory(prefix="ioc-map-")
        self.html_path = Path(self._tmpdir.name) / "map.html"
        mbtiles = None if self.tiles is None else {
            "attribution": self.tiles.attribution,
            "max_native_zoom": None if self.tiles.tile_url else self.tiles.max_zoom}
        self.html_path.write_text(build_map_html(center, zoom, tile_url, mbtiles), encoding="utf-8")
        self._page.home_url = QUrl.fromLocalFile(str(self.html_path))
        self._view.load(self._page.home_url)
        _live_views.add(self)

    # ---- public API ----------------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def blocked_requests(self) -> int:
        """Requests to anything but local files and the tile server, blocked and counted.

        Without a tile server Chromium already refuses remote loads from the local page
        before they get here, so this stays 0 even then; see LocalContentCanAccessRemoteUrls.
        """
        return self._interceptor.blocked

    @property
    def web_view(self) -> QWebEngineView:
        return self._view

    @property
    def web_page(self) -> QWebEnginePage:
        return self._page

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(800, 600)

    @property
    def sent_seq(self) -> int:
        """How many diffs (flushes) were sent to the page so far."""
        return self._seq

    @property
    def drawn_seq(self) -> int:
        """The last flush the page reported drawn (:attr:`drawn`)."""
        return self._drawn_seq

    def add_layer(self, layer_id: str, title: str, z: int = 0, *, topic: str | None = None,
                  cluster: bool = True) -> None:
        """A layer (one per plugin/topic) with its own canvases; higher ``z`` draws on top.
        ``topic``: the feed topic it is drawn from (default: ``layer_id``).  ``cluster``:
        markers that would overlap at low zoom are drawn as one counted circle (False:
        every marker, always)."""
        self._layers[layer_id] = (title, int(z))
        self._layer_topics[layer_id] = topic or layer_id
        self._cluster[layer_id] = bool(cluster)
        self._features.setdefault(layer_id, {})
        self._points.setdefault(layer_id, _PointIndex())
        self._visible.setdefault(layer_id, True)
        if layer_id not in self._pending_layers:
            self._pending_layers.append(layer_id)
        self._schedule()

    def layers(self) -> dict[str, str]:
        """Layer id -> title, in the order they were added."""
        return {layer_id: title for layer_id, (title, _) in self._layers.items()}

    def layer_snapshot(self) -> dict[str, dict[str, Any]]:
        """What the map holds now, as plain data (copies: safe to keep or hand to a
        thread): layer id -> ``{"title", "topic", "z", "visible", "features": {key:
        feature}}``, layers in the order they were added.  Features are deep copies of
        the mirror (what was last sent for each key, pending changes included)."""
        for layer_id, pts in self._points.items():
            pts.sync(self._features[layer_id])

        def copy(value: Any) -> Any:       # dicts and lists of JSON-like values; faster than deepcopy
            if isinstance(value, dict):
                return {k: copy(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [copy(v) for v in value]
            return value
        return {layer_id: {"title": title, "topic": self._layer_topics.get(layer_id), "z": z,
                           "visible": self._visible.get(layer_id, True),
                           "features": {key: copy(f) for key, f in self._features.get(layer_id, {}).items()}}
                for layer_id, (title, z) in self._layers.items()}

    def layers_of(self, topics: Iterable[str]) -> list[str]:
        """The ids of the layers drawn from any of ``topics``."""
        wanted = set(topics)
        return [lid for lid, topic in self._layer_topics.items() if topic in wanted]

    def apply_diff(self, layer_id: str, upserts: Iterable[dict], removes: Iterable[str] = (),
                   clear: bool = False) -> None:
        """Queue changes for ``layer_id``; they reach the page on the next flush.

        Order within one call: clear, then removes, then upserts.  Across calls the last
        word per key wins.  A layer not added yet is added with its id as title.
        A point whose only change is its position costs the page 12 bytes; its style,
        title and fields are sent again only when they change.
        """
        if isinstance(removes, str):   # a lone key, not its characters
            removes = [removes]
        if layer_id not in self._layers:
            self.add_layer(layer_id, layer_id)
        mirror = self._features[layer_id]
        pts = self._points[layer_id]
        pts.sync(mirror)
        pp = self._pending_points.get(layer_id)
        if pp is None:
            pp = self._pending_points[layer_id] = _PointDiff()
        if clear:
            mirror.clear()
            vec = self._vectors(layer_id)
            vec.clear = True
            vec.upserts.clear()
            vec.removes.clear()
            vec.unkeyed.clear()
            pts.clear()
            pp.reset(True)
        for key in removes:
            key = str(key)
            mirror.pop(key, None)
            if key in pts.ids:
                pp.drop(pts.release(key))
            else:
                vec = self._vectors(layer_id)
                vec.upserts.pop(key, None)
                vec.removes.add(key)
        ids = pts.ids
        styles = pts.styles
        sidx = pts.sidx
        move_id, move_lat, move_lon = pp.ids.append, pp.lats.append, pp.lons.append

        def upsert(feature: Any) -> None:
            """One feature, whatever it is (a new point, a restyled one, an area...)."""
            key = feature.get("key") if isinstance(feature, dict) else None
            if key is None or key == "":
                self._vectors(layer_id).unkeyed.append(feature)   # sent as-is: the page counts it skipped
                return
            if type(key) is not str:
                key = str(key)
            old = mirror.get(key)
            pid = ids.get(key)
            f = dict(feature)          # the caller may reuse its dict
            f["key"] = key
            mirror[key] = f
            if f.get("kind") != "point":
                if pid is not None:              # was a point
                    pp.drop(pts.release(key))
                vec = self._vectors(layer_id)
                vec.upserts[key] = f
                vec.removes.discard(key)         # updated in place instead of recreated
                return
            lat = f.get("lat")
            lon = f.get("lon")
            if not (_coord(lat, 90.0) and _coord(lon, 180.0)):
                # As a plain feature: the page counts it skipped, keeps the last good one.
                vec = self._vectors(layer_id)
                vec.upserts[key] = dict(f)       # its own copy: the mirror's may move in place
                vec.removes.discard(key)
                return
            if pid is None:
                if old is not None:              # was an area/track (or never drawn)
                    vec = self._vectors(layer_id)
                    vec.upserts.pop(key, None)
                    vec.removes.add(key)
                pid = pts.new_id(key)
                pp.added[pid] = key
            move_id(pid)
            move_lat(lat)
            move_lon(lon)
            style = _style_of(f)
            index = styles.get(style)
            if index is None:
                index = self._new_style(pts, pp, style)
            if sidx[pid] != index:
                sidx[pid] = index
                pp.style[pid] = index
            title = f.get("title")
            # new fields: the title again, which makes the page forget the old ones
            if old is None or pid in pp.added or old.get("title") != title or old.get("fields") != f.get("fields"):
                pp.meta[pid] = title

        for feature in upserts:
            # The hot path: a point already drawn that only moved.  The mirror's copy takes
            # the new position and is compared whole with the feature (in C); nothing is
            # allocated.  Anything else (or anything odd) goes the whole way.
            try:
                key = feature["key"]
                old = mirror[key]
                pid = ids[key]
                lat = feature["lat"]
                lon = feature["lon"]
            except (KeyError, TypeError, IndexError):
                upsert(feature)
                continue
            tl, tn = type(lat), type(lon)
            if (tl is float or tl is int) and (tn is float or tn is int) \
                    and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
                old["lat"] = lat
                old["lon"] = lon
                if feature == old:
                    move_id(pid)
                    move_lat(lat)
                    move_lon(lon)
                    continue
            upsert(feature)
        self._schedule()

    def move_points(self, layer_id: str, keys: Iterable[str], lat: Any, lon: Any) -> int:
        """Move points already on ``layer_id`` (the typed fast path): ``keys`` with their
        new ``lat``/``lon`` (sequences or numpy arrays of the same length).  Nothing but
        the positions is sent.  Keys that are not points of the layer are ignored;
        invalid positions are skipped (the point stays where it was) and counted on the
        page.  Returns how many points moved."""
        pts = self._points.get(layer_id)
        keys = keys if isinstance(keys, list) else list(keys)
        lat = np.array(lat, dtype=np.float64).reshape(-1)     # copies: the caller may reuse its arrays
        lon = np.array(lon, dtype=np.float64).reshape(-1)
        if not len(keys) == lat.size == lon.size:
            raise ValueError(f"move_points: {len(keys)} keys, {lat.size} lat, {lon.size} lon")
        if pts is None or not keys:
            return 0
        pid = pts.ids_of(keys)
        known = pid >= 0
        with np.errstate(invalid="ignore"):
            ok = known & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)
        moved = int(np.count_nonzero(ok))
        pp = self._pending_points.get(layer_id)
        if pp is None:
            pp = self._pending_points[layer_id] = _PointDiff()
        pp.skipped += int(np.count_nonzero(known)) - moved
        if moved < len(keys):
            where = np.flatnonzero(ok)
            pid, lat, lon = pid[where], lat[where], lon[where]
        if moved:
            pid = pid.astype(np.uint32)
            pp.add_moves(pid, lat, lon)
            pts.unsynced.append((pid, lat, lon))     # the mirror's dicts: when they are read
            pts.unsynced_n += moved
            if pts.unsynced_n > 4 * max(len(pts.ids), 1024):     # keep one position per id
                merged = _last_wins(*(np.concatenate(parts) for parts in zip(*pts.unsynced)))
                pts.unsynced = [merged]
                pts.unsynced_n = len(merged[0])
        self._schedule()
        return moved

    def _vectors(self, layer_id: str) -> _PendingDiff:
        pend = self._pending.get(layer_id)
        if pend is None:
            pend = self._pending[layer_id] = _PendingDiff()
        return pend

    @staticmethod
    def _new_style(pts: _PointIndex, pp: _PointDiff, style: tuple) -> int:
        if len(pts.styles) >= MAX_STYLES:
            log.warning("map: more than %d point styles on one layer; reusing the first", MAX_STYLES)
            return 0
        index = len(pts.styles)
        pts.styles[style] = index
        pp.styles.append([index, *style])
        return index

    def select(self, layer_id: str, key: str) -> None:
        """Highlight ``key`` and pan to it (sent at once, with anything pending)."""
        self._selected = (layer_id, key)
        self._pending_ops.append(f"ioc.select({js_literal(layer_id)},{js_literal(key)});")
        self._flush_now()

    def set_layer_visible(self, layer_id: str, visible: bool) -> None:
        self._visible[layer_id] = bool(visible)
        self._pending_ops.append(f"ioc.setVisible({js_literal(layer_id)},{js_literal(bool(visible))});")
        self._flush_now()

    def set_stale(self, text: str = "", layers: Iterable[str] = (), all_layers: bool = False) -> None:
        """Show that what the map draws is not current.

        ``text`` ("" hides it): a label over the map, e.g. "NOT CURRENT · data from
        14:05".  ``layers``: layer ids drawn greyed (their topic is stale);
        ``all_layers``: grey every data layer (the link is down).  Kept and replayed
        after a reload; sent only when it changes.
        """
        state = {"text": str(text or ""), "layers": sorted({str(x) for x in layers}),
                 "all": bool(all_layers)}
        if state == self._stale:
            return
        self._stale = state
        self._pending_ops.append(f"ioc.setStale({js_literal(state)});")
        self._flush_now()

    def set_wall_text(self, cap_px: float | None, device_pixel_ratio: float = 1.0) -> None:
        """On a wall window: the page's texts at least ``cap_px`` device px high and no
        controls (:func:`wall_css`); None: as on the console.  Kept across reloads."""
        self._wall_css = wall_css(cap_px, device_pixel_ratio) if cap_px else ""
        self._pending_ops.append(self._wall_css_js())
        self._flush_now()

    def _wall_css_js(self) -> str:
        return ("(function(c){var s=document.getElementById('ioc-wall-css');"
                "if(!s){s=document.createElement('style');s.id='ioc-wall-css';"
                "document.head.appendChild(s);}s.textContent=c;})"
                f"({js_literal(self._wall_css)});")

    def wall_text_check(self, callback: Callable[[list[dict] | None], None]) -> None:
        """Every visible text of the page with its capitals' height in device px,
        ``[{text, cls, fontSize, cap}]``, to ``callback`` (None if the page failed)."""
        def done(result):
            try:
                callback(json.loads(result) if result else None)
            except ValueError:
                callback(None)
        self.run_js(WALL_TEXT_JS, done)

    @property
    def stale_state(self) -> dict:
        """What :meth:`set_stale` last asked for (the page may still be loading)."""
        return dict(self._stale)

    def fit_layer(self, layer_id: str) -> None:
        """Zoom to the features of ``layer_id``."""
        self._pending_ops.append(f"ioc.fit({js_literal(layer_id)});")
        self._flush_now()

    def run_js(self, expr: str, callback: Callable[[Any], None] | None = None) -> None:
        """Run ``expr`` in the page after everything pending; before ready it waits.

        ``callback`` gets the result converted by Qt: numbers, strings and booleans come
        through, but PySide turns a JS array into '' -- wrap it in JSON.stringify().
        """
        if not self._ready:
            self._queued_js.append((expr, callback))
            return
        self._flush()
        self._run(expr, callback)

    def reload(self) -> None:
        """Rebuild the page and replay layers, features, visibility and selection."""
        self._ready = False
        self._flush_timer.stop()
        self._ack_timer.stop()
        self._inflight = False
        self._pending.clear()
        self._pending_points.clear()
        self._pending_ops.clear()
        self._pending_layers = list(self._layers)
        for layer_id in self._layers:
            self._points[layer_id].sync(self._features[layer_id])
            self._points[layer_id] = _PointIndex()       # a new page knows no id, no style
            self.apply_diff(layer_id, list(self._features[layer_id].values()), clear=True)
        for layer_id, visible in self._visible.items():
            if not visible:
                self._pending_ops.append(f"ioc.setVisible({js_literal(layer_id)},false);")
        if self._selected is not None:
            layer_id, key = self._selected
            self._pending_ops.append(f"ioc.select({js_literal(layer_id)},{js_literal(key)});")
        if self._stale["text"] or self._stale["layers"] or self._stale["all"]:
            self._pending_ops.append(f"ioc.setStale({js_literal(self._stale)});")
        if self._wall_css:
            self._pending_ops.append(self._wall_css_js())
        self._view.load(self._page.home_url)

    # ---- internals -----------------------------------------------------------------

    def _schedule(self) -> None:
        """Something is pending: send it on the next turn of the event loop, or, while
        the page is still drawing the last diff, when it says it has (one in flight)."""
        self._dirty = True
        if self._ready and not self._inflight and not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush_now(self) -> None:
        if self._ready:
            self._flush()

    def _flush(self) -> None:
        """Send every pending change in one runJavaScript call."""
        self._flush_timer.stop()
        if not self._ready:
            return
        parts = []
        for layer_id in self._pending_layers:
            title, z = self._layers[layer_id]
            parts.append(f"ioc.addLayer({js_literal(layer_id)},{js_literal(title)},{z},"
                         f"{js_literal({'cluster': self._cluster.get(layer_id, True)})});")
        if self._pending:
            diffs = {layer_id: pend.to_js() for layer_id, pend in self._pending.items()}
            parts.append(f"ioc.applyDiff({js_literal(diffs)});")
        for layer_id, pp in self._pending_points.items():
            if pp.empty():
                continue
            pts = self._points[layer_id]
            parts.append(f"ioc.points({js_literal(layer_id)},{pp.to_js(len(pts.ids), len(pts.keys))});")
            pts.sent()
        parts.extend(self._pending_ops)
        self._pending_layers = []
        self._pending = {}
        self._pending_points = {}
        self._pending_ops = []
        self._dirty = False
        if parts:
            self._seq += 1
            parts.append(f"ioc.frame({self._seq});")
            self._inflight = True
            self._ack_timer.start()
            self._run("".join(parts))

    def _run(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        self.sent_chars += len(script)
        if callback is None:
            self._page.runJavaScript(script)
        else:
            self._page.runJavaScript(script, 0, callback)

    @Slot(int)
    def _on_frame_drawn(self, seq: int) -> None:
        seq = int(seq)
        if seq > self._drawn_seq:
            self._drawn_seq = seq
        if seq >= self._seq and self._inflight:
            self._inflight = False
            self._ack_timer.stop()
            if self._dirty:
                self._schedule()
        self.drawn.emit(seq)

    @Slot(str, str)
    def _send_fields(self, layer_id: str, key: str) -> None:
        """The page shows a point's popup: its fields (kept here, never sent with the
        point: thousands of reports' texts would make every reset megabytes)."""
        feature = self._features.get(layer_id, {}).get(key)
        if self._ready and feature is not None:
            self._run(f"ioc.pointFields({js_literal(layer_id)},{js_literal(key)},"
                      f"{js_literal(fields_of(feature))});")

    @Slot()
    def _on_ack_timeout(self) -> None:
        # A page that draws nothing (hidden, busy, gone) must not hold the diffs back forever.
        self._inflight = False
        if self._dirty:
            self._schedule()

    @Slot()
    def _on_page_ready(self) -> None:
        if self._ready:
            return
        self._ready = True
        self._inflight = False
        self._flush()
        queued, self._queued_js = self._queued_js, []
        for expr, callback in queued:
            self._run(expr, callback)
        self.ready.emit()

    @Slot(bool)
    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.error("map: page failed to load (%s)", self.html_path)

    @Slot(QWebEnginePage.RenderProcessTerminationStatus, int)
    def _on_render_terminated(self, status, exit_code: int) -> None:
        # A wall must never show a dead map that looks live: rebuild it from the mirror.
        log.error("map: renderer ended (%s, exit %s); reloading", status, exit_code)
        self._ready = False    # nothing more into the dead page; the mirror replays it all
        QTimer.singleShot(500, self, self.reload)

    def _on_console(self, level, message: str, line: int, source: str) -> None:
        text = f"{message} ({source}:{line})"
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.js_errors.append(text)
            log.error("map js: %s", text)
        else:
            log.debug("map js: %s", text)
