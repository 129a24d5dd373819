"""The whole app against a real demo backend on loopback: what an operator sees."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui

from demo_backend.server import DemoBackend
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.interop import rfc3339_local
from ioc_desktop.plugin_api import load_plugins
from qthelpers import distinct_colors, has_color, js, running_window
from widgets.theme import STALE

REPO = Path(__file__).resolve().parents[1]
PLUGINS = [lp.plugin for lp in load_plugins() if lp.plugin]
LAND = "#f4f1e8"
HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_report(key: str = "PA-XSS-0001") -> dict:
    # An hour after the wall clock, whatever today is: the demo's reports are dated up to
    # its clock (= now), so this one stays the newest, row 0 of the queue, for the whole
    # test; its (urgent) verify clock starts then, so it is not overdue either.
    requested = rfc3339_local(datetime.now(timezone.utc) + timedelta(hours=1))
    return {"service_request_id": key, "service_code": "VSMT", "service_name": "<b>bold</b>",
            "description": HOSTILE, "status": "open", "ioc_status": "received",
            "lat": 16.4637, "long": 107.5909, "address": "<script>alert(2)</script>",
            "requested_datetime": requested, "channel": "web", "priority": "urgent"}


@pytest.fixture
def backend(tmp_path):
    b = DemoBackend(PLUGINS, seed=11, rate=80, log_path=tmp_path / "backend-log.sqlite")
    b.start_in_thread()
    yield b
    b.stop()


@pytest.fixture
def app(qtbot, tmp_path, backend):
    config = ClientConfig(server=backend.url(), cache=tmp_path / "cache.sqlite", lang="en")
    with running_window(qtbot, config) as (service, window):
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        yield service, window, backend


def queue(window):
    return window.guis["reports"].queue


def test_live_data_reaches_queue_map_graphs_and_status(app, qtbot):
    service, window, backend = app
    qtbot.waitUntil(lambda: queue(window).model.rowCount() > 5, timeout=10000)
    qtbot.waitUntil(lambda: window.map.is_ready, timeout=20000)
    qtbot.waitUntil(lambda: (js(window.map, qtbot, "ioc.count('vessels')") or 0) > 10, timeout=10000)
    assert js(window.map, qtbot, "ioc.count('reports')") > 0
    graphs = window.guis["environment"].graphs
    qtbot.waitUntil(lambda: any(len(b) > 3 for b in graphs.buffers.values()), timeout=10000)
    assert len(graphs.plots) >= 2     # Kim Long and Phú Ốc, with their flood lines
    assert all(len(p.thresholds()) == 3 for p in graphs.plots.values())
    assert "LIVE" in window.status.link.text()
    # the queue is a window onto SQL: its rows are the cache's rows, newest first
    backend.paused = True
    time.sleep(0.6)
    conn = sqlite3.connect(service.config.cache)
    newest = conn.execute("SELECT key FROM reports ORDER BY requested_datetime DESC, key DESC LIMIT 1").fetchone()[0]
    conn.close()
    qtbot.waitUntil(lambda: queue(window).model.key_at(0) == newest, timeout=5000)
    time.sleep(1.0)   # let the map paint
    image = window.grab().toImage()
    assert distinct_colors(image) > 150
    assert has_color(image, LAND)


def test_hostile_text_is_shown_as_text_everywhere(app, qtbot):
    service, window, backend = app
    backend.publish("reports", "PA-XSS-0001", hostile_report())
    q = queue(window)
    qtbot.waitUntil(lambda: q.model.key_at(0) == "PA-XSS-0001", timeout=10000)
    model = q.model
    texts = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert HOSTILE in texts and "<b>bold</b>" in texts
    tip = model.data(model.index(0, 4), QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x onerror=alert(1)&gt;" in tip and "<img" not in tip
    qtbot.waitUntil(lambda: window.map.is_ready, timeout=20000)
    qtbot.waitUntil(lambda: js(window.map, qtbot, "ioc.keys('reports').indexOf('PA-XSS-0001') >= 0"),
                    timeout=10000)
    # a point's fields reach the page when its popup first shows them
    qtbot.waitUntil(lambda: "<table" in js(window.map, qtbot, "ioc.popupHtml('reports', 'PA-XSS-0001')"),
                    timeout=5000)
    popup = js(window.map, qtbot, "ioc.popupHtml('reports', 'PA-XSS-0001')")
    assert "&lt;img src=x onerror=alert(1)&gt;" in popup and "&lt;script&gt;" in popup
    assert js(window.map, qtbot, "document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert "<b>bold</b>" in js(window.map, qtbot, "ioc.tooltipText('reports', 'PA-XSS-0001')")


def test_clicking_a_report_on_the_map_selects_it_in_the_queue(app, qtbot):
    service, window, backend = app
    backend.publish("reports", "PA-XSS-0001", hostile_report())
    qtbot.waitUntil(lambda: window.map.is_ready, timeout=20000)
    qtbot.waitUntil(lambda: js(window.map, qtbot, "ioc.keys('reports').indexOf('PA-XSS-0001') >= 0"),
                    timeout=10000)
    with qtbot.waitSignal(window.map.markerClicked, timeout=5000):
        window.map.run_js("ioc.feature('reports', 'PA-XSS-0001').fire('click')")
    view = queue(window).view
    qtbot.waitUntil(lambda: view.currentIndex().isValid()
                    and queue(window).model.key_at(view.currentIndex().row()) == "PA-XSS-0001",
                    timeout=5000)


def test_backend_outage_shows_reconnecting_keeps_data_and_catches_up(app, qtbot, tmp_path):
    service, window, backend = app
    q = queue(window)
    qtbot.waitUntil(lambda: q.model.rowCount() > 3, timeout=10000)
    port, log_path = backend.port, tmp_path / "backend-log.sqlite"
    backend.stop()
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.RECONNECTING, timeout=10000)
    assert "RECONNECTING" in window.status.link.text()
    rows_during_outage = q.model.rowCount()
    assert rows_during_outage > 3                       # what it had is still shown
    window.status._tick()
    assert all(STALE in label.styleSheet() for label in window.status.ages.values())
    # the backend comes back (same log, same epoch) and the client catches up
    back = DemoBackend(PLUGINS, seed=11, rate=80, log_path=log_path)
    back.start_in_thread(port=port)
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=20000)
        back.paused = True
        time.sleep(0.3)
        head = back.head()
        cache = service.config.cache

        def caught_up():
            conn = sqlite3.connect(cache)
            cur = dict(conn.execute("SELECT topic, seq FROM cursors"))
            conn.close()
            return all(cur.get(t, 0) == s for t, s in head.items())

        qtbot.waitUntil(caught_up, timeout=20000)
        conn = sqlite3.connect(cache)
        for topic, top in head.items():
            seqs = [r[0] for r in conn.execute("SELECT seq FROM events WHERE topic = ? ORDER BY seq", (topic,))]
            assert seqs == list(range(1, top + 1)), topic    # nothing lost, nothing doubled
        conn.close()
        assert back.epoch == backend.epoch
        qtbot.waitUntil(lambda: q.model.rowCount() >= rows_during_outage, timeout=5000)
    finally:
        back.stop()


def test_screenshot_option_saves_a_real_picture(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "--lang", "en", "--screenshot", str(out),
                           "--run-for", "8"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    image = QtGui.QImage(str(out))
    assert image.width() >= 1600 and image.height() >= 900
    assert distinct_colors(image) > 300        # a blank or half-drawn window has far fewer
    assert has_color(image, LAND)              # the map (basemap) was drawn
    assert (tmp_path / "cache" / "ioc-desktop" / "cache.sqlite").exists()
