"""The writer thread: drains validated events into the store in batched transactions.

Everything that changes the cache goes through here, so the cache has exactly one
writer.  Listeners hear of a batch only after it is committed.

With ``retention_days``, the writer also keeps the cache to that many days of history
(:mod:`ioc_desktop.store.retention`): a compaction at start and then about every
:data:`COMPACT_EVERY_S`, run one short transaction at a time between the feed's
batches (or while the queue is empty), never holding the feed up for long.
"""
from __future__ import annotations

import collections
import contextlib
import logging
import threading
import time
from concurrent.futures import Future
from typing import Any, Callable, Iterable

from ioc_desktop import gcpolicy
from ioc_desktop.plugin_api import TopicSpec
from ioc_desktop.store import retention
from ioc_desktop.store.batch import (CommittedBatch, EventRecord, LazyEventRecord,
                                     RejectedRecord, raw_text)
from ioc_desktop.store.store import Store
from ioc_desktop.workers import Worker

log = logging.getLogger(__name__)

# Bounded so that a flood of events can't grow memory without limit: the network thread
# blocks (and the websocket's own flow control pushes back to the server) instead.
# Counted in events (and rejections), not in submitted lists: a batch frame submits
# a thousand at once.  Beyond the limit, submit() waits; the writer takes up to
# MAX_BATCH of them into one transaction.
QUEUE_LIMIT = 50_000
MAX_BATCH = 20_000
#: How often the writer compacts the cache (retention), after the one at start.
COMPACT_EVERY_S = 3600.0
#: Rows per compaction transaction on the writer thread: short, between batches.
COMPACT_CHUNK = 5_000
#: From this many records on, the cyclic garbage collector waits while a batch is
#: applied (see StoreWriter._commit).
GC_PAUSE_RECORDS = 1_000


class _Call:
    """A function to run on the writer thread, in order with the events."""

    def __init__(self, fn: Callable[[Store], Any]):
        self.fn = fn
        self.future: Future = Future()


_STOP = object()


class StoreWriter:
    def __init__(self, path, topics: Iterable[TopicSpec],
                 on_commit: Callable[[CommittedBatch], None] | None = None, *,
                 retention_days: float | None = None,
                 clock: Callable[[], float] = time.time,
                 compact_every_s: float = COMPACT_EVERY_S,
                 compact_chunk: int = COMPACT_CHUNK):
        """``retention_days``: keep that many days of history (None: keep everything);
        ``clock``: the wall clock compaction's horizon is taken from (never later than
        the newest event received, see :mod:`ioc_desktop.store.retention`)."""
        self._topics = list(topics)
        if retention_days is not None and not retention_days > 0:
            raise ValueError(f"retention_days must be > 0, not {retention_days!r}")
        self.retention_days = retention_days
        self._clock = clock
        self._compact_every_s = float(compact_every_s)
        self._compact_chunk = int(compact_chunk)
        self._compaction: retention.Compaction | None = None
        self._next_compaction = 0.0            # time.monotonic(); 0: at start
        self.last_compaction: retention.CompactionResult | None = None
        self.compactions = 0                   # compactions finished
        self.compacted = threading.Event()     # set when one finishes (tests clear it)
        # what is waiting for the writer, in order: lists of records, _Calls, _STOP
        self._queue: collections.deque = collections.deque()
        self._queued = 0                       # records in the lists waiting
        self._cond = threading.Condition(threading.Lock())
        self._listeners: list[Callable[[CommittedBatch], None]] = []
        if on_commit:
            self._listeners.append(on_commit)
        self._ready = threading.Event()
        self._open_error: BaseException | None = None
        self.store: Store | None = None
        self.path = path
        self.events_committed = 0
        self.lost_batches = 0                  # batches a dying writer took with it
        self.slow_batches = 0                  # batches stored one item at a time
        self.worker = Worker("ioc-store-writer", self._run)
        self.worker.start()
        self._ready.wait()
        if self._open_error:
            raise self._open_error

    def restart(self) -> None:
        """Run again after the thread died (the supervisor calls this).  What it had
        taken for the failed transaction is gone: the feed must resubscribe from the
        committed cursors (:meth:`FeedClient.resync`)."""
        if self.worker.is_alive():
            return
        old, self.store = self.store, None
        if old is not None:
            try:
                old.conn.close()
            except Exception:
                pass
        self.worker.start()

    def add_listener(self, fn: Callable[[CommittedBatch], None]) -> None:
        self._listeners.append(fn)

    # ------------------------------------------------------------------ API (any thread)
    def submit(self, items: list[EventRecord | RejectedRecord | tuple]) -> None:
        """Queue records for the next transaction; waits while QUEUE_LIMIT are waiting.
        (Events may come as the tuples of :meth:`Store.apply`.)"""
        if not items:
            return
        with self._cond:
            # (never on the writer's own thread, e.g. from a commit listener: it would
            # be waiting for itself)
            while (self._queued >= QUEUE_LIMIT and self.worker.is_alive()
                   and not self.worker.is_current()):
                self._cond.wait(0.5)
            self._queue.append(items)
            self._queued += len(items)
            self._cond.notify_all()

    def _put(self, item) -> None:
        with self._cond:
            self._queue.append(item)
            self._cond.notify_all()

    def call(self, fn: Callable[[Store], Any]) -> Future:
        """Run ``fn(store)`` on the writer thread after everything queued before it."""
        c = _Call(fn)
        self._put(c)
        return c.future

    def flush(self, timeout: float | None = 30) -> None:
        """Block until everything submitted so far is committed (not on the GUI thread)."""
        self.call(lambda s: None).result(timeout)

    def close(self, timeout: float = 10) -> None:
        self.worker.stopping = True
        if self.worker.is_alive():
            self._put(_STOP)
            self.worker.join(timeout)

    @property
    def recovered_from(self):
        return self.store.recovered_from if self.store else None

    # ------------------------------------------------------------------ thread
    def _run(self) -> None:
        first = not self._ready.is_set()
        try:
            self.store = Store(self.path, self._topics)
        except BaseException as exc:
            if not first:
                raise            # a restart that can't open: the supervisor retries
            self._open_error = exc   # reported to the constructor's caller
            self.worker.stopping = True
            self._ready.set()
            return
        self._ready.set()
        self._taken: list = []
        self._compaction = None
        self._next_compaction = 0.0            # (again) at start
        try:
            self._loop(self.store)
        except BaseException:
            # Dying: calls taken with the failed batch must not leave their callers
            # waiting for ever.
            self.lost_batches += 1
            for item in self._taken:
                if isinstance(item, _Call) and not item.future.done():
                    item.future.set_exception(RuntimeError("the store writer stopped"))
            raise

    def _loop(self, store: Store) -> None:
        cond, waiting = self._cond, self._queue
        stop = False
        while not stop:
            # Take what is queued (up to MAX_BATCH records): one transaction for all of
            # it.  Calls run in order with the events around them.
            with cond:
                while not waiting:
                    wait = self._compaction_wait()
                    if wait is not None and wait <= 0:
                        break          # a compaction step to run while idle
                    cond.wait(wait)
                taken = self._taken = []
                n = 0
                while waiting and n < MAX_BATCH:
                    item = waiting.popleft()
                    taken.append(item)
                    if item is not _STOP and item.__class__ is not _Call:
                        n += len(item)
                self._queued -= n
                cond.notify_all()          # room for the network thread again
            pending: list = []
            for item in taken:
                if item is _STOP:
                    stop = True
                    break
                if isinstance(item, _Call):
                    self._commit(store, pending)
                    pending = []
                    self._run_call(store, item)
                else:
                    pending.extend(item)
            del taken
            self._commit(store, pending)
            self._taken = []
            if not stop:
                self._compaction_step(store)
        store.close()

    def _commit(self, store: Store, pending: list) -> None:
        if not pending:
            return
        # A large batch builds lists of 100,000s of values (the rows of its INSERTs)
        # while the records are made: young containers that every collection of the
        # youngest generation would walk again, hundreds of times per batch.  The
        # collector waits until the batch is applied (nothing the batch makes is a
        # cycle; whatever others make meanwhile is collected right after).
        with gcpolicy.paused() if len(pending) >= GC_PAUSE_RECORDS else contextlib.nullcontext():
            try:
                batch = store.apply(pending)
            except Exception as exc:
                # One bad item (a plugin's to_row bug, say) must not cost the whole batch:
                # apply them one by one and record the ones that still fail as rejected.
                log.exception("store.apply failed for %d items; retrying one by one", len(pending))
                batch = self._apply_each(store, pending, exc)
        self.events_committed += sum(len(ch.events) for ch in batch.topics.values())
        if batch:
            for fn in self._listeners:
                try:
                    fn(batch)
                except Exception:
                    log.exception("commit listener failed")

    def _apply_each(self, store: Store, pending: list, first_error: Exception):
        from ioc_desktop.store.batch import merge_batches
        self.slow_batches += 1
        batches = []
        for item in pending:
            if item.__class__ is tuple:       # (the decoding process's form of an event)
                item = LazyEventRecord(*item)
            try:
                batches.append(store.apply([item]))
            except Exception as exc:
                if isinstance(item, EventRecord):
                    rec = RejectedRecord(reason=f"could not store: {type(exc).__name__}: {exc}",
                                         raw=raw_text(item.data), topic=item.topic,
                                         seq=item.seq, received_at=item.received_at)
                    try:
                        batches.append(store.apply([rec]))
                    except Exception:
                        log.exception("could not record the failure of %s/%s", item.topic, item.seq)
        return merge_batches(batches) if batches else CommittedBatch()

    # ------------------------------------------------------------------ retention
    def _compaction_wait(self) -> float | None:
        """Seconds until a compaction step is due (0: now; None: never)."""
        if self.retention_days is None or self.worker.stopping:
            return None
        if self._compaction is not None:
            return 0.0
        return max(0.0, self._next_compaction - time.monotonic())

    def _compaction_step(self, store: Store) -> None:
        """One transaction of the current compaction, starting one when it is due.  A
        failure is logged and the compaction dropped (the next one retries): retention
        never stops the feed."""
        if self.retention_days is None:
            return
        try:
            if self._compaction is None:
                if time.monotonic() < self._next_compaction:
                    return
                self._next_compaction = time.monotonic() + self._compact_every_s
                self._compaction = retention.Compaction(store, self.retention_days, self._clock(),
                                                        chunk=self._compact_chunk)
            if self._compaction.step():
                return
            result = self._compaction.result
        except Exception:
            log.exception("cache compaction failed; retrying in %.0f s", self._compact_every_s)
            try:
                if store.conn.in_transaction:
                    store.conn.execute("ROLLBACK")
            except Exception:
                pass
            self._compaction = None
            return
        self._compaction = None
        self.last_compaction = result
        self.compactions += 1
        if result.nothing_to_do:
            log.debug("cache compaction: nothing to do (%s)", result.reason)
        else:
            log.info("cache compaction: kept %.3g days from %s; deleted %d events, %d "
                     "checkpoints, %d rejected frames; released %d pages; %d steps, %.2f s "
                     "(longest %.3f s)", result.keep_days, result.retained_from,
                     result.events_deleted, result.checkpoints_deleted, result.rejected_deleted,
                     result.pages_released, result.steps, result.seconds, result.longest_step_s)
        self.compacted.set()

    def _run_call(self, store: Store, c: _Call) -> None:
        try:
            c.future.set_result(c.fn(store))
        except BaseException as exc:
            c.future.set_exception(exc)
