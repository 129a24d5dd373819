"""The feed client: one websocket to the backend, on its own thread and asyncio loop.

It never touches the GUI: it validates what arrives, hands events to the store writer
and reports its state through callbacks (the Qt bridge turns them into queued signals).

What is done with each frame (decode, check the seqs, validate, make the records) is
:class:`~ioc_desktop.feed.frames.FrameHandler`'s.  By default it runs in a second
process (:mod:`ioc_desktop.feed.decoder`): the feed thread only receives frames and
passes them on, and the records come back to be handed to the writer in the order the
frames arrived, so the decoding and the writer's transactions run side by side instead
of taking turns on the GIL.  ``decoder="thread"`` (or topics that can't be sent to
another process) handles them on the feed thread instead: the same code, the same
records.
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

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.messages import Assembler
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.frames import Opcode

from ioc_desktop import protocol
from ioc_desktop.config import DEMO_TOKEN  # noqa: F401  (re-exported)
from ioc_desktop.feed import decoder as _decoding
from ioc_desktop import gcpolicy, malloc_policy
from ioc_desktop.feed.decoder import DecoderDied, DecoderUnavailable, ProcessDecoder
from ioc_desktop.feed.frames import (MAX_SNAPSHOT_BYTES, FeedCounters,  # noqa: F401 (re-exported)
                                     FrameHandler, reject)
from ioc_desktop.feed.frames import storable as _storable  # noqa: F401 (re-exported)
from ioc_desktop.plugin_api import TopicSpec
from ioc_desktop.protocol import FrameError
from ioc_desktop.store.batch import RejectedRecord
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


def _retrieve(task: asyncio.Future) -> None:
    """Mark a dropped task's outcome as seen (no "exception never retrieved")."""
    if not task.cancelled():
        task.exception()


class FeedClient:
    def __init__(self, url: str, token: str, writer: StoreWriter, topics: dict[str, TopicSpec],
                 *, on_status: Callable[[FeedState], None] | None = None,
                 on_rotated: Callable[[Any], None] | None = None,
                 on_message: Callable[[dict], None] | None = None,
                 backoff: Backoff | None = None, open_timeout: float = 10,
                 ping_interval: float = 10, ping_timeout: float = 10,
                 accept_batches: bool = True, accept_snapshot_parts: bool = True,
                 extension_topics: dict[str, str] | None = None,
                 decoder: str = "auto"):
        """``extension_topics``: topic -> the negotiated extension that carries it
        (e.g. ``alarm-actions``): the extension is offered in the hello, and the topic
        is subscribed (and its events taken) only in a session whose welcome lists it.
        ``decoder``: where frames are decoded and validated: ``"process"`` (a second
        process, :mod:`ioc_desktop.feed.decoder`), ``"thread"`` (the feed thread), or
        ``"auto"`` (the process, unless the topics can't be sent to one or it can't
        start: then the thread, and the log says why)."""
        if decoder not in ("auto", "process", "thread"):
            raise ValueError(f"decoder must be 'auto', 'process' or 'thread', not {decoder!r}")
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
        self.decoder_mode = decoder
        self.state = FeedState(server=url)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._last: dict[str, int] = {}           # the seqs the session subscribed after
        # the frames' handler when they are handled on this thread; the process's
        # parent side when they go to the decoding process (one per thread run)
        self._frames = FrameHandler(self.topics, self.counters, on_message=self._message)
        self._decoder: ProcessDecoder | None = None
        self._decoder_unusable: str | None = None    # why "auto" fell back to the thread
        self._ws = None
        self.worker = Worker("ioc-feed", self._thread_main)
        self._started = threading.Event()

    # ------------------------------------------------------------------ any thread
    def start(self) -> None:
        gcpolicy.apply()        # (once per process: the collector's thresholds for a feed)
        malloc_policy.apply()   # (and freed arrays kept for reuse: no page faults each batch)
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
            decoder, self._decoder = self._decoder, None
            if decoder is not None:
                decoder.kill()          # never outlives the thread that reads its answers

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
        await self._start_decoder()
        try:
            await self._sessions()
        finally:
            decoder, self._decoder = self._decoder, None
            if decoder is not None:
                await decoder.close()

    async def _start_decoder(self) -> None:
        """The decoding process for this run of the thread (it loads the topics while
        the first session connects and starts on this thread)."""
        self._decoder = None
        if self.decoder_mode == "thread" or (self.decoder_mode == "auto" and self._decoder_unusable):
            return
        try:
            decoder = ProcessDecoder(self._all_topics, self._decoded, self._decoder_died)
            await decoder.start()
        except (DecoderUnavailable, OSError) as exc:
            self._decoder_fallback(exc)
            return
        self._decoder = decoder

    def _decoder_fallback(self, exc: BaseException) -> None:
        if self.decoder_mode == "process":
            raise DecoderDied(f"the decoding process can't run: {exc}") from exc
        self._decoder_unusable = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("feed: decoding on the feed thread (%s)", self._decoder_unusable)

    async def _sessions(self) -> None:
        attempt = 0
        quick_until = 0.0
        host = urlsplit(self.url)
        where = {"host": host.hostname or "", "port": host.port or (443 if host.scheme == "wss" else 80)}
        while not self._stop.is_set():
            decoder = self._decoder
            if decoder is not None and decoder.failure is not None:
                raise decoder.failure            # the thread ends: shown FAILED, restarted
            if decoder is not None and decoder.unavailable is not None:
                self._decoder = None
                await decoder.close()
                self._decoder_fallback(decoder.unavailable)
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
            except DecoderDied as exc:
                self._lost_in_flight(exc)
                raise                  # the thread ends: shown FAILED, restarted
            except Exception as exc:   # a bug of ours in a session: reconnect, don't die
                log.exception("feed session failed")
                self.counters.internal_errors += 1
                detail, reason = f"internal error: {type(exc).__name__}: {exc}"[:500], Reason.INTERNAL_ERROR
            finally:
                self._ws = None
                self._frames.end()
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
        cursors, columns = await self._call_store(
            lambda s: (s.cursors(), {t: tuple(spec.columns) for t, spec in s.topics.items()}))
        self._last = {t: cursors.get(t, 0) for t in self.topics}
        # the decoding process sends rows as tuples in the columns' order, unless the
        # store's spec of the topic has other columns (then as dicts: never a value in
        # the wrong column)
        dict_rows = frozenset(t for t, spec in self.topics.items()
                              if t in columns and columns[t] != tuple(spec.columns))
        frames = self._frames
        frames.begin(self._last, self.topics)
        await ws.send(protocol.subscribe(self._last))
        user = welcome.get("user") if isinstance(welcome.get("user"), dict) else {}
        self._live_since = time.monotonic()
        self._set_state(status=FeedStatus.LIVE, detail="", attempt=0, epoch=epoch, user=user,
                        reason=Reason.NONE, reason_args={}, extensions=extensions)
        # Frames are handled here until the decoding process is ready (it starts with
        # the thread); then, at a frame boundary, it takes the session over.
        submit = self.writer.submit
        handle = frames.handle
        recv = ws.recv
        decoder = self._decoder
        next_frame = None       # a frame being received while the decoder starts
        try:
            while True:
                if decoder is not None and (decoder.ready or decoder.unavailable):
                    if decoder.unavailable is not None:
                        self._decoder = None
                        await decoder.close()
                        self._decoder_fallback(decoder.unavailable)
                        decoder = None
                    elif not frames.parts:          # (never inside a snapshot in parts)
                        decoder.begin(frames.last, list(self.topics), dict_rows,
                                      frames.resyncing)
                        first, next_frame = next_frame, None
                        await self._relay(ws, decoder, first)
                        return
                if decoder is not None and not (decoder.ready or decoder.unavailable):
                    # whichever comes first: the next frame, or the decoder ready (then
                    # it takes over at once, that frame included)
                    if next_frame is None:
                        next_frame = asyncio.ensure_future(recv(decode=False))
                    settled = asyncio.ensure_future(decoder.settled.wait())
                    try:
                        await asyncio.wait((next_frame, settled),
                                           return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        settled.cancel()
                    if not next_frame.done():
                        continue
                    frame, next_frame = next_frame, None
                    data, is_text = frame.result()
                else:
                    data, is_text = await recv(decode=False)
                items = handle(data, is_text)
                if items:
                    submit(items)
                if frames.pending_resub:
                    for topic, after in frames.take_resubscribes():
                        await ws.send(protocol.subscribe({topic: after}))
        finally:
            if next_frame is not None:          # (the session ends: nobody will take it)
                next_frame.cancel()
                next_frame.add_done_callback(_retrieve)

    async def _relay(self, ws, decoder: ProcessDecoder, first=None) -> None:
        """Pass the session's frames to the decoding process, several at once when they
        are already queued; its answers are handled by :meth:`_decoded` as they come.
        Whatever ends the session, the frames passed on are answered and their records
        handed to the writer first (a refusal without a seq is never lost).  ``first``:
        a reception already under way (its frame is the first to pass on)."""
        queued = ws.recv_messages.kinds          # messages received and not taken yet
        recv = ws.recv
        send = decoder.send
        limit = _decoding.COALESCE_BYTES
        try:
            while True:
                if first is not None:
                    data, is_text = await first
                    first = None
                else:
                    data, is_text = await recv(decode=False)
                frames = [(data, is_text)]
                size = len(data)
                while queued and size < limit:
                    data, is_text = await recv(decode=False)
                    frames.append((data, is_text))
                    size += len(data)
                await send(frames)
        finally:
            await decoder.drained()

    async def _decoded(self, frames: list, results: list, counters, resubscribes: list,
                       logs: list) -> None:
        """The decoding process's answer for ``frames`` (in the order they came): their
        records to the writer, their acks and errors to ``on_message``, the resubscribes
        it asks for to the backend."""
        self.counters.add(counters)
        for name, level, text in logs:
            logging.getLogger(name).log(level, "[decoder] %s", text)
        submit = self.writer.submit
        pending: list = []
        for (frame, _), (items, messages) in zip(frames, results):
            if items:
                pending += items          # (events as tuples: the writer makes the records)
            if messages:
                if pending:                     # in order with the frames around it
                    submit(pending)
                    pending = []
                try:
                    for msg in messages:
                        self._message(msg)
                except Exception as exc:        # as FrameHandler.handle does on its thread
                    log.exception("handling a frame failed")
                    self.counters.internal_errors += 1
                    submit([self._reject(f"internal error handling the frame: "
                                         f"{type(exc).__name__}: {str(exc)[:300]}", frame)])
        if pending:
            submit(pending)
        ws = self._ws
        for topic, after in resubscribes:
            if ws is None:
                break
            try:
                await ws.send(protocol.subscribe({topic: after}))
            except ConnectionClosed:
                break                           # the next session subscribes anyway

    def _decoder_died(self) -> None:
        """The decoding process ended unasked (on the feed thread's loop): end the
        session now; the feed thread then ends with DecoderDied (see _sessions)."""
        ws = self._ws
        if ws is not None and ws.transport is not None:
            ws.transport.abort()
        if self._wake is not None:
            self._wake.set()

    def _lost_in_flight(self, exc: DecoderDied) -> None:
        """Record what a dead decoding process took with it: the frames passed on and not
        answered (their events come again: the next session resumes from the committed
        cursors; the record says how many frames were not handled)."""
        decoder = self._decoder
        lost = decoder.in_flight() if decoder is not None else []
        frames = [f for message in lost for f in message]
        if frames:
            self.writer.submit([self._reject(
                f"{exc}: {len(frames)} frame(s) received were not handled (their events are "
                "fetched again from the committed cursors)", frames[0][0])])

    def _message(self, msg: dict) -> None:
        if self.on_message:
            self.on_message(msg)

    def _reject(self, reason: str, raw, topic: str | None = None,
                seq: int | None = None) -> RejectedRecord:
        return reject(self.counters, reason, raw, topic, seq)

    def _handle(self, text, is_text: bool = True) -> list:
        """One frame's records, handled on this thread (benchmarks, tools)."""
        return self._frames.handle(text, is_text)

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
        return self._frames.take_resubscribes()
