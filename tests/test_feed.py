"""The feed client against a real demo backend on loopback, into a real SQLite cache."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from demo_backend.server import DemoBackend
from feedkit import TicksPlugin, free_port, wait_for
from ioc_desktop.feed.client import Backoff, FeedClient, FeedStatus
from ioc_desktop.plugin_api import topic_map
from ioc_desktop.store.writer import StoreWriter

TOPICS = topic_map([TicksPlugin()])
FAST = Backoff(base=0.05, cap=0.3)


def cache_seqs(path) -> tuple[list[int], list[int]]:
    conn = sqlite3.connect(path)
    try:
        events = [r[0] for r in conn.execute("SELECT seq FROM events WHERE topic='ticks' ORDER BY seq")]
        rejected = [r[0] for r in conn.execute(
            "SELECT seq FROM rejected WHERE topic='ticks' AND seq IS NOT NULL ORDER BY seq")]
    finally:
        conn.close()
    return events, rejected


class Rig:
    """A writer + client on one cache, recording every status change."""

    def __init__(self, url, cache, token="hue-ioc-demo", **kw):
        self.statuses = []
        self.writer = StoreWriter(cache, TOPICS.values())
        self.client = FeedClient(url, token, self.writer, TOPICS, backoff=FAST,
                                 on_status=lambda s: self.statuses.append(s), **kw)
        self.client.start()

    def cursor(self) -> int:
        return self.writer.call(lambda s: s.cursors().get("ticks", 0)).result(10)

    def close(self):
        self.client.stop()
        self.writer.close()


@pytest.fixture
def backend():
    b = DemoBackend([TicksPlugin()], seed=3, rate=400)
    b.start_in_thread()
    yield b
    b.stop()


def settle(backend: DemoBackend, rig: Rig, timeout=10):
    """Stop the simulator and wait until the cache holds everything the server has."""
    backend.paused = True
    time.sleep(0.15)
    head = backend.head()["ticks"]
    wait_for(lambda: rig.cursor() >= head, timeout, what=f"cursor to reach {head}")
    return head


def test_live_sync_commits_every_event_once(backend, tmp_path):
    rig = Rig(backend.url(), tmp_path / "c.sqlite")
    wait_for(lambda: rig.cursor() > 200, what="events to arrive")
    head = settle(backend, rig)
    rig.close()
    events, rejected = cache_seqs(tmp_path / "c.sqlite")
    assert events == list(range(1, head + 1))
    assert rejected == []
    assert rig.statuses[0].status == FeedStatus.CONNECTING
    assert FeedStatus.LIVE in [s.status for s in rig.statuses]


def test_client_restart_resumes_from_its_cursor(backend, tmp_path):
    cache = tmp_path / "c.sqlite"
    rig = Rig(backend.url(), cache)
    wait_for(lambda: rig.cursor() > 100, what="first events")
    rig.close()
    events_before, _ = cache_seqs(cache)
    stopped_at = events_before[-1]
    time.sleep(0.3)  # the server goes on producing while the client is away
    rig2 = Rig(backend.url(), cache)
    head = settle(backend, rig2)
    rig2.close()
    # the second session asked for exactly what the first one had committed
    assert backend.subscriptions[-1]["ticks"] == {"after": stopped_at}
    events, _ = cache_seqs(cache)
    assert events == list(range(1, head + 1))


def test_wrong_token_is_not_authorised_and_not_retried(backend, tmp_path):
    rig = Rig(backend.url(), tmp_path / "c.sqlite", token="wrong")
    wait_for(lambda: rig.client.state.status == FeedStatus.UNAUTHORISED, what="401")
    time.sleep(1.0)  # with FAST backoff a retry loop would make ~10 attempts here
    assert backend.auth_failures == 1
    assert rig.client.state.status == FeedStatus.UNAUTHORISED
    assert "401" in rig.client.state.detail
    rig.close()


def test_bad_frames_are_rejected_with_reasons_and_the_feed_goes_on(backend, tmp_path):
    cache = tmp_path / "c.sqlite"
    rig = Rig(backend.url(), cache)
    wait_for(lambda: rig.cursor() > 50, what="first events")
    backend.paused = True
    time.sleep(0.2)
    backend.inject_raw("this is not json")
    backend.inject_raw("[1, 2, 3]")
    backend.inject_raw('{"type": "event", "topic": "ticks", "seq": "x", "op": "upsert"}')
    backend.inject_raw('{"type": "event", "topic": "nope", "seq": 1, "op": "upsert", "key": "a", "data": {}}')
    # wrong-typed data through the server's own log: its seq is consumed, not re-fetched
    backend.publish("ticks", "bad", {"name": "bad", "n": "abc"})
    backend.publish("ticks", "far", {"name": "far", "n": -5})
    backend.paused = False
    wait_for(lambda: rig.cursor() > backend.head()["ticks"] - 5 and rig.cursor() > 400,
             what="feed to continue")
    head = settle(backend, rig)
    rig.close()
    conn = sqlite3.connect(cache)
    reasons = [r[0] for r in conn.execute("SELECT reason FROM rejected ORDER BY id")]
    conn.close()
    assert any("malformed JSON" in r for r in reasons), reasons
    assert any("not an object" in r for r in reasons), reasons
    assert any("'seq' must be an integer from 1" in r for r in reasons), reasons
    assert any("unknown topic" in r for r in reasons), reasons
    assert any("data.n: expected a number" in r for r in reasons), reasons
    assert any("data.n: -5 below 0" in r for r in reasons), reasons
    events, rejected = cache_seqs(cache)
    assert sorted(events + rejected) == list(range(1, head + 1))
    assert rig.client.counters.rejected == len(reasons) == 6


def test_oversize_frame_closes_with_1009_and_the_feed_resumes(backend, tmp_path):
    cache = tmp_path / "c.sqlite"
    rig = Rig(backend.url(), cache)
    wait_for(lambda: rig.cursor() > 50, what="first events")
    backend.inject_raw('{"type":"event","pad":"' + "x" * (1024 * 1024 + 10) + '"}')
    wait_for(lambda: rig.client.counters.connects >= 2, what="reconnect after 1009")
    head = settle(backend, rig)
    rig.close()
    conn = sqlite3.connect(cache)
    reasons = [r[0] for r in conn.execute("SELECT reason FROM rejected")]
    conn.close()
    assert any("1009" in r for r in reasons), reasons
    assert any("1009" in s.detail for s in rig.statuses if s.status == FeedStatus.RECONNECTING)
    events, _ = cache_seqs(cache)
    assert events == list(range(1, head + 1))


def test_gap_triggers_resubscribe_without_loss_or_duplicate(backend, tmp_path):
    cache = tmp_path / "c.sqlite"
    rig = Rig(backend.url(), cache)
    wait_for(lambda: rig.cursor() > 50, what="first events")
    backend.paused = True
    time.sleep(0.2)
    far = backend.head()["ticks"] + 40
    backend.inject_raw('{"type":"event","topic":"ticks","seq":%d,"op":"upsert","key":"k1",'
                       '"data":{"name":"k1","n":1}}' % far)
    wait_for(lambda: rig.client.counters.gaps == 1, what="gap detected")
    backend.paused = False
    wait_for(lambda: rig.cursor() > far + 20, what="stream past the gap")
    head = settle(backend, rig)
    rig.close()
    n_subscribes = len(backend.subscriptions)
    assert n_subscribes == 2  # the first one, and the resubscribe for the gap
    events, _ = cache_seqs(cache)
    assert events == list(range(1, head + 1))
    # the injected k1 at `far` was dropped as part of the gap, the server's own is kept
    conn = sqlite3.connect(cache)
    data = conn.execute("SELECT data FROM events WHERE seq = ?", (far,)).fetchone()[0]
    conn.close()
    assert '"n":1}' not in data


def test_old_cursor_gets_a_snapshot(tmp_path):
    b = DemoBackend([TicksPlugin()], seed=5, rate=0, retain=50)
    for _ in range(30):
        b._append(b.sims[0].step(b.rng, b.sim_now(), 10))
    b.start_in_thread()
    try:
        rig = Rig(b.url(), tmp_path / "c.sqlite")
        wait_for(lambda: rig.cursor() == b.head()["ticks"], what="snapshot")
        state = rig.writer.call(lambda s: s.load_state()["ticks"]).result()
        rig.close()
    finally:
        b.stop()
    assert rig.client.counters.snapshots == 1
    assert state == b.topics["ticks"].state
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    ops = [r[0] for r in conn.execute("SELECT op FROM events")]
    assert ops == ["snapshot"]


def test_new_backend_epoch_never_mixes_logs(tmp_path):
    cache = tmp_path / "c.sqlite"
    port = free_port()
    first = DemoBackend([TicksPlugin()], seed=1, rate=300)
    first.start_in_thread(port=port)
    rig = Rig(first.url(), cache)
    wait_for(lambda: rig.cursor() > 100, what="first log")
    first.stop()
    second = DemoBackend([TicksPlugin()], seed=2, rate=0)  # a rebuilt backend: new epoch
    for _ in range(5):
        second._append(second.sims[0].step(second.rng, second.sim_now(), 4))
    second.start_in_thread(port=port)
    try:
        wait_for(lambda: rig.writer.call(lambda s: s.meta("epoch")).result() == second.epoch,
                 what="new epoch adopted")
        wait_for(lambda: rig.cursor() == second.head()["ticks"], what="second log")
        rig.close()
    finally:
        second.stop()
    events, _ = cache_seqs(cache)
    assert events == list(range(1, second.head()["ticks"] + 1))
    archived = [p for p in tmp_path.iterdir() if ".epoch-" in p.name and p.suffix == ".sqlite"]
    assert len(archived) == 1
    old = sqlite3.connect(archived[0])
    assert old.execute("SELECT value FROM meta WHERE key='epoch'").fetchone()[0] == first.epoch
    assert old.execute("SELECT count(*) FROM events").fetchone()[0] > 100


def test_server_killed_and_restarted_mid_stream(tmp_path):
    port = free_port()
    log = tmp_path / "server-log.sqlite"
    script = Path(__file__).with_name("demo_proc.py")

    def start(rate):
        proc = subprocess.Popen([sys.executable, str(script), str(port), str(log), str(rate)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        return proc

    proc = start(500)
    cache = tmp_path / "c.sqlite"
    rig = Rig(f"ws://127.0.0.1:{port}/feed", cache)
    try:
        wait_for(lambda: rig.cursor() > 300, what="first events")
        proc.send_signal(signal.SIGKILL)  # a crash: no goodbye
        proc.wait()
        wait_for(lambda: rig.client.state.status == FeedStatus.RECONNECTING, what="reconnecting")
        proc = start(500)
        before_restart = rig.cursor()
        wait_for(lambda: rig.cursor() > before_restart + 300, what="resumed stream")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc = start(0)  # no new events: the client must catch up to the log exactly
        server = sqlite3.connect(log)
        head = server.execute("SELECT max(seq) FROM events").fetchone()[0]
        server_seqs = [r[0] for r in server.execute("SELECT seq FROM events ORDER BY seq")]
        server.close()
        wait_for(lambda: rig.client.counters.connects >= 3, what="third connection")
        wait_for(lambda: rig.cursor() == head, what="catch-up to the server's log")
    finally:
        rig.close()
        proc.kill()
        proc.wait()
    events, _ = cache_seqs(cache)
    assert server_seqs == list(range(1, head + 1))
    assert events == server_seqs
    assert rig.client.counters.connects >= 3
    assert FeedStatus.RECONNECTING in [s.status for s in rig.statuses]


def test_corrupt_cache_is_moved_aside_and_a_fresh_one_used(tmp_path):
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    writer = StoreWriter(cache, TOPICS.values())
    try:
        assert writer.recovered_from is not None and writer.recovered_from.exists()
        assert writer.recovered_from.read_bytes().startswith(b"SQLite format 3")
        assert writer.call(lambda s: s.cursors()).result() == {}
    finally:
        writer.close()


def test_plain_ws_refused_for_non_loopback():
    with pytest.raises(ValueError, match="loopback"):
        FeedClient("ws://example.org/feed", "t", None, TOPICS)


def test_a_cache_from_an_older_plugin_version_gains_the_new_columns(tmp_path):
    # version 1 of a plugin stored one column; version 2 adds another: rows are
    # recomputed from their stored data, nothing is lost
    from dataclasses import replace
    old = replace(TOPICS["ticks"], columns={"name": str},
                  to_row=lambda key, d: {"name": d["name"]})
    writer = StoreWriter(tmp_path / "c.sqlite", [old])
    from ioc_desktop.store.batch import EventRecord
    writer.submit([EventRecord("ticks", 1, None, "upsert", "a", {"name": "a", "n": 7}, 0.0)])
    writer.close()
    writer = StoreWriter(tmp_path / "c.sqlite", TOPICS.values())
    try:
        rows = writer.call(lambda s: s.conn.execute("SELECT key, name, n FROM ticks").fetchall()).result()
    finally:
        writer.close()
    assert rows == [("a", "a", 7.0)]


def test_topic_setup_hook_runs_on_the_writer_at_open(tmp_path):
    from dataclasses import replace
    calls = []
    spec = replace(TOPICS["ticks"], setup=lambda conn: calls.append(conn.in_transaction))
    StoreWriter(tmp_path / "c.sqlite", [spec]).close()
    StoreWriter(tmp_path / "c.sqlite", [spec]).close()
    assert calls == [True, True]      # at every open, inside the schema transaction
