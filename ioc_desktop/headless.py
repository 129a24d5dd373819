"""The headless command ``sync`` (no Qt at all), and what the headless commands share
(``serve-demo`` runs the demo backend, which lives apart: :mod:`demo_backend.launch`).

main.py has checked every option before calling these.  What goes wrong at run time
(a cache SQLite can't open, a backend that never answers) is told in one line on
stderr in the user's language (:mod:`ioc_desktop.cli_messages`): as a
:class:`CliError`, which main.py prints and exits with, or as a result line here.

``sync`` also delivers the actions queued in the cache's outbox (dispatches made
offline), with the :class:`~ioc_desktop.dispatch.outbox.Outbox` wired to the feed
exactly as the app does (:mod:`ioc_desktop.qt_bridge`): ``connected(client.send)`` when
the link becomes live (every unacknowledged action goes out, with its id), ``on_ack``
for the backend's acks, ``disconnected()`` otherwise.  After ``run_for`` it waits up
to :data:`~ioc_desktop.config.ACK_GRACE` seconds more for the acks it is owed.

Shared alarm actions (protocol extension ``alarm-actions``,
:mod:`ioc_desktop.alarms.sharing`) work as in the app: ``sync`` offers the extension,
takes the relay topic from a backend that accepts it (its situation layer applies the
other consoles' actions to the cache's journal), and delivers the queued alarm actions
(``ioc-desktop alarms ack …``) only to such a backend; to one that doesn't, they stay
queued.  Its JSON summary says which (``"alarm_sharing"``).
"""
from __future__ import annotations

import json
import logging
import sqlite3
import sys
import threading
import time
from pathlib import Path

from ioc_desktop.alarms import sharing
from ioc_desktop.cli_messages import (CACHE_RECOVERED, CACHE_ROTATED, CACHE_UNUSABLE,
                                      DELIVERED_MANY, DELIVERED_ONE, DELIVERED_REFUSED,
                                      EXIT_FILE, EXIT_NEVER_CONNECTED, EXIT_OK,
                                      EXIT_UNAUTHORISED, NEVER_CONNECTED, NO_ANSWER,
                                      NOT_AUTHORISED, PLUGIN_DISABLED, STILL_QUEUED, CliError,
                                      emit, feed_reason, os_reason, say)
from ioc_desktop.config import ACK_GRACE
from ioc_desktop.dispatch.outbox import (DONE, REFUSED, SENT, UNACKED, ActionState, Outbox,
                                         normalise_user, remember_user)
from ioc_desktop.feed.client import FeedClient, FeedState, FeedStatus
from ioc_desktop.plugin_api import load_plugins, topic_map
from ioc_desktop.situation import SITUATION_READY_S, SituationService
from ioc_desktop.store.writer import StoreWriter
from ioc_desktop.workers import Supervisor

log = logging.getLogger(__name__)

#: How many distinct refusal reasons the delivery line quotes (each cut to this length).
QUOTED_REASONS, REASON_LEN = 3, 120


def plugins_or_report():
    """The plugins that load; each one that doesn't is said in one line on stderr."""
    loaded = load_plugins()
    for lp in loaded:
        if lp.error:
            emit(say(PLUGIN_DISABLED, name=lp.name, error=lp.error))
    return [lp.plugin for lp in loaded if lp.plugin]


def reason_of(exc: BaseException) -> str:
    """An exception as the end of a one-line message (an OS error in the user's words)."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    return str(exc) or type(exc).__name__


# ------------------------------------------------------------------------ sync
class _Delivery:
    """What became of the queued actions during one sync (fed by ``Outbox.on_change``,
    on the writer thread)."""

    def __init__(self, waiting: list[ActionState]):
        self._lock = threading.Lock()
        self.queued = len(waiting)
        self.states = {st.id: st.state for st in waiting}
        self.errors: dict[str, str] = {}
        self.frames = 0                 # action frames sent (resends after a reconnect too)

    def changed(self, st: ActionState) -> None:
        with self._lock:
            if st.id not in self.states:          # carried over from a rotated cache
                self.queued += 1
            self.states[st.id] = st.state
            if st.state == SENT:
                self.frames += 1
            elif st.state == REFUSED:
                self.errors[st.id] = st.error or ""

    def owed(self) -> int:
        """Sent and not acknowledged yet."""
        with self._lock:
            return sum(1 for s in self.states.values() if s == SENT)

    def summary(self) -> dict:
        with self._lock:
            states = list(self.states.values())
            return {"queued": self.queued, "done": states.count(DONE),
                    "refused": states.count(REFUSED),
                    "unacknowledged": sum(1 for s in states if s in UNACKED),
                    "sent": self.frames}

    def line(self) -> str | None:
        """"delivered 3 queued actions (1 refused: …); …", or None if none was queued."""
        s = self.summary()
        if not s["queued"]:
            return None
        delivered = s["done"] + s["refused"]
        parts = []
        if delivered:
            parts.append(say(DELIVERED_ONE) if delivered == 1 else say(DELIVERED_MANY, n=delivered))
        if s["refused"]:
            with self._lock:
                reasons = list(dict.fromkeys(e[:REASON_LEN] for e in self.errors.values()))
            quoted = "; ".join(reasons[:QUOTED_REASONS]) + ("; …" if len(reasons) > QUOTED_REASONS else "")
            parts[0] += " " + say(DELIVERED_REFUSED, n=s["refused"], reasons=quoted)
        if s["unacknowledged"]:
            parts.append(say(STILL_QUEUED, n=s["unacknowledged"]))
        return "; ".join(parts)


def sync(server: str, token: str, cache: Path, run_for: float, quiet: bool = False,
         retention_days: float | None = None) -> int:
    """Fill a cache from a backend for ``run_for`` seconds (preparing a laptop for
    offline) and deliver the actions queued in it; with ``retention_days``, the cache
    keeps that many days of history (ioc_desktop.store.retention).  Exit codes:
    cli_messages."""
    plugins = plugins_or_report()
    topics = topic_map(plugins)
    try:
        writer = StoreWriter(cache, topics.values(), retention_days=retention_days)
    except (sqlite3.Error, OSError) as exc:
        raise CliError(EXIT_FILE, CACHE_UNUSABLE, option="--cache", path=cache,
                       reason=reason_of(exc)) from None
    outbox = situation = None
    try:
        if writer.recovered_from:
            emit(say(CACHE_RECOVERED, path=cache, moved=writer.recovered_from))
        try:
            outbox = Outbox(writer, topics=[*topics.values(), sharing.TOPIC_SPEC])
            delivery = _Delivery(outbox.pending().result(30))
        except (sqlite3.Error, OSError, RuntimeError) as exc:
            raise CliError(EXIT_FILE, CACHE_UNUSABLE, option="--cache", path=cache,
                           reason=reason_of(exc)) from None
        outbox.on_change = delivery.changed
        # the alarms follow what is synced, so the cache carries their journal too
        situation = SituationService(writer, plugins)
        situation.start()
        # the feed starts once the models' snapshot of the cache is queued (see FeedService)
        if not situation.load_queued.wait(SITUATION_READY_S):
            log.error("the situation layer is not ready after %s s; syncing anyway",
                      SITUATION_READY_S)
        return _run_sync(server, token, cache, run_for, quiet, writer, outbox, delivery, topics,
                         situation)
    finally:
        if situation is not None:
            situation.stop()         # its last journal entries reach the writer first
        if outbox is not None:
            outbox.close()           # queued writes reach the writer before it closes
        writer.close()


def _run_sync(server, token, cache, run_for, quiet, writer, outbox, delivery, topics,
              situation) -> int:
    states: list[FeedState] = []
    shared: list[bool] = []              # per session: did the backend take alarm-actions
    went_live = threading.Event()
    unauthorised = threading.Event()
    holder: dict = {}

    def on_status(state: FeedState):
        previous = states[-1].status if states else None
        states.append(state)
        if state.status == FeedStatus.LIVE:
            went_live.set()
            if previous != FeedStatus.LIVE:   # a new session: resend what is unacknowledged
                relays = sharing.EXTENSION in state.extensions
                shared.append(relays)
                user = normalise_user(state.user)

                def remember(store):
                    # as the app: who this token is, for offline work on this cache
                    # (alarms ack …), and whether this backend shares alarm actions
                    remember_user(store, user, token)
                    store.set_meta(**{sharing.META_KEY:
                                      sharing.SHARED if relays else sharing.LOCAL_ONLY})
                writer.call(remember)
                # alarm actions go only to a backend that relays them; else they wait
                outbox.connected(holder["client"].send,
                                 held_topics=() if relays else (sharing.TOPIC,))
        else:
            outbox.disconnected()
            if state.status == FeedStatus.UNAUTHORISED:
                unauthorised.set()
        if not quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {state.status.value} {state.detail}",
                  file=sys.stderr, flush=True)

    def on_message(msg: dict):
        if msg.get("type") == "ack":
            outbox.on_ack(msg)

    def on_rotated(archived):
        # The backend's log changed: the cache was replaced by an empty one.  Actions
        # not yet acknowledged move to the new one (before the link goes live).
        outbox.carry_over(archived)
        situation.reload()
        emit(say(CACHE_ROTATED, path=archived))

    client = FeedClient(server, token, writer, {**topics, sharing.TOPIC: sharing.TOPIC_SPEC},
                        on_status=on_status, on_message=on_message, on_rotated=on_rotated,
                        extension_topics={sharing.TOPIC: sharing.EXTENSION})
    holder["client"] = client
    client.start()
    # The same supervision as the app's: a worker that dies is said and restarted (a
    # restarted writer makes the feed resubscribe: nothing is lost).
    def worker_failed(name, why):
        print(f"[{time.strftime('%H:%M:%S')}] {name} thread stopped ({why}); restarting",
              file=sys.stderr, flush=True)

    def restart_writer():
        writer.restart()
        client.resync()
    supervisor = Supervisor(worker_failed, lambda name: None)
    supervisor.watch("writer", writer.worker, restart_writer)
    supervisor.watch("feed", client.worker, client.restart)
    supervisor.watch("situation", situation.worker, situation.restart)
    supervisor.start()
    try:
        deadline = time.monotonic() + run_for
        while time.monotonic() < deadline and not unauthorised.is_set():
            time.sleep(0.05)
        # the acks owed for actions sent: a little longer, bounded
        grace_end = time.monotonic() + ACK_GRACE
        while delivery.owed() and time.monotonic() < grace_end and not unauthorised.is_set():
            time.sleep(0.05)
        final = states[-1] if states else None
        last_problem = next((s for s in reversed(states)
                             if s.status not in (FeedStatus.LIVE, FeedStatus.OFFLINE)
                             and (s.detail or getattr(s, "reason", None))), None)
    finally:
        supervisor.stop()
        client.stop()
    try:
        writer.flush()
        cursors = writer.call(lambda s: s.cursors()).result(30)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        raise CliError(EXIT_FILE, CACHE_UNUSABLE, option="--cache", path=cache,
                       reason=reason_of(exc)) from None
    summary = {"server": server, "cache": str(cache), "cursors": cursors,
               "events": writer.events_committed, "rejected": client.counters.rejected,
               "duplicates": client.counters.duplicates, "gaps": client.counters.gaps,
               "status": final.status.value if final else "none",
               "actions": delivery.summary(),
               "alarm_sharing": (sharing.SHARED if shared[-1] else sharing.LOCAL_ONLY)
               if shared else None}
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    line = delivery.line()
    if line:
        emit(line)
    if unauthorised.is_set():
        emit(say(NOT_AUTHORISED, server=server))
        return EXIT_UNAUTHORISED
    if not went_live.is_set():
        why = getattr(last_problem, "reason", None)
        if str(getattr(why, "value", why)) == "cache_unusable":
            raise CliError(EXIT_FILE, CACHE_UNUSABLE, option="--cache", path=cache,
                           reason=last_problem.detail or "?")
        reason = feed_reason(last_problem) if last_problem else say(NO_ANSWER, seconds=f"{run_for:g}")
        emit(say(NEVER_CONNECTED, server=server, reason=reason))
        return EXIT_NEVER_CONNECTED
    return EXIT_OK
