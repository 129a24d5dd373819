"""The map's tiles at run time: an MBTiles file, read off the GUI thread, and with a
tile server a read-through that keeps what was fetched online for offline use.

:meth:`TileSource.get` never blocks: it queues the request and calls back (on a worker
thread) with the tile's bytes and type, or ``None`` when it has none (the map then shows
the offline basemap there).

- **Reads** run on one thread (``ioc-tiles-db``), which owns the file's only connection.
  A read by primary key takes well under a millisecond, but SQLite may wait up to its
  busy timeout while another process (a ``tiles seed`` on the same file) writes: never
  on the GUI thread.
- **Read-through** (``tile_url``): a tile the file lacks is fetched by one of two
  threads (``ioc-tiles-net``: two at a time, as a browser would), handed to the map at
  once, and stored by the db thread (committed every half second or 50 tiles).  A 429
  or 503 with Retry-After pauses the fetching for that long (the map shows the basemap
  meanwhile); the User-Agent names the program and the contact (:mod:`.policy`).  A
  request the map no longer wants (``wanted()`` false: the view moved on) is dropped
  before it is fetched.
- A file that can't be written (read-only, a view) is still read; read-through then
  only shows what it fetches.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ioc_desktop.tiles import policy
from ioc_desktop.tiles.mbtiles import FORMATS, MBTiles, MBTilesError, image_type
from ioc_desktop.tiles.seed import tile_url as fill_template

log = logging.getLogger(__name__)

Callback = Callable[[bytes | None, str | None], None]
NET_THREADS = 2
COMMIT_SECONDS = 0.5
MAX_PENDING_FETCHES = 256


@dataclass
class TileStats:
    served: int = 0          # from the file
    missing: int = 0         # neither in the file nor (read-through) on the server
    fetched: int = 0         # from the tile server
    stored: int = 0          # of them, written to the file
    failed: int = 0          # fetch errors
    dropped: int = 0         # not wanted any more when their turn came
    throttled: int = 0       # 429 / 503 with Retry-After


def content_type(data: bytes) -> str:
    return FORMATS.get(image_type(data) or "", "application/octet-stream")


class TileSource:
    def __init__(self, path: str | Path, tile_url: str | None = None, *, contact: str | None = None,
                 timeout: float = 10.0):
        self.path = Path(path)
        self.tile_url = tile_url
        self.stats = TileStats()
        self.metadata: dict[str, str] = {}
        self.error: str | None = None               # the file could not be opened
        self.writable = False
        self._timeout = timeout
        self._db_jobs: queue.Queue = queue.Queue()
        self._net_jobs: queue.Queue = queue.Queue()
        self._paused_until = 0.0
        self._closed = False
        self._ready = threading.Event()
        import requests    # here: the map's module imports this one at every start, tiles or not
        self._session = requests.Session()
        self._session.max_redirects = 5
        self._headers = {"User-Agent": policy.user_agent(contact or policy.contact_from_env(), "map")}
        self._db_thread = threading.Thread(target=self._db_loop, name="ioc-tiles-db", daemon=True)
        self._db_thread.start()
        self._net_threads = []
        if tile_url:
            for i in range(NET_THREADS):
                t = threading.Thread(target=self._net_loop, name=f"ioc-tiles-net-{i}", daemon=True)
                t.start()
                self._net_threads.append(t)
        self._ready.wait(10)

    # ------------------------------------------------------------------ API
    @property
    def attribution(self) -> str:
        """What the map credits: the file's ``attribution``, else its ``name``."""
        return self.metadata.get("attribution") or self.metadata.get("name") or "MBTiles"

    @property
    def max_zoom(self) -> int | None:
        try:
            return int(self.metadata["maxzoom"])
        except (KeyError, ValueError):
            return None

    def get(self, z: int, x: int, y: int, callback: Callback,
            wanted: Callable[[], bool] = lambda: True) -> None:
        """Queue a request for XYZ tile z/x/y; ``callback(data, content_type)`` later,
        on a worker thread (``(None, None)``: no tile)."""
        if self._closed:
            callback(None, None)
            return
        self._db_jobs.put(("get", (z, x, y, callback, wanted)))

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every tile fetched so far is stored (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._net_jobs.unfinished_tasks == 0:
                break
            time.sleep(0.02)
        done = threading.Event()
        self._db_jobs.put(("flush", done))
        done.wait(max(0.1, deadline - time.monotonic()))

    def close(self, timeout: float = 5.0) -> None:
        if self._closed:
            return
        self._closed = True
        for _ in self._net_threads:
            self._net_jobs.put(None)
        for t in self._net_threads:
            t.join(timeout)
        self._db_jobs.put(None)
        self._db_thread.join(timeout)

    # ------------------------------------------------------------------ db thread
    def _open(self) -> MBTiles | None:
        try:
            if self.path.exists() or not self.tile_url:
                mb = MBTiles(self.path)      # a file it may not write is opened read-only by SQLite
            else:
                mb = MBTiles(self.path, create=True)
                mb.set_metadata({"name": "ioc-desktop map tiles", "format": "png", "type": "baselayer",
                                 "version": "1", "description": "Map tiles kept by HueIOC Desktop as "
                                 f"they were seen online ({urlsplit(self.tile_url).hostname})"})
                mb.commit()
        except (MBTilesError, OSError) as exc:
            self.error = str(exc)
            log.error("map tiles: %s cannot be used: %s", self.path, exc)
            return None
        self.metadata = mb.metadata()
        self.writable = mb.writable and self._can_write(mb)
        return mb

    @staticmethod
    def _can_write(mb: MBTiles) -> bool:
        try:
            mb.conn.execute("BEGIN IMMEDIATE")
            mb.conn.execute("ROLLBACK")
            return True
        except Exception:
            return False

    def _db_loop(self) -> None:
        mb = self._open()
        self._ready.set()
        pending, last_commit = 0, time.monotonic()
        while True:
            try:
                job = self._db_jobs.get(timeout=COMMIT_SECONDS)
            except queue.Empty:
                job = "idle"
            if job is None:
                break
            try:
                if job == "idle":
                    pass
                elif job[0] == "get":
                    self._serve(mb, *job[1])
                elif job[0] == "put":
                    if mb is not None and self.writable:
                        z, x, y, data = job[1]
                        mb.put(z, x, y, data)
                        pending += 1
                        self.stats.stored += 1
                elif job[0] == "flush":
                    if pending and mb is not None:
                        mb.commit()
                        pending, last_commit = 0, time.monotonic()
                    job[1].set()
                if pending and (pending >= 50 or time.monotonic() - last_commit >= COMMIT_SECONDS):
                    mb.commit()
                    pending, last_commit = 0, time.monotonic()
            except Exception:                  # never lose the thread over one tile
                log.exception("map tiles: %s", job[0] if isinstance(job, tuple) else job)
        if mb is not None:
            try:
                mb.commit()
            except Exception:
                pass
            mb.close()

    def _serve(self, mb: MBTiles | None, z, x, y, callback: Callback, wanted) -> None:
        data = None
        if mb is not None and wanted():
            try:
                data = mb.get(z, x, y)
            except Exception as exc:
                log.warning("map tiles: reading %s/%s/%s: %s", z, x, y, exc)
        if data is not None:
            self.stats.served += 1
            _call(callback, data, content_type(data))
        elif self.tile_url and not self._closed and wanted() \
                and self._net_jobs.qsize() < MAX_PENDING_FETCHES:
            self._net_jobs.put((z, x, y, callback, wanted))
        else:
            self.stats.missing += 1
            _call(callback, None, None)

    # ------------------------------------------------------------------ net threads
    def _net_loop(self) -> None:
        while True:
            job = self._net_jobs.get()
            try:
                if job is None:
                    return
                self._fetch(*job)
            except Exception:
                log.exception("map tiles: fetch")
            finally:
                self._net_jobs.task_done()

    def _fetch(self, z, x, y, callback: Callback, wanted) -> None:
        import requests    # imported by __init__ already
        if not wanted():
            self.stats.dropped += 1
            _call(callback, None, None)
            return
        if time.monotonic() < self._paused_until:
            self.stats.missing += 1
            _call(callback, None, None)
            return
        url = fill_template(self.tile_url, z, x, y)
        data = None
        try:
            with self._session.get(url, headers=self._headers, timeout=self._timeout, stream=True) as resp:
                if resp.status_code == 200:
                    data = resp.raw.read(policy.MAX_TILE_BYTES + 1, decode_content=True)
                    if len(data) > policy.MAX_TILE_BYTES or image_type(data) is None:
                        data = None
                        self.stats.failed += 1
                elif resp.status_code == 429 or (resp.status_code == 503 and "Retry-After" in resp.headers):
                    wait = policy.retry_after(resp.headers.get("Retry-After"))
                    wait = policy.DEFAULT_RETRY_AFTER if wait is None else min(wait, policy.MAX_RETRY_AFTER)
                    self._paused_until = max(self._paused_until, time.monotonic() + wait)
                    self.stats.throttled += 1
                    log.warning("map tiles: %s asks to wait %.0f s (HTTP %s)",
                                urlsplit(url).hostname, wait, resp.status_code)
                elif resp.status_code not in (204, 404):
                    self.stats.failed += 1
        except requests.RequestException as exc:
            self.stats.failed += 1
            log.debug("map tiles: %s: %s", url, exc)
        if data is None:
            self.stats.missing += 1
            _call(callback, None, None)
            return
        self.stats.fetched += 1
        _call(callback, data, content_type(data))
        if self.writable and not self._closed:
            self._db_jobs.put(("put", (z, x, y, data)))


def _call(callback: Callback, data, ctype) -> None:
    try:
        callback(data, ctype)
    except Exception:
        log.exception("map tiles: callback")
