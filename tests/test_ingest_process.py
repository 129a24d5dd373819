"""The feed's decoding process (ioc_desktop.feed.decoder): frames decoded and validated
in a second process give the same cache as on the feed thread — every valid event once
and byte-identical, every refusal once with its reason; a decoding process that dies is
shown (FAILED, the feed worker) and restarted, and nothing is lost or doubled; it ends
with the client.

Real parts: backends on loopback (the demo backend, the hostile one of
tests/hostile_backend.py), real caches, a real child process.
"""
from __future__ import annotations

import asyncio
import collections
import json
import os
import signal
import sqlite3
import time
from dataclasses import replace

import orjson
import pytest

from demo_backend.server import DemoBackend
from feedkit import FeedRig, TicksPlugin, assert_contiguous, wait_for
from hostile_backend import Entry, HostileBackend, Script, check_cache
from ioc_desktop.feed.client import FeedStatus, Reason
from ioc_desktop.feed.frames import FrameHandler
from ioc_desktop.plugin_api import load_plugins, topic_map
from ioc_desktop.store.batch import EventRecord, LazyEventRecord, RejectedRecord
from ioc_desktop.store.store import Store

TICKS = topic_map([TicksPlugin()])


class GatedBackend(HostileBackend):
    """A hostile backend that answers nobody until ``gate`` is set (the test opens it
    once the client's decoding process is ready, so that every frame goes through it)."""

    def __init__(self, entries, **kw):
        super().__init__(entries, **kw)
        import threading
        self.gate = threading.Event()

    async def _handler(self, ws) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        await super()._handler(ws)


Rig = FeedRig


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:                       # a zombie still answers kill(0): reaped means gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ------------------------------------------------------------------ same records
def test_a_hostile_stream_through_the_process_is_stored_as_on_the_thread(tmp_path):
    """Valid events mixed with every hostile kind, two oversize frames (two reconnects):
    every frame decoded in the process, the cache passes the fuzz checks."""
    entries = Script(seed=11).make(2500, oversize=2)
    backend = GatedBackend(entries)
    url = backend.start()
    rig = Rig(url, tmp_path / "c.sqlite", decoder="process")
    try:
        decoder = rig.decoder_ready()
        backend.gate.set()
        last = max(e.seq for e in entries if e.seq)
        wait_for(lambda: backend.done.is_set() and rig.cursor() >= last, 120,
                 what="the whole script")
        expected = sum(1 for e in entries if e.marker or e.oversize or not e.frame)
        wait_for(lambda: len(rig.rejected()) >= expected, 30, what="every refusal")
        assert rig.client.worker.is_alive()
        assert decoder.answered == rig.client.counters.frames > 2000   # all of them there
        assert rig.client._decoder is decoder                         # one process throughout
    finally:
        rig.close()
        backend.stop()
    report = check_cache(tmp_path / "c.sqlite", entries)
    assert report["problems"] == []
    assert backend.sessions == 3


def test_a_listener_that_raises_on_an_ack_is_recorded_once(tmp_path):
    def broken_listener(msg):
        raise RuntimeError("listener bug")
    ack = orjson.dumps({"type": "ack", "id": "a1", "ok": True})
    valid = [Entry(orjson.dumps({"type": "event", "topic": "ticks", "seq": s, "op": "upsert",
                                 "key": "k", "data": {"name": "k", "n": s}}), s,
                   valid={"name": "k", "n": s}, key="k") for s in (1, 2)]
    backend = GatedBackend([valid[0], Entry(ack), valid[1]])
    url = backend.start()
    rig = Rig(url, tmp_path / "c.sqlite", on_message=broken_listener)
    try:
        decoder = rig.decoder_ready()
        backend.gate.set()
        wait_for(lambda: rig.cursor() == 2 and rig.rejected(), 15, what="the frames")
        assert [r[0] for r in rig.rejected()] == [
            "internal error handling the frame: RuntimeError: listener bug"]
        assert rig.client.counters.internal_errors == 1
        assert decoder.answered == 3
    finally:
        rig.close()
        backend.stop()


def _demo_batch_frames(n_events=6000):
    """Batch frames of every real service (the demo backend's simulators)."""
    plugins = [lp.plugin for lp in load_plugins() if lp.plugin]
    backend = DemoBackend(plugins, seed=4, rate=0, retain=10 ** 6)
    backend.preload(n_events)
    frames = []
    for topic, tl in backend.topics.items():
        texts = list(tl.frames)
        for i in range(0, len(texts), 400):
            frames.append(('{"type":"events","topic":' + json.dumps(topic) + ',"events":['
                           + ",".join(texts[i:i + 400]) + "]}").encode())
    return topic_map(plugins), frames


def test_the_wire_form_commits_the_same_cache(tmp_path):
    """The decoding process's records (tuples, rows in column order, data decoded only
    when read) give the same log, state tables and committed changes as records made on
    the feed thread."""
    topics, frames = _demo_batch_frames()
    start = {t: 0 for t in topics}
    on_thread, in_process = FrameHandler(topics), FrameHandler(topics, wire=True)
    on_thread.begin(start, topics)
    in_process.begin(start, topics)
    a = [r for f in frames for r in on_thread.handle(f)]
    b = [r for f in frames for r in in_process.handle(f)]
    assert len(a) == len(b) > 5000 and not any(isinstance(r, RejectedRecord) for r in a)
    assert all(isinstance(r, EventRecord) for r in a) and all(type(r) is tuple for r in b)
    sa, sb = Store(tmp_path / "a.sqlite", topics.values()), Store(tmp_path / "b.sqlite", topics.values())
    try:
        batches = [(sa.apply(a[i:i + 2500]), sb.apply(b[i:i + 2500])) for i in range(0, len(a), 2500)]
        for ba, bb in batches:
            assert ba.topics.keys() == bb.topics.keys()
            for t, ch in ba.topics.items():
                other = bb.topics[t]
                assert other.upserts == ch.upserts and other.deletes == ch.deletes
                assert [(e.seq, e.op, e.key, e.data) for e in other.events] == \
                       [(e.seq, e.op, e.key, e.data) for e in ch.events]
                assert all(type(e) is LazyEventRecord for e in other.events)
        for table in ["events", "cursors", *(s.table for s in topics.values())]:
            order = "topic, seq" if table == "events" else "1"
            cols = "topic, seq, time, op, key, data" if table == "events" else "*"
            rows_a = sa.conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall()
            rows_b = sb.conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall()
            if table == "cursors":
                rows_a = [r[:2] for r in rows_a]
                rows_b = [r[:2] for r in rows_b]
            assert rows_a == rows_b, table
    finally:
        sa.close()
        sb.close()


def test_a_session_handed_over_mid_stream_gives_the_same_records():
    """The feed thread handles frames until the process is ready, then hands it the
    session (newest seqs, topics waiting for a resent stream): the records are those of
    one handler, a gap detected before the handover included."""
    ev = lambda s, k="k": orjson.dumps({"type": "event", "topic": "ticks", "seq": s,  # noqa: E731
                                        "op": "upsert", "key": k, "data": {"name": k, "n": s}})
    frames = [ev(1), ev(2), ev(5), ev(6), b"not json", ev(3), ev(4), ev(5), ev(6, "z")]
    one = FrameHandler(TICKS)
    one.begin({"ticks": 0})
    whole = [r for f in frames for r in one.handle(f)]
    first, second = FrameHandler(TICKS), FrameHandler(TICKS, wire=True)
    first.begin({"ticks": 0})
    head = [r for f in frames[:4] for r in first.handle(f)]
    assert first.resyncing == {"ticks": 2} and first.take_resubscribes() == [("ticks", 2)]
    second.begin(first.last, TICKS, resyncing=first.resyncing)
    tail = [r for f in frames[4:] for r in second.handle(f)]
    assert second.take_resubscribes() == []            # the same gap: not asked again
    as_records = [LazyEventRecord(*r) if type(r) is tuple else r for r in head + tail]

    def shown(r):
        if isinstance(r, RejectedRecord):
            return ("rejected", r.reason, r.topic, r.seq)
        return (r.topic, r.seq, r.op, r.key, r.data, bytes(r.text))
    assert [shown(r) for r in as_records] == [shown(r) for r in whole]
    assert [r.seq for r in whole if not isinstance(r, RejectedRecord)] == [1, 2, 3, 4, 5, 6]


# ------------------------------------------------------------------ life and death
def test_the_process_ends_with_the_client(tmp_path):
    backend = DemoBackend([TicksPlugin()], seed=2, rate=200)
    backend.start_in_thread()
    rig = Rig(backend.url(), tmp_path / "c.sqlite")
    try:
        decoder = rig.decoder_ready()
        pid = decoder.pid
        wait_for(lambda: decoder.answered > 3, 15, what="frames through the process")
        assert alive(pid)
    finally:
        started = time.monotonic()
        rig.close()
        backend.stop()
    assert time.monotonic() - started < 10
    wait_for(lambda: not alive(pid), 5, what="the decoding process to end")


def test_topics_that_cant_reach_a_process_are_decoded_on_the_feed_thread(tmp_path, caplog):
    local = {"ticks": replace(TICKS["ticks"], to_row=lambda key, d: {"name": d["name"], "n": d["n"]})}
    backend = DemoBackend([TicksPlugin()], seed=2, rate=200)
    backend.start_in_thread()
    rig = Rig(backend.url(), tmp_path / "c.sqlite", topics=local)
    try:
        wait_for(lambda: rig.cursor() > 50, 15, what="events decoded on the thread")
        assert rig.client._decoder is None
        assert "can't be sent to another process" in rig.client._decoder_unusable
        assert any("decoding on the feed thread" in r.getMessage() for r in caplog.records)
    finally:
        rig.close()
        backend.stop()


def test_a_killed_decoder_shows_failed_is_restarted_and_loses_nothing(qtbot, tmp_path):
    """The app's supervision: SIGKILL the decoding process mid-stream; the feed worker is
    shown FAILED (why: the decoding process) and never LIVE until it runs again, with a
    new process; the cache is contiguous with the backend's log."""
    from ioc_desktop.config import ClientConfig
    from ioc_desktop.qt_bridge import FeedService

    backend = DemoBackend([TicksPlugin()], seed=2, rate=400)
    backend.start_in_thread()
    service = FeedService(ClientConfig(server=backend.url(), cache=tmp_path / "c.sqlite",
                                       lang="en"), [TicksPlugin()])
    log: list = []
    service.statusChanged.connect(lambda s: log.append(("state", s)))
    service.workerFailed.connect(lambda name, why: log.append(("failed", name, why)))
    service.workerRestarted.connect(lambda name: log.append(("restarted", name)))
    service.start()
    try:
        qtbot.waitUntil(lambda: service.client is not None and service.client._decoder is not None
                        and service.client._decoder.answered > 5, timeout=20000)
        old = service.client._decoder.pid
        os.kill(old, signal.SIGKILL)
        qtbot.waitUntil(lambda: any(e[0] == "restarted" for e in log), timeout=20000)
        failed = next(e for e in log if e[0] == "failed")
        assert failed[1] == "feed" and "decoding process" in failed[2]
        start = next(i for i, e in enumerate(log) if e[0] == "failed")
        end = next(i for i, e in enumerate(log) if e[0] == "restarted")
        states = [e[1] for e in log[start:end] if e[0] == "state"]
        assert states and all(s.status == FeedStatus.FAILED for s in states)
        assert states[0].reason == Reason.WORKER_DIED and states[0].reason_args == {"worker": "feed"}
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=20000)
        qtbot.waitUntil(lambda: service.client._decoder is not None
                        and service.client._decoder.ready, timeout=20000)
        assert service.client._decoder.pid != old and service.client.worker.runs == 2
        assert not alive(old)
        assert_contiguous(tmp_path / "c.sqlite", backend)
    finally:
        service.stop()
        backend.stop()


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_both_decoders_resume_from_the_committed_cursor(tmp_path, mode):
    backend = DemoBackend([TicksPlugin()], seed=3, rate=400)
    backend.start_in_thread()
    cache = tmp_path / "c.sqlite"
    try:
        rig = Rig(backend.url(), cache, decoder=mode)
        wait_for(lambda: rig.cursor() > 150, 15, what="first events")
        rig.close()
        stopped_at = sqlite3.connect(cache).execute(
            "SELECT max(seq) FROM events WHERE topic = 'ticks'").fetchone()[0]
        time.sleep(0.3)
        rig = Rig(backend.url(), cache, decoder=mode)
        wait_for(lambda: rig.cursor() > stopped_at + 100, 15, what="the resumed stream")
        assert backend.subscriptions[-1]["ticks"] == {"after": stopped_at}
        assert (rig.client._decoder is not None) == (mode == "process")
        assert_contiguous(cache, backend)
        rig.close()
    finally:
        backend.stop()


@pytest.mark.parametrize("update_from", [True, False], ids=["update-from", "executemany"])
def test_state_rows_updated_in_the_changed_columns_only_equal_whole_upserts(tmp_path, monkeypatch,
                                                                          update_from):
    """The writer updates an existing state row in the columns that changed only (an
    UPDATE rewrites every index on the columns it sets, changed or not): the state
    tables — the reports' full-text index included — equal those of whole-row upserts
    (with UPDATE … FROM, and with the statement per row of SQLite before 3.33)."""
    from ioc_desktop.store import store as store_module
    monkeypatch.setattr(store_module, "_UPDATE_FROM", update_from)
    topics, frames = _demo_batch_frames(12_000)
    handler = FrameHandler(topics, wire=True)
    handler.begin({t: 0 for t in topics}, topics)
    records = [r for f in frames for r in handler.handle(f)]
    updated = collections.Counter(r[4] for r in records if r[0] == "reports" and r[3] == "upsert")
    assert sum(1 for n in updated.values() if n > 1) > 50     # reports that change, not only new ones

    def fill(path, threshold):
        monkeypatch.setattr(store_module, "CHANGED_COLUMNS_FROM", threshold)
        store = Store(path, topics.values())
        try:
            updates = []
            real = store._update_changed
            store._update_changed = lambda *a: updates.append(1) or real(*a)
            for i in range(0, len(records), 1500):
                store.apply(records[i:i + 1500])
            tables = {t: store.conn.execute(f"SELECT * FROM {s.table} ORDER BY key").fetchall()
                      for t, s in topics.items()}
            fts = store.conn.execute("SELECT rowid, search_text FROM reports_fts "
                                     "ORDER BY rowid").fetchall()
            return tables, fts, len(updates)
        finally:
            store.close()
    whole, whole_fts, n_whole = fill(tmp_path / "whole.sqlite", 10 ** 9)
    changed, changed_fts, n_changed = fill(tmp_path / "changed.sqlite", 1)
    assert n_whole == 0 and n_changed > 10
    assert changed == whole and changed_fts == whole_fts
    assert len(whole["reports"]) > 100 and len(whole_fts) == len(whole["reports"])
