"""Offline media: a cached snapshot or photo is found whatever host and port it came from.

The embedded demo backend gets a new port at every run, and a cache is reviewed with no
backend at all: cached media are keyed by their path on the backend (the backend's own
media) or their full URL (another origin's), never by the backend's address.  Real demo
backends on loopback, real caches; a cache of the previous schema (keyed by absolute
URL) still opens and its media are still found.
"""
from __future__ import annotations

import socket
import sqlite3
import threading

import pytest
from PySide6 import QtGui

from demo_backend.png import Canvas
from demo_backend.server import DemoBackend
from feedkit import TickSim, TicksPlugin
from ioc_desktop.config import ClientConfig
from ioc_desktop.media import MediaFetcher
from ioc_desktop.plugin_api import LoadedPlugin, topic_map
from ioc_desktop.store.store import SCHEMA_VERSION
from ioc_desktop.store.writer import StoreWriter
from qthelpers import distinct_colors
from test_media_origin import Recorder

CAM = Canvas(64, 32, (10, 20, 30))
CAM.rect(10, 10, 30, 20, (250, 0, 0))
CAM_PNG = CAM.png()
OTHER_PNG = Canvas(8, 8, (0, 200, 0)).png()


class MediaSim(TickSim):
    def media(self, name):
        return ("image/png", CAM_PNG) if name == "cam.png" else None


class MediaPlugin(TicksPlugin):
    def simulator(self):
        return MediaSim()


class NoMediaPlugin(TicksPlugin):
    """A backend that no longer has the image (HTTP 404)."""


def fetch(fetcher, url, timeout=10):
    box, done = [], threading.Event()
    fetcher.fetch(url, lambda r: (box.append(r), done.set()))
    assert done.wait(timeout)
    return box[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def opened(tmp_path):
    """open(path) -> a StoreWriter on a cache (closed at the end); fetcher(feed, writer)."""
    writers, fetchers = [], []

    def writer(path=None):
        writers.append(StoreWriter(path or tmp_path / "cache.sqlite", topic_map([TicksPlugin()]).values()))
        return writers[-1]

    def fetcher(feed, w, **kwargs):
        fetchers.append(MediaFetcher(feed, w, **kwargs))
        return fetchers[-1]

    yield writer, fetcher
    for f in fetchers:
        f.close()
        f.join(5)
    for w in writers:
        w.close()


def media_rows(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT key, url, kind, origin, path FROM media ORDER BY key").fetchall()
    finally:
        conn.close()


def test_a_snapshot_is_found_offline_and_on_another_port_after_the_backend_moved(opened, tmp_path):
    writer_of, fetcher_of = opened
    first = DemoBackend([MediaPlugin()], rate=0)
    first.start_in_thread()
    try:
        writer = writer_of()
        live = fetch(fetcher_of(first.url(), writer), "/media/ticks/cam.png")
        assert live.error is None and not live.from_cache and live.data == CAM_PNG
        writer.flush()
    finally:
        first.stop()
    writer.close()
    origin = f"http://127.0.0.1:{first.port}"
    assert media_rows(tmp_path / "cache.sqlite") == [
        ("/media/ticks/cam.png", f"{origin}/media/ticks/cam.png", "backend", origin, "/media/ticks/cam.png")]

    writer = writer_of()
    # offline review: no backend at all (what failed with "URL scheme '' not allowed")
    offline = fetch(fetcher_of(None, writer), "/media/ticks/cam.png")
    assert offline.from_cache and offline.data == CAM_PNG and offline.fetched_at == live.fetched_at
    assert offline.error == "offline: no backend to fetch from" and offline.url == "/media/ticks/cam.png"
    assert not QtGui.QImage.fromData(offline.data).isNull()
    # the backend came back on another port, down: the copy, found by its path
    moved = fetch(fetcher_of(f"ws://127.0.0.1:{free_port()}/feed", writer), "/media/ticks/cam.png")
    assert moved.from_cache and moved.data == CAM_PNG and moved.error
    # another backend on another port, up, without that image (HTTP 404): the copy
    second = DemoBackend([NoMediaPlugin()], rate=0)
    second.start_in_thread()
    try:
        assert second.port != first.port
        gone = fetch(fetcher_of(second.url(), writer), "/media/ticks/cam.png#fragment")
        assert gone.from_cache and gone.data == CAM_PNG and gone.error == "HTTP 404"
        # nothing is made up: a path never fetched is not found
        none = fetch(fetcher_of(None, writer), "/media/ticks/other.png")
        assert none.data is None and none.error == (
            "offline: no backend to fetch from, and no cached copy of /media/ticks/other.png")
    finally:
        second.stop()


def test_an_absolute_url_on_the_backend_is_kept_by_its_path_and_found_both_ways(opened, tmp_path):
    writer_of, fetcher_of = opened
    backend = Recorder()
    backend.image("/media/reports/p.png?s=2")
    try:
        writer = writer_of()
        fetcher = fetcher_of(f"ws://127.0.0.1:{backend.port}/feed", writer)
        absolute = backend.url("/media/reports/p.png?s=2")
        assert fetch(fetcher, absolute).error is None
        writer.flush()
    finally:
        backend.close()
    assert [r[:3] for r in media_rows(tmp_path / "cache.sqlite")] == [
        ("/media/reports/p.png?s=2", absolute, "backend")]
    offline = fetcher_of(None, writer)
    # the feed may give either form; the report's photo URL still names the old port
    for url in ("/media/reports/p.png?s=2", absolute):
        result = fetch(offline, url)
        assert result.from_cache and result.data is not None, url
    # same path on another host: not the copy (it never came from there)
    other = fetch(offline, f"http://127.0.0.2:{backend.port}/media/reports/p.png?s=2")
    assert other.data is None and "not the backend's" in other.error
    assert fetch(offline, "/media/reports/p.png").data is None          # the query is part of it


def test_another_origins_media_are_kept_by_url_and_never_get_the_token(opened, tmp_path):
    writer_of, fetcher_of = opened
    backend, media = Recorder(), Recorder()
    media.routes["/m.png"] = (200, {"Content-Type": "image/png"}, OTHER_PNG)
    media.routes["/media/ticks/cam.png"] = (200, {"Content-Type": "image/png"}, OTHER_PNG)
    try:
        writer = writer_of()
        fetcher = fetcher_of(f"ws://127.0.0.1:{backend.port}/feed", writer, token="secret",
                             media_origins=(media.origin,))
        assert fetch(fetcher, media.url("/m.png")).data == OTHER_PNG
        assert fetch(fetcher, media.url("/media/ticks/cam.png")).data == OTHER_PNG
        writer.flush()
        assert media.tokens() == [None, None] and backend.seen == []
    finally:
        backend.close()
        media.close()
    rows = media_rows(tmp_path / "cache.sqlite")
    assert {(key, kind) for key, _, kind, _, _ in rows} == {
        (media.url("/m.png"), "origin"), (media.url("/media/ticks/cam.png"), "origin")}
    offline = fetcher_of(None, writer)                   # offline, no media origin configured
    found = fetch(offline, media.url("/m.png"))
    assert found.from_cache and found.data == OTHER_PNG
    # another origin's image is never taken for the backend's image at the same path
    assert fetch(offline, "/media/ticks/cam.png").data is None


def make_schema1_cache(path, backend_port: int, older_port: int, cdn: str) -> dict[str, bytes]:
    """A cache as the previous version wrote it: media keyed by absolute URL."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE media ([url] TEXT PRIMARY KEY, [content_type] TEXT, [data] BLOB,
                            [fetched_at] FLOAT, [size] INTEGER);
    """)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("schema_version", "1"), ("created_at", "2025-10-27T01:00:00Z"),
        ("server_url", f"ws://127.0.0.1:{backend_port}/feed")])
    images = {
        f"http://127.0.0.1:{backend_port}/media/cameras/CAM-01.png?v=3": Canvas(4, 4, (200, 0, 0)).png(),
        f"http://127.0.0.1:{older_port}/media/cameras/CAM-02.png?v=1": Canvas(4, 4, (0, 200, 0)).png(),
        f"{cdn}/photos/p1.jpg": Canvas(4, 4, (0, 0, 200)).png(),
    }
    conn.executemany("INSERT INTO media VALUES (?, 'image/png', ?, ?, ?)",
                     [(url, data, 1761526800.0 + i, len(data)) for i, (url, data) in enumerate(images.items())])
    conn.commit()
    conn.close()
    return images


def test_a_cache_of_the_previous_schema_opens_and_its_media_are_found(opened, tmp_path):
    writer_of, fetcher_of = opened
    path = tmp_path / "old.sqlite"
    cdn = "https://cdn.example.org"
    images = make_schema1_cache(path, 41001, 40999, cdn)
    writer = writer_of(path)
    assert writer.call(lambda store: store.meta("schema_version")).result(10) == str(SCHEMA_VERSION)
    assert media_rows(path) == [
        ("/media/cameras/CAM-01.png?v=3", "http://127.0.0.1:41001/media/cameras/CAM-01.png?v=3",
         "backend", "http://127.0.0.1:41001", "/media/cameras/CAM-01.png?v=3"),
        ("http://127.0.0.1:40999/media/cameras/CAM-02.png?v=1",
         "http://127.0.0.1:40999/media/cameras/CAM-02.png?v=1", "legacy", "http://127.0.0.1:40999",
         "/media/cameras/CAM-02.png?v=1"),
        (f"{cdn}/photos/p1.jpg", f"{cdn}/photos/p1.jpg", "legacy", cdn, "/photos/p1.jpg")]
    offline = fetcher_of(None, writer)
    cam1 = fetch(offline, "/media/cameras/CAM-01.png?v=3")
    cam2 = fetch(offline, "/media/cameras/CAM-02.png?v=1")       # from a run on an older port
    photo = fetch(offline, f"{cdn}/photos/p1.jpg")
    assert [r.data for r in (cam1, cam2, photo)] == list(images.values())
    assert all(r.from_cache for r in (cam1, cam2, photo))
    # on the next backend (down here), the same: by path
    moved = fetch(fetcher_of(f"ws://127.0.0.1:{free_port()}/feed", writer), "/media/cameras/CAM-02.png?v=1")
    assert moved.data == images["http://127.0.0.1:40999/media/cameras/CAM-02.png?v=1"]
    # new copies go in the new form; reopening changes nothing
    writer.call(lambda store: store.put_media("/media/cameras/CAM-02.png?v=1",
                                              "http://127.0.0.1:5/media/cameras/CAM-02.png?v=1",
                                              "http://127.0.0.1:5", "/media/cameras/CAM-02.png?v=1",
                                              "backend", "image/png", OTHER_PNG, 1761530000.0)).result(10)
    writer.close()
    writer = writer_of(path)
    assert len(media_rows(path)) == 4
    assert fetch(fetcher_of(None, writer), "/media/cameras/CAM-02.png?v=1").data == OTHER_PNG


def test_camera_snapshots_appear_offline_from_a_cache_whose_backend_port_changed(qtbot, tmp_path):
    """The whole client: snapshots seen live from a real demo backend, then the same cache
    reviewed offline (the backend gone, its port with it): every camera shows its image."""
    from ioc_desktop.feed.client import FeedStatus
    from ioc_desktop.qt_bridge import FeedService
    from plugins.cameras import CamerasPlugin
    from pluginrig import live_plugin
    from widgets.main_window import MainWindow

    with live_plugin(qtbot, tmp_path, CamerasPlugin(), rate=30) as (service, window, backend):
        gui = window.guis["cameras"]
        qtbot.waitUntil(lambda: len(gui.tiles) >= 3 and len(gui.snapshots) == len(gui.tiles),
                        timeout=20000)
        backend.paused = True
        qtbot.wait(300)
        seen = {key: snap.url for key, snap in gui.snapshots.items()}
        port = backend.port
    window.close()
    rows = media_rows(tmp_path / "cache.sqlite")
    assert rows and all(kind == "backend" and key.startswith("/media/cameras/") for key, _, kind, _, _ in rows)
    assert all(f":{port}/" in url for _, url, _, _, _ in rows)

    plugin = CamerasPlugin()
    config = ClientConfig(cache=tmp_path / "cache.sqlite", lang="en", offline=True)
    service = FeedService(config, [plugin])
    window = MainWindow(service, [LoadedPlugin(plugin.name, plugin)], with_map=False, reset_layout=True)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    service.start()
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.OFFLINE, timeout=15000)
        gui = window.guis["cameras"]
        qtbot.waitUntil(lambda: set(gui.snapshots) >= set(seen), timeout=15000)
        for key, url in seen.items():
            snap = gui.snapshots[key]
            assert snap.url == url and snap.from_cache and not snap.image.isNull(), key
            assert gui.tiles[key].image() is not None
        tile = gui.tiles[next(iter(seen))]
        window.docks["cameras/grid"].raise_()
        qtbot.wait(200)
        assert distinct_colors(tile.grab().toImage(), step=3) > 20      # a picture, not a placeholder
    finally:
        service.stop()
