"""The GUI half of the plugin API: what a plugin's ``create_gui(context)`` returns.

The app owns one :class:`AppContext`; every plugin GUI gets it.  All methods run on the
GUI thread.  Batches arrive only after they are committed to the cache.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

from PySide6 import QtCore, QtWidgets

from ioc_desktop.store.batch import CommittedBatch

if TYPE_CHECKING:  # pragma: no cover
    from ioc_desktop.media import MediaResult
    from widgets.alarm_banner import AlarmBanner
    from widgets.map_view import MapView


@dataclass
class Panel:
    """A dockable panel: ``panel_id`` is stable (it keys the saved layout)."""

    panel_id: str
    title: str
    widget: QtWidgets.QWidget
    area: QtCore.Qt.DockWidgetArea = QtCore.Qt.DockWidgetArea.RightDockWidgetArea
    # Tabbed panels of one dock area share a tab stack; the others stand on their own.
    tabbed: bool = False
    # Share of its dock area's height (or width) to start with, 0..1; 0 = no preference.
    stretch: float = 0.0


@dataclass
class Kpi:
    """One headline figure for the wall: ``abnormal`` counts items needing attention."""

    label: str
    value: str
    abnormal: int = 0
    tooltip: str = ""


class PluginGui:
    """Base class: override what the plugin needs.

    Set ``topics`` to the topics the GUI follows; the default :meth:`on_batch` then
    hands each one's changes to :meth:`on_changes`, and a snapshot to :meth:`on_reset`.
    """

    panels: list[Panel]
    topics: tuple[str, ...] = ()
    #: The model's view as last received (see :meth:`on_view`).
    view: dict[str, Any]

    def __init__(self) -> None:
        self.panels = []
        self.view = {}
        #: In review: the moment shown (epoch seconds); None: live.
        self.review_at: float | None = None

    def on_reset(self, state: dict[str, dict[str, Any]]) -> None:
        """Cached state per topic (key -> data), at start, after a cache change, or a
        snapshot of one topic: reset the topics present in ``state``."""

    def on_batch(self, batch: CommittedBatch) -> None:
        """A committed batch (all topics: look only at your own)."""
        for topic in self.topics:
            changes = batch.topics.get(topic)
            if changes is None:
                continue
            if changes.snapshot:
                self.on_reset({topic: changes.upserts})
            else:
                self.on_changes(topic, changes)

    def on_changes(self, topic: str, changes: Any) -> None:
        """One topic's committed changes (``ioc_desktop.store.batch.TopicChanges``)."""

    def on_view(self, view: dict[str, Any], changed: set[str]) -> None:
        """The plugin's model view changed (``view``: the whole view now, ``changed``:
        the entries that changed).  The model runs off the GUI thread in the situation
        layer (``model.view(now)``); a view only draws what it is given here."""

    def apply_view(self, changes: dict[str, Any], *, full: bool = False) -> None:
        """Merge a view delta (or a whole view when ``full``) and call :meth:`on_view`."""
        if full:
            self.view = dict(changes)
        else:
            self.view = {**getattr(self, "view", {}), **changes}
        self.on_view(self.view, set(changes))

    def on_review(self, at: float | None) -> None:
        """Review at ``at`` (None: back to live).  Called on every jump, before the
        state as of ``at`` arrives through :meth:`on_reset` and the model's view through
        :meth:`apply_view` (whole).  Meanwhile no live batch reaches the GUI, and
        ``context.run_read`` reads the cache as of ``at`` (its state tables and the
        ``events`` log are cut there), so a panel that reads history from the log (a
        graph) gets what was known then: it should end its time window at ``at``
        instead of the wall clock.  Kept in :attr:`review_at` by default."""
        self.review_at = at

    def select(self, topic: str, key: str) -> None:
        """Bring ``key`` of ``topic`` forward (e.g. a map marker was clicked)."""

    def kpis(self) -> list[Kpi]:
        return []


class ActionService(Protocol):
    """What a plugin GUI uses to take actions: the app's feed service
    (``ioc_desktop.qt_bridge.FeedService``), or a stand-in in tests."""

    #: ``ActionState`` on every change of an action: queued, sent, done, refused.
    actionChanged: QtCore.SignalInstance
    #: ``FeedState`` whenever the link's state changes.
    statusChanged: QtCore.SignalInstance

    @property
    def user(self) -> dict:
        """``{"name": str, "roles": [str, …]}``: who acts (no roles: nothing allowed)."""

    def submit_action(self, topic: str, name: str, key: str, args: dict | None = None, *,
                      data: dict | None = None,
                      lookup: Callable[[str], dict | None] | None = None) -> str:
        """Queue an action in the durable outbox; its id.  Raises
        ``ioc_desktop.plugin_api.ActionRefused`` when the topic's local rule refuses it."""

    def actions(self, key: str | None = None,
                callback: Callable[[list | None], None] | None = None, *,
                limit: int = 200) -> None:
        """The newest ``ActionState``s (on ``key``, or all) to ``callback`` on the GUI
        thread (None if the read failed)."""


@dataclass
class AppContext:
    """What the app shares with plugin GUIs (one for all of them; every field may be left
    at its default by a test or a preview, and a GUI then goes without it).

    Callbacks named here run on the GUI thread; the work behind them doesn't.
    """

    #: The shared map, or None when the app runs without one.
    map: MapView | None = None
    #: ``query(sql, params, callback)``: a read-only query on the cache, off the GUI
    #: thread; ``callback(rows or None)``.
    query: Callable[[str, tuple, Callable[[list | None], None]], None] | None = None
    #: ``request_select(topic, key)``: bring that item forward everywhere.
    request_select: Callable[[str, str], None] = lambda topic, key: None
    #: The interface language (``vi``, ``en``).
    lang: str = "vi"
    #: The wall's alarm banner: raise and clear alarms.
    banner: AlarmBanner | None = None
    #: ``run_read(fn, callback)``: ``fn(sqlite3.Connection)`` on the cache's reader
    #: thread; ``callback(its result, or None if it failed)``.
    run_read: Callable[[Callable[[Any], Any], Callable[[Any], None]], None] | None = None
    #: ``fetch_media(url, callback)``: an image from the backend's HTTP side or its
    #: cached copy; ``callback(ioc_desktop.media.MediaResult)``.
    fetch_media: Callable[[str, Callable[[MediaResult], None]], None] | None = None
    #: Users' actions (submit, follow) and who the user is; None: nothing can be done.
    dispatch: ActionService | None = None
    #: On a wall window: the smallest capital letter allowed there, in device pixels
    #: (``ioc_desktop.wall.readability.min_text_px``).  None: the console.  A GUI built
    #: with it gives its panels their wall rendering (fewer columns, larger rows, fonts
    #: from ``widgets.wall_style.style_for(context)``); the console's stays as it is.
    wall_text_px: float | None = None
    #: On a wall window: device pixels per logical pixel of its screen.
    wall_device_pixel_ratio: float = 1.0
    #: On a wall window: the options of the wall panel the GUI is built for (a river
    #: graph's ``stations`` and ``hours``, a camera grid's ``cols`` and ``rows``…).
    wall_options: dict | None = None

    @property
    def on_wall(self) -> bool:
        return bool(self.wall_text_px)
