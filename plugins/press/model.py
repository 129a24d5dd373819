"""The press situation model (no Qt): the news items' publication times, sentiments and
topics, and the figures the panel and the wall show.

Fed by the situation layer with the ``press`` topic's validated payloads (``item_id``,
``published``, ``sentiment``, ``topic`` …).  Items without a readable ``published`` time
or a numeric ``sentiment`` are not counted.  There is no wall clock here: every figure is
computed at ``now`` (the ``now`` of :meth:`PressModel.view`, else :attr:`PressModel.now`).

Figures (see :meth:`PressModel.view` for the view's keys):

* **today** — items published since Huế's midnight (UTC+07:00) of ``now``;
* **last hour** — items published in the hour before ``now``: how many, how many
  negative (sentiment ≤ −0.5) and positive (> +0.15), and per topic (items, negative,
  mean sentiment; the :data:`TOP_TOPICS` busiest topics);
* **the spike window** — the :class:`~plugins.press.spike.SpikeDetector`'s counts over
  its own window (10 min by default), for the alarm rule ``press.negative_spike``.

Whether a spike is on is the alarm rule's verdict (the detector's decision, with the
engine telling it whether the alarm held before): the rule records it here
(:meth:`PressModel.note_spike`) so that the panel's spike line and the wall's badge say
what the alarm says, hysteresis included.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ioc_desktop.feed_time import epoch_of
from ioc_desktop.interop import VN_TZ
from ioc_desktop.topic_model import TopicModel

from .schema import NEGATIVE_AT, NEUTRAL_UP_TO
from .spike import SpikeDetector, WindowStats, window_stats

#: The rolling summary's window (the spike detector has its own, ``SpikeDetector.WINDOW_S``).
SUMMARY_WINDOW_S = 3600.0
#: Topics listed in the view's per-topic summary (the busiest in the last hour).
TOP_TOPICS = 50


def day_start(now: float) -> float:
    """Epoch seconds of the Huế midnight (UTC+07:00) that began the local day of ``now``."""
    local = datetime.fromtimestamp(now, VN_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


@dataclass(frozen=True)
class PressFigures:
    """Every figure at one ``now``."""

    now: float
    today: int = 0
    hour: WindowStats = field(default_factory=WindowStats)
    positive_hour: int = 0
    topics: dict = field(default_factory=dict)        # topic -> [items, negative, sum]
    spike: WindowStats = field(default_factory=WindowStats)


class PressModel(TopicModel):
    """See the module docstring.  ``detector``: the spike detector's parameters (a
    :class:`~plugins.press.spike.SpikeDetector` subclass instance to tune them)."""

    def __init__(self, detector: SpikeDetector | None = None) -> None:
        super().__init__()
        self.detector = detector if detector is not None else SpikeDetector()
        #: key -> (published epoch s, sentiment, topic): what the figures count
        self.entries: dict[str, tuple[float, float, str]] = {}
        #: the alarm rule's verdict at its last evaluation (see the module docstring)
        self.spike_active = False
        self._version = 0
        self._figures: tuple[tuple[float, int], PressFigures] | None = None

    # ------------------------------------------------------------ feeding
    @staticmethod
    def entry(data: dict) -> tuple[float, float, str] | None:
        """``(published epoch s, sentiment, topic)`` of an item, None if not countable."""
        if not isinstance(data, dict):
            return None
        t = epoch_of(data.get("published"))
        s = data.get("sentiment")
        if t is None or isinstance(s, bool) or not isinstance(s, (int, float)):
            return None
        topic = data.get("topic")
        return t, float(s), topic if isinstance(topic, str) else ""

    def _put(self, key: str, data: dict) -> None:
        entry = self.entry(data)
        if entry is None:
            self.entries.pop(key, None)
        else:
            self.entries[key] = entry
        self._version += 1

    def on_reset(self) -> None:
        self.entries = {}
        for key, data in self.items.items():
            self._put(key, data)
        self.spike_active = False           # a new state: the next evaluation says
        self._version += 1

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        self._put(key, data)

    def on_delete(self, key: str, old: dict) -> None:
        self.entries.pop(key, None)
        self._version += 1

    def note_spike(self, active: bool) -> None:
        """The alarm rule's verdict (``press.negative_spike`` active or not)."""
        self.spike_active = bool(active)

    # ------------------------------------------------------------ figures
    def figures(self, now: float | None = None) -> PressFigures | None:
        """Every figure at ``now`` (default :attr:`now`); None without any clock.
        Computed once per (now, state)."""
        now = self.now if now is None else now
        if now is None:
            return None
        stamp = (now, self._version)
        if self._figures is not None and self._figures[0] == stamp:
            return self._figures[1]
        items = self.entries.values()
        midnight = day_start(now)
        start = now - SUMMARY_WINDOW_S
        topics: dict[str, list] = {}
        today = positive = 0
        for t, s, topic in items:
            if t >= midnight:
                today += 1
            if t <= start:
                continue
            if s > NEUTRAL_UP_TO:
                positive += 1
            acc = topics.get(topic)
            if acc is None:
                topics[topic] = [1, 1 if s <= NEGATIVE_AT else 0, s]
            else:
                acc[0] += 1
                acc[1] += s <= NEGATIVE_AT
                acc[2] += s
        figures = PressFigures(
            now=now, today=today,
            hour=window_stats(items, now, SUMMARY_WINDOW_S, NEGATIVE_AT),
            positive_hour=positive, topics=topics,
            spike=self.detector.stats(items, now))
        self._figures = (stamp, figures)
        return figures

    def spike_stats(self, now: float | None = None) -> WindowStats | None:
        """The spike detector's window at ``now`` (None without a clock)."""
        figures = self.figures(now)
        return None if figures is None else figures.spike

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """What the press panel and the wall show::

            today     items published since Huế's midnight
            hour      {"total", "negative", "share", "positive", "positive_share"}:
                      the last hour (shares of total, 0…1)
            topics    {topic: {"items", "negative", "mean"}}: the last hour, the
                      TOP_TOPICS busiest topics (mean sentiment rounded to 0.001)
            spike     {"active", "negative", "total", "share", "window_min",
                       "top_topic"}: the detector's window; ``active`` is the alarm's
        """
        figures = self.figures(now)
        if figures is None:
            figures = PressFigures(now=0.0)
        hour, spike = figures.hour, figures.spike
        busiest = sorted(figures.topics.items(), key=lambda kv: (-kv[1][0], kv[0]))[:TOP_TOPICS]
        return {
            "today": figures.today,
            "hour": {"total": hour.total, "negative": hour.negative, "share": hour.share,
                     "positive": figures.positive_hour,
                     "positive_share": figures.positive_hour / hour.total if hour.total else 0.0},
            "topics": {topic: {"items": n, "negative": neg, "mean": round(total / n, 3)}
                       for topic, (n, neg, total) in busiest},
            "spike": {"active": self.spike_active, "negative": spike.negative,
                      "total": spike.total, "share": spike.share,
                      "window_min": round(self.detector.WINDOW_S / 60),
                      "top_topic": spike.top_negative_topic()},
        }


__all__ = ["PressFigures", "PressModel", "SUMMARY_WINDOW_S", "TOP_TOPICS", "day_start"]
