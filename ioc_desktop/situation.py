"""The situation layer: plugins' models and the alarm engine, on their own thread (no Qt).

:class:`SituationService` owns one :class:`SituationModel` per plugin that declares one
(``Plugin.model_class``) and one :class:`~ioc_desktop.alarms.engine.AlarmEngine` with
every plugin's rules (``Plugin.alarm_rules()``).  On its :class:`~ioc_desktop.workers.Worker`
thread it:

* at start (and after a restart or a cache rotation), in one writer call: creates the
  alarm tables, loads the alarms and the applied action ids from the journal
  (``AlarmEngine.restore``) and the materialised state (models' ``reset``, or
  ``reset_read`` of what a model read itself: only the other topics' JSON is decoded),
  and drops the batches queued before that moment — they are in the state it loaded;
* takes every committed batch from a writer listener (queued, the writer never waits)
  and feeds each model its topic's changes, then evaluates that plugin's rules;
* evaluates every plugin's rules and the engine's timers every ``tick_s`` (rules that
  depend on time only: a vessel's lost signal grows without any batch);
* journals every transition and the changed alarms in the cache
  (:func:`ioc_desktop.alarms.journal.record`), in a writer call: the writer's thread,
  in one transaction;
* hands over small deltas: ``on_delta(AlarmDelta)`` with the alarms changed since the
  last one and a :class:`~ioc_desktop.alarms.engine.Summary`, at most every
  ``delta_interval_s``.  It runs on this thread: the receiver must queue it (the Qt
  bridge emits a queued signal).

Operator actions (:meth:`SituationService.acknowledge`, ``shelve`` …) may be called from
any thread: they run on the service's thread, are journaled with the user, and return
a future of the transitions, resolved once the journal entry is committed.  Each takes
an optional ``action_id`` (the outbox's id): an id already applied is ignored.

Shared alarm actions (:mod:`ioc_desktop.alarms.sharing`, protocol extension
``alarm-actions``): the actions other consoles took reach this one as committed events
of the relay topic; a writer listener of its own hands them to this thread (in order,
as calls, which a restart keeps), where each is applied with its action id — once: this
console's own actions were applied with that id already.  One that doesn't apply here
is ignored with a logged reason (kept in ``relay_ignored``), never fatal: an unknown
alarm rule; an alarm not raised here (held a few seconds first when the action is
recent: this console may raise it a moment later); an acknowledgement older than the
alarm's latest raise (stale); a shelve or silence already over.

There is no wall clock in the models or the engine: ``clock`` (default ``time.time``)
gives ``now``, so tests drive time.
"""
from __future__ import annotations

import collections
import logging
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Protocol, runtime_checkable

from ioc_desktop.alarms import journal
from ioc_desktop.alarms.engine import Alarm, AlarmEngine, Summary, Transition
from ioc_desktop.alarms.sharing import TOPIC as RELAY_TOPIC, RelayedAction, parse_relayed
from ioc_desktop.alarms.engine import UnknownAlarm
from ioc_desktop.plugin_api import Plugin
from ioc_desktop.store.store import load_state, open_reader
from ioc_desktop.workers import Worker

log = logging.getLogger(__name__)

TICK_S = 10.0             # time-only rules (lost signal) and the engine's timers
DELTA_INTERVAL_S = 0.25   # at most four deltas a second reach the GUI
SITUATION_READY_S = 30.0  # how long a feed waits for the models to load the cache
# Relayed alarm actions (shared by the backend):
RELAY_STALE_S = 60.0      # an ack older than the alarm's raise by more: stale, ignored
RELAY_DEFER_S = 10.0      # an alarm not raised here (yet): the action waits this long
RELAY_RECENT_S = 60.0     # ... if it was taken at most this long ago
RELAY_RETRY_S = 0.2       # how often waiting actions are tried again
RELAY_MAX_DEFERRED = 1000
RELAY_IGNORED_KEPT = 200  # the latest ignored actions and why (relay_ignored)


@runtime_checkable
class SituationModel(Protocol):
    """A plugin's Qt-free domain model, as the situation layer drives it.

    It follows the plugin's first topic.  ``now`` (epoch seconds) is the caller's clock:
    a model never reads the wall clock, so review can replay the past.  Optional:
    ``set_now(now)`` (called before each evaluation) and ``settle()`` (called after an
    evaluation in which none of the plugin's rules failed: transitions reported once,
    such as a vessel's crossing between two fixes, are marked as seen); ``view(now)``
    (the panels' view state, a small dict of plain values, sent as deltas; see
    :class:`ioc_desktop.topic_model.TopicModel`); ``read_history(conn)`` (run on the
    writer's connection at a start, e.g. today's earlier events from the log) with
    ``load_history(rows)`` (called right after ``reset``); ``read_state(conn)`` (run on
    the writer's connection at a start: what the model needs of its topic's state, read
    by SQL — e.g. a few columns of its state table — or None to be given the decoded
    state) with ``reset_read(read, now=)`` (called instead of ``reset``: the same model,
    without decoding every item's JSON).
    """

    def reset(self, state: Mapping[str, dict], *, now: float | None = None) -> None:
        """The topic's whole state (key -> data): startup, a snapshot, review at T."""

    def apply_changes(self, changes: Any, *, now: float | None = None) -> None:
        """One committed batch's ``TopicChanges`` for the topic."""


def model_view(model: Any, now: float) -> dict | None:
    """The model's view state (``model.view(now)``: a small dict of plain values, what
    its panels show — KPIs, derived figures), or None when it has none."""
    view = getattr(model, "view", None)
    return None if view is None else view(now)


def view_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict:
    """The entries of ``new`` that differ from ``old`` (top level): a view delta.  An
    entry gone from ``new`` comes as None."""
    old = old or {}
    out = {k: v for k, v in new.items() if old.get(k, _MISSING) != v}
    out.update({k: None for k in old if k not in new})
    return out


_MISSING = object()


def evaluate_model(engine: AlarmEngine, plugin: str, model: Any,
                   now: float) -> list[Transition]:
    """Evaluate ``plugin``'s rules over its model at ``now`` (``set_now`` first); the
    model's transitions are settled only if no rule failed, so a failed evaluation
    reports them again next time."""
    set_now = getattr(model, "set_now", None)
    if set_now is not None:
        set_now(now)
    ids = [r.id for r in engine.plugin_rules(plugin)]
    failures = sum(engine.rule_failures[i] for i in ids)
    out = engine.evaluate(plugin, model, now)
    settle = getattr(model, "settle", None)
    if settle is not None and sum(engine.rule_failures[i] for i in ids) == failures:
        settle()
    return out


@dataclass(frozen=True)
class AlarmDelta:
    """What changed for the views: alarms (copies) changed since the last delta, the
    whole summary now, and each plugin's view changes (plugin -> changed entries of its
    model's ``view()``).  ``full_views``: ``views`` holds whole views, not changes (the
    first delta after a start or a reload): a view replaces what it had."""

    changed: list[Alarm]
    summary: Summary
    views: dict[str, dict] = field(default_factory=dict)
    full_views: bool = False


@dataclass
class _Situated:
    plugin: str
    topic: str
    model: Any


class _Call:
    def __init__(self, fn: Callable[[], list[Transition]]):
        self.fn = fn
        self.future: Future = Future()


_RELOAD = object()
_STOP = object()


class SituationService:
    """See the module docstring.  ``writer`` is the app's
    :class:`~ioc_desktop.store.writer.StoreWriter` (already open)."""

    def __init__(self, writer, plugins: Iterable[Plugin], *,
                 on_delta: Callable[[AlarmDelta], None] | None = None,
                 clock: Callable[[], float] = time.time, tick_s: float = TICK_S,
                 delta_interval_s: float = DELTA_INTERVAL_S):
        self.writer = writer
        self.plugins = [p for p in plugins if p is not None]
        self.on_delta = on_delta
        self.clock = clock
        self.tick_s = tick_s
        self.delta_interval_s = delta_interval_s
        self.engine = AlarmEngine()
        self.models: dict[str, _Situated] = {}
        self.model_failures = 0
        self._queue: collections.deque = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._schema_conn = None             # the writer connection the tables exist on
        self._changed: dict[str, Alarm] = {}  # for the next delta
        self._views: dict[str, dict] = {}     # plugin -> the last view computed
        self._view_changes: dict[str, dict] = {}   # plugin -> view changes, next delta
        self._full_views = False
        self._listening = False
        self.ready = threading.Event()       # set once a start restored the engine
        #: set once a start's snapshot of the cache (the point its models start from)
        #: is queued on the writer: a batch submitted to the writer after it is
        #: committed after that point, so the models get it as a batch (a feed may
        #: start then, not only once they are ready)
        self.load_queued = threading.Event()
        # relayed alarm actions: the latest ignored (action id, reason), those applied,
        # those waiting for their alarm to be raised here ((deadline, action))
        self.relay_ignored: collections.deque = collections.deque(maxlen=RELAY_IGNORED_KEPT)
        self.relay_applied = 0
        self._deferred: list[tuple[float, RelayedAction]] = []
        self._retry_timer: threading.Timer | None = None
        self.worker = Worker("ioc-situation", self._run)

    # ------------------------------------------------------------ life cycle (any thread)
    def start(self) -> None:
        if not self._listening:
            self.writer.add_listener(self._on_commit)
            self.writer.add_listener(self._on_relay_commit)
            self._listening = True
        self.worker.start()

    def restart(self) -> None:
        """Run again after the thread died (the supervisor calls this): the engine and
        the models are rebuilt from the journal and the cache."""
        if not self.worker.is_alive():
            self.ready.clear()
            self.worker.start()

    def reload(self) -> None:
        """Start over from the cache (it was replaced: a new backend epoch)."""
        self._put(_RELOAD)

    def stop(self, timeout: float = 5) -> None:
        self.worker.stopping = True
        self._put(_STOP)
        self.worker.join(timeout)

    def _on_commit(self, batch) -> None:      # writer thread: never wait here
        self._put(batch)

    def _put(self, item) -> None:
        with self._cond:
            self._queue.append(item)
            self._cond.notify()

    # ------------------------------------------------------------ operator actions
    def acknowledge(self, alarm_id: str, *, user: str, reason: str | None = None,
                    action_id: str | None = None) -> Future:
        return self._act("acknowledge", alarm_id, user=user, reason=reason, action_id=action_id)

    def reset(self, alarm_id: str, *, user: str, reason: str | None = None,
              action_id: str | None = None) -> Future:
        return self._act("reset", alarm_id, user=user, reason=reason, action_id=action_id)

    def shelve(self, alarm_id: str, *, until: float, reason: str, user: str,
               action_id: str | None = None) -> Future:
        return self._act("shelve", alarm_id, until=until, reason=reason, user=user,
                         action_id=action_id)

    def unshelve(self, alarm_id: str, *, user: str, reason: str | None = None,
                 action_id: str | None = None) -> Future:
        return self._act("unshelve", alarm_id, user=user, reason=reason, action_id=action_id)

    def remove_from_service(self, alarm_id: str, *, reason: str, user: str,
                            action_id: str | None = None) -> Future:
        return self._act("remove_from_service", alarm_id, reason=reason, user=user,
                         action_id=action_id)

    def return_to_service(self, alarm_id: str, *, user: str, reason: str | None = None,
                          action_id: str | None = None) -> Future:
        return self._act("return_to_service", alarm_id, user=user, reason=reason,
                         action_id=action_id)

    def silence(self, priority: int | None, *, until: float, user: str,
                reason: str | None = None, action_id: str | None = None) -> Future:
        return self._act("silence", priority, until=until, user=user, reason=reason,
                         action_id=action_id)

    def _act(self, name: str, target, **kwargs) -> Future:
        """Run ``engine.<name>(target, now=…, **kwargs)`` on the service's thread."""
        call = _Call(lambda: getattr(self.engine, name)(target, now=self.clock(), **kwargs))
        self._put(call)
        return call.future

    # ------------------------------------------------------------ relayed alarm actions
    def apply_relayed(self, key: str, data: Any) -> Future:
        """Apply one relayed action (an event of the relay topic: its key and data) on
        the service's thread; a future of the transitions (none when it was ignored:
        see ``relay_ignored``).  Committed batches of the relay topic come this way
        on their own (the writer listener)."""
        call = _Call(lambda: self._apply_relayed_items([(key, data)]))
        self._put(call)
        return call.future

    def _on_relay_commit(self, batch) -> None:      # writer thread: never wait here
        changes = batch.topics.get(RELAY_TOPIC)
        if changes is None:
            return
        items: list[tuple[Any, Any]] = []
        for ev in changes.events:
            if ev.op == "upsert":
                items.append((ev.key, ev.data))
            elif ev.op == "snapshot" and isinstance(ev.data, list):
                items.extend((it.get("key"), it.get("data")) for it in ev.data
                             if isinstance(it, dict))
        if items:
            self._put(_Call(lambda: self._apply_relayed_items(items)))

    def _apply_relayed_items(self, items: list[tuple[Any, Any]]) -> list[Transition]:
        now = self.clock()
        out: list[Transition] = []
        for key, data in items:
            try:
                action = parse_relayed(key, data)
            except (ValueError, TypeError) as exc:
                self._ignore_relayed(key, f"malformed: {exc}")
                continue
            out += self._apply_relayed(action, now)
        return out

    def _apply_relayed(self, action: RelayedAction, now: float, *,
                       retried: bool = False) -> list[Transition]:
        engine = self.engine
        seen = getattr(engine, "_seen", None)
        if seen is not None and seen(action.action_id):
            return []       # this console's own, or relayed before: applied once
        try:
            if action.action == "silence":
                if action.until is None or action.until <= now:
                    return self._ignore_relayed(action.action_id, "the silence is already over")
                out = engine.silence(action.priority, until=action.until, user=action.user,
                                     now=now, reason=action.reason, action_id=action.action_id)
            else:
                alarm = engine.get(action.alarm_id)
                if alarm is None:
                    return self._relayed_unknown(action, now, retried)
                if (action.action in ("acknowledge", "reset") and alarm.raised_at is not None
                        and action.at < alarm.raised_at - RELAY_STALE_S):
                    return self._ignore_relayed(action.action_id, f"stale: {action.alarm_id} was "
                                                "raised again after the action")
                kwargs: dict[str, Any] = {"user": action.user, "now": now,
                                          "reason": action.reason, "action_id": action.action_id}
                if action.action == "shelve":
                    if action.until is None or action.until <= now:
                        return self._ignore_relayed(action.action_id, "the shelve is already over")
                    kwargs["until"] = action.until
                out = getattr(engine, action.action)(action.alarm_id, **kwargs)
        except (UnknownAlarm, ValueError, TypeError) as exc:
            return self._ignore_relayed(action.action_id, f"{type(exc).__name__}: {exc}")
        self.relay_applied += 1
        return out

    def _relayed_unknown(self, action: RelayedAction, now: float,
                         retried: bool) -> list[Transition]:
        rule = action.alarm_id.split("/", 1)[0]
        if self.engine.rule(rule) is None:
            return self._ignore_relayed(action.action_id, f"unknown alarm {action.alarm_id!r}: "
                                        "no such alarm rule on this console")
        if (not retried and abs(now - action.at) <= RELAY_RECENT_S
                and len(self._deferred) < RELAY_MAX_DEFERRED):
            # this console may raise it in a moment (its feed or rules lag the sender's)
            self._deferred.append((time.monotonic() + RELAY_DEFER_S, action))
            self._schedule_relay_retry()
            return []
        return self._ignore_relayed(action.action_id, f"unknown alarm {action.alarm_id!r}: "
                                    "not raised on this console")

    def _schedule_relay_retry(self) -> None:
        if self._retry_timer is not None or self.worker.stopping:
            return
        timer = threading.Timer(RELAY_RETRY_S, self._relay_retry_due)
        timer.daemon = True
        self._retry_timer = timer
        timer.start()

    def _relay_retry_due(self) -> None:             # timer thread
        self._retry_timer = None
        if not self.worker.stopping:
            self._put(_Call(self._retry_deferred))

    def _retry_deferred(self) -> list[Transition]:
        waiting, self._deferred = self._deferred, []
        now, out = self.clock(), []
        for deadline, action in waiting:
            if self.engine.get(action.alarm_id) is not None or time.monotonic() >= deadline:
                out += self._apply_relayed(action, now, retried=True)
            else:
                self._deferred.append((deadline, action))
        if self._deferred:
            self._schedule_relay_retry()
        return out

    def _ignore_relayed(self, action_id: Any, reason: str) -> list[Transition]:
        shown = str(action_id)[:100]
        reason = reason[:300]
        log.warning("situation: relayed alarm action %r ignored: %s", shown, reason)
        self.relay_ignored.append((shown, reason))
        return []

    # ------------------------------------------------------------ the thread
    def _run(self) -> None:
        self._start_over()
        next_tick = time.monotonic() + self.tick_s
        last_delta = 0.0
        while True:
            with self._cond:
                while not self._queue:
                    wait = next_tick - time.monotonic()
                    if self._changed or self._view_changes:
                        wait = min(wait, last_delta + self.delta_interval_s - time.monotonic())
                    if wait <= 0 or not self._cond.wait(wait):
                        break
                items = list(self._queue)
                self._queue.clear()
            touched: set[str] = set()
            stop = False
            for item in items:
                if item is _STOP:
                    stop = True         # what came before it is still journaled
                    break
                if item is _RELOAD:
                    self._start_over()  # new models: the batches before are in the state
                    touched = set()
                elif isinstance(item, _Call):
                    self._run_call(item)
                else:
                    touched |= self._feed(item)
            now = self.clock()
            transitions: list[Transition] = []
            for name in touched:
                transitions += evaluate_model(self.engine, name, self.models[name].model, now)
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + self.tick_s
                transitions += self._evaluate_all(now)
                touched = set(self.models)      # views that move with time (ages)
            self._journal(transitions)
            self._update_views(touched, now)
            if stop:
                return
            if (self._changed or self._view_changes) \
                    and time.monotonic() - last_delta >= self.delta_interval_s:
                last_delta = time.monotonic()
                self._emit_delta()

    def _start_over(self) -> None:
        """Rebuild the models and the engine from the cache, in one writer call, which
        also drops the batches queued before it (the state it loads has them)."""
        engine, models = AlarmEngine(), {}
        for plugin in self.plugins:
            try:
                model = plugin.create_model()
                rules = plugin.alarm_rules() if model is not None else []
                if model is not None and plugin.topics:
                    engine.add_rules(plugin.name, rules)
                    models[plugin.name] = _Situated(plugin.name, plugin.topics[0].name, model)
            except Exception:         # one broken plugin must not take the alarms down
                log.exception("situation: plugin %s has no usable model or rules", plugin.name)

        def snapshot(store):
            """On the writer's thread, between two of its commits: the journal's schema,
            then a read transaction on a connection of its own, which sees the cache as
            of this point (WAL) while the writer goes on committing: the feed's first
            batches are not held behind the models' load (~0.3 s of a cold start)."""
            self._ensure_schema(store)
            with self._cond:           # batches before this point are in the state
                self._queue = collections.deque(
                    i for i in self._queue if i is _STOP or isinstance(i, _Call))
            conn = open_reader(store.path)
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            except BaseException:
                conn.close()
                raise
            return conn, dict(store.topics)

        def load(conn, topics):
            history, read = {}, {}
            for name, situated in models.items():
                read_history = getattr(situated.model, "read_history", None)
                if callable(read_history):   # e.g. today's e-ticket hours from the event log
                    try:
                        history[name] = read_history(conn)
                    except Exception:
                        log.exception("situation: history of %s unreadable", name)
                read_state = getattr(situated.model, "read_state", None)
                if callable(read_state):     # e.g. the reports' records from their columns
                    try:
                        rows = read_state(conn)
                    except Exception:        # the decoded state will do
                        log.exception("situation: state of %s unreadable by its model", name)
                        rows = None
                    if rows is not None:
                        read[name] = rows
            decoded = {models[name].topic for name in models if name not in read}
            state = load_state(conn, [spec for topic, spec in topics.items() if topic in decoded])
            return journal.load(conn), journal.action_ids(conn), state, read, history
        marking = self.writer.call(snapshot)
        self.load_queued.set()
        conn, topics = marking.result()
        try:
            alarms, action_ids, state, read, history = load(conn, topics)
        finally:
            conn.close()             # (ends its read transaction)
        engine.restore(alarms, action_ids)
        now = self.clock()
        for name, situated in list(models.items()):
            try:
                if name in read:
                    situated.model.reset_read(read.pop(name), now=now)
                else:
                    situated.model.reset(state.get(situated.topic, {}), now=now)
                if name in history:
                    situated.model.load_history(history[name])
            except Exception:       # dropped until the next start, not retried in a loop
                log.exception("situation: model of %s failed to reset", name)
                del models[name]
        self.engine, self.models = engine, models
        self._changed = {a.id: a for a in engine.alarms()}   # the views start from this
        self._journal(self._evaluate_all(now))
        self._views, self._view_changes, self._full_views = {}, {}, True
        self._update_views(set(models), now)
        self._emit_delta()
        self.ready.set()

    def _feed(self, batch) -> set[str]:
        """Give each model its topic's changes; the plugins to evaluate."""
        touched = set()
        now = self.clock()
        for name, situated in self.models.items():
            changes = batch.topics.get(situated.topic)
            if changes is None:
                continue
            try:
                situated.model.apply_changes(changes, now=now)
            except Exception:
                # the model may be half-updated: count it and go on; its rules still run
                self.model_failures += 1
                log.exception("situation: model of %s failed on a batch", name)
            touched.add(name)
        return touched

    def _evaluate_all(self, now: float) -> list[Transition]:
        out: list[Transition] = []
        for name, situated in self.models.items():
            out += evaluate_model(self.engine, name, situated.model, now)
        return out + self.engine.tick(now)

    def _run_call(self, call: _Call) -> None:
        try:
            transitions = call.fn()
        except Exception as exc:      # an unknown alarm, a bad argument: the caller's
            call.future.set_exception(exc)
            return
        written = self._journal(transitions)
        if written is None:
            call.future.set_result(transitions)
            return

        def done(f: Future) -> None:
            if f.exception() is not None:
                call.future.set_exception(f.exception())
            else:
                call.future.set_result(transitions)
        written.add_done_callback(done)

    # ------------------------------------------------------------ journal and deltas
    def _ensure_schema(self, store) -> None:       # writer thread
        if self._schema_conn is not store.conn:
            with store._tx():
                journal.ensure_schema(store.conn)
            self._schema_conn = store.conn

    def _journal(self, transitions: list[Transition]) -> Future | None:
        """Queue the transitions and the changed alarms for the writer (not waiting)."""
        changed = self.engine.take_changed()
        if not transitions and not changed:
            return None
        for alarm in changed:
            self._changed[alarm.id] = alarm

        def record(store):
            self._ensure_schema(store)
            with store._tx():
                journal.record(store.conn, transitions, changed)
        written = self.writer.call(record)
        written.add_done_callback(_log_failure)
        return written

    def _update_views(self, plugins: Iterable[str], now: float) -> None:
        """Recompute the views of ``plugins``' models; keep what changed for the next
        delta (changes of one plugin merge until it is sent)."""
        for name in plugins:
            situated = self.models.get(name)
            if situated is None:
                continue
            try:
                view = model_view(situated.model, now)
            except Exception:
                self.model_failures += 1
                log.exception("situation: view of %s failed", name)
                continue
            if view is None:
                continue
            changes = view if self._full_views else view_changes(self._views.get(name), view)
            self._views[name] = view
            if changes:
                self._view_changes.setdefault(name, {}).update(changes)

    def view(self, plugin: str) -> dict | None:
        """The last view computed for ``plugin`` (its model's thread wrote it: a copy)."""
        view = self._views.get(plugin)
        return None if view is None else dict(view)

    def _emit_delta(self) -> None:
        changed = sorted(self._changed.values(), key=lambda a: a.id)
        views, full = self._view_changes, self._full_views
        self._changed, self._view_changes, self._full_views = {}, {}, False
        if self.on_delta is not None:
            try:
                self.on_delta(AlarmDelta(changed, self.engine.summary(), views, full))
            except Exception:
                log.exception("situation: delta listener failed")


def _log_failure(f: Future) -> None:
    if f.exception() is not None:
        log.error("situation: journaling alarms failed: %s", f.exception())


__all__ = ["AlarmDelta", "DELTA_INTERVAL_S", "SITUATION_READY_S", "SituationModel", "SituationService", "TICK_S",
           "evaluate_model", "model_view", "view_changes"]
