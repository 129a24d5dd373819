"""The map's ``mbtiles://`` URL scheme: tiles from an MBTiles file, inside QtWebEngine.

The map page asks for ``mbtiles://tiles/{z}/{x}/{y}``; :class:`TileSchemeHandler`
answers from a :class:`ioc_desktop.tiles.source.TileSource` (the SQLite reads and any
read-through fetch run on the source's threads; the answer comes back to the GUI thread
through a queued signal and the request job is replied to there, if it still exists).
A tile the source lacks fails with *not found*: Leaflet then shows its ``errorTileUrl``,
a transparent tile, and the offline basemap under the tile layer shows through.  No
local HTTP server, no port.

QtWebEngine needs a custom scheme registered **before the QApplication exists**:
:func:`register_scheme` does it, at import of this module when no application exists
yet (``widgets.map_view`` imports it, and ``main.py`` calls it before building the app).
A scheme registered too late is reported by :func:`scheme_ready` and the map goes on
with its basemap alone.

The app's tiles (``--tiles``, ``--tile-url``) are configured once with
:func:`configure`; every :class:`widgets.map_view.MapView` made without its own source
then shows them.
"""
from __future__ import annotations

import atexit
import itertools
import logging
import re
from pathlib import Path

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QBuffer, QObject, Signal, Slot
from PySide6.QtWebEngineCore import (QWebEngineUrlRequestJob, QWebEngineUrlScheme,
                                     QWebEngineUrlSchemeHandler)

from ioc_desktop.tiles.source import TileSource

log = logging.getLogger(__name__)

SCHEME = b"mbtiles"
TEMPLATE = "mbtiles://tiles/{z}/{x}/{y}"
_PATH = re.compile(r"^/(\d{1,2})/(\d{1,7})/(\d{1,7})(?:\.(?:png|jpg|jpeg|webp))?$")
# 1×1 transparent PNG: Leaflet's errorTileUrl, so a missing tile shows the basemap under it
TRANSPARENT_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lE"
                   "QVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII=")

_registered = False


def register_scheme() -> bool:
    """Register ``mbtiles://`` with QtWebEngine (once; before the QApplication).  True
    when it is (or already was) registered."""
    global _registered
    if _registered:
        return True
    if QtCore.QCoreApplication.instance() is not None:
        log.warning("map tiles: the mbtiles:// scheme must be registered before the "
                    "application starts; the map shows its basemap only")
        return False
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    # Local, like file: the map's file:// page may load it while remote URLs stay
    # refused (LocalContentCanAccessRemoteUrls off); secure: no mixed-content rules.
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme
                    | QWebEngineUrlScheme.Flag.LocalAccessAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered = True
    return True


def scheme_ready() -> bool:
    return _registered


def parse_tile_path(path: str) -> tuple[int, int, int] | None:
    """``/z/x/y`` (optionally ``.png``…) -> ``(z, x, y)`` within the zoom's grid, else None."""
    m = _PATH.match(path)
    if not m:
        return None
    z, x, y = (int(v) for v in m.groups())
    if z > 30 or x >= (1 << z) or y >= (1 << z):
        return None
    return z, x, y


class TileSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``mbtiles://tiles/z/x/y`` from a :class:`TileSource` (GUI thread)."""

    _answered = Signal(int, object, object)       # request id, bytes or None, content type

    def __init__(self, source: TileSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.requests = 0
        self.answered = 0
        self.not_found = 0
        self._ids = itertools.count(1)
        self._jobs: dict[int, QWebEngineUrlRequestJob] = {}
        self._answered.connect(self._reply, QtCore.Qt.ConnectionType.QueuedConnection)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt override)
        self.requests += 1
        url = job.requestUrl()
        tile = parse_tile_path(url.path()) if url.host() == "tiles" else None
        if tile is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        req_id = next(self._ids)
        self._jobs[req_id] = job
        # the job is Qt's: gone when the page cancels the request (a tile scrolled away)
        job.destroyed.connect(lambda *_, i=req_id: self._jobs.pop(i, None))
        self.source.get(*tile, lambda data, ctype, i=req_id: self._emit(i, data, ctype),
                        wanted=lambda i=req_id: i in self._jobs)

    def _emit(self, req_id: int, data, ctype) -> None:
        if shiboken6.isValid(self):
            self._answered.emit(req_id, data, ctype)

    @Slot(int, object, object)
    def _reply(self, req_id: int, data, ctype) -> None:
        job = self._jobs.pop(req_id, None)
        if job is None or not shiboken6.isValid(job):
            return
        if data is None:
            self.not_found += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        buffer = QBuffer(job)                  # deleted with the job, after Qt has read it
        buffer.setData(QtCore.QByteArray(data))
        buffer.open(QtCore.QIODevice.OpenModeFlag.ReadOnly)
        self.answered += 1
        job.reply(ctype.encode("ascii"), buffer)


# ------------------------------------------------------------------ the app's tiles
_default: dict = {"path": None, "tile_url": None, "contact": None, "source": None}


def configure(path: str | Path | None, tile_url: str | None = None, contact: str | None = None) -> None:
    """The tiles every map shows unless given its own source: ``path`` (an MBTiles file;
    None: none) read through ``tile_url`` when given.  The source starts with the first map."""
    close_default()
    _default.update(path=Path(path) if path else None, tile_url=tile_url, contact=contact, source=None)


def default_source() -> TileSource | None:
    if _default["source"] is None and _default["path"] is not None:
        _default["source"] = TileSource(_default["path"], _default["tile_url"], contact=_default["contact"])
    return _default["source"]


@atexit.register
def close_default() -> None:
    source = _default.get("source")
    _default["source"] = None
    if source is not None:
        source.close()


if QtCore.QCoreApplication.instance() is None:
    register_scheme()
