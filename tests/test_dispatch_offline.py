"""Actions taken while the backend is down: delivered once when it returns, across a
client restart or crash; a viewer can't dispatch.

Two kinds of peer: the real demo backend (the workflow, the permissions and dedup by
action id are its job), and a tiny fake peer here that only acknowledges, so that the
transport's exactly-once is tested on its own: it applies each action id once, like
any backend must, and records every frame it receives.
"""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

from demo_backend.server import DemoBackend
from feedkit import free_port, wait_for
from ioc_desktop import protocol
from ioc_desktop.config import DEMO_TOKEN, ClientConfig
from ioc_desktop.dispatch.outbox import DONE, PENDING, SENT, ActionState, read_audit
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.plugin_api import ActionRefused
from ioc_desktop.qt_bridge import FeedService
from plugins.reports import ReportsPlugin
from plugins.reports.schema import SPEC

ROOT = Path(__file__).resolve().parent.parent
SUPERVISOR = {"name": "Giám sát ca (test)", "roles": ["operator", "supervisor"]}
KEY = "PA-2026-OFF-0001"


def report(key: str = KEY) -> dict:
    data = {"service_request_id": key, "service_code": "VSMT", "service_name": "vệ sinh môi trường",
            "description": "Rác thải tồn đọng trên đường Lê Lợi", "status": "open",
            "ioc_status": "received", "lat": 16.4637, "long": 107.5909,
            "requested_datetime": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "channel": "hue_s", "priority": "normal"}
    return SPEC.validate(data)


# ---------------------------------------------------------------------------- fake peer
class FakePeer:
    """welcome (with a user), then an ``ack ok`` per action; each id applied once."""

    def __init__(self, port: int, user: dict = SUPERVISOR):
        self.port = port
        self.user = user
        self.ack = True                 # False: take the action, never answer
        self.drop_on_action = False     # True: take the action, then cut the link (no ack)
        self.received: list[str] = []   # every action frame's id, resends included
        self.applied: list[tuple[str, str, str]] = []   # (id, name, key), once per id
        self.frames: list[tuple[int, str]] = []         # (connection number, type)
        self.connections = 0
        self._thread = None

    def start(self) -> "FakePeer":
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main(ready)), daemon=True)
        self._thread.start()
        assert ready.wait(10)
        return self

    def stop(self) -> None:
        if self._thread:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)
            self._thread = None

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with serve(self._handler, "127.0.0.1", self.port):
            ready.set()
            await self._stop.wait()

    async def _handler(self, ws) -> None:
        self.connections += 1
        n = self.connections
        try:
            json.loads(await ws.recv())       # hello
            await ws.send(json.dumps({"type": "welcome", "protocol": 1, "server": "fake-peer",
                                      "epoch": "fake#1", "user": self.user}))
            async for text in ws:
                msg = json.loads(text)
                self.frames.append((n, msg.get("type")))
                if msg.get("type") != "action":
                    continue
                self.received.append(msg["id"])
                if msg["id"] not in {a[0] for a in self.applied}:
                    self.applied.append((msg["id"], msg["name"], msg["key"]))
                if self.drop_on_action:
                    self.drop_on_action = False
                    await ws.close(1011, "lost before the ack")
                    return
                if self.ack:
                    await ws.send(json.dumps({"type": "ack", "id": msg["id"], "ok": True}))
        except ConnectionClosed:
            pass


# ---------------------------------------------------------------------------- helpers
def make_service(cache: Path, url: str, token: str = DEMO_TOKEN) -> FeedService:
    service = FeedService(ClientConfig(server=url, cache=cache, lang="en", token=token),
                          [ReportsPlugin()])
    service.changes = []
    service.messages = []
    service.actionChanged.connect(service.changes.append)
    service.message.connect(service.messages.append)
    return service


def start(qtbot, service: FeedService, live: bool = True) -> FeedService:
    service.start()
    qtbot.waitUntil(lambda: service.outbox is not None and service.reader is not None, timeout=10000)
    if live:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
    return service


def states_of(service: FeedService, action_id: str) -> list[str]:
    return [c.state for c in service.changes if c.id == action_id]


def read_actions_of(qtbot, service: FeedService, key: str | None = None) -> list[ActionState]:
    box: list = []
    service.actions(key, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=5000)
    return box[0]


def audit_events(cache: Path, action_id: str) -> list[str]:
    conn = sqlite3.connect(cache)
    try:
        return [e.event for e in read_audit(conn, action_id=action_id)]
    finally:
        conn.close()


def went_down(qtbot, service: FeedService) -> None:
    qtbot.waitUntil(lambda: service.state.status in (FeedStatus.RECONNECTING, FeedStatus.CONNECTING),
                    timeout=10000)


# ---------------------------------------------------------------------------- transport
def test_an_action_queued_offline_goes_out_once_after_a_client_restart(qtbot, tmp_path):
    port, cache = free_port(), tmp_path / "cache.sqlite"
    peer = FakePeer(port).start()
    url = f"ws://127.0.0.1:{port}/feed"
    first = start(qtbot, make_service(cache, url))
    assert first.user == SUPERVISOR and first.user_source == "live"
    try:
        peer.stop()                                   # the backend goes down
        went_down(qtbot, first)
        action_id = first.submit_action("reports", "verify", KEY, {}, data=report())
        qtbot.waitUntil(lambda: states_of(first, action_id) == [PENDING], timeout=5000)
    finally:
        first.stop()                                  # the client is closed, offline
    assert peer.received == []

    second = start(qtbot, make_service(cache, url), live=False)
    try:
        qtbot.waitUntil(lambda: second.state.status == FeedStatus.RECONNECTING, timeout=10000)
        # roles known offline: the last welcome this token got on this cache
        assert second.user == SUPERVISOR and second.user_source == "cache"
        (waiting,) = read_actions_of(qtbot, second, KEY)
        assert (waiting.id, waiting.state, waiting.user) == (action_id, PENDING, SUPERVISOR["name"])
        peer = FakePeer(port).start()                 # the backend is back
        second.retry_now()
        qtbot.waitUntil(lambda: DONE in states_of(second, action_id), timeout=15000)
        assert states_of(second, action_id) == [SENT, DONE]
        assert peer.applied == [(action_id, "verify", KEY)]
        assert peer.received == [action_id]
        # sent after subscribing, on the same connection
        conn_frames = [t for n, t in peer.frames if n == 1]
        assert conn_frames.index("subscribe") < conn_frames.index("action")
        assert audit_events(cache, action_id) == ["queued", "sent", "done"]
    finally:
        second.stop()
        peer.stop()


def test_a_link_lost_before_the_ack_resends_the_same_id(qtbot, tmp_path):
    port, cache = free_port(), tmp_path / "cache.sqlite"
    peer = FakePeer(port).start()
    peer.drop_on_action = True
    service = start(qtbot, make_service(cache, f"ws://127.0.0.1:{port}/feed"))
    try:
        action_id = service.submit_action("reports", "assign", KEY,
                                          {"agency": "UBND phường Phú Hội"})
        qtbot.waitUntil(lambda: DONE in states_of(service, action_id), timeout=20000)
        assert peer.received == [action_id, action_id]
        assert peer.applied == [(action_id, "assign", KEY)]
        assert states_of(service, action_id) == [PENDING, SENT, SENT, DONE]
        assert audit_events(cache, action_id) == ["queued", "sent", "resent", "done"]
    finally:
        service.stop()
        peer.stop()


CLIENT_THAT_CRASHES = textwrap.dedent("""
    import os, sys, threading
    from pathlib import Path
    from PySide6 import QtCore
    app = QtCore.QCoreApplication([])
    from ioc_desktop.config import ClientConfig
    from ioc_desktop.feed.client import FeedStatus
    from ioc_desktop.qt_bridge import FeedService
    from plugins.reports import ReportsPlugin
    url, cache, key = sys.argv[1:4]
    service = FeedService(ClientConfig(server=url, cache=Path(cache), lang="en"), [ReportsPlugin()])
    queued = []
    def on_status(state):
        if state.status == FeedStatus.LIVE and not queued:
            queued.append(service.submit_action("reports", "verify", key, {}))
    def crash_when_told():
        sys.stdin.readline()
        os._exit(0)            # crash: sent, not yet acknowledged, nothing closed
    def on_action(st):
        if st.state == "sent":
            print(st.id, flush=True)
            threading.Thread(target=crash_when_told, daemon=True).start()
    service.statusChanged.connect(on_status)
    service.actionChanged.connect(on_action)
    service.start()
    QtCore.QTimer.singleShot(20000, lambda: os._exit(3))
    app.exec()
""")


def test_a_client_crash_after_sending_before_the_ack_is_safe(qtbot, tmp_path):
    port, cache = free_port(), tmp_path / "cache.sqlite"
    peer = FakePeer(port).start()
    peer.ack = False                                  # the ack never comes
    url = f"ws://127.0.0.1:{port}/feed"
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        proc = subprocess.Popen([sys.executable, "-c", CLIENT_THAT_CRASHES, url, str(cache), KEY],
                                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            action_id = proc.stdout.readline().strip()
            assert action_id, proc.stderr.read()[-2000:] if proc.poll() is not None else "no id"
            wait_for(lambda: peer.received == [action_id], what="the action at the peer")
            proc.stdin.write("crash now\n")
            proc.stdin.flush()
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        peer.ack = True
        service = start(qtbot, make_service(cache, url))   # the client starts again
        try:
            qtbot.waitUntil(lambda: DONE in states_of(service, action_id), timeout=15000)
            assert peer.received == [action_id, action_id]         # resent with its id…
            assert peer.applied == [(action_id, "verify", KEY)]     # …applied once
            assert audit_events(cache, action_id) == ["queued", "sent", "resent", "done"]
        finally:
            service.stop()
    finally:
        peer.stop()


# ---------------------------------------------------------------------------- real backend
def backend_on(port: int, log: Path) -> DemoBackend:
    backend = DemoBackend([ReportsPlugin()], seed=5, rate=0, log_path=log)
    backend.start_in_thread(port=port)
    return backend


def verifies(backend: DemoBackend, key: str = KEY) -> int:
    data = backend.topics["reports"].state[key]
    return sum(1 for h in data.get("history") or [] if h.get("action") == "verify")


def cached_status(cache: Path, key: str = KEY) -> str | None:
    conn = sqlite3.connect(cache)
    try:
        row = conn.execute("SELECT data FROM reports WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return json.loads(row[0]).get("ioc_status") if row else None


def test_supervisor_dispatch_while_the_backend_is_down_is_applied_once_when_it_returns(qtbot, tmp_path):
    port, cache, log = free_port(), tmp_path / "cache.sqlite", tmp_path / "backend-log.sqlite"
    url = f"ws://127.0.0.1:{port}/feed"
    backend = backend_on(port, log)
    backend.publish("reports", KEY, report())
    first = start(qtbot, make_service(cache, url))
    try:
        qtbot.waitUntil(lambda: cached_status(cache) == "received", timeout=10000)
        backend.stop()                                # the backend goes down
        went_down(qtbot, first)
        action_id = first.submit_action("reports", "verify", KEY, {}, data=report())
        qtbot.waitUntil(lambda: states_of(first, action_id) == [PENDING], timeout=5000)
    finally:
        first.stop()

    second = start(qtbot, make_service(cache, url), live=False)
    backend = None
    try:
        assert "supervisor" in second.user["roles"]
        backend = backend_on(port, log)               # back, with the same log (epoch)
        second.retry_now()
        qtbot.waitUntil(lambda: DONE in states_of(second, action_id), timeout=15000)
        assert verifies(backend) == 1
        qtbot.waitUntil(lambda: cached_status(cache) == "verified", timeout=10000)
        # the same id again (as a resend would be): acknowledged, not applied twice
        second.client.send(protocol.action(action_id, "reports", "verify", KEY, {}))
        qtbot.waitUntil(lambda: sum(1 for m in second.messages if m.get("id") == action_id) == 2,
                        timeout=10000)
        assert all(m.get("ok") is True for m in second.messages if m.get("id") == action_id)
        assert verifies(backend) == 1
        assert states_of(second, action_id) == [SENT, DONE]
        assert audit_events(cache, action_id) == ["queued", "sent", "done"]
    finally:
        second.stop()
        if backend:
            backend.stop()


def test_a_viewer_cannot_dispatch_in_the_client_nor_at_the_backend(qtbot, tmp_path):
    port, cache = free_port(), tmp_path / "cache.sqlite"
    backend = backend_on(port, tmp_path / "backend-log.sqlite")
    backend.publish("reports", KEY, report())
    service = start(qtbot, make_service(cache, f"ws://127.0.0.1:{port}/feed", token="hue-ioc-viewer"))
    try:
        assert service.user["roles"] == ["viewer"]
        with pytest.raises(ActionRefused) as info:
            service.submit_action("reports", "verify", KEY, {})
        assert info.value.code == "forbidden"
        with pytest.raises(ActionRefused):
            service.submit_action("reports", "assign", KEY, {"agency": "Sở Xây dựng"})
        assert read_actions_of(qtbot, service) == []          # nothing queued
        # the backend refuses it too, sent raw past the client's own check
        raw_id = str(uuid.uuid4())
        assert service.client.send(protocol.action(raw_id, "reports", "verify", KEY, {}))
        qtbot.waitUntil(lambda: any(m.get("id") == raw_id for m in service.messages), timeout=10000)
        (ack,) = [m for m in service.messages if m.get("id") == raw_id]
        assert ack["ok"] is False and ack["error"].startswith("forbidden")
        assert backend.topics["reports"].state[KEY]["ioc_status"] == "received"
    finally:
        service.stop()
        backend.stop()
    conn = sqlite3.connect(cache)
    refusals = [(e.event, e.name, e.detail) for e in read_audit(conn)]
    conn.close()
    assert refusals == [("refused", "verify", "refused locally: " + str(info.value)),
                        ("refused", "assign", "refused locally: forbidden: assign needs the role supervisor")]
