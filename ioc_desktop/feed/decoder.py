"""The decoding process: the feed's frames decoded and validated in a second process.

Decoding JSON and running the plugins' validators and row mappings is most of what
the feed costs per event, and it is Python: on the feed thread it shares the GIL with
the store writer (and the situation layer), so the two stages take turns instead of
running side by side.  Here the network thread only receives frames and hands their
raw bytes to a child process, which runs the very same :class:`FrameHandler` (so the
same records, refusals and reasons) and returns the records; the single writer stays
in the first process and commits them as before, and the guarantees are the writer's
and the handler's as they were: committed before shown, exactly once (the seq and
cursor rules of ``Store.apply``), every refusal recorded with its reason.

The process starts with the feed thread and loads the topics meanwhile; a session
starts on the feed thread and, once the process is ready, hands it its state at a frame
boundary (the newest seq per topic, the topics waiting for a resent stream; never
inside a snapshot in parts).  A session's frames are answered, and their records handed
to the writer, before the next session begins.

Shared nothing: the child is a fresh interpreter (``sys.executable``) talking over its
stdin/stdout pipes.  Parent -> child, each message ``kind (1 byte) + length (4 bytes,
little-endian) + body``:

- ``I`` init: a pickle of ``{"sys_path", "topics"}`` (the topics as pickles, or as the
  module global that holds them: :func:`pack_topics`);
- ``S`` session: a pickle of ``(last, active topics, dict-row topics, resyncing)``:
  :meth:`FrameHandler.begin`;
- ``F`` frames: one or more frames received back to back, each ``flag (1 byte: 1 text,
  0 binary) + length (4 bytes) + bytes``;
- ``Q`` quit (end of input does the same: a parent that died takes its child along).

Child -> parent, each message ``length (4 bytes) + pickle``: ``("ready",)``,
``("failed", reason)`` (it cannot load the topics), or for each ``F`` message
``("frames", [(records, messages) per frame], counters delta, resubscribes, log lines)``.
A record is a plain tuple ``(topic, seq, time, op, key, text, received_at, row)`` for
an upsert or a delete, handed to the writer as it is (``text``: the validated payload
as UTF-8 JSON, stored as it is; the writer makes it a
:class:`~ioc_desktop.store.batch.LazyEventRecord`, whose ``data`` is decoded from it
when first read; ``row``: the state table's values in the order of the topic's
columns, or a dict when the store's spec has other columns); a refusal or a snapshot
travels as its record.

The child does nothing but this, so its garbage collector is frozen after start-up and
runs rarely: nothing it makes per frame outlives the frame.  If it dies (a crash in a
plugin's native code, the OOM killer), the feed thread ends with :class:`DecoderDied`:
the app's supervisor shows the feed FAILED with the reason and restarts it (a new
process, resumed from the committed cursors: nothing is lost, nothing doubled; the
frames it took with it are recorded as one refusal saying how many).
"""
from __future__ import annotations

import asyncio
import collections
import gc
import importlib
import logging
import os
import pickle
import signal
import struct
import sys
from pathlib import Path
from typing import Awaitable, Callable

from ioc_desktop.plugin_api import TopicSpec

log = logging.getLogger("ioc_desktop.feed.client")

_HEAD = struct.Struct("<cI")          # parent -> child: kind, body length
_FRAME = struct.Struct("<BI")         # in an F message: text flag, frame length
_LEN = struct.Struct("<I")            # child -> parent: pickle length
PIPE_BYTES = 1024 * 1024              # asked of the OS for each pipe (Linux)
#: Frames sent and not yet answered, at most (bytes): beyond it the network thread
#: waits, and the websocket's flow control pushes back to the server.
MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024
#: Frames already received are sent together, up to this many bytes per message.
COALESCE_BYTES = 256 * 1024
READY_TIMEOUT_S = 30.0
#: How long a session's end waits for the answers to its frames before it gives up on
#: the process (a validator stuck in a loop, say).
DRAIN_TIMEOUT_S = 60.0

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class DecoderDied(Exception):
    """The decoding process ended (or stopped answering) while the feed needed it."""


class DecoderUnavailable(Exception):
    """The decoding process can't be used (the topics can't be sent to it, or it could
    not start): the feed decodes on its own thread instead."""


# ---------------------------------------------------------------------- topics
def pack_topics(topics: dict[str, TopicSpec]) -> bytes:
    """The topics as the child can rebuild them: each spec pickled (its functions by
    reference), else — a spec holding a lambda — the module global that is that very
    spec; DecoderUnavailable if neither works."""
    packed = {}
    for name, spec in topics.items():
        try:
            packed[name] = ("pickle", pickle.dumps(spec, _PROTOCOL))
            continue
        except Exception as exc:
            why = f"{type(exc).__name__}: {exc}"
        ref = _module_global(spec)
        if ref is None:
            raise DecoderUnavailable(f"topic {name!r} can't be sent to another process ({why})")
        packed[name] = ("global", *ref)
    return pickle.dumps(packed, _PROTOCOL)


def _module_global(spec: TopicSpec) -> tuple[str, str] | None:
    modules = {getattr(f, "__module__", None) for f in (spec.validate, spec.to_row, spec.setup)}
    for mod_name in sorted(m for m in modules if m):
        module = sys.modules.get(mod_name)
        for attr, value in vars(module).items() if module is not None else ():
            if value is spec:
                return mod_name, attr
    return None


def unpack_topics(blob: bytes) -> dict[str, TopicSpec]:
    out = {}
    for name, packed in pickle.loads(blob).items():
        if packed[0] == "pickle":
            out[name] = pickle.loads(packed[1])
        else:
            out[name] = getattr(importlib.import_module(packed[1]), packed[2])
    return out


# ---------------------------------------------------------------------- the child
class _Collect(logging.Handler):
    """The child's log lines, sent back with the frame they came from."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self.lines.append((record.name, record.levelno, text[:4000]))
        except Exception:
            pass


def child_main() -> None:
    """The decoding process's loop (``python -c`` runs it: see :class:`ProcessDecoder`).
    With ``IOC_DECODER_PROFILE=FILE`` in the environment it runs under cProfile and
    writes the statistics to FILE.<pid> when it ends (for benchmarks)."""
    profile_to = os.environ.get("IOC_DECODER_PROFILE")
    if profile_to:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            _child_loop()
        finally:
            profiler.disable()
            profiler.dump_stats(f"{profile_to}.{os.getpid()}")
        return
    _child_loop()


def _child_loop() -> None:
    # Ctrl+C in a terminal reaches the whole process group: the parent decides when
    # this process ends (a quit message, or the end of its input).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _widen_pipe(0)
    _widen_pipe(1)
    # stdout carries the protocol: anything a plugin prints goes to stderr instead (or
    # nowhere, when there is no stderr: a windowed app)
    out = os.fdopen(os.dup(1), "wb", buffering=1024 * 1024)
    try:
        os.dup2(2, 1)
    except OSError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    inp = os.fdopen(os.dup(0), "rb", buffering=1024 * 1024)
    collect = _Collect()
    root = logging.getLogger()
    root.handlers[:] = [collect]
    root.setLevel(logging.INFO)

    def send(obj) -> None:
        body = pickle.dumps(obj, _PROTOCOL)
        out.write(_LEN.pack(len(body)))
        out.write(body)
        out.flush()

    from ioc_desktop.feed.frames import FrameHandler

    handler = None
    topics: dict[str, TopicSpec] = {}
    read = inp.read
    head_size = _HEAD.size
    frame_head = _FRAME.unpack_from
    frame_size = _FRAME.size
    while True:
        head = read(head_size)
        if len(head) < head_size:
            return
        kind, n = _HEAD.unpack(head)
        body = read(n) if n else b""
        if len(body) < n:
            return
        if kind == b"F":
            results = []
            at = 0
            while at < n:
                is_text, size = frame_head(body, at)
                at += frame_size
                frame = body[at:at + size]
                at += size
                messages: list = []
                handler.on_message = messages.append
                results.append((handler.handle(frame, bool(is_text)), messages))
            counters = handler.counters.values()
            handler.counters.__init__()
            send(("frames", results, counters, handler.take_resubscribes(), collect.lines))
            collect.lines = []
        elif kind == b"S":
            last, active, dict_rows, resyncing = pickle.loads(body)
            handler.begin(last, {t: topics[t] for t in active if t in topics}, dict_rows,
                          resyncing)
        elif kind == b"I":
            try:
                init = pickle.loads(body)
                for path in reversed(init["sys_path"]):
                    if path not in sys.path:
                        sys.path.insert(0, path)
                topics = unpack_topics(init["topics"])
                handler = FrameHandler(topics, wire=True)
            except BaseException as exc:   # noqa: BLE001 — said to the parent, which falls back
                send(("failed", f"{type(exc).__name__}: {exc}"[:1000]))
                return
            # Nothing made while handling a frame outlives it: what start-up made is
            # frozen out of the collector's sight, and young garbage is collected less
            # often (per frame there is little of it that refcounting leaves behind).
            gc.collect()
            gc.freeze()
            gc.set_threshold(50_000, 50, 1000)
            send(("ready",))
        elif kind == b"Q":
            return


# ---------------------------------------------------------------------- the parent
def _widen_pipe(fd: int) -> None:
    """Ask for a larger pipe (Linux; the child asks for both of its pipes): a whole
    frame fits, fewer wake-ups each way."""
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except Exception:
        pass


class ProcessDecoder:
    """The parent's side of the decoding process, on the feed thread's event loop.

    :meth:`start` starts the process, which then loads the topics: until it says it is
    ready (:attr:`ready`), the feed handles frames on its own thread, and takes it into
    use at a frame boundary (:meth:`begin` hands it the session's state).  If it can't
    load them, or ends before it is ready, :attr:`unavailable` says why.
    ``on_frames(frames, results, counters, resubscribes, logs)`` is awaited (on that
    loop) for every answer, in the order the frames were sent; ``frames`` are the
    ``(bytes, is_text)`` answered.  ``on_death()`` is called once if the process ends
    unasked after it was ready (:attr:`failure`: why)."""

    def __init__(self, topics: dict[str, TopicSpec],
                 on_frames: Callable[..., Awaitable[None]],
                 on_death: Callable[[], None] | None = None):
        self._blob = pack_topics(topics)          # DecoderUnavailable: not portable
        self.on_frames = on_frames
        self.on_death = on_death
        self.proc: asyncio.subprocess.Process | None = None
        self.ready = False
        self.unavailable: DecoderUnavailable | None = None
        self.failure: DecoderDied | None = None
        self.pid: int | None = None
        self.answered = 0                          # frames answered (tests, benchmarks)
        self.settled = asyncio.Event()             # set once ready, or unavailable
        self._reader: asyncio.Task | None = None
        self._in_flight: collections.deque = collections.deque()   # lists of frames sent
        self._in_flight_bytes = 0
        self._room = asyncio.Event()
        self._idle = asyncio.Event()
        self._room.set()
        self._idle.set()
        self._closing = False

    # ------------------------------------------------------------------ life cycle
    async def start(self) -> None:
        """Start the process (it loads the topics meanwhile: see :attr:`ready`)."""
        root = str(Path(__file__).resolve().parents[2])
        boot = (f"import sys; sys.path.insert(0, {root!r}); "
                "from ioc_desktop.feed.decoder import child_main; child_main()")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", boot, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, limit=4 * MAX_IN_FLIGHT_BYTES)
        self.pid = self.proc.pid
        self.proc.stdin.transport.set_write_buffer_limits(high=MAX_IN_FLIGHT_BYTES)
        self._write(b"I", pickle.dumps({"sys_path": list(sys.path), "topics": self._blob},
                                       _PROTOCOL))
        self._reader = asyncio.ensure_future(self._read())

    async def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> bool:
        """Wait until the process is ready, or can't be (tests, tools); :attr:`ready`."""
        try:
            await asyncio.wait_for(self.settled.wait(), timeout)
        except asyncio.TimeoutError:
            pass
        return self.ready

    async def close(self, timeout: float = 5.0) -> None:
        """Ask the process to end; killed if it doesn't within ``timeout``."""
        self._closing = True
        proc = self.proc
        if proc is None:
            return
        try:
            if proc.returncode is None:
                self._write(b"Q", b"")
                proc.stdin.close()
                try:
                    await asyncio.wait_for(proc.wait(), timeout)
                except asyncio.TimeoutError:
                    proc.kill()
                    await proc.wait()
        except (ProcessLookupError, ConnectionError, RuntimeError):
            pass
        finally:
            if self._reader is not None:
                self._reader.cancel()
                try:
                    await self._reader
                except BaseException:   # noqa: BLE001 — cancelled or already failed
                    pass
            self.proc = None

    def kill(self) -> None:
        """End the process now (any thread; the feed thread died)."""
        proc = self.proc
        if proc is not None and proc.returncode is None:
            try:
                proc.kill()
            except (ProcessLookupError, RuntimeError):
                pass

    # ------------------------------------------------------------------ sessions
    def begin(self, last: dict[str, int], active: list[str],
              dict_rows: frozenset[str] = frozenset(),
              resyncing: dict[str, int] | None = None) -> None:
        """Take over a session from the feed thread's handler at a frame boundary: its
        newest seqs ``last`` and ``resyncing`` topics, taking the topics ``active``; the
        rows of ``dict_rows`` come as dicts (see FrameHandler.begin).  Only once
        :attr:`ready`."""
        self._check()
        self._write(b"S", pickle.dumps((dict(last), list(active), frozenset(dict_rows),
                                        dict(resyncing or {})), _PROTOCOL))

    async def send(self, frames: list[tuple[bytes, bool]]) -> None:
        """Hand frames (received back to back) to the process; waits while too much is
        in flight."""
        self._check()
        while not self._room.is_set():
            await self._room.wait()
            self._check()
        parts = []
        size = 0
        for data, is_text in frames:
            parts.append(_FRAME.pack(1 if is_text else 0, len(data)))
            parts.append(data)
            size += _FRAME.size + len(data)
        self._in_flight.append(frames)
        self._in_flight_bytes += size
        self._idle.clear()
        if self._in_flight_bytes >= MAX_IN_FLIGHT_BYTES:
            self._room.clear()
        self.proc.stdin.write(_HEAD.pack(b"F", size))
        self.proc.stdin.writelines(parts)
        await self.proc.stdin.drain()

    async def drained(self, timeout: float = DRAIN_TIMEOUT_S) -> None:
        """Wait until every frame sent has been answered (and its answer handled)."""
        if self._idle.is_set():
            return
        waiter = asyncio.ensure_future(self._idle.wait())
        try:
            await asyncio.wait([waiter, self._reader], timeout=timeout,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if not self._idle.is_set():
            if self.failure is None:
                self.failure = DecoderDied(f"the decoding process did not answer in {timeout:g} s")
                self.kill()
            raise self.failure

    def in_flight(self) -> list[list[tuple[bytes, bool]]]:
        return list(self._in_flight)

    # ------------------------------------------------------------------ internals
    def _check(self) -> None:
        if self.failure is not None:
            raise self.failure
        if not self.ready:
            raise RuntimeError("the decoding process is not ready")
        if self.proc is None or self.proc.returncode is not None:
            self.failure = DecoderDied("the decoding process is not running")
            raise self.failure

    def _write(self, kind: bytes, body: bytes) -> None:
        self.proc.stdin.write(_HEAD.pack(kind, len(body)))
        if body:
            self.proc.stdin.write(body)

    async def _read(self) -> None:
        stdout = self.proc.stdout
        loads = pickle.loads
        unpack = _LEN.unpack
        try:
            while True:
                n, = unpack(await stdout.readexactly(4))
                msg = loads(await stdout.readexactly(n))
                tag = msg[0]
                if tag == "frames":
                    frames = self._in_flight.popleft()
                    self.answered += len(frames)
                    try:
                        await self.on_frames(frames, *msg[1:])
                    except Exception as exc:
                        # a bug of ours: the records of these frames may not have
                        # reached the writer, and later ones would then be past a gap
                        # the frames' handler doesn't know of: start over instead
                        log.exception("handling the decoding process's answer failed")
                        self._in_flight.appendleft(frames)
                        self.failure = DecoderDied(f"internal error handling the decoding "
                                                   f"process's answer: {type(exc).__name__}: "
                                                   f"{exc}"[:500])
                        self.kill()
                        break
                    finally:
                        self._in_flight_bytes -= sum(_FRAME.size + len(d) for d, _ in frames)
                        if self._in_flight_bytes < MAX_IN_FLIGHT_BYTES // 2:
                            self._room.set()
                        if not self._in_flight:
                            self._idle.set()
                elif tag == "ready":
                    self.ready = True
                    self.settled.set()
                elif tag == "failed":
                    self.unavailable = DecoderUnavailable(
                        f"the decoding process can't load the topics: {msg[1]}")
                    self.settled.set()
                    return
        except (asyncio.IncompleteReadError, ConnectionError, EOFError):
            pass
        except Exception as exc:     # an answer that breaks this protocol: a bug of ours
            log.exception("the decoding process's answer can't be read")
            if self.failure is None:
                self.failure = DecoderDied(f"the decoding process's answer can't be read: "
                                           f"{type(exc).__name__}: {exc}"[:500])
            self.kill()
        if self._closing:
            return
        if self.failure is None:
            code = None
            try:
                code = await asyncio.wait_for(self.proc.wait(), 2.0)
            except (asyncio.TimeoutError, AttributeError):
                pass
            how = f"ended with exit code {code}" if code is not None else "stopped answering"
            if not self.ready:
                self.unavailable = DecoderUnavailable(
                    f"the decoding process (pid {self.pid}) {how} before it was ready")
                self.settled.set()
                return
            self.failure = DecoderDied(f"the decoding process (pid {self.pid}) {how}")
        self._room.set()
        if self.on_death is not None:
            try:
                self.on_death()
            except Exception:
                log.exception("decoder death listener failed")


__all__ = ["DecoderDied", "DecoderUnavailable", "ProcessDecoder", "child_main", "pack_topics",
           "unpack_topics", "COALESCE_BYTES"]
