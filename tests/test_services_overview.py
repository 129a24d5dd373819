"""The services overview: a tile per service, headline figures, abnormal counts, stale in grey."""
from __future__ import annotations

import time

import pytest

from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedState, FeedStatus, Reason
from ioc_desktop.plugin_api import LoadedPlugin, load_plugins
from ioc_desktop.qt_bridge import FeedService
from qthelpers import distinct_colors
from widgets.main_window import MainWindow
from widgets.plugin_gui import Kpi


@pytest.fixture
def window(qtbot, tmp_path):
    loaded = load_plugins() + [LoadedPlugin("broken", None, "ImportError: no module named broken")]
    service = FeedService(ClientConfig(cache=tmp_path / "c.sqlite", offline=True),
                          [lp.plugin for lp in loaded if lp.plugin])
    win = MainWindow(service, loaded, with_map=False, reset_layout=True)
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.show()
    return win


def test_a_tile_per_service_and_all_stale_before_any_data(window):
    window.refresh_overview()
    tiles = window.overview.tiles
    assert {"reports", "environment", "vessels", "alerts", "broken"} <= set(tiles)
    for name, tile in tiles.items():
        if name != "broken":
            assert tile.is_stale(), name
    assert tiles["broken"].value() == "—" and tiles["broken"].state() == "alarm"


def go_live(window):
    """The window as if its feed were LIVE (the service here is a review-mode one)."""
    window.service.statusChanged.emit(FeedState(status=FeedStatus.LIVE))


def test_fresh_data_is_live_old_data_turns_grey_per_topic_threshold(window):
    spec = next(t for lp in window.loaded if lp.name == "vessels" for t in lp.plugin.topics)
    go_live(window)
    now = time.time()
    window.service.last_received["vessels"] = now - 2
    window.refresh_overview()
    tile = window.overview.tiles["vessels"]
    assert not tile.is_stale()
    window.service.last_received["vessels"] = now - spec.stale_after_s - 5
    window.refresh_overview()
    assert tile.is_stale() and tile.age_text()
    grey = tile.grab().toImage()
    assert distinct_colors(grey) > 3


def test_abnormal_counts_and_headline_come_from_the_plugin_kpis(window, monkeypatch):
    gui = window.guis["reports"]
    monkeypatch.setattr(gui, "kpis", lambda: [Kpi("open", "42"), Kpi("overdue", "3", abnormal=3)])
    go_live(window)
    window.service.last_received["reports"] = time.time()
    window.refresh_overview()
    tile = window.overview.tiles["reports"]
    assert tile.value() == "42" and tile.abnormal() == 3 and tile.state() == "alarm"
    assert "overdue 3" in tile.sub()


def test_a_kpi_failure_is_shown_not_fatal(window, monkeypatch):
    def boom():
        raise ValueError("bad figure")
    monkeypatch.setattr(window.guis["alerts"], "kpis", boom)
    window.refresh_overview()
    tile = window.overview.tiles["alerts"]
    assert tile.sub()                                     # "disabled"
    assert window.overview.tiles["reports"].value()       # the others still update
    # the sentence first, the raw exception only under "technical details"
    tip = tile.toolTip()
    assert tip.index("disabled") < tip.index("Technical details:") < tip.index("ValueError: bad figure")


def test_a_red_tile_greys_when_the_link_goes_down_whatever_its_kpis_say(window, monkeypatch):
    monkeypatch.setattr(window.guis["reports"], "kpis", lambda: [Kpi("overdue", "3", abnormal=3)])
    go_live(window)
    window.service.last_received["reports"] = time.time() - 1      # fresh data
    window.refresh_overview()
    tile = window.overview.tiles["reports"]
    assert tile.state() == "alarm" and not tile.is_stale()
    window.service.statusChanged.emit(FeedState(status=FeedStatus.RECONNECTING, retry_in=3,
                                                reason=Reason.CONNECTION_LOST))
    assert tile.is_stale() and tile.state() == "stale" and tile.abnormal() == 3
    assert tile.age_text().endswith(" s ago")         # the age of its newest data
    go_live(window)                                   # back: red again, at once
    assert tile.state() == "alarm" and not tile.is_stale()


def test_review_mode_is_not_live(window):
    # --offline: fresh-looking data is still the cache's, not the city's now
    window.service.last_received["vessels"] = time.time() - 1
    window.service.statusChanged.emit(FeedState(status=FeedStatus.OFFLINE, detail="review mode"))
    window.refresh_overview()
    assert window.overview.tiles["vessels"].is_stale()
    assert "REVIEW" in window.status.link.text()
    assert window.status.reason.text().startswith("review mode")


def test_clicking_a_tile_brings_its_panel_forward(window, qtbot):
    dock = window.docks["vessels/fleet"]
    dock.hide()
    window.refresh_overview()
    window.overview.tiles["vessels"].clicked.emit()
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    # tabbed with stations and warnings: its tab is the current one
    assert not dock.visibleRegion().isEmpty()
