"""What the writer hands on after a commit: the changes of one transaction, per topic.

Plain data, no Qt: the GUI receives it through a queued signal, tests read it directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EventRecord:
    """A validated event, ready to be logged and materialised."""

    topic: str
    seq: int
    time: str | None
    op: str                      # "upsert" | "delete" | "snapshot"
    key: str | None
    data: Any                    # dict for upsert, None for delete, list of items for snapshot
    received_at: float = 0.0
    # Made by the feed client while validating (so that what can't be stored is refused
    # there, not in the writer's transaction): ``data`` as UTF-8 JSON, and the state
    # table's column values.  None: the store makes them.
    text: bytes | bytearray | None = None
    # A dict (column -> value), or a tuple of the values in the order of the topic's
    # ``TopicSpec.columns`` (what the decoding process sends: lighter to carry).
    row: dict | tuple | None = None


_NOT_YET = object()


class LazyEventRecord(EventRecord):
    """An upsert or delete from the feed's decoding process
    (:mod:`ioc_desktop.feed.decoder`): ``data`` is decoded from ``text`` (the validated
    payload's JSON, as stored) the first time it is read, and kept.  The store writes
    ``text`` as it is, so a payload nobody reads — an event superseded in the same
    batch, say — is never decoded in this process.  Equal to the data the validator
    returned, as JSON gives it back (what the cache gives every reader)."""

    def __init__(self, topic: str, seq: int, time: str | None, op: str, key: str | None,
                 text: bytes | bytearray | None, received_at: float = 0.0,
                 row: dict | tuple | None = None, *, data: Any = _NOT_YET):
        self.topic = topic
        self.seq = seq
        self.time = time
        self.op = op
        self.key = key
        self.text = text
        self.received_at = received_at
        self.row = row
        self._data = data if (data is not _NOT_YET or text is not None) else None

    @property
    def data(self) -> Any:
        data = self._data
        if data is _NOT_YET:
            data = self._data = _loads(self.text)
        return data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value


def _loads(text):
    import orjson
    global _loads
    _loads = orjson.loads
    return _loads(text)


@dataclass
class RejectedRecord:
    """A frame or event refused, with the reason users see."""

    reason: str
    raw: str
    topic: str | None = None
    seq: int | None = None      # set when the envelope was sound: the seq is consumed
    received_at: float = 0.0
    size: int | None = None     # bytes of the whole frame (``raw`` may be cut); None: len(raw)


RAW_KEEP = 4096     # characters of a refused frame kept for the record


def raw_text(raw: Any, limit: int = RAW_KEEP) -> str:
    """At most ``limit`` characters that show what was refused, whatever ``raw`` is: a
    frame's text or bytes (invalid UTF-8 replaced), or a decoded structure (JSON, else
    its repr, else its type).  Never raises: recording a refusal must not fail in turn.
    """
    try:
        if isinstance(raw, str):
            return raw[:limit]
        if isinstance(raw, (bytes, bytearray, memoryview)):
            return bytes(raw[:limit * 4]).decode("utf-8", "replace")[:limit]
        from ioc_desktop import jsonfast
        try:
            return jsonfast.dumps(raw)[:limit]
        except Exception:       # too deep for the encoder, or not JSON at all
            return repr(raw)[:limit]
    except Exception:           # too deep even for repr (RecursionError)
        return f"<{type(raw).__name__} that cannot be shown>"


@dataclass
class TopicChanges:
    upserts: dict[str, Any] = field(default_factory=dict)   # key -> newest data in the batch
    deletes: set[str] = field(default_factory=set)
    snapshot: bool = False        # True: upserts is the whole state of the topic
    events: list[EventRecord] = field(default_factory=list)  # every event, in seq order
    last_seq: int = 0
    last_time: str | None = None
    received_at: float = 0.0


@dataclass
class CommittedBatch:
    topics: dict[str, TopicChanges] = field(default_factory=dict)
    rejected: list[RejectedRecord] = field(default_factory=list)
    rejected_total: int = 0       # rejected rows in the cache after this commit
    commit_id: int = 0

    def __bool__(self) -> bool:
        return bool(self.topics or self.rejected)


def merge_batches(batches: list[CommittedBatch]) -> CommittedBatch:
    """Fold several committed batches (in commit order) into one, as if one transaction."""
    if len(batches) == 1:
        return batches[0]
    out = CommittedBatch()
    for b in batches:
        out.rejected.extend(b.rejected)
        out.rejected_total = b.rejected_total
        out.commit_id = b.commit_id
        for topic, ch in b.topics.items():
            acc = out.topics.get(topic)
            if acc is None or ch.snapshot:
                # a snapshot replaces everything before it
                acc = out.topics[topic] = TopicChanges(snapshot=ch.snapshot)
                acc.events = list(ch.events)
                acc.upserts = dict(ch.upserts)
                acc.deletes = set(ch.deletes)
            else:
                acc.events.extend(ch.events)
                for key in ch.deletes:
                    acc.upserts.pop(key, None)
                    acc.deletes.add(key)
                for key, data in ch.upserts.items():
                    acc.deletes.discard(key)
                    acc.upserts[key] = data
            acc.last_seq = ch.last_seq
            acc.last_time = ch.last_time or acc.last_time
            acc.received_at = ch.received_at
    return out
