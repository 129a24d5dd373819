"""The press negative-spike rule and the rolling sentiment summary (headless, no Qt).

**Rule.** Look at the news items *published* in the last :attr:`NegativeSpikeRule.WINDOW_S`
seconds.  An item is *negative* when its sentiment ≤ :attr:`NegativeSpikeRule.NEGATIVE_AT`.
The alarm **raises** when, in that window,

* at least :attr:`NegativeSpikeRule.MIN_NEGATIVE` items are negative, **and**
* the negative share (negative items / all items) is at least
  :attr:`NegativeSpikeRule.RAISE_SHARE`;

and, once raised, it **clears** when the negative items fall below ``MIN_NEGATIVE`` or
the share falls below :attr:`NegativeSpikeRule.CLEAR_SHARE`.  The gap between the raise
and clear shares is a deadband (ISA-18.2): a share hovering around the limit does not
make the alarm chatter.  A share rule with a minimum count does not depend on how many
outlets the monitor follows (a busy news day is not a spike; three negative items out
of four at night are not either).

The parameters are class attributes: a province tunes them by subclassing or setting
them on the class (e.g. ``NegativeSpikeRule.WINDOW_S = 3600``).  The defaults suit the
demo, whose flood rises within minutes (:mod:`demo_backend.scenario`); a real
deployment would use a window of an hour or more.

``now`` is always passed in (seconds since the epoch), so the rule is testable at its
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


class NegativeSpikeRule:
    """Raise/clear decision with hysteresis (see the module docstring).

    ``update(items, now)`` returns the new state (True = spiking) and keeps it in
    :attr:`active`; :attr:`stats` holds the window's counts of the last evaluation.
    """

    #: Sentiment at or below which an item counts as negative.
    NEGATIVE_AT: float = NEGATIVE_AT     # -0.5, the schema's "negative" tone
    #: Rolling window, seconds, over the items' ``published`` times.
    WINDOW_S: float = 600.0
    #: Fewest negative items in the window for the alarm to raise (and to stay raised).
    MIN_NEGATIVE: int = 5
    #: Negative share at or above which the alarm raises (with ``MIN_NEGATIVE``).
    RAISE_SHARE: float = 0.35
    #: Negative share below which a raised alarm clears (deadband below ``RAISE_SHARE``).
    CLEAR_SHARE: float = 0.25

    def __init__(self) -> None:
        self.active = False
        self.stats = WindowStats()

    def decide(self, stats: WindowStats, active: bool) -> bool:
        """The state after seeing ``stats``, given the state before."""
        if stats.negative < self.MIN_NEGATIVE:
            return False
        if active:
            return stats.share >= self.CLEAR_SHARE
        return stats.share >= self.RAISE_SHARE

    def update(self, items: Iterable[tuple[float, float, str]], now: float) -> bool:
        self.stats = window_stats(items, now, self.WINDOW_S, self.NEGATIVE_AT)
        self.active = self.decide(self.stats, self.active)
        return self.active

    def reset(self) -> None:
        self.active = False
        self.stats = WindowStats()
