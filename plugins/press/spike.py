"""The press negative-spike detector: window counts and the raise/clear decision
(headless, no Qt).  :class:`plugins.press.model.PressModel` owns a detector and computes
its window; the alarm rule ``press.negative_spike`` (:mod:`plugins.press.rules`) asks it
to decide, with the engine saying whether the alarm held at the previous evaluation.

**Decision.** Look at the news items *published* in the last :attr:`SpikeDetector.WINDOW_S`
seconds.  An item is *negative* when its sentiment ≤ :attr:`SpikeDetector.NEGATIVE_AT`.
The spike **raises** when, in that window,

* at least :attr:`SpikeDetector.MIN_NEGATIVE` items are negative, **and**
* the negative share (negative items / all items) is at least
  :attr:`SpikeDetector.RAISE_SHARE`;

and, once raised, it **clears** when the negative items fall below ``MIN_NEGATIVE`` or
the share falls below :attr:`SpikeDetector.CLEAR_SHARE`.  The gap between the raise
and clear shares is a deadband (ISA-18.2): a share hovering around the limit does not
make the alarm chatter.  A share rule with a minimum count does not depend on how many
outlets the monitor follows (a busy news day is not a spike; three negative items out
of four at night are not either).

The parameters are class attributes: a province tunes them by subclassing (and giving
the subclass to the model: ``PressModel(detector=Hourly())``).  The defaults suit the
demo, whose flood rises within minutes (:mod:`demo_backend.scenario`); a real
deployment would use a window of an hour or more.

There is no state and no clock here: ``now`` is always passed in (seconds since the
epoch) and "was it raised" is the caller's, so the decision is testable at its
boundaries and replays the same on a reviewed cache.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .schema import NEGATIVE_AT


@dataclass(frozen=True)
class WindowStats:
    """Counts of the items published in one window ending at ``now``."""

    total: int = 0
    negative: int = 0
    by_topic: Counter = field(default_factory=Counter)            # topic -> items
    negative_by_topic: Counter = field(default_factory=Counter)   # topic -> negative items

    @property
    def share(self) -> float:
        """Negative items / all items (0 for an empty window)."""
        return self.negative / self.total if self.total else 0.0

    def top_negative_topic(self) -> str | None:
        if not self.negative_by_topic:
            return None
        return max(sorted(self.negative_by_topic), key=lambda t: self.negative_by_topic[t])


def window_stats(items: Iterable[tuple[float, float, str]], now: float, window_s: float,
                 negative_at: float) -> WindowStats:
    """Stats of ``(published epoch s, sentiment, topic)`` items with
    ``now - window_s < published`` (items published "in the future" — clock skew — count)."""
    start = now - window_s
    total = negative = 0
    by_topic: Counter = Counter()
    neg_topic: Counter = Counter()
    for published, sentiment, topic in items:
        if published <= start:
            continue
        total += 1
        by_topic[topic] += 1
        if sentiment <= negative_at:
            negative += 1
            neg_topic[topic] += 1
    return WindowStats(total, negative, by_topic, neg_topic)


class SpikeDetector:
    """The negative-spike decision with hysteresis (see the module docstring)."""

    #: Sentiment at or below which an item counts as negative.
    NEGATIVE_AT: float = NEGATIVE_AT     # -0.5, the schema's "negative" tone
    #: Rolling window, seconds, over the items' ``published`` times.
    WINDOW_S: float = 600.0
    #: Fewest negative items in the window for the spike to raise (and to stay raised).
    MIN_NEGATIVE: int = 5
    #: Negative share at or above which the spike raises (with ``MIN_NEGATIVE``).
    RAISE_SHARE: float = 0.35
    #: Negative share below which a raised spike clears (deadband below ``RAISE_SHARE``).
    CLEAR_SHARE: float = 0.25

    def stats(self, items: Iterable[tuple[float, float, str]], now: float) -> WindowStats:
        """The detector's window over ``(published, sentiment, topic)`` items at ``now``."""
        return window_stats(items, now, self.WINDOW_S, self.NEGATIVE_AT)

    def decide(self, stats: WindowStats, active: bool) -> bool:
        """Spiking after seeing ``stats``, given whether it was spiking before."""
        if stats.negative < self.MIN_NEGATIVE:
            return False
        if active:
            return stats.share >= self.CLEAR_SHARE
        return stats.share >= self.RAISE_SHARE


__all__ = ["SpikeDetector", "WindowStats", "window_stats"]
