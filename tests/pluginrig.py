"""A plugin live on its own: a real demo backend on loopback serving only its topics,
the real feed service and cache, and the main window with only its GUI.

    with live_plugin(qtbot, tmp_path, CamerasPlugin(), rate=100) as (service, window, backend):
        ...

Shared by every plugin's integration tests so none of them rebuilds the rig.
"""
from __future__ import annotations

import contextlib
import sqlite3

from demo_backend.server import DemoBackend
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.plugin_api import LoadedPlugin
from ioc_desktop.qt_bridge import FeedService
from widgets.main_window import MainWindow


@contextlib.contextmanager
def live_plugin(qtbot, tmp_path, plugin, *, rate: float = 100.0, seed: int = 3, with_map: bool = False,
                token: str | None = None, log_path=None):
    backend = DemoBackend([plugin], seed=seed, rate=rate, log_path=log_path)
    backend.start_in_thread()
    config = ClientConfig(server=backend.url(), cache=tmp_path / "cache.sqlite", lang="en")
    if token is not None:
        config.token = token
    service = FeedService(config, [plugin])
    window = MainWindow(service, [LoadedPlugin(plugin.name, plugin)], with_map=with_map, reset_layout=True)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    service.start()
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        yield service, window, backend
    finally:
        service.stop()
        backend.stop()


def table_count(service, table: str) -> int:
    """Rows in a state table of the live cache (a separate read connection)."""
    conn = sqlite3.connect(service.config.cache)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
