"""The bridge between the worker threads and the GUI thread (QtCore only, no widgets).

``FeedService`` owns the store writer, the feed client, a reader thread and, when it
is given no server, the backend the composition root embeds (the demo backend, which
the core never imports: see ``embedded_backend``).  Nothing here blocks the GUI
thread: opening the cache (which may check a large file), loading the state and every
query run on workers, and results come back through queued signals.  Committed
batches are coalesced so that the GUI handles at most one per frame.

It also owns the durable outbox of user actions (:mod:`ioc_desktop.dispatch.outbox`):
:meth:`FeedService.submit_action` queues one (checked first by its topic's local rule,
against the user's roles), the outbox sends every unacknowledged action again whenever
the link becomes live, and the backend's acks make them done or refused
(``actionChanged``).

Who the user is: the backend's ``welcome`` names the user and their roles.  The last
announcement is kept in the cache (meta ``user``, tied to a hash of the token), so that
offline — in review mode or while the backend is down — the same token keeps the roles
it last had on this cache; a token the cache has never seen announced has no roles and
can queue nothing.  The backend re-checks every action when it arrives.

Alarms: once the state is loaded it starts the situation layer
(:class:`~ioc_desktop.situation.SituationService`: the plugins' models and the alarm
engine, on their own supervised thread); its deltas reach the GUI through
``alarmsChanged`` and operator actions go in through :meth:`FeedService.alarm_action`:
applied on this console at once (journaled with the user and an action id) and, when
the backend speaks the protocol extension ``alarm-actions``
(:mod:`ioc_desktop.alarms.sharing`), queued in the outbox with that id and relayed by
the backend to every console, which applies it once.  ``alarm_sharing`` (and
``alarmSharingChanged``) says which: ``"shared"``, ``"local-only"`` (the backend
doesn't relay them) or ``"offline-queued"`` (no link: queued for the next one).
"""
from __future__ import annotations

import itertools
from concurrent.futures import Future
from dataclasses import replace
import logging
import queue
import threading
import time
from pathlib import Path
from typing import Any, Callable

from PySide6 import QtCore

from ioc_desktop.alarms import sharing
from ioc_desktop.config import ClientConfig
from ioc_desktop.dispatch.outbox import (ActionState, Outbox, known_user, normalise_user,
                                         read_actions, remember_user)
from ioc_desktop import gcpolicy, malloc_policy
from ioc_desktop.feed.client import FeedClient, FeedState, FeedStatus, Reason
from ioc_desktop.plugin_api import ActionRefused, Plugin, topic_map
from ioc_desktop.situation import SITUATION_READY_S, SituationService
from ioc_desktop.store.batch import CommittedBatch, merge_batches
from ioc_desktop.store.store import load_state, open_reader
from ioc_desktop.store.writer import StoreWriter
from ioc_desktop.workers import Supervisor, Worker

log = logging.getLogger(__name__)
#: How long after the state is loaded start-up is frozen out of full collections
#: (ioc_desktop.gcpolicy.freeze_after_start)
FREEZE_AFTER_MS = 3000
FRAME_MS = 100   # the GUI takes committed changes at most ten times a second

#: ``start(config, plugins) -> backend``: starts the backend the client uses when it has
#: no server and isn't offline (``main.py`` hands in the demo backend's), on the
#: service's start thread; the backend has ``url() -> str`` and ``stop(timeout)``.
EmbeddedBackend = Callable[[ClientConfig, list[Plugin]], Any]


class _Reader:
    """Runs read-only queries on the cache, one at a time, off the GUI thread."""

    def __init__(self, path: Path, done: Callable[[int, Any, str | None], None]):
        self.path = path
        self.done = done
        self.jobs: queue.Queue = queue.Queue()
        self.conn = None
        self.worker = Worker("ioc-cache-reader", self._run)

    def start(self) -> None:
        self.worker.start()

    def restart(self) -> None:
        """After the thread died: a new connection, the queued jobs kept."""
        if not self.worker.is_alive():
            self.conn = None
            self.worker.start()

    def stop(self, timeout: float = 5) -> None:
        self.worker.stopping = True
        self.jobs.put(None)
        self.worker.join(timeout)

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                break
            req_id, fn = job
            try:
                if self.conn is None:
                    self.conn = open_reader(self.path)
                self.done(req_id, fn(self.conn), None)
            except Exception as exc:  # reported to the caller, the reader goes on
                log.warning("cache query failed: %s", exc)
                self.done(req_id, None, f"{type(exc).__name__}: {exc}")

    def reopen(self) -> None:
        """After the cache file was replaced (rotation), read the new one."""
        def _reset(conn):
            conn.close()
            self.conn = None
        self.jobs.put((-1, _reset))


class InCache(dict):
    """In ``stateLoaded`` at start: this topic's state is in the cache, not here (an
    empty dict): a GUI that declared the topic in its ``state_in_cache`` reads what it
    needs through SQL (``context.run_read``)."""

    in_cache = True

    def __init__(self, topic: str):
        super().__init__()
        self.topic = topic


class FeedService(QtCore.QObject):
    started = QtCore.Signal(object)          # dict: cache path, recovered_from, server url
    stateLoaded = QtCore.Signal(object)      # {topic: {key: data}} + "__received__" ages
    batchCommitted = QtCore.Signal(object)   # CommittedBatch, merged per frame
    statusChanged = QtCore.Signal(object)    # FeedState
    cacheRotated = QtCore.Signal(str)        # path of the archived cache
    # the background check found the cache damaged: (where it was moved, why); a new
    # one took its place (empty: the feed resends)
    cacheRecovered = QtCore.Signal(str, str)
    failed = QtCore.Signal(str)              # the service could not start (message)
    message = QtCore.Signal(object)          # ack / error frames from the backend
    actionChanged = QtCore.Signal(object)    # ActionState: queued, sent, done, refused
    alarmsChanged = QtCore.Signal(object)    # situation.AlarmDelta: changed alarms + summary
    # alarm_sharing changed: "shared", "local-only" or "offline-queued" (alarms.sharing)
    alarmSharingChanged = QtCore.Signal(str)
    # A worker thread (feed, writer, reader, media) died: (worker, technical reason).
    # The service shows FAILED (statusChanged) and restarts it; workerRestarted(worker)
    # follows when it runs again.  Never LIVE over a dead thread.
    workerFailed = QtCore.Signal(str, str)
    workerRestarted = QtCore.Signal(str)
    _queryDone = QtCore.Signal(int, object, object)
    _mediaDone = QtCore.Signal(int, object)
    _kick = QtCore.Signal()

    def __init__(self, config: ClientConfig, plugins: list[Plugin], parent=None, *,
                 embedded_backend: EmbeddedBackend | None = None,
                 situation_options: dict | None = None):
        """``situation_options``: keyword arguments for the
        :class:`~ioc_desktop.situation.SituationService` (``clock``, ``tick_s``: tests
        drive the alarms' time)."""
        super().__init__(parent)
        self._situation_options = dict(situation_options or {})
        self._stopped = False
        self._starter: threading.Thread | None = None
        self.config = config
        self.plugins = plugins
        self.topics = topic_map(plugins)
        #: set while the views show a past moment (review): why actions are refused then
        self.review_refusal: str | None = None
        # what the feed and the outbox know besides the plugins' topics: the relay of
        # shared alarm actions (taken only from a backend that accepts the extension;
        # no state table: its events stay in the cache's log)
        self.feed_topics = {**self.topics, sharing.TOPIC: sharing.TOPIC_SPEC}
        self._alarm_sharing = sharing.OFFLINE_QUEUED
        self._sharing_remembered: str | None = None
        self.writer: StoreWriter | None = None
        self.client: FeedClient | None = None
        self.backend = None                  # the embedded backend, once started
        self._embedded_backend = embedded_backend
        self.reader: _Reader | None = None
        self.server_url: str | None = config.server
        self.state = FeedState(status=FeedStatus.OFFLINE if config.offline else FeedStatus.CONNECTING)
        self.last_received: dict[str, float] = {}
        self.rejected_total = 0
        self._pending: list[CommittedBatch] = []
        self._pending_lock = threading.Lock()
        self._callbacks: dict[int, Callable] = {}
        self._ids = itertools.count(1)
        self._flush_timer = QtCore.QTimer(self, singleShot=True, interval=FRAME_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._kick.connect(self._on_kick)
        self._queryDone.connect(self._on_query_done)
        self._mediaDone.connect(self._on_media_done)
        self.media = None
        self.outbox: Outbox | None = None
        self.situation: SituationService | None = None
        self._user: dict = {"name": "", "roles": []}
        self.user_source = "none"            # "live" (welcome), "cache" (last welcome) or "none"
        self.statusChanged.connect(self._remember_state)
        # once the state is loaded, what start-up made is kept out of full collections
        self.stateLoaded.connect(self._freeze_start_up, QtCore.Qt.ConnectionType.SingleShotConnection)
        self.supervisor: Supervisor | None = None
        self.dead_workers: dict[str, str] = {}      # worker -> why, while it is down
        #: Topics whose state the GUIs read from the cache themselves (set before
        #: :meth:`start`, e.g. by the main window from its plugin GUIs'
        #: ``state_in_cache``): at start ``stateLoaded`` carries for each an empty
        #: :class:`InCache` instead of every row decoded (thousands of reports).
        self.cache_read_topics: set[str] = set()

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        # the collector's thresholds for a process that streams objects (offline too:
        # a review's jumps and the cache reads make as many), once per process
        gcpolicy.apply()
        # large freed arrays kept for reuse, not faulted in again (a graph frame's)
        malloc_policy.apply()
        self._starter = threading.Thread(target=self._start_worker, name="ioc-start", daemon=True)
        self._starter.start()

    def _from_worker(self, signal, *args) -> None:
        """Emit from a worker thread unless the service is stopping: a signal emitted
        into a QObject that Qt is destroying crashes the process."""
        if not self._stopped:
            signal.emit(*args)

    def _start_worker(self) -> None:
        try:
            self.writer = StoreWriter(self.config.cache, self.topics.values(),
                                      on_commit=self._on_commit,
                                      # offline nothing is added: nothing is taken
                                      # away either (an archived cache under review)
                                      retention_days=None if self.config.offline else
                                      getattr(self.config, "retention_days", None))
            self.outbox = Outbox(self.writer, topics=self.feed_topics.values(),
                                 on_change=self.actionChanged.emit)
            token = self.config.token
            known = self.writer.call(lambda store: known_user(store, token)).result()
            self._sharing_remembered = self.writer.call(
                lambda store: store.meta(sharing.META_KEY)).result()
            self._set_alarm_sharing(sharing.status(False, None, self._sharing_remembered))
            if known is not None and self.user_source == "none":
                self._user, self.user_source = known, "cache"
            if not self.config.offline and not self.config.server:
                self.server_url = self._start_embedded_backend()
            self.reader = _Reader(Path(self.config.cache),
                                  lambda *a: self._from_worker(self._queryDone, *a))
            self.reader.start()
            info = {"cache": str(self.config.cache), "server": self.server_url,
                    "recovered_from": str(self.writer.recovered_from or "") or None}
            self._from_worker(self.started, info)
            check = getattr(self.writer.store, "integrity", None)
            if check is not None:
                check.when_done(self._on_checked)
            self._load_state()
            self.situation = SituationService(
                self.writer, self.plugins,
                on_delta=lambda delta: self._from_worker(self.alarmsChanged, delta),
                **self._situation_options)
            self.situation.start()
            # the feed starts once the models' snapshot of the cache is queued on the writer:
            # a batch committed before it would only be in that state, and a crossing
            # between two fixes in it would be lost (a reset infers none); one committed
            # after it reaches the models as a batch.  Not once they are ready: connecting,
            # subscribing and the first frames overlap their load (~0.3 s of a cold start)
            if not self.situation.load_queued.wait(SITUATION_READY_S):
                log.error("the situation layer is not ready after %s s; the feed starts anyway",
                          SITUATION_READY_S)
            if not self.config.offline:
                self.client = FeedClient(self.server_url, self.config.token, self.writer,
                                         self.feed_topics, on_status=self._on_feed_status,
                                         on_rotated=self._on_rotated,
                                         on_message=self._on_feed_message,
                                         extension_topics={sharing.TOPIC: sharing.EXTENSION})
                self.client.start()
            else:
                self._from_worker(self.statusChanged, FeedState(status=FeedStatus.OFFLINE, detail="review mode",
                                                                reason=Reason.REVIEW))
            # after the feed: nothing shown first needs a picture (fetch_media waits for it)
            from ioc_desktop.media import MediaFetcher
            self.media = MediaFetcher(None if self.config.offline else self.server_url, self.writer,
                                      token=self.config.token,
                                      media_origins=tuple(self.config.media_origins))
            self._supervise()
        except Exception as exc:
            log.exception("feed service failed to start")
            detail = f"{type(exc).__name__}: {exc}"
            self._from_worker(self.failed, detail)
            # Never CONNECTING over a service that can't run: say what failed.
            reason, args = Reason.INTERNAL_ERROR, {}
            if self.writer is None:
                reason, args = Reason.CACHE_UNUSABLE, {"path": str(self.config.cache)}
            self._from_worker(self.statusChanged, FeedState(
                status=FeedStatus.FAILED, detail=detail, server=self.server_url or "",
                reason=reason, reason_args=args))

    def _supervise(self) -> None:
        """Watch every worker thread: a dead one is shown (FAILED) and restarted."""
        sup = self.supervisor = Supervisor(self._worker_failed, self._worker_restarted)
        writer, client, reader, media = self.writer, self.client, self.reader, self.media
        situation = self.situation

        def restart_writer():
            writer.restart()
            if client is not None:
                client.resync()     # what the dead writer had taken is sent again
        sup.watch("writer", writer.worker, restart_writer)
        if client is not None:
            sup.watch("feed", client.worker, client.restart)
        sup.watch("reader", reader.worker, reader.restart)
        if situation is not None:
            sup.watch("situation", situation.worker, situation.restart)
        if media is not None and hasattr(media, "worker"):
            sup.watch("media", media.worker, media.restart)
        sup.start()

    def _worker_failed(self, name: str, reason: str) -> None:   # supervisor thread
        self.dead_workers[name] = reason
        self._from_worker(self.workerFailed, name, reason)
        self._from_worker(self.statusChanged, self._failed_state())

    def _worker_restarted(self, name: str) -> None:            # supervisor thread
        self.dead_workers.pop(name, None)
        self._from_worker(self.workerRestarted, name)
        if self.dead_workers:
            self._from_worker(self.statusChanged, self._failed_state())
        elif self.client is not None:
            self._from_worker(self.statusChanged, self.client.state)
        else:
            self._from_worker(self.statusChanged, FeedState(status=FeedStatus.OFFLINE,
                                                            detail="review mode", reason=Reason.REVIEW))

    def _failed_state(self) -> FeedState:
        name, why = next(iter(self.dead_workers.items()))
        base = self.client.state if self.client is not None else FeedState()
        return replace(base, status=FeedStatus.FAILED, detail=f"{name} thread: {why}",
                       reason=Reason.WORKER_DIED, reason_args={"worker": name})

    def _start_embedded_backend(self) -> str:
        if self._embedded_backend is None:
            raise RuntimeError("no server given and no embedded backend to start")
        self.backend = self._embedded_backend(self.config, self.plugins)
        return self.backend.url()

    def _load_state(self) -> None:
        """The cached state for the GUIs, read on the writer (no batch commits
        meanwhile): every topic's rows, except those in ``cache_read_topics``, which
        the GUIs read through SQL themselves (an empty :class:`InCache` stands for
        each)."""
        lazy = set(self.cache_read_topics)

        def load(store):
            specs = [spec for name, spec in store.topics.items() if name not in lazy]
            state = load_state(store.conn, specs)
            for name in store.topics:
                if name in lazy:
                    state[name] = InCache(name)
            received = dict(store.conn.execute("SELECT topic, updated_at FROM cursors"))
            total = store.conn.execute("SELECT count(*) FROM rejected").fetchone()[0]
            return state, received, total
        state, received, total = self.writer.call(load).result()
        self.last_received.update(received)
        self.rejected_total = total
        self._from_worker(self.stateLoaded, state)

    def _on_checked(self, check) -> None:        # the check's thread
        """The background check of the cache is over: a damaged file is moved aside
        and a new one started, as at opening, and said (``cacheRecovered``)."""
        if check.error is None or self._stopped or self.writer is None:
            return
        log.error("the cache is damaged (%s): moving it aside", check.error)
        future = self.writer.call(lambda store: store.recover_if_corrupt())

        def done(f: Future) -> None:              # the writer's thread
            if f.exception() is not None or f.result() is None:
                return
            self._on_recovered(str(f.result()), check.error)
        future.add_done_callback(done)

    def _on_recovered(self, archived: str, reason: str) -> None:
        if self.outbox:
            try:        # the unacknowledged actions, if the damaged file still gives them
                self.outbox.carry_over(archived)
            except Exception:
                log.exception("actions of the damaged cache not carried over")
        if self.reader:
            self.reader.reopen()
        if self.situation:
            self.situation.reload()
        if self.client:
            self.client.resync()        # resume from the new cache's (empty) cursors
        self.last_received.clear()
        self.rejected_total = 0
        self._from_worker(self.cacheRecovered, archived, reason)
        self._from_worker(self.stateLoaded, {t: {} for t in self.topics})

    def _on_rotated(self, archived) -> None:
        # The backend's log changed: the cache was replaced by an empty one.  Actions
        # not yet acknowledged move to the new one (before the link goes live).
        if self.outbox:
            self.outbox.carry_over(archived)
        if self.reader:
            self.reader.reopen()
        if self.situation:
            self.situation.reload()     # the alarms of the old epoch stay in its file
        self.last_received.clear()
        self.rejected_total = 0
        self._from_worker(self.cacheRotated, str(archived))
        self._from_worker(self.stateLoaded, {t: {} for t in self.topics})

    def stop(self) -> None:
        """Stop every worker and wait for them: nothing may call back into this object
        afterwards (it may be destroyed right after)."""
        self._stopped = True
        if self._starter is not None:
            self._starter.join(15)
        if self.supervisor is not None:
            self.supervisor.stop()
        if self.client:
            self.client.stop(5)
        if self.situation:
            self.situation.stop(5)     # its last journal entries reach the writer first
        if self.outbox:
            self.outbox.close()        # queued actions reach the writer before it closes
        if self.writer:
            self.writer.close()
        if self.reader:
            self.reader.stop(5)
        if self.media:
            self.media.close()
            self.media.join(5)
        if self.backend:
            self.backend.stop(5)
        self._release_callbacks()

    def _release_callbacks(self) -> None:
        """Break the reference cycles between this QObject and its workers' callbacks:
        left in place, Python's cycle collector may free it on whichever thread happens
        to allocate — a worker's — and a QObject (with its timers) destroyed off the GUI
        thread crashes Qt later."""
        if self.supervisor is not None:
            self.supervisor.on_failed = self.supervisor.on_restarted = lambda *a: None
        if self.client is not None:
            self.client.on_status = self.client.on_message = self.client.on_rotated = None
        if self.writer is not None:
            self.writer._listeners.clear()
        if self.reader is not None:
            self.reader.done = lambda *a: None
        if self.outbox is not None:
            self.outbox.on_change = None
        if self.situation is not None:
            self.situation.on_delta = None

    def retry_now(self) -> None:
        if self.client:
            self.client.retry_now()

    def set_token(self, token: str) -> None:
        """Use another bearer token (the user typed it after NOT AUTHORISED) and try
        again at once.  The feed and the media downloader both take it."""
        self.config.token = token
        if self.client:
            self.client.token = token
        if self.media is not None and hasattr(self.media, "set_token"):
            self.media.set_token(token)
        self.retry_now()

    def _remember_state(self, state: FeedState) -> None:
        self.state = state

    # ------------------------------------------------------------------ feed thread
    def _on_feed_status(self, state: FeedState) -> None:
        """The feed client's status (its thread): the outbox follows the link."""
        outbox, client = self.outbox, self.client
        if state.status == FeedStatus.LIVE:
            user = normalise_user(state.user)
            self._user, self.user_source = user, "live"
            token = self.config.token
            self.writer.call(lambda store: remember_user(store, user, token))
            shared = sharing.EXTENSION in state.extensions
            if outbox and client:
                # subscribed: resend every unacked action (alarm actions only to a
                # backend that relays them; otherwise they wait, pending)
                outbox.connected(client.send,
                                 held_topics=() if shared else (sharing.TOPIC,))
            self._follow_sharing(shared)
        else:
            if outbox:
                outbox.disconnected()
            self._set_alarm_sharing(sharing.status(False, None, self._sharing_remembered))
        if self.dead_workers and state.status != FeedStatus.FAILED:
            state = self._failed_state()   # a link up over a dead worker is not LIVE
        self._from_worker(self.statusChanged, state)

    def _on_feed_message(self, msg: dict) -> None:
        if self.outbox and msg.get("type") == "ack":
            self.outbox.on_ack(msg)
        self._from_worker(self.message, msg)

    # ------------------------------------------------------------------ actions
    @property
    def user(self) -> dict:
        """``{"name", "roles"}``: from the live ``welcome``, else the last one this token
        got on this cache, else no name and no roles (see ``user_source``)."""
        return {"name": self._user["name"], "roles": list(self._user["roles"])}

    def submit_action(self, topic: str, name: str, key: str, args: dict | None = None, *,
                      data: dict | None = None,
                      lookup: Callable[[str], dict | None] | None = None) -> str:
        """Queue an action for the backend as the current user; returns its id at once.

        Raises :class:`ActionRefused` with the backend's own reason when the topic's
        local rule (:class:`~ioc_desktop.plugin_api.TopicActions`) refuses it for the
        user's roles (or, given the item's ``data``, its state): a viewer can't queue a
        dispatch.  Never touches the disk or the network on this thread;
        ``actionChanged`` follows the action (pending, sent, done or refused).
        """
        if self.outbox is None:
            raise ActionRefused("unavailable", "the cache is not open yet")
        if self.review_refusal is not None:
            raise ActionRefused("review", self.review_refusal)
        return self.outbox.submit(topic, name, key, args or {}, self.user, data=data,
                                  lookup=lookup)

    def actions(self, key: str | None = None,
                callback: Callable[[list[ActionState] | None], None] | None = None, *,
                limit: int = 200) -> None:
        """The newest actions (on one item, or all) off the GUI thread;
        ``callback(list of ActionState)`` on the GUI thread (None if the read failed)."""
        if callback is None:
            raise TypeError("actions() needs a callback")
        self.run_read(lambda conn: read_actions(conn, key=key, limit=limit), callback)

    # ------------------------------------------------------------------ alarms
    ALARM_ACTIONS = ("acknowledge", "reset", "shelve", "unshelve", "remove_from_service",
                     "return_to_service", "silence")

    @property
    def alarm_sharing(self) -> str:
        """Where this console's alarm actions go (for the alarm views to say so):

        * ``"shared"`` — live, and the backend relays them to every console;
        * ``"local-only"`` — the backend (live, or the last one this cache saw) does not
          speak the extension ``alarm-actions``: they are applied and journaled on this
          console only (and not queued for it);
        * ``"offline-queued"`` — no link (connecting, reconnecting, review mode):
          applied here and queued in the outbox; they go out once when the link returns.

        ``alarmSharingChanged(str)`` is emitted when it changes."""
        return self._alarm_sharing

    def _set_alarm_sharing(self, value: str) -> None:       # any thread
        if value != self._alarm_sharing:
            self._alarm_sharing = value
            self._from_worker(self.alarmSharingChanged, value)

    def _follow_sharing(self, shared: bool) -> None:         # feed thread, on LIVE
        value = self._sharing_remembered = sharing.SHARED if shared else sharing.LOCAL_ONLY
        # once a session (the cache may be a new one: a new backend epoch)
        self.writer.call(lambda store: store.set_meta(**{sharing.META_KEY: value}))
        self._set_alarm_sharing(value)

    def alarm_action(self, action: str, target, **kwargs) -> Future:
        """An operator's action on an alarm (``target``: its id; a priority or None for
        ``silence``) as the current user, e.g. ``alarm_action("shelve", alarm_id,
        until=t, reason="maintenance")`` (times in epoch seconds).

        Checked first against the role rules (:func:`ioc_desktop.alarms.sharing.check_action`:
        an operator or a supervisor; out of service and return to service: a supervisor;
        a shelve needs a reason and ``until``): a refusal raises :class:`ActionRefused`
        here, at once, and is recorded in the audit log.  Then applied on this console
        with a new action id (journaled with the user), and — unless ``alarm_sharing``
        is ``"local-only"`` — queued in the outbox with that id, for the backend to
        relay to every console (each applies it once).  Never blocks: returns a Future
        of this console's transitions, resolved once they are journaled and the action
        is queued (an alarm this console doesn't hold: ``UnknownAlarm``; nothing is
        queued then); ``alarmsChanged`` and ``actionChanged`` follow."""
        if action not in self.ALARM_ACTIONS:
            raise ValueError(f"unknown alarm action {action!r}")
        situation, outbox = self.situation, self.outbox
        if situation is None or outbox is None:
            raise ActionRefused("unavailable", "the alarms are not running yet")
        user = self.user
        name = user["name"] or "local operator"
        key, args = sharing.request(action, target, at=situation.clock(), **kwargs)
        action_id = outbox.vet(sharing.TOPIC, action, key, args, user)
        share = self.alarm_sharing != sharing.LOCAL_ONLY
        applied = getattr(situation, action)(target, user=name, action_id=action_id, **kwargs)
        result: Future = Future()

        def queued(f: Future, transitions) -> None:
            if f.exception() is not None:
                result.set_exception(f.exception())
            else:
                result.set_result(transitions)

        def after_local(f: Future) -> None:             # the situation's (or writer's) thread
            if f.exception() is not None:
                result.set_exception(f.exception())
                return
            if not share:
                result.set_result(f.result())
                return
            try:
                _, done = outbox.submit_async(sharing.TOPIC, action, key, args, user,
                                              action_id=action_id)
            except Exception as exc:      # refused now (the rules can't have changed)
                result.set_exception(exc)
                return
            done.add_done_callback(lambda q: queued(q, f.result()))
        applied.add_done_callback(after_local)
        return result

    # ------------------------------------------------------------------ batches
    def _on_commit(self, batch: CommittedBatch) -> None:  # writer thread
        with self._pending_lock:
            first = not self._pending
            self._pending.append(batch)
        if first:
            self._from_worker(self._kick)

    def _freeze_start_up(self, _state) -> None:
        # after the panels took it, and after the first live frame: its full collection
        # (~0.1 s of the GUI thread) was on a cold start's critical path
        QtCore.QTimer.singleShot(FREEZE_AFTER_MS, gcpolicy.freeze_after_start)

    def _on_kick(self) -> None:
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        with self._pending_lock:
            batches, self._pending = self._pending, []
        if not batches:
            return
        merged = merge_batches(batches)
        for topic, ch in merged.topics.items():
            self.last_received[topic] = ch.received_at or time.time()
        self.rejected_total = merged.rejected_total
        self.batchCommitted.emit(merged)

    # ------------------------------------------------------------------ queries
    def query(self, sql: str, params: tuple, callback: Callable[[list | None], None]) -> None:
        """Run a read-only SQL query off the GUI thread; ``callback(rows)`` on the GUI thread.

        The callback always runs: with None when the query failed (the error is logged),
        so that a caller waiting for an answer is never stuck.
        """
        self.run_read(lambda conn: conn.execute(sql, params).fetchall(), callback)

    def run_read(self, fn: Callable[[Any], Any], callback: Callable[[Any], None]) -> None:
        if self.reader is None:
            QtCore.QTimer.singleShot(50, lambda: self.run_read(fn, callback))
            return
        req_id = next(self._ids)
        self._callbacks[req_id] = callback
        self.reader.jobs.put((req_id, fn))

    def fetch_media(self, url: str, callback: Callable[[Any], None]) -> None:
        """Fetch an image from the backend (or its cached copy) off the GUI thread;
        ``callback(MediaResult)`` runs on the GUI thread."""
        if self.media is None:
            QtCore.QTimer.singleShot(100, lambda: self.fetch_media(url, callback))
            return
        req_id = next(self._ids)
        self._callbacks[req_id] = callback
        self.media.fetch(url, lambda result: self._from_worker(self._mediaDone, req_id, result))

    def _on_media_done(self, req_id: int, result) -> None:
        callback = self._callbacks.pop(req_id, None)
        if callback is not None:
            callback(result)

    def _on_query_done(self, req_id: int, result, error) -> None:
        callback = self._callbacks.pop(req_id, None)
        if callback is not None:
            callback(result if error is None else None)
