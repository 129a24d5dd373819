"""The video wall: one :class:`~widgets.wall.window.WallWindow` per screen, kept in step
with the screens, the feed, the presets and the alarms.

:class:`WallManager` owns the wall windows and their panels.  It

* pairs the screens present (QGuiApplication's QScreens, in reading order: top to
  bottom, left to right) with the configuration's screens (``match_screens``: by name,
  else order) and follows screens added or removed while running: a window is created
  or closed, its panels disposed of;
* builds each cell's panels (``widgets.wall.panels.build_panel``) and feeds them what
  the console gets: the cached state, each committed batch, each plugin's model view
  and the alarm deltas; a panel built later (a preset switch, a screen plugged in) first
  gets the cache's state, read off the GUI thread, then the batches that came meanwhile;
* applies presets to every screen (``set_preset``: the console's Wall menu, Ctrl+1…),
  runs :class:`~ioc_desktop.wall.switching.AutoSwitch` on each alarm delta and says on
  the switched screens why ("FLOOD preset — Kim Long 3.62 m — above BĐ2 · since
  03:12"); ``set_locked`` keeps the operator's preset whatever the alarms;
* turns rotating cells (:class:`~ioc_desktop.wall.rotation.Rotation`; it stops on a
  panel whose data raised an unacknowledged alarm);
* marks every panel whose data is not current (its age, greyed) from the console's
  freshness, and puts the LINK DOWN / FAILED / NOT AUTHORISED / REVIEW overlay on
  every screen while the feed is not live.

GUI thread only.  Time (auto-switch, rotation) comes from ``clock``.
"""
from __future__ import annotations

import dataclasses
import gc
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.feed.client import FeedState, FeedStatus, Reason
from ioc_desktop.situation import AlarmDelta
from ioc_desktop.store.store import load_state
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.wall.config import (Cell, Layout, ScreenConfig, ScreenInfo, WallConfig,
                                     default_wall_config, match_screens)
from ioc_desktop.wall.readability import min_text_px
from ioc_desktop.wall.rotation import Rotation
from ioc_desktop.wall.switching import AutoSwitch, WallDecision
from widgets.alarm_text import message_text
from widgets.feed_status import clock_text
from widgets.plugin_gui import AppContext
from widgets.review.banner import moment_text
from widgets.services_overview import ServiceStatus
from widgets.wall.window import LOCK_KEY, PRESET_KEYS, CellView, WallWindow
from widgets.wall_style import WallStyle

log = logging.getLogger(__name__)

ROTATION_TICK_MS = 500
FRESHNESS_MS = 1000          # without a console: how often staleness is worked out

#: The built-in presets' names as the wall shows them (others as the file spells them).
PRESET_TITLES = {
    "normal": QT_TRANSLATE_NOOP("WallManager", "normal"),
    "flood": QT_TRANSLATE_NOOP("WallManager", "flood"),
    "storm": QT_TRANSLATE_NOOP("WallManager", "storm"),
    "night": QT_TRANSLATE_NOOP("WallManager", "night"),
}


def preset_title(name: str) -> str:
    """A preset's name in the interface language."""
    source = PRESET_TITLES.get(name)
    return QtCore.QCoreApplication.translate("WallManager", source) if source else name


def screen_info(screen: QtGui.QScreen) -> ScreenInfo:
    """A QScreen as the configuration sees it: name, size in device px, reported size."""
    dpr = screen.devicePixelRatio() or 1.0
    geo = screen.geometry()
    size = screen.physicalSize()
    physical = (size.width(), size.height()) if size.width() > 0 and size.height() > 0 else None
    return ScreenInfo(name=screen.name() or None, width_px=round(geo.width() * dpr),
                      height_px=round(geo.height() * dpr), physical_mm=physical)


def ordered_screens(screens: list[QtGui.QScreen]) -> list[QtGui.QScreen]:
    """Screens in reading order (top to bottom, then left to right): "else by order"
    follows how the wall hangs, not the order the system lists them."""
    return sorted(screens, key=lambda s: (s.geometry().y(), s.geometry().x()))


def file_name(name: str) -> str:
    """A screen's name as a file name (``wall-1`` → ``wall-1``; odd characters → ``_``)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "screen"
    return safe[:80]


class _BrokenPanel:
    """What a cell shows when its panel could not be built: the reason, in words."""

    def __init__(self, title: str, problem: str, style: WallStyle):
        self.title = title
        self.topics: set[str] = set()
        self.guis: list = []
        self.alarm_view = None
        self.overview = None
        self.widget = QtWidgets.QLabel(objectName="wallBrokenPanel")
        self.widget.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.widget.setWordWrap(True)
        self.widget.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.widget.setFont(style.font())
        self.widget.setText(problem)

    def set_stale(self, text) -> None:
        pass

    def dispose(self) -> None:
        self.widget.deleteLater()


@dataclass
class _CellRun:
    cell: Cell
    view: CellView
    panels: list
    rotation: Rotation | None = None


@dataclass
class _ScreenRun:
    qscreen: QtGui.QScreen
    name: str                       # the screen's name (files, tests), unique
    config: ScreenConfig
    window: WallWindow
    style: WallStyle
    text_px: float                  # device px
    layout: Layout | None = None
    cells: list[_CellRun] = field(default_factory=list)


class WallManager(QtCore.QObject):
    """The wall (module docstring).  ``service``: the app's FeedService; ``loaded``:
    the loaded plugins; ``console``: the supervisor's MainWindow (its freshness, link
    state and statuses are the wall's), or None; ``with_map``: maps on the wall (off in
    tests that don't need QtWebEngine); ``tile_url``: as the console's map."""

    #: The decision changed (preset, reason, lock): a WallDecision.
    decisionChanged = QtCore.Signal(object)
    #: Windows were created or closed (screens, open/close).
    windowsChanged = QtCore.Signal()

    def __init__(self, service, loaded, config: WallConfig, console=None, *, lang: str = "vi",
                 clock: Callable[[], float] = time.time, with_map: bool = True,
                 tile_url: str | None = None, parent=None):
        super().__init__(parent)
        self.service = service
        self.loaded = [lp for lp in loaded if getattr(lp, "plugin", None) is not None]
        self.config = config
        self.console = console
        self.lang = lang
        self.clock = clock
        self.with_map = with_map
        self.tile_url = tile_url
        self.plugin_topics = {lp.name: [t.name for t in lp.plugin.topics] for lp in self.loaded}
        self.effective: WallConfig = config
        self.auto = AutoSwitch(config)
        self._live_auto: AutoSwitch | None = None      # in review: the live one, kept
        self.runs: list[_ScreenRun] = []
        self.is_open = False
        self._state_seen = False
        self._awaiting: dict[int, list] = {}           # id(panel) -> batches held back
        self._views: dict[str, dict] = {}              # plugin -> its model's whole view
        self._delta: AlarmDelta | None = None          # the newest (for panels built later)
        self._alarms: list = []                        # Summary.active, newest
        self._fresh: dict[str, tuple[bool, float | None]] = {}
        self._statuses: list[ServiceStatus] = []
        self._failed: dict[int, float] = {}            # id(panel) -> when its update failed
        self._connected = False
        self._gui_owner: dict[type, str | None] = {}
        self._leases: dict[int, list] = {}             # id(panel) -> [alive]
        self._rotation_timer = QtCore.QTimer(self, interval=ROTATION_TICK_MS)
        self._rotation_timer.timeout.connect(self._turn)
        self._fresh_timer = QtCore.QTimer(self, interval=FRESHNESS_MS)
        self._fresh_timer.timeout.connect(self._own_freshness)

    # ================================================================== life cycle
    @property
    def presets(self) -> list[str]:
        return list(self.config.presets)

    def preset_keys(self) -> list[tuple[str, str]]:
        """(key, preset) pairs: Ctrl+1 the first preset…"""
        return list(zip(PRESET_KEYS, self.presets))

    lock_key = LOCK_KEY

    @staticmethod
    def preset_title(name: str) -> str:
        return preset_title(name)

    @property
    def close_chord(self) -> str:
        return self.config.close_chord

    @property
    def decision(self) -> WallDecision:
        return self.auto.decision

    @property
    def locked(self) -> bool:
        return self.auto.locked

    @property
    def base(self) -> str:
        return self.auto.base

    def start(self) -> None:
        """Open the wall: a window on every screen the configuration pairs."""
        if self.is_open:
            return
        self.is_open = True
        if not self._connected:
            self._connected = True
            s, data = self.service, self._data_source()
            data.stateLoaded.connect(self._on_state)
            data.batchCommitted.connect(self._on_batch)
            data.alarmsChanged.connect(self._on_alarms)
            if hasattr(data, "reviewChanged"):
                data.reviewChanged.connect(self._on_review)
                data.liveAlarms.connect(self._on_live_alarms)
            s.statusChanged.connect(self._on_status)
            app = QtGui.QGuiApplication.instance()
            app.screenAdded.connect(self._screen_added)
            app.screenRemoved.connect(self._screen_removed)
            fresh = getattr(self.console, "freshnessRefreshed", None)
            if fresh is not None:
                fresh.connect(self._on_console_freshness)
        if getattr(self.console, "freshnessRefreshed", None) is None:
            self._fresh_timer.start()
        self._rotation_timer.start()
        self._reconcile()
        if self.console is not None and hasattr(self.console, "refresh_overview"):
            self.console.refresh_overview()       # the overlay and the ages at once
        else:
            self._own_freshness()

    def close(self) -> None:
        """Close every wall window (the console's "Close the wall", the key chord)."""
        if not self.is_open:
            return
        self.is_open = False
        self._rotation_timer.stop()
        self._fresh_timer.stop()
        for run in list(self.runs):
            self._drop(run)
        self.runs = []
        self.windowsChanged.emit()
        self.decisionChanged.emit(self.auto.decision)

    def shutdown(self) -> None:
        """At the app's end: close and let go of every signal."""
        self.close()
        if self._connected:
            self._connected = False
            s, data = self.service, self._data_source()
            pairs = [(data.stateLoaded, self._on_state), (data.batchCommitted, self._on_batch),
                     (data.alarmsChanged, self._on_alarms), (s.statusChanged, self._on_status)]
            if hasattr(data, "reviewChanged"):
                pairs += [(data.reviewChanged, self._on_review), (data.liveAlarms, self._on_live_alarms)]
            for signal, slot in pairs:
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            app = QtGui.QGuiApplication.instance()
            if app is not None:
                for signal, slot in ((app.screenAdded, self._screen_added),
                                     (app.screenRemoved, self._screen_removed)):
                    try:
                        signal.disconnect(slot)
                    except (RuntimeError, TypeError):
                        pass

    @property
    def windows(self) -> list[WallWindow]:
        return [run.window for run in self.runs]

    def window(self, name: str) -> WallWindow | None:
        for run in self.runs:
            if run.name == name:
                return run.window
        return None

    # ================================================================== screens
    def _screen_added(self, screen: QtGui.QScreen) -> None:
        if self.is_open:
            self._reconcile()

    def _screen_removed(self, screen: QtGui.QScreen) -> None:
        if not self.is_open:
            return
        for run in [r for r in self.runs if r.qscreen is screen]:
            self._drop(run)
        self._reconcile(gone=screen)

    def _reconcile(self, gone: QtGui.QScreen | None = None) -> None:
        """Windows for the screens present: new ones made, gone ones closed, each with
        its screen's configuration (a built-in wall is re-derived for their number)."""
        app = QtGui.QGuiApplication.instance()
        screens = ordered_screens([s for s in app.screens() if s is not gone])
        infos = [screen_info(s) for s in screens]
        effective = self.config
        if self.config.builtin:
            effective = default_wall_config(max(1, len(infos)))
            if effective == self.effective:
                effective = self.effective        # the same objects: nothing rebuilt
        if effective is not self.effective:
            self._new_autoswitch(effective)
        pairs = match_screens(effective, infos)
        wanted: list[tuple[QtGui.QScreen, ScreenInfo, ScreenConfig]] = []
        for info, sc in pairs:
            qscreen = screens[infos.index(info)]
            wanted.append((qscreen, info, sc))
        keep: list[_ScreenRun] = []
        for run in self.runs:
            match = next((w for w in wanted if w[0] is run.qscreen), None)
            if match is None or match[2] != run.config:
                self._drop(run)
            else:
                keep.append(run)
        self.runs = keep
        used = {r.name for r in self.runs}
        for i, (qscreen, info, sc) in enumerate(wanted):
            if any(r.qscreen is qscreen for r in self.runs):
                continue
            name = info.name or f"screen-{screens.index(qscreen) + 1}"
            while name in used:
                name += "+"
            used.add(name)
            self.runs.append(self._open_screen(qscreen, info, sc, name))
        self.runs.sort(key=lambda r: screens.index(r.qscreen) if r.qscreen in screens else 0)
        self._apply(force=False)
        self._show_link()
        self._mark_freshness()
        self.windowsChanged.emit()

    def _new_autoswitch(self, effective: WallConfig) -> None:
        """The configuration in force changed (a built-in wall, another number of
        screens): the operator's preset and lock carry over; the alarms switch again."""
        old = self.auto
        self.effective = effective
        base = old.base if old.base in effective.presets else effective.default_preset
        self.auto = AutoSwitch(effective, base)
        if old.locked:
            self.auto.lock(True)
        self.auto.update(self._alarms, self.clock())

    def _open_screen(self, qscreen: QtGui.QScreen, info: ScreenInfo, sc: ScreenConfig,
                     name: str) -> _ScreenRun:
        px = min_text_px(sc.distance_m, info.height_px, info.width_px, sc.diagonal_in,
                         info.physical_mm)
        dpr = qscreen.devicePixelRatio() or 1.0
        style = WallStyle(px, dpr)
        window = WallWindow(qscreen, name, style=style, presets=self.presets,
                            close_chord=self.config.close_chord,
                            idle_cursor_s=self.config.idle_cursor_s)
        window.presetRequested.connect(self.set_preset)
        window.lockRequested.connect(self.toggle_lock)
        window.closeRequested.connect(self.close)
        run = _ScreenRun(qscreen=qscreen, name=name, config=sc, window=window, style=style,
                         text_px=px)
        window.place()
        return run

    def _drop(self, run: _ScreenRun) -> None:
        self._clear_cells(run)
        run.window.allow_close()
        run.window.close()
        run.window.deleteLater()
        if run in self.runs:
            self.runs.remove(run)

    # ================================================================== presets
    def set_preset(self, preset: str) -> None:
        """Every screen to ``preset`` (the operator's choice: auto-switching goes back to it)."""
        if preset not in self.effective.presets:
            log.warning("wall: no preset %r", preset)
            return
        self.auto.set_base(preset)
        self._apply()

    def set_locked(self, locked: bool) -> None:
        """Lock the layout against automatic switching (or unlock it)."""
        self.auto.lock(bool(locked))
        if not locked:
            self.auto.update(self._alarms, self.clock())
        self._apply()

    def toggle_lock(self) -> None:
        self.set_locked(not self.auto.locked)

    def _apply(self, force: bool = True) -> None:
        """Every screen shows its preset's layout; the strips say why."""
        decision = self.auto.decision
        for run in self.runs:
            preset = self.auto.preset_for(run.config)
            layout = self.effective.layout_for(run.config, preset)
            if run.layout is not layout:
                self._build(run, layout)
            run.window.set_switch_text(self._switch_text(run, decision))
        if force or decision.changed:
            self.decisionChanged.emit(decision)

    def _switch_text(self, run: _ScreenRun, decision: WallDecision) -> str | None:
        key = self.effective.screen_key(run.config)
        if decision.reason is not None and key in decision.screens:
            reason = message_text(decision.reason_message, decision.reason_text or decision.reason)
            return self.tr("{preset} preset — {reason} · since {time}").format(
                preset=preset_title(decision.preset).upper(), reason=reason,
                time=clock_text(decision.since))
        if decision.locked:
            return self.tr("LAYOUT LOCKED · {preset} · no automatic switching").format(
                preset=preset_title(decision.base).upper())
        return None

    # ================================================================== cells and panels
    def _context(self, run: _ScreenRun, spec, lease: list) -> Any:
        """The WallContext for a panel of ``run``'s screen.  Its callbacks (queries,
        reads, images) answer only while ``lease[0]``: a panel disposed of while a read
        was on its way never hears of it."""
        from widgets.wall import panels as wall_panels
        console = self.console
        service = self.service

        def guarded(callback):
            return lambda result: callback(result) if lease[0] else None

        app_context = AppContext(
            map=None, query=lambda sql, params, cb: service.query(sql, params, guarded(cb)),
            request_select=(console.select if console is not None else (lambda t, k: None)),
            lang=self.lang, banner=None,
            run_read=lambda fn, cb: service.run_read(fn, guarded(cb)),
            fetch_media=lambda url, cb: service.fetch_media(url, guarded(cb)), dispatch=None)
        extra = {"wall_text_px": run.text_px, "wall_device_pixel_ratio": run.style.device_pixel_ratio,
                 "wall_options": dict(spec.options)}
        names = {f.name for f in dataclasses.fields(AppContext)}
        app_context = dataclasses.replace(app_context, **{k: v for k, v in extra.items() if k in names})
        candidates = {
            "loaded": self.loaded, "app_context": app_context, "lang": self.lang,
            "min_text_px": run.text_px, "device_pixel_ratio": run.style.device_pixel_ratio,
            "map_factory": self._map_factory() if self.with_map else None,
            "alarm_act": self._alarm_act, "style": run.style, "wall_style": run.style,
            # the views' clock (ages): the moment shown in review, else the wall's clock
            "clock": self._now,
            "service": self.service, "plugin_topics": self.plugin_topics,
            "source_title": getattr(console, "_alarm_source_title", None),
        }
        cls = wall_panels.WallContext
        fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set(candidates)
        return cls(**{k: v for k, v in candidates.items() if k in fields})

    def _map_factory(self):
        tile_url = self.tile_url

        def make(**kwargs):
            from widgets.map_view import MapView
            return MapView(tile_url=tile_url, **kwargs)
        return make

    def _alarm_act(self, action: str, target, **kwargs):
        return self.service.alarm_action(action, target, **kwargs)

    def _build(self, run: _ScreenRun, layout: Layout) -> None:
        from widgets.wall.panels import build_panel
        self._clear_cells(run)
        cells: list[_CellRun] = []
        placed = []
        for cell in layout.cells:
            view = CellView(run.style)
            panels = []
            for spec in cell.panels:
                title = spec.options.get("title") or spec.kind
                lease = [True]
                try:
                    panel = build_panel(spec, self._context(run, spec, lease))
                except Exception as exc:  # one panel must not take the wall down
                    log.exception("wall panel %s failed", spec.kind)
                    panel = _BrokenPanel(title, self.tr("This panel could not be shown: {0}")
                                         .format(f"{type(exc).__name__}: {exc}"), run.style)
                self._leases[id(panel)] = lease
                panels.append(panel)
                shown = panel if isinstance(panel, QtWidgets.QWidget) else panel.widget
                view.add_panel(shown, spec.options.get("title") or getattr(panel, "title", None) or title)
                self._feed_new(panel)
            rotation = None
            if len(cell.panels) > 1:
                rotation = Rotation(cell.panels, cell.every_s, self.plugin_topics)
                view.show_panel(rotation.current(self.clock(), self._alarms))
            cells.append(_CellRun(cell, view, panels, rotation))
            placed.append((view, cell.row, cell.col, cell.rowspan, cell.colspan))
        run.window.set_cells(layout.name, layout.rows, layout.cols, placed)
        run.cells = cells
        run.layout = layout
        self._mark_run(run)
        self._update_rotation_titles(run)

    def _clear_cells(self, run: _ScreenRun) -> None:
        for c in run.cells:
            for panel in c.panels:
                self._awaiting.pop(id(panel), None)
                self._failed.pop(id(panel), None)
                lease = self._leases.pop(id(panel), None)
                if lease is not None:
                    lease[0] = False         # its reads on their way: dropped
                try:
                    panel.dispose()
                except Exception:
                    log.exception("wall panel dispose failed")
        run.cells = []
        run.layout = None
        # collect the disposed panels' cycles here, on the GUI thread: left to the
        # collector, Qt objects could be destroyed on a worker thread (timers dangling)
        gc.collect()

    def panels(self) -> list:
        """Every wall panel now shown or rotating, on every screen."""
        return [p for run in self.runs for c in run.cells for p in c.panels]

    # ================================================================== feeding
    def _guis(self, panel) -> list[tuple[str | None, Any]]:
        """(plugin name, PluginGui) of a panel."""
        guis = getattr(panel, "guis", None) or []
        if isinstance(guis, dict):
            return list(guis.items())
        return [(self._plugin_of(g), g) for g in guis]

    def _plugin_of(self, gui) -> str | None:
        """The plugin a GUI belongs to: the one whose package its class comes from."""
        name = getattr(gui, "plugin_name", None)
        if isinstance(name, str):
            return name
        cls = type(gui)
        found = self._gui_owner.get(cls)
        if found is None and cls not in self._gui_owner:
            module = cls.__module__
            for lp in self.loaded:
                pmod = type(lp.plugin).__module__
                mod = sys.modules.get(pmod)
                package = pmod if hasattr(mod, "__path__") else pmod.rpartition(".")[0]
                if package and (module == package or module.startswith(package + ".")):
                    found = lp.name
                    break
            self._gui_owner[cls] = found
        return found

    def _call(self, panel, fn, *args) -> None:
        """Hand a panel its data; one that fails is marked not current (not fatal)."""
        try:
            fn(*args)
        except Exception:
            log.exception("wall panel update failed")
            if id(panel) not in self._failed:
                self._failed[id(panel)] = time.time()
                self._mark_freshness()
        else:
            if self._failed.pop(id(panel), None) is not None:
                self._mark_freshness()

    def _data_source(self):
        """Where the panels' data comes from: the console's review controller (live or
        a past moment, as the console shows), else the feed service."""
        return getattr(self.console, "review", None) or self.service

    @property
    def review_at(self) -> float | None:
        return getattr(getattr(self.console, "review", None), "at", None)

    def _on_review(self, at) -> None:
        """A jump in review (``at``) or back to live (None): every panel first, then the
        moment's data arrives as the live data does; every screen says REVIEW.  The
        presets follow the alarms of the moment shown with an auto-switch of the review's
        own (its time is T); the live one is kept as it was and takes over again."""
        if at is not None and self._live_auto is None:
            self._live_auto = self.auto
            self.auto = AutoSwitch(self.effective, self._live_auto.base)
            if self._live_auto.locked:
                self.auto.lock(True)
        elif at is None and self._live_auto is not None:
            self.auto, self._live_auto = self._live_auto, None
        for panel in self.panels():
            for _, gui in self._guis(panel):
                if hasattr(gui, "on_review"):
                    self._call(panel, gui.on_review, at)
        self._show_review()
        self._show_link()
        self._mark_freshness()

    def _on_live_alarms(self, _delta) -> None:
        self._show_review()

    def _show_review(self) -> None:
        at = self.review_at
        console = self.console
        unacked = console.live_unacknowledged() if hasattr(console, "live_unacknowledged") else None
        speed = getattr(getattr(console, "review", None), "speed", 0)
        offline = bool(getattr(getattr(self.service, "config", None), "offline", False))
        for run in self.runs:
            run.window.set_review(at, live_unacknowledged=unacked, playing=speed,
                                  newest_only=offline, key_hint=False)

    def _feed_new(self, panel) -> None:
        """A panel just built: the current views, alarms and statuses at once; the
        cache's state read off the GUI thread (the batches meanwhile held back).  In
        review it is told the moment first; the reader's tables then give the state as
        of that moment."""
        if self.review_at is not None:
            for _, gui in self._guis(panel):
                if hasattr(gui, "on_review"):
                    self._call(panel, gui.on_review, self.review_at)
        for name, gui in self._guis(panel):
            if name is not None and name in self._views:
                self._call(panel, lambda g=gui, v=self._views[name]: g.apply_view(dict(v), full=True))
        view = getattr(panel, "alarm_view", None)
        if view is not None and self._delta is not None:
            s = self._delta.summary
            every = list(s.active) + [a for lst in s.suppressed.values() for a in lst] \
                + list(s.shelved) + list(s.out_of_service)
            self._call(panel, self._feed_alarm_view, view,
                       AlarmDelta(changed=every, summary=s, views={}, full_views=False))
        overview = getattr(panel, "overview", None)
        if overview is not None and self._statuses:
            self._call(panel, overview.update_status, self._statuses)
        if self._state_seen and self._guis(panel):
            key = id(panel)
            self._awaiting[key] = []
            topics = list(self.service.topics.values())
            self.service.run_read(lambda conn: load_state(conn, topics),
                                  lambda state, p=panel: self._state_for(p, state))

    def _state_for(self, panel, state) -> None:
        held = self._awaiting.pop(id(panel), None)
        if held is None:              # disposed meanwhile
            return
        if state is not None:
            for _, gui in self._guis(panel):
                self._call(panel, gui.on_reset, state)
        for batch in held:
            for _, gui in self._guis(panel):
                self._call(panel, gui.on_batch, batch)

    @staticmethod
    def _feed_alarm_view(view, delta) -> None:
        if hasattr(view, "apply_delta"):
            view.apply_delta(delta)
        else:
            view.apply(delta.summary, delta.changed)

    def _on_state(self, state: dict) -> None:
        self._state_seen = True
        for panel in self.panels():
            self._awaiting.pop(id(panel), None)        # this state is newer
            for _, gui in self._guis(panel):
                self._call(panel, gui.on_reset, state)

    def _on_batch(self, batch) -> None:
        for panel in self.panels():
            held = self._awaiting.get(id(panel))
            if held is not None:
                held.append(batch)
                continue
            for _, gui in self._guis(panel):
                self._call(panel, gui.on_batch, batch)

    def _on_alarms(self, delta) -> None:
        for name, changes in delta.views.items():
            if delta.full_views:
                self._views[name] = dict(changes)
            else:
                self._views[name] = {**self._views.get(name, {}), **changes}
        self._delta = delta
        self._alarms = list(delta.summary.active)
        for panel in self.panels():
            for name, gui in self._guis(panel):
                if name in delta.views:
                    self._call(panel, lambda g=gui, c=delta.views[name]: g.apply_view(c, full=delta.full_views))
            view = getattr(panel, "alarm_view", None)
            if view is not None:
                self._call(panel, self._feed_alarm_view, view, delta)
        if self.is_open:
            self.auto.update(self._alarms, self._now())
            self._apply(force=False)
            self._turn()             # an unacknowledged alarm stops a rotation at once

    def _now(self) -> float:
        """The wall's decisions' time: the moment shown in review, else the clock."""
        at = self.review_at
        return self.clock() if at is None else at

    # ================================================================== rotation
    def _turn(self) -> None:
        now = self.clock()
        for run in self.runs:
            changed = False
            for c in run.cells:
                if c.rotation is None:
                    continue
                index = c.rotation.current(now, self._alarms)
                if index != c.view.index:
                    c.view.show_panel(index)
                    changed = True
                c.view.set_held(self.tr("held") if c.rotation.held else None)
            if changed:
                self._mark_run(run)

    def _update_rotation_titles(self, run: _ScreenRun) -> None:
        for c in run.cells:
            if c.rotation is not None:
                c.view.set_held(self.tr("held") if c.rotation.held else None)

    # ================================================================== honesty
    def _on_console_freshness(self, now: float, fresh: dict, statuses: list) -> None:
        self._fresh = dict(fresh)
        self._statuses = list(statuses)
        self._refresh(now)

    def _own_freshness(self) -> None:
        """Without a console: the same rule as its (``MainWindow.topic_freshness``)."""
        now = time.time()
        live = self.link_state().status == FeedStatus.LIVE
        fresh = {}
        statuses = []
        for lp in self.loaded:
            lasts = []
            for spec in lp.plugin.topics:
                last = self.service.last_received.get(spec.name)
                fresh[spec.name] = (not live or last is None or now - last > spec.stale_after_s, last)
                if last is not None:
                    lasts.append(last)
            if lp.plugin.topics:
                title = QtCore.QCoreApplication.translate("plugins", lp.plugin.title)
                statuses.append(ServiceStatus(lp.name, title, [], now - max(lasts) if lasts else None,
                                              any(fresh[t.name][0] for t in lp.plugin.topics)))
        self._fresh = fresh
        self._statuses = statuses
        self._refresh(now)

    def _refresh(self, now: float) -> None:
        live = self.is_live()
        stale = {t for t, (old, _) in self._fresh.items() if old}
        for lp in self.loaded:
            if any(t.name in stale for t in lp.plugin.topics):
                stale.add(lp.name)
        for panel in self.panels():
            overview = getattr(panel, "overview", None)
            if overview is not None:
                self._call(panel, overview.update_status, self._statuses)
            view = getattr(panel, "alarm_view", None)
            if view is not None and hasattr(view, "set_freshness"):
                self._call(panel, view.set_freshness, live, stale)
        self._show_link()
        self._mark_freshness()

    def link_state(self) -> FeedState:
        """The link as the console shows it (FAILED over a dead worker, REVIEW…)."""
        if self.console is not None and hasattr(self.console, "link_state"):
            return self.console.link_state()
        state = self.service.state
        if state.status == FeedStatus.OFFLINE and state.reason == Reason.NONE \
                and getattr(self.service.config, "offline", False):
            state = dataclasses.replace(state, reason=Reason.REVIEW)
        return state

    def is_live(self) -> bool:
        return self.link_state().status == FeedStatus.LIVE

    def _headline(self) -> str:
        state = self.link_state()
        if state.status == FeedStatus.OFFLINE and state.reason == Reason.REVIEW:
            return self.tr("REVIEW, not live")
        return self.tr("NOT CURRENT")

    def _marker(self, last: float | None) -> str:
        if last is None:
            return self.tr("{0} · no data received").format(self._headline())
        return self.tr("{0} · data from {1}").format(self._headline(), clock_text(last))

    def panel_marker(self, panel) -> str | None:
        """What a panel says about its data: None (current) or "NOT CURRENT · data from …"."""
        failed = self._failed.get(id(panel))
        if failed is not None:
            return self.tr("{0} · this panel stopped updating at {1}").format(
                self.tr("NOT CURRENT"), clock_text(failed))
        if self.review_at is not None:
            return self.tr("REVIEW · {0}").format(moment_text(self.review_at))
        live = self.is_live()
        topics = [t for t in (getattr(panel, "topics", None) or ()) if t in self._fresh]
        lasts = [self._fresh[t][1] for t in topics if self._fresh[t][1] is not None]
        if topics:
            if any(self._fresh[t][0] for t in topics):
                return self._marker(max(lasts) if lasts else None)
            return None
        if not live:                 # alarms, overview: the link is their freshness
            newest = [v[1] for v in self._fresh.values() if v[1] is not None]
            return self._marker(max(newest) if newest else None)
        return None

    def _mark_freshness(self) -> None:
        for run in self.runs:
            self._mark_run(run)

    def _mark_run(self, run: _ScreenRun) -> None:
        for c in run.cells:
            shown = None
            for i, panel in enumerate(c.panels):
                marker = self.panel_marker(panel)
                try:
                    panel.set_stale(marker)
                except Exception:
                    log.exception("wall panel set_stale failed")
                if i == c.view.index:
                    shown = marker
            c.view.set_stale(shown)

    def _on_status(self, _state=None) -> None:
        self._show_link()

    def overlay_text(self, state: FeedState) -> tuple[str | None, str, str]:
        """(headline or None, detail, kind) of the link overlay for ``state``."""
        if state.status == FeedStatus.LIVE:
            return None, "", "down"
        newest = [v[1] for v in self._fresh.values() if v[1] is not None]
        if not newest:
            newest = list(getattr(self.service, "last_received", {}).values())
        since = self.tr("data from {0}").format(clock_text(max(newest))) if newest \
            else self.tr("no data received")
        reason = ""
        status_bar = getattr(self.console, "status", None)
        if status_bar is not None and hasattr(status_bar, "reason_text") and state.status != FeedStatus.LIVE:
            try:
                reason = status_bar.reason_text(state)
            except Exception:
                reason = ""
        reason = reason[:1].upper() + reason[1:]
        if state.status == FeedStatus.OFFLINE and state.reason == Reason.REVIEW:
            return self.tr("REVIEW · OFFLINE"), self.tr("Showing the cache, not live · {0}").format(since), "offline"
        heads = {
            FeedStatus.CONNECTING: (self.tr("CONNECTING"), "down"),
            FeedStatus.RECONNECTING: (self.tr("LINK DOWN"), "down"),
            FeedStatus.FAILED: (self.tr("FAILED"), "failed"),
            FeedStatus.UNAUTHORISED: (self.tr("NOT AUTHORISED"), "offline"),
            FeedStatus.OFFLINE: (self.tr("OFFLINE"), "offline"),
        }
        head, kind = heads.get(state.status, (self.tr("LINK DOWN"), "down"))
        detail = self.tr("Nothing new arrives; what is shown is old · {0}").format(since)
        if reason:
            detail = reason + " · " + detail
        return head, detail, kind

    def _show_link(self) -> None:
        if self.review_at is not None:
            # the past is shown in full, under the violet REVIEW band; no veil over it
            for run in self.runs:
                run.window.set_link(None)
            return
        head, detail, kind = self.overlay_text(self.link_state())
        for run in self.runs:
            run.window.set_link(head, detail, kind)

    # ================================================================== screenshots
    def save_screenshots(self, directory: str | Path) -> list[Path]:
        """One PNG per wall screen, named after it (``wall-1.png``)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        out = []
        for run in self.runs:
            path = directory / f"{file_name(run.name)}.png"
            if run.window.grab().save(str(path)):
                out.append(path)
            else:
                log.warning("wall screenshot %s failed", path)
        return out
