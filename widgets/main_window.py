"""The main window: the shared map in the middle, every plugin's panels in docks,
the alarm banner on top and the feed status at the bottom.  It knows no service: it
asks each plugin's GUI for its panels and hands it committed batches.

No status may lie.  Once a second (and at once when the link changes) the window
works out which topics are current: the link is LIVE and the topic's newest data is
younger than its ``stale_after_s``.  Everything derived from a topic that is not
current says so, in one place for every service: its overview tile greys with the age
of its data, its alarms stop flashing, its panels get a "NOT CURRENT · data from
HH:MM" strip, a dashed grey frame and a title suffix, its map layer greys (and the
whole map, with a label, when the link is down).  A dead worker thread shows FAILED
until it is restarted, whatever the feed says meanwhile.
"""
from __future__ import annotations

import html
import logging
import os
import time
from dataclasses import replace

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.alarms import ANNUNCIATED
from ioc_desktop.feed.client import FeedState, FeedStatus, Reason
from ioc_desktop.plugin_api import LoadedPlugin
from ioc_desktop.qt_bridge import FeedService
from widgets.alarm_banner import AlarmBanner
from widgets.alarm_center import AlarmCenter
from widgets.alarm_summary import plugin_of
from widgets.alarm_text import alarm_text
from widgets.batch_pump import BatchPump, merge_view_changes
from widgets.feed_status import FeedStatusBar, clock_text, worker_name
from widgets.plugin_gui import AppContext, PluginGui
from widgets.review.banner import LIVE_KEY, REVIEW, ReviewBanner, moment_text
from widgets.review.clock import view_time
from widgets.review.controller import ReviewController
from widgets.review.time_bar import TimeBar
from widgets.services_overview import ServiceStatus, ServicesOverview
from widgets.text import tooltip
from widgets.theme import BORDER, STALE, SURFACE_ALT, TEXT, TEXT_MUTED, WARN

log = logging.getLogger(__name__)
SETTINGS_VERSION = 1
# The engine's priorities (1 highest) as the banner's severities.
PRIORITY_SEVERITY = {1: "critical", 2: "high", 3: "medium", 4: "low"}


#: Set (to anything) by bench/cold_start.py: print ``IOC_FIRST_LIVE_FRAME <time>`` once
#: the map page is ready and the first committed batch has been handed to the panels
#: and painted, then quit.
FIRST_FRAME_HOOK = "IOC_BENCH_FIRST_FRAME"


class _FirstLiveFrame(QtCore.QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.got_batch = self.done = False
        window.review.batchCommitted.connect(self._on_batch)
        if window.map is not None:
            window.map.ready.connect(self._check)

    def _on_batch(self, _batch) -> None:
        if not self.got_batch:
            self.got_batch = True
            # after the window's own slot (connected first) and a paint
            QtCore.QTimer.singleShot(0, self._check)

    def _check(self) -> None:
        w = self.window
        if self.done or not self.got_batch or (w.map is not None and not w.map.is_ready):
            return
        # the panels have not all had the batch yet (the models' views, which are not
        # part of it, are at most one turn behind: widgets/batch_pump.py)
        if w._pump.pending:
            QtCore.QTimer.singleShot(5, self._check)
            return
        self.done = True
        w.repaint()
        print(f"IOC_FIRST_LIVE_FRAME {time.time()}", flush=True)
        QtCore.QTimer.singleShot(0, QtWidgets.QApplication.quit)


def _banner_source(alarm) -> str:
    """An engine alarm goes on the banner under its source topic (so the banner greys it
    when that feed is not current), keyed by the alarm's id."""
    return alarm.source_topic or "alarms"


def _scrollable(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """A panel in a scroll area: ten services' minimum sizes must never push the window
    past the screen (a 1080p wall); a panel squeezed below its minimum scrolls."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _sentence(text: str) -> str:
    """Capitalise a sentence that starts with a name ("the cache writer stopped…")."""
    return text[:1].upper() + text[1:]


class PanelFrame(QtWidgets.QFrame):
    """A plugin panel in its dock, with the generic "not current" marker: a grey strip
    on top ("NOT CURRENT · data from 14:05") and a dashed grey frame, shown while the
    panel's data is not current.  Done once here for every plugin."""

    def __init__(self, content: QtWidgets.QWidget, parent=None):
        super().__init__(parent, objectName="panelFrame")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.strip = QtWidgets.QLabel(objectName="staleStrip")
        self.strip.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.strip.setWordWrap(True)
        font = QtGui.QFont(self.strip.font())
        font.setPointSize(13)
        font.setBold(True)
        self.strip.setFont(font)
        self.strip.setStyleSheet(f"background: {SURFACE_ALT}; color: {TEXT}; padding: 4px 10px;"
                                 f" border-bottom: 2px dashed {STALE};")
        self.strip.hide()
        layout.addWidget(self.strip)
        layout.addWidget(content, 1)
        self.content = content
        self._stale_text: str | None = None
        self._review = False
        # One stylesheet, set once, on the frame's properties: setting a frame's sheet
        # re-polished every widget of its panel (a second of the GUI thread at start,
        # when every panel goes from not current to live)
        self.setProperty("stale", False)
        self.setProperty("review", False)
        self.setStyleSheet(f'QFrame#panelFrame[stale="true"] {{ border: 3px dashed {STALE}; }}'
                           f'QFrame#panelFrame[stale="true"][review="true"] {{ border: 3px solid {REVIEW}; }}')

    def set_stale(self, text: str | None, *, review: bool = False) -> None:
        """``text``: the marker (None: the panel is current).  ``review``: the marker
        says the panel shows a past moment (violet, solid) rather than old data."""
        if text == self._stale_text and review == self._review:
            return
        was = (self._stale_text is not None, self._review)
        self._stale_text = text
        self._review = review
        if text is not None:
            self.strip.setText(text)
        self.strip.setVisible(text is not None)
        if was != (text is not None, review):
            self.setProperty("stale", text is not None)
            self.setProperty("review", review)
            strip = f"background: {REVIEW}; color: white;" if review \
                else f"background: {SURFACE_ALT}; color: {TEXT};"
            self.strip.setStyleSheet(f"{strip} padding: 4px 10px; border-bottom: 2px dashed {STALE};")
            style = self.style()         # this frame only: the rules name no other widget
            style.unpolish(self)
            style.polish(self)
            self.update()

    def is_stale(self) -> bool:
        return self._stale_text is not None

    def stale_text(self) -> str:
        return self._stale_text or ""


class MainWindow(QtWidgets.QMainWindow):
    #: After each refresh of the freshness (once a second, at each link change):
    #: (now, topic -> (stale, time of its newest data), the services' statuses).  The
    #: video wall marks its panels and fills its overview from the same figures.
    freshnessRefreshed = QtCore.Signal(float, object, object)

    def __init__(self, service: FeedService, loaded: list[LoadedPlugin], *, lang: str = "vi",
                 with_map: bool = True, tile_url: str | None = None, reset_layout: bool = False,
                 map_view=None):
        """``map_view``: the map, made (and its page loading) before the window; by
        default the window makes one (``with_map``)."""
        super().__init__()
        self.setObjectName("IocMainWindow")
        self.setWindowTitle(self.tr("Huế IOC — Operations Center"))
        self.service = service
        # the views' data: live from the service, or a past moment (review)
        self.review = ReviewController(service, [lp.plugin for lp in loaded], parent=self)
        self.guis: dict[str, PluginGui] = {}
        self._stale_topics: set[str] = set()     # as of the last freshness refresh
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
        # the REVIEW band above it, across the window, whenever a past moment is shown
        self.review_banner = ReviewBanner()
        self._review_bar = QtWidgets.QToolBar(self.tr("Review"), self, objectName="reviewBar")
        self._review_bar.setMovable(False)
        self._review_bar.setFloatable(False)
        self._review_action = self._review_bar.addWidget(self.review_banner)
        self._review_bar.setVisible(False)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, self._review_bar)
        self.addToolBarBreak(QtCore.Qt.ToolBarArea.TopToolBarArea)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, self._banner_bar)
        # cache recovered, plugin errors, workers stopped…: a translated sentence each,
        # the technical text (if any) after it, smaller and muted
        self.notice = QtWidgets.QLabel(objectName="notice")
        self.notice.setTextFormat(QtCore.Qt.TextFormat.RichText)   # built from escaped text only
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"QLabel#notice {{ background: {SURFACE_ALT}; color: {TEXT};"
                                  f" border-left: 6px solid {WARN}; border-bottom: 1px solid {BORDER};"
                                  f" padding: 4px 10px; }}")
        self.notice.setVisible(False)
        self.notices: list[tuple[str, str]] = []     # (sentence, technical details)
        column.addWidget(self.notice)
        self.map = None
        if map_view is not None:
            self.map = map_view
        elif with_map:
            from widgets.map_view import MapView
            self.map = MapView(tile_url=tile_url)
        if self.map is not None:
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
        self.status.tokenRequested.connect(self.ask_token)
        self.token_dialog: QtWidgets.QInputDialog | None = None
        # the link as the service reports it, and what the GUI knows on top of it
        self._feed_state: FeedState = service.state
        self._failed_workers: dict[str, tuple[float, str]] = {}   # worker -> (when, technical)
        self._start_failure: str | None = None
        self._gui_failed: dict[str, float] = {}                   # plugin -> when its update failed
        self.panel_frames: dict[str, PanelFrame] = {}
        self._panel_titles: dict[str, str] = {}
        self.statusBar().addPermanentWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(False)

        # -- plugins
        self.context = AppContext(map=self.map, query=service.query, request_select=self.select,
                                  lang=lang, banner=self.banner, run_read=service.run_read,
                                  fetch_media=service.fetch_media, dispatch=service)
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
            # the map page loads meanwhile: its browser side runs on this thread's
            # event loop, which building ten plugins' panels would hold for ~0.4 s
            QtCore.QCoreApplication.processEvents()
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
                frame = PanelFrame(_scrollable(panel.widget))
                dock.setWidget(frame)
                self.panel_frames[f"{lp.name}/{panel.panel_id}"] = frame
                self._panel_titles[f"{lp.name}/{panel.panel_id}"] = panel.title
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
        self._build_alarm_views(lang)
        self._default_sizes = stretches
        self.banner.activated.connect(self._banner_activated)
        self.banner.acknowledged.connect(self._banner_acknowledged)
        self._engine_alarms: dict = {}      # alarm id -> the engine's Alarm on the banner
        self._show_notices()

        self._after_reset = False
        self._pump = BatchPump(lambda name, batch: self._update_gui(name, self.guis[name].on_batch, batch), self)
        # the models' view deltas, in the turn after the alarms' (one long turn made
        # two); the overview (its KPIs come from the views) once after them, in a third
        self._view_pump = BatchPump(self._deliver_view, self, merge=merge_view_changes,
                                    budget_ms=float("inf"))
        self._overview_due = QtCore.QTimer(self, singleShot=True, interval=0)
        self._overview_due.timeout.connect(self.refresh_overview)
        self.review.stateLoaded.connect(self._on_state)
        self.review.batchCommitted.connect(self._on_batch)
        self.review.alarmsChanged.connect(self._on_alarms)
        self.review.reviewChanged.connect(self._on_review)
        self.review.liveAlarms.connect(self._on_live_alarms)
        self.review.playChanged.connect(lambda _s: self._show_review_banner())
        self.review.snapshotShown.connect(self._on_snapshot)
        self._build_review_bar()
        service.statusChanged.connect(self._on_status)
        service.statusChanged.connect(self._on_alarm_user)
        service.started.connect(self._on_started)
        service.failed.connect(self._on_failed)
        service.cacheRotated.connect(self._on_rotated)
        if hasattr(service, "cacheRecovered"):
            service.cacheRecovered.connect(self._on_recovered)
        if hasattr(service, "cache_read_topics"):
            service.cache_read_topics = self._state_in_cache()
        service.workerFailed.connect(self._on_worker_failed)
        service.workerRestarted.connect(self._on_worker_restarted)
        self._apply_link()

        self._overview_timer = QtCore.QTimer(self, interval=1000)
        self._overview_timer.timeout.connect(self.refresh_overview)
        self._overview_timer.start()

        if os.environ.get(FIRST_FRAME_HOOK):
            _FirstLiveFrame(self)       # bench/cold_start.py: off the normal path

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
        # the alarm summary (bottom, with the reports queue): room for its rows at the wall
        summary = getattr(self, "alarm_docks", {}).get("summary")
        if summary is not None and self.dockWidgetArea(summary) == QtCore.Qt.DockWidgetArea.BottomDockWidgetArea:
            self.resizeDocks([summary], [int(self.height() * 0.3)], QtCore.Qt.Orientation.Vertical)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.alarms.shutdown()           # the annunciator's timer and tones
        wall = getattr(self, "wall", None)
        if wall is not None:
            wall.close()                 # the app ends with its console, wall included
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState(SETTINGS_VERSION))
        super().closeEvent(event)

    # -------------------------------------------------------------- the video wall
    def attach_wall(self, wall) -> None:
        """The Wall menu for a ``widgets.wall.manager.WallManager``: its presets (Ctrl+1…,
        the keys of the wall windows too), the lock against automatic switching, and
        closing (or opening again) the wall, whose windows refuse any other close."""
        self.wall = wall
        menu = self.menuBar().addMenu(self.tr("&Wall"))
        group = QtGui.QActionGroup(self)
        group.setExclusive(True)
        self.wall_preset_actions: dict[str, QtGui.QAction] = {}
        keys = dict((p, k) for k, p in wall.preset_keys())
        for preset in wall.presets:
            title = wall.preset_title(preset)
            action = menu.addAction(self.tr("Preset: {0}").format(title[:1].upper() + title[1:]))
            action.setCheckable(True)
            if preset in keys:
                action.setShortcut(QtGui.QKeySequence(keys[preset]))
            group.addAction(action)
            action.triggered.connect(lambda _c=False, p=preset: self.wall.set_preset(p))
            self.wall_preset_actions[preset] = action
        menu.addSeparator()
        self.wall_lock_action = menu.addAction(self.tr("Lock the layout (no automatic switching)"))
        self.wall_lock_action.setCheckable(True)
        self.wall_lock_action.setShortcut(QtGui.QKeySequence(wall.lock_key))
        self.wall_lock_action.triggered.connect(lambda checked: self.wall.set_locked(checked))
        menu.addSeparator()
        self.wall_close_action = menu.addAction(self.tr("Close the wall"))
        self.wall_close_action.setShortcut(QtGui.QKeySequence(wall.close_chord))
        self.wall_close_action.triggered.connect(
            lambda _c=False: self.wall.close() if self.wall.is_open else self.wall.start())
        wall.decisionChanged.connect(self._wall_changed)
        wall.windowsChanged.connect(self._wall_changed)
        self._wall_changed()

    def _wall_changed(self, *_args) -> None:
        wall = self.wall
        for preset, action in self.wall_preset_actions.items():
            action.setChecked(preset == wall.base)
            action.setEnabled(wall.is_open)
        self.wall_lock_action.setChecked(wall.locked)
        self.wall_lock_action.setEnabled(wall.is_open)
        self.wall_close_action.setText(self.tr("Close the wall") if wall.is_open
                                       else self.tr("Open the wall"))

    # -------------------------------------------------------------- notices
    MAX_NOTICES = 8

    def _show_notices(self) -> None:
        for name, error in self.plugin_errors.items():
            self._add_notice(self.tr("The {0} service is disabled: its plugin failed; the other services go on.").format(self._plugin_title(name)), f"{name}: {error}")

    def _plugin_title(self, name: str) -> str:
        for lp in self.loaded if hasattr(self, "loaded") else ():
            if lp.name == name and lp.plugin is not None:
                return QtCore.QCoreApplication.translate("plugins", lp.plugin.title)
        return name

    def _add_notice(self, text: str, technical: str = "") -> None:
        """A line in the notice area: ``text`` (translated, for the user) first, the raw
        technical text (exception, path) after it, smaller and muted."""
        self.notices.append((text, technical))
        del self.notices[:-self.MAX_NOTICES]
        lines = []
        for sentence, detail in self.notices:
            line = html.escape(sentence)
            if detail:
                line += (f" <span style='color:{TEXT_MUTED}; font-size:small'>· "
                         + html.escape(self.tr("technical details: {0}").format(detail)) + "</span>")
            lines.append(line)
        self.notice.setText("<br>".join(lines))
        self.notice.setVisible(True)

    def _on_started(self, info: dict) -> None:
        if info.get("recovered_from"):
            self._add_notice(self.tr("The cache file was damaged; it was moved aside to {0} "
                                     "and a new cache started").format(info["recovered_from"]))

    def _on_recovered(self, path: str, reason: str) -> None:
        """The background check found the cache damaged after start: moved aside, a
        new one started (the same words as when it is found at opening)."""
        self._add_notice(self.tr("The cache file was damaged; it was moved aside to {0} "
                                 "and a new cache started").format(path), reason)

    def _state_in_cache(self) -> set[str]:
        """Topics whose state every GUI that follows them reads from the cache itself
        (``state_in_cache``): the service doesn't decode them for the GUI at start."""
        declared = {t for gui in self.guis.values() for t in getattr(gui, "state_in_cache", ())}
        for gui in self.guis.values():
            own = set(getattr(gui, "state_in_cache", ()))
            declared -= set(getattr(gui, "topics", ())) - own
        return declared

    def _on_failed(self, message: str) -> None:
        """The service could not start (its cache or its feed): FAILED, never CONNECTING."""
        self._start_failure = message
        self._add_notice(self.tr("The cache or the feed could not start: nothing new will arrive; what is shown may be old."), message)
        self._apply_link()

    def _on_rotated(self, path: str) -> None:
        self._add_notice(self.tr("The backend's event log changed; the previous cache is kept at {0}").format(path))

    def _worker_reason(self, worker: str, reason: str) -> tuple[str, str]:
        """(what to tell the user, technical text) for a worker's failure reason: a
        reason code is worded like the status bar's; anything else is technical."""
        try:
            code = Reason(reason)
        except ValueError:
            code = None
        if code not in (None, Reason.NONE, Reason.WORKER_DIED):
            return self.status.reason_text(FeedState(status=FeedStatus.FAILED, reason=code)), ""
        return self.tr("an unexpected error"), reason

    def _on_worker_failed(self, worker: str, reason: str) -> None:
        now = time.time()
        self._failed_workers[worker] = (now, reason)
        said, technical = self._worker_reason(worker, reason)
        self._add_notice(_sentence(self.tr("{worker} stopped at {time}: {reason}; restarting").format(worker=worker_name(worker), time=clock_text(now), reason=said)), technical)
        self._apply_link()

    def _on_worker_restarted(self, worker: str) -> None:
        self._failed_workers.pop(worker, None)
        self._add_notice(_sentence(self.tr("{worker} restarted at {time}").format(worker=worker_name(worker), time=clock_text(time.time()))))
        self._apply_link()

    # -------------------------------------------------------------- data flow
    def _on_state(self, state: dict) -> None:
        self._pump.flush()              # nothing older may land after the reset
        self._view_pump.flush()
        self._after_reset = True
        for name, gui in self.guis.items():
            self._update_gui(name, gui.on_reset, state)
        self.status.set_received(self.service.last_received)
        self.status.set_rejected(self.service.rejected_total)
        self.refresh_overview()

    def _on_batch(self, batch) -> None:
        # each plugin GUI in its own turn of the event loop, within a frame budget
        topics = set(batch.topics)
        # (a GUI that declares no topics is handed every batch)
        self._pump.push([name for name, gui in self.guis.items()
                         if not getattr(gui, "topics", ()) or topics & set(gui.topics)], batch)
        if self._after_reset:
            # The first batch after a load reaches every panel at once (a few ms each):
            # spread over turns of a loop busy with start-up, the panels went live one
            # by one for a second, beside others still showing only the cache.
            self._after_reset = False
            self._pump.flush()
        self.status.set_received(self.service.last_received)
        self.status.set_rejected(batch.rejected_total)
        if self._stale_topics & set(batch.topics):
            self.refresh_overview()      # fresh data: un-grey at once, not up to 1 s later

    def _update_gui(self, name: str, method, arg) -> None:
        """Hand a plugin GUI its data.  One that fails is not current (its panels say
        so until it updates again) and the notice area says it once."""
        try:
            method(arg)
        except Exception as exc:
            log.exception("plugin %s update failed", name)
            if name not in self._gui_failed:
                self._gui_failed[name] = time.time()
                self._add_notice(self.tr("The {0} panels failed to update; they show older data.").format(self._plugin_title(name)), f"{type(exc).__name__}: {exc}")
                self.refresh_overview()
        else:
            if self._gui_failed.pop(name, None) is not None:
                self.refresh_overview()

    def _on_status(self, state: FeedState) -> None:
        self._feed_state = state
        self._apply_link()

    # -------------------------------------------------------------- the link
    def link_state(self) -> FeedState:
        """The link as shown: the service's state, but FAILED while a worker is dead or
        the service could not start (never LIVE over a dead thread), and review mode
        named as such."""
        state = self._feed_state
        if self._failed_workers:
            worker, (_, reason) = next(iter(self._failed_workers.items()))
            if state.status != FeedStatus.FAILED or state.reason == Reason.NONE:
                state = replace(state, status=FeedStatus.FAILED, reason=Reason.WORKER_DIED,
                                reason_args={"worker": worker}, detail=reason, retry_in=0.0)
        elif self._start_failure is not None and state.status != FeedStatus.FAILED:
            state = replace(state, status=FeedStatus.FAILED, reason=Reason.NONE,
                            reason_args={}, detail=self._start_failure, retry_in=0.0)
        elif (state.status == FeedStatus.OFFLINE and state.reason == Reason.NONE
              and self.service.config.offline):
            state = replace(state, reason=Reason.REVIEW)
        return state

    def is_live(self) -> bool:
        return self.link_state().status == FeedStatus.LIVE

    def _apply_link(self) -> None:
        self.status.set_state(self.link_state())
        self.refresh_overview()

    def ask_token(self) -> None:
        """NOT AUTHORISED: ask for another token (password echo) and try it at once."""
        dialog = self.token_dialog
        if dialog is None:
            dialog = QtWidgets.QInputDialog(self, objectName="tokenDialog")
            dialog.setInputMode(QtWidgets.QInputDialog.InputMode.TextInput)
            dialog.setTextEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
            dialog.textValueSelected.connect(self._use_token)
            self.token_dialog = dialog
        dialog.setWindowTitle(self.tr("Access token"))
        dialog.setLabelText(self.tr("The backend refused the access token. Enter another one:"))
        dialog.setOkButtonText(self.tr("Connect"))
        dialog.setTextValue("")
        dialog.open()

    def _use_token(self, token: str) -> None:
        token = token.strip()
        if not token:
            return
        self.status.token_button.setEnabled(False)    # until the next state arrives
        self.service.set_token(token)

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

    # -------------------------------------------------------------- freshness
    def topic_freshness(self, now: float | None = None) -> dict[str, tuple[bool, float | None]]:
        """topic -> (stale, time of its newest data): stale when the link is not LIVE,
        when nothing arrived yet, or when the data is older than ``stale_after_s``."""
        now = now or time.time()
        live = self.is_live()
        out = {}
        for lp in self.loaded:
            if lp.plugin is None:
                continue
            for spec in lp.plugin.topics:
                last = self.service.last_received.get(spec.name)
                out[spec.name] = (not live or last is None or now - last > spec.stale_after_s, last)
        return out

    def stale_headline(self) -> str:
        """The word for "not current": REVIEW in review mode."""
        state = self.link_state()
        if state.status == FeedStatus.OFFLINE and state.reason == Reason.REVIEW:
            return self.tr("REVIEW, not live")
        return self.tr("NOT CURRENT")

    def _stale_marker(self, last: float | None, headline: str) -> str:
        if last is None:
            return self.tr("{0} · no data received").format(headline)
        return self.tr("{0} · data from {1}").format(headline, clock_text(last))

    def _refresh_freshness(self, fresh: dict[str, tuple[bool, float | None]]) -> None:
        live = self.is_live()
        headline = self.stale_headline()
        stale_topics = {t for t, (stale, _) in fresh.items() if stale}
        self._stale_topics = stale_topics
        newest = {t: last for t, (_, last) in fresh.items() if last is not None}
        self.banner.set_freshness(live, stale_topics, newest, "" if live else headline)
        self._mark_alarm_views(live, stale_topics, newest, headline)
        # plugin panels: one marker per plugin, on every one of its docks
        for lp in self.loaded:
            if lp.plugin is None or lp.name not in self.guis:
                continue
            topics = [t.name for t in lp.plugin.topics]
            failed_at = self._gui_failed.get(lp.name)
            lasts = [fresh[t][1] for t in topics if fresh[t][1] is not None]
            if failed_at is not None:
                marker = self.tr("{0} · this panel stopped updating at {1}").format(self.tr("NOT CURRENT"), clock_text(failed_at))
            elif topics and any(fresh[t][0] for t in topics):
                marker = self._stale_marker(max(lasts) if lasts else None, headline)
            else:
                marker = None
            for key, frame in self.panel_frames.items():
                if key.startswith(lp.name + "/"):
                    self._mark_panel(key, frame, marker)
        # the map: every data layer greyed with a label while the link is down,
        # the layers of stale topics greyed otherwise
        if self.map is not None:
            layers = self.map.layers()
            if not live:
                text = self._stale_marker(max(newest.values()) if newest else None, headline)
            else:
                names = sorted({layers[lid] for lid in self.map.layers_of(stale_topics)})
                text = self.tr("Greyed layers are not current: {0}").format(", ".join(names)) if names else ""
            self.map.set_stale(text, self.map.layers_of(stale_topics), all_layers=not live)

    def _mark_panel(self, key: str, frame: PanelFrame, marker: str | None) -> None:
        dock = self.docks[key]
        title = self._panel_titles[key]
        want = title if marker is None else self.tr("{0} (not current)").format(title)
        if dock.windowTitle() != want:
            dock.setWindowTitle(want)
        if marker is None and not frame.is_stale():
            return
        changed = (marker is not None) != frame.is_stale() or (marker or "") != frame.stale_text()
        frame.set_stale(marker)
        # figures inside the panel (plots, KPI tiles) grey too: any widget with the
        # set_stale/is_stale pair of widgets.timeseries_plot and widgets.kpi_tile
        # (also those a plugin creates while its data is not current)
        for w in frame.content.findChildren(QtWidgets.QWidget):
            if not (hasattr(w, "set_stale") and hasattr(w, "is_stale")):
                continue
            try:
                if marker is not None:
                    if changed or not w.is_stale():
                        # a plot's overlay is big: its own short "STALE"; a tile's age
                        # line takes the whole marker
                        if hasattr(w, "overlay_text"):
                            w.set_stale(True)
                        else:
                            w.set_stale(True, marker)
                elif w.is_stale():
                    w.set_stale(False)
            except Exception:   # a widget with another set_stale: not ours to fix
                log.debug("set_stale failed on %r", w, exc_info=True)

    def service_statuses(self, now: float | None = None,
                         fresh: dict[str, tuple[bool, float | None]] | None = None) -> list[ServiceStatus]:
        now = now or time.time()
        fresh = fresh if fresh is not None else self.topic_freshness(now)
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
            lasts = [fresh[t.name][1] for t in lp.plugin.topics if fresh[t.name][1] is not None]
            # stale when the link is not LIVE or any of its topics is old (topic_freshness)
            stale = any(fresh[t.name][0] for t in lp.plugin.topics) or lp.name in self._gui_failed
            out.append(ServiceStatus(lp.name, title, kpis, now - max(lasts) if lasts else None, stale))
        return out

    def refresh_overview(self) -> None:
        """Once a second and at each link change: the overview and every marker of
        staleness (banner, panels, map) from the same freshness.  In review: the
        freshness the data had at the moment shown, and every panel marked REVIEW."""
        if self.review.at is not None:
            now = self.review.at
            fresh = self.review_freshness(now)
            statuses = self.service_statuses(now, fresh)
            self.overview.update_status(statuses)
            self._mark_review(now, fresh)
            self.freshnessRefreshed.emit(now, fresh, statuses)
            return
        now = time.time()
        fresh = self.topic_freshness(now)
        statuses = self.service_statuses(now, fresh)
        self.overview.update_status(statuses)
        self._refresh_freshness(fresh)
        self.freshnessRefreshed.emit(now, fresh, statuses)

    # -------------------------------------------------------------- review
    def view_clock(self) -> float:
        """The views' "now": the moment shown in review, else the wall clock (ages,
        SLA clocks)."""
        return view_time()

    def review_freshness(self, at: float) -> dict[str, tuple[bool, float | None]]:
        """topic -> (stale, newest data) as they stood at ``at``: what was old then."""
        snap = self.review.snapshot
        newest = snap.review.newest if snap is not None else {}
        out = {}
        for lp in self.loaded:
            if lp.plugin is None:
                continue
            for spec in lp.plugin.topics:
                last = newest.get(spec.name)
                out[spec.name] = (last is None or at - last > spec.stale_after_s, last)
        return out

    def review_marker(self, at: float) -> str:
        return self.tr("REVIEW · {0} · not live").format(moment_text(at))

    def _mark_review(self, at: float, fresh: dict) -> None:
        """Every panel, the alarm views and the map say REVIEW and the moment; the layers
        and alarms of data that was already old at that moment are greyed as they were."""
        marker = self.review_marker(at)
        stale_topics = {t for t, (stale, _) in fresh.items() if stale}
        self._stale_topics = stale_topics
        newest = {t: last for t, (_, last) in fresh.items() if last is not None}
        self.banner.set_freshness(True, stale_topics, newest, "")
        stale = set(stale_topics) | {lp.name for lp in self.loaded if lp.plugin is not None
                                     and any(t.name in stale_topics for t in lp.plugin.topics)}
        self.alarms.set_freshness(True, stale)
        for name in ("summary", "lists"):
            self.alarm_frames[name].set_stale(marker, review=True)
        for name, dock in self.alarm_docks.items():
            title = self.tr("{0} (review)").format(self._alarm_dock_titles[name])
            if dock.windowTitle() != title:
                dock.setWindowTitle(title)
        for key, frame in self.panel_frames.items():
            frame.set_stale(marker, review=True)
            title = self.tr("{0} (review)").format(self._panel_titles[key])
            if self.docks[key].windowTitle() != title:
                self.docks[key].setWindowTitle(title)
        if self.map is not None:
            self.map.set_stale(marker, self.map.layers_of(stale_topics), all_layers=False)

    def _on_review(self, at) -> None:
        """A jump (``at``) or back to live (None): before the moment's data arrives."""
        self._pump.flush()
        self._view_pump.flush()
        for name, gui in self.guis.items():
            self._update_gui(name, gui.on_review, at)
        self.alarms.set_review(at)
        # a dispatch from a view of the past would act on today's items: refused, said why
        self.service.review_refusal = None if at is None else self.tr(
            "in review: nothing can be dispatched from a past moment; back to live first (F12)")
        self._show_review_banner()
        if at is None:
            for key, frame in self.panel_frames.items():     # the live markers come back
                frame.set_stale(None)
                self.docks[key].setWindowTitle(self._panel_titles[key])
            for name in ("summary", "lists"):
                self.alarm_frames[name].set_stale(None)
            if self.review.live_summary is not None:
                self.alarms.update_sound(self.review.live_summary)
        self.refresh_overview()

    def _on_snapshot(self, snap) -> None:
        asked = self.review.asked
        if snap.bounds is None and not self.review.speed:
            self._add_notice(self.tr("The cache holds no events yet: there is nothing to review"))
        if asked is not None and abs(snap.at - asked) > 1 and snap.bounds is not None \
                and not self.review.speed:
            self._add_notice(self.tr("The cache holds {0} to {1}: {2} is outside it, the review shows {3}").format(
                moment_text(snap.bounds[0]), moment_text(snap.bounds[1]), moment_text(asked),
                moment_text(snap.at)))
        if snap.failed:
            self._add_notice(self.tr("In review, these services could not be rebuilt at {0}: {1}").format(
                moment_text(snap.at), ", ".join(self._plugin_title(n) for n in snap.failed)))

    def _on_live_alarms(self, delta) -> None:
        """In review: the live alarms go on sounding, and the banner counts them."""
        self.alarms.update_sound(delta.summary)
        self._show_review_banner()

    def live_unacknowledged(self) -> int:
        summary = self.review.live_summary
        return sum(summary.unacknowledged.values()) if summary is not None else 0

    def _show_review_banner(self) -> None:
        self.review_banner.set_review(self.review.at, live_unacknowledged=self.live_unacknowledged(),
                                      playing=self.review.speed,
                                      newest_only=bool(self.service.config.offline))
        self._review_bar.setVisible(self.review.at is not None)
        self._review_action.setVisible(self.review.at is not None)

    def _build_review_bar(self) -> None:
        self.time_bar = TimeBar(self.review)
        self.time_bar.exportRequested.connect(self.export_moment)
        self._time_bar_bar = QtWidgets.QToolBar(self.tr("Time bar"), self, objectName="timeBarBar")
        self._time_bar_bar.setMovable(False)
        self._time_bar_bar.addWidget(self.time_bar)
        self.addToolBar(QtCore.Qt.ToolBarArea.BottomToolBarArea, self._time_bar_bar)
        menu = self.menuBar().addMenu(self.tr("&Review"))
        for text, key, slot in (
                (self.tr("Back to live"), LIVE_KEY, self.review.live),
                (self.tr("Play or pause"), "F9", self.time_bar.toggle_play),
                (self.tr("A minute back"), "F10", lambda: self.review.step(-60)),
                (self.tr("A minute forward"), "F11", lambda: self.review.step(60)),
                (self.tr("The previous event"), "Shift+F10", lambda: self.review.step_event(-1)),
                (self.tr("The next event"), "Shift+F11", lambda: self.review.step_event(1)),
                (self.tr("Export this moment…"), "", self.export_moment)):
            action = menu.addAction(text)
            if key:
                action.setShortcut(QtGui.QKeySequence(key))
                action.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(lambda _c=False, f=slot: f())
        menu.addAction(self._time_bar_bar.toggleViewAction())

    def review_windows(self) -> list[tuple[str, QtWidgets.QWidget]]:
        """Every window showing the moment: the console, then the wall's screens."""
        out: list[tuple[str, QtWidgets.QWidget]] = [("console", self)]
        wall = getattr(self, "wall", None)
        if wall is not None:
            out += [(w.name, w) for w in wall.windows()]
        return out

    def export_moment(self, directory: str | None = None, on_done=None):
        """Save the moment shown: a PNG of every window, the map's layers as GeoJSON
        and CSV (``directory``: asked for when None).  The pictures are taken now; the
        files are written off the GUI thread, then ``on_done(result)`` (the notice area
        says what was saved).  Returns the future, None when nothing was started."""
        at = self.review.at
        if at is None:
            self._add_notice(self.tr("Export works in review: pick a moment on the time bar first"))
            return None
        if directory is None:
            directory = QtWidgets.QFileDialog.getExistingDirectory(self, self.tr("Save this moment in…"))
            if not directory:
                return None
        from widgets.review_export import export_moment_async

        def done(result):
            if result.errors:
                self._add_notice(self.tr("Part of the moment could not be saved in {0}").format(directory),
                                 "; ".join(result.errors))
            else:
                self._add_notice(self.tr("Saved {0} files of the moment {1} in {2}").format(
                    len(result), moment_text(at), directory))
            if on_done is not None:
                on_done(result)
        return export_moment_async(directory, at, self.review_windows(), self.map, done)

    def _banner_activated(self, source: str, key: str) -> None:
        """An engine alarm: the alarm summary comes forward on it (Enter there shows its
        source); another alarm on the banner: its source comes forward."""
        alarm = self._engine_alarms.get(key)
        if alarm is not None and source == _banner_source(alarm):
            if not self.alarms.show_alarm(alarm.id) and alarm.source_topic:
                self.select(alarm.source_topic, alarm.source_key or alarm.key)
            return
        self.select(source, key)

    # -------------------------------------------------------------- the alarm views
    ALARM_PANEL_KEYS = {"summary": "F2", "lists": "F3", "history": "F4", "health": "F6"}
    SILENCE_KEY = "F8"

    def _build_alarm_views(self, lang: str) -> None:
        """The alarm summary, the shelved / out-of-service lists, the history and the
        health figures as docks, tabbed with the citizen reports queue at the bottom (the
        widest area; the summary in front), an Alarms menu with their keys, the
        annunciator, and the alarm line in the status bar."""
        self._alarm_titles: dict = {}
        # review mode (--offline) replays the cache: no alarm tone for the past
        self.alarms = AlarmCenter(self.service, banner=self.banner,
                                  source_title=self._alarm_source_title, lang=lang,
                                  clock=self.view_clock,
                                  audio=not self.service.config.offline, parent=self)
        self.alarms.showRequested.connect(self.show_alarm_panel)
        self.alarms.history.momentRequested.connect(self.review.jump)
        self.alarms.sourceRequested.connect(self.select)
        titles = {"summary": self.tr("Alarm summary"),
                  "lists": self.tr("Shelved and out of service"),
                  "history": self.tr("Alarm history"), "health": self.tr("Alarm system health")}
        menu = self.menuBar().addMenu(self.tr("&Alarms"))
        anchor = self.docks.get("reports/queue")
        self.alarm_docks: dict[str, QtWidgets.QDockWidget] = {}
        self.alarm_frames: dict[str, PanelFrame] = {}
        self._alarm_dock_titles = titles
        first = None
        for name, widget in self.alarms.panels().items():
            dock = QtWidgets.QDockWidget(titles[name], self)
            dock.setObjectName(f"dock-alarms-{name}")
            # in a scroll area like the plugins' panels (never push the window past the
            # screen), in a frame that says "NOT CURRENT" like theirs
            frame = PanelFrame(_scrollable(widget))
            self.alarm_frames[name] = frame
            dock.setWidget(frame)
            dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable)
            if anchor is not None:
                self.addDockWidget(self.dockWidgetArea(anchor), dock)
                self.tabifyDockWidget(anchor, dock)
            elif first is None:
                self.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            else:
                self.tabifyDockWidget(first, dock)
            first = first or dock
            self.alarm_docks[name] = dock
            show = menu.addAction(titles[name])
            show.setShortcut(QtGui.QKeySequence(self.ALARM_PANEL_KEYS[name]))
            show.triggered.connect(lambda _c=False, n=name: self.show_alarm_panel(n))
        menu.addSeparator()
        silence = menu.addAction(self.tr("Silence the alarm tone"))
        silence.setShortcut(QtGui.QKeySequence(self.SILENCE_KEY))
        silence.triggered.connect(lambda _c=False: self.alarms.silence())
        self.alarm_docks["summary"].raise_()
        self.statusBar().addWidget(self.alarms.status_button)

    def show_alarm_panel(self, name: str) -> None:
        dock = self.alarm_docks.get(name)
        if dock is not None:
            dock.show()
            dock.raise_()

    def _alarm_source_title(self, alarm) -> str:
        """The service an alarm comes from, as its plugin's title."""
        key = (alarm.source_topic, alarm.rule)
        title = self._alarm_titles.get(key)
        if title is None:
            owner = self.topic_owner.get(alarm.source_topic) if alarm.source_topic else None
            owner = owner or plugin_of(alarm)
            title = self._plugin_title(owner) if owner else (alarm.source_topic or "—")
            self._alarm_titles[key] = title
        return title

    def _on_alarm_user(self, _state=None) -> None:
        self.alarms.set_user(self.service.user)

    def _mark_alarm_views(self, live: bool, stale_topics: set, newest: dict, headline: str) -> None:
        """The alarms of a topic that is not current are greyed "not current" row by row;
        with the link down, the summary and the lists say so as the plugins' panels do
        (the history and the health figures are read from the cache: they are what it
        holds, whatever the link)."""
        stale = set(stale_topics)
        for lp in self.loaded:
            if lp.plugin is not None and any(t.name in stale_topics for t in lp.plugin.topics):
                stale.add(lp.name)
        self.alarms.set_freshness(live, stale)
        marker = None if live else self._stale_marker(max(newest.values()) if newest else None,
                                                      headline)
        for name in ("summary", "lists"):
            self.alarm_frames[name].set_stale(marker)
            title = self._alarm_dock_titles[name]
            want = title if marker is None else self.tr("{0} (not current)").format(title)
            if self.alarm_docks[name].windowTitle() != want:
                self.alarm_docks[name].setWindowTitle(want)

    # -------------------------------------------------------------- the alarm engine
    def _on_alarms(self, delta) -> None:
        """The situation layer's delta: each plugin's model view to its GUI, then the
        engine's changed alarms: annunciated ones on the banner with their live text
        (the engine keeps their acknowledgement), the others off it."""
        for name, changes in delta.views.items():
            if name in self.guis:
                self._view_pump.push([name], (changes, delta.full_views))
        if delta.full_views:
            # whole views (a load, a review jump) are shown at once, with the overview
            self._view_pump.flush()
            self._overview_due.stop()
            self.refresh_overview()
        for alarm in delta.changed:
            if alarm.state in ANNUNCIATED:
                self._engine_alarms[alarm.id] = alarm
                self.banner.raise_alarm(_banner_source(alarm), alarm.id, alarm_text(alarm),
                                        PRIORITY_SEVERITY[alarm.priority],
                                        acknowledged=not alarm.unacknowledged,
                                        active=alarm.active, raised_at=alarm.raised_at or 0.0)
            else:
                old = self._engine_alarms.pop(alarm.id, None)
                if old is not None:
                    self.banner.clear(_banner_source(old), alarm.id)
        # the summary, the lists, the banner's counts and the annunciator
        self.alarms.apply_delta(delta)

    def _deliver_view(self, name: str, item: tuple[dict, bool]) -> None:
        changes, full = item
        self._update_gui(name, lambda c, g=self.guis[name]: g.apply_view(c, full=full), changes)
        if not self._overview_due.isActive():
            self._overview_due.start()       # once, after the views of this turn

    def _banner_acknowledged(self, source: str, key: str) -> None:
        alarm = self._engine_alarms.get(key)
        if alarm is not None and source == _banner_source(alarm):
            # through the summary's runner: a refusal (no role) is shown there, not raised
            self.alarms.summary.runner.run("acknowledge", [key])

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
