"""Snapshots over the backend's HTTP side: fetched off the GUI thread, cached for offline."""
from __future__ import annotations

import threading

import pytest
from PySide6 import QtGui

from demo_backend.png import Canvas, encode_png
from demo_backend.server import DemoBackend
from feedkit import TickSim, TicksPlugin
from ioc_desktop.media import MAX_MEDIA_BYTES, MediaFetcher, http_base
from ioc_desktop.plugin_api import topic_map
from ioc_desktop.store.writer import StoreWriter


class MediaSim(TickSim):
    def media(self, name):
        if name == "cam.png":
            c = Canvas(64, 32, (10, 20, 30))
            c.rect(10, 10, 30, 20, (250, 0, 0))
            return "image/png", c.png()
        if name == "huge.png":
            return "image/png", b"\x89PNG" + b"0" * (MAX_MEDIA_BYTES + 10)
        if name == "page.html":
            return "text/html", b"<script>alert(1)</script>"
        return None


class MediaPlugin(TicksPlugin):
    def simulator(self):
        return MediaSim()


@pytest.fixture
def rig(tmp_path):
    backend = DemoBackend([MediaPlugin()], rate=0)
    backend.start_in_thread()
    writer = StoreWriter(tmp_path / "c.sqlite", topic_map([MediaPlugin()]).values())
    fetcher = MediaFetcher(backend.url(), writer)
    yield backend, writer, fetcher
    fetcher.close()
    writer.close()
    backend.stop()


def fetch(fetcher, url, timeout=10):
    box, done = [], threading.Event()
    fetcher.fetch(url, lambda r: (box.append(r), done.set()))
    assert done.wait(timeout)
    return box[0]


def test_png_encoder_makes_images_qt_can_read():
    c = Canvas(8, 4, (0, 0, 255))
    c.rect(0, 0, 4, 4, (255, 0, 0))
    image = QtGui.QImage.fromData(c.png())
    assert (image.width(), image.height()) == (8, 4)
    assert QtGui.QColor(image.pixel(1, 1)).red() == 255 and QtGui.QColor(image.pixel(6, 1)).blue() == 255
    with pytest.raises(ValueError):
        encode_png(2, 2, b"\x00" * 5)


def test_snapshot_is_fetched_cached_and_served_from_cache_when_the_backend_is_gone(rig):
    backend, writer, fetcher = rig
    assert http_base(backend.url()) == f"http://127.0.0.1:{backend.port}/"
    live = fetch(fetcher, "/media/ticks/cam.png")
    assert live.error is None and not live.from_cache and live.content_type == "image/png"
    assert not QtGui.QImage.fromData(live.data).isNull()
    backend.stop()
    offline = fetch(fetcher, "/media/ticks/cam.png")
    assert offline.from_cache and offline.data == live.data and offline.error
    assert offline.fetched_at == live.fetched_at


def test_media_refuses_other_hosts_non_images_and_oversize(rig):
    backend, writer, fetcher = rig
    assert "not the backend's" in fetch(fetcher, "http://example.org/x.png").error
    assert "not allowed" in fetch(fetcher, "file:///etc/passwd").error
    assert "not an image" in fetch(fetcher, "/media/ticks/page.html").error
    assert "larger than" in fetch(fetcher, "/media/ticks/huge.png").error
    assert "HTTP 404" in fetch(fetcher, "/media/ticks/none.png").error


def test_media_needs_the_token(rig, tmp_path):
    backend, writer, _ = rig
    stranger = MediaFetcher(backend.url(), None, token="wrong")
    try:
        assert "HTTP 401" in fetch(stranger, "/media/ticks/cam.png").error
    finally:
        stranger.close()
