"""The GUI half of the plugin API: what a plugin's ``create_gui(context)`` returns.

The app owns one :class:`AppContext`; every plugin GUI gets it.  All methods run on the
GUI thread.  Batches arrive only after they are committed to the cache.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6 import QtCore, QtWidgets

from ioc_desktop.store.batch import CommittedBatch


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

    def __init__(self) -> None:
        self.panels = []

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

    def select(self, topic: str, key: str) -> None:
        """Bring ``key`` of ``topic`` forward (e.g. a map marker was clicked)."""

    def kpis(self) -> list[Kpi]:
        return []


@dataclass
class AppContext:
    """What the app shares with plugin GUIs.

    ``map`` is the shared :class:`widgets.map_view.MapView` (or None when the app runs
    without a map).  ``query(sql, params, callback)`` runs a read-only query on the
    cache in a worker thread and calls ``callback(rows)`` on the GUI thread.
    ``request_select(topic, key)`` asks the app to bring that item forward everywhere.
    ``extras``: ``banner`` (widgets.alarm_banner.AlarmBanner: raise/clear alarms),
    ``run_read(fn, callback)`` (``fn(sqlite3 connection)`` on the reader thread,
    ``callback(result or None)`` on the GUI thread), ``fetch_media(url, callback)``
    (an image from the backend's HTTP side or its cached copy:
    ``callback(ioc_desktop.media.MediaResult)`` on the GUI thread), ``dispatch`` (the
    feed service: ``submit_action``, ``actionChanged``, ``user``, ``statusChanged``).
    """

    map: Any = None
    query: Callable[[str, tuple, Callable[[list], None]], None] | None = None
    request_select: Callable[[str, str], None] = lambda topic, key: None
    lang: str = "vi"
    extras: dict[str, Any] = field(default_factory=dict)
