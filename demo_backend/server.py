"""The demo backend's server: a real websocket server speaking PROTOCOL.md, run by
``serve-demo`` or embedded in the app (:mod:`demo_backend.launch`).

It runs every plugin's simulator, keeps an event log per topic (optionally persisted in
a SQLite file so that it survives its own restart with the same epoch), resumes clients
from their ``after``, sends a snapshot when ``after`` is older than what it retains, and
requires a bearer token (401 otherwise).

It speaks the protocol extensions of :mod:`ioc_desktop.protocol` (``extensions``: which
ones; default all, an empty set makes it a plain v1 backend), and says which in its
``welcome`` (``"extensions"``: those of the client's ``accept`` it speaks).  With
``alarm-actions`` it keeps one more topic, the relay of shared alarm actions, which only
a client of the IOC (operator, supervisor, viewer) that accepted the extension may
subscribe to; the actions themselves are decided in :mod:`demo_backend.actions`.
"""
from __future__ import annotations

import asyncio
import bisect
import collections
import itertools
import copy
import logging
import os
import random
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Iterable

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

from ioc_desktop import protocol
from ioc_desktop.alarms import sharing
from ioc_desktop.plugin_api import Plugin, SimEvent, Simulator

from .actions import ActionHandler, logged_updates

log = logging.getLogger(__name__)

from ioc_desktop.config import DEMO_TOKEN
VN_TZ = timezone(timedelta(hours=7))
# token -> the user announced in `welcome` (roles drive what the client offers)
DEMO_USERS = {
    DEMO_TOKEN: {"name": "Ca trực IOC (demo)", "roles": ["operator", "supervisor"]},
    "hue-ioc-operator": {"name": "Trực ban (demo)", "roles": ["operator"]},
    "hue-ioc-viewer": {"name": "Khách xem (demo)", "roles": ["viewer"]},
    # an agency (UBND, Sở…): reports progress on what it was assigned (tests, demo)
    "hue-ioc-agency": {"name": "Đơn vị xử lý (demo)", "roles": ["agency"]},
}
BATCH_MAX_EVENTS = 1000
BATCH_MAX_BYTES = 512 * 1024
SNAPSHOT_PART_BYTES = 512 * 1024     # well under the client's 1 MiB frame limit
#: The protocol extensions this backend can speak (protocol.py).
EXTENSIONS = (protocol.BATCH_EXTENSION, protocol.SNAPSHOT_PARTS_EXTENSION,
              protocol.ALARM_ACTIONS_EXTENSION)


def snapshot_frames(topic: str, seq: int, items: list, parts: bool) -> list[bytes]:
    """The ``snapshot`` of a topic as frames (UTF-8): one frame, or — for a client that
    accepts the extension snapshot-parts — as many as keep each under
    SNAPSHOT_PART_BYTES (protocol.py).  A plain v1 client gets one frame whatever its
    size (it may refuse it; that is what the extension is for)."""
    head = {"type": "snapshot", "topic": topic, "seq": seq}
    whole = protocol.dumps({**head, "items": items}).encode()
    if not parts or len(whole) <= SNAPSHOT_PART_BYTES:
        return [whole]
    chunks: list[list[str]] = [[]]
    size = 0
    for item in items:
        text = protocol.dumps(item)
        if chunks[-1] and size + len(text.encode()) > SNAPSHOT_PART_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text.encode()) + 1
    n = len(chunks)
    return [(protocol.dumps({**head, "part": i, "parts": n})[:-1] + ',"items":['
             + ",".join(chunk) + "]}").encode() for i, chunk in enumerate(chunks, 1)]


@dataclass
class TopicLog:
    seq: int = 0
    base: int = 1                                   # seq of frames[0]
    frames: collections.deque = field(default_factory=collections.deque)
    state: dict = field(default_factory=dict)       # key -> data (current)

    def after(self, after: int) -> int:
        """Index into frames of the first event after ``after``."""
        return max(0, after + 1 - self.base)


# A client with none of these roles is outside the IOC (an agency): it receives items
# through their topic's redactor (TopicActions.redact; e.g. without the confidential
# reporter, DOMAIN.md).
IOC_ROLES = {"operator", "supervisor", "viewer"}


class _Client:
    def __init__(self, ws, batches: bool, roles=(), snapshot_parts: bool = False,
                 alarm_actions: bool = False):
        self.ws = ws
        self.batches = batches
        self.snapshot_parts = snapshot_parts
        self.alarm_actions = alarm_actions     # takes the relay topic (extension accepted)
        self.roles = tuple(roles)
        self.redacted = not (set(roles) & IOC_ROLES)
        self.cursor: dict[str, int] = {}
        self.wake = asyncio.Event()


def _redact_frame(frame: str, redact) -> str:
    msg = protocol.decode(frame)
    if isinstance(msg.get("data"), dict):
        msg["data"] = redact(msg["data"])
    return protocol.dumps(msg)


class DemoBackend:
    def __init__(self, plugins: Iterable[Plugin], *, seed: int = 1, rate: float = 50.0,
                 tick: float = 0.1, retain: int = 20_000, log_path: str | Path | None = None,
                 tokens: dict | None = None, start: datetime | None = None,
                 max_catchup_s: float = 900.0, max_replay_steps: int = 100_000,
                 extensions: Iterable[str] | None = None):
        self.plugins = [p for p in plugins if p is not None]
        # the extensions it speaks (None: all it knows; () : a plain protocol v1 backend)
        self.extensions = frozenset(EXTENSIONS if extensions is None else extensions)
        self.seed = seed
        self.rate = rate
        self.tick = tick
        self.retain = retain
        self.tokens = dict(tokens or DEMO_USERS)
        self.rng = random.Random(seed)
        pairs = [(p, p.simulator()) for p in self.plugins]
        self._sim_plugins = [p for p, s in pairs if s]
        self.sims: list[Simulator] = [s for _, s in pairs if s]
        self.topics = {spec.name: TopicLog() for p in self.plugins for spec in p.topics}
        if protocol.ALARM_ACTIONS_EXTENSION in self.extensions:
            self.topics[sharing.TOPIC] = TopicLog()     # the relay of shared alarm actions
        self.redactors = {spec.name: spec.actions.redact for p in self.plugins for spec in p.topics
                          if spec.actions is not None and spec.actions.redact is not None}
        self.clients: set[_Client] = set()
        # The simulated clock is start_time + steps * tick: deterministic, so a restart
        # can replay the simulators to exactly where the log ends.
        self.start_time = start or datetime.now(timezone.utc)
        self._fixed_clock = start is not None      # tests: never catch up with the wall clock
        self.max_catchup_s = max_catchup_s
        self.max_replay_steps = max_replay_steps
        self.steps = 0
        self._budget_carry = 0.0
        self._db: sqlite3.Connection | None = None
        self.epoch = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._stopped: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None
        self.paused = False
        self.auth_failures = 0                  # refused upgrades (tests: no retry loop)
        self.subscriptions: list[dict] = []     # every subscribe received (tests: resume)
        self._open_log(log_path)
        self.actions = ActionHandler(self)      # after the log: its table lives there

    # ------------------------------------------------------------------ the log
    def _open_log(self, log_path) -> None:
        if log_path is None:
            self.epoch = self._new_epoch()
            self._start_sims()
            return
        self._db = sqlite3.connect(str(log_path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS events(topic TEXT, seq INTEGER, key TEXT,"
                         " op TEXT, frame TEXT, data TEXT, PRIMARY KEY(topic, seq))")
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta.get("seed") not in (None, str(self.seed)):
            raise ValueError(f"log {log_path} was written with seed {meta['seed']}, not {self.seed}")
        if "epoch" in meta and not self._fixed_clock and self._too_old(meta):
            # Down for long (or a long log): start a new log, which is a new epoch for
            # clients (they keep the old cache for review and start afresh).
            self._db.close()
            old = Path(log_path)
            os.replace(old, old.with_name(old.stem + ".previous" + old.suffix))
            for suffix in ("-wal", "-shm"):
                Path(str(old) + suffix).unlink(missing_ok=True)
            return self._open_log(log_path)
        if "epoch" in meta:
            self.epoch = meta["epoch"]
            self.start_time = datetime.fromisoformat(meta["start"])
            self._replay(int(meta.get("steps", 0)))
        else:
            self.epoch = self._new_epoch()
            with self._db:
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("epoch", self.epoch), ("seed", str(self.seed)),
                    ("start", self.start_time.isoformat()), ("steps", "0")])
            self._start_sims()

    def _too_old(self, meta: dict) -> bool:
        steps = int(meta.get("steps", 0))
        sim_end = datetime.fromisoformat(meta["start"]) + timedelta(seconds=steps * self.tick)
        downtime = (datetime.now(timezone.utc) - sim_end).total_seconds()
        return downtime > self.max_catchup_s or steps > self.max_replay_steps

    def _new_epoch(self) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{stamp}#{secrets.token_hex(3)}"

    def _replay(self, steps: int) -> None:
        """Rebuild the log from disk and the simulators' state by re-running them."""
        import json
        for topic, seq, key, op, frame, data in self._db.execute(
                "SELECT topic, seq, key, op, frame, data FROM events ORDER BY topic, seq"):
            tl = self.topics.get(topic)
            if tl is None:
                continue
            if not tl.frames:
                tl.base = seq
            tl.frames.append(frame)
            tl.seq = seq
            if op == "delete":
                tl.state.pop(key, None)
            else:
                tl.state[key] = json.loads(data)
        for tl in self.topics.values():
            while len(tl.frames) > self.retain:
                tl.frames.popleft()
                tl.base += 1
        # The simulators are deterministic: running them again (discarding their output)
        # brings their internal state to where the log ends.  What users' actions changed
        # is told them again at the step it happened (their later draws depended on it).
        actions = logged_updates(self._db)
        self.steps = 0
        self._sim_events(start=True)
        self._replay_actions(actions)
        while self.steps < steps:   # exactly as step() did: the clock first, then the sims
            self.steps += 1
            self._sim_events()
            self._replay_actions(actions)
        # The log is the truth: realign the simulators with the restored state.
        for topic, tl in self.topics.items():
            for key, data in tl.state.items():
                self.external_update(topic, key, data)

    def _replay_actions(self, actions: dict) -> None:
        for topic, key, data in actions.get(self.steps, ()):
            self.external_update(topic, key, data)

    def external_update(self, topic: str, key: str, data: dict | None) -> None:
        """An item changed outside the simulators (an action): tell the topic's
        simulators, each with its own copy."""
        for plugin, sim in self._sims_by_plugin():
            if type(sim).external_update is Simulator.external_update:
                continue          # the no-op default: spare the copy
            if any(spec.name == topic for spec in plugin.topics):
                sim.external_update(topic, key, copy.deepcopy(data))

    def _start_sims(self) -> None:
        self._append(self._sim_events(start=True))

    def sim_now(self) -> datetime:
        return self.start_time + timedelta(seconds=self.steps * self.tick)

    def steps_behind(self) -> int:
        """How many ticks the simulated clock is behind the wall clock."""
        if self._fixed_clock:
            return 1
        lag = (datetime.now(timezone.utc) - self.sim_now()).total_seconds()
        return int(lag / self.tick)

    def _sim_events(self, start: bool = False) -> list[SimEvent]:
        now = self.sim_now() if not start else self.start_time
        out: list[SimEvent] = []
        if start:
            for sim in self.sims:
                out.extend(sim.start(self.rng, now))
            return out
        self._budget_carry += self.rate * self.tick
        total = int(self._budget_carry)
        self._budget_carry -= total
        for sim, share in zip(self.sims, self._shares(total)):
            out.extend(sim.step(self.rng, now, share))
        return out

    def _shares(self, total: int) -> list[int]:
        """Split ``total`` events over the simulators by their budget weights."""
        weights = [max(0.0, getattr(s, "budget_weight", 1.0)) for s in self.sims]
        whole = sum(weights) or 1.0
        shares = [int(total * w / whole) for w in weights]
        rest = total - sum(shares)
        for i in sorted(range(len(shares)), key=lambda i: -weights[i])[:rest]:
            shares[i] += 1
        return shares

    def _append(self, events: list[SimEvent]) -> int:
        """Log events (durably first, when persisted) and wake the clients."""
        rows = []
        now_text = self.sim_now().astimezone(VN_TZ).isoformat(timespec="seconds")
        for ev in events:
            tl = self.topics.get(ev.topic)
            if tl is None:
                continue
            tl.seq += 1
            op = "delete" if ev.data is None or ev.op == "delete" else "upsert"
            msg = {"type": "event", "topic": ev.topic, "seq": tl.seq, "time": now_text,
                   "op": op, "key": ev.key}
            if op == "upsert":
                msg["data"] = ev.data
                tl.state[ev.key] = ev.data
            else:
                tl.state.pop(ev.key, None)
            frame = protocol.dumps(msg)
            if not tl.frames:
                tl.base = tl.seq
            tl.frames.append(frame)
            if len(tl.frames) > self.retain:
                tl.frames.popleft()
                tl.base += 1
            if self._db is not None:
                rows.append((ev.topic, tl.seq, ev.key, op, frame,
                             protocol.dumps(ev.data) if op == "upsert" else None))
        if self._db is not None:
            with self._db:
                self._db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", rows)
                self._db.execute("UPDATE meta SET value = ? WHERE key = 'steps'", (str(self.steps),))
        for c in self.clients:
            c.wake.set()
        return len(events)

    def step(self) -> int:
        """One simulation tick (also used to pre-fill the log for benchmarks)."""
        self.steps += 1
        return self._append(self._sim_events())

    def preload(self, n: int, per_step: int = 5000) -> int:
        """Simulate ``n`` events into the log before serving (benchmarks, catch-up demos)."""
        made = 0
        while made < n:
            self.steps += 1
            events: list[SimEvent] = []
            now = self.sim_now()
            for sim, share in zip(self.sims, self._shares(min(per_step, n - made))):
                events.extend(sim.step(self.rng, now, share))
            made += self._append(events)
        return made

    def publish(self, topic: str, key: str, data: dict | None) -> None:
        """Add one event from outside the simulators (tests, tools).  Thread-safe."""
        ev = SimEvent(topic, key, data, "delete" if data is None else "upsert")
        if self._loop and threading.current_thread() is not self._thread:
            self._loop.call_soon_threadsafe(self._append, [ev])
        else:
            self._append([ev])

    def inject_raw(self, text: str) -> None:
        """Send a raw frame to every client, outside the log (tests of bad input)."""
        async def send_all():
            for c in list(self.clients):
                try:
                    await c.ws.send(text)
                except ConnectionClosed:
                    pass
        asyncio.run_coroutine_threadsafe(send_all(), self._loop)

    def head(self) -> dict[str, int]:
        return {t: tl.seq for t, tl in self.topics.items()}

    # ------------------------------------------------------------------ serving
    def _process_request(self, connection, request):
        path = request.path.split("?")[0]
        if path != "/feed" and not path.startswith("/media/"):
            return connection.respond(HTTPStatus.NOT_FOUND, "not found\n")
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        if token not in self.tokens:
            self.auth_failures += 1
            return connection.respond(HTTPStatus.UNAUTHORIZED, "not authorised\n")
        if path.startswith("/media/"):
            return self._media_response(connection, path)
        return None

    def _media_response(self, connection, path: str):
        """GET /media/<topic>/<name>: a file a simulator makes (camera snapshots)."""
        parts = path.split("/", 3)
        topic, name = (parts[2], parts[3]) if len(parts) == 4 else ("", "")
        for plugin, sim in self._sims_by_plugin():
            if topic in {spec.name for spec in plugin.topics}:
                found = sim.media(name)
                if found is not None:
                    content_type, body = found
                    response = connection.respond(HTTPStatus.OK, "")
                    for header in ("Content-Type", "Content-Length"):
                        del response.headers[header]   # a multidict: replace, don't add
                    response.headers["Content-Type"] = content_type
                    response.headers["Content-Length"] = str(len(body))
                    response.headers["Cache-Control"] = "no-store"
                    response.body = body
                    return response
        return connection.respond(HTTPStatus.NOT_FOUND, "no such media\n")

    def _sims_by_plugin(self):
        return [(p, s) for p, s in zip(self._sim_plugins, self.sims)]

    async def _handler(self, ws) -> None:
        auth = ws.request.headers.get("Authorization", "")
        user = self.tokens.get(auth[7:], {})
        try:
            first = protocol.decode(await asyncio.wait_for(ws.recv(), 10))
        except (protocol.FrameError, asyncio.TimeoutError):
            await ws.send(protocol.dumps({"type": "error", "code": "bad_request",
                                          "message": "expected hello"}))
            return
        if first.get("type") != "hello":
            await ws.send(protocol.dumps({"type": "error", "code": "bad_request",
                                          "message": "expected hello"}))
            return
        accept = first.get("accept") if isinstance(first.get("accept"), list) else []
        roles = user.get("roles") or ()
        spoken = [e for e in EXTENSIONS if e in self.extensions and e in accept
                  # shared alarm actions are the IOC's: not for an agency
                  and (e != protocol.ALARM_ACTIONS_EXTENSION or set(roles) & IOC_ROLES)]
        client = _Client(ws, protocol.BATCH_EXTENSION in spoken, roles,
                         snapshot_parts=protocol.SNAPSHOT_PARTS_EXTENSION in spoken,
                         alarm_actions=protocol.ALARM_ACTIONS_EXTENSION in spoken)
        welcome = {"type": "welcome", "protocol": protocol.PROTOCOL_VERSION,
                   "server": "hue-ioc-demo/0.1", "epoch": self.epoch, "user": user}
        if spoken:
            welcome["extensions"] = spoken
        await ws.send(protocol.dumps(welcome))
        self.clients.add(client)
        pump = asyncio.create_task(self._pump(client))
        try:
            async for text in ws:
                try:
                    msg = protocol.decode(text)
                except protocol.FrameError as exc:
                    await ws.send(protocol.dumps({"type": "error", "code": "bad_request",
                                                  "message": str(exc)}))
                    continue
                await self._on_client_message(client, msg)
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(client)
            pump.cancel()

    async def _on_client_message(self, client: _Client, msg: dict) -> None:
        kind = msg.get("type")
        if kind == "subscribe":
            topics = msg.get("topics")
            if not isinstance(topics, dict):
                await client.ws.send(protocol.dumps({"type": "error", "code": "bad_request",
                                                     "message": "subscribe needs 'topics'"}))
                return
            self.subscriptions.append(topics)
            for topic, opts in topics.items():
                if topic not in self.topics or (topic == sharing.TOPIC
                                                and not client.alarm_actions):
                    await client.ws.send(protocol.dumps({"type": "error", "code": "unknown_topic",
                                                         "message": f"no topic {topic!r}"}))
                    continue
                after = opts.get("after", 0) if isinstance(opts, dict) else 0
                client.cursor[topic] = after if isinstance(after, int) and after >= 0 else 0
            client.wake.set()
        elif kind == "action":
            # the user and roles of the connection's token, never of the message
            auth = client.ws.request.headers.get("Authorization", "")
            user = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
            await client.ws.send(self.actions.handle(msg, user))

    async def _pump(self, client: _Client) -> None:
        """Send each subscribed topic from the client's cursor to the head of the log."""
        ws = client.ws
        while True:
            await client.wake.wait()
            client.wake.clear()
            progressed = True
            while progressed:
                progressed = False
                for topic, after in list(client.cursor.items()):
                    tl = self.topics[topic]
                    if after >= tl.seq:
                        continue
                    redactor = self.redactors.get(topic) if client.redacted else None
                    redact = (lambda d, r=redactor: r(d, client.roles)) if redactor else None
                    if after < tl.base - 1:
                        items = [{"key": k, "data": redact(d) if redact else d} for k, d in tl.state.items()]
                        for frame in snapshot_frames(topic, tl.seq, items, client.snapshot_parts):
                            await ws.send(frame, text=True)
                        client.cursor[topic] = tl.seq
                        progressed = True
                        continue
                    start = tl.after(after)
                    # islice: indexing a deque one by one walks it from an end each time
                    frames = list(itertools.islice(
                        tl.frames, start, start + (BATCH_MAX_EVENTS if client.batches else 50)))
                    if redact:
                        frames = [_redact_frame(f, redact) for f in frames]
                    # a resubscribe may have moved the cursor while we were sending
                    if client.batches and len(frames) > 1:
                        sizes = list(itertools.accumulate(map(len, frames)))
                        cut = max(1, bisect.bisect_right(sizes, BATCH_MAX_BYTES))
                        head = '{"type":"events","topic":' + protocol.dumps(topic) + ',"events":['
                        while True:
                            data = (head + ",".join(frames[:cut]) + "]}").encode()
                            # BATCH_MAX_BYTES counts characters; the client's limit is in
                            # bytes, and Vietnamese text takes 2-3 per character
                            if len(data) <= protocol.MAX_FRAME_BYTES or cut == 1:
                                break
                            cut //= 2
                        await ws.send(data, text=True)     # already UTF-8: a text frame
                        sent = cut
                    else:
                        sent = 0
                        for f in frames:
                            await ws.send(f)
                            sent += 1
                    if client.cursor.get(topic) == after:
                        client.cursor[topic] = after + sent
                    progressed = True

    async def _ticker(self) -> None:
        while True:
            if not self.paused:
                # keep the simulated clock on the wall clock; after a short downtime this
                # catches up in bounded bites so that clients are served meanwhile
                for _ in range(min(max(self.steps_behind(), 0), 200)):
                    self.step()
            await asyncio.sleep(self.tick)

    async def run(self, host: str = "127.0.0.1", port: int = 0,
                  ready: threading.Event | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        async with serve(self._handler, host, port, process_request=self._process_request,
                         max_size=protocol.MAX_FRAME_BYTES, compression=None,
                         ping_interval=10, ping_timeout=20) as server:
            self._server = server
            self.port = server.sockets[0].getsockname()[1]
            ticker = asyncio.create_task(self._ticker()) if self.rate > 0 else None
            if ready:
                ready.set()
            await self._stopped.wait()
            if ticker:
                ticker.cancel()
            server.close()
            for c in list(self.clients):
                await c.ws.close(1001, "server shutting down")
        if self._db is not None:
            self._db.close()

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> int:
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self.run(host, port, ready)),
                                        name="ioc-demo-backend", daemon=True)
        self._thread.start()
        if not ready.wait(15):
            raise RuntimeError("demo backend did not start")
        return self.port

    def stop(self, timeout: float = 10) -> None:
        """Stop serving (idempotent)."""
        if self._loop and self._stopped and not self._loop.is_closed():
            try:
                self._loop.call_soon_threadsafe(self._stopped.set)
            except RuntimeError:  # the loop closed meanwhile: already stopped
                pass
        if self._thread:
            self._thread.join(timeout)

    def url(self, host: str = "127.0.0.1") -> str:
        return f"ws://{host}:{self.port}/feed"

    def media_url(self, topic: str, name: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/media/{topic}/{name}"
