"""The map's tiles in an MBTiles file: `tiles seed` / `tiles info`, the mbtiles:// scheme
the map reads them through, the fallback to the basemap, and the read-through.

A real tile server on loopback (a thread) serves generated PNGs, one colour per z/x/y;
the map is a real QtWebEngine page whose grabbed pixels are checked; the files are real
SQLite.  Nothing here reaches the internet (OpenStreetMap's host is refused before any
request: the test makes sure nothing is sent).
"""
from __future__ import annotations

import colorsys
import json
import math
import os
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from PySide6 import QtGui

import main as app_main
from demo_backend.png import Canvas
from ioc_desktop.tiles import policy
from ioc_desktop.tiles.mbtiles import (APPLICATION_ID, MBTiles, lonlat_to_tile, tile_bounds,
                                       tile_range, tms_row)
from ioc_desktop.tiles.policy import RateLimiter, retry_after
from ioc_desktop.tiles.source import TileSource
from widgets import tile_scheme
from widgets.map_view import MapView

REPO = Path(__file__).resolve().parents[1]
BBOX = (107.50, 16.40, 107.66, 16.52)           # Huế: 12 tiles at zoom 9-12
BBOX_TEXT = "107.50,16.40,107.66,16.52"
CENTER = (16.46, 107.59)
# the basemap's colours (resources/map/ioc_map.js, ioc_map.css): what a missing tile shows
BASEMAP_COLORS = ("#f4f1e8", "#e6e2d9", "#a7cfe0", "#a9cfe0", "#8fbfd4")
READY_TIMEOUT_MS = 20000


def tile_color(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A saturated colour per tile (never a basemap colour); neighbours differ."""
    hue = ((x % 5) * 5 + (y % 5) * 2 + z * 3) % 25 / 25
    r, g, b = colorsys.hsv_to_rgb(hue, 0.9, 0.8)
    return int(r * 255), int(g * 255), int(b * 255)


def hex_color(rgb) -> str:
    return "#%02x%02x%02x" % tuple(rgb)


class TileServer:
    """A loopback tile server: /z/x/y.png in the tile's colour; records every request.
    ``missing``: tiles answered 404; ``throttle[(z, x, y)]``: Retry-After values answered
    with 429 (one per request) before the tile; ``status``: answer every request so."""

    def __init__(self):
        self.requests: list[tuple[float, str, dict[str, str]]] = []
        self.missing: set[tuple[int, int, int]] = set()
        self.throttle: dict[tuple[int, int, int], list[str | None]] = {}
        self.status: int | None = None
        self._pngs: dict[tuple, bytes] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((time.monotonic(), self.path,
                                        {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = server.answer(self.path)
                self.send_response(status)
                for k, v in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def png(self, z, x, y) -> bytes:
        key = tile_color(z, x, y)
        with self._lock:
            if key not in self._pngs:
                self._pngs[key] = Canvas(256, 256, key).png()
            return self._pngs[key]

    def answer(self, path: str):
        if self.status is not None:
            return self.status, {}, b"no"
        try:
            z, x, y = (int(v) for v in path.removesuffix(".png").strip("/").split("/"))
        except ValueError:
            return 400, {}, b"bad"
        waits = self.throttle.get((z, x, y))
        if waits:
            wait = waits.pop(0)
            return 429, ({"Retry-After": wait} if wait is not None else {}), b"slow down"
        if (z, x, y) in self.missing:
            return 404, {}, b"none"
        return 200, {"Content-Type": "image/png"}, self.png(z, x, y)

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.requests]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = TileServer()
    yield s
    s.close()


@pytest.fixture
def no_internet(monkeypatch):
    """Any request that isn't to loopback fails the test (and is never sent)."""
    real = requests.adapters.HTTPAdapter.send
    sent = []

    def send(self, request, *args, **kwargs):
        host = requests.utils.urlparse(request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            sent.append(request.url)
            raise AssertionError(f"a request to the internet: {request.url}")
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return sent


def seed(*args: str, capsys=None) -> tuple[int, str]:
    code = app_main.main(["--lang", "en", "tiles", "seed", *args])
    err = capsys.readouterr().err if capsys is not None else ""
    return code, err


def expected_tiles(bbox, zooms):
    out = set()
    for z in zooms:
        xs, ys = tile_range(bbox, z)
        out |= {(z, x, y) for x in xs for y in ys}
    return out


def stored(path) -> dict[tuple[int, int, int], bytes]:
    """XYZ tile -> bytes, read with plain SQL (the TMS flip undone here, by hand)."""
    conn = sqlite3.connect(path)
    try:
        return {(z, x, (1 << z) - 1 - row): bytes(data) for z, x, row, data in
                conn.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")}
    finally:
        conn.close()


def png_color(data: bytes) -> str:
    image = QtGui.QImage.fromData(data)
    return QtGui.QColor(image.pixel(128, 128)).name()


# ------------------------------------------------------------------------ seeding
def test_seed_fills_an_mbtiles_file_by_the_spec(server, tmp_path, capsys, no_internet):
    out = tmp_path / "hue.mbtiles"
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-12", "--out", str(out),
                     "--rate", "50", "--contact", "ops@example.org", "--name", "Huế",
                     "--attribution", "© test tiles", capsys=capsys)
    assert code == 0, err
    want = expected_tiles(BBOX, range(9, 13))
    assert len(want) == 12
    tiles = stored(out)
    assert set(tiles) == want
    for (z, x, y), data in tiles.items():                # TMS rows: the colour of XYZ z/x/y
        assert png_color(data) == hex_color(tile_color(z, x, y)), (z, x, y)
    conn = sqlite3.connect(out)
    try:
        meta = dict(conn.execute("SELECT name, value FROM metadata"))
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        index = [r for r in conn.execute("PRAGMA index_list(tiles)") if r[2]]
        assert index and [c[2] for c in conn.execute(f"PRAGMA index_info('{index[0][1]}')")] == [
            "zoom_level", "tile_column", "tile_row"]
        assert [c[1] for c in conn.execute("PRAGMA table_info(metadata)")] == ["name", "value"]
    finally:
        conn.close()
    assert meta["name"] == "Huế" and meta["format"] == "png" and meta["attribution"] == "© test tiles"
    assert (meta["minzoom"], meta["maxzoom"]) == ("9", "12")
    assert [float(v) for v in meta["bounds"].split(",")] == list(BBOX)
    lon, lat, zoom = meta["center"].split(",")
    assert abs(float(lon) - 107.58) < 1e-6 and abs(float(lat) - 16.46) < 1e-6 and 9 <= int(zoom) <= 12
    # who asks: the program, its version and the contact, on every request
    agents = {h["user-agent"] for _, _, h in server.requests}
    assert agents == {f"HueIOC-Desktop/{policy.app_version()} (tiles seed; +ops@example.org)"}
    assert len(server.requests) == 12
    assert "12 tiles of zoom 9–12 from 127.0.0.1" in err and "0 already there, 12 to fetch" in err
    assert "done: 12 tiles fetched" in err and "holds 12 tiles" in err
    assert "tiles: 12/12 (100 %)" in err                  # the progress line's last state
    assert no_internet == []


def test_a_second_run_fetches_nothing_and_a_wider_one_only_what_is_new(server, tmp_path, capsys):
    out = tmp_path / "t.mbtiles"
    assert seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-11", "--out", str(out),
                "--rate", "50", capsys=capsys)[0] == 0
    assert len(server.requests) == 8
    before = stored(out)
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-11", "--out", str(out),
                     "--rate", "50", capsys=capsys)
    assert code == 0 and len(server.requests) == 8                  # nothing fetched again
    assert "8 already there, 0 to fetch" in err and "done: 0 tiles fetched" in err
    assert stored(out) == before
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-12", "--out", str(out),
                     "--rate", "50", capsys=capsys)
    assert code == 0 and "8 already there, 4 to fetch" in err
    assert sorted(server.paths()[8:]) == sorted(f"/12/{x}/{y}.png" for z, x, y in
                                                expected_tiles(BBOX, [12]))
    with sqlite3.connect(out) as conn:
        assert dict(conn.execute("SELECT name, value FROM metadata"))["maxzoom"] == "12"


def test_an_interrupted_seed_resumes_where_it_stopped(server, tmp_path, capsys):
    """Ctrl-C (SIGINT) in the middle: exit 130, what was fetched is kept; the same
    command again fetches only the rest."""
    import signal
    out = tmp_path / "t.mbtiles"
    args = ["--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-12", "--out", str(out)]
    proc = subprocess.Popen([sys.executable, str(REPO / "main.py"), "--lang", "en", "tiles", "seed",
                             *args, "--rate", "4"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(server.requests) < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        err = proc.communicate(timeout=30)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    kept = stored(out)
    # the 5th request may still be in flight at the signal: its tile is not kept
    assert 4 <= len(kept) < 12
    assert f"interrupted: {len(kept)} tiles fetched are kept in {out}; run the same command again" in err
    asked = len(server.requests)
    code, err = seed(*args, "--rate", "50", capsys=capsys)
    assert code == 0 and f"{len(kept)} already there, {12 - len(kept)} to fetch" in err
    assert len(server.requests) - asked == 12 - len(kept)
    assert set(stored(out)) == expected_tiles(BBOX, range(9, 13))


def test_a_server_error_is_retried_then_counted(server, tmp_path, capsys):
    out = tmp_path / "t.mbtiles"
    first, second = sorted(expected_tiles(BBOX, [9]))
    real_answer, calls = server.answer, {}

    def answer(path):
        calls[path] = calls.get(path, 0) + 1
        if path == "/%d/%d/%d.png" % first and calls[path] == 1:
            return 502, {}, b"bad gateway"                    # once: retried, then fine
        if path == "/%d/%d/%d.png" % second:
            return 500, {}, b"broken"                         # always: counted as failed
        return real_answer(path)

    server.answer = answer
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9", "--out", str(out),
                     "--rate", "50", capsys=capsys)
    assert code == 0 and "1 tiles fetched" in err and "1 failed" in err
    assert "failed tiles (the first ones): 9/%d/%d: HTTP 500" % second[1:] in err
    assert set(stored(out)) == {first} and calls["/%d/%d/%d.png" % second] == 4


def test_the_rate_limit_spaces_the_requests(server, tmp_path, capsys):
    # a fake clock: the limiter's sleeps add up to exactly (n - 1) / rate
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(policy.DEFAULT_RATE, clock=lambda: now[0], sleep=sleep)
    for _ in range(9):
        limiter.wait()
    assert policy.DEFAULT_RATE == 2.0 and math.isclose(sum(slept), 8 / 2.0)
    # for real, loosely: 8 tiles at 10/s take at least 0.7 s from the first to the last
    out = tmp_path / "t.mbtiles"
    started = time.monotonic()
    assert seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-11", "--out", str(out),
                "--rate", "10", capsys=capsys)[0] == 0
    times = [t for t, _, _ in server.requests]
    assert len(times) == 8 and times[-1] - times[0] >= 7 / 10 * 0.8
    assert time.monotonic() - started >= 0.7 * 0.8
    # and a bad rate is refused before anything
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9", "--out", str(out),
                     "--rate", "0", capsys=capsys)
    assert code == 2 and "--rate 0: must be a number from 0.01 to 50" in err


def test_http_429_is_honoured_with_retry_after_and_a_slower_rate(server, tmp_path, capsys):
    out = tmp_path / "t.mbtiles"
    first = min(expected_tiles(BBOX, [9]))
    server.throttle[first] = ["1"]
    started = time.monotonic()
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-10", "--out", str(out),
                     "--rate", "20", capsys=capsys)
    assert code == 0, err
    assert "127.0.0.1 asks to wait 1 s (HTTP 429); slowing down to 10 tiles/s" in err
    assert time.monotonic() - started >= 1.0
    path = "/%d/%d/%d.png" % first
    assert server.paths().count(path) == 2 and len(stored(out)) == 4
    retried_at = [t for t, p, _ in server.requests if p == path]
    assert retried_at[1] - retried_at[0] >= 0.9
    # a server that asks for an hour: stop (exit 4), keep what was fetched
    out2 = tmp_path / "t2.mbtiles"
    later = sorted(expected_tiles(BBOX, [10]))[0]
    server.throttle[later] = ["3600"]
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-10", "--out", str(out2),
                     "--rate", "50", capsys=capsys)
    assert code == 4
    assert "127.0.0.1 asks to wait 3600 s (HTTP 429); stopped; the 2 tiles fetched are kept" in err
    assert len(stored(out2)) == 2


def test_retry_after_takes_seconds_or_an_http_date():
    assert retry_after("120") == 120
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_bad_options_and_policies_are_refused_in_one_line(server, tmp_path, capsys, no_internet):
    out = str(tmp_path / "t.mbtiles")
    cases = [
        (["--url", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "--bbox", BBOX_TEXT,
          "--zoom", "9", "--out", out], 2,
         "tile.openstreetmap.org: OpenStreetMap's tile usage policy forbids bulk downloading (seeding)"),
        (["--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "12-20", "--out", out], 2,
         "--zoom 12-20: zoom 20 is deeper than 19"),
        (["--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "15-12", "--out", out], 2,
         "--zoom 15-12: not a zoom range"),
        (["--url", server.url, "--bbox", "107.6,16.4,107.5,16.5", "--zoom", "9", "--out", out], 2,
         "--bbox 107.6,16.4,107.5,16.5: not a bounding box"),
        (["--url", "ftp://x/{z}/{x}/{y}", "--bbox", BBOX_TEXT, "--zoom", "9", "--out", out], 2,
         "--url ftp://x/{z}/{x}/{y}: not a tile address"),
        (["--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9", "--out", out, "--contact", "a (b)"], 2,
         "--contact a (b): not a contact"),
        (["--url", server.url, "--bbox=-180,-85,180,85", "--zoom", "0-19", "--out", out], 2,
         "tiles is more than 1000000 for one seed"),
    ]
    for args, code, text in cases:
        got, err = seed(*args, capsys=capsys)
        assert got == code and text in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err
    assert server.requests == [] and no_internet == [] and not Path(out).exists()


def test_an_unreachable_server_or_an_unusable_file(tmp_path, capsys, server):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "t.mbtiles"
    code, err = seed("--url", f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", "--bbox", BBOX_TEXT,
                     "--zoom", "9", "--out", str(out), "--rate", "50", capsys=capsys)
    assert code == 4 and "cannot reach 127.0.0.1: connection refused; the 0 tiles fetched are kept" in err
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9", "--out", str(text),
                     "--rate", "50", capsys=capsys)
    assert code == 5 and "--out" in err and "not a usable MBTiles file" in err
    assert text.read_text().startswith("not a database")          # never overwritten
    server.status = 403
    code, err = seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9", "--out", str(out),
                     "--rate", "50", capsys=capsys)
    assert code == 4 and "127.0.0.1 refused the tiles (HTTP 403); stopped" in err


# ------------------------------------------------------------------------ tiles info
def test_tiles_info_describes_a_file(server, tmp_path, capsys):
    out = tmp_path / "hue.mbtiles"
    server.missing.add(max(expected_tiles(BBOX, [12])))
    assert seed("--url", server.url, "--bbox", BBOX_TEXT, "--zoom", "9-12", "--out", str(out),
                "--rate", "50", "--attribution", "© test", capsys=capsys)[0] == 0
    assert app_main.main(["--lang", "en", "tiles", "info", str(out)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith(f"{out}: ") and lines[0].endswith(", 11 tiles")
    assert "KiB" in lines[0] or "MiB" in lines[0]
    for expected in ("  name         hue", "  format       png", "  attribution  © test",
                     "  bounds       107.5,16.4,107.66,16.52", "  minzoom      9", "  maxzoom      12",
                     "  zoom 9: 2 tiles", "  zoom 12: 3 tiles"):
        assert expected in lines, (expected, text)
    west, south, east, north = tile_bounds(12, 3271, 1857)[0], tile_bounds(12, 3272, 1858)[1], \
        tile_bounds(12, 3272, 1857)[2], tile_bounds(12, 3271, 1857)[3]
    assert any(line.startswith("the tiles of zoom 12 cover ") for line in lines)
    assert app_main.main(["--lang", "en", "tiles", "info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["zooms"] == {"9": 2, "10": 2, "11": 4, "12": 3} and info["tiles"] == 11
    assert info["metadata"]["format"] == "png" and info["size"] == out.stat().st_size
    assert [round(v, 4) for v in info["tile_bounds"]] == [round(v, 4) for v in (west, south, east, north)]
    # unusable files: exit 5, one line
    for bad, reason in [(tmp_path / "none.mbtiles", "no such file"),
                        (tmp_path, "not a regular file")]:
        assert app_main.main(["--lang", "en", "tiles", "info", str(bad)]) == 5
        err = capsys.readouterr().err
        assert err.strip().endswith(f"not a usable MBTiles file: {reason}") and len(err.splitlines()) == 1
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (a)").connection.close()
    assert app_main.main(["--lang", "en", "tiles", "info", str(other)]) == 5
    assert "not an MBTiles file (no tiles table)" in capsys.readouterr().err


def test_tiles_info_in_a_process_of_its_own_changes_nothing(tmp_path):
    path = tmp_path / "small.mbtiles"
    with MBTiles(path, create=True) as mb:
        mb.set_metadata({"name": "small", "format": "png"})
        mb.put(3, 6, 3, Canvas(4, 4, (1, 2, 3)).png())
        mb.commit()
    before = path.read_bytes()
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "--lang", "en", "tiles", "info", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "  zoom 3: 1 tiles" in proc.stdout and "  name    small" in proc.stdout
    assert path.read_bytes() == before


# ------------------------------------------------------------------------ the map
def view_tile_rect(center, zoom, size, tile):
    """Where XYZ ``tile`` of ``zoom`` is drawn in a Leaflet view of ``size`` on ``center``."""
    lat, lon = center
    scale = 256 * (1 << zoom)
    cx = (lon + 180) / 360 * scale
    cy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * scale
    x, y = tile
    left, top = 256 * x - cx + size[0] / 2, 256 * y - cy + size[1] / 2
    return left, top, left + 256, top + 256


def samples(image, rect, inset=24, n=6):
    left, top, right, bottom = rect
    out = []
    for i in range(n):
        for j in range(n):
            px = int(left + inset + (right - left - 2 * inset) * i / (n - 1))
            py = int(top + inset + (bottom - top - 2 * inset) * j / (n - 1))
            if 0 <= px < image.width() and 0 <= py < image.height():
                out.append(QtGui.QColor(image.pixel(px, py)))
    return out


def near(color: QtGui.QColor, hex_: str, tolerance=10) -> bool:
    t = QtGui.QColor(hex_)
    return (abs(color.red() - t.red()) <= tolerance and abs(color.green() - t.green()) <= tolerance
            and abs(color.blue() - t.blue()) <= tolerance)


def share(colors, hexes) -> float:
    return sum(any(near(c, h) for h in hexes) for c in colors) / max(1, len(colors))


def make_map(qtbot, source, center=CENTER, zoom=11, size=(800, 600)):
    view = MapView(center=center, zoom=zoom, tiles=source)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitUntil(lambda: view.is_ready, timeout=READY_TIMEOUT_MS)
    return view


def area_around(center, zoom, radius):
    cx, cy = lonlat_to_tile(center[1], center[0], zoom)
    west = tile_bounds(zoom, cx - radius, cy)[0]
    east = tile_bounds(zoom, cx + radius, cy)[2]
    north = tile_bounds(zoom, cx, cy - radius)[3]
    south = tile_bounds(zoom, cx, cy + radius)[1]
    # a hair inside, so that the edges don't take the next tiles
    e = 1e-6
    return (cx, cy), f"{west + e},{south + e},{east - e},{north - e}"


def test_the_offline_map_shows_the_seeded_tiles_and_the_basemap_where_one_is_missing(
        qtbot, server, tmp_path, capsys, no_internet):
    assert tile_scheme.scheme_ready()       # registered before the QApplication (at import)
    (cx, cy), bbox = area_around(CENTER, 11, 2)
    hole = (11, cx, cy)
    server.missing.add(hole)                 # the server has no tile there: the file neither
    out = tmp_path / "hue.mbtiles"
    code, err = seed("--url", server.url, "--bbox", bbox, "--zoom", "11", "--out", str(out),
                     "--rate", "50", capsys=capsys)
    assert code == 0 and "24 tiles fetched" in err and "1 missing on the server" in err
    server.requests.clear()
    source = TileSource(out)                 # offline: no tile server
    try:
        view = make_map(qtbot, source)
        size = (view.width(), view.height())
        neighbours = [(cx + dx, cy + dy) for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1))]

        def shown():
            image = view.grab().toImage()
            ok = all(share(samples(image, view_tile_rect(CENTER, 11, size, t)),
                           [hex_color(tile_color(11, *t))]) > 0.8 for t in neighbours)
            hole_px = samples(image, view_tile_rect(CENTER, 11, size, (cx, cy)))
            tile_hexes = [hex_color(tile_color(11, x, y)) for x in range(cx - 2, cx + 3)
                          for y in range(cy - 2, cy + 3)]
            return ok and share(hole_px, tile_hexes) == 0 and share(hole_px, BASEMAP_COLORS) > 0.6

        qtbot.waitUntil(shown, timeout=15000)
        view.grab().save(str(tmp_path / "offline_map.png"))
        handler = view._tile_handler
        assert handler.answered >= 4 and handler.not_found >= 1
        assert source.stats.served >= 4 and source.stats.missing >= 1
        assert view.blocked_requests == 0 and list(view.js_errors) == []
    finally:
        source.close()
    assert server.requests == [] and no_internet == []


def test_read_through_stores_what_was_seen_online_for_the_offline_map(qtbot, server, tmp_path,
                                                                      monkeypatch, no_internet):
    monkeypatch.setenv(policy.CONTACT_ENV, "ioc-ops@example.org")
    path = tmp_path / "cache-dir" / "tiles.mbtiles"
    path.parent.mkdir()
    cx, cy = lonlat_to_tile(CENTER[1], CENTER[0], 11)
    online = TileSource(path, tile_url=server.url)
    try:
        view = make_map(qtbot, online)
        size = (view.width(), view.height())

        def centre_shown(v):
            image = v.grab().toImage()
            return share(samples(image, view_tile_rect(CENTER, 11, size, (cx, cy))),
                         [hex_color(tile_color(11, cx, cy))]) > 0.8

        qtbot.waitUntil(lambda: centre_shown(view), timeout=15000)
        online.flush()
        seen = {tuple(int(v) for v in p.removesuffix(".png").strip("/").split("/"))
                for _, p, _ in server.requests}
        assert (11, cx, cy) in seen
        assert {h["user-agent"] for _, _, h in server.requests} == {
            f"HueIOC-Desktop/{policy.app_version()} (map; +ioc-ops@example.org)"}
        assert online.stats.fetched == len(server.requests) and online.stats.stored == online.stats.fetched
    finally:
        view.close()
        online.close()
    tiles = stored(path)
    assert set(tiles) == seen                   # every tile fetched online is in the file
    assert all(png_color(d) == hex_color(tile_color(*t)) for t, d in tiles.items())
    with MBTiles(path, readonly=True) as mb:
        assert mb.metadata()["format"] == "png" and mb.metadata()["name"]
    # offline now: the same view from the file alone, nothing asked of the server
    server.requests.clear()
    offline = TileSource(path)
    try:
        again = make_map(qtbot, offline)
        qtbot.waitUntil(lambda: centre_shown(again), timeout=15000)
    finally:
        offline.close()
    assert server.requests == [] and no_internet == []


def test_the_scheme_refuses_what_is_not_a_tile():
    parse = tile_scheme.parse_tile_path
    assert parse("/11/1636/929") == (11, 1636, 929) and parse("/0/0/0.png") == (0, 0, 0)
    for bad in ("/11/2048/0", "/1/0/2", "/31/0/0", "/a/b/c", "/11/1636", "/11/1636/929/1",
                "/11/-1/0", "/../../etc/passwd"):
        assert parse(bad) is None, bad
    assert tms_row(11, 791) == 1256    # the spec's example: 11/327/791 is row 1256


def run_app(tmp_path, *args: str) -> QtGui.QImage:
    shot = tmp_path / f"shot-{len(list(tmp_path.glob('shot-*.png')))}.png"
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), IOC_TILES_CONTACT="ops@example.org")
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "--lang", "en", *args,
                           "--screenshot", str(shot), "--run-for", "6"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return QtGui.QImage(str(shot))


def test_the_app_reads_tiles_through_into_the_file_beside_the_cache_and_shows_them_offline(
        tmp_path, server):
    """The real start-up order (main.py registers mbtiles:// before the QApplication).
    Online with --tile-url, the tiles the map showed are stored in tiles.mbtiles beside
    the cache (the default --tiles); offline, the map shows them from there."""
    cache = tmp_path / "cache" / "cache.sqlite"
    image = run_app(tmp_path, "--cache", str(cache), "--tile-url", server.url)
    tiles = stored(cache.parent / "tiles.mbtiles")
    seen = {tuple(int(v) for v in p.removesuffix(".png").strip("/").split("/")) for p in server.paths()}
    assert len(tiles) >= 6 and set(tiles) == seen
    assert {h["user-agent"] for _, _, h in server.requests} == {
        f"HueIOC-Desktop/{policy.app_version()} (map; +ops@example.org)"}
    server.requests.clear()
    image = run_app(tmp_path, "--cache", str(cache), "--offline")
    assert server.requests == []
    colours = {hex_color(tile_color(*t)) for t in tiles}
    step = 4
    hits = sum(1 for y in range(0, image.height(), step) for x in range(0, image.width(), step)
               if any(near(QtGui.QColor(image.pixel(x, y)), h, 4) for h in colours))
    assert hits * step * step > 3 * 256 * 256 / 2, hits        # tiles fill a good part of the map


def test_the_apps_tiles_file(tmp_path, capsys):
    from ioc_desktop.tiles.cli import resolve_app_tiles
    cache = tmp_path / "c" / "cache.sqlite"
    cache.parent.mkdir()
    url = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    beside = cache.parent / "tiles.mbtiles"
    assert resolve_app_tiles(None, cache, None, False) is None               # none: the basemap
    assert resolve_app_tiles(None, cache, url, True) is None                 # offline: no read-through
    assert resolve_app_tiles(None, cache, url, False) == beside              # created for read-through
    MBTiles(beside, create=True).close()
    assert resolve_app_tiles(None, cache, None, True) == beside              # there: used
    other = tmp_path / "other.mbtiles"
    assert resolve_app_tiles(str(other), cache, url, False) == other         # --tiles, to be created
    MBTiles(other, create=True).close()
    assert resolve_app_tiles(str(other), cache, None, True) == other
    beside.write_text("not tiles")                                           # unusable: a warning
    assert resolve_app_tiles(None, cache, None, True) is None
    assert "is not a usable MBTiles file" in capsys.readouterr().err


def test_a_bad_tiles_option_is_refused_before_anything_starts(tmp_path, capsys):
    text = tmp_path / "t.mbtiles"
    text.write_text("hello")
    cache = str(tmp_path / "c.sqlite")
    assert app_main.main(["--lang", "en", "--offline", "--cache", cache, "--tiles", str(text)]) == 5
    assert "--tiles" in capsys.readouterr().err
    assert app_main.main(["--lang", "en", "--offline", "--cache", cache,
                          "--tiles", str(tmp_path / "none.mbtiles")]) == 5
    assert "not a usable MBTiles file: no such file" in capsys.readouterr().err
