"""The LED-billboard situation model (no Qt): every screen's newest report, since when
each dark screen is offline, and the figures the panel and the wall show.

Fed by the situation layer with the ``ads`` topic's validated reports (``screen_id``,
``name``, ``online``, ``content_id``, ``since``, ``violation`` …; see
:mod:`plugins.ads.schema`).

* **Offline since**: the report's ``since`` (when the screen went offline) when it has
  one, else the model's ``now`` when it first saw the screen offline (at a reset: the
  reset's ``now``, a lower bound).  Kept while the screen stays offline.
* **Figures** (:meth:`AdsModel.view`): screens reporting, online, offline, in violation,
  and the violations in force (name, kind, detail), for the panel's summary.

The alarm rules (:mod:`plugins.ads.rules`) read the screens from here; there is no wall
clock: ages are taken at :attr:`now`.
"""
from __future__ import annotations

from typing import Iterator

from ioc_desktop.feed_time import epoch_of
from ioc_desktop.text_clip import clip
from ioc_desktop.topic_model import TopicModel

from .schema import violation_info

#: Violations listed in the view (the panel's summary); more are counted, not listed.
MAX_LISTED = 50
#: Longest violation detail in the view.
DETAIL_CHARS = 200
#: Longest screen name in the view and the alarm texts.
NAME_CHARS = 120


class AdsModel(TopicModel):
    """See the module docstring."""

    #: review: the state at T by the difference from the last jump (ioc_desktop.review.snapshot)
    review_incremental = True

    def __init__(self) -> None:
        super().__init__()
        #: screen id -> epoch seconds since when it is offline (offline screens only)
        self.offline_since: dict[str, float] = {}

    # ------------------------------------------------------------ feeding
    def _note(self, key: str, data: dict, was_online: bool | None) -> None:
        if not isinstance(data, dict) or data.get("online"):
            self.offline_since.pop(key, None)
            return
        since = epoch_of(data.get("since"))
        if since is not None:
            self.offline_since[key] = since
        elif was_online is not False or key not in self.offline_since:
            if self.now is not None:
                self.offline_since[key] = self.now     # first seen offline: from now
            else:
                self.offline_since.pop(key, None)

    def on_reset(self) -> None:
        self.offline_since = {}
        for key, data in self.items.items():
            self._note(key, data, None)

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        was_online = None if old is None else bool(old.get("online"))
        self._note(key, data, was_online)

    def on_delete(self, key: str, old: dict) -> None:
        self.offline_since.pop(key, None)

    # ------------------------------------------------------------ queries (the rules')
    def name_of(self, key: str) -> str:
        data = self.items.get(key) or {}
        return clip(data.get("name"), NAME_CHARS) or key

    def offline(self) -> Iterator[tuple[str, float | None, dict]]:
        """``(screen id, offline since (epoch s) or None, data)`` of each dark screen."""
        for key, data in self.items.items():
            if not data.get("online"):
                yield key, self.offline_since.get(key), data

    def violations(self) -> Iterator[tuple[str, tuple[str, str, str | None], dict]]:
        """``(screen id, (kind, detail, time), data)`` of each screen in violation."""
        for key, data in self.items.items():
            info = violation_info(data)
            if info:
                yield key, info, data

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """What the billboard panel and the wall show::

            screens      {"total", "online", "offline", "violations"}: counts
            violations   [{"key", "name", "kind", "detail"}]: the violations in force, by
                         name (at most MAX_LISTED; details clipped to DETAIL_CHARS)
        """
        items = self.items.values()
        total = len(self.items)
        online = sum(1 for d in items if d.get("online"))
        listed = sorted(((self.name_of(key), key, info) for key, info, _ in self.violations()),
                        key=lambda t: (t[0], t[1]))
        return {
            "screens": {"total": total, "online": online, "offline": total - online,
                        "violations": len(listed)},
            "violations": [{"key": key, "name": name, "kind": info[0],
                            "detail": clip(info[1], DETAIL_CHARS)}
                           for name, key, info in listed[:MAX_LISTED]],
        }


__all__ = ["AdsModel", "DETAIL_CHARS", "MAX_LISTED", "NAME_CHARS"]
