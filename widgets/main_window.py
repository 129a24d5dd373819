"""The main window: the shared map in the middle, every plugin's panels in docks,
the alarm banner on top and the feed status at the bottom.  It knows no service: it
asks each plugin's GUI for its panels and hands it committed batches.
"""
from __future__ import annotations

import logging
import time

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.feed.client import FeedState, FeedStatus
from ioc_desktop.plugin_api import LoadedPlugin
from ioc_desktop.qt_bridge import FeedService
from widgets.alarm_banner import AlarmBanner
from widgets.feed_status import FeedStatusBar
from widgets.plugin_gui import AppContext, PluginGui
from widgets.services_overview import ServiceStatus, ServicesOverview
from widgets.text import tooltip

log = logging.getLogger(__name__)
SETTINGS_VERSION = 1


def _scrollable(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """A panel in a scroll area: ten services' minimum sizes must never push the window
    past the screen (a 1080p wall); a panel squeezed below its minimum scrolls."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, service: FeedService, loaded: list[LoadedPlugin], *, lang: str = "vi",
                 with_map: bool = True, tile_url: str | None = None, reset_layout: bool = False):
        super().__init__()
        self.setObjectName("IocMainWindow")
        self.setWindowTitle(self.tr("Huế IOC — Operations Center"))
        self.service = service
        self.guis: dict[str, PluginGui] = {}
        self.topic_owner: dict[str, str] = {}
        self.docks: dict[str, QtWidgets.QDockWidget] = {}
        self.plugin_errors: dict[str, str] = {lp.name: lp.error for lp in loaded if lp.error}
        self.setDockOptions(QtWidgets.QMainWindow.DockOption.AnimatedDocks
                            | QtWidgets.QMainWindow.DockOption.AllowTabbedDocks
                            | QtWidgets.QMainWindow.DockOption.AllowNestedDocks)

        # -- centre: banner over the map
        central = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # The banner spans the whole window (a toolbar row above every dock), so a long
        # warning reads on one or two lines however the panels are arranged.
        self.banner = AlarmBanner()
        self._banner_bar = QtWidgets.QToolBar(self.tr("Alarms"), self, objectName="alarmBar")
        self._banner_bar.setMovable(False)
        self._banner_bar.setFloatable(False)
        self._banner_bar.addWidget(self.banner)
        self._banner_bar.setVisible(False)
        self.banner.visibilityChanged.connect(self._banner_bar.setVisible)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, self._banner_bar)
        self.notice = QtWidgets.QLabel(objectName="notice")   # cache recovered, plugin errors…
        self.notice.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        column.addWidget(self.notice)
        self.map = None
        if with_map:
            from widgets.map_view import MapView
            self.map = MapView(tile_url=tile_url)
            self.map.markerClicked.connect(self.select)
            column.addWidget(self.map, 1)
        else:
            column.addStretch(1)
        self.setCentralWidget(central)

        # -- status bar
        topics = {}
        for lp in loaded:
            if lp.plugin:
                for spec in lp.plugin.topics:
                    topics[spec.name] = (QtCore.QCoreApplication.translate("plugins", lp.plugin.title),
                                         spec.stale_after_s)
        self.status = FeedStatusBar(topics)
        self.status.rejectedClicked.connect(self.show_rejected)
        self.statusBar().addPermanentWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(False)

        # -- plugins
        self.context = AppContext(map=self.map, query=service.query, request_select=self.select,
                                  lang=lang, extras={"banner": self.banner,
                                                     "run_read": service.run_read,
                                                     "fetch_media": service.fetch_media,
                                                     "dispatch": service})
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        tab_stacks: dict = {}
        stretches: list = []
        self.loaded = [lp for lp in loaded]
        self.overview = ServicesOverview()
        self.overview.serviceActivated.connect(self.bring_forward)
        overview_dock = QtWidgets.QDockWidget(self.tr("Services overview"), self)
        overview_dock.setObjectName("dock-overview")
        overview_dock.setWidget(self.overview)
        overview_dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable
                                  | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.TopDockWidgetArea, overview_dock)
        self.docks["overview"] = overview_dock
        view_menu.addAction(overview_dock.toggleViewAction())
        for lp in loaded:
            if lp.plugin is None:
                continue
            try:
                gui = lp.plugin.create_gui(self.context)
            except Exception as exc:  # a plugin GUI that fails is shown as an error, not fatal
                log.exception("plugin %s GUI failed", lp.name)
                self.plugin_errors[lp.name] = f"{type(exc).__name__}: {exc}"
                continue
            if gui is None:
                continue
            self.guis[lp.name] = gui
            for spec in lp.plugin.topics:
                self.topic_owner[spec.name] = lp.name
            for panel in gui.panels:
                dock = QtWidgets.QDockWidget(panel.title, self)
                dock.setObjectName(f"dock-{lp.name}-{panel.panel_id}")
                dock.setWidget(_scrollable(panel.widget))
                dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                                 | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable
                                 | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable)
                self.addDockWidget(panel.area, dock)
                if panel.tabbed:
                    first = tab_stacks.setdefault(panel.area, dock)
                    if first is not dock:
                        self.tabifyDockWidget(first, dock)
                if panel.stretch:
                    stretches.append((dock, panel.stretch, panel.area))
                self.docks[f"{lp.name}/{panel.panel_id}"] = dock
                view_menu.addAction(dock.toggleViewAction())
        for first in tab_stacks.values():
            first.raise_()
        self._default_sizes = stretches
        self.banner.activated.connect(self._banner_activated)
        self._show_notices()

        service.stateLoaded.connect(self._on_state)
        service.batchCommitted.connect(self._on_batch)
        service.statusChanged.connect(self._on_status)
        service.started.connect(self._on_started)
        service.failed.connect(lambda msg: self._add_notice(self.tr("Cache or feed failed: {0}").format(msg)))
        service.cacheRotated.connect(lambda p: self._add_notice(
            self.tr("The backend's event log changed; the previous cache is kept at {0}").format(p)))

        self._overview_timer = QtCore.QTimer(self, interval=1000)
        self._overview_timer.timeout.connect(self.refresh_overview)
        self._overview_timer.start()

        self._settings = QtCore.QSettings("HueIOC", "ioc-desktop")
        if reset_layout:
            self._settings.remove("window")
        self._restore_layout()

    # -------------------------------------------------------------- layout
    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is None or not self.restoreState(state, SETTINGS_VERSION):
            # first start: apply the panels' preferred shares once the window has a size
            QtCore.QTimer.singleShot(0, self._apply_default_sizes)

    def _apply_default_sizes(self) -> None:
        horizontal = (QtCore.Qt.DockWidgetArea.TopDockWidgetArea, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea)
        for dock, share, area in self._default_sizes:
            vertical_stack = area not in horizontal
            total = self.height() if vertical_stack else self.width()
            self.resizeDocks([dock], [int(total * share)],
                             QtCore.Qt.Orientation.Vertical if vertical_stack else QtCore.Qt.Orientation.Horizontal)
        # the map keeps the middle half of the wall; side panels share the rest
        for area, share in ((QtCore.Qt.DockWidgetArea.RightDockWidgetArea, 0.26),
                            (QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, 0.22)):
            side = [d for d in self.docks.values() if self.dockWidgetArea(d) == area and d.isVisible()]
            if side:
                self.resizeDocks(side[:1], [int(self.width() * share)], QtCore.Qt.Orientation.Horizontal)
        self.overview.relayout(self.width())
        rows, _ = self.overview.grid_shape()
        self.resizeDocks([self.docks["overview"]], [rows * 118 + 40], QtCore.Qt.Orientation.Vertical)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState(SETTINGS_VERSION))
        super().closeEvent(event)

    # -------------------------------------------------------------- notices
    def _show_notices(self) -> None:
        for name, error in self.plugin_errors.items():
            self._add_notice(self.tr("Plugin {0} disabled: {1}").format(name, error))

    def _add_notice(self, text: str) -> None:
        current = self.notice.text()
        self.notice.setText((current + "\n" if current else "") + text)
        self.notice.setVisible(True)

    def _on_started(self, info: dict) -> None:
        if info.get("recovered_from"):
            self._add_notice(self.tr("The cache file was damaged; it was moved aside to {0} "
                                     "and a new cache started").format(info["recovered_from"]))

    # -------------------------------------------------------------- data flow
    def _on_state(self, state: dict) -> None:
        for name, gui in self.guis.items():
            try:
                gui.on_reset(state)
            except Exception:
                log.exception("plugin %s on_reset failed", name)
        self.status.set_received(self.service.last_received)
        self.status.set_rejected(self.service.rejected_total)

    def _on_batch(self, batch) -> None:
        for name, gui in self.guis.items():
            try:
                gui.on_batch(batch)
            except Exception:
                log.exception("plugin %s on_batch failed", name)
        self.status.set_received(self.service.last_received)
        self.status.set_rejected(batch.rejected_total)

    def _on_status(self, state: FeedState) -> None:
        self.status.set_state(state)

    # -------------------------------------------------------------- selection
    def select(self, topic: str, key: str) -> None:
        owner = self.topic_owner.get(topic)
        gui = self.guis.get(owner) if owner else None
        if gui is None:
            return
        self.bring_forward(owner)
        gui.select(topic, key)

    def bring_forward(self, plugin_name: str) -> None:
        """Show and raise a plugin's first panel (overview tile clicked)."""
        for panel_key, dock in self.docks.items():
            if panel_key.startswith(plugin_name + "/"):
                dock.show()
                dock.raise_()
                return

    def service_statuses(self, now: float | None = None) -> list[ServiceStatus]:
        now = now or time.time()
        out = []
        for lp in self.loaded:
            title = QtCore.QCoreApplication.translate("plugins", lp.plugin.title) if lp.plugin else lp.name
            error = lp.error or self.plugin_errors.get(lp.name)
            if error or lp.plugin is None:
                out.append(ServiceStatus(lp.name, title, error=error or "not loaded"))
                continue
            if not lp.plugin.topics:
                continue
            gui = self.guis.get(lp.name)
            try:
                kpis = gui.kpis() if gui else []
            except Exception as exc:  # a plugin's figures must not stop the overview
                log.exception("plugin %s kpis failed", lp.name)
                out.append(ServiceStatus(lp.name, title, error=f"{type(exc).__name__}: {exc}"))
                continue
            ages = [now - self.service.last_received[t.name] for t in lp.plugin.topics
                    if t.name in self.service.last_received]
            stale = any(t.name not in self.service.last_received
                        or now - self.service.last_received[t.name] > t.stale_after_s
                        for t in lp.plugin.topics)
            out.append(ServiceStatus(lp.name, title, kpis, min(ages) if ages else None, stale))
        return out

    def refresh_overview(self) -> None:
        self.overview.update_status(self.service_statuses())

    def _banner_activated(self, source: str, key: str) -> None:
        self.select(source, key)

    def show_rejected(self) -> None:
        def show(rows):
            rows = rows or []
            dialog = QtWidgets.QDialog(self)
            dialog.setWindowTitle(self.tr("Rejected frames"))
            table = QtWidgets.QTableWidget(len(rows), 4, dialog)
            table.setHorizontalHeaderLabels([self.tr("Received"), self.tr("Topic"), self.tr("Sequence no."),
                                              self.tr("Reason")])
            for r, row in enumerate(rows):
                for c, value in enumerate(row[:4]):
                    item = QtWidgets.QTableWidgetItem("" if value is None else str(value))
                    item.setToolTip(tooltip(str(row[4])[:2000]))
                    table.setItem(r, c, item)
            table.horizontalHeader().setStretchLastSection(True)
            layout = QtWidgets.QVBoxLayout(dialog)
            layout.addWidget(table)
            dialog.resize(900, 400)
            dialog.show()
        self.service.query("SELECT datetime(received_at, 'unixepoch', '+7 hours'), topic, seq, reason, raw "
                           "FROM rejected ORDER BY id DESC LIMIT 500", (), show)
