"""The live map: a folium-generated Leaflet page in a QWebEngineView, fully offline.

The page loads Leaflet from the ``xstatic-leaflet`` package and our glue
(``resources/map/ioc_map.js``) from disk, draws the hand-made basemap of Huế, and may
add one configured tile server, or the tiles of an MBTiles file through its own
``mbtiles://`` scheme (:mod:`widgets.tile_scheme`; missing tiles show the basemap).  Nothing else is loaded: a request interceptor lets
through only local schemes and that tile server (and counts what it blocks); with no
tile server Chromium's local-content rule refuses remote loads even before that.

Data reaches the page as *diffs*: :meth:`MapView.apply_diff` only merges into a pending
diff per layer; a short single-shot timer sends every pending layer in ONE
``runJavaScript`` call.  The widget keeps a mirror of what it sent so the page can be
rebuilt after a reload or a renderer crash.  It knows nothing about any service.

GUI thread only.
"""
from __future__ import annotations

import atexit
import html
import json
import logging
import math
import tempfile
import weakref
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import folium
import shiboken6
import xstatic.pkg.leaflet as xstatic_leaflet
from branca.element import MacroElement
from jinja2 import Template
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

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
FLUSH_INTERVAL_MS = 100
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


def js_literal(value: Any) -> str:
    """``value`` as a JS expression that is safe inside runJavaScript and inside <script>.

    JSON is a JS expression except for U+2028/U+2029 in older engines; ``<`` is escaped
    so a ``</script>`` in feed text cannot end an inline script.  These characters only
    occur inside JSON strings, where the ``\\uXXXX`` form means the same.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
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


class _IocInit(MacroElement):
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


def build_map_html(center: tuple[float, float], zoom: int, tile_url: str | None = None,
                   mbtiles: dict[str, Any] | None = None) -> str:
    """The map page: Leaflet + glue from local files, the basemap embedded as JSON.
    ``mbtiles``: a tile layer on ``mbtiles://`` instead of ``tile_url`` (``attribution``,
    ``max_native_zoom``); a missing tile is transparent, the basemap shows through."""
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
    basemap = json.loads(BASEMAP.read_text(encoding="utf-8"))
    fmap.add_child(_IocInit({
        "basemap": basemap,
        "basemapTitle": BASEMAP_TITLE,
        "attribution": BASEMAP_ATTRIBUTION,
    }))
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

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 (called from JS)
        self.page_ready.emit()

    @Slot(str, str)
    def markerClicked(self, layer_id: str, key: str) -> None:  # noqa: N802 (called from JS)
        self.clicked.emit(layer_id, key)


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


class MapView(QtWidgets.QWidget):
    """Offline Leaflet map with per-layer canvas renderers, fed by batched diffs."""

    ready = Signal()
    markerClicked = Signal(str, str)   # layer_id, key

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
        self._visible: dict[str, bool] = {}
        self._selected: tuple[str, str] | None = None
        self._pending: dict[str, _PendingDiff] = {}
        self._pending_layers: list[str] = []
        self._pending_ops: list[str] = []
        self._queued_js: list[tuple[str, Callable | None]] = []
        self._stale: dict[str, Any] = {"text": "", "layers": [], "all": False}
        self._wall_css = ""                                    # set_wall_text

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush)

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

    def add_layer(self, layer_id: str, title: str, z: int = 0, *, topic: str | None = None) -> None:
        """A layer (one per plugin/topic) with its own canvas; higher ``z`` draws on top.
        ``topic``: the feed topic it is drawn from (default: ``layer_id``)."""
        self._layers[layer_id] = (title, int(z))
        self._layer_topics[layer_id] = topic or layer_id
        self._features.setdefault(layer_id, {})
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
        """
        if isinstance(removes, str):   # a lone key, not its characters
            removes = [removes]
        if layer_id not in self._layers:
            self.add_layer(layer_id, layer_id)
        mirror = self._features[layer_id]
        pend = self._pending.get(layer_id)
        if pend is None:
            pend = self._pending[layer_id] = _PendingDiff()
        if clear:
            mirror.clear()
            pend.clear = True
            pend.upserts.clear()
            pend.removes.clear()
            pend.unkeyed.clear()
        for key in removes:
            key = str(key)
            mirror.pop(key, None)
            pend.upserts.pop(key, None)
            pend.removes.add(key)
        for feature in upserts:
            key = feature.get("key") if isinstance(feature, dict) else None
            if key is None or key == "":
                pend.unkeyed.append(feature)
                continue
            feature = dict(feature)      # the caller may reuse its dict
            feature["key"] = key = str(key)
            mirror[key] = feature
            pend.upserts[key] = feature
            pend.removes.discard(key)    # updated in place instead of recreated
        self._schedule()

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
        self._pending.clear()
        self._pending_ops.clear()
        self._pending_layers = list(self._layers)
        for layer_id, features in self._features.items():
            pend = self._pending[layer_id] = _PendingDiff()
            pend.clear = True
            pend.upserts = dict(features)
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
        if self._ready and not self._flush_timer.isActive():
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
            parts.append(f"ioc.addLayer({js_literal(layer_id)},{js_literal(title)},{z});")
        if self._pending:
            diffs = {layer_id: pend.to_js() for layer_id, pend in self._pending.items()}
            parts.append(f"ioc.applyDiff({js_literal(diffs)});")
        parts.extend(self._pending_ops)
        self._pending_layers = []
        self._pending = {}
        self._pending_ops = []
        if parts:
            self._run("".join(parts))

    def _run(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        if callback is None:
            self._page.runJavaScript(script)
        else:
            self._page.runJavaScript(script, 0, callback)

    @Slot()
    def _on_page_ready(self) -> None:
        if self._ready:
            return
        self._ready = True
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
