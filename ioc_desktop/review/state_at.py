"""The materialised state as of a moment T, read from the cache (no Qt).

``state_at(conn, topics, at)`` = the newest checkpoint at or before T, plus the events
after its cursors that were received by T, replayed as a fresh client applies them: an
upsert sets its key, a delete removes it, a snapshot replaces the topic's state.  The
oldest checkpoint after T bounds the events read (everything up to its cursors was
received by its time), so a jump reads at most one checkpoint interval of the log.
Only the newest text of each key in that stretch is decoded.  A checkpoint saved as
typed rows gives its topic's state as :class:`~ioc_desktop.review.items.TextItems`
(values decoded when read): a jump decodes only what its readers ask for.

A topic's events are received in seq order, so the first one received after T ends its
replay (a system clock set back would blur that; the stretch read is still bounded).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, MutableMapping

import orjson

from ioc_desktop.review import checkpoints
from ioc_desktop.review.items import TextItems, copy_items

@dataclass
class ReviewState:
    """What the cache knew at ``at``: per topic its state (key -> data) and its cut (the
    seq of its newest event received by then, 0: none; the log up to the cut is what
    the state is made of)."""

    at: float
    #: (a topic read from a checkpoint's typed rows: a TextItems, decoded when read)
    state: dict[str, MutableMapping]
    cuts: dict[str, int]
    #: when each topic's newest event at T was received (None: no event yet)
    newest: dict[str, float | None] = field(default_factory=dict)
    events_read: int = 0
    checkpoint_at: float | None = None
    #: which log the state was read from (the cache's epoch and creation): a state read
    #: before the cache was rotated to a new backend epoch is no start for the next one
    log_identity: str | None = None
    #: the checkpoint the state was replayed from (through ``since`` too), and per
    #: topic the keys the replay set or removed after it (a topic absent: unknown, a
    #: snapshot replaced it): the other keys hold the checkpoint's value, so its typed
    #: rows stand for them (reader_tables)
    base_checkpoint: int | None = None
    touched: dict[str, set[str]] = field(default_factory=dict)
    #: the base checkpoint's database image, when it was written as one: the reader's
    #: tables start from it (None: a checkpoint of typed rows or blobs, or none)
    image: checkpoints.CheckpointImage | None = field(default=None, repr=False)
    #: the oldest checkpoint after T (None: T is after the newest): its rows of the
    #: keys not set again between T and it are their rows at T (reader_tables)
    next_checkpoint: int | None = None


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


def _log_identity(conn: sqlite3.Connection) -> str | None:
    try:
        return conn.execute("SELECT group_concat(key || '=' || value, ' ') FROM "
                            "(SELECT key, value FROM meta WHERE key IN ('epoch', 'created_at') "
                            "ORDER BY key)").fetchone()[0]
    except sqlite3.OperationalError:
        return None


def _usable_since(since: ReviewState | None, topics: list[str], at: float,
                  base_cp: checkpoints.Checkpoint | None, identity: str | None) -> bool:
    """Whether the state at an earlier moment is a nearer start than the checkpoint:
    it holds every topic wanted, is not after ``at``, and not before the checkpoint."""
    return (since is not None and since.at <= at and since.log_identity == identity
            and all(t in since.cuts for t in topics)
            and (base_cp is None or all(since.cuts[t] >= base_cp.cursors.get(t, 0) for t in topics)))


def state_at(conn: sqlite3.Connection, topics: Iterable[str], at: float, *,
             since: ReviewState | None = None) -> ReviewState:
    """See the module docstring.  ``topics``: the topics wanted (a plugin's state
    tables); a topic without events is empty with cut 0.  ``since``: the state at an
    earlier moment on the same cache (the previous step of a review going forward):
    when it is nearer than the checkpoint, the replay starts from it (its dicts are
    copied, never changed) — a step or a play tick reads only the events between."""
    topics = list(dict.fromkeys(topics))
    base_cp = checkpoints.at_or_before(conn, at)
    bound_cp = checkpoints.after(conn, at)
    start: dict[str, int] = {}
    identity = _log_identity(conn)
    if _usable_since(since, topics, at, base_cp, identity):
        state = {t: copy_items(since.state.get(t, {})) for t in topics}
        start = {t: since.cuts[t] for t in topics}
        checkpoint_at = since.checkpoint_at
        base_id = since.base_checkpoint
        touched = {t: set(since.touched[t]) for t in topics if t in since.touched}
        image = since.image
    else:
        image = checkpoints.load_image(conn, base_cp.id) if base_cp is not None else None
        if base_cp is not None:
            state = checkpoints.load_state(conn, base_cp.id, topics, lazy=True, image=image)
            for items in state.values():
                if isinstance(items, TextItems):
                    items.log = identity       # the events' seqs name values within one log
            start = {t: base_cp.cursors.get(t, 0) for t in topics}
        else:
            state = {t: {} for t in topics}
        checkpoint_at = base_cp.at if base_cp is not None else None
        base_id = base_cp.id if base_cp is not None else None
        touched = {t: set() for t in topics} if base_id is not None else {}
    out = ReviewState(at=at, state=state, cuts={}, checkpoint_at=checkpoint_at, log_identity=identity,
                      base_checkpoint=base_id, touched=touched, image=image,
                      next_checkpoint=bound_cp.id if bound_cp is not None else None)
    loads = orjson.loads
    for topic in topics:
        lo = start.get(topic, 0)
        hi = bound_cp.cursors.get(topic) if bound_cp is not None else None
        cut, newest = cut_at(conn, topic, lo, hi, at)
        out.cuts[topic] = cut
        out.newest[topic] = newest
        if cut <= lo:
            continue
        out.events_read += cut - lo
        items = state[topic]
        # a snapshot in the stretch replaces what came before it
        row = conn.execute("SELECT max(seq) FROM main.events WHERE topic = ? AND seq > ? "
                           "AND seq <= ? AND op = 'snapshot'", (topic, lo, cut)).fetchone()
        if row is not None and row[0] is not None:
            lo = row[0]
            data = conn.execute("SELECT data FROM main.events WHERE topic = ? AND seq = ?",
                                (topic, lo)).fetchone()[0]
            try:
                items = {it["key"]: it["data"] for it in (loads(data) if data else [])}
            except (ValueError, TypeError, KeyError):
                items = {}          # logged as received; a fresh client had refused it
            touched.pop(topic, None)        # every key replaced: none is the checkpoint's
        keys_touched = touched.get(topic)
        lazy = isinstance(items, TextItems)
        # then the newest event of each key after it, found by SQLite (no Python loop
        # over the stretch), and only those decoded.  The stretch is a subquery kept
        # apart by LIMIT -1, read by its primary-key range: flattened into the GROUP BY,
        # SQLite walks the (topic, key) index instead — the topic's whole log, whatever
        # the stretch (bench/time_travel.py: 7x slower for the reports at 7 days).
        for key, op, data, seq in conn.execute(
                "SELECT key, op, data, seq FROM main.events WHERE topic = ? AND seq IN ("
                " SELECT max(seq) FROM (SELECT key, seq FROM main.events WHERE topic = ?"
                " AND seq > ? AND seq <= ? LIMIT -1) GROUP BY key)", (topic, topic, lo, cut)):
            if keys_touched is not None:
                keys_touched.add(key)
            if op == "delete":
                if key in items:
                    del items[key]      # not pop(): a TextItems would decode the value
            elif op != "snapshot" and data is not None:
                try:
                    value = loads(data)
                except ValueError:
                    continue
                if lazy:
                    items.set(key, value, data, seq)    # its text as stored: the tables take it
                else:
                    items[key] = value
        state[topic] = items
    return out


def cut_at(conn: sqlite3.Connection, topic: str, lo: int, hi: int | None,
           at: float) -> tuple[int, float | None]:
    """(seq of the topic's newest event received by ``at``, its received_at) between the
    cursors ``lo`` (known to be received by then) and ``hi`` (None: the log's end): a
    binary search on the primary key (a topic's events are received in seq order)."""
    def first_from(seq: int):
        return conn.execute("SELECT seq, received_at FROM main.events WHERE topic = ? AND seq >= ? "
                            "ORDER BY seq LIMIT 1", (topic, seq)).fetchone()

    if hi is None:
        row = conn.execute("SELECT max(seq) FROM main.events WHERE topic = ?", (topic,)).fetchone()
        hi = row[0] if row and row[0] is not None else lo
    best, best_at = lo, None
    left, right = lo + 1, hi
    while left <= right:
        mid = (left + right) // 2
        row = first_from(mid)
        if row is None or row[0] > right:
            right = mid - 1            # nothing from mid to right (a gap after compaction)
            continue
        seq, received = row
        if not received or received <= at:
            best, best_at = seq, received
            left = seq + 1
        else:
            right = mid - 1
    if best_at is None and best:
        row = conn.execute("SELECT received_at FROM main.events WHERE topic = ? AND seq = ?",
                           (topic, best)).fetchone()
        best_at = row[0] if row else None
    return best, best_at


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


__all__ = ["ReviewState", "bounds", "cut_at", "newest_received", "next_event_at", "previous_event_at",
           "retained_from", "state_at"]
