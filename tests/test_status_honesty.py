"""No status may lie: FAILED is shown, the link state is never clipped, reasons are in
the user's language, a refused token can be replaced, and stale data looks stale on
every service (tiles, banner, panels, map) — with real parts where it matters."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from demo_backend.server import DemoBackend
from ioc_desktop.config import DEMO_TOKEN, ClientConfig
from ioc_desktop.feed.client import FeedState, FeedStatus, Reason
from ioc_desktop.i18n import install_translator
from ioc_desktop.plugin_api import load_plugins
from ioc_desktop.qt_bridge import FeedService
from ioc_desktop.store.batch import TopicChanges
from qthelpers import js, running_window
from widgets.main_window import MainWindow
from widgets.theme import ALARM, STALE

PLUGINS = [lp.plugin for lp in load_plugins() if lp.plugin]

# Every status the bar can show, with the reason the service gives it (worst cases:
# long arguments, the retry countdown).
STATES = [
    FeedState(status=FeedStatus.CONNECTING, server="ws://127.0.0.1:8765/feed"),
    FeedState(status=FeedStatus.LIVE, server="ws://127.0.0.1:8765/feed"),
    FeedState(status=FeedStatus.RECONNECTING, retry_in=29.6, attempt=7, reason=Reason.CONNECT_FAILED,
              reason_args={"host": "ioc-feed.thuathienhue.gov.vn", "port": 443},
              detail="ConnectionRefusedError: [Errno 111] Connect call failed"),
    FeedState(status=FeedStatus.RECONNECTING, retry_in=3, reason=Reason.CLOSED_BY_SERVER,
              reason_args={"code": 1011}, detail="closed by server (1011 internal error)"),
    FeedState(status=FeedStatus.UNAUTHORISED, reason=Reason.NOT_AUTHORISED, reason_args={"code": 401},
              detail="HTTP 401: not authorised"),
    FeedState(status=FeedStatus.OFFLINE, reason=Reason.REVIEW, detail="review mode"),
    FeedState(status=FeedStatus.OFFLINE, reason=Reason.STOPPED, detail="stopped"),
    FeedState(status=FeedStatus.FAILED, reason=Reason.WORKER_DIED, reason_args={"worker": "writer"},
              detail="RuntimeError: disk I/O error"),
    FeedState(status=FeedStatus.FAILED, reason=Reason.CACHE_UNUSABLE,
              reason_args={"path": "/home/truc-ban/.cache/ioc-desktop/cache.sqlite"},
              detail="sqlite3.DatabaseError: file is not a database"),
]


def _count(image: QtGui.QImage, color: str, tol: int = 14) -> int:
    img = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h = img.width(), img.height()
    arr = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.sizeInBytes())
    px = arr.reshape(h, img.bytesPerLine())[:, : w * 3].reshape(h, w, 3).astype(int)
    c = QtGui.QColor(color)
    return int((np.abs(px - np.array([c.red(), c.green(), c.blue()])).max(axis=2) <= tol).sum())


def offline_window(qtbot, tmp_path, size=(1600, 900)) -> MainWindow:
    """The whole window (every plugin, no map) on a service that is not started."""
    loaded = load_plugins()
    service = FeedService(ClientConfig(cache=tmp_path / "c.sqlite", offline=True),
                          [lp.plugin for lp in loaded if lp.plugin])
    window = MainWindow(service, loaded, with_map=False, reset_layout=True)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def fully_shown(widget: QtWidgets.QWidget, window: QtWidgets.QWidget) -> bool:
    """Visible, and its whole rectangle inside the window (nothing cut off)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QtCore.QPoint(0, 0))
    rect = QtCore.QRect(top_left, widget.size())
    return window.rect().contains(rect) and widget.visibleRegion().boundingRect().size() == widget.size()


# ================================================================ 2. never clipped
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", [(1920, 1080), (1600, 900)])
def test_link_state_is_never_clipped_at_wall_sizes_in_both_languages(qtbot, qapp, tmp_path, lang, size):
    install_translator(qapp, lang)
    try:
        window = offline_window(qtbot, tmp_path, size)
        bar = window.status
        # worst case: every feed listed with its age (the link is down), many rejected frames
        now = time.time()
        for n, topic in enumerate(bar.topics):
            window.service.last_received[topic] = now - 4000 - n
        bar.set_received(window.service.last_received)
        bar.set_rejected(123456)
        for state in STATES:
            window.service.statusChanged.emit(state)
            window.layout().activate()
            bar.layout().activate()
            qtbot.wait(10)
            text = bar.link.text()
            assert bar.link_text(state).split(" (")[0] in text
            advance = bar.link.fontMetrics().horizontalAdvance(text)
            assert bar.link.width() >= advance, (lang, size, state.status, text)
            assert bar.link_fits(), (lang, size, text)
            assert fully_shown(bar.link, window), (lang, size, text)
            if state.status == FeedStatus.UNAUTHORISED:
                assert fully_shown(bar.token_button, window), (lang, size)
                assert bar.token_button.width() >= bar.token_button.fontMetrics().horizontalAdvance(
                    bar.token_button.text())
            else:
                assert not bar.token_button.isVisible()
            # what gives way instead: the reason elides (whole in its tooltip), ages fold
            if state.reason != Reason.NONE and state.status != FeedStatus.LIVE:
                assert bar.reason.text() and bar.reason.text() in QtGui.QTextDocumentFragment.fromHtml(
                    bar.reason.toolTip()).toPlainText()
            assert fully_shown(bar.rejected, window)
    finally:
        install_translator(qapp, "en")


# ================================================================ 3. the reason, in words
def test_reasons_are_worded_from_codes_and_the_raw_detail_is_only_in_the_tooltip(qtbot, tmp_path):
    window = offline_window(qtbot, tmp_path)
    bar = window.status
    expected = {
        Reason.CLOSED_BY_SERVER: ({"code": 1011}, "server closed the connection (code 1011)"),
        Reason.CONNECTION_LOST: ({}, "connection was lost"),
        Reason.CONNECT_FAILED: ({"host": "10.1.2.3", "port": 8765}, "cannot reach 10.1.2.3:8765"),
        Reason.HTTP_STATUS: ({"code": 502}, "HTTP 502"),
        Reason.NOT_AUTHORISED: ({"code": 403}, "not authorised (HTTP 403)"),
        Reason.OVERSIZE_FRAME: ({"limit": 1048576}, "larger than 1048576 bytes was refused"),
        Reason.PROTOCOL_ERROR: ({}, "broke the feed protocol"),
        Reason.INTERNAL_ERROR: ({}, "internal error"),
        Reason.WORKER_DIED: ({"worker": "media"}, "the image downloader stopped"),
        Reason.CACHE_UNUSABLE: ({"path": "/x/cache.sqlite"}, "the cache /x/cache.sqlite cannot be used"),
        Reason.STOPPED: ({}, "stopped"),
        Reason.REVIEW: ({}, "review mode"),
    }
    assert set(expected) == set(Reason) - {Reason.NONE}          # every code has its words
    detail = "websockets.exceptions.InvalidStatus: server rejected WebSocket connection: HTTP 502"
    for reason, (args, words) in expected.items():
        status = FeedStatus.OFFLINE if reason in (Reason.REVIEW, Reason.STOPPED) else FeedStatus.RECONNECTING
        window.service.statusChanged.emit(FeedState(status=status, reason=reason, reason_args=args,
                                                    detail=detail))
        assert words in bar.reason.text(), reason
        assert "InvalidStatus" not in bar.reason.text() and "InvalidStatus" not in bar.link.text()
        tip = QtGui.QTextDocumentFragment.fromHtml(bar.link.toolTip()).toPlainText()
        assert tip.index(words) < tip.index("Technical details:") < tip.index(detail)
    # a missing argument never raises; LIVE says no reason at all
    window.service.statusChanged.emit(FeedState(status=FeedStatus.RECONNECTING, reason=Reason.CONNECT_FAILED))
    assert "cannot reach ?:?" in bar.reason.text()
    window.service.statusChanged.emit(FeedState(status=FeedStatus.LIVE))
    assert not bar.reason.isVisible() and "LIVE" in bar.link.text()


def test_vietnamese_by_default_for_the_link_state(qtbot, qapp, tmp_path):
    install_translator(qapp, "vi")
    try:
        window = offline_window(qtbot, tmp_path, (1920, 1080))
        window.service.statusChanged.emit(FeedState(status=FeedStatus.UNAUTHORISED, reason=Reason.NOT_AUTHORISED,
                                                    reason_args={"code": 401}, detail="HTTP 401: not authorised"))
        assert window.status.link.text() == "● KHÔNG ĐƯỢC PHÉP"        # whole, never "PHÉ…"
        assert window.status.link_fits()
        assert "401" in window.status.reason.text()
    finally:
        install_translator(qapp, "en")


# ================================================================ 1. FAILED is shown
def test_a_dead_worker_shows_failed_greys_everything_and_notes_the_restart(qtbot, tmp_path):
    window = offline_window(qtbot, tmp_path)
    service, bar, banner = window.service, window.status, window.banner
    now = time.time()
    for topic in bar.topics:
        service.last_received[topic] = now - 1
    service.statusChanged.emit(FeedState(status=FeedStatus.LIVE))
    banner.raise_alarm("environment", "kimlong", "Kim Long 3.6 m — above BĐ2", "critical")
    assert banner.flashing and not banner.stale_label.isVisible()
    assert not any(t.is_stale() for n, t in window.overview.tiles.items())

    service.workerFailed.emit("writer", "RuntimeError: disk I/O error")
    assert bar.link.text() == "● FAILED" and bar.link_fits()
    assert "the cache writer stopped" in bar.reason.text()
    assert "disk I/O error" not in bar.reason.text()                # technical: tooltip only
    assert "disk I/O error" in QtGui.QTextDocumentFragment.fromHtml(bar.link.toolTip()).toPlainText()
    assert all(t.is_stale() for t in window.overview.tiles.values())
    assert all("color: " + STALE in label.styleSheet() for label in bar.ages.values())
    assert not banner.flashing and banner.stale_label.isVisible()
    assert banner.stale_label.text().startswith("NOT CURRENT · data from ")
    assert all(frame.is_stale() for frame in window.panel_frames.values())
    sentence, technical = window.notices[-1]
    assert sentence.startswith("The cache writer stopped at ") and sentence.endswith("; restarting")
    assert technical == "RuntimeError: disk I/O error"
    notice = window.notice.text()
    assert notice.index("restarting") < notice.index("technical details") < notice.index("disk I/O error")

    # the feed thread is fine and says LIVE: still FAILED while the writer is dead
    service.statusChanged.emit(FeedState(status=FeedStatus.LIVE))
    assert bar.link.text() == "● FAILED" and not banner.flashing
    assert all(t.is_stale() for t in window.overview.tiles.values())

    service.workerRestarted.emit("writer")
    assert window.notices[-1][0].startswith("The cache writer restarted at ")
    assert bar.link.text() == "● LIVE"
    assert not any(t.is_stale() for t in window.overview.tiles.values())
    assert banner.flashing and not banner.stale_label.isVisible()
    assert not any(frame.is_stale() for frame in window.panel_frames.values())


def test_a_service_that_cannot_start_shows_failed_not_connecting(qtbot, tmp_path):
    window = offline_window(qtbot, tmp_path)
    window.service.statusChanged.emit(FeedState(status=FeedStatus.CONNECTING))
    window.service.failed.emit("OSError: [Errno 28] No space left on device")
    assert window.status.link.text() == "● FAILED"
    assert window.status.reason.text() == "stopped by an error"
    sentence, technical = window.notices[-1]
    assert sentence.startswith("The cache or the feed could not start") and "Errno 28" not in sentence
    assert technical == "OSError: [Errno 28] No space left on device"


def test_plugin_errors_come_as_a_sentence_with_the_exception_as_technical_details(qtbot, tmp_path):
    window = offline_window(qtbot, tmp_path)
    gui = window.guis["vessels"]

    def boom(batch):
        raise KeyError("lat")

    original = gui.on_batch
    gui.on_batch = boom
    vessels = {"vessels": TopicChanges()}          # a batch of the GUI's own topic
    window._on_batch(type("Batch", (), {"topics": vessels, "rejected_total": 0})())
    # handed over in a later turn of the event loop (the batch pump)
    qtbot.waitUntil(lambda: any("Fishing vessels panels failed" in n[0] for n in window.notices), timeout=3000)
    sentence, technical = window.notices[-1]
    assert "Fishing vessels panels failed to update" in sentence and technical == "KeyError: 'lat'"
    frame = window.panel_frames["vessels/fleet"]
    assert frame.is_stale() and "stopped updating at" in frame.stale_text()
    gui.on_batch = original
    window._on_batch(type("Batch", (), {"topics": vessels, "rejected_total": 0})())
    qtbot.waitUntil(lambda: "stopped updating" not in frame.stale_text(), timeout=3000)


def test_review_mode_says_review_on_the_bar_the_tiles_and_every_panel(qtbot, tmp_path):
    window = offline_window(qtbot, tmp_path)
    now = time.time()
    for topic in window.status.topics:
        window.service.last_received[topic] = now - 30       # young data: still not live
    window.service.statusChanged.emit(FeedState(status=FeedStatus.OFFLINE, detail="review mode"))
    assert window.status.link.text() == "● REVIEW · OFFLINE"
    assert window.status.reason.text().startswith("review mode")
    assert all(t.is_stale() for n, t in window.overview.tiles.items())
    for key, frame in window.panel_frames.items():
        assert frame.strip.isVisible() and frame.stale_text().startswith("REVIEW, not live · data from "), key
        assert window.docks[key].windowTitle().endswith("(not current)"), key


# ================================================================ 4. a refused token
@pytest.fixture
def backend(tmp_path):
    b = DemoBackend(PLUGINS, seed=5, rate=60, log_path=tmp_path / "backend-log.sqlite")
    b.start_in_thread()
    yield b
    b.stop()


def test_a_refused_token_offers_to_enter_another_and_goes_live(qtbot, tmp_path, backend):
    config = ClientConfig(server=backend.url(), token="wrong", cache=tmp_path / "cache.sqlite", lang="en")
    with running_window(qtbot, config, with_map=False) as (service, window):
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.UNAUTHORISED, timeout=15000)
        bar = window.status
        assert bar.link.text() == "● NOT AUTHORISED" and bar.link_fits() and fully_shown(bar.link, window)
        assert fully_shown(bar.token_button, window)
        qtbot.wait(1500)                  # no retry loop: it waits for a new token
        assert service.state.status == FeedStatus.UNAUTHORISED and bar.token_button.isVisible()
        qtbot.mouseClick(bar.token_button, QtCore.Qt.MouseButton.LeftButton)
        dialog = window.token_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.textEchoMode() == QtWidgets.QLineEdit.EchoMode.Password
        dialog.setTextValue(DEMO_TOKEN)
        dialog.accept()
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        qtbot.waitUntil(lambda: bar.link.text() == "● LIVE", timeout=2000)
        assert not bar.token_button.isVisible() and service.config.token == DEMO_TOKEN


class Fatal(BaseException):
    """What no `except Exception` catches: the worker's thread ends (as a bug would)."""


def test_a_real_dead_worker_is_shown_failed_then_restarted(qtbot, tmp_path, backend):
    config = ClientConfig(server=backend.url(), cache=tmp_path / "cache.sqlite", lang="en")
    with running_window(qtbot, config, with_map=False) as (service, window):
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        qtbot.waitUntil(lambda: "reports" in service.last_received, timeout=10000)
        window.refresh_overview()
        assert not window.overview.tiles["reports"].is_stale()
        seen: list = []

        def snapshot(worker, reason):      # runs right after the window's own slot
            seen.append((worker, reason, window.status.link.text(), window.status.reason.text(),
                         window.overview.tiles["reports"].is_stale(), window.notices[-1]))
        service.workerFailed.connect(snapshot)

        def kill(conn):
            raise Fatal("reader bug")
        service.run_read(kill, lambda result: None)
        qtbot.waitUntil(lambda: bool(seen), timeout=10000)
        worker, reason, link, said, tile_stale, (sentence, technical) = seen[0]
        assert worker == "reader" and link == "● FAILED" and tile_stale
        assert "the cache reader stopped" in said and "reader bug" not in said
        assert sentence.startswith("The cache reader stopped at ") and sentence.endswith("restarting")
        assert "Fatal: reader bug" in technical
        qtbot.waitUntil(lambda: window.notices[-1][0].startswith("The cache reader restarted at "), timeout=10000)
        qtbot.waitUntil(lambda: window.status.link.text() == "● LIVE", timeout=10000)
        window.refresh_overview()
        assert not window.overview.tiles["reports"].is_stale()


# ================================================================ 5. stale looks stale
@pytest.fixture
def live_app(qtbot, tmp_path, backend, themed_app):
    config = ClientConfig(server=backend.url(), cache=tmp_path / "cache.sqlite", lang="en")
    with running_window(qtbot, config) as (service, window):
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        yield service, window


def test_outage_greys_every_tile_the_banner_every_panel_and_the_map(live_app, qtbot, backend):
    service, window = live_app
    qtbot.waitUntil(lambda: window.map.is_ready, timeout=20000)
    services = [lp.name for lp in window.loaded if lp.plugin and lp.plugin.topics]
    busy = ("reports", "vessels", "environment", "cameras")       # the demo's busiest feeds
    qtbot.waitUntil(lambda: all(t in service.last_received for t in busy), timeout=20000)
    qtbot.waitUntil(lambda: (js(window.map, qtbot, "ioc.count('reports')") or 0) > 3, timeout=10000)
    window.refresh_overview()
    tiles = window.overview.tiles
    assert not any(tiles[n].is_stale() for n in busy)
    assert not any(window.panel_frames[k].is_stale() for k in window.panel_frames if k.split("/")[0] in busy)
    # a critical alarm on a real topic, flashing while its data is live
    window.banner.raise_alarm("environment", "test-kimlong", "Kim Long 3.6 m — above BĐ2", "critical")
    assert window.banner.flashing
    # live: the map is not greyed as a whole, and the busy feeds' layers are in colour
    qtbot.waitUntil(lambda: js(window.map, qtbot, "ioc.staleState().all") is False, timeout=5000)
    state = js(window.map, qtbot, "ioc.staleState()")
    assert not set(busy) & set(state["greyed"]), state
    assert not state["text"].startswith("NOT CURRENT"), state
    time.sleep(0.8)                   # let the map paint
    live_image = window.grab().toImage()

    backend.stop()
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.RECONNECTING, timeout=10000)
    qtbot.waitUntil(lambda: window.status.link.text().startswith("● RECONNECTING"), timeout=2000)
    assert window.status.link_fits()
    assert window.status.reason.isVisible()
    # every tile greys, red or green before, with the age of its newest data
    for name in services:
        assert tiles[name].is_stale() and tiles[name].state() == "stale", name
        assert tiles[name].age_text().endswith(" ago") or (name not in busy and tiles[name].age_text() == "no data yet"), name
    # the banner stops flashing and says its data is not current
    assert not window.banner.flashing
    assert window.banner.stale_label.isVisible()
    assert window.banner.stale_label.text().startswith("NOT CURRENT · data from ")
    # every plugin panel: a title suffix and a visible grey strip
    for key, frame in window.panel_frames.items():
        assert window.docks[key].windowTitle().endswith("(not current)"), key
        assert frame.is_stale() and frame.stale_text().startswith("NOT CURRENT · "), key
        if key.split("/")[0] in busy:
            assert frame.stale_text().startswith("NOT CURRENT · data from "), key
    raised = next(k for k in window.panel_frames if not window.docks[k].visibleRegion().isEmpty())
    assert window.panel_frames[raised].strip.isVisible()
    # the map: a label over it, every data layer greyed
    qtbot.waitUntil(lambda: js(window.map, qtbot, "ioc.staleState().shown") is True, timeout=5000)
    state = js(window.map, qtbot, "ioc.staleState()")
    assert state["all"] and state["text"].startswith("NOT CURRENT · data from ")
    assert {"reports", "vessels", "environment"} <= set(state["greyed"])
    assert js(window.map, qtbot, "getComputedStyle(document.querySelector('.ioc-stale-pane')).filter") \
        .startswith("grayscale(1)")
    time.sleep(0.8)
    stale_image = window.grab().toImage()
    grey_live, grey_stale = _count(live_image, STALE), _count(stale_image, STALE)
    red_live, red_stale = _count(live_image, ALARM, 40), _count(stale_image, ALARM, 40)
    assert grey_stale > 2 * grey_live + 2000, (grey_live, grey_stale)
    assert red_stale < red_live / 2, (red_live, red_stale)


def test_a_count_strip_cell_greys_when_not_current(qtbot):
    """Panels' count strips ("1 offline" filled red) go grey with their panel."""
    from qthelpers import has_color
    from widgets.count_strip import CountCell

    cell = CountCell("offline", "offline", ALARM)
    qtbot.addWidget(cell)
    cell.resize(160, 70)
    cell.set_value("1")
    cell.set_active(True)
    cell.show()
    assert has_color(cell.grab().toImage(), ALARM)
    cell.set_stale(True, "NOT CURRENT")
    assert cell.is_stale()
    image = cell.grab().toImage()
    assert not has_color(image, ALARM) and has_color(image, STALE)
    cell.set_stale(False)
    assert has_color(cell.grab().toImage(), ALARM)
