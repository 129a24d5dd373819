"""One plugin's layer on the shared map, kept in step with a topic's state.

A plugin gives a function ``features(key, data) -> list[feature dict]`` (points, areas,
tracks: see widgets/map_view.py); this class turns resets and committed batches into
map diffs, so that no plugin repeats the bookkeeping of which features it has drawn.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

from ioc_desktop.store.batch import TopicChanges

log = logging.getLogger(__name__)

FeatureFn = Callable[[str, dict], Iterable[dict]]


class PopupFields:
    """A point's popup fields, made only when they are shown or exported: a feature's
    ``"fields"`` may be one of these instead of the list.  Thousands of report pins are
    built at start and after every review jump; formatting each one's texts (labels,
    local times, clipped descriptions) was most of that work, for popups that are
    seldom opened.  Equal when made by the same function from equal arguments, so a
    pin whose data did not change is still seen as unchanged."""

    __slots__ = ("make", "args")

    def __init__(self, make: Callable[..., list], *args: Any) -> None:
        self.make = make
        self.args = args

    def __call__(self) -> list:
        return self.make(*self.args)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PopupFields) and self.make is other.make and self.args == other.args

    __hash__ = None       # mutable arguments (dicts): not a key

    def __repr__(self) -> str:
        return f"PopupFields({getattr(self.make, '__name__', self.make)!r})"


def fields_of(feature: dict) -> list:
    """A feature's popup fields as a list (made now if they were lazy)."""
    fields = feature.get("fields")
    if isinstance(fields, PopupFields):
        fields = fields()
    return fields if isinstance(fields, (list, tuple)) else []


class MapLayer:
    def __init__(self, map_view: Any, layer_id: str, title: str, features: FeatureFn, z: int = 0,
                 topic: str | None = None, cluster: bool = True):
        """``topic``: the feed topic the layer is drawn from (default: its id), so that the
        map greys it when that topic is not current (a track layer, say, of "vessels").
        ``cluster``: points that would overlap at low zoom are drawn as one counted
        circle (False: every point, always)."""
        self.map = map_view
        self.layer_id = layer_id
        self.features = features
        self._drawn: dict[str, list[str]] = {}    # item key -> feature keys drawn for it
        if map_view is not None:
            map_view.add_layer(layer_id, title, z, topic=topic, cluster=cluster)

    def _build(self, key: str, data: dict) -> list[dict]:
        try:
            return [f for f in self.features(key, data) if f]
        except Exception:  # one odd item must not stop the layer
            log.exception("map features failed for %s/%s", self.layer_id, key)
            return []

    def build(self, items: dict[str, dict]) -> dict[str, list[dict]]:
        """Each item's features (key -> its features), for :meth:`reset_built`.  It
        touches nothing of the layer or the map: a reader thread may build a large
        layer (thousands of reports) off the GUI thread."""
        return {key: self._build(key, data) for key, data in items.items()}

    def reset(self, items: dict[str, dict]) -> None:
        self.reset_built(self.build(items))

    def reset_built(self, built: dict[str, list[dict]]) -> None:
        """:meth:`reset` with the features :meth:`build` made."""
        self._drawn = {key: [f["key"] for f in feats] for key, feats in built.items()}
        if self.map is not None:
            upserts = [f for feats in built.values() for f in feats]
            self.map.apply_diff(self.layer_id, upserts, (), clear=True)

    def update(self, items: dict[str, dict], deleted: Iterable[str] = ()) -> None:
        upserts: list[dict] = []
        removes: list[str] = []
        for key in deleted:
            removes.extend(self._drawn.pop(key, []))
        for key, data in items.items():
            feats = self._build(key, data)
            new_keys = [f["key"] for f in feats]
            removes.extend(k for k in self._drawn.get(key, []) if k not in new_keys)
            self._drawn[key] = new_keys
            upserts.extend(feats)
        if self.map is not None and (upserts or removes):
            self.map.apply_diff(self.layer_id, upserts, removes)

    def apply(self, changes: TopicChanges) -> None:
        """A committed batch's changes of this layer's topic."""
        if changes.snapshot:
            self.reset(changes.upserts)
        else:
            self.update(changes.upserts, changes.deletes)

    def select(self, key: str) -> None:
        feats = self._drawn.get(key)
        if self.map is not None and feats:
            self.map.select(self.layer_id, feats[0])

    def count(self) -> int:
        return sum(len(v) for v in self._drawn.values())
