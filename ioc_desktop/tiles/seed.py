"""Fill an MBTiles file from a tile server (``ioc-desktop tiles seed``).

One tile at a time, at most ``rate`` a second, lowest zoom first (a usable map soonest);
tiles already in the file are skipped, so an interrupted seed resumes where it stopped
(the file is committed every :data:`COMMIT_EVERY` tiles or seconds).  What a server is
owed (User-Agent, Retry-After, zoom cap, OSM's policy): :mod:`.policy`.  No Qt.
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from ioc_desktop.tiles import policy
from ioc_desktop.tiles.mbtiles import MBTiles, count_tiles, image_type, tile_range

if TYPE_CHECKING:       # imported when a seed starts: the app reads --tiles without it
    import requests

COMMIT_EVERY = 50               # tiles, and
COMMIT_SECONDS = 5.0            # seconds
RETRIES = 3                     # a connection error or a 5xx, before giving up
BACKOFF = 0.5                   # seconds before the first retry, doubling
MAX_THROTTLES = 6               # 429s in a row for one tile before stopping
TIMEOUT = (10.0, 30.0)          # connect, read


class SeedError(Exception):
    """The seed stops: ``kind`` is ``unreachable`` (host, reason), ``refused`` (status),
    ``throttled`` (seconds) or ``file`` (reason); the tiles stored so far are kept."""

    def __init__(self, kind: str, **details):
        super().__init__(kind, details)
        self.kind = kind
        self.details = details


@dataclass
class SeedPlan:
    url: str                                   # http(s)://…/{z}/{x}/{y}.png
    bbox: tuple[float, float, float, float]    # west, south, east, north
    zooms: range
    out: Path
    rate: float = policy.DEFAULT_RATE
    contact: str | None = None
    name: str | None = None
    attribution: str | None = None

    @property
    def total(self) -> int:
        return count_tiles(self.bbox, self.zooms)


@dataclass
class SeedResult:
    total: int = 0
    already: int = 0             # in the file before (skipped)
    fetched: int = 0
    missing: int = 0             # 404 / 204: the server has no such tile
    failed: int = 0              # not an image, too large, a 5xx after retries
    fetched_bytes: int = 0
    throttled: int = 0           # 429 answers
    requests: int = 0
    final_rate: float = 0.0
    failures: list[str] = field(default_factory=list)   # the first few reasons

    @property
    def done(self) -> int:
        return self.already + self.fetched + self.missing + self.failed


def tile_url(template: str, z: int, x: int, y: int) -> str:
    return template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


class Seeder:
    def __init__(self, plan: SeedPlan, *, session: requests.Session | None = None,
                 on_progress: Callable[[SeedResult], None] | None = None,
                 on_wait: Callable[[float, int, float], None] | None = None,
                 clock=time.monotonic, sleep=time.sleep):
        import requests
        self.plan = plan
        self.session = session or requests.Session()
        self.session.max_redirects = 5
        self.headers = {"User-Agent": policy.user_agent(plan.contact, "tiles seed")}
        self.limiter = policy.RateLimiter(plan.rate, clock=clock, sleep=sleep)
        self.on_progress = on_progress or (lambda result: None)
        self.on_wait = on_wait or (lambda seconds, status, rate: None)
        self.clock, self.sleep = clock, sleep
        self.result = SeedResult(total=plan.total, final_rate=plan.rate)
        self.host = urlsplit(plan.url).hostname or plan.url

    # ------------------------------------------------------------------ the run
    def run(self) -> SeedResult:
        """Seed; raises SeedError (or KeyboardInterrupt) after committing what it has."""
        try:
            mb = MBTiles(self.plan.out, create=True)
        except Exception as exc:
            raise SeedError("file", reason=str(exc)) from None
        try:
            if not mb.writable:
                raise SeedError("file", reason="its tiles are a view (a deduplicated file): it can be "
                                               "read, not added to")
            self._write_metadata(mb)
            mb.commit()
            plan = self.plan
            # what is already there, first: the plan's line says how much is left
            todo = []
            for z in plan.zooms:
                xs, ys = tile_range(plan.bbox, z)
                have = mb.existing(z, xs, ys)
                self.result.already += len(have)
                todo.append((z, xs, ys, have))
            self.on_progress(self.result)
            last_commit, pending = self.clock(), 0
            for z, xs, ys, have in todo:
                for x in xs:
                    for y in ys:
                        if (x, y) in have:
                            continue
                        data = self._fetch(z, x, y)
                        if data is not None:
                            kind = image_type(data)
                            if kind is None:
                                self._fail(z, x, y, "not an image")
                            else:
                                if self.result.fetched == 0 and mb.metadata().get("format") != kind:
                                    mb.set_metadata({"format": kind})
                                mb.put(z, x, y, data)
                                self.result.fetched += 1
                                self.result.fetched_bytes += len(data)
                                pending += 1
                        self.on_progress(self.result)
                        if pending >= COMMIT_EVERY or self.clock() - last_commit >= COMMIT_SECONDS:
                            mb.commit()
                            last_commit, pending = self.clock(), 0
            mb.commit()
            return self.result
        except BaseException:
            try:
                mb.commit()
            except Exception:
                pass
            raise
        finally:
            mb.close()

    def _write_metadata(self, mb: MBTiles) -> None:
        plan, old = self.plan, mb.metadata()
        west, south, east, north = plan.bbox
        if old.get("bounds"):
            try:
                w, s, e, n = (float(v) for v in old["bounds"].split(","))
                west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
            except ValueError:
                pass
        low, high = plan.zooms[0], plan.zooms[-1]
        for key, pick in (("minzoom", min), ("maxzoom", max)):
            try:
                value = int(old[key])
                if key == "minzoom":
                    low = pick(low, value)
                else:
                    high = pick(high, value)
            except (KeyError, ValueError):
                pass
        values = {
            "name": plan.name or old.get("name") or plan.out.stem,
            "format": old.get("format") or "png",
            "bounds": ",".join(f"{v:.6f}".rstrip("0").rstrip(".") for v in (west, south, east, north)),
            "center": "{:.6f},{:.6f},{}".format((west + east) / 2, (south + north) / 2,
                                               max(low, min(high, (low + high) // 2))),
            "minzoom": str(low), "maxzoom": str(high),
            "type": old.get("type") or "baselayer",
            "version": old.get("version") or "1",
            "description": old.get("description") or f"Map tiles from {self.host}, seeded by "
                                                      f"{policy.APP_NAME} (ioc-desktop tiles seed)",
        }
        if plan.attribution is not None:
            values["attribution"] = plan.attribution
        mb.set_metadata(values)

    # ------------------------------------------------------------------ one tile
    def _fail(self, z: int, x: int, y: int, reason: str) -> None:
        self.result.failed += 1
        if len(self.result.failures) < 5:
            self.result.failures.append(f"{z}/{x}/{y}: {reason}")

    def _fetch(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes; None when missing on the server or failed (counted)."""
        import requests
        url = tile_url(self.plan.url, z, x, y)
        errors = throttles = 0
        while True:
            self.limiter.wait()
            self.result.requests += 1
            try:
                with self.session.get(url, headers=self.headers, timeout=TIMEOUT, stream=True) as resp:
                    status = resp.status_code
                    if status == 200:
                        data = resp.raw.read(policy.MAX_TILE_BYTES + 1, decode_content=True)
                        if len(data) > policy.MAX_TILE_BYTES:
                            self._fail(z, x, y, f"larger than {policy.MAX_TILE_BYTES} bytes")
                            return None
                        return data
                    wait = policy.retry_after(resp.headers.get("Retry-After"))
            except requests.RequestException as exc:
                errors += 1
                if errors > RETRIES:
                    raise SeedError("unreachable", host=self.host, reason=_reason(exc)) from None
                self.limiter.pause(BACKOFF * 2 ** (errors - 1))
                continue
            if status in (204, 404):
                self.result.missing += 1
                return None
            if status == 429 or (status == 503 and wait is not None):
                throttles += 1
                self.result.throttled += 1
                wait = policy.DEFAULT_RETRY_AFTER if wait is None else wait
                if wait > policy.MAX_RETRY_AFTER or throttles > MAX_THROTTLES:
                    raise SeedError("throttled", seconds=math.ceil(wait), status=status)
                rate = self.limiter.slow_down()
                self.result.final_rate = rate
                self.on_wait(wait, status, rate)
                self.limiter.pause(wait)
                continue
            if status >= 500:
                errors += 1
                if errors > RETRIES:
                    self._fail(z, x, y, f"HTTP {status}")
                    return None
                self.limiter.pause(BACKOFF * 2 ** (errors - 1))
                continue
            raise SeedError("refused", status=status, host=self.host)


def _reason(exc: BaseException) -> str:
    """A connection error in a few words (requests' own texts are long)."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "No route to host", "Temporary failure in name resolution"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


# ------------------------------------------------------------------------ progress
class Progress:
    """A one-line progress report on stderr: rewritten in place on a terminal, else a
    line every 10 % (or 30 s).  ``line(result)`` makes the text (translated)."""

    def __init__(self, line: Callable[[SeedResult], str], stream=None, quiet: bool = False,
                 clock=time.monotonic):
        self.line = line
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.clock = clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = -1e9
        self._last_decile = -1
        self._open = False

    def update(self, result: SeedResult, force: bool = False) -> None:
        if self.quiet or result.total == 0:
            return
        now = self.clock()
        decile = int(10 * result.done / result.total)
        if self.tty:
            if force or now - self._last >= 0.2 or result.done == result.total:
                self.stream.write("\r\x1b[2K" + self.line(result))
                self.stream.flush()
                self._open = True
                self._last = now
        elif force or decile > self._last_decile or now - self._last >= 30:
            self.stream.write(self.line(result) + "\n")
            self.stream.flush()
            self._last, self._last_decile = now, decile

    def note(self, text: str) -> None:
        """A line of its own (a wait, a warning), the progress line coming back after."""
        if self.quiet:
            return
        self.end()
        self.stream.write(text + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
