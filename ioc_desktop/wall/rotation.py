"""A cell's panels taking turns (Grafana's TV mode), without Qt; time from the caller.

:class:`Rotation` shows a cell's panels one after the other, each ``every_s`` seconds.
While an **unacknowledged** alarm comes from what one of its panels shows (the alarm's
source topic is among :func:`panel_topics` of that panel), the rotation stops on that
panel, so the operators see the alarm's source until someone acknowledges it; then it
goes on (that panel gets a whole period first).  When several unacknowledged alarms
compete, the most urgent one (priority, then the earliest raised) decides; if none
comes from a panel's data but the cell has an ``alarms`` panel (the alarm summary
shows every alarm), the rotation stops on that one.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from ioc_desktop.wall.config import PanelSpec

#: The plugin whose data each kind shows (service and map: from their options).
KIND_PLUGINS = {
    "river": ("environment",),
    "vessels": ("vessels",),
    "warnings": ("alerts",),
    "cameras": ("cameras",),
    "reports_attention": ("reports",),
    "alarms": (),          # every alarm, no topic of its own
    "overview": (),        # every service's status
}


def _topics_of(plugin: str, plugin_topics: Mapping[str, Iterable[str]] | None) -> set[str]:
    if plugin_topics is not None and plugin in plugin_topics:
        return set(plugin_topics[plugin])
    return {plugin}        # the built-in plugins' topic is their name


def panel_topics(spec: PanelSpec,
                 plugin_topics: Mapping[str, Iterable[str]] | None = None) -> set[str]:
    """The feed topics ``spec``'s panel shows (for staleness and rotation).
    ``plugin_topics``: plugin name -> its topics (``{p.name: [t.name for t in p.topics]}``);
    without it a plugin's topic is its name.  A map shows its layers' topics (layer ids
    are topics; no layers: every plugin's topics); alarms and overview: none."""
    kind = spec.kind
    if kind == "service":
        plugin = spec.options.get("plugin")
        return _topics_of(plugin, plugin_topics) if plugin else set()
    if kind == "map":
        layers = spec.options.get("layers") or []
        if layers:
            return set(layers)
        if plugin_topics is None:
            return set()
        return {t for topics in plugin_topics.values() for t in topics}
    out: set[str] = set()
    for plugin in KIND_PLUGINS.get(kind, ()):
        out |= _topics_of(plugin, plugin_topics)
    return out


def _alarm_topic(alarm: Any, plugin_topics: Mapping[str, Iterable[str]] | None) -> set[str]:
    topic = getattr(alarm, "source_topic", None)
    if topic:
        return {topic}
    rule = str(getattr(alarm, "rule", "") or "")      # "environment.river_bd2": its plugin's
    plugin = rule.split(".", 1)[0]
    return _topics_of(plugin, plugin_topics) if plugin else set()


def _unacknowledged(alarm: Any) -> bool:
    flag = getattr(alarm, "unacknowledged", None)
    if flag is not None:
        return bool(flag)
    return getattr(alarm, "state", None) in ("unacknowledged", "rtn_unacknowledged", "latched") \
        and not getattr(alarm, "acked", True)


class Rotation:
    def __init__(self, panels: list[PanelSpec], every_s: float | None,
                 plugin_topics: Mapping[str, Iterable[str]] | None = None):
        if not panels:
            raise ValueError("a cell has at least one panel")
        self.panels = list(panels)
        self.every_s = every_s
        self.topics = [panel_topics(p, plugin_topics) for p in self.panels]
        self._plugin_topics = plugin_topics
        self._index = 0
        self._since: float | None = None
        self.held_by: str | None = None    # the alarm id it is stopped for, if any

    @property
    def index(self) -> int:
        return self._index

    @property
    def held(self) -> bool:
        return self.held_by is not None

    def holding(self, alarms: Iterable[Any]) -> tuple[int, str] | None:
        """The panel the rotation must stay on, and the alarm id why (or None)."""
        unacked = [a for a in alarms if _unacknowledged(a)]
        unacked.sort(key=lambda a: (getattr(a, "priority", 4),
                                    getattr(a, "raised_at", None) or math.inf,
                                    getattr(a, "id", "")))
        for a in unacked:
            topics = _alarm_topic(a, self._plugin_topics)
            showing = [i for i, t in enumerate(self.topics) if t & topics]
            if showing:
                return (self._index if self._index in showing else showing[0]), a.id
        if unacked:
            summary = [i for i, p in enumerate(self.panels) if p.kind == "alarms"]
            if summary:
                return (self._index if self._index in summary else summary[0]), unacked[0].id
        return None

    def current(self, now: float, alarms: Iterable[Any] = ()) -> int:
        """The index of the panel to show at ``now``."""
        n = len(self.panels)
        if self._since is None or now < self._since:      # the first call, or time went back
            self._since = now
        hold = self.holding(alarms) if n > 1 else None
        if hold is not None:
            self._index, self.held_by = hold
            self._since = now                # once released, it gets a whole period
            return self._index
        if self.held_by is not None:         # just released: a whole period from now
            self.held_by = None
            self._since = now
        if n > 1 and self.every_s and now - self._since >= self.every_s:
            steps = int((now - self._since) // self.every_s)
            self._index = (self._index + steps) % n
            self._since += steps * self.every_s
        return self._index

    def next_change_s(self, now: float) -> float | None:
        """Seconds until the next turn (None: it doesn't rotate now)."""
        if len(self.panels) < 2 or not self.every_s or self.held or self._since is None:
            return None
        return max(0.0, self._since + self.every_s - now)
