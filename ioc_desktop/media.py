"""Media from the backend's HTTP side (camera snapshots, report photos).

Fetched with requests on a worker thread, never the GUI's; the newest copy of each URL
is kept in the cache (table ``media``), so that during an outage, or when reviewing a
cache offline, the last image seen is still there (marked as such).

Only the backend's own origin (scheme, host and port) and the configured media origins
are ever contacted, redirects included; the bearer token goes to the backend's origin
alone.

The cached copies are keyed by what outlives the backend's address (the embedded demo
backend gets a new port at every run; a cache is reviewed with no backend at all):

- the backend's own media by their path on the backend (``/media/cameras/x.png?v=3``),
  whether the feed gave that path or an absolute URL on the backend's origin;
- another origin's media by their full URL (``https://cdn.example/p.jpg``).

A copy is looked up when the medium can't be fetched now: the backend is down, the
review is offline (no backend: a backend path is only looked up, never fetched), or
the URL names an origin that isn't allowed any more (the old port of the backend): then
only a copy fetched from exactly that URL is given, and nothing is contacted.  A cache
of the previous schema (keyed by absolute URL) is migrated by the store and its copies
are still found (:meth:`ioc_desktop.store.store.Store.get_media`).
"""
from __future__ import annotations

import ipaddress
import logging
import queue
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable, NamedTuple
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import requests

from ioc_desktop.config import DEMO_TOKEN
from ioc_desktop.workers import Worker

log = logging.getLogger(__name__)
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
ALLOWED_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class MediaResult:
    url: str
    data: bytes | None = None
    content_type: str | None = None
    fetched_at: float | None = None     # when these bytes came from the backend
    from_cache: bool = False            # True: the backend could not be reached; older copy
    error: str | None = None


class Origin(NamedTuple):
    """scheme + host + port, normalised: lower case, default port filled in, IP
    addresses in their canonical form (``[0:0::1]`` and ``[::1]`` are one origin)."""
    scheme: str
    host: str
    port: int

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}"


def refuse_control_characters(url: str) -> None:
    # urlsplit and urljoin silently drop tabs and newlines: refuse them instead of guessing
    if any(unicodedata.category(c) == "Cc" for c in url):
        raise ValueError("URL contains control characters")


def parse_origin(url: str) -> tuple[Origin, SplitResult]:
    """The origin of an absolute http(s) URL and its parts, or ValueError with the reason."""
    refuse_control_characters(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError("malformed URL") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError(f"URL scheme {parts.scheme[:20]!r} not allowed")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError("invalid port in URL")
    host = parts.hostname
    if not host:
        raise ValueError("URL has no host")
    if not host.isascii():
        raise ValueError("URL host must be ASCII (punycode)")
    try:
        host = ipaddress.ip_address(host).compressed
    except ValueError:
        pass                            # a name, not an address
    origin = Origin(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme])
    if "@" in parts.netloc:
        raise ValueError(f"user name or password in URL for {origin} refused")
    return origin, parts


def http_base(feed_url: str | None) -> str | None:
    """ws://host:port/feed -> http://host:port/ (wss -> https); None for no ws(s) URL.
    User info in the feed URL is left out: it is for the feed, not for media URLs."""
    if not feed_url:
        return None
    try:
        parts = urlsplit(feed_url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme)
        if scheme is None:
            return None
        netloc = parts.netloc.rpartition("@")[2]
        origin, _ = parse_origin(f"{scheme}://{netloc}/")
    except ValueError as exc:
        raise ValueError(f"feed URL gives no backend origin: {exc}") from None
    return f"{origin}/"


def media_origin(text: str) -> Origin:
    """A configured media origin, ``http(s)://host[:port]``, or ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"media origin {text!r} is not a string")
    try:
        origin, parts = parse_origin(text)
    except ValueError as exc:
        raise ValueError(f"bad media origin {text!r}: {exc}") from None
    if parts.path not in ("", "/") or "?" in text or "#" in text:
        raise ValueError(f"bad media origin {text!r}: only http(s)://host[:port] is allowed")
    return origin


class MediaFetcher:
    def __init__(self, feed_url: str | None, writer, token: str = DEMO_TOKEN,
                 media_origins: tuple[str, ...] = (), timeout: float = 5.0):
        if isinstance(media_origins, str):
            raise ValueError("media_origins must be a tuple of origins, not one string")
        self.base = http_base(feed_url)
        self.backend = parse_origin(self.base)[0] if self.base else None
        self.allowed = {media_origin(o) for o in media_origins}
        if self.backend:
            self.allowed.add(self.backend)
        self.writer = writer
        self.timeout = timeout
        self._token = token             # read by the worker per request; see set_token
        self.session = requests.Session()
        # No proxy from the environment and no ~/.netrc: a proxy would see the token,
        # a netrc entry would replace it.
        self.session.trust_env = False
        self.jobs: queue.Queue = queue.Queue()
        self.worker = Worker("ioc-media", self._run)
        self.worker.start()

    def set_token(self, token: str) -> None:
        """Use another bearer token from the next request on (one attribute store, so
        the worker sees either the old token or the new one)."""
        self._token = token

    def resolve(self, url: str) -> str:
        """An absolute http(s) URL on an allowed origin, or ValueError with the reason."""
        return self._resolve(url)[0]

    def _resolve(self, url: str, against: str | None = None) -> tuple[str, Origin]:
        """``url`` made absolute (against ``against``, by default the backend's base)
        and checked; it is rebuilt from the checked origin, so that the host requests
        connects to is the one compared here."""
        if not isinstance(url, str) or not url or len(url) > 2000:
            raise ValueError("no usable media URL")
        refuse_control_characters(url)
        base = against or self.base
        try:
            absolute = urljoin(base, url) if base else url
        except ValueError:
            raise ValueError("malformed URL") from None
        origin, parts = parse_origin(absolute)
        if origin not in self.allowed:
            raise ValueError(f"origin {origin} is not the backend's nor a configured media origin")
        return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, "")), origin

    def fetch(self, url: str, callback: Callable[[MediaResult], None]) -> None:
        self.jobs.put((url, callback))

    def restart(self) -> None:
        """Run again after the thread died (the supervisor calls this); queued jobs kept."""
        if not self.worker.is_alive():
            self.worker.start()

    def close(self) -> None:
        self.worker.stopping = True
        self.jobs.put(None)

    def join(self, timeout: float | None = None) -> None:
        self.worker.join(timeout)

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

    def cache_key(self, absolute: str, origin: Origin) -> tuple[str, str, str]:
        """``(key, path, kind)`` under which a checked absolute URL's copy is kept: its
        path on the backend (``kind = 'backend'``) or the URL itself (``'origin'``)."""
        parts = urlsplit(absolute)
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        if origin == self.backend:
            return path, path, "backend"
        return absolute, path, "origin"

    def _fetch(self, url: str) -> MediaResult:
        try:
            absolute, origin = self._resolve(url)
        except ValueError as exc:
            offline_path = _backend_path(url) if self.base is None else None
            cached = self._cached_unfetchable(url)
            if cached is not None:
                cached.from_cache, cached.url = True, url
                cached.error = "offline: no backend to fetch from" if offline_path else str(exc)
                return cached
            if offline_path is not None:
                return MediaResult(url, error=f"offline: no backend to fetch from, and no cached "
                                              f"copy of {offline_path[:200]}")
            return MediaResult(url, error=str(exc))
        key, path, kind = self.cache_key(absolute, origin)
        try:
            with self._get(absolute, origin) as resp:
                if resp.status_code != 200:
                    raise IOError(f"HTTP {resp.status_code}")
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if ctype not in ALLOWED_TYPES:
                    raise IOError(f"not an image ({ctype or 'no type'})")
                data = resp.raw.read(MAX_MEDIA_BYTES + 1, decode_content=True)
                if len(data) > MAX_MEDIA_BYTES:
                    raise IOError(f"larger than {MAX_MEDIA_BYTES} bytes")
        except (requests.RequestException, IOError) as exc:
            cached = self._cached(key, url=absolute, legacy_path=path if kind == "backend" else None)
            if cached is not None:
                cached.from_cache, cached.error, cached.url = True, str(exc), url
                return cached
            return MediaResult(url, error=str(exc))
        now = time.time()
        if self.writer is not None:
            self.writer.call(lambda store: store.put_media(key, absolute, str(origin), path, kind,
                                                           ctype, data, now))
        return MediaResult(url, data, ctype, now)

    def _get(self, url: str, origin: Origin) -> requests.Response:
        """GET ``url``, following redirects by hand (requests would follow them anywhere):
        at most MAX_REDIRECTS, each target held to the same origin rule, and the token
        sent on a hop only when that hop goes to the backend's origin."""
        for _ in range(MAX_REDIRECTS + 1):
            token = self._token if origin == self.backend else None
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            request = self.session.prepare_request(requests.Request("GET", url, headers=headers))
            # The adapter, not session.send(allow_redirects=False): that one still reads a
            # redirect's whole body (no size limit), parses its Location its own way, and
            # keeps cookies, which ignore ports and so would reach other origins on the host.
            resp = self.session.get_adapter(url).send(request, stream=True, timeout=self.timeout)
            target = self.session.get_redirect_target(resp)
            if target is None:
                return resp
            resp.close()
            try:
                url, origin = self._resolve(target, against=url)
            except ValueError as exc:
                raise IOError(f"redirect refused: {exc}") from None
        raise IOError(f"more than {MAX_REDIRECTS} redirects")

    def _cached(self, key: str, *, url: str | None = None,
                legacy_path: str | None = None) -> MediaResult | None:
        if self.writer is None:
            return None
        row = self.writer.call(lambda store: store.get_media(
            key, url=url, legacy_path=legacy_path)).result(10)
        if row is None:
            return None
        ctype, data, fetched_at = row
        return MediaResult(key, data, ctype, fetched_at)

    def _cached_unfetchable(self, url) -> MediaResult | None:
        """The cached copy of a medium that may not be fetched now, without contacting
        anything: a backend path with no backend (offline review) by its path; an
        absolute URL on an origin not allowed now (say, the backend's previous port)
        only by a copy fetched from exactly that URL (or, from a schema-1 cache, stored
        under it)."""
        if self.writer is None or _usable(url) is None:
            return None
        path = _backend_path(url)
        if path is not None:
            if self.base is not None:           # a backend path is always fetchable then
                return None
            return self._cached(path, legacy_path=path)
        try:
            origin, parts = parse_origin(url)
        except ValueError:
            return None
        absolute = urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))
        return self._cached(absolute, url=absolute)


def _usable(url) -> str | None:
    """``url`` if it is a text a media URL can be (the checks of ``_resolve``), else None."""
    if not isinstance(url, str) or not url or len(url) > 2000:
        return None
    try:
        refuse_control_characters(url)
    except ValueError:
        return None
    return url


def _backend_path(url) -> str | None:
    """``/a/b.png?q`` (fragment dropped) for a usable path on the backend, else None."""
    if _usable(url) is None or not url.startswith("/") or url.startswith("//"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))
