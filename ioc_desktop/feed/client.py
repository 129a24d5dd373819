"""The feed client: one websocket to the backend, on its own thread and asyncio loop.

It never touches the GUI: it validates what arrives, hands events to the store writer
and reports its state through callbacks (the Qt bridge turns them into queued signals).
"""
from __future__ import annotations

import asyncio
import collections
import enum
import logging
import random
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable
from urllib.parse import urlsplit

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.messages import Assembler
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.frames import Opcode

from ioc_desktop import protocol
from ioc_desktop.config import DEMO_TOKEN  # noqa: F401  (re-exported)
from ioc_desktop.plugin_api import GOOD_TIMES, TopicSpec, ValidationError
from ioc_desktop.protocol import MAX_KEY_LEN, FrameError
from ioc_desktop.store.batch import EventRecord, RejectedRecord, raw_text
from ioc_desktop.store.writer import StoreWriter
from ioc_desktop.workers import Worker

log = logging.getLogger(__name__)


class FeedStatus(str, enum.Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    UNAUTHORISED = "unauthorised"
    OFFLINE = "offline"        # not connected by choice (review mode, stopped)
    FAILED = "failed"          # a worker (feed, writer, reader, media) died or can't run


class Reason(str, enum.Enum):
    """Why the link is in its state: a code the GUI words in the user's language
    (``widgets.feed_status``); ``FeedState.detail`` keeps the technical text (English,
    for the tooltip and logs)."""

    NONE = ""
    CLOSED_BY_SERVER = "closed_by_server"      # args: code
    CONNECTION_LOST = "connection_lost"
    CONNECT_FAILED = "connect_failed"          # args: host, port (refused, DNS, timeout)
    HTTP_STATUS = "http_status"                # args: code (upgrade answered with it)
    NOT_AUTHORISED = "not_authorised"          # args: code (401/403)
    OVERSIZE_FRAME = "oversize_frame"          # args: limit (close 1009)
    PROTOCOL_ERROR = "protocol_error"          # the backend broke the protocol
    INTERNAL_ERROR = "internal_error"          # a bug of ours, caught: the feed goes on
    WORKER_DIED = "worker_died"                # args: worker (feed, writer, reader, media)
    CACHE_UNUSABLE = "cache_unusable"          # args: path
    STOPPED = "stopped"
    REVIEW = "review"                          # offline by choice (--offline)


@dataclass(frozen=True)
class FeedState:
    status: FeedStatus = FeedStatus.CONNECTING
    detail: str = ""                     # technical text of the last error (tooltip, logs)
    attempt: int = 0
    retry_in: float = 0.0
    server: str = ""
    epoch: str | None = None
    user: dict = field(default_factory=dict)
    reason: Reason = Reason.NONE         # what the GUI says, in the user's language
    reason_args: dict = field(default_factory=dict)
    # the extensions the backend's welcome says it speaks (protocol.accepted_extensions)
    extensions: tuple[str, ...] = ()


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


@dataclass
class Backoff:
    """Exponential backoff with full jitter, capped."""

    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * (2 ** max(0, attempt - 1)))
        return ceiling * (0.5 + 0.5 * self.rng.random())


# A session that stayed LIVE this long was healthy: whatever ended it (the server was
# killed, the network dropped), the next attempt starts the backoff over (≤ 0.5 s).
# Shorter sessions — a backend that accepts and drops at once — keep backing off.
HEALTHY_AFTER_S = 1.0
# For this long after a healthy session, retries come at least every second: a backend
# being restarted is back within seconds, and the wall should be too.
QUICK_RETRY_S = 10.0
# A snapshot in parts (extension snapshot-parts) is held in memory until complete.
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
# Unknown fields are kept with the payload; deeper than this they can't be stored
# (orjson writes at most 254 levels), so the event is refused at validation.
_SQLITE_INT = (-(2 ** 63), 2 ** 63 - 1)


class _FrameKinds(Assembler):
    """websockets' message queue, remembering whether each message came as a text or a
    binary frame.  The client reads raw bytes (``recv(decode=False)``) so that a text
    frame of invalid UTF-8 is refused and recorded like any bad frame — websockets would
    otherwise close the connection (1007) and the frame would be lost unrecorded — and
    a binary frame is still told apart and refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds: collections.deque[bool] = collections.deque()   # True: text

    def put(self, frame) -> None:
        super().put(frame)
        if frame.opcode is not Opcode.CONT:
            self.kinds.append(frame.opcode is Opcode.TEXT)

    async def get(self, decode=None):
        data = await super().get(False)
        return data, self.kinds.popleft()


class _Connection(ClientConnection):
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        q = self.recv_messages
        self.recv_messages = _FrameKinds(q.high, q.low, pause=q.pause, resume=q.resume)


class _SnapshotParts:
    """A snapshot arriving in parts (extension snapshot-parts), until its last part."""

    def __init__(self, seq: int, parts: int):
        self.seq = seq
        self.parts = parts
        self.next = 1
        self.items: list = []
        self.bytes = 0


class FeedClient:
    def __init__(self, url: str, token: str, writer: StoreWriter, topics: dict[str, TopicSpec],
                 *, on_status: Callable[[FeedState], None] | None = None,
                 on_rotated: Callable[[Any], None] | None = None,
                 on_message: Callable[[dict], None] | None = None,
                 backoff: Backoff | None = None, open_timeout: float = 10,
                 ping_interval: float = 10, ping_timeout: float = 10,
                 accept_batches: bool = True, accept_snapshot_parts: bool = True,
                 extension_topics: dict[str, str] | None = None):
        """``extension_topics``: topic -> the negotiated extension that carries it
        (e.g. ``alarm-actions``): the extension is offered in the hello, and the topic
        is subscribed (and its events taken) only in a session whose welcome lists it."""
        self.url = protocol.check_feed_url(url)
        self.token = token
        self.writer = writer
        self.extension_topics = dict(extension_topics or {})
        self._all_topics = dict(topics)
        self.topics = {t: s for t, s in self._all_topics.items() if t not in self.extension_topics}
        self.on_status = on_status
        self.on_rotated = on_rotated          # the cache was replaced (new backend epoch)
        self.on_message = on_message          # acks, errors: for the outbox and the UI
        self.backoff = backoff or Backoff()
        self.open_timeout = open_timeout
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.accept_batches = accept_batches
        self.accept_snapshot_parts = accept_snapshot_parts
        self.counters = FeedCounters()
        self.state = FeedState(server=url)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._last: dict[str, int] = {}           # newest seq received (and queued) per topic
        self._resyncing: dict[str, int] = {}      # topics waiting for a resent stream
        self._pending_resub: list[tuple[str, int]] = []
        self._parts: dict[str, _SnapshotParts] = {}
        self._ws = None
        self.worker = Worker("ioc-feed", self._thread_main)
        self._started = threading.Event()

    # ------------------------------------------------------------------ any thread
    def start(self) -> None:
        self._started.clear()
        self.worker.start()
        self._started.wait(5)

    def restart(self) -> None:
        """Run again after the thread died (the supervisor calls this)."""
        if not self.worker.is_alive():
            self.start()

    def stop(self, timeout: float = 10) -> None:
        self.worker.stopping = True
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            def _halt():
                stop.set()
                if self._ws is not None:  # end the session now, not at the next frame
                    asyncio.ensure_future(self._ws.close(1001, "client stopping"))
            try:
                loop.call_soon_threadsafe(_halt)
            except RuntimeError:      # the loop closed meanwhile: already stopped
                pass
        self.worker.join(timeout)
        self._set_state(status=FeedStatus.OFFLINE, detail="stopped", reason=Reason.STOPPED,
                        reason_args={})

    def send(self, text: str) -> bool:
        """Send a frame if connected (thread-safe); False when there is no link."""
        loop, ws = self._loop, self._ws
        if loop is None or ws is None or self.state.status != FeedStatus.LIVE:
            return False
        try:
            asyncio.run_coroutine_threadsafe(ws.send(text), loop)
        except RuntimeError:          # the loop is closing
            return False
        return True

    def retry_now(self) -> None:
        """Try again at once (after a 401: the user fixed the token)."""
        self._call_soon(lambda: self._wake.set())

    def resync(self) -> None:
        """End the session and resume from the committed cursors (after the store
        writer lost a batch, say)."""
        def _close():
            if self._ws is not None:
                asyncio.ensure_future(self._ws.close(1000, "resync"))
        self._call_soon(_close)

    def _call_soon(self, fn) -> None:
        loop = self._loop
        if loop is not None and self._wake is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(fn)
            except RuntimeError:
                pass

    # ------------------------------------------------------------------ thread
    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            # Nothing from a backend gets here (frames are handled in _handle, sessions
            # in _main): this is a bug of ours.  Say so, never LIVE over a dead thread;
            # the supervisor restarts the thread.
            self._ws = None
            self._set_state(status=FeedStatus.FAILED, detail=f"{type(exc).__name__}: {exc}"[:500],
                            reason=Reason.WORKER_DIED, reason_args={"worker": "feed"})
            raise
        finally:
            self._loop = None

    def _set_state(self, **changes) -> None:
        self.state = replace(self.state, **changes)
        if self.on_status:
            try:
                self.on_status(self.state)
            except Exception:
                log.exception("status listener failed")

    async def _sleep(self, seconds: float) -> None:
        """Sleep unless stopped or woken."""
        self._wake.clear()
        waiters = [asyncio.ensure_future(self._stop.wait()), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._started.set()
        attempt = 0
        quick_until = 0.0
        host = urlsplit(self.url)
        where = {"host": host.hostname or "", "port": host.port or (443 if host.scheme == "wss" else 80)}
        while not self._stop.is_set():
            self._set_state(status=FeedStatus.CONNECTING if attempt == 0 else FeedStatus.RECONNECTING,
                            attempt=attempt, retry_in=0.0)
            self._live_since = None
            self._oversize = False
            reason, args = Reason.CONNECTION_LOST, {}
            try:
                async with connect(self.url,
                                   additional_headers={"Authorization": f"Bearer {self.token}"},
                                   max_size=protocol.MAX_FRAME_BYTES,
                                   open_timeout=self.open_timeout,
                                   ping_interval=self.ping_interval,
                                   ping_timeout=self.ping_timeout,
                                   close_timeout=2,
                                   user_agent_header=protocol.CLIENT_NAME,
                                   create_connection=_Connection) as ws:
                    self._ws = ws
                    self.counters.connects += 1
                    await self._session(ws)
                detail, reason = "connection closed by the server", Reason.CLOSED_BY_SERVER
            except InvalidStatus as exc:
                code = exc.response.status_code
                if code in (401, 403):
                    # Not a network fault: retrying in a loop would only hammer the server.
                    self._set_state(status=FeedStatus.UNAUTHORISED, detail=f"HTTP {code}: not authorised",
                                    reason=Reason.NOT_AUTHORISED, reason_args={"code": code})
                    await self._sleep(10 ** 9)
                    attempt = 0
                    continue
                detail, reason, args = f"HTTP {code} on upgrade", Reason.HTTP_STATUS, {"code": code}
            except ConnectionClosed as exc:
                detail, reason, args = self._close_reason(exc)
            except (OSError, asyncio.TimeoutError, InvalidHandshake, InvalidURI) as exc:
                detail = f"{type(exc).__name__}: {exc}"
                reason, args = (Reason.CONNECTION_LOST, {}) if self._live_since else (Reason.CONNECT_FAILED, where)
            except FrameError as exc:
                detail, reason = f"protocol error: {exc}", Reason.PROTOCOL_ERROR
            except Exception as exc:   # a bug of ours in a session: reconnect, don't die
                log.exception("feed session failed")
                self.counters.internal_errors += 1
                detail, reason = f"internal error: {type(exc).__name__}: {exc}"[:500], Reason.INTERNAL_ERROR
            finally:
                self._ws = None
                self._parts.clear()
            if self._stop.is_set():
                break
            healthy = (self._live_since is not None and not self._oversize
                       and time.monotonic() - self._live_since >= HEALTHY_AFTER_S)
            attempt = 1 if healthy else attempt + 1
            delay = self.backoff.delay(attempt)
            if healthy:
                quick_until = time.monotonic() + QUICK_RETRY_S
            elif time.monotonic() < quick_until:
                delay = min(delay, 1.0)
            self._set_state(status=FeedStatus.RECONNECTING, detail=detail, attempt=attempt,
                            retry_in=delay, reason=reason, reason_args=args)
            await self._sleep(delay)
        self._set_state(status=FeedStatus.OFFLINE, detail="stopped", reason=Reason.STOPPED,
                        reason_args={})

    def _close_reason(self, exc: ConnectionClosed) -> tuple[str, Reason, dict]:
        rcvd, sent = exc.rcvd, exc.sent
        if sent is not None and sent.code == 1009:
            # The protocol's rule: the client refuses frames over 1 MiB by closing (1009).
            # Not a healthy session: a backend that sends the same frame again (a plain v1
            # backend's large snapshot) is retried with a growing delay, and the user sees
            # why.
            self._oversize = True
            self.writer.submit([self._reject(
                f"frame larger than {protocol.MAX_FRAME_BYTES} bytes refused "
                "(connection closed with 1009)", "")])
            return ("oversize frame refused (1009)", Reason.OVERSIZE_FRAME,
                    {"limit": protocol.MAX_FRAME_BYTES})
        if rcvd is not None:
            return (f"closed by server ({rcvd.code} {rcvd.reason})".strip(), Reason.CLOSED_BY_SERVER,
                    {"code": rcvd.code})
        if sent is not None and sent.code != 1000:
            return f"closed by the client ({sent.code} {sent.reason})", Reason.PROTOCOL_ERROR, {}
        return "connection lost", Reason.CONNECTION_LOST, {}

    # ------------------------------------------------------------------ session
    async def _call_store(self, fn):
        return await asyncio.wrap_future(self.writer.call(fn))

    async def _session(self, ws) -> None:
        accept = []
        if self.accept_batches:
            accept.append(protocol.BATCH_EXTENSION)
        if self.accept_snapshot_parts:
            accept.append(protocol.SNAPSHOT_PARTS_EXTENSION)
        accept += sorted(set(self.extension_topics.values()) - set(accept))
        await ws.send(protocol.hello(tuple(accept)))
        first, is_text = await asyncio.wait_for(ws.recv(decode=False), timeout=self.open_timeout)
        welcome = protocol.decode(first, binary=not is_text)
        if welcome.get("type") != "welcome":
            raise FrameError(f"expected 'welcome', got {welcome.get('type')!r:.40}")
        if welcome.get("protocol") != protocol.PROTOCOL_VERSION:
            raise FrameError(f"unsupported protocol version {welcome.get('protocol')!r:.20}")
        epoch = welcome.get("epoch")
        epoch = epoch if isinstance(epoch, str) and 0 < len(epoch) <= 200 else None
        await self._check_epoch(epoch)
        extensions = protocol.accepted_extensions(welcome)
        # a topic of an extension the backend didn't take is neither asked for nor taken
        self.topics = {t: s for t, s in self._all_topics.items()
                       if t not in self.extension_topics or self.extension_topics[t] in extensions}
        cursors = await self._call_store(lambda s: s.cursors())
        self._last = {t: cursors.get(t, 0) for t in self.topics}
        self._resyncing = {}
        self._parts = {}
        await ws.send(protocol.subscribe(self._last))
        user = welcome.get("user") if isinstance(welcome.get("user"), dict) else {}
        self._live_since = time.monotonic()
        self._set_state(status=FeedStatus.LIVE, detail="", attempt=0, epoch=epoch, user=user,
                        reason=Reason.NONE, reason_args={}, extensions=extensions)
        submit = self.writer.submit
        while True:
            data, is_text = await ws.recv(decode=False)
            items = self._handle(data, is_text)
            if items:
                submit(items)
            if self._pending_resub:
                for topic, after in self._take_resubscribes():
                    await ws.send(protocol.subscribe({topic: after}))

    async def _check_epoch(self, epoch: str | None) -> None:
        """Never mix two backend logs in one cache (PROTOCOL.md, epoch)."""
        url = self.url

        def check(store):
            stored_url, stored_epoch = store.meta("server_url"), store.meta("epoch")
            # The epoch names the log; the URL only matters for a backend without one
            # (the embedded demo backend, say, gets a new port at every start).
            if epoch is not None and stored_epoch is not None:
                changed = stored_epoch != epoch
            else:
                changed = (epoch != stored_epoch
                           or (stored_url is not None and stored_url != url))
            changed = changed and store.has_data()
            archived = None
            if changed:
                archived = store.rotate("epoch-" + "".join(
                    c if c.isalnum() else "_" for c in (stored_epoch or "unknown"))[:40])
            store.set_meta(server_url=url, epoch=epoch)
            return archived

        archived = await self._call_store(check)
        if archived is not None and self.on_rotated:
            self.on_rotated(archived)

    def _take_resubscribes(self) -> list[tuple[str, int]]:
        out, self._pending_resub = self._pending_resub, []
        return out

    # ------------------------------------------------------------------ frames
    def _reject(self, reason: str, raw: Any, topic: str | None = None,
                seq: int | None = None) -> RejectedRecord:
        """The record of a refusal (the caller hands it to the writer, once).  ``raw``
        is the frame's text or bytes, or a decoded item: kept bounded, never
        re-serialised without a fallback (:func:`raw_text`)."""
        self.counters.rejected += 1
        size = len(raw) if isinstance(raw, (str, bytes, bytearray)) else None
        return RejectedRecord(reason=reason[:1000], raw=raw_text(raw), topic=topic, seq=seq,
                              received_at=time.time(), size=size)

    def _handle(self, text, is_text: bool = True) -> list:
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
        fast = spec is not None and 0 < len(topic) <= 64 and topic not in self._parts
        last_seq = self._last
        resyncing = self._resyncing
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
                        if rec.__class__ is EventRecord:
                            accepted += 1
                        continue
                    if op == "delete":
                        last = last_seq[topic] = seq
                        if resyncing:
                            resyncing.pop(topic, None)
                        append(EventRecord(topic, seq, when, "delete", key, None, now))
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
            text, row = _storable(spec, key, data)
        except ValidationError as exc:
            return self._reject(str(exc), raw, topic, seq)
        return EventRecord(topic, seq, when, "upsert", key, data, now, text, row)

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
        last = self._last.get(topic, 0)
        if seq <= last:
            self.counters.duplicates += 1
            return
        if seq > last + 1 or topic in self._parts:
            # A gap (or an event inside a snapshot in parts): something was lost.  Ask
            # again from what we hold; frames still in flight from the old stream are
            # dropped until the resent one arrives.
            self._resync_topic(topic, out, now)
            return
        self._resyncing.pop(topic, None)
        self._last[topic] = seq
        try:
            op, key, when, data = protocol.event_body(msg, topic, seq)
        except FrameError as exc:
            out.append(self._reject(str(exc), raw, topic, seq))
            return
        if op == "upsert":
            rec = self._checked_upsert(spec, topic, seq, when, key, data, now, raw)
            out.append(rec)
            if rec.__class__ is EventRecord:
                self.counters.events += 1
            return
        self.counters.events += 1
        out.append(EventRecord(topic, seq, when, op, key, None, now))

    def _resync_topic(self, topic: str, out: list, now: float) -> None:
        parts = self._parts.pop(topic, None)
        if parts is not None:
            out.append(self._reject(f"snapshot in parts voided at part {parts.next} of {parts.parts}"
                                    " (out of order, or an event came first)", "", topic))
        if topic not in self._resyncing:
            self.counters.gaps += 1
            last = self._last.get(topic, 0)
            self._resyncing[topic] = last
            self._pending_resub.append((topic, last))

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
            held = self._parts.get(topic)
            if part == 1:
                if held is not None:
                    self._resync_topic(topic, out, now)      # the previous one never ended
                held = self._parts[topic] = _SnapshotParts(seq, parts)
            elif held is None or held.seq != seq or held.parts != parts or held.next != part:
                self._resync_topic(topic, out, now)
                return
            held.bytes += len(text)
            if held.bytes > MAX_SNAPSHOT_BYTES:
                self._parts.pop(topic, None)
                out.append(self._reject(f"snapshot in parts larger than {MAX_SNAPSHOT_BYTES} bytes",
                                        "", topic))
                self._resync_topic(topic, out, now)
                return
            held.items.extend(self._snapshot_items(spec, topic, items, out))
            held.next += 1
            if part < parts:
                return
            del self._parts[topic]
            good = held.items
        else:
            if topic in self._parts:
                self._resync_topic(topic, out, now)
                return
            good = self._snapshot_items(spec, topic, items, out)
        self.counters.snapshots += 1
        self._last[topic] = seq
        self._resyncing.pop(topic, None)
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
                _storable(spec, key, data)
                good.append({"key": key, "data": data})
            except Exception as exc:
                reason = str(exc) if isinstance(exc, ValidationError) else \
                    f"validator error: {type(exc).__name__}: {str(exc)[:300]}"
                out.append(self._reject(f"snapshot item rejected: {reason}", item, topic))
        return good


def _int(value: Any) -> bool:
    return value.__class__ is int


def _storable(spec: TopicSpec, key: str, data: dict) -> tuple[bytearray, dict]:
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
