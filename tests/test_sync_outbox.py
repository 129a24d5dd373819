"""`ioc-desktop sync` delivers the actions queued in the cache's outbox (dispatches made
offline on a laptop): once each, waiting a bounded grace period for their acks, and says
so.  Real parts: the demo backend on loopback, a real cache file, `main.py sync` in its
own process, actions queued with the Outbox API while no link exists."""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

from demo_backend.server import DemoBackend
from feedkit import free_port
from ioc_desktop.config import ACK_GRACE
from ioc_desktop.dispatch.outbox import DONE, PENDING, REFUSED, Outbox, read_audit
from ioc_desktop.plugin_api import load_plugins, topic_map
from ioc_desktop.store.writer import StoreWriter

REPO = Path(__file__).resolve().parents[1]
MAIN = [sys.executable, str(REPO / "main.py")]
SUPERVISOR = {"name": "Giám sát ca (laptop)", "roles": ["operator", "supervisor"]}
MISSING_KEY = "PA-NO-SUCH-REPORT"


def plugins():
    return [lp.plugin for lp in load_plugins() if lp.plugin]


def sync(url: str, cache: Path, run_for: float = 2, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    env = dict(os.environ)
    env.pop("IOC_TOKEN", None)                       # the demo token: operator and supervisor
    proc = subprocess.run(MAIN + ["sync", "--server", url, "--cache", str(cache), "--run-for",
                                  str(run_for), "--quiet", *extra],
                          capture_output=True, text=True, timeout=60, env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}
    return proc, summary


def queue_offline(cache: Path, actions: list[tuple[str, str, dict]]) -> list[str]:
    """Queue actions in the cache as the app does with the link down; returns their ids."""
    topics = topic_map(plugins()).values()
    writer = StoreWriter(cache, topics)
    outbox = Outbox(writer, topics=topics)
    try:
        ids = []
        for name, key, args in actions:
            action_id, future = outbox.submit_async("reports", name, key, args, SUPERVISOR)
            assert future.result(10).state == PENDING
            ids.append(action_id)
        return ids
    finally:
        outbox.close()
        writer.close()


def outbox_rows(cache: Path) -> dict[str, tuple]:
    conn = sqlite3.connect(cache)
    try:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT id, state, attempts, error FROM outbox ORDER BY rowid")}
    finally:
        conn.close()


def audit_events(cache: Path, action_id: str) -> list[str]:
    conn = sqlite3.connect(cache)
    try:
        return [e.event for e in read_audit(conn, action_id=action_id)]
    finally:
        conn.close()


def cached_status(cache: Path, key: str) -> str | None:
    conn = sqlite3.connect(cache)
    try:
        row = conn.execute("SELECT ioc_status FROM reports WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


@pytest.fixture
def backend(tmp_path):
    """The demo backend (every plugin), still (rate 0) so that nothing but our actions
    changes the reports; it records every action frame it receives."""
    backend = DemoBackend(plugins(), seed=4, rate=0, log_path=tmp_path / "backend-log.sqlite")
    backend.preload(3000)
    backend.received = []
    handle = backend.actions.handle

    def spy(msg, user):
        backend.received.append(msg.get("id"))
        return handle(msg, user)

    backend.actions.handle = spy
    backend.start_in_thread()
    yield backend
    backend.stop()


def test_sync_delivers_queued_actions_once_and_says_so(backend, tmp_path):
    url, cache = backend.url(), tmp_path / "laptop.sqlite"
    # Before going out: fill the cache.  Nothing queued, nothing said about actions.
    proc, summary = sync(url, cache)
    assert proc.returncode == 0, proc.stderr
    assert summary["actions"] == {"queued": 0, "done": 0, "refused": 0, "unacknowledged": 0,
                                  "sent": 0}
    assert proc.stderr == ""
    conn = sqlite3.connect(cache)
    received = [k for (k,) in conn.execute(
        "SELECT key FROM reports WHERE ioc_status = 'received' ORDER BY key LIMIT 2")]
    conn.close()
    assert len(received) == 2, "the demo log has reports to verify"
    for key in received:
        assert backend.topics["reports"].state[key]["ioc_status"] == "received"

    # Offline, on the laptop: two verifications and one the backend will refuse.
    ids = queue_offline(cache, [("verify", received[0], {}), ("verify", received[1], {}),
                                ("verify", MISSING_KEY, {})])
    assert {r[0] for r in outbox_rows(cache).values()} == {PENDING}
    assert backend.received == []

    # Back in the office: sync delivers them, once.
    proc, summary = sync(url, cache, 2, "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert summary["actions"] == {"queued": 3, "done": 2, "refused": 1, "unacknowledged": 0,
                                  "sent": 3}
    (line,) = proc.stderr.splitlines()
    assert line.startswith("ioc-desktop: delivered 3 queued actions (1 refused: not_found"), line
    assert MISSING_KEY in line
    assert backend.received == ids                       # each id seen once, in order
    assert backend.actions.applied == 2
    rows = outbox_rows(cache)
    assert [rows[i][:2] for i in ids] == [(DONE, 1), (DONE, 1), (REFUSED, 1)]
    assert rows[ids[2]][2].startswith("not_found") and MISSING_KEY in rows[ids[2]][2]
    assert audit_events(cache, ids[0]) == ["queued", "sent", "done"]
    assert audit_events(cache, ids[2]) == ["queued", "sent", "refused"]
    for key in received:                                 # the backend's events came back
        assert backend.topics["reports"].state[key]["ioc_status"] == "verified"
        assert cached_status(cache, key) == "verified"

    # A second sync has nothing to send again.
    proc, summary = sync(url, cache, 1)
    assert proc.returncode == 0, proc.stderr
    assert summary["actions"] == {"queued": 0, "done": 0, "refused": 0, "unacknowledged": 0,
                                  "sent": 0}
    assert proc.stderr == ""
    assert backend.received == ids and backend.actions.applied == 2
    assert outbox_rows(cache) == rows


def test_the_delivery_line_is_in_vietnamese_by_default(backend, tmp_path):
    url, cache = backend.url(), tmp_path / "laptop.sqlite"
    assert sync(url, cache, 1)[0].returncode == 0
    ids = queue_offline(cache, [("verify", MISSING_KEY, {})])
    proc, summary = sync(url, cache, 1)
    assert proc.returncode == 0, proc.stderr
    assert summary["actions"]["refused"] == 1
    (line,) = proc.stderr.splitlines()
    assert "1" in line and "not_found" in line and "delivered" not in line
    assert backend.received == ids


def test_actions_stay_queued_when_sync_never_connects(tmp_path, backend):
    cache = tmp_path / "laptop.sqlite"
    assert sync(backend.url(), cache, 1)[0].returncode == 0
    (action_id,) = queue_offline(cache, [("verify", MISSING_KEY, {})])
    url = f"ws://127.0.0.1:{free_port()}/feed"           # nothing listens there
    proc, summary = sync(url, cache, 1, "--lang", "en")
    assert proc.returncode == 4
    assert summary["actions"] == {"queued": 1, "done": 0, "refused": 0, "unacknowledged": 1,
                                  "sent": 0}
    lines = proc.stderr.splitlines()
    assert lines[0] == ("ioc-desktop: 1 queued action(s) not acknowledged yet: they stay "
                        "queued for the next connection")
    assert lines[1].startswith(f"ioc-desktop: never connected to {url}: ")
    assert outbox_rows(cache)[action_id][:2] == (PENDING, 0)


# ---------------------------------------------------------------------------- slow acks
class SlowPeer:
    """A backend that acknowledges each action ``delay`` seconds late (or never)."""

    def __init__(self, port: int, delay: float | None):
        self.port, self.delay = port, delay
        self.received: list[str] = []
        self._ready = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _main(self):
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        async with serve(self._handler, "127.0.0.1", self.port):
            self._ready.set()
            await self._stop.wait()

    async def _handler(self, ws):
        try:
            await ws.recv()                                   # hello
            await ws.send(json.dumps({"type": "welcome", "protocol": 1, "server": "slow-peer",
                                      "epoch": "slow#1", "user": SUPERVISOR}))
            async for text in ws:
                msg = json.loads(text)
                if msg.get("type") == "action":
                    self.received.append(msg["id"])
                    if self.delay is not None:
                        asyncio.get_running_loop().call_later(
                            self.delay, lambda i=msg["id"]: asyncio.ensure_future(
                                ws.send(json.dumps({"type": "ack", "id": i, "ok": True}))))
        except ConnectionClosed:
            pass


def test_sync_waits_a_bounded_grace_period_for_the_acks_it_is_owed(tmp_path):
    cache = tmp_path / "laptop.sqlite"
    ids = queue_offline(cache, [("verify", "PA-1", {}), ("note", "PA-2", {"text": "đã gọi"})])
    port = free_port()
    with SlowPeer(port, delay=1.5) as peer:                  # acks after --run-for
        started = time.monotonic()
        proc, summary = sync(f"ws://127.0.0.1:{port}/feed", cache, 0.5, "--lang", "en")
        took = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert peer.received == ids
    assert summary["actions"] == {"queued": 2, "done": 2, "refused": 0, "unacknowledged": 0,
                                  "sent": 2}
    assert proc.stderr.splitlines() == ["ioc-desktop: delivered 2 queued actions"]
    assert took < 0.5 + ACK_GRACE + 5

    with SlowPeer(free_port(), delay=None) as silent:       # never acknowledges
        (late,) = queue_offline(cache, [("verify", "PA-3", {})])
        started = time.monotonic()
        proc, summary = sync(f"ws://127.0.0.1:{silent.port}/feed", cache, 0.5, "--lang", "en")
        took = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert silent.received == [late]
    assert summary["actions"] == {"queued": 1, "done": 0, "refused": 0, "unacknowledged": 1,
                                  "sent": 1}
    assert "1 queued action(s) not acknowledged yet" in proc.stderr
    assert 0.5 + ACK_GRACE <= took < 0.5 + ACK_GRACE + 5   # waited the grace, no longer
    assert outbox_rows(cache)[late][:2] == ("sent", 1)     # resent (same id) next time
