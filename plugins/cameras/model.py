"""The cameras' situation model (no Qt): every camera's newest report, its detection
episodes, since when each offline camera is down, the grid's order and the figures.

Fed by the situation layer with the ``cameras`` topic (see
:mod:`plugins.cameras.schema`).  Every event of a batch is seen in seq order
(:meth:`CamerasModel.on_event`), so a detection that started and ended inside one
batch still makes an episode, and an episode ends at the time of the report that came
without it.

* **Episodes**: one per (camera, detection ``time``, ``kind``), keyed
  ``"<camera>|<time>|<kind>"``: ``camera_id``, ``name``, ``kind``, ``confidence``,
  ``time`` (when it started), ``active``, ``ended`` (the event time of the report without
  it, None while active or unknown).  At most :data:`MAX_EPISODES`, the oldest ended
  ones dropped first.
* **Offline since**: the event time of the report that found the camera offline.

A reset (start, a snapshot, review at a past time) starts the episodes again from the
state: the current detections, active; since when a camera is offline is not known then.
There is no wall clock here: :attr:`now` is the caller's.
"""
from __future__ import annotations

from ioc_desktop.feed_time import epoch_of
from ioc_desktop.topic_model import TopicModel

from .schema import detection_of, is_flood_alarm

#: Detection episodes kept (the panel's list).
MAX_EPISODES = 300
#: Attention ranks: the grid's order and the tiles' colours.
FLOOD, DETECTION, OFFLINE, NORMAL = 0, 1, 2, 3


def attention_rank(data: dict) -> int:
    """0 a flooded street (confident), 1 another detection, 2 offline, 3 normal."""
    if is_flood_alarm(data):
        return FLOOD
    if detection_of(data):
        return DETECTION
    if not data.get("online"):
        return OFFLINE
    return NORMAL


def episode_key(camera: str, det: dict) -> str:
    return f"{camera}|{det.get('time')}|{det.get('kind')}"


class CamerasModel(TopicModel):
    """See the module docstring."""

    def __init__(self, *, max_episodes: int = MAX_EPISODES) -> None:
        super().__init__()
        self.max_episodes = max_episodes
        self.episodes: dict[str, dict] = {}        # episode key -> episode
        self._current: dict[str, str] = {}         # camera -> its active episode's key
        self.offline_since: dict[str, str | None] = {}   # camera -> event time (None: unknown)

    # ------------------------------------------------------------ hooks
    def on_reset(self) -> None:
        self.episodes.clear()
        self._current.clear()
        self.offline_since.clear()
        for key, data in self.items.items():
            self._track(key, data, None)
            if not data.get("online"):
                self.offline_since[key] = None

    def on_event(self, event) -> None:
        if event.op != "upsert" or not isinstance(event.data, dict):
            return
        data = event.data
        self._track(event.key, data, event.time)
        if not data.get("online"):
            self.offline_since.setdefault(event.key, event.time)
        else:
            self.offline_since.pop(event.key, None)

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        # a batch without its events (coalesced): follow the newest report
        self._track(key, data, None)
        if data.get("online"):
            self.offline_since.pop(key, None)
        else:
            self.offline_since.setdefault(key, None)

    def on_delete(self, key: str, old: dict) -> None:
        self.offline_since.pop(key, None)
        self._end(key, None)

    # ------------------------------------------------------------ episodes
    def _track(self, key: str, data: dict, when: str | None) -> None:
        det = detection_of(data)
        ep_key = episode_key(key, det) if det else None
        if ep_key == self._current.get(key):
            if ep_key is not None:            # the same detection: its newest confidence
                ep = self.episodes.get(ep_key)
                if ep is not None and ep["confidence"] != (det.get("confidence") or 0.0):
                    self.episodes[ep_key] = {**ep, "confidence": det.get("confidence") or 0.0}
            return
        self._end(key, when)
        if ep_key is not None:
            self._current[key] = ep_key
            self.episodes[ep_key] = {
                "camera_id": key, "name": data.get("name"), "kind": det.get("kind"),
                "confidence": det.get("confidence") or 0.0, "time": det.get("time"),
                "active": True, "ended": None}
            self._trim()

    def _end(self, key: str, when: str | None) -> None:
        old = self._current.pop(key, None)
        if old is not None and old in self.episodes:
            self.episodes[old] = {**self.episodes[old], "active": False, "ended": when}

    def _trim(self) -> None:
        extra = len(self.episodes) - self.max_episodes
        if extra <= 0:
            return
        oldest = sorted(self.episodes, key=lambda k: (self.episodes[k]["active"],
                                                      epoch_of(self.episodes[k]["time"]) or 0.0, k))
        for k in oldest[:extra]:
            del self.episodes[k]

    # ------------------------------------------------------------ queries (rules)
    def current(self, key: str) -> str | None:
        """The key of the camera's active episode."""
        return self._current.get(key)

    def offline(self):
        """``(key, data, since epoch or None)`` for every camera offline."""
        for key in sorted(self.items):
            data = self.items[key]
            if not data.get("online"):
                yield key, data, epoch_of(self.offline_since.get(key))

    def detections(self, kind: str):
        """``(key, data, detection)`` for every camera whose detection is ``kind``."""
        for key in sorted(self.items):
            data = self.items[key]
            det = detection_of(data)
            if det is not None and det.get("kind") == kind:
                yield key, data, det

    def order(self) -> list[str]:
        """The grid's order: floods, other detections (most confident first), offline,
        the rest; by name within each."""
        items = self.items
        return sorted(items, key=lambda k: (attention_rank(items[k]),
                                            -((detection_of(items[k]) or {}).get("confidence") or 0.0),
                                            str(items[k].get("name") or k), k))

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """``total``/``online``/``offline``/``detections``/``flooded``: camera counts;
        ``order``: the grid's order (keys); ``attention``: the rank of every camera
        needing it (key -> 0 flood, 1 detection, 2 offline); ``offline_since``: key ->
        event time, for offline cameras whose time is known; ``episodes``: the detection
        list (episode key -> episode)."""
        items = self.items
        ranks = {k: attention_rank(d) for k, d in items.items()}
        offline = sum(1 for d in items.values() if not d.get("online"))
        return {
            "total": len(items),
            "online": len(items) - offline,
            "offline": offline,
            "detections": sum(1 for d in items.values() if detection_of(d)),
            "flooded": sum(1 for r in ranks.values() if r == FLOOD),
            "order": self.order(),
            "attention": {k: r for k, r in ranks.items() if r != NORMAL},
            "offline_since": {k: t for k, t in self.offline_since.items() if t},
            "episodes": {k: dict(ep) for k, ep in self.episodes.items()},
        }


__all__ = ["CamerasModel", "DETECTION", "FLOOD", "MAX_EPISODES", "NORMAL", "OFFLINE",
           "attention_rank", "episode_key"]
