"""Retention: the cache keeps N days of history, and its file stops growing (no Qt).

The event log is append-only and the checkpoints (:mod:`ioc_desktop.review.checkpoints`)
add the whole state every so many events: without retention, a cache grows for ever
(at the demo's 50 events/s, about 2 GB a day; ``bench/cache_size.py``).  Compaction
folds the old part of the log into a checkpoint, which review already starts from:

* the **horizon** is ``keep_days`` before ``now`` — where ``now`` is never later than
  the newest event the cache received (a cache reopened weeks later, offline, keeps the
  last ``keep_days`` of what it holds, not nothing);
* the **base** is the newest checkpoint made at or before the horizon; with none, there
  is nothing to do yet (:attr:`CompactionResult.reason`);
* meta ``retained_from`` becomes the base's time (first: readers clamp review to it,
  :func:`ioc_desktop.review.state_at.retained_from`), then the events each topic had up
  to the base's cursor are deleted but the newest one (review at ``retained_from`` tells
  when each topic's data was received from it), then the checkpoints older than the
  base (and their ``checkpoint_state`` rows), then the ``rejected`` frames received
  before the horizon.
  The state at any moment from ``retained_from`` on is exactly what it was: the base's
  state plus the events after its cursors, which are all kept.

What is never touched: the state tables, the cursors, ``media`` (one copy per key), and
the append-only journals (``alarm_events``, the outbox's ``audit``).

**In chunks.**  Everything is deleted in short transactions of at most ``chunk`` rows
(events, rejected frames) or :data:`CHECKPOINTS_PER_STEP` checkpoints, so that the
store's writer thread can run a compaction between the feed's batches without holding
the feed up: :class:`Compaction` does one such transaction per :meth:`Compaction.step`
and says whether more remains (:class:`~ioc_desktop.store.writer.StoreWriter` runs
them, at start and about once an hour); :func:`compact` runs them all at once.  An
interrupted compaction leaves a consistent cache (``retained_from`` is already set; the
next one finishes the job).

**The file's size.**  SQLite keeps the pages that deleted rows free in the file's free
list and reuses them for new rows before it grows the file: once a compaction has run,
a cache fed at a steady rate stays at about ``keep_days`` (plus one compaction
interval) of events and checkpoints.  It does not shrink by itself: a cache created by
this version has ``auto_vacuum = INCREMENTAL`` (set by the store on a new, empty file),
and compaction then gives back to the file system the free pages beyond
:data:`FREE_SLACK` of the file (``PRAGMA incremental_vacuum``, in steps too) — after
``--retention-days`` was lowered, say.  An older cache (``auto_vacuum = NONE``) keeps
its free pages for reuse; ``VACUUM`` (with the app closed) shrinks it.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import asdict, dataclass
from typing import Iterator

from ioc_desktop.review import checkpoints
from ioc_desktop.review.state_at import newest_received

log = logging.getLogger(__name__)

DAY_S = 86_400.0
#: The app's default: a week of history (``--retention-days``).
DEFAULT_KEEP_DAYS = 7.0
#: Rows deleted per transaction by :func:`compact`.
CHUNK_ROWS = 20_000
#: Old checkpoints deleted per transaction (each has one compressed state per topic).
CHECKPOINTS_PER_STEP = 20
#: Free pages given back to the file system per transaction (incremental auto-vacuum).
VACUUM_PAGES = 512
#: The share of the file's pages left free for reuse (an hour of new events fills them
#: again: giving them back would only grow the file again).
FREE_SLACK = 0.10

# reasons (English, for logs and tests; the CLI words its own)
COMPACTED = "compacted"
NO_EVENTS = "no events"
NO_CHECKPOINT = "no checkpoint at or before the horizon"
ABANDONED = "abandoned: the cache file was replaced"


@dataclass
class CompactionResult:
    """What one compaction found and did."""

    keep_days: float
    now: float                      # the clock the horizon was taken from
    horizon: float | None = None    # now - keep_days (None: no events)
    retained_from: float | None = None   # the base checkpoint's time (None: nothing to do)
    base_checkpoint: int | None = None
    reason: str = COMPACTED
    events_deleted: int = 0
    checkpoints_deleted: int = 0
    rejected_deleted: int = 0
    pages_released: int = 0         # free pages given back to the file system
    steps: int = 0                  # transactions
    seconds: float = 0.0            # time spent in them
    longest_step_s: float = 0.0
    done: bool = False

    @property
    def nothing_to_do(self) -> bool:
        return self.retained_from is None

    def as_dict(self) -> dict:
        return asdict(self)


def _conn_of(store_or_conn) -> sqlite3.Connection:
    return getattr(store_or_conn, "conn", store_or_conn)


class _Tx:
    """One short write transaction (the store's connection is in autocommit mode; a
    plain connection's pending transaction is committed first)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        if self.conn.in_transaction:
            self.conn.commit()
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        return False


class Compaction:
    """One compaction of a cache (see the module docstring), run one short
    transaction at a time: call :meth:`step` until it returns False.

    ``store_or_conn``: a :class:`~ioc_desktop.store.store.Store` (its writer's
    connection, on its thread) or a writable ``sqlite3.Connection``.  Planning (which
    checkpoint is the base) happens here and only reads."""

    def __init__(self, store_or_conn, keep_days: float, now: float, *, chunk: int = CHUNK_ROWS):
        if not keep_days > 0:
            raise ValueError(f"keep_days must be > 0, not {keep_days!r}")
        self._source = store_or_conn
        self.conn = _conn_of(store_or_conn)
        self.chunk = max(1, int(chunk))
        self.result = CompactionResult(keep_days=float(keep_days), now=float(now))
        self._base: checkpoints.Checkpoint | None = None
        newest = newest_received(self.conn)
        if newest is None:
            self.result.reason = NO_EVENTS
        else:
            # never past the newest event: an old cache keeps its newest keep_days
            self.result.now = min(float(now), newest)
            self.result.horizon = self.result.now - keep_days * DAY_S
            self._base = checkpoints.at_or_before(self.conn, self.result.horizon)
            if self._base is None:
                self.result.reason = NO_CHECKPOINT
            else:
                self.result.retained_from = self._base.at
                self.result.base_checkpoint = self._base.id
        self._steps: Iterator[None] | None = self._run() if self._base is not None else None
        if self._steps is None:
            self.result.done = True

    # ------------------------------------------------------------------ running
    @property
    def done(self) -> bool:
        return self.result.done

    def step(self) -> bool:
        """Run the next transaction; True while more remains."""
        if self._steps is None:
            self.result.done = True
            return False
        if _conn_of(self._source) is not self.conn:     # the store rotated its file
            self.result.reason = ABANDONED
            self._finish()
            return False
        started = time.perf_counter()
        try:
            next(self._steps)
            more = True
        except StopIteration:
            more = False
        except BaseException:
            self._finish()
            raise
        spent = time.perf_counter() - started
        self.result.seconds += spent
        self.result.longest_step_s = max(self.result.longest_step_s, spent)
        if not more:
            self._finish()
        return more

    def run(self) -> CompactionResult:
        while self.step():
            pass
        return self.result

    def _finish(self) -> None:
        self.result.done = True
        if self._steps is not None:
            self._steps.close()
            self._steps = None

    def _tx(self) -> _Tx:
        self.result.steps += 1
        return _Tx(self.conn)

    # ------------------------------------------------------------------ the steps
    def _run(self) -> Iterator[None]:
        """The transactions, one per ``yield``."""
        conn, base, res = self.conn, self._base, self.result
        assert base is not None and res.horizon is not None
        # 1. review is clamped to the base first: every moment from it on stays whole
        with self._tx():
            row = conn.execute("SELECT value FROM meta WHERE key = 'retained_from'").fetchone()
            try:
                before = float(row[0]) if row and row[0] else None
            except ValueError:
                before = None
            if before is None or base.at > before:
                conn.execute("INSERT INTO meta(key, value) VALUES ('retained_from', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             (repr(base.at),))
            else:
                res.retained_from = before        # an earlier compaction kept less
        yield
        # 2. the events folded into the base, per topic, oldest first; but the newest
        #    of them: review at retained_from tells when each topic's data was received
        for topic, cut in sorted(base.cursors.items()):
            keep = conn.execute("SELECT max(seq) FROM events WHERE topic = ? AND seq <= ?",
                                (topic, cut)).fetchone()[0]
            if keep is None:
                continue
            while True:
                with self._tx():
                    bound = conn.execute(
                        "SELECT seq FROM events WHERE topic = ? AND seq < ? ORDER BY seq "
                        "LIMIT 1 OFFSET ?", (topic, keep, self.chunk - 1)).fetchone()
                    upto = keep - 1 if bound is None else bound[0]
                    deleted = conn.execute("DELETE FROM events WHERE topic = ? AND seq <= ?",
                                           (topic, upto)).rowcount
                    res.events_deleted += max(deleted, 0)
                yield
                if bound is None or bound[0] >= keep - 1:
                    break
        # 3. the checkpoints older than the base
        while True:
            with self._tx():
                ids = [r[0] for r in conn.execute(
                    "SELECT id FROM checkpoints WHERE at < ? OR (at = ? AND id < ?) "
                    "ORDER BY at, id LIMIT ?",
                    (base.at, base.at, base.id, CHECKPOINTS_PER_STEP))]
                if ids:
                    marks = ", ".join("?" * len(ids))
                    for table in checkpoints.STATE_TABLES:
                        if checkpoints.has_table(conn, table):
                            conn.execute(f"DELETE FROM {table} WHERE checkpoint_id IN ({marks})", ids)
                    conn.execute(f"DELETE FROM checkpoints WHERE id IN ({marks})", ids)
                    res.checkpoints_deleted += len(ids)
            yield
            if len(ids) < CHECKPOINTS_PER_STEP:
                break
        # 4. the refused frames received before the horizon
        while True:
            with self._tx():
                deleted = conn.execute(
                    "DELETE FROM rejected WHERE id IN (SELECT id FROM rejected "
                    "WHERE received_at < ? ORDER BY id LIMIT ?)",
                    (res.horizon, self.chunk)).rowcount
                res.rejected_deleted += max(deleted, 0)
            yield
            if deleted < self.chunk:
                break
        # 5. the free pages beyond the slack back to the file system (incremental
        #    auto-vacuum only; otherwise they wait in the free list for the next rows)
        if conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:
            while True:
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                free = conn.execute("PRAGMA freelist_count").fetchone()[0]
                excess = free - int(pages * FREE_SLACK)
                if excess <= 0:
                    break
                n = min(excess, VACUUM_PAGES)
                self.result.steps += 1
                if conn.in_transaction:
                    conn.commit()
                # executescript: the pragma runs to its end (a plain execute frees one page)
                conn.executescript(f"PRAGMA incremental_vacuum({int(n)})")
                after = conn.execute("PRAGMA freelist_count").fetchone()[0]
                res.pages_released += max(free - after, 0)
                yield
                if after >= free:         # nothing moved: don't spin
                    break


def compact(store_or_conn, keep_days: float, now: float, *,
            chunk: int = CHUNK_ROWS) -> CompactionResult:
    """Keep ``keep_days`` of history before ``now`` (epoch seconds; never later than
    the newest event received) and drop the rest, in transactions of at most ``chunk``
    rows (see the module docstring).  Returns what was done; with no checkpoint at or
    before the horizon, nothing (``result.nothing_to_do``, ``result.reason``)."""
    return Compaction(store_or_conn, keep_days, now, chunk=chunk).run()


def retained_days(conn: sqlite3.Connection) -> float | None:
    """How many days of history the cache holds (from ``retained_from`` to its newest
    event), None when it holds none."""
    from ioc_desktop.review.state_at import bounds
    found = bounds(conn)
    if found is None:
        return None
    return (found[1] - found[0]) / DAY_S


__all__ = ["CHUNK_ROWS", "CHECKPOINTS_PER_STEP", "Compaction", "CompactionResult",
           "DEFAULT_KEEP_DAYS", "FREE_SLACK", "compact", "retained_days"]
