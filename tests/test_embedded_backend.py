"""Without --server the app runs on the demo backend that the composition root hands the
feed service (main.py: ``embedded_backend=start_embedded``); the client's core itself
never imports the demo backend (an import-linter contract, tests/test_architecture.py)."""
from __future__ import annotations

from demo_backend.launch import start_embedded
from feedkit import TicksPlugin
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus, Reason
from ioc_desktop.qt_bridge import FeedService


def test_the_embedded_backend_starts_on_the_service_thread_and_logs_beside_the_cache(qtbot, tmp_path):
    config = ClientConfig(cache=tmp_path / "cache.sqlite", lang="en", seed=3, rate=50)
    service = FeedService(config, [TicksPlugin()], embedded_backend=start_embedded)
    service.start()
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        assert service.server_url == service.backend.url()
        assert (tmp_path / "demo-backend-log-seed3.sqlite").exists()   # one log per seed
    finally:
        service.stop()


def test_without_a_server_nor_an_embedded_backend_it_says_failed(qtbot, tmp_path):
    service = FeedService(ClientConfig(cache=tmp_path / "cache.sqlite", lang="en"), [TicksPlugin()])
    failures = []
    service.failed.connect(failures.append)
    service.start()
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.FAILED, timeout=15000)
        assert service.state.reason == Reason.INTERNAL_ERROR
        assert failures and "no embedded backend" in failures[0]
    finally:
        service.stop()

