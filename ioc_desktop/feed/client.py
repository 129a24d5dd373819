"""The feed client: one websocket to the backend, on its own thread and asyncio loop.

It never touches the GUI: it validates what arrives, hands events to the store writer
and reports its state through callbacks (the Qt bridge turns them into queued signals).
"""
from __future__ import annotations

import asyncio
import enum
import logging
import random
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import websockets
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from ioc_desktop import protocol
from ioc_desktop.plugin_api import GOOD_TIMES, TopicSpec, ValidationError
from ioc_desktop.protocol import MAX_KEY_LEN, FrameError
from ioc_desktop.store.batch import EventRecord, RejectedRecord
from ioc_desktop.store.writer import StoreWriter

log = logging.getLogger(__name__)

from ioc_desktop.config import DEMO_TOKEN  # noqa: F401  (re-exported)


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


@dataclass
class FeedCounters:
    frames: int = 0
    events: int = 0
    duplicates: int = 0
    gaps: int = 0
    rejected: int = 0
    snapshots: int = 0
    connects: int = 0


@dataclass
class Backoff:
    """Exponential backoff with full jitter, capped."""

    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * (2 ** max(0, attempt - 1)))
        return ceiling * (0.5 + 0.5 * self.rng.random())


class FeedClient:
    def __init__(self, url: str, token: str, writer: StoreWriter, topics: dict[str, TopicSpec],
                 *, on_status: Callable[[FeedState], None] | None = None,
                 on_rotated: Callable[[Any], None] | None = None,
                 on_message: Callable[[dict], None] | None = None,
                 backoff: Backoff | None = None, open_timeout: float = 10,
                 ping_interval: float = 10, ping_timeout: float = 10,
                 accept_batches: bool = True):
        self.url = protocol.check_feed_url(url)
        self.token = token
        self.writer = writer
        self.topics = dict(topics)
        self.on_status = on_status
        self.on_rotated = on_rotated          # the cache was replaced (new backend epoch)
        self.on_message = on_message          # acks, errors: for the outbox and the UI
        self.backoff = backoff or Backoff()
        self.open_timeout = open_timeout
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.accept_batches = accept_batches
        self.counters = FeedCounters()
        self.state = FeedState(server=url)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._last: dict[str, int] = {}           # newest seq received (and queued) per topic
        self._resyncing: dict[str, int] = {}      # topics waiting for a resent stream
        self._pending_resub: list[tuple[str, int]] = []
        self._ws = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()

    # ------------------------------------------------------------------ any thread
    def start(self) -> None:
        self._thread = threading.Thread(target=self._thread_main, name="ioc-feed", daemon=True)
        self._thread.start()
        self._started.wait(5)

    def stop(self, timeout: float = 10) -> None:
        if self._loop and self._stop:
            def _halt():
                self._stop.set()
                if self._ws is not None:  # end the session now, not at the next frame
                    asyncio.ensure_future(self._ws.close(1001, "client stopping"))
            self._loop.call_soon_threadsafe(_halt)
        if self._thread:
            self._thread.join(timeout)
        self._set_state(status=FeedStatus.OFFLINE, detail="stopped")

    def send(self, text: str) -> bool:
        """Send a frame if connected (thread-safe); False when there is no link."""
        loop, ws = self._loop, self._ws
        if loop is None or ws is None or self.state.status != FeedStatus.LIVE:
            return False
        asyncio.run_coroutine_threadsafe(ws.send(text), loop)
        return True

    def retry_now(self) -> None:
        """Try again at once (after a 401: the user fixed the token)."""
        if self._loop and self._wake:
            self._loop.call_soon_threadsafe(self._wake.set)

    # ------------------------------------------------------------------ thread
    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:
            log.exception("feed thread crashed")

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
        while not self._stop.is_set():
            self._set_state(status=FeedStatus.CONNECTING if attempt == 0 else FeedStatus.RECONNECTING,
                            attempt=attempt, retry_in=0.0)
            went_live = False
            try:
                async with connect(self.url,
                                   additional_headers={"Authorization": f"Bearer {self.token}"},
                                   max_size=protocol.MAX_FRAME_BYTES,
                                   open_timeout=self.open_timeout,
                                   ping_interval=self.ping_interval,
                                   ping_timeout=self.ping_timeout,
                                   close_timeout=2,
                                   user_agent_header=protocol.CLIENT_NAME) as ws:
                    self._ws = ws
                    self.counters.connects += 1
                    went_live = await self._session(ws)
                detail = "connection closed by the server"
            except InvalidStatus as exc:
                code = exc.response.status_code
                if code in (401, 403):
                    # Not a network fault: retrying in a loop would only hammer the server.
                    self._set_state(status=FeedStatus.UNAUTHORISED, detail=f"HTTP {code}: not authorised")
                    await self._sleep(10 ** 9)
                    attempt = 0
                    continue
                detail = f"HTTP {code} on upgrade"
            except ConnectionClosed as exc:
                detail = self._close_reason(exc)
            except (OSError, asyncio.TimeoutError, InvalidHandshake, InvalidURI) as exc:
                detail = f"{type(exc).__name__}: {exc}"
            except FrameError as exc:
                detail = f"protocol error: {exc}"
            finally:
                self._ws = None
            if self._stop.is_set():
                break
            attempt = 1 if went_live else attempt + 1
            delay = self.backoff.delay(attempt)
            self._set_state(status=FeedStatus.RECONNECTING, detail=detail, attempt=attempt,
                            retry_in=delay)
            await self._sleep(delay)
        self._set_state(status=FeedStatus.OFFLINE, detail="stopped")

    def _close_reason(self, exc: ConnectionClosed) -> str:
        rcvd, sent = exc.rcvd, exc.sent
        if sent is not None and sent.code == 1009:
            # The protocol's rule: the client refuses frames over 1 MiB by closing (1009).
            self._reject(f"frame larger than {protocol.MAX_FRAME_BYTES} bytes refused "
                         "(connection closed with 1009)", "")
            return "oversize frame refused (1009)"
        if rcvd is not None:
            return f"closed by server ({rcvd.code} {rcvd.reason})".strip()
        return "connection lost"

    # ------------------------------------------------------------------ session
    async def _call_store(self, fn):
        return await asyncio.wrap_future(self.writer.call(fn))

    async def _session(self, ws) -> bool:
        accept = (protocol.BATCH_EXTENSION,) if self.accept_batches else ()
        await ws.send(protocol.hello(accept))
        first = await asyncio.wait_for(ws.recv(), timeout=self.open_timeout)
        welcome = protocol.decode(first)
        if welcome.get("type") != "welcome":
            raise FrameError(f"expected 'welcome', got {welcome.get('type')!r:.40}")
        if welcome.get("protocol") != protocol.PROTOCOL_VERSION:
            raise FrameError(f"unsupported protocol version {welcome.get('protocol')!r:.20}")
        epoch = welcome.get("epoch")
        epoch = epoch if isinstance(epoch, str) and epoch else None
        await self._check_epoch(epoch)
        cursors = await self._call_store(lambda s: s.cursors())
        self._last = {t: cursors.get(t, 0) for t in self.topics}
        self._resyncing: dict[str, int] = {}
        await ws.send(protocol.subscribe(self._last))
        user = welcome.get("user") if isinstance(welcome.get("user"), dict) else {}
        self._set_state(status=FeedStatus.LIVE, detail="", attempt=0, epoch=epoch, user=user)
        async for text in ws:
            items = self._handle(text)
            if items:
                self.writer.submit(items)
            for topic, after in self._take_resubscribes():
                await ws.send(protocol.subscribe({topic: after}))
        return True

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
    def _reject(self, reason: str, raw: str, topic: str | None = None,
                seq: int | None = None) -> RejectedRecord:
        self.counters.rejected += 1
        rec = RejectedRecord(reason=reason, raw=raw if isinstance(raw, str) else repr(raw)[:4096],
                             topic=topic, seq=seq, received_at=time.time())
        if raw == "":  # not from a frame in hand: submit at once
            self.writer.submit([rec])
        return rec

    def _handle(self, text) -> list:
        self.counters.frames += 1
        now = time.time()
        try:
            msg = protocol.decode(text)
        except FrameError as exc:
            return [self._reject(str(exc), text)]
        kind = msg["type"]
        if kind == "event":
            return self._handle_event(msg, text, now)
        if kind == "events":
            return self._handle_event_batch(msg, text, now)
        if kind == "snapshot":
            return self._handle_snapshot(msg, text, now)
        if kind in ("ack", "error"):
            if kind == "error":
                log.warning("server error: %s", str(msg)[:300])
            if self.on_message:
                self.on_message(msg)
            return []
        if kind == "welcome":
            return []
        # Unknown types are a newer backend's extension, not an error of this one.
        log.debug("ignored message type %r", kind)
        return []

    def _handle_event_batch(self, msg: dict, text: str, now: float) -> list:
        topic = msg.get("topic")
        events = msg.get("events")
        if not isinstance(topic, str) or not isinstance(events, list):
            return [self._reject("'events' frame needs 'topic' and an 'events' list", text)]
        out: list = []
        self._run_events(topic, events, None, text, now, out)
        return out

    def _handle_event(self, msg: dict, text: str | None, now: float) -> list:
        """One ``event`` frame (protocol v1)."""
        out: list = []
        topic = msg.get("topic")
        if topic.__class__ is str:
            self._run_events(topic, (msg,), text, text, now, out)
        else:
            out.extend(self._handle_one_event(msg, text, now))
        return out

    def _run_events(self, topic: str, events, raw: str | None, text: str, now: float,
                    out: list) -> None:
        """The events of one topic in arrival order (a batch frame's, or one event's).

        The common case — the next seq, a sound envelope, a valid payload — is taken
        inline here; anything else (a duplicate, a gap, a bad envelope or body, a
        validator's refusal) goes through :meth:`_handle_one_event`, which decides and
        words it exactly as for a single event.  ``raw`` is the frame's text for a plain
        event (kept with a rejection); None for a batch's items, which are kept as JSON.
        """
        spec = self.topics.get(topic)
        fast = spec is not None and 0 < len(topic) <= 64
        validate = spec.validate if fast else None
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
                        try:
                            data = validate(data)
                        except Exception as exc:  # a plugin's validator must not kill the feed
                            if raw is None:
                                ev["topic"] = topic
                            reason = (str(exc) if isinstance(exc, ValidationError) else
                                      f"validator error: {type(exc).__name__}: {exc}")
                            append(self._reject(reason, raw or protocol.dumps(ev), topic, seq))
                            continue
                        append(EventRecord(topic, seq, when, "upsert", key, data, now))
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
                append(self._reject("'events' item is not an object", text[:512], topic))
                continue
            if raw is None:
                ev["topic"] = topic
            out.extend(self._handle_one_event(ev, raw, now))
            last = last_seq.get(topic, 0)
        self.counters.events += accepted

    def _handle_one_event(self, msg: dict, text: str | None, now: float) -> list:
        raw = text if text is not None else None
        try:
            topic, seq = protocol.event_envelope(msg)
        except FrameError as exc:
            return [self._reject(str(exc), raw or protocol.dumps(msg), exc.topic)]
        spec = self.topics.get(topic)
        if spec is None:
            return [self._reject(f"unknown topic {topic!r:.40}", raw or protocol.dumps(msg), topic, None)]
        last = self._last.get(topic, 0)
        if seq <= last:
            self.counters.duplicates += 1
            return []
        if seq > last + 1:
            # A gap: something was lost.  Ask again from what we hold; frames still in
            # flight from the old stream are dropped until the resent one arrives.
            if topic not in self._resyncing:
                self.counters.gaps += 1
                self._resyncing[topic] = last
                self._pending_resub.append((topic, last))
            return []
        self._resyncing.pop(topic, None)
        self._last[topic] = seq
        try:
            op, key, when, data = protocol.event_body(msg, topic, seq)
            if op == "upsert":
                data = spec.validate(data)
        except (FrameError, ValidationError) as exc:
            return [self._reject(str(exc), raw or protocol.dumps(msg), topic, seq)]
        except Exception as exc:  # a plugin's validator must not kill the feed
            return [self._reject(f"validator error: {type(exc).__name__}: {exc}",
                                 raw or protocol.dumps(msg), topic, seq)]
        self.counters.events += 1
        return [EventRecord(topic, seq, when, op, key, data if op == "upsert" else None, now)]

    def _handle_snapshot(self, msg: dict, text: str, now: float) -> list:
        try:
            topic, seq = protocol.event_envelope(msg)
        except FrameError as exc:
            return [self._reject("snapshot: " + str(exc), text)]
        spec = self.topics.get(topic)
        items = msg.get("items")
        if spec is None:
            return [self._reject(f"snapshot of unknown topic {topic!r:.40}", text, topic)]
        if not isinstance(items, list):
            return [self._reject("snapshot 'items' must be a list", text, topic)]
        out: list = []
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
                good.append({"key": key, "data": spec.validate(data)})
            except ValidationError as exc:
                out.append(self._reject(f"snapshot item rejected: {exc}",
                                        protocol.dumps(item)[:4096] if isinstance(item, dict) else repr(item)[:200],
                                        topic))
        self.counters.snapshots += 1
        self._last[topic] = seq
        self._resyncing.pop(topic, None)
        when = msg.get("time") if isinstance(msg.get("time"), str) else None
        out.insert(0, EventRecord(topic, seq, when, "snapshot", None, good, now))
        return out
