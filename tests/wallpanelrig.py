"""Wall panels live, without the wall's windows: a real demo backend on loopback with
every plugin, the real FeedService and cache, the console (its freshness and service
statuses), and a :class:`Feeder` that hands wall panels what the console gets — the
cache's state (read off the GUI thread), each committed batch, the model views and the
alarm deltas, the overview's statuses — as ``widgets.wall.manager`` does.

Shared by tests/test_wall_panels.py and tests/test_wall_readability.py.
"""
from __future__ import annotations

import contextlib
import gc
import time

from PySide6 import QtCore, QtWidgets

from demo_backend.server import DemoBackend
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.plugin_api import load_plugins
from ioc_desktop.qt_bridge import FeedService
from ioc_desktop.store.store import load_state
from ioc_desktop.wall.readability import min_text_px
from widgets.plugin_gui import AppContext

#: A 55-inch 1920 × 1080 display seen from 5 m: the wall's usual screen.
WALL_PX = min_text_px(5.0, 1080, 1920)


def wait_until(predicate, timeout: float = 20.0, what: str = "") -> None:
    """Run the event loop until ``predicate()`` (AssertionError after ``timeout`` s)."""
    end = time.monotonic() + timeout
    app = QtWidgets.QApplication.instance()
    while True:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if predicate():
            return
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.02)


def flush_deletes() -> None:
    """Deferred deletes done, and Python's garbage collected here, on the GUI thread: a
    Qt object Python owns must not be destroyed on a worker thread (where the collector
    may otherwise run), which would leave its timers registered here, dangling."""
    gc.collect()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()


def close_window(win: QtWidgets.QWidget) -> None:
    win.close()
    win.deleteLater()
    flush_deletes()


def settle(seconds: float = 1.0) -> None:
    """Run the event loop a while (a map page's engine finishing its own teardown after
    its view was deleted, before the next test)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        flush_deletes()
        time.sleep(0.02)


def plugin_of(gui) -> str:
    """plugins.<name>.gui.XGui -> name."""
    return type(gui).__module__.split(".")[1]


class Feeder(QtCore.QObject):
    """Feeds wall panels from the service and the console, as the wall's manager."""

    def __init__(self, service, console, parent=None):
        super().__init__(parent)
        self.service = service
        self.console = console
        self.panels: list = []
        self.views: dict[str, dict] = {}
        self.delta = None
        service.stateLoaded.connect(self._on_state)
        service.batchCommitted.connect(self._on_batch)
        service.alarmsChanged.connect(self._on_alarms)
        self._timer = QtCore.QTimer(self, interval=1000)
        self._timer.timeout.connect(self.statuses)
        self._timer.start()

    def add(self, panel):
        """A panel built now: the views and alarms so far, the cache's state."""
        self.panels.append(panel)
        for gui in panel.guis:
            if plugin_of(gui) in self.views:
                gui.apply_view(dict(self.views[plugin_of(gui)]), full=True)
        if panel.alarm_view is not None and self.delta is not None:
            s = self.delta.summary
            panel.alarm_view.apply(s, list(s.active) + [a for v in s.suppressed.values() for a in v])
        if panel.guis:
            topics = list(self.service.topics.values())
            self.service.run_read(lambda conn: load_state(conn, topics),
                                  lambda state, p=panel: self._state_for(p, state))
        self.statuses()
        return panel

    def close(self) -> None:
        """Stop feeding (before the service and the console go)."""
        self._timer.stop()
        self.panels = []
        for signal, slot in ((self.service.stateLoaded, self._on_state),
                             (self.service.batchCommitted, self._on_batch),
                             (self.service.alarmsChanged, self._on_alarms)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def remove(self, panel) -> None:
        if panel in self.panels:
            self.panels.remove(panel)

    def _state_for(self, panel, state) -> None:
        if state is not None and panel in self.panels:
            for gui in panel.guis:
                gui.on_reset(state)

    def _on_state(self, state) -> None:
        for panel in self.panels:
            for gui in panel.guis:
                gui.on_reset(state)

    def _on_batch(self, batch) -> None:
        for panel in self.panels:
            for gui in panel.guis:
                gui.on_batch(batch)

    def _on_alarms(self, delta) -> None:
        for name, changes in delta.views.items():
            self.views[name] = dict(changes) if delta.full_views else {**self.views.get(name, {}), **changes}
        self.delta = delta
        for panel in self.panels:
            for gui in panel.guis:
                changes = delta.views.get(plugin_of(gui))
                if changes is not None:
                    gui.apply_view(changes, full=delta.full_views)
            if panel.alarm_view is not None:
                panel.alarm_view.apply(delta.summary, delta.changed)

    def statuses(self) -> None:
        statuses = self.console.service_statuses()
        for panel in self.panels:
            if panel.overview is not None:
                panel.overview.update_status(statuses)


class Live:
    def __init__(self, backend, service, console, loaded, feeder):
        self.backend, self.service, self.console = backend, service, console
        self.loaded, self.feeder = loaded, feeder

    def context(self, min_px: float = WALL_PX, map_factory=None, lease: list | None = None):
        """A WallContext whose callbacks (reads, images) answer only while ``lease[0]``
        (as the manager's: a panel disposed of never hears of a read on its way)."""
        from widgets.wall.panels import WallContext
        s = self.service
        lease = lease if lease is not None else [True]

        def guarded(callback):
            return lambda result: callback(result) if lease[0] else None
        app = AppContext(query=lambda sql, params, cb: s.query(sql, params, guarded(cb)),
                         run_read=lambda fn, cb: s.run_read(fn, guarded(cb)),
                         fetch_media=lambda url, cb: s.fetch_media(url, guarded(cb)),
                         request_select=self.console.select, lang="en")
        return WallContext(self.loaded, app, lang="en", min_text_px=min_px, map_factory=map_factory,
                           alarm_act=s.alarm_action, source_title=self.console._alarm_source_title)

    def build(self, spec, min_px: float = WALL_PX, map_factory=None):
        from widgets.wall.panels import build_panel
        lease = [True]
        panel = build_panel(spec, self.context(min_px, map_factory, lease))
        panel._test_lease = lease
        return self.feeder.add(panel)

    def dispose(self, *panels) -> None:
        """Stop feeding ``panels`` and dispose of them (all of them when none named)."""
        for panel in panels or list(self.feeder.panels):
            self.feeder.remove(panel)
            getattr(panel, "_test_lease", [True])[0] = False
            panel.dispose()


@contextlib.contextmanager
def live_wall_data(tmp_path, *, rate: float = 100.0, seed: int = 3):
    """A demo backend with every plugin, the service (started, LIVE) and the console."""
    from widgets.main_window import MainWindow
    loaded = load_plugins()
    plugins = [lp.plugin for lp in loaded if lp.plugin]
    backend = DemoBackend(plugins, seed=seed, rate=rate)
    backend.start_in_thread()
    service = FeedService(ClientConfig(server=backend.url(), cache=tmp_path / "wall.sqlite", lang="en"),
                          plugins)
    console = MainWindow(service, loaded, lang="en", with_map=False, reset_layout=True)
    console.resize(1600, 900)
    feeder = Feeder(service, console)
    service.start()
    try:
        wait_until(lambda: service.state.status == FeedStatus.LIVE, 20, "the feed LIVE")
        yield Live(backend, service, console, loaded, feeder)
    finally:
        feeder.close()
        service.stop()
        backend.stop()
        for _ in range(5):          # answers already on their way, before the widgets go
            QtWidgets.QApplication.processEvents()
        console.close()
        # every QObject of the rig deleted here, on the GUI thread: left to Python's
        # collector, one could be destroyed on a worker thread, its timers left dangling
        console.deleteLater()
        feeder.deleteLater()
        flush_deletes()
