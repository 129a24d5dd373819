"""The feed never dies silently: hostile and flaky backends on loopback, real caches.

One test per fault class of the issue "The feed never dies silently" (items 1, 2, 3, 5,
6 and the two "done means" runs); the GUI side is in test_status_honesty.py.
"""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from demo_backend.server import DemoBackend
from feedkit import FeedRig, TicksPlugin, free_port, wait_for
from hostile_backend import Entry, HostileBackend, Script, check_cache, fuzz
from ioc_desktop import protocol
from ioc_desktop.feed.client import HEALTHY_AFTER_S, Backoff, FeedStatus, Reason
from ioc_desktop.plugin_api import load_plugins, topic_map

TICKS = topic_map([TicksPlugin()])


Rig = FeedRig


def serve(entries):
    backend = HostileBackend(entries)
    return backend, backend.start()


def valid(seq, key="k1"):
    data = {"name": key, "n": seq}
    return Entry(orjson.dumps({"type": "event", "topic": "ticks", "seq": seq, "op": "upsert",
                               "key": key, "data": data}), seq, valid=data, key=key)


# ------------------------------------------------------------------ done means: fuzz
def test_fuzz_hostile_backend_never_stops_the_client(tmp_path):
    """Valid events mixed with every hostile kind (tests/hostile_backend.py), oversize
    frames included; the full 100,000-frame run is tests/fuzz_feed.py."""
    report = fuzz(tmp_path / "fuzz.sqlite", 4000, seed=7, oversize=2, timeout=150)
    assert report["problems"] == []
    assert report["client_alive"]
    assert report["sessions"] == 3            # one reconnect per oversize frame, no more
    assert report["valid_events"] > 2000 and report["refused"] > 1000


def test_the_checker_sees_a_lost_and_a_doubled_refusal(tmp_path):
    """The fuzz checks can fail: a cache missing an event and holding a refusal twice."""
    entries = Script(seed=3).make(300, oversize=0)
    cache = tmp_path / "c.sqlite"
    backend, url = serve(entries)
    rig = Rig(url, cache)
    last = max(e.seq for e in entries if e.seq)
    wait_for(lambda: rig.cursor() >= last, 30, what="the script")
    rig.close()
    backend.stop()
    assert check_cache(cache, entries)["problems"] == []
    conn = sqlite3.connect(cache)
    conn.execute("DELETE FROM events WHERE seq = (SELECT min(seq) FROM events)")
    conn.execute("INSERT INTO rejected(received_at, topic, seq, reason, raw, size) "
                 "SELECT received_at, topic, seq, reason, raw, size FROM rejected LIMIT 1")
    conn.commit()
    conn.close()
    problems = check_cache(cache, entries)["problems"]
    assert any("stored seqs differ" in p for p in problems)
    assert any("recorded 2 times" in p or "refusals recorded" in p for p in problems)


# ------------------------------------------------------------------ item 1
def test_a_frame_that_breaks_the_handler_is_refused_and_the_feed_goes_on(tmp_path):
    """(a) a batch item that fails validation and nests 400 levels deep (too deep to
    re-serialise for the record); (b) a cameras snapshot whose snapshot_url makes urlsplit
    raise.  Both used to end the feed thread while the status said LIVE."""
    plugins = [lp.plugin for lp in load_plugins() if lp.plugin and lp.name in ("cameras",)]
    topics = {**TICKS, **topic_map(plugins)}
    deep = "[" * 400 + "]" * 400
    batch = ('{"type":"events","topic":"ticks","events":[{"seq":2,"op":"upsert","key":"k",'
             '"data":{"name":5,"d":' + deep + '}}]}').encode()
    camera = {"camera_id": "cam-1", "name": "Trường Tiền", "lat": 16.4667, "long": 107.5905,
              "online": True, "snapshot_url": "http://[::1"}
    snapshot = orjson.dumps({"type": "snapshot", "topic": "cameras", "seq": 1,
                             "items": [{"key": "cam-1", "data": camera}]})
    entries = [valid(1), Entry(batch, 2, marker="__deep"), Entry(snapshot), valid(3), valid(4)]
    backend, url = serve(entries)
    rig = Rig(url, tmp_path / "c.sqlite", topics=topics)
    wait_for(lambda: rig.cursor() == 4, 15, what="the events after the bad frames")
    assert rig.client.worker.is_alive()
    assert rig.client.state.status == FeedStatus.LIVE
    reasons = {(r[2], r[3]): r[0] for r in rig.rejected()}
    assert reasons[("ticks", 2)].startswith("data.name: expected text")
    assert ("cameras", None) in reasons and "snapshot_url" in reasons[("cameras", None)]
    rig.close()
    backend.stop()


def test_no_internal_error_escapes_the_frame_handler(tmp_path):
    """Whatever raises while a frame is handled (here: the ack listener) refuses that
    frame with a reason; the thread and the next frames go on."""
    def broken_listener(msg):
        raise RuntimeError("listener bug")
    ack = orjson.dumps({"type": "ack", "id": "a1", "ok": True})
    backend, url = serve([valid(1), Entry(ack), valid(2)])
    rig = Rig(url, tmp_path / "c.sqlite", on_message=broken_listener)
    wait_for(lambda: rig.cursor() == 2, 15, what="the event after the bad frame")
    reasons = [r[0] for r in rig.rejected()]
    assert reasons == ["internal error handling the frame: RuntimeError: listener bug"]
    assert rig.client.counters.internal_errors == 1 and rig.client.worker.is_alive()
    rig.close()
    backend.stop()


# ------------------------------------------------------------------ items 2 + done means
def test_backend_sigkilled_30_times_loses_nothing_and_reconnects_fast(tmp_path):
    """The backend (own process, SQLite log) is SIGKILLed after each healthy session and
    restarted at once, 30 times: the client resets its backoff after each healthy
    session (the first retry within 0.5 s), is LIVE again within 2 s of the backend
    listening, and the final cache equals the backend's log."""
    script = Path(__file__).with_name("demo_proc.py")
    port, log = free_port(), tmp_path / "backend-log.sqlite"

    def start():
        proc = subprocess.Popen([sys.executable, str(script), str(port), str(log), "300"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        return proc

    proc = start()
    rig = Rig(f"ws://127.0.0.1:{port}/feed", tmp_path / "c.sqlite", backoff=Backoff())
    reconnects, first_retries = [], []
    try:
        for i in range(30):
            wait_for(lambda: rig.client.state.status == FeedStatus.LIVE, 10, what="LIVE")
            time.sleep(HEALTHY_AFTER_S + 0.1 + (i % 3) * 0.1)
            n = len(rig.states)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            wait_for(lambda: any(s.status == FeedStatus.RECONNECTING for s in rig.states[n:]), 10,
                     what="the drop to be seen")
            first_retries.append(next(s for s in rig.states[n:]
                                      if s.status == FeedStatus.RECONNECTING).retry_in)
            proc = start()
            back = time.monotonic()
            wait_for(lambda: rig.client.state.status == FeedStatus.LIVE, 10, what="LIVE again")
            reconnects.append(time.monotonic() - back)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
        time.sleep(0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
        rig.close()
    assert max(first_retries) <= 0.5, first_retries
    assert max(reconnects) <= 2.0, reconnects
    server = sqlite3.connect(log)
    expected = [(s, k, d) for s, k, d in server.execute(
        "SELECT seq, key, data FROM events WHERE topic = 'ticks' ORDER BY seq")]
    server.close()
    cache = sqlite3.connect(tmp_path / "c.sqlite")
    got = [(s, k, d) for s, k, d in cache.execute(
        "SELECT seq, key, data FROM events WHERE topic = 'ticks' ORDER BY seq")]
    cache.close()
    assert [s for s, _, _ in got] == [s for s, _, _ in expected]     # nothing lost or doubled
    assert [(k, orjson.loads(d)) for _, k, d in got] == [(k, orjson.loads(d)) for _, k, d in expected]


def test_a_session_that_drops_at_once_keeps_backing_off(tmp_path):
    """Only a session that stayed LIVE resets the backoff: a backend that accepts and
    drops straight away is not hammered."""
    class Dropper(HostileBackend):
        async def _handler(self, ws):
            self.sessions += 1
            await ws.recv()
            await ws.send('{"type":"welcome","protocol":1}')
            await ws.recv()
            ws.transport.abort()          # an abrupt drop, as a crash would
    backend = Dropper([])
    url = backend.start()
    rig = Rig(url, tmp_path / "c.sqlite", backoff=Backoff(base=0.1, cap=5))
    time.sleep(2.0)
    rig.close()
    backend.stop()
    retries = [s.retry_in for s in rig.states if s.status == FeedStatus.RECONNECTING and s.retry_in]
    assert len(retries) >= 3
    assert retries[-1] > retries[0] * 2         # growing, not reset to the first delay
    assert backend.sessions <= 8


# ------------------------------------------------------------------ item 3
def _big_backend(n=3000, retain=100):
    backend = DemoBackend([TicksPlugin()], seed=1, rate=0, retain=retain)
    for i in range(n):
        backend.publish("ticks", f"big{i}", {"name": f"big{i}", "n": i, "pad": "ư" * 400})
    backend.start_in_thread()
    return backend


def test_a_snapshot_larger_than_a_frame_arrives_in_parts(tmp_path):
    backend = _big_backend()
    rig = Rig(backend.url(), tmp_path / "c.sqlite")
    head = backend.head()["ticks"]
    wait_for(lambda: rig.cursor() == head, 20, what="the snapshot")
    assert rig.rejected() == []
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    rows = conn.execute("SELECT count(*) FROM ticks").fetchone()[0]
    snapshot = conn.execute("SELECT seq, length(CAST(data AS BLOB)) FROM events "
                            "WHERE op = 'snapshot'").fetchall()
    conn.close()
    assert rows == len(backend.topics["ticks"].state) == 3005
    assert len(snapshot) == 1 and snapshot[0][0] == head
    assert snapshot[0][1] > 2 * protocol.MAX_FRAME_BYTES           # it could never fit one frame
    assert rig.client.counters.connects == 1
    rig.close()
    backend.stop()


def test_a_v1_backends_oversize_snapshot_is_shown_not_retried_in_a_tight_loop(tmp_path):
    backend = _big_backend()
    rig = Rig(backend.url(), tmp_path / "c.sqlite", backoff=Backoff(base=0.2, cap=5),
              accept_snapshot_parts=False)         # as a backend without the extension
    time.sleep(3.0)
    state = rig.client.state
    assert state.status == FeedStatus.RECONNECTING and state.reason == Reason.OVERSIZE_FRAME
    assert state.reason_args == {"limit": protocol.MAX_FRAME_BYTES}
    retries = [s.retry_in for s in rig.states if s.reason == Reason.OVERSIZE_FRAME]
    assert retries == sorted(retries) or retries[-1] > retries[0]     # backing off
    assert 2 <= rig.client.counters.connects <= 5
    refused = [r for r in rig.rejected() if "1009" in r[0]]
    assert len(refused) == rig.client.counters.connects - (state.status == FeedStatus.LIVE)
    rig.close()
    backend.stop()


def test_snapshot_parts_out_of_order_are_voided_and_resubscribed(tmp_path):
    part = lambda i, n, seq, keys: Entry(orjson.dumps({   # noqa: E731
        "type": "snapshot", "topic": "ticks", "seq": seq, "part": i, "parts": n,
        "items": [{"key": k, "data": {"name": k, "n": 1}} for k in keys]}))
    entries = [part(1, 3, 10, ["a"]), part(3, 3, 10, ["c"]),            # part 2 missing
               part(1, 2, 10, ["a", "b"]), part(2, 2, 10, ["c"]), valid(11, "d")]
    backend, url = serve(entries)
    rig = Rig(url, tmp_path / "c.sqlite")
    wait_for(lambda: rig.cursor() == 11, 15, what="the second, whole snapshot")
    reasons = [r[0] for r in rig.rejected()]
    assert reasons == ["snapshot in parts voided at part 2 of 3 (out of order, or an event came first)"]
    assert rig.client.counters.gaps == 1
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    assert sorted(k for (k,) in conn.execute("SELECT key FROM ticks")) == ["a", "b", "c", "d"]
    conn.close()
    rig.close()
    backend.stop()


# ------------------------------------------------------------------ item 5
def test_empty_and_invalid_utf8_frames_are_recorded_once_and_keep_the_connection(tmp_path):
    entries = [valid(1), Entry(b""), Entry(b'{"type":"event","x":"\xff\xfe"}', marker="\ufffd"),
               Entry(b'{"type":"welcome"}', binary=True), valid(2)]
    backend, url = serve(entries)
    rig = Rig(url, tmp_path / "c.sqlite")
    wait_for(lambda: rig.cursor() == 2, 15, what="the events around the bad frames")
    rows = rig.rejected()
    assert [r[0] for r in rows] == [
        "empty frame",
        "malformed JSON: str is not valid UTF-8: surrogates not allowed: line 1 column 1 (char 0)",
        "binary frame (the protocol uses JSON text frames)"]
    assert "\ufffd" in rows[1][1]                       # the bad bytes shown, replaced
    assert backend.sessions == 1 and rig.client.counters.connects == 1     # never closed (1007)
    rig.close()
    backend.stop()


# ------------------------------------------------------------------ item 6
@pytest.mark.parametrize("kind", ["year1", "deep_unknown_field", "big_int_column"])
def test_what_cant_be_stored_is_refused_at_validation(tmp_path, kind):
    if kind == "big_int_column":
        # a JSON integer the decoder takes (unsigned 64-bit) but SQLite can't bind
        entry = Entry(b'{"type":"event","topic":"ticks","seq":2,"op":"upsert","key":"k1",'
                      b'"data":{"name":"k1","n":18446744073709551615}}', 2)
    else:
        script = Script()
        script.seq = 1
        entry = script._hostile(random.Random(1), kind)
    backend, url = serve([valid(1), entry, valid(3)])
    rig = Rig(url, tmp_path / "c.sqlite")
    wait_for(lambda: rig.cursor() == 3, 15, what="the event after the unstorable one")
    rows = rig.rejected()
    assert [(r[2], r[3]) for r in rows] == [("ticks", 2)]
    assert {"year1": "outside the years 1900-2199", "deep_unknown_field": "data cannot be stored",
            "big_int_column": "too large to store"}[kind] in rows[0][0]
    assert rig.writer.slow_batches == 0           # the writer never fell back to one by one
    rig.close()
    backend.stop()
