"""Review (time travel) on the GUI side: one controller per app, the views' data router.

The console and the wall take their data (``stateLoaded``, ``batchCommitted``,
``alarmsChanged``) from the :class:`ReviewController`, not from the feed service:

* live, it passes the service's signals on unchanged;
* in review at T it sends the state, the models' views and the alarms as of T (a
  :class:`~ioc_desktop.review.snapshot.ReviewSnapshot` built on the cache's reader
  thread: the GUI never waits) and holds back nothing: live batches are dropped for the
  views, while the feed, the cache, the models and the alarm engine go on underneath;
* back to live, it sends the cache's state as it is now, then the batches committed
  while that was read, and the live alarms and views in full (it keeps the newest of
  them all through the review).

``reviewChanged(at | None)`` comes first on every jump (a view ends its graphs at T, a
window shows its REVIEW banner), then the data.  ``liveAlarms`` carries the live
alarm deltas during a review (the annunciator keeps sounding what is live now, and the
banner counts it).  Jumps are coalesced: while one is built, only the newest request
waits.  Play advances T at 1×, 10×, 60× or 600× the wall clock.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any, Callable, Iterable

from PySide6 import QtCore

from ioc_desktop.alarms import NORMAL
from ioc_desktop.review import snapshot as review_snapshot
from ioc_desktop.review.state_at import bounds as cache_bounds
from ioc_desktop.review.timeline import timeline_marks
from ioc_desktop.situation import AlarmDelta
from ioc_desktop.store.store import load_state
from widgets.review import clock as view_clock

log = logging.getLogger(__name__)

SPEEDS = (1, 10, 60, 600)
PLAY_TICK_MS = 250


def _cleared(alarm):
    """A copy of ``alarm`` in the normal state: it leaves every view."""
    return dataclasses.replace(alarm, active=False, acked=True, latched=False, shelved=False,
                               out_of_service=False, suppressed_by=None)


def _every(summary) -> list:
    return (list(summary.active) + [a for group in summary.suppressed.values() for a in group]
            + list(summary.shelved) + list(summary.out_of_service))


class ReviewController(QtCore.QObject):
    stateLoaded = QtCore.Signal(object)
    batchCommitted = QtCore.Signal(object)
    alarmsChanged = QtCore.Signal(object)
    #: T (epoch seconds) at each jump, None when back to live: before the data
    reviewChanged = QtCore.Signal(object)
    #: the ReviewSnapshot just shown (after its data)
    snapshotShown = QtCore.Signal(object)
    #: a jump is being built (True) / done (False)
    busyChanged = QtCore.Signal(bool)
    #: a jump could not be built: why (the views keep the moment they show)
    failed = QtCore.Signal(str)
    #: in review: the live alarm deltas (the annunciator, the live alarm count)
    liveAlarms = QtCore.Signal(object)
    #: playing: the speed (0: paused)
    playChanged = QtCore.Signal(int)
    #: the SQL tables of the moment are in place (ms since the jump was asked)
    tablesFilled = QtCore.Signal(float)

    def __init__(self, service, plugins: Iterable[Any], *,
                 clock: Callable[[], float] = time.time, parent=None):
        super().__init__(parent)
        self.service = service
        self.plugins = [p for p in plugins if p is not None]
        self.clock = clock
        self.at: float | None = None          # the moment shown; None: live
        self.snapshot = None                   # the last ReviewSnapshot shown
        self.bounds: tuple[float, float] | None = None
        self.speed = 0
        self.last_error: str | None = None
        self.asked: float | None = None        # the moment asked for by the last jump shown
        self.jumps = 0
        self.last_jump_ms: float | None = None      # the views' half of the last jump
        self.last_tables_ms: float | None = None    # ... and with the SQL tables
        self._models = review_snapshot.ReviewModels()
        self._wanted: float | None = None      # the newest jump asked for, not yet built
        self._building = False
        self._build_started = 0.0
        self._restoring: list | None = None    # back to live: batches held meanwhile
        self._live_summary = None
        self._live_views: dict[str, dict] = {}
        self._shown: dict[str, Any] = {}       # alarm id -> as the views have it
        self._play_timer = QtCore.QTimer(self, interval=PLAY_TICK_MS)
        self._play_timer.timeout.connect(self._play_tick)
        self._play_origin = (0.0, 0.0)          # (T, monotonic) when play started
        service.stateLoaded.connect(self._on_state)
        service.batchCommitted.connect(self._on_batch)
        service.alarmsChanged.connect(self._on_alarms)

    # ------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        """In review (or on the way into it)."""
        return self.at is not None or self._wanted is not None

    @property
    def busy(self) -> bool:
        return self._building

    # ------------------------------------------------------------ live data
    def _on_state(self, state) -> None:
        if self.active:
            return            # shown again on the way back to live
        if self._restoring is not None:
            self._restoring = []       # this state is newer than the batches held
        self.stateLoaded.emit(state)

    def _on_batch(self, batch) -> None:
        if self.active:
            return            # in the cache; the way back to live reads it from there
        if self._restoring is not None:
            self._restoring.append(batch)
            return
        self.batchCommitted.emit(batch)

    def _on_alarms(self, delta) -> None:
        for name, changes in delta.views.items():
            if delta.full_views:
                self._live_views[name] = dict(changes)
            else:
                self._live_views[name] = {**self._live_views.get(name, {}), **changes}
        self._live_summary = delta.summary
        if self.active or self._restoring is not None:
            self.liveAlarms.emit(delta)
            return
        self._note_shown(delta.changed)
        self.alarmsChanged.emit(delta)

    def _note_shown(self, alarms) -> None:
        for alarm in alarms:
            if alarm.state == NORMAL:
                self._shown.pop(alarm.id, None)
            else:
                self._shown[alarm.id] = alarm

    def _replace_alarms(self, every: list, summary, views: dict) -> AlarmDelta:
        """A delta that makes the views show exactly ``every``: the alarms shown now and
        absent from it are sent cleared."""
        ids = {a.id for a in every}
        changed = list(every) + [_cleared(a) for i, a in self._shown.items() if i not in ids]
        self._shown = {a.id: a for a in every if a.state != NORMAL}
        return AlarmDelta(changed=changed, summary=summary, views=views, full_views=True)

    # ------------------------------------------------------------ review
    def jump(self, at: float) -> None:
        """Show the cache as of ``at`` (epoch seconds); clamped to what it holds."""
        try:
            at = float(at)
        except (TypeError, ValueError):
            return
        if at != at:          # NaN
            return
        self._restoring = None
        self._wanted = at
        self._build_next()

    def step(self, seconds: float) -> None:
        base = self._wanted if self._wanted is not None else self.at
        if base is None:
            base = self.bounds[1] if self.bounds else self.clock()
        self.jump(base + seconds)

    def step_event(self, direction: int) -> None:
        """To the next (1) or the previous (-1) event received."""
        snap = self.snapshot
        if snap is None or self.at is None:
            self.step(-1 if direction < 0 else 1)
            return
        target = snap.next_event if direction > 0 else snap.previous_event
        if target is not None:
            self.jump(target)

    def play(self, speed: int) -> None:
        """Advance T at ``speed`` × the wall clock (0 pauses)."""
        speed = int(speed)
        if speed <= 0:
            self.pause()
            return
        if self.at is None and self._wanted is None:
            start = (self.bounds[0] if self.bounds else self.clock() - 3600)
            self.jump(start)
        self.speed = speed
        base = self._wanted if self._wanted is not None else self.at
        self._play_origin = (base if base is not None else self.clock(), time.monotonic())
        self._play_timer.start()
        self.playChanged.emit(speed)

    def pause(self) -> None:
        if self.speed:
            self.speed = 0
            self._play_timer.stop()
            self.playChanged.emit(0)

    def _play_tick(self) -> None:
        if self._building:
            return            # never queue up: the next tick takes the time elapsed
        t0, m0 = self._play_origin
        target = t0 + (time.monotonic() - m0) * self.speed
        if self.bounds is not None and target >= self.bounds[1]:
            target = self.bounds[1]
            self.pause()
        self.jump(target)

    def live(self) -> None:
        """Back to live: the views get the cache's state now, then the batches since."""
        self.pause()
        if not self.active:
            return
        self._wanted = None
        self.at = None
        self.snapshot = None
        view_clock.set_moment(None)
        self.reviewChanged.emit(None)
        self._restore_live()

    def _restore_live(self) -> None:
        self._restoring = []
        topics = list(self.service.topics.values())

        def read(conn):
            review_snapshot.leave(conn)
            return load_state(conn, topics)
        self.service.run_read(read, self._live_state)

    def _live_state(self, state) -> None:
        held, self._restoring = self._restoring, None
        if self.active or held is None:
            return            # a jump came meanwhile
        if state is not None:
            self.stateLoaded.emit(state)
        for batch in held:
            self.batchCommitted.emit(batch)
        if self._live_summary is not None:
            self.alarmsChanged.emit(self._replace_alarms(
                _every(self._live_summary), self._live_summary,
                {k: dict(v) for k, v in self._live_views.items()}))

    # ------------------------------------------------------------ building
    def _build_next(self) -> None:
        if self._building or self._wanted is None:
            return
        at, plugins = self._wanted, self.plugins
        self._building = True
        self._build_started = time.perf_counter()
        self.busyChanged.emit(True)
        models = self._models
        built: dict = {}
        # the topics the GUIs read through SQL (the main window's state_in_cache)
        in_cache = set(getattr(self.service, "cache_read_topics", None) or ())

        def build(conn):
            # the views' half: state, models, alarms (and the log cut at T)
            built["snap"] = review_snapshot.build(conn, plugins, at, models=models, tables=False,
                                                  read_in_cache=in_cache)
            return built["snap"]

        def fill(conn):
            # the SQL half, queued right behind on the same reader: a panel's query sent
            # when the views get the moment is queued behind this, and reads T
            if built.get("snap") is not None:
                review_snapshot.fill_tables(conn, plugins, built["snap"])
                return True
            return None
        self.service.run_read(build, lambda snap, a=at: self._built(a, snap))
        self.service.run_read(fill, self._tables_filled)

    def _built(self, asked: float, snap) -> None:
        self._building = False
        self.busyChanged.emit(False)
        if self._wanted is None:          # back to live meanwhile
            return
        if snap is None:
            self.last_error = self.tr("The cache could not be read at that moment; the "
                                      "view keeps the moment it shows")
            self.failed.emit(self.last_error)
            if self.at is None:           # never entered: live again, batches reloaded
                self._wanted = None
                self._restore_live()
                return
            self._after_build(asked)
            return
        self.last_error = None
        self.asked = asked
        self.last_jump_ms = (time.perf_counter() - self._build_started) * 1000
        self.jumps += 1
        self.at, self.snapshot, self.bounds = snap.at, snap, snap.bounds or self.bounds
        view_clock.set_moment(snap.at)
        self.reviewChanged.emit(snap.at)
        self.stateLoaded.emit(snap.state)
        every = [a for a in snap.alarms if a.state != NORMAL]
        self.alarmsChanged.emit(self._replace_alarms(every, snap.summary, snap.views))
        self.snapshotShown.emit(snap)
        self._after_build(asked)

    def _tables_filled(self, ok) -> None:
        if ok:
            self.last_tables_ms = (time.perf_counter() - self._build_started) * 1000
            self.tablesFilled.emit(self.last_tables_ms)

    def _after_build(self, asked: float) -> None:
        if self._wanted == asked:
            self._wanted = None
        self._build_next()

    # ------------------------------------------------------------ the time bar's data
    def refresh_bounds(self, callback: Callable[[Any], None] | None = None) -> None:
        def done(found):
            if found is not None:
                self.bounds = found
            if callback is not None:
                callback(found)
        self.service.run_read(cache_bounds, done)

    def read_marks(self, start: float, end: float, buckets: int,
                   callback: Callable[[Any], None]) -> None:
        self.service.run_read(lambda conn: timeline_marks(conn, start, end, buckets), callback)

    @property
    def live_summary(self):
        return self._live_summary


__all__ = ["PLAY_TICK_MS", "SPEEDS", "ReviewController"]
