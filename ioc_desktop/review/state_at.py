"""The materialised state as of a moment T, read from the cache (no Qt).

``state_at(conn, topics, at)`` = the newest checkpoint at or before T, plus the events
after its cursors that were received by T, replayed as a fresh client applies them: an
upsert sets its key, a delete removes it, a snapshot replaces the topic's state.  The
oldest checkpoint after T bounds the events read (everything up to its cursors was
received by its time), so a jump reads at most one checkpoint interval of the log.
Only the newest text of each key in that stretch is decoded.

A topic's events are received in seq order, so the first one received after T ends its
replay (a system clock set back would blur that; the stretch read is still bounded).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Iterable

import orjson

from ioc_desktop.review import checkpoints

_DELETED = object()


@dataclass
class ReviewState:
    """What the cache knew at ``at``: per topic its state (key -> data) and its cut (the
    seq of its newest event received by then, 0: none; the log up to the cut is what
    the state is made of)."""

    at: float
    state: dict[str, dict[str, dict]]
    cuts: dict[str, int]
    #: when each topic's newest event at T was received (None: no event yet)
    newest: dict[str, float | None] = field(default_factory=dict)
    events_read: int = 0
    checkpoint_at: float | None = None


def retained_from(conn: sqlite3.Connection) -> float | None:
    """The oldest moment the cache can show: set by compaction (events before it are
    folded into a checkpoint), else when its first event was received."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'retained_from'").fetchone()
    if row is not None and row[0]:
        try:
            return float(row[0])
        except ValueError:
            pass
    firsts = []
    for (topic,) in conn.execute("SELECT topic FROM cursors").fetchall():
        row = conn.execute("SELECT received_at FROM main.events WHERE topic = ? ORDER BY seq LIMIT 1",
                           (topic,)).fetchone()
        if row is not None and row[0]:
            firsts.append(row[0])
    return min(firsts) if firsts else None


def newest_received(conn: sqlite3.Connection) -> float | None:
    """When the newest event of the cache was received (None: no events)."""
    newest = []
    for topic, seq in conn.execute("SELECT topic, seq FROM cursors").fetchall():
        row = conn.execute("SELECT received_at FROM main.events WHERE topic = ? AND seq <= ? "
                           "ORDER BY seq DESC LIMIT 1", (topic, seq)).fetchone()
        if row is not None and row[0]:
            newest.append(row[0])
    return max(newest) if newest else None


def bounds(conn: sqlite3.Connection) -> tuple[float, float] | None:
    """(oldest, newest) moment the cache holds, None when it holds no event."""
    last = newest_received(conn)
    if last is None:
        return None
    first = retained_from(conn)
    return (min(first, last) if first is not None else last, last)


def state_at(conn: sqlite3.Connection, topics: Iterable[str], at: float) -> ReviewState:
    """See the module docstring.  ``topics``: the topics wanted (a plugin's state
    tables); a topic without events is empty with cut 0."""
    topics = list(dict.fromkeys(topics))
    base_cp = checkpoints.at_or_before(conn, at)
    bound_cp = checkpoints.after(conn, at)
    if base_cp is not None:
        state = checkpoints.load_state(conn, base_cp.id, topics)
    else:
        state = {t: {} for t in topics}
    out = ReviewState(at=at, state=state, cuts={},
                      checkpoint_at=base_cp.at if base_cp is not None else None)
    loads = orjson.loads
    for topic in topics:
        lo = base_cp.cursors.get(topic, 0) if base_cp is not None else 0
        hi = bound_cp.cursors.get(topic) if bound_cp is not None else None
        if hi is not None:
            rows = conn.execute("SELECT seq, op, key, data, received_at FROM main.events "
                                "WHERE topic = ? AND seq > ? AND seq <= ? ORDER BY seq",
                                (topic, lo, hi))
        else:
            rows = conn.execute("SELECT seq, op, key, data, received_at FROM main.events "
                                "WHERE topic = ? AND seq > ? ORDER BY seq", (topic, lo))
        cut, newest = lo, None
        pending: dict = {}          # key -> newest text in the stretch, or _DELETED
        reset: dict | None = None   # a snapshot in the stretch: the state it set
        for seq, op, key, data, received_at in rows:
            if received_at and received_at > at:
                break
            out.events_read += 1
            cut, newest = seq, received_at
            if op == "delete":
                pending[key] = _DELETED
            elif op == "snapshot":
                try:
                    items = loads(data) if data is not None else []
                    reset = {it["key"]: it["data"] for it in items}
                except (ValueError, TypeError, KeyError):
                    reset = {}          # logged as received; a fresh client had refused it
                pending.clear()
            elif data is not None:
                pending[key] = data
        rows.close()
        items = state[topic] if reset is None else reset
        for key, text in pending.items():
            if text is _DELETED:
                items.pop(key, None)
            else:
                try:
                    items[key] = loads(text)
                except ValueError:
                    pass
        state[topic] = items
        out.cuts[topic] = cut
        if newest is None and cut:
            row = conn.execute("SELECT received_at FROM main.events WHERE topic = ? AND seq = ?",
                               (topic, cut)).fetchone()
            newest = row[0] if row else None
        out.newest[topic] = newest
    return out


def next_event_at(conn: sqlite3.Connection, cuts: dict[str, int]) -> float | None:
    """When the first event after the cuts was received (step forward by an event)."""
    found = []
    for topic, cut in cuts.items():
        row = conn.execute("SELECT received_at FROM main.events WHERE topic = ? AND seq > ? "
                           "ORDER BY seq LIMIT 1", (topic, cut)).fetchone()
        if row is not None and row[0]:
            found.append(row[0])
    return min(found) if found else None


def previous_event_at(conn: sqlite3.Connection, review: ReviewState) -> float | None:
    """When the newest event received strictly before the review's T was received (step
    back by an event); None: nothing earlier."""
    found = []
    for topic, cut in review.cuts.items():
        if not cut:
            continue
        row = conn.execute("SELECT received_at FROM main.events WHERE topic = ? AND seq <= ? "
                           "AND received_at < ? ORDER BY seq DESC LIMIT 1",
                           (topic, cut, review.at)).fetchone()
        if row is not None and row[0]:
            found.append(row[0])
    return max(found) if found else None


__all__ = ["ReviewState", "bounds", "newest_received", "next_event_at", "previous_event_at",
           "retained_from", "state_at"]
