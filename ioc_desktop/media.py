"""Media from the backend's HTTP side (camera snapshots, report photos).

Fetched with requests on a worker thread, never the GUI's; the newest copy of each URL
is kept in the cache (table ``media``), so that during an outage, or when reviewing a
cache offline, the last image seen is still there (marked as such).  Only the backend's
own host (and hosts configured as allowed) is ever contacted.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests

from ioc_desktop.config import DEMO_TOKEN

log = logging.getLogger(__name__)
MAX_MEDIA_BYTES = 5 * 1024 * 1024
ALLOWED_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass
class MediaResult:
    url: str
    data: bytes | None = None
    content_type: str | None = None
    fetched_at: float | None = None     # when these bytes came from the backend
    from_cache: bool = False            # True: the backend could not be reached; older copy
    error: str | None = None


def http_base(feed_url: str | None) -> str | None:
    """ws://host:port/feed -> http://host:port/ (wss -> https)."""
    if not feed_url:
        return None
    parts = urlsplit(feed_url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme)
    return f"{scheme}://{parts.netloc}/" if scheme else None


class MediaFetcher:
    def __init__(self, feed_url: str | None, writer, token: str = DEMO_TOKEN,
                 allowed_hosts: tuple[str, ...] = (), timeout: float = 5.0):
        self.base = http_base(feed_url)
        self.writer = writer
        self.timeout = timeout
        self.allowed = {h.lower() for h in allowed_hosts}
        if self.base:
            self.allowed.add((urlsplit(self.base).hostname or "").lower())
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ioc-media", daemon=True)
        self._thread.start()

    def resolve(self, url: str) -> str:
        """An absolute http(s) URL on an allowed host, or ValueError with the reason."""
        if not isinstance(url, str) or not url or len(url) > 2000:
            raise ValueError("no usable media URL")
        absolute = urljoin(self.base, url) if self.base else url
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"media URL scheme {parts.scheme!r} not allowed")
        if (parts.hostname or "").lower() not in self.allowed:
            raise ValueError(f"media host {parts.hostname!r} is not the backend's")
        return absolute

    def fetch(self, url: str, callback: Callable[[MediaResult], None]) -> None:
        self.jobs.put((url, callback))

    def close(self) -> None:
        self.jobs.put(None)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    # ------------------------------------------------------------------ worker
    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                break
            url, callback = job
            try:
                result = self._fetch(url)
            except Exception as exc:  # never lose the worker
                log.exception("media fetch failed")
                result = MediaResult(url, error=f"{type(exc).__name__}: {exc}")
            try:
                callback(result)
            except Exception:
                log.exception("media callback failed")

    def _fetch(self, url: str) -> MediaResult:
        try:
            absolute = self.resolve(url)
        except ValueError as exc:
            return MediaResult(url, error=str(exc))
        try:
            with self.session.get(absolute, timeout=self.timeout, stream=True) as resp:
                if resp.status_code != 200:
                    raise IOError(f"HTTP {resp.status_code}")
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if ctype not in ALLOWED_TYPES:
                    raise IOError(f"not an image ({ctype or 'no type'})")
                data = resp.raw.read(MAX_MEDIA_BYTES + 1, decode_content=True)
                if len(data) > MAX_MEDIA_BYTES:
                    raise IOError(f"larger than {MAX_MEDIA_BYTES} bytes")
        except (requests.RequestException, IOError) as exc:
            cached = self._cached(absolute)
            if cached is not None:
                cached.from_cache, cached.error, cached.url = True, str(exc), url
                return cached
            return MediaResult(url, error=str(exc))
        now = time.time()
        if self.writer is not None:
            self.writer.call(lambda store: store.put_media(absolute, ctype, data, now))
        return MediaResult(url, data, ctype, now)

    def _cached(self, absolute: str) -> MediaResult | None:
        if self.writer is None:
            return None
        row = self.writer.call(lambda store: store.get_media(absolute)).result(10)
        if row is None:
            return None
        ctype, data, fetched_at = row
        return MediaResult(absolute, data, ctype, fetched_at)
