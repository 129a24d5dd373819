"""A tiny service for feed tests: one topic `ticks`, a counter per key.

Kept apart from the real plugins so that protocol tests don't move when a service's
rules change.
"""
from __future__ import annotations

import random
import socket
import time
from datetime import datetime

from ioc_desktop.plugin_api import Plugin, SimEvent, Simulator, TopicSpec, as_number, as_str


def _validate(data: dict) -> dict:
    as_str(data, "name", max_len=200)
    as_number(data, "n", lo=0)
    return data


TICKS = TopicSpec(name="ticks", key_field="name", validate=_validate,
                  columns={"name": str, "n": float},
                  to_row=lambda key, d: {"name": d["name"], "n": d["n"]})


class TickSim(Simulator):
    def __init__(self):
        self.n = 0

    def start(self, rng: random.Random, now: datetime):
        return [SimEvent("ticks", f"k{i}", {"name": f"k{i}", "n": 0}) for i in range(5)]

    def step(self, rng, now, budget):
        out = []
        for _ in range(budget):
            self.n += 1
            k = f"k{rng.randrange(20)}"
            out.append(SimEvent("ticks", k, {"name": k, "n": self.n}))
        return out


class TicksPlugin(Plugin):
    name = "ticks"
    title = "Ticks"
    topics = [TICKS]

    def simulator(self):
        return TickSim()


def wait_for(pred, timeout=10.0, interval=0.02, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FeedRig:
    """A feed client and its store writer on a cache, started: the states it went
    through (``states``), what it rejected and its cursor, read on the writer."""

    def __init__(self, url, cache, topics=None, backoff=None, **kw):
        from ioc_desktop.feed.client import Backoff, FeedClient
        from ioc_desktop.plugin_api import topic_map
        from ioc_desktop.store.writer import StoreWriter
        topics = topics if topics is not None else topic_map([TicksPlugin()])
        self.states = []
        self.writer = StoreWriter(cache, topics.values())
        self.client = FeedClient(url, "hue-ioc-demo", self.writer, topics,
                                 backoff=backoff or Backoff(base=0.05, cap=0.3),
                                 on_status=self.states.append, **kw)
        self.client.start()

    def decoder_ready(self, timeout=30):
        wait_for(lambda: self.client._decoder is not None and self.client._decoder.ready,
                 timeout, what="the decoding process to be ready")
        return self.client._decoder

    def rejected(self):
        return self.writer.call(lambda s: s.conn.execute(
            "SELECT reason, raw, topic, seq FROM rejected ORDER BY id").fetchall()).result(10)

    def cursor(self, topic="ticks"):
        return self.writer.call(lambda s: s.cursors().get(topic, 0)).result(10)

    def close(self):
        self.client.stop()
        self.writer.close()


def assert_contiguous(cache, backend, wait=None, timeout=20.0) -> None:
    """Pause ``backend``, wait until the cache file reached its head, and check the
    cache holds every ``ticks`` seq from 1 to it once: nothing lost, nothing doubled.
    ``wait(pred, timeout)``: how to wait (default :func:`wait_for`; a Qt test passes
    one that runs the event loop)."""
    import sqlite3
    backend.paused = True
    time.sleep(0.3)
    head = backend.head()["ticks"]

    def cursor():
        conn = sqlite3.connect(cache)
        try:
            row = conn.execute("SELECT seq FROM cursors WHERE topic = 'ticks'").fetchone()
            return row[0] if row else 0
        finally:
            conn.close()
    if wait is None:
        wait_for(lambda: cursor() == head, timeout, what="the cache to reach the backend's head")
    else:
        wait(lambda: cursor() == head, timeout)
    conn = sqlite3.connect(cache)
    try:
        seqs = [s for (s,) in conn.execute("SELECT seq FROM events WHERE topic = 'ticks' ORDER BY seq")]
    finally:
        conn.close()
    assert seqs == list(range(1, head + 1))
