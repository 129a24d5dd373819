"""What the feed does with each frame a backend sends: decode, check, validate, and make
the records the store writer commits (events to store, refusals to record).

Plain, Qt-free and network-free: the :class:`FrameHandler` holds the per-session
sequence state (the newest seq taken per topic, topics waiting for a resent stream,
snapshots arriving in parts, resubscribes to send) and turns one frame into its
records.  The feed client runs it either on its own thread or in the decoding process
(:mod:`ioc_desktop.feed.decoder`): the same code, so the same records, the same
refusals and the same reasons either way.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable

import orjson

from ioc_desktop import protocol
from ioc_desktop.plugin_api import GOOD_TIMES, TopicSpec, ValidationError
from ioc_desktop.protocol import MAX_KEY_LEN, FrameError
from ioc_desktop.store.batch import EventRecord, RejectedRecord, raw_text

log = logging.getLogger("ioc_desktop.feed.client")

# A snapshot in parts (extension snapshot-parts) is held in memory until complete.
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
# What SQLite can bind as an integer column value.
_SQLITE_INT = (-(2 ** 63), 2 ** 63 - 1)
_NO_COLUMNS = object()


@dataclass
class FeedCounters:
    frames: int = 0
    events: int = 0
    duplicates: int = 0
    gaps: int = 0
    rejected: int = 0
    snapshots: int = 0
    connects: int = 0
    internal_errors: int = 0      # frames whose handling raised: rejected, feed went on

    #: the fields the frame handler counts (``connects`` is the client's own)
    HANDLED = ("frames", "events", "duplicates", "gaps", "rejected", "snapshots",
               "internal_errors")

    def values(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in self.HANDLED)

    def add(self, delta) -> None:
        for name, n in zip(self.HANDLED, delta):
            if n:
                setattr(self, name, getattr(self, name) + n)


class _SnapshotParts:
    """A snapshot arriving in parts (extension snapshot-parts), until its last part."""

    def __init__(self, seq: int, parts: int):
        self.seq = seq
        self.parts = parts
        self.next = 1
        self.items: list = []
        self.bytes = 0


def reject(counters: FeedCounters, reason: str, raw: Any, topic: str | None = None,
           seq: int | None = None) -> RejectedRecord:
    """The record of a refusal (the caller hands it to the writer, once).  ``raw`` is
    the frame's text or bytes, or a decoded item: kept bounded, never re-serialised
    without a fallback (:func:`raw_text`)."""
    counters.rejected += 1
    size = len(raw) if isinstance(raw, (str, bytes, bytearray)) else None
    return RejectedRecord(reason=reason[:1000], raw=raw_text(raw), topic=topic, seq=seq,
                          received_at=time.time(), size=size)


class FrameHandler:
    """One session's frame handling (see the module docstring).

    ``topics``: the topics taken in this session; ``on_message(msg)`` gets the acks and
    errors (None: ignored).  :meth:`begin` starts a session from the committed cursors;
    :meth:`handle` turns a frame into records; :meth:`take_resubscribes` gives the
    ``(topic, after)`` to ask again (after a gap)."""

    def __init__(self, topics: dict[str, TopicSpec], counters: FeedCounters | None = None,
                 on_message: Callable[[dict], None] | None = None, *, wire: bool = False):
        """``wire``: make each upsert and delete as the plain tuple the decoding process
        sends (:func:`wire_event`) instead of an :class:`EventRecord`."""
        self.topics = dict(topics)
        self.counters = counters if counters is not None else FeedCounters()
        self.on_message = on_message
        self.wire = wire
        self._columns: dict[str, tuple[str, ...] | None] = {}   # wire rows: tuple order
        self.last: dict[str, int] = {}           # newest seq received (and queued) per topic
        self.resyncing: dict[str, int] = {}      # topics waiting for a resent stream
        self.pending_resub: list[tuple[str, int]] = []
        self.parts: dict[str, _SnapshotParts] = {}

    def begin(self, last: dict[str, int], topics: dict[str, TopicSpec] | None = None,
              dict_rows: frozenset[str] = frozenset(),
              resyncing: dict[str, int] | None = None) -> None:
        """A new session, subscribed ``after`` the committed seqs ``last`` — or one
        taken over from another handler at a frame boundary: its ``last`` and
        ``resyncing`` (never while it holds a snapshot in parts).  In wire mode the rows
        are tuples in the order of each topic's ``columns``, except for the topics of
        ``dict_rows`` (whose columns the store doesn't have in that order)."""
        if topics is not None:
            self.topics = dict(topics)
        self._columns = {t: None if t in dict_rows else tuple(spec.columns)
                         for t, spec in self.topics.items()}
        self.last = dict(last)
        self.resyncing = dict(resyncing or {})
        self.pending_resub = []
        self.parts = {}

    def end(self) -> None:
        """The session ended: a snapshot in parts can't be completed any more."""
        self.parts.clear()

    def take_resubscribes(self) -> list[tuple[str, int]]:
        out, self.pending_resub = self.pending_resub, []
        return out

    def _reject(self, reason: str, raw: Any, topic: str | None = None,
                seq: int | None = None) -> RejectedRecord:
        return reject(self.counters, reason, raw, topic, seq)

    # ------------------------------------------------------------------ frames
    def handle(self, text, is_text: bool = True) -> list:
        """One frame's records (events to store, refusals to record).  Nothing a backend
        sends may end the feed: whatever goes wrong handling a frame refuses that frame
        (or the item in hand) with a reason, and the next frame is handled as usual."""
        self.counters.frames += 1
        now = time.time()
        out: list = []
        try:
            try:
                msg = protocol.decode(text, binary=not is_text)
            except FrameError as exc:
                out.append(self._reject(str(exc), text))
                return out
            kind = msg["type"]
            if kind == "event":
                self._handle_event(msg, text, now, out)
            elif kind == "events":
                self._handle_event_batch(msg, text, now, out)
            elif kind == "snapshot":
                self._handle_snapshot(msg, text, now, out)
            elif kind in ("ack", "error"):
                if kind == "error":
                    log.warning("server error: %s", raw_text(msg, 300))
                if self.on_message:
                    self.on_message(msg)
            elif kind != "welcome":
                # Unknown types are a newer backend's extension, not an error of this one.
                log.debug("ignored message type %r", kind[:40])
        except Exception as exc:
            log.exception("handling a frame failed")
            self.counters.internal_errors += 1
            out.append(self._reject(f"internal error handling the frame: {type(exc).__name__}: "
                                    f"{str(exc)[:300]}", text))
        return out

    def _handle_event_batch(self, msg: dict, text, now: float, out: list) -> None:
        topic = msg.get("topic")
        events = msg.get("events")
        if not isinstance(topic, str) or not isinstance(events, list):
            out.append(self._reject("'events' frame needs 'topic' and an 'events' list", text))
            return
        self._run_events(topic, events, None, text, now, out)

    def _handle_event(self, msg: dict, text, now: float, out: list) -> None:
        """One ``event`` frame (protocol v1)."""
        topic = msg.get("topic")
        if topic.__class__ is str:
            self._run_events(topic, (msg,), text, text, now, out)
        else:
            self._handle_one_event(msg, text, now, out)

    def _run_events(self, topic: str, events, raw, text, now: float, out: list) -> None:
        """The events of one topic in arrival order (a batch frame's, or one event's).

        The common case — the next seq, a sound envelope, a valid payload — is taken
        inline here; anything else (a duplicate, a gap, a bad envelope or body, a
        validator's refusal) goes through :meth:`_handle_one_event`, which decides and
        words it exactly as for a single event.  ``raw`` is the frame's text for a plain
        event (kept with a rejection); None for a batch's items, which are kept as JSON.
        """
        spec = self.topics.get(topic)
        fast = spec is not None and 0 < len(topic) <= 64 and topic not in self.parts
        last_seq = self.last
        resyncing = self.resyncing
        last = last_seq.get(topic, 0)
        good_times = GOOD_TIMES
        accepted = 0
        append = out.append
        for ev in events:
            if fast and ev.__class__ is dict:
                seq = ev.get("seq")
                key = ev.get("key")
                when = ev.get("time")
                if (seq.__class__ is int and seq == last + 1
                        and key.__class__ is str and 0 < len(key) <= MAX_KEY_LEN
                        and (when is None or (when.__class__ is str and when in good_times))):
                    op = ev.get("op")
                    data = ev.get("data")
                    if op == "upsert" and data.__class__ is dict:
                        # in order: the seq is taken whatever the validator says
                        last = last_seq[topic] = seq
                        if resyncing:
                            resyncing.pop(topic, None)
                        rec = self._checked_upsert(spec, topic, seq, when, key, data, now,
                                                   ev if raw is None else raw)
                        append(rec)
                        if rec.__class__ is not RejectedRecord:
                            accepted += 1
                        continue
                    if op == "delete":
                        last = last_seq[topic] = seq
                        if resyncing:
                            resyncing.pop(topic, None)
                        append(self._delete(topic, seq, when, key, now))
                        accepted += 1
                        continue
            # everything else, one by one as a single event
            if not isinstance(ev, dict):
                append(self._reject("'events' item is not an object", ev if raw is None else raw,
                                    topic))
                continue
            if raw is None:
                ev["topic"] = topic
            try:
                self._handle_one_event(ev, raw, now, out)
            except Exception as exc:   # this item alone: the batch's others go on
                log.exception("handling an event failed")
                self.counters.internal_errors += 1
                seq = ev.get("seq")
                out.append(self._reject(f"internal error handling the event: {type(exc).__name__}",
                                        ev if raw is None else raw, topic,
                                        seq if seq.__class__ is int and seq == last_seq.get(topic) else None))
            last = last_seq.get(topic, 0)
        self.counters.events += accepted

    def _checked_upsert(self, spec: TopicSpec, topic: str, seq: int, when, key: str, data: dict,
                        now: float, raw) -> EventRecord | RejectedRecord:
        """An upsert whose envelope is sound: validated, and made storable here (JSON and
        state-table row), so that nothing that passes can fail in the writer's
        transaction.  A refusal keeps the seq (the feed goes on past it)."""
        try:
            data = spec.validate(data)
        except ValidationError as exc:
            return self._reject(str(exc), raw, topic, seq)
        except Exception as exc:  # a plugin's validator must not kill the feed
            return self._reject(f"validator error: {type(exc).__name__}: {str(exc)[:300]}",
                                raw, topic, seq)
        try:
            text, row = storable(spec, key, data)
        except ValidationError as exc:
            return self._reject(str(exc), raw, topic, seq)
        if self.wire:
            cols = self._columns.get(topic, _NO_COLUMNS)
            if cols is _NO_COLUMNS:
                cols = self._columns[topic] = tuple(spec.columns)
            return (topic, seq, when, "upsert", key, text, now,
                    row if cols is None else tuple(map(row.get, cols)))
        return EventRecord(topic, seq, when, "upsert", key, data, now, text, row)

    def _delete(self, topic: str, seq: int, when, key: str, now: float):
        if self.wire:
            return (topic, seq, when, "delete", key, None, now, None)
        return EventRecord(topic, seq, when, "delete", key, None, now)

    def _handle_one_event(self, msg: dict, text, now: float, out: list) -> None:
        raw = text if text is not None else msg
        try:
            topic, seq = protocol.event_envelope(msg)
        except FrameError as exc:
            out.append(self._reject(str(exc), raw, exc.topic))
            return
        spec = self.topics.get(topic)
        if spec is None:
            out.append(self._reject(f"unknown topic {topic!r:.40}", raw, topic, None))
            return
        last = self.last.get(topic, 0)
        if seq <= last:
            self.counters.duplicates += 1
            return
        if seq > last + 1 or topic in self.parts:
            # A gap (or an event inside a snapshot in parts): something was lost.  Ask
            # again from what we hold; frames still in flight from the old stream are
            # dropped until the resent one arrives.
            self._resync_topic(topic, out, now)
            return
        self.resyncing.pop(topic, None)
        self.last[topic] = seq
        try:
            op, key, when, data = protocol.event_body(msg, topic, seq)
        except FrameError as exc:
            out.append(self._reject(str(exc), raw, topic, seq))
            return
        if op == "upsert":
            rec = self._checked_upsert(spec, topic, seq, when, key, data, now, raw)
            out.append(rec)
            if rec.__class__ is not RejectedRecord:
                self.counters.events += 1
            return
        self.counters.events += 1
        out.append(self._delete(topic, seq, when, key, now))

    def _resync_topic(self, topic: str, out: list, now: float) -> None:
        parts = self.parts.pop(topic, None)
        if parts is not None:
            out.append(self._reject(f"snapshot in parts voided at part {parts.next} of {parts.parts}"
                                    " (out of order, or an event came first)", "", topic))
        if topic not in self.resyncing:
            self.counters.gaps += 1
            last = self.last.get(topic, 0)
            self.resyncing[topic] = last
            self.pending_resub.append((topic, last))

    def _handle_snapshot(self, msg: dict, text, now: float, out: list) -> None:
        try:
            topic, seq = protocol.event_envelope(msg)
        except FrameError as exc:
            out.append(self._reject("snapshot: " + str(exc), text))
            return
        spec = self.topics.get(topic)
        items = msg.get("items")
        if spec is None:
            out.append(self._reject(f"snapshot of unknown topic {topic!r:.40}", text, topic))
            return
        if not isinstance(items, list):
            out.append(self._reject("snapshot 'items' must be a list", text, topic))
            return
        part, parts = msg.get("part"), msg.get("parts")
        if part is not None or parts is not None:
            if not (_int(part) and _int(parts) and 1 <= part <= parts <= 1_000_000):
                out.append(self._reject("snapshot 'part'/'parts' must be integers, 1 ≤ part ≤ parts",
                                        text, topic))
                self._resync_topic(topic, out, now)
                return
            held = self.parts.get(topic)
            if part == 1:
                if held is not None:
                    self._resync_topic(topic, out, now)      # the previous one never ended
                held = self.parts[topic] = _SnapshotParts(seq, parts)
            elif held is None or held.seq != seq or held.parts != parts or held.next != part:
                self._resync_topic(topic, out, now)
                return
            held.bytes += len(text)
            if held.bytes > MAX_SNAPSHOT_BYTES:
                self.parts.pop(topic, None)
                out.append(self._reject(f"snapshot in parts larger than {MAX_SNAPSHOT_BYTES} bytes",
                                        "", topic))
                self._resync_topic(topic, out, now)
                return
            held.items.extend(self._snapshot_items(spec, topic, items, out))
            held.next += 1
            if part < parts:
                return
            del self.parts[topic]
            good = held.items
        else:
            if topic in self.parts:
                self._resync_topic(topic, out, now)
                return
            good = self._snapshot_items(spec, topic, items, out)
        self.counters.snapshots += 1
        self.last[topic] = seq
        self.resyncing.pop(topic, None)
        when = msg.get("time") if isinstance(msg.get("time"), str) else None
        try:
            when = protocol.check_time(when, "snapshot 'time'")
        except ValueError:
            when = None
        # (its items' refusals carry no seq: their order beside it doesn't matter)
        out.append(EventRecord(topic, seq, when, "snapshot", None, good, now))

    def _snapshot_items(self, spec: TopicSpec, topic: str, items: list, out: list) -> list:
        good = []
        for i, item in enumerate(items):
            try:
                if not isinstance(item, dict):
                    raise ValidationError(f"item {i} is not an object")
                key, data = item.get("key"), item.get("data")
                if not isinstance(key, str) or not key or len(key) > protocol.MAX_KEY_LEN:
                    raise ValidationError(f"item {i}: bad 'key'")
                if not isinstance(data, dict):
                    raise ValidationError(f"item {i}: 'data' must be an object")
                data = spec.validate(data)
                storable(spec, key, data)
                good.append({"key": key, "data": data})
            except Exception as exc:
                reason = str(exc) if isinstance(exc, ValidationError) else \
                    f"validator error: {type(exc).__name__}: {str(exc)[:300]}"
                out.append(self._reject(f"snapshot item rejected: {reason}", item, topic))
        return good


def _int(value: Any) -> bool:
    return value.__class__ is int


def storable(spec: TopicSpec, key: str, data: dict) -> tuple[bytearray, dict]:
    """The JSON and the state-table row of a validated payload, or ValidationError if
    the cache can't hold it (nested too deeply to write; a plugin's row mapping that
    fails on it; a column value SQLite can't bind)."""
    try:
        text = bytearray(orjson.dumps(data))
    except (orjson.JSONEncodeError, RecursionError) as exc:
        raise ValidationError(f"data cannot be stored: {str(exc)[:200]}") from None
    try:
        row = spec.row(key, data)
    except Exception as exc:
        raise ValidationError(f"data cannot be stored ({type(exc).__name__}: "
                              f"{str(exc)[:200]})") from None
    for name, value in row.items():
        cls = value.__class__
        if value is None or cls is str or cls is float:
            continue
        if cls is int or cls is bool:
            if not _SQLITE_INT[0] <= value <= _SQLITE_INT[1]:
                raise ValidationError(f"data.{name}: {value} is too large to store")
            continue
        if not isinstance(value, (str, float, int, bytes)):
            raise ValidationError(f"data cannot be stored: column {name!r} gets a "
                                  f"{cls.__name__}")
    return text, row
