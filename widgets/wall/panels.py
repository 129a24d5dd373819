"""The panels of a wall window's cells: :func:`build_panel` turns a configured
``PanelSpec`` (``ioc_desktop.wall.config``) into a :class:`WallPanel`.

Every wall panel is a view over the same data as the console's: it owns the plugin
GUIs it shows (``WallPanel.guis``), built for the wall (``AppContext.wall_text_px``:
the plugin gives its panels their wall rendering), and the manager feeds them exactly
as the main window feeds its own (``on_reset`` / ``on_batch`` / ``apply_view``).  The
alarm summary (``WallPanel.alarm_view``) takes each ``AlarmDelta``, the overview
(``WallPanel.overview``) the console's ``ServiceStatus`` list.

Kinds (``ioc_desktop.wall.config.PANEL_KINDS``):

========================  ===================================================================
``map``                   a second map (``WallContext.map_factory``) at ``center``/``zoom``
                          with the ``layers`` asked for (plugin names or topics; none:
                          every one), its page's text at the wall's size
``river``                 the river graphs (environment "levels"): the ``stations`` asked
                          for (none: every one) over ``hours``, every flood line drawn
``alarms``                the alarm summary, wall rendering (priority, state word, text,
                          value, age)
``overview``              every service's tile, laid out to fit the cell
``cameras``               the camera grid, ``cols`` × ``rows``, those needing attention first
``vessels``               the fishing vessels (vessels "fleet")
``warnings``              the warnings (alerts "list")
``reports_attention``     the citizen reports that need attention now (reports "attention")
``service``               one plugin's panel (``plugin``, ``panel``: its id, none: its first)
========================  ===================================================================

The kinds that show one service's panel name it here (:data:`KIND_PANELS`) by plugin
and panel id, as a configuration would: the widgets import no plugin.  A panel that
can't be built (its plugin failed or is absent, no map) is a panel saying so, never
an exception that would leave a screen blank.

Staleness: :meth:`WallPanel.set_stale` shows "NOT CURRENT · data from 14:05" on a
strip at the wall's size over a dashed grey frame, and greys the figures inside (plots,
tiles: anything with ``set_stale``/``is_stale``), as the console's ``PanelFrame`` does.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import shiboken6
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.plugin_gui import AppContext, PluginGui
from widgets.theme import STALE, SURFACE_ALT, TEXT, TEXT_MUTED
from widgets.wall_style import WallStyle, set_wall_font, wall_label, wallify

log = logging.getLogger(__name__)

#: The kinds that show one plugin's panel: kind -> (plugin name, panel id).
KIND_PANELS: dict[str, tuple[str, str]] = {
    "river": ("environment", "levels"),
    "cameras": ("cameras", "grid"),
    "vessels": ("vessels", "fleet"),
    "warnings": ("alerts", "list"),
    "reports_attention": ("reports", "attention"),
}

#: Default titles of the kinds (a panel's ``title`` option replaces it).
KIND_TITLES = {
    "map": QT_TRANSLATE_NOOP("WallPanels", "Map"),
    "river": QT_TRANSLATE_NOOP("WallPanels", "River levels"),
    "alarms": QT_TRANSLATE_NOOP("WallPanels", "Alarms"),
    "overview": QT_TRANSLATE_NOOP("WallPanels", "Services"),
    "cameras": QT_TRANSLATE_NOOP("WallPanels", "City cameras"),
    "vessels": QT_TRANSLATE_NOOP("WallPanels", "Fishing vessels"),
    "warnings": QT_TRANSLATE_NOOP("WallPanels", "Warnings"),
    "reports_attention": QT_TRANSLATE_NOOP("WallPanels", "Reports needing attention"),
}


@dataclass
class WallContext:
    """What :func:`build_panel` needs from the app (one per wall window)."""

    #: The loaded plugins (``ioc_desktop.plugin_api.LoadedPlugin``), as the console's.
    loaded: list
    #: The console's context: query, run_read, fetch_media, dispatch, request_select…
    #: (its ``map`` and ``banner`` are not used: a wall panel has its own).
    app_context: AppContext
    #: The interface language.
    lang: str = "vi"
    #: The smallest capital letter allowed on this window's screen, device px
    #: (``ioc_desktop.wall.readability.min_text_px``).
    min_text_px: float = 37.0
    #: ``map_factory(center=(lat, lon), zoom=int)`` -> a new ``widgets.map_view.MapView``;
    #: None: maps are off (tests, no QtWebEngine): a map panel says so.
    map_factory: Callable[..., Any] | None = None
    #: ``alarm_act(action, alarm_id, **kwargs)`` (``FeedService.alarm_action``): the
    #: wall's alarm summary acknowledges with it (A / Space); None: no actions.
    alarm_act: Callable[..., Any] | None = None
    #: Device pixels per logical pixel of the window's screen.
    device_pixel_ratio: float = 1.0
    #: The alarm views' clock.
    clock: Callable[[], float] = time.time
    #: The service an alarm comes from, in words (the console's ``_alarm_source_title``).
    source_title: Callable[[Any], str] | None = None
    #: Topics per plugin (plugin name -> topic names), for a panel's ``topics``;
    #: by default read from ``loaded``.
    plugin_topics: dict[str, set[str]] = field(default_factory=dict)

    @property
    def style(self) -> WallStyle:
        return WallStyle(self.min_text_px, self.device_pixel_ratio)


class WallPanel(QtWidgets.QFrame):
    """A cell's panel (see the module docstring).  ``widget``: its content;
    ``title``: for the cell's title strip; ``topics``: the feed topics it shows (for
    staleness and rotation); ``guis``: the plugin GUIs it owns, to feed; ``alarm_view``
    (kind "alarms") and ``overview`` (kind "overview") to feed too; ``map``: its map."""

    def __init__(self, spec, title: str, widget: QtWidgets.QWidget, style: WallStyle, *,
                 topics: set[str] | None = None, guis: list[PluginGui] | None = None,
                 alarm_view=None, overview=None, map_view=None, error: str | None = None,
                 parent=None):
        super().__init__(parent, objectName="wallPanel")
        self.spec = spec
        self.kind = getattr(spec, "kind", "")
        self.title = title
        self.widget = widget
        self.wall_style = style
        self.topics: set[str] = set(topics or ())
        self.guis: list[PluginGui] = list(guis or ())
        self.alarm_view = alarm_view
        self.overview = overview
        self.map = map_view
        self.error = error
        self._stale_text: str | None = None
        self._disposed = False
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.strip = QtWidgets.QLabel(objectName="wallStaleStrip")
        self.strip.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.strip.setWordWrap(True)
        self.strip.setStyleSheet(f"background: {SURFACE_ALT}; color: {TEXT}; padding: 2px 10px;"
                                 f" border-bottom: 3px dashed {STALE};")
        set_wall_font(self.strip, style.font(bold=True))
        self.strip.hide()
        layout.addWidget(self.strip)
        # the content in a frameless area without scroll bars: a panel whose minimum
        # size is more than its cell is cut at the cell's edge, never pushes the window
        # past its screen nor the other cells
        self.area = QtWidgets.QScrollArea(objectName="wallPanelArea")
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setWidget(widget)
        layout.addWidget(self.area, 1)

    # ------------------------------------------------------------------ staleness
    def set_stale(self, text: str | None) -> None:
        """``text`` ("NOT CURRENT · data from 14:05"): the panel's data is not current
        (shown on a strip, the frame dashed grey, the figures greyed); None: current."""
        if text == self._stale_text:
            return
        was = self._stale_text is not None
        self._stale_text = text
        if text is not None:
            self.strip.setText(text)
        self.strip.setVisible(text is not None)
        if was != (text is not None):
            self.setProperty("stale", text is not None)
            self.setStyleSheet(f"QFrame#wallPanel {{ border: 4px dashed {STALE}; }}"
                               if text is not None else "")
        for w in self.widget.findChildren(QtWidgets.QWidget):
            if w is self.strip or not (hasattr(w, "set_stale") and hasattr(w, "is_stale")):
                continue
            try:
                if text is not None:
                    if hasattr(w, "overlay_text"):
                        w.set_stale(True)            # a plot: its own short word
                    else:
                        w.set_stale(True, text)
                elif w.is_stale():
                    w.set_stale(False)
            except Exception:   # a widget with another set_stale: not ours to fix
                log.debug("set_stale failed on %r", w, exc_info=True)

    def is_stale(self) -> bool:
        return self._stale_text is not None

    def stale_text(self) -> str:
        return self._stale_text or ""

    # ------------------------------------------------------------------ life
    def dispose(self) -> None:
        """Let go of everything this panel owns (its GUIs' widgets and timers, its
        map); the manager stops feeding it first."""
        if self._disposed:
            return
        self._disposed = True
        for gui in self.guis:
            for panel in getattr(gui, "panels", ()):
                w = panel.widget
                if w is not None and w is not self.widget and w.parent() is None:
                    w.deleteLater()
            # the GUI's own objects without a parent (table models…): deleted here, on
            # the GUI thread, not whenever (and wherever) Python collects the GUI
            for value in list(vars(gui).values()):
                if isinstance(value, QtCore.QObject) and shiboken6.isValid(value) \
                        and value.parent() is None and not isinstance(value, QtWidgets.QWidget):
                    value.deleteLater()
        self.guis = []
        for timer in self.findChildren(QtCore.QTimer):
            timer.stop()
        if self.map is not None:
            self.map.deleteLater()
            self.map = None
        self.alarm_view = None
        self.overview = None
        self.deleteLater()


# ---------------------------------------------------------------------- building
def title_of(spec) -> str:
    title = (spec.options or {}).get("title")
    if title:
        return str(title)
    source = KIND_TITLES.get(spec.kind)
    return QCoreApplication.translate("WallPanels", source) if source else spec.kind


def _loaded(ctx: WallContext, name: str):
    for lp in ctx.loaded:
        if lp.name == name:
            return lp
    return None


def _topics_of(ctx: WallContext, name: str) -> set[str]:
    if name in ctx.plugin_topics:
        return set(ctx.plugin_topics[name])
    lp = _loaded(ctx, name)
    if lp is None or lp.plugin is None:
        return set()
    return {t.name for t in lp.plugin.topics}


def wall_app_context(ctx: WallContext, options: dict | None = None, map_view=None) -> AppContext:
    """The console's context, for a GUI built for this wall window."""
    return dataclasses.replace(ctx.app_context, map=map_view, banner=None, lang=ctx.lang,
                               wall_text_px=ctx.min_text_px,
                               wall_device_pixel_ratio=ctx.device_pixel_ratio,
                               wall_options=dict(options or {}))


def _plugin_title(lp) -> str:
    return QCoreApplication.translate("plugins", lp.plugin.title) if lp and lp.plugin else ""


def create_wall_gui(ctx: WallContext, name: str, options: dict | None = None,
                    map_view=None) -> PluginGui:
    """Plugin ``name``'s GUI built for this wall window.  Raises LookupError when the
    plugin is absent or failed to load (its reason in words), and whatever the
    plugin's ``create_gui`` raises."""
    lp = _loaded(ctx, name)
    if lp is None:
        raise LookupError(QCoreApplication.translate("WallPanels", "the {0} service is not installed").format(name))
    if lp.plugin is None:
        raise LookupError(QCoreApplication.translate("WallPanels", "the {0} service failed to load").format(name))
    gui = lp.plugin.create_gui(wall_app_context(ctx, options, map_view))
    if gui is None:
        raise LookupError(QCoreApplication.translate("WallPanels", "the {0} service has no panels").format(_plugin_title(lp) or name))
    return gui


def message_widget(text: str, style: WallStyle, name: str = "wallPanelMessage") -> QtWidgets.QLabel:
    """A panel that only says something (why it can't show what was asked)."""
    label = QtWidgets.QLabel(objectName=name)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"color: {TEXT_MUTED};")
    label.setText(text)
    wall_label(label, style)
    return label


def build_panel(spec, ctx: WallContext) -> WallPanel:
    """The :class:`WallPanel` for ``spec`` (``ioc_desktop.wall.config.PanelSpec``) on
    the wall window described by ``ctx``.  Never raises for a plugin's failure: the
    panel then says what is missing."""
    style = ctx.style
    title = title_of(spec)
    options = dict(spec.options or {})
    try:
        if spec.kind == "alarms":
            return _alarms(spec, ctx, style, title)
        if spec.kind == "overview":
            return _overview(spec, ctx, style, title)
        if spec.kind == "map":
            return _map(spec, ctx, style, title, options)
        if spec.kind == "service":
            plugin, panel_id = options.get("plugin"), options.get("panel")
        elif spec.kind in KIND_PANELS:
            plugin, panel_id = KIND_PANELS[spec.kind]
        else:
            raise LookupError(QCoreApplication.translate("WallPanels", "no panel of kind {0}").format(spec.kind))
        return _service(spec, ctx, style, title, str(plugin), panel_id, options)
    except Exception as exc:
        if not isinstance(exc, LookupError):
            log.exception("wall panel %s failed", spec.kind)
        reason = str(exc) if isinstance(exc, LookupError) else f"{type(exc).__name__}: {exc}"
        text = QCoreApplication.translate("WallPanels", "This panel is not available: {0}").format(reason)
        return WallPanel(spec, title, message_widget(text, style), style, error=reason)


def _service(spec, ctx, style, title, plugin: str, panel_id: str | None, options: dict) -> WallPanel:
    gui = create_wall_gui(ctx, plugin, options)
    panels = list(getattr(gui, "panels", ()))
    chosen = None
    if panel_id:
        chosen = next((p for p in panels if p.panel_id == panel_id), None)
        if chosen is None:
            raise LookupError(QCoreApplication.translate("WallPanels", "the {0} service has no panel {1} on the wall (it has: {2})").format(
                plugin, panel_id, ", ".join(p.panel_id for p in panels) or "—"))
    elif panels:
        chosen = panels[0]
    if chosen is None:
        raise LookupError(QCoreApplication.translate("WallPanels", "the {0} service has no panels").format(plugin))
    if spec.kind == "service" and not (spec.options or {}).get("title"):
        title = chosen.title
    wallify(chosen.widget, style)
    return WallPanel(spec, title, chosen.widget, style, topics=_topics_of(ctx, plugin), guis=[gui])


def _alarms(spec, ctx, style, title) -> WallPanel:
    from widgets.alarm_summary import WallAlarmSummary
    view = WallAlarmSummary(style, ctx.alarm_act, clock=ctx.clock, source_title=ctx.source_title,
                            lang=ctx.lang)
    return WallPanel(spec, title, view, style, alarm_view=view)


def _overview(spec, ctx, style, title) -> WallPanel:
    from widgets.services_overview import WallServicesOverview
    view = WallServicesOverview(style)
    return WallPanel(spec, title, view, style, overview=view)


def _map(spec, ctx, style, title, options: dict) -> WallPanel:
    if ctx.map_factory is None:
        raise LookupError(QCoreApplication.translate("WallPanels", "the map is off"))
    center = options.get("center") or (16.4637, 107.5909)
    zoom = options.get("zoom") or 12
    map_view = ctx.map_factory(center=(float(center[0]), float(center[1])), zoom=int(zoom))
    map_view.set_wall_text(ctx.min_text_px, ctx.device_pixel_ratio)
    wanted = [str(x) for x in options.get("layers") or ()]
    guis: list[PluginGui] = []
    topics: set[str] = set()
    for lp in ctx.loaded:
        if lp.plugin is None:
            continue
        layer_topics = _topics_of(ctx, lp.name)
        if wanted and lp.name not in wanted and not (layer_topics & set(wanted)):
            continue
        try:
            gui = create_wall_gui(ctx, lp.name, {}, map_view)
        except Exception:
            log.exception("wall map: the %s layers failed", lp.name)
            continue
        guis.append(gui)
        topics |= layer_topics
    return WallPanel(spec, title, map_view, style, topics=topics, guis=guis, map_view=map_view)


__all__ = ["KIND_PANELS", "KIND_TITLES", "WallContext", "WallPanel", "build_panel",
           "create_wall_gui", "message_widget", "title_of", "wall_app_context"]
